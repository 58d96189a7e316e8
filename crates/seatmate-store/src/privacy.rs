//! The audit log, and the data rights of customers: erasure and retention.

use async_trait::async_trait;
use seatmate_core::{AuditAction, AuditEntry, Millis};
use serde::Serialize;

use crate::Result;

/// Which audit entries to read, newest first.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<AuditAction>,
    /// Only entries before this position (the next page).
    pub before_seq: Option<i64>,
    pub since: Option<Millis>,
    pub limit: i64,
}

/// What an erasure or a retention run removed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Removed {
    pub conversations: i64,
    pub tickets: i64,
    pub feedback: i64,
}

#[async_trait]
pub trait PrivacyStore: Send + Sync {
    /// Adds one entry; the log takes no updates or deletions (the database refuses them).
    async fn append_audit(&self, entry: &AuditEntry) -> Result<()>;
    async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>>;
    /// Removes every conversation of `customer_id`, with its turns, its tickets and their history,
    /// and the knowledge feedback given on them, in one transaction.
    async fn erase_customer(&self, customer_id: &str) -> Result<Removed>;
    /// Removes conversations that started before `conversations_before` and tickets last updated
    /// before `tickets_before` (with what hangs on them), in one transaction.
    async fn remove_older_than(&self, conversations_before: Option<Millis>, tickets_before: Option<Millis>) -> Result<Removed>;
}
