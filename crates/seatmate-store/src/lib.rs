//! The store: Seatmate's source of truth.
//!
//! [`Store`] is the one interface every other crate uses; [`SqlStore`] implements it for SQLite (the
//! embedded default: one WAL file, `synchronous=FULL`, so an acknowledged write survives a crash) and
//! PostgreSQL (scale-out, several replicas). Both run the same SQL; only the migrations differ. SQL
//! types never leave this crate. The conformance suite in `tests/it` runs on both.

mod migrations;
mod sql;

use async_trait::async_trait;
use seatmate_core::{
    Channel, Conversation, ConversationSummary, ErrorKind, KnowledgeItem, KnowledgeKind, Millis, Role, TaxonomyNode, Team,
    Ticket, TicketEvent, TicketStatus, User,
};

pub use sql::{redact_url, SqlStore};

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

#[derive(Clone, Debug, Default)]
pub struct ConversationFilter {
    /// Case-insensitive text in any turn.
    pub text: Option<String>,
    pub channel: Option<Channel>,
    pub queue: Option<String>,
    pub agent: Option<String>,
    pub started_from: Option<Millis>,
    pub started_to: Option<Millis>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Clone, Debug, Default)]
pub struct TicketFilter {
    pub conversation_id: Option<String>,
    pub status: Option<TicketStatus>,
    pub category_prefix: Option<String>,
    pub text: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// An agent's verdict on a knowledge card.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct KnowledgeFeedback {
    pub id: String,
    pub item_id: String,
    pub user_id: String,
    /// `used` or `unhelpful`.
    pub verdict: String,
    /// What the card answered (the live query or the agent's question).
    pub query: String,
    pub conversation_id: Option<String>,
    pub created_at: Millis,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FeedbackCounts {
    pub item_id: String,
    pub used: u32,
    pub unhelpful: u32,
}

#[derive(Clone, Debug, Default)]
pub struct KnowledgeFilter {
    pub kind: Option<KnowledgeKind>,
    pub text: Option<String>,
    pub limit: i64,
    pub offset: i64,
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

/// A taxonomy node with how many children it has, for lazy tree browsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeWithChildren {
    pub node: TaxonomyNode,
    pub child_count: i64,
}

#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team: Option<String>,
    pub password_hash: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    pub username: String,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub conversations: i64,
    pub tickets: i64,
    pub taxonomy_nodes: i64,
    pub knowledge_items: i64,
    pub users: i64,
}

/// Called with the number of records written so far, so long imports can show progress.
pub type Progress<'a> = &'a (dyn Fn(u64) + Send + Sync);

/// Everything Seatmate keeps. Each method is one transaction: it applies whole or not at all, and
/// once it returns `Ok` the write is durable.
#[async_trait]
pub trait Store: Send + Sync {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    async fn ping(&self) -> Result<()>;

    // users, sessions, tokens
    async fn create_user(&self, user: &NewUser, now: Millis) -> Result<User>;
    async fn user_by_username(&self, username: &str) -> Result<Option<(User, String)>>;
    async fn list_users(&self) -> Result<Vec<User>>;
    async fn set_password(&self, username: &str, password_hash: &str) -> Result<()>;
    async fn create_session(&self, token_hash: &str, user_id: &str, now: Millis, expires_at: Millis) -> Result<()>;
    async fn session_user(&self, token_hash: &str, now: Millis) -> Result<Option<User>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    async fn create_api_token(&self, name: &str, user_id: &str, token_hash: &str, now: Millis) -> Result<ApiToken>;
    async fn api_token_user(&self, token_hash: &str, now: Millis) -> Result<Option<User>>;
    async fn list_api_tokens(&self) -> Result<Vec<ApiToken>>;
    async fn revoke_api_token(&self, id: &str, now: Millis) -> Result<()>;

