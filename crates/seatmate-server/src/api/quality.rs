//! Quality inspection: scorecards (drafts, trials, versions, publishing), each conversation's
//! inspections, the review queue, overrides, disputes, rule agreement and weakness profiles.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, Query, State};
use axum::Json;
use seatmate_core::{AuditAction, Millis};
use seatmate_inspect::{Agreement, DisputeView, InspectError, InspectionView, ItemRef, Profile, QueueEntry, Trial};
use seatmate_quality::Outcome;
use seatmate_store::{InspectionBatch, ScorecardVersion};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{scope_of, ApiResult, Items};
use crate::audit::{self, Client};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::AppState;

impl From<InspectError> for ApiError {
    fn from(error: InspectError) -> ApiError {
        match error {
            InspectError::Store(e) => e.into(),
            InspectError::Scorecard(e) => ApiError::invalid(e.to_string()),
            other => ApiError::from_kind(other.kind(), other.to_string(), "inspect"),
        }
    }
}

/// One version of a scorecard.
#[derive(Serialize, ToSchema)]
pub struct ScorecardView {
    pub id: String,
    pub version: i64,
    pub name: String,
    /// `draft`, `published` (the version that inspects) or `retired`.
    pub status: String,
    pub created_by: String,
    pub created_at: Millis,
    /// The text as its author wrote it (YAML or JSON; docs/scorecards.md).
    pub source: String,
    /// Its items in order.
    pub items: Vec<ScorecardItem>,
}

#[derive(Serialize, ToSchema)]
pub struct ScorecardItem {
    pub id: String,
    pub section: String,
    pub name: String,
    pub points: u32,
    pub critical: bool,
}

impl From<ScorecardVersion> for ScorecardView {
    fn from(v: ScorecardVersion) -> Self {
        let items = seatmate_quality::Scorecard::parse(&v.source)
            .map(|card| {
                card.items()
                    .map(|(section, item)| ScorecardItem {
                        id: item.id.clone(),
                        section: section.name.clone(),
                        name: item.name.clone(),
                        points: item.points,
                        critical: item.critical,
                    })
                    .collect()
            })
            .unwrap_or_default();
        ScorecardView {
            id: v.id,
            version: v.version,
            name: v.name,
            status: v.status,
            created_by: v.created_by,
            created_at: v.created_at,
            source: v.source,
            items,
        }
    }
}

/// A scorecard's text.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScorecardSource {
    /// YAML or JSON, as docs/scorecards.md describes.
    pub source: String,
    /// How many recent conversations a trial inspects (1–500, default 50).
    #[serde(default)]
    pub sample: Option<usize>,
}

/// Every version of every scorecard, newest first within each.
#[utoipa::path(get, path = "/quality/scorecards", tag = "quality", responses((status = 200, body = Items<ScorecardView>)))]
pub async fn list_scorecards(State(state): State<AppState>) -> ApiResult<Items<ScorecardView>> {
    let items = state.store.scorecards().await?.into_iter().map(ScorecardView::from).collect();
    Ok(Json(Items { items }))
}

/// Stores a new draft version of the scorecard the text defines (its `id` names it). A bad
/// scorecard is refused with the item and the field at fault.
#[utoipa::path(post, path = "/quality/scorecards", tag = "quality", request_body = ScorecardSource,
    responses((status = 200, body = ScorecardView)))]
pub async fn save_scorecard(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    body: Result<Json<ScorecardSource>, JsonRejection>,
) -> ApiResult<ScorecardView> {
    let Json(body) = body?;
    let saved = state.inspector.save(&body.source, &user.0.username).await?;
    let target = format!("{}@{}", saved.id, saved.version);
    audit::record(&state, &user.0.username, &client, AuditAction::ScorecardSaved, &target, "").await?;
    Ok(Json(saved.into()))
}

/// Tries a scorecard's text on recent conversations without storing anything: what it would
/// pass and fail, before it is published.
#[utoipa::path(post, path = "/quality/scorecards/trial", tag = "quality", request_body = ScorecardSource,
    responses((status = 200, body = Trial)))]
pub async fn trial_scorecard(
    State(state): State<AppState>,
    body: Result<Json<ScorecardSource>, JsonRejection>,
) -> ApiResult<Trial> {
    let Json(body) = body?;
    let _permit = state.limits.cpu.admit().await?;
    Ok(Json(state.inspector.trial(&body.source, body.sample.unwrap_or(50)).await?))
}

