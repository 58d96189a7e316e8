use serde::{Deserialize, Serialize};

use crate::{string_enum, Millis};

string_enum! {
    /// Who said a turn.
    Speaker { Agent = "agent", Customer = "customer", System = "system" }
}

string_enum! {
    /// Where a conversation happened.
    Channel { Chat = "chat", Voice = "voice", Email = "email" }
}

/// One utterance. Times are milliseconds from the start of the conversation (voice and timed chat).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Turn {
    pub speaker: Speaker,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_ms: Option<i64>,
    /// Audio for this turn, when the source keeps it per segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_ref: Option<String>,
}

/// A chat or call between a customer and an agent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conversation {
    pub id: String,
    /// The id in the system it came from; unique per `source`, so a re-import adds nothing.
    pub external_id: String,
    /// Where it came from: an import file's kind, an integration, the demo.
    pub source: String,
    pub channel: Channel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    /// Username of the Seatmate agent who handled it, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    pub started_at: Millis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Millis>,
    /// Recording of the whole call (stereo: agent and customer on separate channels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_ref: Option<String>,
    /// Source-specific extras (ratings, labels) kept as given.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub attributes: serde_json::Map<String, serde_json::Value>,
    pub turns: Vec<Turn>,
}

/// A conversation in a list: no turns, a short preview instead.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationSummary {
    pub id: String,
    pub external_id: String,
    pub source: String,
    pub channel: Channel,
    pub queue: Option<String>,
    pub agent: Option<String>,
    pub customer_id: Option<String>,
    pub language: Option<String>,
    pub started_at: Millis,
    pub ended_at: Option<Millis>,
    pub turn_count: i64,
    pub preview: String,
}

impl Conversation {
    /// The first customer turn, cut to `max_chars` characters, for lists.
    pub fn preview(&self, max_chars: usize) -> String {
        let first = self.turns.iter().find(|t| t.speaker == Speaker::Customer).or_else(|| self.turns.first());
        first.map(|t| t.text.chars().take(max_chars).collect()).unwrap_or_default()
    }

    /// What the ticket classifier reads of a conversation, in training and in prediction alike:
    /// the customer's turns, one a line (every turn when the customer said nothing).
    pub fn classifier_text(&self) -> String {
        let customer: Vec<&str> = self.turns.iter().filter(|t| t.speaker == Speaker::Customer).map(|t| t.text.trim()).collect();
        if customer.is_empty() {
            self.turns.iter().map(|t| t.text.trim()).collect::<Vec<_>>().join("\n")
        } else {
            customer.join("\n")
        }
    }

    /// All turns as one searchable text.
    pub fn full_text(&self) -> String {
        let mut text = String::new();
        for turn in &self.turns {
            text.push_str(&turn.text);
            text.push('\n');
        }
        text
    }
}
