use serde::{Deserialize, Serialize};

use crate::string_enum;

string_enum! {
    /// What a user may see and do.
    Role { Agent = "agent", TeamLead = "team_lead", QaInspector = "qa_inspector", Trainer = "trainer", Admin = "admin" }
}

impl Role {
    /// Roles that read every conversation (agents see their own, team leads their team's).
    pub fn reads_all_conversations(self) -> bool {
        matches!(self, Role::QaInspector | Role::Trainer | Role::Admin)
    }
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
