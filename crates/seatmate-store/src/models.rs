//! Trained model versions, settings and dispatch rules.

use async_trait::async_trait;
use seatmate_core::Millis;

use crate::Result;

/// One trained model version.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ModelRecord {
    pub id: String,
    pub kind: String,
    pub version: i64,
    pub created_at: Millis,
    pub created_by: String,
    pub examples: i64,
    /// Evaluation figures as JSON.
    pub metrics: serde_json::Value,
    pub active: bool,
    /// Size of the stored model (filled in by the store; ignored when saving).
    pub bytes: i64,
    /// When the version was last made active; `None` for a candidate never activated. Filled in
    /// by the store (saving an active version activates it at `created_at`); ignored when saving.
    #[serde(default)]
    pub activated_at: Option<Millis>,
}

#[async_trait]
pub trait ModelStore: Send + Sync {
    /// Saves a version; an active one replaces the active version of its kind, an inactive one is
    /// a candidate (never activated).
    async fn save_model(&self, model: &ModelRecord, data: &[u8]) -> Result<()>;
    /// Every version of a kind, newest first.
    async fn list_models(&self, kind: &str) -> Result<Vec<ModelRecord>>;
    /// Deletes the versions of a kind beyond the active one and the `keep` newest others (kept
    /// for rollback); returns the ones deleted.
    async fn prune_models(&self, kind: &str, keep: usize) -> Result<Vec<ModelRecord>>;
    /// The active model of a kind and its bytes.
    async fn active_model(&self, kind: &str) -> Result<Option<(ModelRecord, Vec<u8>)>>;
    /// Makes one version the active one (a candidate, or roll forward or back) at `now`.
    async fn activate_model(&self, id: &str, now: Millis) -> Result<()>;
    async fn setting(&self, key: &str) -> Result<Option<String>>;
    async fn set_setting(&self, key: &str, value: &str) -> Result<()>;
    /// Dispatch rules in order, as stored JSON.
    async fn dispatch_rules(&self) -> Result<Vec<String>>;
    /// Replaces every dispatch rule.
    async fn set_dispatch_rules(&self, rules: &[String]) -> Result<()>;
}
