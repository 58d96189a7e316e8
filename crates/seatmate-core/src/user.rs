use serde::{Deserialize, Serialize};

use crate::string_enum;

string_enum! {
    /// What a user may see and do.
    Role { Agent = "agent", TeamLead = "team_lead", QaInspector = "qa_inspector", Trainer = "trainer", Admin = "admin" }
}

string_enum! {
    /// What an API token may do: `read` only reads (GET), `write` does all its user may.
    TokenScope { Read = "read", Write = "write" }
}

impl Role {
    /// Roles that read every conversation (agents see their own, team leads their team's).
    pub fn reads_all_conversations(self) -> bool {
        matches!(self, Role::QaInspector | Role::Trainer | Role::Admin)
    }
}

/// The form of a username that must be unique: NFKC (full-width → half-width) and lower case, so
/// `ＡＤＭＩＮ`, `Admin` and `admin` are one user.
pub fn username_key(username: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    username.trim().nfkc().collect::<String>().to_lowercase()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    pub active: bool,
}

/// A group of people: an agent team led by a team lead, or a dispatch team tickets are sent to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    pub code: String,
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    /// True for teams tickets can be dispatched to.
    pub dispatch: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_that_look_alike_have_one_key() {
        assert_eq!(username_key("ＡＤＭＩＮ"), "admin");
        assert_eq!(username_key(" Admin "), "admin");
        assert_eq!(username_key("张伟"), "张伟");
        assert_ne!(username_key("admin1"), username_key("admin"));
    }
}
