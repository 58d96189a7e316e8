//! Live conversations, written message by message with their sequence numbers
//! (docs/live-protocol.md).

use async_trait::async_trait;
use seatmate_core::{Conversation, Millis, Turn};

use crate::Result;

/// What one live message writes.
#[derive(Clone, Debug)]
pub enum LiveWrite<'a> {
    /// A new conversation (without turns), at sequence number 1.
    Start(&'a Conversation),
    /// A final turn, appended.
    Turn(&'a Turn),
    End {
        ended_at: Millis,
    },
}

/// What became of a live write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveOutcome {
    /// Applied and durable; for a turn, its index in the conversation.
    Applied { turn_index: Option<u64> },
    /// This sequence number was applied before: nothing changed.
    Duplicate,
    /// The number is not the next one: this is (`0` when the conversation was never started).
    Expected(u64),
    /// The conversation has ended; it takes no more turns.
    Ended,
}

#[async_trait]
pub trait LiveStore: Send + Sync {
    /// Applies `write` as message `seq` of conversation `id` if, and only if, `seq` is the next
    /// number — in one transaction, so concurrent senders and replays cannot apply it twice.
    async fn live_write(&self, id: &str, seq: u64, write: LiveWrite<'_>) -> Result<LiveOutcome>;
    /// The last sequence number applied to conversation `id` and whether it ended; `None` when it
    /// is not a live conversation.
    async fn live_state(&self, id: &str) -> Result<Option<(u64, bool)>>;
}
