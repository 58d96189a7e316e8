//! What the desks receive while a conversation happens.

use seatmate_core::{Channel, Millis, Role, Speaker, Turn, User};
use serde::{Deserialize, Serialize};

use seatmate_signals::risk::Risk;

/// One conversation on the live wall: where it stands now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WallEntry {
    pub id: String,
    pub conversation: String,
    pub agent: Option<String>,
    pub channel: Channel,
    pub started_at: Millis,
    pub turns: u64,
    /// The latest turn.
    pub last: Option<Turn>,
    pub risk: Risk,
}

/// What the live pipeline says after a turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Signals {
    pub risk: Risk,
    /// Silence before the turn, talk-over and speech rate, when the turn has times.
    pub timing: seatmate_signals::timing::Timing,
}

/// Guidance from the knowledge base for the agent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextStep {
    pub id: String,
    pub title: String,
    /// The passage that says what to do.
    pub text: String,
}

/// Who may see an event: the conversation's agent, the leads of the agent's team, and the roles
/// that see every conversation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Audience {
    pub agent: Option<String>,
    #[serde(skip)]
    pub team: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveEvent {
    /// Seatmate's id of the conversation.
    pub id: String,
    /// The sender's id of the conversation.
    pub conversation: String,
    pub seq: u64,
    #[serde(flatten)]
    pub audience: Audience,
    #[serde(flatten)]
    pub kind: LiveEventKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveEventKind {
    Started {
        channel: Channel,
        started_at: Millis,
    },
    /// An interim transcript of turn `seq`: shown until the final turn replaces it.
    Partial {
        speaker: Speaker,
        text: String,
    },
    /// A final turn, stored as the conversation's turn `index`, with what the pipeline made of the
    /// conversation so far.
    Turn {
        index: u64,
        turn: Turn,
        signals: Signals,
    },
    Ended {
        ended_at: Millis,
    },
    /// What to do about the risk turn `seq` raised: it follows that turn's event once the
    /// knowledge base has answered (the turn's event does not wait for it).
    NextStep {
        next_step: NextStep,
    },
    /// The emotion of customer turn `index` (its turn's `seq`), and the customer's valence turn
    /// by turn so far: it follows that turn's event once the model has read it.
    Emotion {
        index: u64,
        emotion: crate::TurnEmotion,
        trajectory: Vec<crate::ValencePoint>,
        /// The escalation risk after this reading, when it changed it (the feeling rising or calming).
        risk: Option<Risk>,
    },
    /// What customer turn `index` and those before it are about (the ticket classifier's best
    /// category): it follows that turn's event.
    Intent {
        index: u64,
        intent: crate::LiveIntent,
    },
    /// The after-call work that started when the conversation ended: the pre-filled ticket and
    /// the summary. It follows the `ended` event (its `seq` is the end's).
    AfterCall {
        after_call: crate::AfterCallReady,
    },
    /// Opportunities customer turn `index` names (each once per conversation): it follows that
    /// turn's event.
    Opportunity {
        index: u64,
        opportunities: Vec<crate::Opportunity>,
    },
}

impl LiveEvent {
    /// Whether `user` may see this event: an agent their own conversations, a team lead their
    /// team's, QA inspectors, trainers and admins all.
    pub fn visible_to(&self, user: &User) -> bool {
        match user.role {
            Role::Agent => self.audience.agent.as_deref() == Some(user.username.as_str()),
            Role::TeamLead => user.team.is_some() && self.audience.team == user.team,
            Role::QaInspector | Role::Trainer | Role::Admin => true,
        }
    }
}
