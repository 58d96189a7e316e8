//! When a live conversation ends, its after-call work starts by itself: the ticket pre-filled
//! (category, dispatch, priority) and the extractive summary, published to the desks as an
//! `after_call` event so the agent finds them ready.

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

/// Where the after-call work of an ended conversation is done (the server's [`AfterCall`]).
#[async_trait::async_trait]
pub trait AfterEnd: Send + Sync {
    async fn after_end(&self, id: &str) -> Option<AfterCallReady>;
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
}