/// One version of a scorecard.
#[utoipa::path(get, path = "/quality/scorecards/{id}/versions/{version}", tag = "quality",
    params(("id" = String, Path), ("version" = i64, Path)), responses((status = 200, body = ScorecardView)))]
pub async fn get_scorecard(
    State(state): State<AppState>,
    path: Result<Path<(String, i64)>, PathRejection>,
) -> ApiResult<ScorecardView> {
    let Path((id, version)) = path?;
    match state.store.scorecard(&id, version).await? {
        Some(found) => Ok(Json(found.into())),
        None => Err(ApiError::not_found(format!("scorecard {id} version {version}"))),
    }
}

/// Publishes a version: it replaces the scorecard's published one and inspects the history in
/// the background (progress in `/quality/batches`).
#[utoipa::path(post, path = "/quality/scorecards/{id}/versions/{version}/publish", tag = "quality",
    params(("id" = String, Path), ("version" = i64, Path)), responses((status = 200, body = ScorecardView)))]
pub async fn publish_scorecard(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    path: Result<Path<(String, i64)>, PathRejection>,
) -> ApiResult<ScorecardView> {
    let Path((id, version)) = path?;
    state.inspector.publish(&id, version).await?;
    audit::record(&state, &user.0.username, &client, AuditAction::ScorecardPublished, &format!("{id}@{version}"), "").await?;
    get_scorecard(State(state), Ok(Path((id, version)))).await
}

/// Retires a scorecard: its published version inspects nothing more.
#[utoipa::path(post, path = "/quality/scorecards/{id}/retire", tag = "quality",
    params(("id" = String, Path)), responses((status = 200, body = Items<ScorecardView>)))]
pub async fn retire_scorecard(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    Path(id): Path<String>,
) -> ApiResult<Items<ScorecardView>> {
    state.inspector.retire(&id).await?;
    audit::record(&state, &user.0.username, &client, AuditAction::ScorecardRetired, &id, "").await?;
    list_scorecards(State(state)).await
}

/// An inspection of the history by a scorecard version, with its progress.
#[derive(Serialize, ToSchema)]
pub struct BatchView {
    pub scorecard_id: String,
    pub version: i64,
    pub done: i64,
    pub total: i64,
    /// `running` or `finished`.
    pub status: String,
    pub started_at: Millis,
    pub finished_at: Option<Millis>,
}

impl From<InspectionBatch> for BatchView {
    fn from(b: InspectionBatch) -> Self {
        BatchView {
            scorecard_id: b.scorecard_id,
            version: b.version,
            done: b.done,
            total: b.total,
            status: b.status,
            started_at: b.started_at,
            finished_at: b.finished_at,
        }
    }
}

/// The history batches, newest first.
#[utoipa::path(get, path = "/quality/batches", tag = "quality", responses((status = 200, body = Items<BatchView>)))]
pub async fn list_batches(State(state): State<AppState>) -> ApiResult<Items<BatchView>> {
    Ok(Json(Items { items: state.inspector.batches().await?.into_iter().map(BatchView::from).collect() }))
}

/// A conversation's inspections (each published scorecard's), with reviews and disputes; the
/// conversation must be in the caller's scope.
#[utoipa::path(get, path = "/conversations/{id}/inspections", tag = "quality",
    params(("id" = String, Path)), responses((status = 200, body = Items<InspectionView>)))]
pub async fn conversation_inspections(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Items<InspectionView>> {
    Ok(Json(Items { items: state.inspector.conversation_inspections(&scope_of(&user), &id).await? }))
}

#[derive(Deserialize, IntoParams)]
pub struct QueueQuery {
    /// How many (default 50, at most 200).
    pub limit: Option<usize>,
}

/// The review queue: unreviewed inspections, riskiest first, with a calibration sample.
#[utoipa::path(get, path = "/quality/queue", tag = "quality", params(QueueQuery), responses((status = 200, body = Items<QueueEntry>)))]
pub async fn review_queue(
    State(state): State<AppState>,
    user: CurrentUser,
    query: Result<Query<QueueQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Items<QueueEntry>> {
    let Query(query) = query?;
    let limit = query.limit.unwrap_or(50).clamp(1, 200);
    Ok(Json(Items { items: state.inspector.queue(&scope_of(&user), limit).await? }))
}

/// An inspector's verdict on one item.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    pub conversation_id: String,
    pub scorecard_id: String,
    pub version: i64,
    pub item_id: String,
    pub outcome: Outcome,
    /// Why; required when the verdict overrides the engine's.
    #[serde(default)]
    pub reason: String,
}

/// Confirms or overrides an item; kept beside earlier verdicts with who and when.
#[utoipa::path(post, path = "/quality/reviews", tag = "quality", request_body = ReviewRequest,
    responses((status = 200, body = Items<InspectionView>)))]
