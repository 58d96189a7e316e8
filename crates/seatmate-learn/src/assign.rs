//! Assignments follow each agent's weakness profile: for every item an agent fails significantly
//! more often than the team, the trainer is offered a case that teaches it (one tagged with the
//! item, else one whose conversation failed it), and accepts, changes or dismisses the offer.
//! Progress: an agent's sessions and scores over time, and the items still weak.

use std::collections::HashSet;

use seatmate_core::{Role, User};
use seatmate_store::{Assignment, CaseFilter, Scope};
use serde::{Deserialize, Serialize};

use crate::{Coach, LearnError, Result};

/// One finished session, for the progress chart.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionPoint {
    pub id: String,
    pub case_id: String,
    pub ended_at: i64,
    pub score: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub agent: String,
    pub sessions: Vec<SessionPoint>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub assignments: Vec<Assignment>,
    /// Items the agent still fails significantly more often than the team, as `scorecard/item: name`.
    pub weak_items: Vec<String>,
}

impl Coach {
    /// Offers a case for every weak item of every agent that has no open assignment for it yet;
    /// the offers made now.
    pub async fn suggest_assignments(&self, trainer: &User) -> Result<Vec<Assignment>> {
        let agents: Vec<User> =
            self.store.list_users().await?.into_iter().filter(|u| u.role == Role::Agent && u.active).collect();
        let existing = self.store.assignments(&Scope::All, None).await?;
        let open: HashSet<(String, String)> = existing
            .iter()
            .filter(|a| matches!(a.status.as_str(), "suggested" | "assigned"))
            .filter_map(|a| a.item_id.clone().map(|item| (a.agent.clone(), item)))
            .collect();
        let now = self.clock.now_millis();
        let mut made = Vec::new();
        for agent in agents {
            let profile = self.inspector.weakness(trainer, Some(&agent.username), None).await?;
            for item in profile.items.iter().filter(|i| i.weak) {
                let key = format!("{}/{}", item.scorecard_id, item.item_id);
                if open.contains(&(agent.username.clone(), key.clone())) {
                    continue;
                }
                let Some(case_id) = self.case_for(&item.item_id).await? else { continue };
                let assignment = Assignment {
                    id: uuid::Uuid::new_v4().to_string(),
                    agent: agent.username.clone(),
                    case_id,
                    item_id: Some(key),
                    reason: format!(
                        "{}: fails {:.0}% of {} conversations, the team {:.0}% (p = {:.3})",
                        item.name,
                        item.fail_rate * 100.0,
                        item.applicable,
                        item.peer_fail_rate * 100.0,
                        item.p_value.unwrap_or(1.0)
                    ),
                    status: "suggested".into(),
                    created_by: trainer.username.clone(),
                    created_at: now,
                    updated_at: now,
                };
                self.store.save_assignment(&assignment).await?;
                made.push(assignment);
            }
        }
        Ok(made)
    }

    /// A case that teaches `item`: an accepted one tagged with it, else the strongest exemplary
    /// or problem case whose conversation failed it, else none.
    async fn case_for(&self, item: &str) -> Result<Option<String>> {
        let tagged =
            CaseFilter { status: Some("accepted".into()), item: Some(item.to_string()), limit: 1, ..CaseFilter::default() };
        if let Some(case) = self.store.cases(&tagged).await?.items.into_iter().next() {
            return Ok(Some(case.id));
        }
        let all = self.store.cases(&CaseFilter { limit: 500, ..CaseFilter::default() }).await?;
        Ok(all
            .items
            .into_iter()
            .filter(|c| c.status != "rejected")
            .find(|c| {
                c.items.iter().any(|i| i == item)
                    || c.mined["features"]["failed_items"].as_array().is_some_and(|f| f.iter().any(|i| i == item))
            })
            .map(|c| c.id))
    }

    /// Assigns a case to an agent (a trainer's own choice, or an offer accepted with changes).
    pub async fn assign(
        &self,
        trainer: &User,
        agent: &str,
        case_id: &str,
        item_id: Option<String>,
        reason: &str,
    ) -> Result<Assignment> {
        let known = self.store.list_users().await?.into_iter().any(|u| u.username == agent);
        if !known {
            return Err(LearnError::InvalidInput(format!("agent: no user {agent:?}")));
        }
        if self.store.case(case_id).await?.is_none() {
            return Err(LearnError::InvalidInput(format!("case_id: no case {case_id:?}")));
        }
        let now = self.clock.now_millis();
        let assignment = Assignment {
            id: uuid::Uuid::new_v4().to_string(),
            agent: agent.to_string(),
            case_id: case_id.to_string(),
            item_id,
            reason: reason.trim().to_string(),
            status: "assigned".into(),
            created_by: trainer.username.clone(),
            created_at: now,
            updated_at: now,
        };
        self.store.save_assignment(&assignment).await?;
        Ok(assignment)
    }

    /// Moves an assignment on: a trainer accepts an offer (`assigned`), changes its case, or
    /// dismisses it; `done` is set by the session that plays it.
    pub async fn update_assignment(&self, id: &str, status: &str, case_id: Option<&str>) -> Result<Assignment> {
        if !matches!(status, "assigned" | "dismissed" | "suggested") {
            return Err(LearnError::InvalidInput(format!("status must be assigned, dismissed or suggested, not {status:?}")));
        }
        let mut assignment = self.store.assignment(id).await?.ok_or_else(|| LearnError::NotFound(format!("assignment {id}")))?;
        if let Some(case_id) = case_id {
            if self.store.case(case_id).await?.is_none() {
                return Err(LearnError::InvalidInput(format!("case_id: no case {case_id:?}")));
            }
            assignment.case_id = case_id.to_string();
        }
        assignment.status = status.to_string();
        assignment.updated_at = self.clock.now_millis();
        self.store.save_assignment(&assignment).await?;
        Ok(assignment)
    }

    /// Assignments the viewer may see (an agent their own; a team lead the team's).
    pub async fn assignments(&self, viewer: &User, status: Option<&str>) -> Result<Vec<Assignment>> {
        Ok(self.store.assignments(&Scope::for_user(viewer), status).await?)
    }

    /// An agent's training progress (the viewer's own when no agent is named). An agent sees only
    /// their own; a team lead their team's.
    pub async fn progress(&self, viewer: &User, agent: Option<&str>) -> Result<Progress> {
        let agent = match viewer.role {
            Role::Agent => viewer.username.clone(),
            _ => agent.map_or_else(|| viewer.username.clone(), str::to_string),
        };
        let profile = self.inspector.weakness(viewer, Some(&agent), None).await?;
        let scope = Scope::for_user(viewer);
        let mut sessions: Vec<SessionPoint> = self
            .store
            .sessions(&scope, Some(&agent), 500)
            .await?
            .into_iter()
            .filter_map(|s| Some(SessionPoint { id: s.id, case_id: s.case_id, ended_at: s.ended_at?, score: s.score? }))
            .collect();
        sessions.sort_by_key(|s| s.ended_at);
        let assignments = self.store.assignments(&scope, None).await?.into_iter().filter(|a| a.agent == agent).collect();
        let weak_items =
            profile.items.iter().filter(|i| i.weak).map(|i| format!("{}/{}: {}", i.scorecard_id, i.item_id, i.name)).collect();
        Ok(Progress { agent, sessions, assignments, weak_items })
    }
}
