//! Learning: the case library mined from the history with the trainers' curation, training
//! assignments, and the trainees' role-play sessions.

use async_trait::async_trait;
use seatmate_core::Millis;

use crate::{Page, Result, Scope};

/// A mined case and what a trainer made of it. Its id is the conversation's.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StoredCase {
    pub id: String,
    /// `exemplary` or `problem`.
    pub kind: String,
    pub category: Option<String>,
    /// How clear an example it is (the library lists the clearest first).
    pub strength: f64,
    pub cluster_size: i64,
    /// What mining found (reasons, features, the cluster's other members), as JSON.
    pub mined: serde_json::Value,
    pub mined_at: Millis,
    /// `suggested` (mined, not yet looked at), `accepted` or `rejected`.
    pub status: String,
    /// The scorecard items it teaches.
    pub items: Vec<String>,
    pub teaching_point: String,
    pub curated_by: Option<String>,
    pub curated_at: Option<Millis>,
}

#[derive(Clone, Debug, Default)]
pub struct CaseFilter {
    pub status: Option<String>,
    pub kind: Option<String>,
    pub category: Option<String>,
    /// Cases tagged with this scorecard item.
    pub item: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// A trainer's curation of a case.
#[derive(Clone, Debug, PartialEq)]
pub struct Curation {
    pub status: String,
    pub items: Vec<String>,
    pub teaching_point: String,
    pub by: String,
    pub at: Millis,
}

/// A case assigned (or suggested) to an agent for practice.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Assignment {
    pub id: String,
    pub agent: String,
    pub case_id: String,
    /// The scorecard item the agent is weak on that this practice targets.
    pub item_id: Option<String>,
    pub reason: String,
    /// `suggested`, `assigned`, `done` or `dismissed`.
    pub status: String,
    pub created_by: String,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// A trainee's role-play session: the turns so far and their feedback (`state`, JSON), the
/// score when it ended. `turn_count` guards against lost updates (see [`LearningStore::save_session`]).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainingSession {
    pub id: String,
    pub trainee: String,
    pub case_id: String,
    pub assignment_id: Option<String>,
    pub started_at: Millis,
    pub ended_at: Option<Millis>,
    pub turn_count: i64,
    pub score: Option<f64>,
    pub state: serde_json::Value,
}

#[async_trait]
pub trait LearningStore: Send + Sync {
    /// Keeps the cases of a mining run: new ones are added as `suggested`, known ones get the new
    /// findings with their curation untouched, and suggested cases this run no longer found go.
    /// How many cases the library holds afterwards.
    async fn save_mined_cases(&self, cases: &[StoredCase], run_at: Millis) -> Result<i64>;
    async fn cases(&self, filter: &CaseFilter) -> Result<Page<StoredCase>>;
    async fn case(&self, id: &str) -> Result<Option<StoredCase>>;
    /// NotFound when there is no such case.
    async fn curate_case(&self, id: &str, curation: &Curation) -> Result<StoredCase>;
    /// Adds or replaces an assignment (by id).
    async fn save_assignment(&self, assignment: &Assignment) -> Result<()>;
    /// Assignments of the agents in `scope`, newest first.
    async fn assignments(&self, scope: &Scope, status: Option<&str>) -> Result<Vec<Assignment>>;
    async fn assignment(&self, id: &str) -> Result<Option<Assignment>>;
    /// Stores a session. A new one (`previous_turns` None) is inserted; an existing one is
    /// replaced only if its stored `turn_count` is still `previous_turns` — else Conflict, so two
    /// tabs answering at once cannot overwrite each other's turn.
    async fn save_session(&self, session: &TrainingSession, previous_turns: Option<i64>) -> Result<()>;
    async fn session(&self, id: &str) -> Result<Option<TrainingSession>>;
    /// Sessions of the trainees in `scope` (of one trainee when given), newest first.
    async fn sessions(&self, scope: &Scope, trainee: Option<&str>, limit: i64) -> Result<Vec<TrainingSession>>;
}
