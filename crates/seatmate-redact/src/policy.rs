//! Where masking happens: the workspace's redaction policy, and masking of whole records.

use seatmate_core::{Conversation, Role, Ticket};

/// The setting that holds the policy.
pub const POLICY_SETTING: &str = "redaction";

/// When personal data is masked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Policy {
    /// Masked before anything is stored: imports, typed summaries and feedback never keep it.
    /// The default, for new workspaces and old ones that never chose.
    #[default]
    Store,
    /// Stored as given, masked when shown to roles that are not [`Policy::sees_personal_data`].
    Display,
    /// Never masked (similar-case cards and exports still are).
    Off,
}

impl Policy {
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Store => "store",
            Policy::Display => "display",
            Policy::Off => "off",
        }
    }

    /// The policy a stored setting names; unknown or missing text is the default.
    pub fn from_setting(text: Option<&str>) -> Policy {
        match text.map(str::trim) {
            Some("display") => Policy::Display,
            Some("off") => Policy::Off,
            _ => Policy::Store,
        }
    }

    pub fn parse(text: &str) -> Option<Policy> {
        [Policy::Store, Policy::Display, Policy::Off].into_iter().find(|p| p.as_str() == text.trim())
    }

    /// Whether text is masked before it is stored.
    pub fn masks_on_store(self) -> bool {
        self == Policy::Store
    }

    /// Whether `role` is shown text masked (under [`Policy::Display`]; under `Store` it already is).
    pub fn masks_for(self, role: Role) -> bool {
        self == Policy::Display && !Policy::sees_personal_data(role)
    }

    /// Roles that read personal data under [`Policy::Display`]: admins and quality inspectors.
    pub fn sees_personal_data(role: Role) -> bool {
        matches!(role, Role::Admin | Role::QaInspector)
    }
}

/// Masks every turn of a conversation.
pub fn mask_conversation(conversation: &mut Conversation) {
    for turn in &mut conversation.turns {
        turn.text = crate::mask(&turn.text);
    }
}

/// Masks a ticket's title, body and summary.
pub fn mask_ticket(ticket: &mut Ticket) {
    for text in [&mut ticket.title, &mut ticket.body, &mut ticket.summary] {
        *text = crate::mask(text);
    }
}
