//! The knowledge base (FAQs, articles, guided flows, each versioned) and agents' verdicts on it.

use async_trait::async_trait;
use seatmate_core::{FlowWalk, KnowledgeItem, KnowledgeKind, Millis};

use crate::{ImportCounts, Page, Result};

#[derive(Clone, Debug, Default)]
pub struct KnowledgeFilter {
    pub kind: Option<KnowledgeKind>,
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

#[async_trait]
pub trait KnowledgeStore: Send + Sync {
    /// Inserts new items; an item whose content changed gets a new version, the old one is kept.
    async fn upsert_knowledge(&self, items: &[KnowledgeItem]) -> Result<ImportCounts>;
    async fn list_knowledge(&self, filter: &KnowledgeFilter) -> Result<Page<KnowledgeItem>>;
    async fn knowledge_item(&self, id: &str) -> Result<Option<KnowledgeItem>>;
    /// Every version of an item, newest first.
    async fn knowledge_history(&self, id: &str) -> Result<Vec<KnowledgeItem>>;
    /// One vote per user per item: a user's new verdict on an item replaces their earlier one.
    async fn add_knowledge_feedback(&self, feedback: &KnowledgeFeedback) -> Result<()>;
    /// Per item: how many verdicts said used and how many unhelpful.
    async fn knowledge_feedback_counts(&self) -> Result<Vec<FeedbackCounts>>;
    /// The guided flows walked in a conversation, oldest first.
    async fn flow_walks(&self, conversation_id: &str) -> Result<Vec<FlowWalk>>;
    /// Saves a walk whose `revision` is the one it was read at (0: a new walk) and returns it
    /// stored, its revision one higher; [`crate::StoreError::Conflict`] when another save came
    /// first.
    async fn save_flow_walk(&self, walk: &FlowWalk) -> Result<FlowWalk>;
}
