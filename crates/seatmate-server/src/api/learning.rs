//! Learning: the case library (mining, curation), assignments that follow weak spots, and
//! role-play training sessions with the simulated customer.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use seatmate_core::{AuditAction, Millis, Role};
use seatmate_learn::{CaseView, CaseVoice, LearnError, MineReport, Progress, SessionView};
use seatmate_store::{Assignment, CaseFilter, StoredCase};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiResult, Items, PageOf};
use crate::audit::{self, Client};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::AppState;

impl From<LearnError> for ApiError {
    fn from(error: LearnError) -> ApiError {
        match error {
            LearnError::Store(e) => e.into(),
            LearnError::Inspect(e) => e.into(),
            other => ApiError::from_kind(other.kind(), other.to_string(), "learn"),
        }
    }
}

/// A case of the library, without its conversation.
#[derive(Serialize, ToSchema)]
pub struct CaseEntry {
    /// The conversation's id.
    pub id: String,
    /// `exemplary` or `problem`.
    pub kind: String,
    pub category: Option<String>,
    pub strength: f64,
    /// Near-duplicates it stands for (itself included).
    pub cluster_size: i64,
    /// Why it was mined (`turned_around`, `high_score`, `escalated`, `low_score`,
    /// `critical_failure`, `left_angry`), its features and its cluster's other members.
    #[schema(value_type = Object)]
    pub mined: serde_json::Value,
    pub mined_at: Millis,
    /// `suggested`, `accepted` or `rejected`.
    pub status: String,
    /// Scorecard items it teaches.
    pub items: Vec<String>,
    pub teaching_point: String,
    pub curated_by: Option<String>,
    pub curated_at: Option<Millis>,
}