    // teams and taxonomy
    async fn upsert_teams(&self, teams: &[Team]) -> Result<ImportCounts>;
    async fn list_teams(&self) -> Result<Vec<Team>>;
    /// Inserts or updates nodes (parents before children). A parent must exist or come earlier.
    async fn upsert_taxonomy(&self, nodes: &[TaxonomyNode], progress: Progress<'_>) -> Result<ImportCounts>;
    async fn taxonomy_children(&self, parent: Option<&str>) -> Result<Vec<NodeWithChildren>>;
    async fn taxonomy_node(&self, code: &str) -> Result<Option<TaxonomyNode>>;
    /// The node and its ancestors, root first.
    async fn taxonomy_path(&self, code: &str) -> Result<Vec<TaxonomyNode>>;
    async fn search_taxonomy(&self, text: &str, limit: i64) -> Result<Vec<TaxonomyNode>>;
    async fn taxonomy_codes(&self) -> Result<Vec<String>>;

    // conversations
    async fn import_conversations(&self, conversations: &[Conversation], progress: Progress<'_>) -> Result<ImportCounts>;
    async fn list_conversations(&self, scope: &Scope, filter: &ConversationFilter) -> Result<Page<ConversationSummary>>;
    /// `None` when it does not exist or lies outside `scope`.
    async fn conversation(&self, scope: &Scope, id: &str) -> Result<Option<Conversation>>;
    /// The id of the conversation with this external id (any source), if there is one.
    async fn conversation_id_by_external(&self, external_id: &str) -> Result<Option<String>>;
    /// Every conversation in import order, for export; `after` is the last id of the previous batch.
    async fn conversations_batch(&self, after: Option<&str>, limit: i64) -> Result<Vec<Conversation>>;

    // tickets
    /// Inserts tickets and any taxonomy nodes they need, in one transaction.
    async fn import_tickets(
        &self,
        new_nodes: &[TaxonomyNode],
        tickets: &[Ticket],
        progress: Progress<'_>,
    ) -> Result<ImportCounts>;
    async fn list_tickets(&self, scope: &Scope, filter: &TicketFilter) -> Result<Page<Ticket>>;
    async fn ticket(&self, scope: &Scope, id: &str) -> Result<Option<(Ticket, Vec<TicketEvent>)>>;

    // knowledge
    /// Inserts new items; an item whose content changed gets a new version, the old one is kept.
    async fn upsert_knowledge(&self, items: &[KnowledgeItem]) -> Result<ImportCounts>;
    async fn list_knowledge(&self, filter: &KnowledgeFilter) -> Result<Page<KnowledgeItem>>;
    async fn knowledge_item(&self, id: &str) -> Result<Option<KnowledgeItem>>;
    async fn knowledge_history(&self, id: &str) -> Result<Vec<KnowledgeItem>>;

    async fn counts(&self, scope: &Scope) -> Result<Counts>;

    // after-call work: tickets from conversations, confirmations, models, settings
    /// Inserts a ticket created in Seatmate (not imported), with a `created` event.
    async fn create_ticket(&self, ticket: &Ticket, actor: &str) -> Result<()>;
    /// Applies `changes` to a ticket in one transaction and records one event per changed field
    /// (`corrected`), or a single `confirmed` event when nothing changed; sets the status.
    async fn update_ticket(&self, id: &str, changes: &TicketChanges, actor: &str, now: Millis) -> Result<Ticket>;
    /// Texts with their confirmed or imported category, for training: the customer's turns when
    /// the ticket belongs to a conversation, else the ticket's title and body. Tickets Seatmate
    /// pre-filled count only once a person confirmed them, so the model never learns from itself.
    async fn labelled_texts(&self) -> Result<Vec<LabelledText>>;
    /// How many tickets were confirmed or corrected after `since`.
    async fn confirmations_since(&self, since: Millis) -> Result<i64>;
    async fn save_model(&self, model: &ModelRecord, data: &[u8]) -> Result<()>;
    async fn list_models(&self, kind: &str) -> Result<Vec<ModelRecord>>;
    /// The active model of a kind and its bytes.
    async fn active_model(&self, kind: &str) -> Result<Option<(ModelRecord, Vec<u8>)>>;
    /// Makes one version the active one (roll forward or back).
    async fn activate_model(&self, id: &str) -> Result<()>;
    async fn setting(&self, key: &str) -> Result<Option<String>>;
    async fn set_setting(&self, key: &str, value: &str) -> Result<()>;
    /// Dispatch rules in order, as stored JSON.
    async fn dispatch_rules(&self) -> Result<Vec<String>>;

    // --- knowledge feedback
    async fn add_knowledge_feedback(&self, feedback: &KnowledgeFeedback) -> Result<()>;
    /// Per item: how many verdicts said used and how many unhelpful.
    async fn knowledge_feedback_counts(&self) -> Result<Vec<FeedbackCounts>>;
    async fn set_dispatch_rules(&self, rules: &[String]) -> Result<()>;
}

/// What a confirmation or correction sets; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct TicketChanges {
    pub category: Option<String>,
    pub team: Option<String>,
    pub priority: Option<seatmate_core::Priority>,
    pub summary: Option<String>,
    pub status: Option<TicketStatus>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelledText {
    pub text: String,
    pub category: String,
    pub team: Option<String>,
}

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
}