pub async fn review_item(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    body: Result<Json<ReviewRequest>, JsonRejection>,
) -> ApiResult<Items<InspectionView>> {
    let Json(r) = body?;
    let at = ItemRef {
        conversation_id: r.conversation_id.clone(),
        scorecard_id: r.scorecard_id.clone(),
        version: r.version,
        item_id: r.item_id.clone(),
    };
    let items = state.inspector.review(&user.0, &at, r.outcome, &r.reason).await?;
    let target = format!("{}/{}@{}/{}", r.conversation_id, r.scorecard_id, r.version, r.item_id);
    audit::record(&state, &user.0.username, &client, AuditAction::InspectionReviewed, &target, format!("{:?}", r.outcome))
        .await?;
    Ok(Json(Items { items }))
}

/// An agent's dispute of one item of their inspection.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisputeRequest {
    pub conversation_id: String,
    pub scorecard_id: String,
    pub version: i64,
    pub item_id: String,
    pub reason: String,
}

/// Disputes an item (the agent who handled the conversation only).
#[utoipa::path(post, path = "/quality/disputes", tag = "quality", request_body = DisputeRequest,
    responses((status = 200, body = DisputeView)))]
pub async fn open_dispute(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Result<Json<DisputeRequest>, JsonRejection>,
) -> ApiResult<DisputeView> {
    let Json(d) = body?;
    let at = ItemRef { conversation_id: d.conversation_id, scorecard_id: d.scorecard_id, version: d.version, item_id: d.item_id };
    Ok(Json(state.inspector.dispute(&user.0, &scope_of(&user), &at, &d.reason).await?))
}

/// Disputes the caller may see (an agent their own, a lead the team's), newest first.
#[utoipa::path(get, path = "/quality/disputes", tag = "quality", responses((status = 200, body = Items<DisputeView>)))]
pub async fn list_disputes(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Items<DisputeView>> {
    Ok(Json(Items { items: state.inspector.disputes(&scope_of(&user)).await? }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisputeAnswer {
    /// True: the agent is right, and the item turns to a pass.
    pub upheld: bool,
    pub answer: String,
}

/// An inspector answers a dispute.
#[utoipa::path(post, path = "/quality/disputes/{id}/answer", tag = "quality", params(("id" = String, Path)),
    request_body = DisputeAnswer, responses((status = 200, body = DisputeView)))]
pub async fn answer_dispute(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    Path(id): Path<String>,
    body: Result<Json<DisputeAnswer>, JsonRejection>,
) -> ApiResult<DisputeView> {
    let Json(a) = body?;
    let answered = state.inspector.answer_dispute(&user.0, &id, a.upheld, &a.answer).await?;
    audit::record(&state, &user.0.username, &client, AuditAction::DisputeAnswered, &id, answered.status.clone()).await?;
    Ok(Json(answered))
}

/// Per rule: how the engine's verdicts agree with the reviewers' (precision, recall, Cohen's κ),
/// the worst agreement first.
#[utoipa::path(get, path = "/quality/agreement", tag = "quality", responses((status = 200, body = Items<Agreement>)))]
pub async fn rule_agreement(State(state): State<AppState>) -> ApiResult<Items<Agreement>> {
    Ok(Json(Items { items: state.inspector.agreement().await? }))
}

#[derive(Deserialize, IntoParams)]
pub struct ProfileQuery {
    /// An agent's username (an agent always gets their own).
    pub agent: Option<String>,
    /// A team's code (a team lead always gets their own team).
    pub team: Option<String>,
}

/// A weakness profile: the items the agent (or team) fails significantly more often than their
/// peers, the weekly trend, the spread of scores and what to learn.
#[utoipa::path(get, path = "/quality/profile", tag = "quality", params(ProfileQuery), responses((status = 200, body = Profile)))]
pub async fn quality_profile(
    State(state): State<AppState>,
    user: CurrentUser,
    query: Result<Query<ProfileQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Profile> {
    let Query(query) = query?;
    let agent = query.agent.filter(|a| !a.is_empty());
    let team = query.team.filter(|t| !t.is_empty());
    Ok(Json(state.inspector.profile(&user.0, agent.as_deref(), team.as_deref()).await?))
}
