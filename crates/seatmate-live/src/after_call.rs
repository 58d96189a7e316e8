//! The after-call pipeline in the live conversation: while it goes on, the ticket classifier reads
//! what the customer has said so far (the intent, an `intent` event after each customer turn); when it ends, the after-call work starts by itself — the ticket pre-filled (category,
//! dispatch, priority) and the extractive summary, published as an `after_call` event so the agent
//! finds them ready.

use std::sync::Arc;

use seatmate_aftercall::{AfterCall, Summary};
use seatmate_core::{Clock, TicketStatus};
use seatmate_store::Scope;
use serde::{Deserialize, Serialize};

/// What the after-call work made of an ended conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AfterCallReady {
    pub ticket_id: String,
    /// `open` when the category was auto-accepted, `draft` for the agent to confirm.
    pub status: TicketStatus,
    pub category: Option<String>,
    pub team: Option<String>,
    pub summary: Summary,
}

/// The ticket classifier's reading of what the customer has said so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveIntent {
    /// The best category's code.
    pub category: String,
    /// Its path from the root, as names (Chinese, then English when there is one).
    pub path: Vec<String>,
    pub probability: f32,
    /// The classifier would say "none of these" for the ticket so far.
    pub none_of_these: bool,
}

/// Where the after-call work of an ended conversation is done, and the intent of one going on
/// (the server's [`AfterCall`]).
#[async_trait::async_trait]
pub trait AfterEnd: Send + Sync {
    async fn after_end(&self, id: &str) -> Option<AfterCallReady>;
    /// The intent of `customer_so_far` (the customer's turns, one per line); `None` without a
    /// trained classifier.
    async fn intent(&self, customer_so_far: &str) -> Option<LiveIntent>;
}

/// Pre-fills the ticket and summarises the conversation with `AfterCall`.
pub struct PrefillOnEnd {
    pub after_call: Arc<AfterCall>,
    pub clock: Arc<dyn Clock>,
}

/// Who the audit trail and the ticket history name for work started by the end of a live call.
const ACTOR: &str = "live";

#[async_trait::async_trait]
impl AfterEnd for PrefillOnEnd {
    async fn after_end(&self, id: &str) -> Option<AfterCallReady> {
        match self.after_call.prefill(&Scope::All, id, ACTOR, self.clock.now_millis()).await {
            Ok(done) => Some(AfterCallReady {
                ticket_id: done.ticket.id,
                status: done.ticket.status,
                category: done.ticket.category,
                team: done.ticket.team,
                summary: done.summary,
            }),
            Err(error) => {
                tracing::warn!(%error, conversation = id, "the after-call work of an ended live conversation failed");
                None
            }
        }
    }

    async fn intent(&self, customer_so_far: &str) -> Option<LiveIntent> {
        let suggestion = self.after_call.suggest(customer_so_far).await.ok()?;
        suggestion.model_version?;
        let best = suggestion.candidates.into_iter().next()?;
        let name = |node: &seatmate_core::TaxonomyNode| match node.name_en.trim() {
            "" => node.name_zh.clone(),
            en if en == node.name_zh => en.to_string(),
            en => format!("{} {en}", node.name_zh),
        };
        Some(LiveIntent {
            category: best.category,
            path: best.path.iter().map(name).collect(),
            probability: best.probability,
            none_of_these: suggestion.none_of_these,
        })
    }
}
