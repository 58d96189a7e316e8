//! Seatmate's domain: conversations, tickets, taxonomy, knowledge, users.
//!
//! Plain data and small invariants only. This crate knows nothing of storage, HTTP, files or the
//! wall clock: times are passed in as milliseconds since the Unix epoch.

mod audit;
mod conversation;
mod error;
mod knowledge;
mod live;
mod taxonomy;
mod ticket;
mod user;

pub use audit::{AuditAction, AuditEntry};
pub use conversation::{Channel, Conversation, ConversationSummary, Speaker, Turn};
pub use error::{ErrorKind, ParseEnumError};
pub use knowledge::{
    FlowOption, FlowStep, FlowStepKind, FlowWalk, GuidedFlow, KnowledgeBody, KnowledgeItem, KnowledgeKind, WalkedStep,
};
pub use live::{LiveEnd, LiveMessage, LivePartial, LiveReply, LiveStart, LiveState, LiveTurn};
pub use taxonomy::{TaxonomyNode, PATH_SEPARATOR};
pub use ticket::{Priority, Ticket, TicketEvent, TicketStatus, SEATMATE_SOURCE};
pub use user::{username_key, Role, Team, TokenScope, User};

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

/// The clock, as a parameter: library code asks this instead of the system.
pub trait Clock: Send + Sync {
    fn now_millis(&self) -> Millis;
}

/// Declares a string-backed enum with `as_str`, `FromStr`, `Display` and serde as the same lowercase
/// names, so the wire, the database and the CLI agree on one spelling.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        // every text is its variant in snake_case (a test checks); said at the container too,
        // because schema derives cannot read a rename that a macro passes in
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::ParseEnumError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let lower = s.trim().to_ascii_lowercase();
                match lower.as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::ParseEnumError {
                        what: stringify!($name),
                        value: s.to_string(),
                        expected: &[$($text),+],
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use string_enum;

#[cfg(test)]
mod tests {
    use super::*;

    fn snake_case(name: &str) -> String {
        let mut out = String::new();
        for (i, c) in name.chars().enumerate() {
            if c.is_uppercase() && i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        }
        out
    }

    fn check<T: std::fmt::Debug + serde::Serialize>(all: &[T], text: impl Fn(&T) -> &'static str) {
        for value in all {
            let debug = format!("{value:?}");
            assert_eq!(text(value), snake_case(&debug), "{debug}");
            assert_eq!(serde_json::to_value(value).ok(), Some(serde_json::json!(text(value))), "{debug}");
        }
    }

    #[test]
    fn every_enum_text_is_its_variant_in_snake_case() {
        check(Speaker::ALL, |v| v.as_str());
        check(Channel::ALL, |v| v.as_str());
        check(Role::ALL, |v| v.as_str());
        check(Priority::ALL, |v| v.as_str());
        check(TicketStatus::ALL, |v| v.as_str());
        check(KnowledgeKind::ALL, |v| v.as_str());
        check(FlowStepKind::ALL, |v| v.as_str());
        check(TokenScope::ALL, |v| v.as_str());
        check(AuditAction::ALL, |v| v.as_str());
    }
}
