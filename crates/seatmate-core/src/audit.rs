//! The audit log: who did what, when, from where. Entries are only ever added.

use serde::{Deserialize, Serialize};

use crate::{string_enum, Millis};

string_enum! {
    /// What an audit entry records.
    AuditAction {
        Login = "login",
        LoginFailed = "login_failed",
        Logout = "logout",
        ConversationRead = "conversation_read",
        Export = "export",
        Import = "import",
        UserCreated = "user_created",
        UserDeactivated = "user_deactivated",
        UserReactivated = "user_reactivated",
        PasswordChanged = "password_changed",
        TokenCreated = "token_created",
        TokenRevoked = "token_revoked",
        SettingsChanged = "settings_changed",
        ModelTrained = "model_trained",
        ModelActivated = "model_activated",
        ModelsPruned = "models_pruned",
        KnowledgeEdited = "knowledge_edited",
        IndexRebuilt = "index_rebuilt",
        CustomerErased = "customer_erased",
        RetentionApplied = "retention_applied",
        ScorecardSaved = "scorecard_saved",
        ScorecardPublished = "scorecard_published",
        ScorecardRetired = "scorecard_retired",
        InspectionReviewed = "inspection_reviewed",
        DisputeAnswered = "dispute_answered",
        CasesMined = "cases_mined",
        CaseCurated = "case_curated",
        TrainingAssigned = "training_assigned"
    }
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Position in the log (assigned by the store; 0 before it is stored).
    pub seq: i64,
    pub at: Millis,
    /// Username of who acted; `cli` for the command line, `-` when nobody logged in.
    pub actor: String,
    pub action: AuditAction,
    /// What it acted on: an id, a username, a file name.
    pub target: String,
    /// Counts and values worth keeping (never conversation text or secrets).
    pub detail: String,
    /// The client's address, or `cli`.
    pub client: String,
}
