//! The live protocol's messages: what a CTI/ASR pipeline or a chat system pushes while a
//! conversation happens, and what Seatmate answers (docs/live-protocol.md).
//!
//! Every message names its conversation by the sender's id and carries the conversation's
//! sequence number: `start` is 1, each final turn and the `end` take the next one. A message whose
//! number was already applied is a duplicate and changes nothing; one that skips a number is
//! refused with the number expected, so a client that reconnects resends from its last
//! acknowledgement and nothing is lost or repeated. A `partial` (an interim transcript) carries
//! the number its final turn will have; it is shown, never stored, and the final turn replaces it.

use serde::{Deserialize, Serialize};

use crate::{Channel, Millis, Speaker};

/// One message from an integration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveMessage {
    /// A conversation begins (sequence number 1).
    Start(LiveStart),
    /// An interim transcript of the turn that will have `seq`.
    Partial(LivePartial),
    /// A final turn.
    Turn(LiveTurn),
    /// The conversation is over.
    End(LiveEnd),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LiveStart {
    pub conversation: String,
    pub seq: u64,
    pub channel: Channel,
    /// The handling agent's username: their desk shows the conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// When it began, in milliseconds since the epoch; the time it arrived when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Millis>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LivePartial {
    pub conversation: String,
    pub seq: u64,
    pub speaker: Speaker,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LiveTurn {
    pub conversation: String,
    pub seq: u64,
    pub speaker: Speaker,
    pub text: String,
    /// Milliseconds from the start of the conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_ms: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LiveEnd {
    pub conversation: String,
    pub seq: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Millis>,
}

impl LiveMessage {
    pub fn conversation(&self) -> &str {
        match self {
            LiveMessage::Start(m) => &m.conversation,
            LiveMessage::Partial(m) => &m.conversation,
            LiveMessage::Turn(m) => &m.conversation,
            LiveMessage::End(m) => &m.conversation,
        }
    }

    pub fn seq(&self) -> u64 {
        match self {
            LiveMessage::Start(m) => m.seq,
            LiveMessage::Partial(m) => m.seq,
            LiveMessage::Turn(m) => m.seq,
            LiveMessage::End(m) => m.seq,
        }
    }
}

/// Seatmate's answer to one message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveReply {
    /// The message is applied and durable (or was already: `duplicate`). Partials get no reply.
    Ack {
        conversation: String,
        seq: u64,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        duplicate: bool,
    },
    /// The message was refused; the session goes on. `expected` is the sequence number to send
    /// next when the refusal is a gap.
    Error {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        conversation: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seq: Option<u64>,
        /// The field at fault (`seq`, `turns`, `speaker`…), when one is.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
        code: String,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expected: Option<u64>,
    },
}

/// Where a live conversation stands, for a client that resumes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveState {
    pub conversation: String,
    /// Seatmate's id of the conversation.
    pub id: String,
    /// The last sequence number applied: resend from the next one.
    pub last_seq: u64,
    pub ended: bool,
}
