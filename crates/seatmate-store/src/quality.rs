//! Quality inspection: scorecard versions, each conversation's inspection per scorecard version,
//! inspectors' reviews of items, agents' disputes, and the batches that inspect the history.

use async_trait::async_trait;
use seatmate_core::{Conversation, Millis};

use crate::{Page, Result, Scope};

/// One version of a scorecard, as its author wrote it (YAML or JSON).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScorecardVersion {
    pub id: String,
    pub version: i64,
    pub name: String,
    pub source: String,
    /// `draft`, `published` (the one version of its id that inspects) or `retired`.
    pub status: String,
    pub created_by: String,
    pub created_at: Millis,
}

/// A conversation's inspection against one scorecard version.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StoredInspection {
    pub conversation_id: String,
    pub scorecard_id: String,
    pub version: i64,
    /// The conversation's agent, when it had one.
    pub agent: Option<String>,
    /// When the conversation started (trends go by it).
    pub started_at: Millis,
    pub score: f64,
    pub critical_failed: bool,
    pub inspected_at: Millis,
    /// The engine's item results, as JSON.
    pub result: serde_json::Value,
}

#[derive(Clone, Debug, Default)]
pub struct InspectionFilter {
    pub conversation_id: Option<String>,
    pub agent: Option<String>,
    pub scorecard_id: Option<String>,
    pub version: Option<i64>,
    /// Only inspections by each scorecard's published version.
    pub published_only: bool,
    pub inspected_from: Option<Millis>,
    pub limit: i64,
    pub offset: i64,
}

/// An inspector's verdict on one item of an inspection; the newest one counts, older ones stay.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ItemReview {
    pub conversation_id: String,
    pub scorecard_id: String,
    pub version: i64,
    pub item_id: String,
    /// `pass`, `fail` or `not_applicable`.
    pub outcome: String,
    /// The automatic outcome it confirms or overrides.
    pub automatic: String,
    pub reason: String,
    pub reviewer: String,
    pub at: Millis,
}

/// An agent disputing one item of their inspection, and the inspector's answer.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Dispute {
    pub id: String,
    pub conversation_id: String,
    pub scorecard_id: String,
    pub version: i64,
    pub item_id: String,
    pub agent: String,
    pub reason: String,
    pub created_at: Millis,
    /// `open`, `upheld` (the agent was right) or `rejected`.
    pub status: String,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<Millis>,
}

/// An inspection of the history by one scorecard version: where it is, so a restart resumes it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InspectionBatch {
    pub scorecard_id: String,
    pub version: i64,
    /// The last conversation id handled (conversations go in id order).
    pub after: Option<String>,
    pub done: i64,
    pub total: i64,
    /// `running` or `finished`.
    pub status: String,
    pub started_at: Millis,
    pub finished_at: Option<Millis>,
}

#[async_trait]
pub trait QualityStore: Send + Sync {
    /// Stores a new version of scorecard `id` (1 more than the newest) as a draft.
    async fn save_scorecard(&self, id: &str, name: &str, source: &str, created_by: &str, at: Millis) -> Result<ScorecardVersion>;
    /// Every version of every scorecard, newest first within each id.
    async fn scorecards(&self) -> Result<Vec<ScorecardVersion>>;
    async fn scorecard(&self, id: &str, version: i64) -> Result<Option<ScorecardVersion>>;
    /// Makes a version the published one of its id (an older published one is retired).
    async fn publish_scorecard(&self, id: &str, version: i64) -> Result<()>;
    /// Retires the published version of `id`, so it inspects nothing more.
    async fn retire_scorecard(&self, id: &str) -> Result<()>;
    /// Keeps an inspection unless that conversation already has one by that version; true when kept.
    async fn save_inspection(&self, inspection: &StoredInspection) -> Result<bool>;
    /// Keeps an inspection in place of that conversation's one by that version (the conversation
    /// gained what the inspection reads, e.g. a guided flow's walk); reviews stay as they are.
    async fn replace_inspection(&self, inspection: &StoredInspection) -> Result<()>;
    async fn inspections(&self, scope: &Scope, filter: &InspectionFilter) -> Result<Page<StoredInspection>>;
    /// Finished conversations (ended, or imported) after `after` in id order that have no
    /// inspection by this scorecard version.
    async fn uninspected(&self, scorecard_id: &str, version: i64, after: Option<&str>, limit: i64) -> Result<Vec<Conversation>>;
    /// How many finished conversations there are (a batch's total).
    async fn finished_conversations(&self) -> Result<i64>;
    async fn add_review(&self, review: &ItemReview) -> Result<()>;
    /// Reviews in the scope, oldest first (every one, overridden ones too); of one conversation
    /// when `conversation_id` is given.
    async fn reviews(&self, scope: &Scope, conversation_id: Option<&str>) -> Result<Vec<ItemReview>>;
    async fn add_dispute(&self, dispute: &Dispute) -> Result<()>;
    /// Answers an open dispute; NotFound when there is none with this id, Conflict when answered.
    async fn answer_dispute(&self, id: &str, status: &str, answer: &str, by: &str, at: Millis) -> Result<Dispute>;
    /// Disputes in the scope, newest first.
    async fn disputes(&self, scope: &Scope, conversation_id: Option<&str>) -> Result<Vec<Dispute>>;
    async fn save_batch(&self, batch: &InspectionBatch) -> Result<()>;
    /// Every batch, newest first.
    async fn batches(&self) -> Result<Vec<InspectionBatch>>;
}
