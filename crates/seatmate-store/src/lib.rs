//! The store: Seatmate's source of truth.
//!
//! The interface is one small trait per area — [`UserStore`], [`TaxonomyStore`],
//! [`ConversationStore`], [`ImportStore`], [`LiveStore`], [`TicketStore`], [`KnowledgeStore`], [`ModelStore`], [`PrivacyStore`], [`QualityStore`], [`LearningStore`] and
//! [`StatusStore`] —
//! and [`Store`], which is all of them, for callers that hold an `Arc<dyn Store>`. [`SqlStore`]
//! implements them for SQLite (the embedded default: one WAL file, `synchronous=FULL`, so an
//! acknowledged write survives a crash) and PostgreSQL (scale-out, several replicas). Both run the
//! same SQL; only the migrations differ. SQL types never leave this crate. The conformance suite in
//! `tests/it` runs on both.

mod conversations;
mod import;
mod knowledge;
mod learning;
mod live;
mod migrations;
mod models;
mod privacy;
mod quality;
mod sql;
mod taxonomy;
mod tickets;
mod users;

use async_trait::async_trait;
use seatmate_core::{ErrorKind, Role, User};

pub use conversations::{ConversationFilter, ConversationStore};
pub use import::{Import, ImportStore};
pub use knowledge::{FeedbackCounts, KnowledgeFeedback, KnowledgeFilter, KnowledgeStore};
pub use learning::{Assignment, CaseFilter, Curation, LearningStore, StoredCase, TrainingSession};
pub use live::{LiveOutcome, LiveStore, LiveWrite};
pub use models::{ModelRecord, ModelStore};
pub use privacy::{AuditFilter, PrivacyStore, Removed};
pub use quality::{Dispute, InspectionBatch, InspectionFilter, ItemReview, QualityStore, ScorecardVersion, StoredInspection};
pub use sql::{redact_url, SqlStore};
pub use taxonomy::{NodeWithChildren, TaxonomyStore};
pub use tickets::{LabelledText, ResolvedTicket, TicketChanges, TicketFilter, TicketStore};
pub use users::{ApiToken, Draft, NewApiToken, NewUser, UserStore};

/// Every store trait, for code that calls store methods on a concrete [`SqlStore`].
pub mod prelude {
    pub use crate::{
        ConversationStore, ImportStore, KnowledgeStore, LearningStore, LiveStore, ModelStore, PrivacyStore, QualityStore,
        StatusStore, Store, TaxonomyStore, TicketStore, UserStore,
    };
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            StoreError::NotFound(_) => ErrorKind::NotFound,
            StoreError::Conflict(_) => ErrorKind::Conflict,
            StoreError::InvalidInput(_) => ErrorKind::InvalidInput,
            StoreError::Unavailable(_) => ErrorKind::Unavailable,
            StoreError::Database(_) | StoreError::Corrupt(_) => ErrorKind::Internal,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which conversations a caller may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    /// Only those handled by this agent (username).
    Agent(String),
    /// Only those handled by members of this team.
    Team(String),
}

impl Scope {
    /// The scope a user's role grants.
    pub fn for_user(user: &User) -> Scope {
        match user.role {
            Role::Agent => Scope::Agent(user.username.clone()),
            Role::TeamLead => Scope::Team(user.team.clone().unwrap_or_default()),
            Role::QaInspector | Role::Trainer | Role::Admin => Scope::All,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// What an import did: how many records were new and how many were already there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// What writing one record did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Written {
    Inserted,
    Updated,
    Unchanged,
}

impl ImportCounts {
    /// Adds another batch's counts.
    pub fn merge(&mut self, other: ImportCounts) {
        self.inserted += other.inserted;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }

    pub(crate) fn add(&mut self, written: Written) {
        match written {
            Written::Inserted => self.inserted += 1,
            Written::Updated => self.updated += 1,
            Written::Unchanged => self.unchanged += 1,
        }
    }
}

/// Called with the number of records written so far, so long imports can show progress. Every
/// call happens inside the import's open transaction, after that many records were written and
/// before the commit: a caller that blocks here holds the transaction open (the killed-import
/// failpoint relies on this).
pub type Progress<'a> = &'a (dyn Fn(u64) + Send + Sync);

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub conversations: i64,
    pub tickets: i64,
    pub taxonomy_nodes: i64,
    pub knowledge_items: i64,
    pub users: i64,
}

/// The store as a whole: which database, whether it answers, how much it holds.
#[async_trait]
pub trait StatusStore: Send + Sync {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    async fn ping(&self) -> Result<()>;
    /// What `scope` may see of conversations and tickets, and everything else in full.
    async fn counts(&self, scope: &Scope) -> Result<Counts>;
}

/// Everything Seatmate keeps: every area's trait in one, for `Arc<dyn Store>`. Each method is one
/// transaction: it applies whole or not at all, and once it returns `Ok` the write is durable.
pub trait Store:
    UserStore
    + TaxonomyStore
    + ConversationStore
    + ImportStore
    + LiveStore
    + TicketStore
    + KnowledgeStore
    + ModelStore
    + PrivacyStore
    + QualityStore
    + LearningStore
    + StatusStore
{
}

impl<T> Store for T where
    T: UserStore
        + TaxonomyStore
        + ConversationStore
        + ImportStore
        + LiveStore
        + TicketStore
        + KnowledgeStore
        + ModelStore
        + PrivacyStore
        + QualityStore
        + LearningStore
        + StatusStore
        + ?Sized
{
}
