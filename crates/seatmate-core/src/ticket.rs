use serde::{Deserialize, Serialize};

use crate::{string_enum, Millis};

string_enum! {
    /// How soon a ticket needs handling.
    Priority { Low = "low", Normal = "normal", High = "high", Urgent = "urgent" }
}

string_enum! {
    /// Where a ticket is in its life.
    TicketStatus { Draft = "draft", Open = "open", Confirmed = "confirmed", Closed = "closed" }
}

/// After-call work: what the conversation was about and who handles it next.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ticket {
    pub id: String,
    pub external_id: String,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
    pub title: String,
    pub body: String,
    /// Code of the taxonomy node (a leaf or an inner node).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Code of the dispatch team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    pub priority: Priority,
    #[serde(default)]
    pub summary: String,
    pub status: TicketStatus,
    pub created_at: Millis,
    pub updated_at: Millis,
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub attributes: serde_json::Map<String, serde_json::Value>,
}

/// The `source` of tickets Seatmate pre-filled itself (rather than imported from history).
pub const SEATMATE_SOURCE: &str = "seatmate";

impl Ticket {
    /// Whether the ticket records how its conversation was resolved: a person confirmed or closed
    /// it, or it came from the contact centre's own history. Only such tickets teach the
    /// classifier and count as solved cases; Seatmate's own unconfirmed pre-fills never do.
    pub fn is_resolved(&self) -> bool {
        self.category.is_some()
            && (self.source != SEATMATE_SOURCE || matches!(self.status, TicketStatus::Confirmed | TicketStatus::Closed))
    }

    /// What the classifier reads of a ticket without a conversation: title and body.
    pub fn classifier_text(&self) -> String {
        format!("{}\n{}", self.title.trim(), self.body.trim()).trim().to_string()
    }
}

/// One change to a ticket: who confirmed or corrected which field, when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketEvent {
    pub ticket_id: String,
    pub at: Millis,
    pub actor: String,
    /// created, confirmed, corrected, summary_added (a summary written where there was none), status.
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_value: Option<String>,
}
