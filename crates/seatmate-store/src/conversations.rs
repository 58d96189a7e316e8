//! Conversations and their turns.

use async_trait::async_trait;
use seatmate_core::{Channel, Conversation, ConversationSummary, Millis};

use crate::{ImportCounts, Page, Progress, Result, Scope};

#[derive(Clone, Debug, Default)]
pub struct ConversationFilter {
    /// Case-insensitive text in any turn.
    pub text: Option<String>,
    /// Other spellings of `text` (its Simplified and Traditional forms); a turn with any matches.
    pub text_spellings: Vec<String>,
    pub channel: Option<Channel>,
    pub queue: Option<String>,
    pub agent: Option<String>,
    pub started_from: Option<Millis>,
    pub started_to: Option<Millis>,
    /// Only live conversations that have not ended.
    pub ongoing: bool,
    pub limit: i64,
    pub offset: i64,
}

#[async_trait]
pub trait ConversationStore: Send + Sync {
    /// Inserts conversations not seen before (by source and external id), in one transaction.
    async fn import_conversations(&self, conversations: &[Conversation], progress: Progress<'_>) -> Result<ImportCounts>;
    async fn list_conversations(&self, scope: &Scope, filter: &ConversationFilter) -> Result<Page<ConversationSummary>>;
    /// `None` when it does not exist or lies outside `scope`.
    async fn conversation(&self, scope: &Scope, id: &str) -> Result<Option<Conversation>>;
    /// The id of the conversation with this external id (any source), if there is one.
    async fn conversation_id_by_external(&self, external_id: &str) -> Result<Option<String>>;
    /// Every conversation in id order, for export; `after` is the last id of the previous batch.
    async fn conversations_batch(&self, after: Option<&str>, limit: i64) -> Result<Vec<Conversation>>;
}