impl From<StoredCase> for CaseEntry {
    fn from(c: StoredCase) -> Self {
        CaseEntry {
            id: c.id,
            kind: c.kind,
            category: c.category,
            strength: c.strength,
            cluster_size: c.cluster_size,
            mined: c.mined,
            mined_at: c.mined_at,
            status: c.status,
            items: c.items,
            teaching_point: c.teaching_point,
            curated_by: c.curated_by,
            curated_at: c.curated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AssignmentView {
    pub id: String,
    pub agent: String,
    pub case_id: String,
    /// `scorecard/item` it targets.
    pub item_id: Option<String>,
    pub reason: String,
    /// `suggested`, `assigned`, `done` or `dismissed`.
    pub status: String,
    pub created_by: String,
    pub created_at: Millis,
    pub updated_at: Millis,
}

impl From<Assignment> for AssignmentView {
    fn from(a: Assignment) -> Self {
        AssignmentView {
            id: a.id,
            agent: a.agent,
            case_id: a.case_id,
            item_id: a.item_id,
            reason: a.reason,
            status: a.status,
            created_by: a.created_by,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

fn is_agent(user: &CurrentUser) -> bool {
    user.0.role == Role::Agent
}

/// Mines the history for teaching cases: exemplary ones (the customer arrived upset and left
/// calm; a high score) and problem ones (escalation, a low score, a critical failure),
/// near-duplicates clustered. Curation is kept.
#[utoipa::path(post, path = "/learning/cases/mine", tag = "learning", responses((status = 200, body = MineReport)))]
pub async fn mine_cases(State(state): State<AppState>, user: CurrentUser, client: Client) -> ApiResult<MineReport> {
    let _permit = state.limits.cpu.admit().await?;
    let report = state.coach.mine().await?;
    audit::record(&state, &user.0.username, &client, AuditAction::CasesMined, "cases", &format!("{} cases", report.cases))
        .await?;
    Ok(Json(report))
}

#[derive(Deserialize, IntoParams)]
pub struct CaseQuery {
    /// `suggested`, `accepted` or `rejected` (agents see accepted ones only).
    pub status: Option<String>,
    /// `exemplary` or `problem`.
    pub kind: Option<String>,
    pub category: Option<String>,
    /// Cases tagged with this scorecard item.
    pub item: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The case library, clearest cases first.
#[utoipa::path(get, path = "/learning/cases", tag = "learning", params(CaseQuery), responses((status = 200, body = PageOf<CaseEntry>)))]
pub async fn list_cases(
    State(state): State<AppState>,
    user: CurrentUser,
    query: Result<Query<CaseQuery>, QueryRejection>,
) -> ApiResult<PageOf<CaseEntry>> {
    let Query(q) = query?;
    let status = if is_agent(&user) { Some("accepted".to_string()) } else { q.status };
    let filter = CaseFilter {
        status,
        kind: q.kind,
        category: q.category,
        item: q.item,
        limit: q.limit.unwrap_or(50),
        offset: q.offset.unwrap_or(0),
    };
    let page = state.coach.cases(&filter).await?;
    Ok(Json(PageOf { items: page.items.into_iter().map(CaseEntry::from).collect(), total: page.total }))
}

/// One case with its conversation (personal data masked). Agents see accepted cases only.
#[utoipa::path(get, path = "/learning/cases/{id}", tag = "learning", params(("id" = String, Path)),
    responses((status = 200, body = CaseView)))]
pub async fn get_case(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<CaseView> {
    let view = state.coach.case(&id).await?;
    if is_agent(&user) && view.case.status != "accepted" {
        return Err(ApiError::not_found(format!("case {id}")));
    }
    Ok(Json(view))
}

/// Agents reach only accepted cases; the others every case.
async fn check_case_access(state: &AppState, user: &CurrentUser, id: &str) -> Result<(), ApiError> {
    if is_agent(user) {
        let accepted = state.coach.cases_status(id).await?.is_some_and(|s| s == "accepted");
        if !accepted {
            return Err(ApiError::not_found(format!("case {id}")));
        }
    }
    Ok(())
}

/// The case's recording (the WAV its conversation's `audio_ref` names under the audio directory).
#[utoipa::path(get, path = "/learning/cases/{id}/audio", tag = "learning", params(("id" = String, Path)),
    responses((status = 200, content_type = "audio/wav", body = Vec<u8>)))]
pub async fn case_audio(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Response, ApiError> {
    check_case_access(&state, &user, &id).await?;
    let bytes = state.coach.case_audio(&id).await?;
    Ok(([(header::CONTENT_TYPE, "audio/wav"), (header::CACHE_CONTROL, "private, max-age=300")], bytes).into_response())
}

/// What the case's recording shows: speech on each side, silences, talk-over, pitch and energy
/// contours, each timed turn's speech rate.
#[utoipa::path(get, path = "/learning/cases/{id}/voice", tag = "learning", params(("id" = String, Path)),
    responses((status = 200, body = CaseVoice)))]
pub async fn case_voice(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<CaseVoice> {
    check_case_access(&state, &user, &id).await?;
    let _permit = state.limits.cpu.admit().await?;
    Ok(Json(state.coach.case_voice(&id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CurationBody {
    /// `accepted`, `rejected` or `suggested`.
    pub status: String,
    /// Scorecard item ids it teaches.
    #[serde(default)]
    pub items: Vec<String>,
    #[serde(default)]
    pub teaching_point: String,
}

/// A trainer's verdict on a case: accept or reject it, tag it with scorecard items, write the
/// teaching point.
#[utoipa::path(post, path = "/learning/cases/{id}/curation", tag = "learning", params(("id" = String, Path)),
    request_body = CurationBody, responses((status = 200, body = CaseEntry)))]
pub async fn curate_case(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    Path(id): Path<String>,
    body: Result<Json<CurationBody>, JsonRejection>,
) -> ApiResult<CaseEntry> {
    let Json(body) = body?;
    let case = state.coach.curate(&id, &body.status, body.items, &body.teaching_point, &user.0.username).await?;
    audit::record(&state, &user.0.username, &client, AuditAction::CaseCurated, &id, &case.status).await?;
    Ok(Json(case.into()))
}

#[derive(Deserialize, IntoParams)]
pub struct AssignmentQuery {
    /// `suggested`, `assigned`, `done` or `dismissed`.
    pub status: Option<String>,
}

/// Assignments: an agent's own, a team lead's team's, everyone's for trainers.
#[utoipa::path(get, path = "/learning/assignments", tag = "learning", params(AssignmentQuery),
    responses((status = 200, body = Items<AssignmentView>)))]
pub async fn list_assignments(
    State(state): State<AppState>,
    user: CurrentUser,
    query: Result<Query<AssignmentQuery>, QueryRejection>,
) -> ApiResult<Items<AssignmentView>> {
    let Query(q) = query?;
    let items = state.coach.assignments(&user.0, q.status.as_deref()).await?;
    Ok(Json(Items { items: items.into_iter().map(AssignmentView::from).collect() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    pub agent: String,
    pub case_id: String,
    /// `scorecard/item` it targets.
    #[serde(default)]
    pub item_id: Option<String>,
    #[serde(default)]
    pub reason: String,
}

/// Assigns a case to an agent (trainers and admins).
#[utoipa::path(post, path = "/learning/assignments", tag = "learning", request_body = AssignBody,
    responses((status = 200, body = AssignmentView)))]
pub async fn create_assignment(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    body: Result<Json<AssignBody>, JsonRejection>,
) -> ApiResult<AssignmentView> {
    if !matches!(user.0.role, Role::Trainer | Role::Admin) {
        return Err(ApiError::forbidden());
    }
    let Json(body) = body?;
    let made = state.coach.assign(&user.0, &body.agent, &body.case_id, body.item_id, &body.reason).await?;
    audit::record(&state, &user.0.username, &client, AuditAction::TrainingAssigned, &made.id, &made.agent).await?;
    Ok(Json(made.into()))
}

/// Offers a case for every item an agent fails significantly more often than the team (from
/// the weakness profiles), unless an open assignment already targets it. The offers made now.
#[utoipa::path(post, path = "/learning/assignments/suggest", tag = "learning",
    responses((status = 200, body = Items<AssignmentView>)))]
pub async fn suggest_assignments(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Items<AssignmentView>> {
    let made = state.coach.suggest_assignments(&user.0).await?;
    Ok(Json(Items { items: made.into_iter().map(AssignmentView::from).collect() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentUpdate {
    /// `assigned` (accept an offer), `dismissed` or `suggested`.
    pub status: String,
    /// Another case instead of the one offered.
    #[serde(default)]
    pub case_id: Option<String>,
}

/// Accepts, changes or dismisses an assignment.
#[utoipa::path(post, path = "/learning/assignments/{id}", tag = "learning", params(("id" = String, Path)),
    request_body = AssignmentUpdate, responses((status = 200, body = AssignmentView)))]
pub async fn update_assignment(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    Path(id): Path<String>,
    body: Result<Json<AssignmentUpdate>, JsonRejection>,
) -> ApiResult<AssignmentView> {
    let Json(body) = body?;
    let updated = state.coach.update_assignment(&id, &body.status, body.case_id.as_deref()).await?;
    audit::record(&state, &user.0.username, &client, AuditAction::TrainingAssigned, &updated.id, &updated.status).await?;
    Ok(Json(updated.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartSession {
    pub case_id: String,
    #[serde(default)]
    pub assignment_id: Option<String>,
}

/// Starts a role-play: Seatmate plays the case's customer and opens with their real words.
#[utoipa::path(post, path = "/learning/sessions", tag = "learning", request_body = StartSession,
    responses((status = 200, body = SessionView)))]
pub async fn start_session(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Result<Json<StartSession>, JsonRejection>,
) -> ApiResult<SessionView> {
    let Json(body) = body?;
    let _permit = state.limits.cpu.admit().await?;
    Ok(Json(state.coach.start_session(&user.0, &body.case_id, body.assignment_id.as_deref()).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct SessionQuery {
    /// One trainee's sessions.
    pub trainee: Option<String>,
}

/// Training sessions the caller may see, newest first.
#[utoipa::path(get, path = "/learning/sessions", tag = "learning", params(SessionQuery),
    responses((status = 200, body = Items<SessionView>)))]
pub async fn list_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
    query: Result<Query<SessionQuery>, QueryRejection>,
) -> ApiResult<Items<SessionView>> {
    let Query(q) = query?;
    Ok(Json(Items { items: state.coach.sessions(&user.0, q.trainee.as_deref().filter(|t| !t.is_empty())).await? }))
}

#[utoipa::path(get, path = "/learning/sessions/{id}", tag = "learning", params(("id" = String, Path)),
    responses((status = 200, body = SessionView)))]
pub async fn get_session(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<SessionView> {
    Ok(Json(state.coach.session(&user.0, &id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TraineeSays {
    pub text: String,
}

/// The trainee's turn: feedback on it, and the simulated customer's answer. A session that
/// changed meanwhile (another tab) answers 409.
#[utoipa::path(post, path = "/learning/sessions/{id}/turns", tag = "learning", params(("id" = String, Path)),
    request_body = TraineeSays, responses((status = 200, body = SessionView)))]
pub async fn session_turn(
    State(state): State<AppState>,
    user: CurrentUser,
    path: Result<Path<String>, PathRejection>,
    body: Result<Json<TraineeSays>, JsonRejection>,
) -> ApiResult<SessionView> {
    let Path(id) = path?;
    let Json(body) = body?;
    let _permit = state.limits.cpu.admit().await?;
    Ok(Json(state.coach.answer(&user.0, &id, &body.text).await?))
}

/// Ends a session now, with its summary.
#[utoipa::path(post, path = "/learning/sessions/{id}/finish", tag = "learning", params(("id" = String, Path)),
    responses((status = 200, body = SessionView)))]
pub async fn finish_session(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<SessionView> {
    Ok(Json(state.coach.finish(&user.0, &id).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct ProgressQuery {
    /// Whose progress (an agent always gets their own).
    pub agent: Option<String>,
}

/// An agent's training: finished sessions and their scores, assignments, items still weak.
#[utoipa::path(get, path = "/learning/progress", tag = "learning", params(ProgressQuery), responses((status = 200, body = Progress)))]
pub async fn training_progress(
    State(state): State<AppState>,
    user: CurrentUser,
    query: Result<Query<ProgressQuery>, QueryRejection>,
) -> ApiResult<Progress> {
    let Query(q) = query?;
    Ok(Json(state.coach.progress(&user.0, q.agent.as_deref().filter(|a| !a.is_empty())).await?))
}
