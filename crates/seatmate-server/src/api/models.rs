//! Classifier versions, the auto-accept policy and the dispatch rules.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::Json;
use seatmate_aftercall::{AutoAcceptPolicy, Comparison, DispatchRule, CLASSIFY_MODEL};
use seatmate_core::{AuditAction, Millis};
use seatmate_store::ModelRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiResult, Items};
use crate::audit::{self, Client};
use crate::auth::CurrentUser;
use crate::AppState;

/// Where a classifier version stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModelState {
    /// The version that answers.
    Active,
    /// Trained, never activated: it was not better than the active version on the same held-out
    /// tickets (or too few could tell); the admin compares and activates it.
    Candidate,
    /// Active once; activating it again rolls back (or forward).
    Earlier,
}

/// A version's figures cross-validated on its own training tickets (`metrics.cross_validation`).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct CrossValidated {
    /// Folds the tickets were split into (1: a single held-out share).
    pub folds: usize,
    /// Folds trained and predicted (fewer than `folds` on large sets).
    pub folds_run: usize,
    /// Tickets predicted out of fold: the figures' support.
    pub examples: usize,
    pub accuracy: f64,
    pub top5: f64,
    pub macro_f1: f64,
}

/// One classifier version.
#[derive(Serialize, ToSchema)]
pub struct ModelVersion {
    pub id: String,
    pub kind: String,
    pub version: i64,
    pub created_at: Millis,
    pub created_by: String,
    /// How many labelled tickets it learned from.
    pub examples: i64,
    /// Figures measured on held-out tickets when it was trained.
    #[schema(value_type = Object)]
    pub metrics: serde_json::Value,
    pub active: bool,
    pub state: ModelState,
    /// When it was last made active; `null` for a candidate.
    pub activated_at: Option<Millis>,
    /// Cross-validated figures; `null` when too few tickets (or for a version trained before
    /// they were measured).
    pub cross_validation: Option<CrossValidated>,
    /// How it did against the version active when it was trained, on the same held-out tickets;
    /// `null` for a first version.
    pub comparison: Option<Comparison>,
    /// Size of the stored version.
    pub bytes: i64,
}

impl From<ModelRecord> for ModelVersion {
    fn from(m: ModelRecord) -> Self {
        let state = match (m.active, m.activated_at) {
            (true, _) => ModelState::Active,
            (false, None) => ModelState::Candidate,
            (false, Some(_)) => ModelState::Earlier,
        };
        fn figure<T: serde::de::DeserializeOwned>(metrics: &serde_json::Value, key: &str) -> Option<T> {
            metrics.get(key).cloned().and_then(|v| serde_json::from_value(v).ok())
        }
        ModelVersion {
            state,
            activated_at: m.activated_at,
            cross_validation: figure(&m.metrics, "cross_validation"),
            comparison: figure(&m.metrics, "comparison"),
            id: m.id,
            kind: m.kind,
            version: m.version,
            created_at: m.created_at,
            created_by: m.created_by,
            examples: m.examples,
            metrics: m.metrics,
            active: m.active,
            bytes: m.bytes,
        }
    }
}

/// The classifier versions kept, and the storage they take.
#[derive(Serialize, ToSchema)]
pub struct ModelList {
    /// Newest first.
    pub items: Vec<ModelVersion>,
    /// Versions kept besides the active one; older ones are deleted after each training.
    pub versions_kept: usize,
    /// Bytes all kept versions take in the store.
    pub storage_bytes: i64,
}

async fn versions(state: &AppState) -> ApiResult<ModelList> {
    let items: Vec<ModelVersion> = state.store.list_models(CLASSIFY_MODEL).await?.into_iter().map(Into::into).collect();
    let storage_bytes = items.iter().map(|m| m.bytes).sum();
    Ok(Json(ModelList { items, versions_kept: state.aftercall.versions_kept().await?, storage_bytes }))
}

/// Every classifier version kept, with its cross-validated figures (newest first), and their
/// storage.
#[utoipa::path(get, path = "/models", tag = "models", responses((status = 200, body = ModelList)))]
pub async fn list_models(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<ModelList> {
    versions(&state).await
}

/// Train a new classifier version from all labelled tickets. It is activated at once only when
/// no version is active, or when it is better than the active one on the same held-out tickets;
/// otherwise it is a candidate (`state`), for the admin to compare and activate.
#[utoipa::path(post, path = "/models/train", tag = "models", responses((status = 200, body = ModelVersion)))]
pub async fn train_model(State(state): State<AppState>, user: CurrentUser, client: Client) -> ApiResult<ModelVersion> {
    let record = state.aftercall.train(&user.0.username, state.clock.now_millis()).await?;
    let detail = format!("version={} examples={} activated={}", record.version, record.examples, record.active);
    audit::record(&state, &user.0.username, &client, AuditAction::ModelTrained, &record.id, detail).await?;
    Ok(Json(record.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct RetentionRequest {
    /// Versions kept besides the active one: 1 to 100.
    pub versions_kept: usize,
}

/// Set how many earlier classifier versions are kept for rollback (older ones are deleted now).
#[utoipa::path(put, path = "/settings/model-retention", tag = "models", request_body = RetentionRequest,
    responses((status = 200, body = ModelList)))]
pub async fn set_model_retention(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    body: Result<Json<RetentionRequest>, JsonRejection>,
) -> ApiResult<ModelList> {
    let Json(request) = body?;
    state.aftercall.set_versions_kept(request.versions_kept).await?;
    let detail = format!("model_versions_kept={}", request.versions_kept);
    audit::record(&state, &user.0.username, &client, AuditAction::SettingsChanged, "model_retention", detail).await?;
    versions(&state).await
}

/// Make a classifier version active: a candidate, or an earlier version (roll back or forward).
#[utoipa::path(post, path = "/models/{id}/activate", tag = "models", params(("id" = String, Path)),
    responses((status = 200, body = ModelList)))]
pub async fn activate_model(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    Path(id): Path<String>,
) -> ApiResult<ModelList> {
    state.aftercall.activate(&id, state.clock.now_millis()).await?;
    audit::record(&state, &user.0.username, &client, AuditAction::ModelActivated, &id, "").await?;
    versions(&state).await
}

/// The auto-accept precision, its threshold and the share of tickets it accepts.
#[utoipa::path(get, path = "/settings/auto-accept", tag = "models", responses((status = 200, body = AutoAcceptPolicy)))]
pub async fn auto_accept(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<AutoAcceptPolicy> {
    Ok(Json(state.aftercall.auto_accept_policy().await?))
}

#[derive(Deserialize, ToSchema)]
pub struct AutoAcceptRequest {
    /// Between 0.5 and 1.0.
    pub precision: f32,
}

/// Set the precision wanted for auto-accept.
#[utoipa::path(put, path = "/settings/auto-accept", tag = "models", request_body = AutoAcceptRequest,
    responses((status = 200, body = AutoAcceptPolicy)))]
pub async fn set_auto_accept(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    body: Result<Json<AutoAcceptRequest>, JsonRejection>,
) -> ApiResult<AutoAcceptPolicy> {
    let Json(request) = body?;
    let policy = state.aftercall.set_auto_accept_precision(request.precision).await?;
    let detail = format!("precision={}", request.precision);
    audit::record(&state, &user.0.username, &client, AuditAction::SettingsChanged, "auto_accept", detail).await?;
    Ok(Json(policy))
}

/// Dispatch rules, in order.
#[utoipa::path(get, path = "/dispatch-rules", tag = "models", responses((status = 200, body = Items<DispatchRule>)))]
pub async fn dispatch_rules(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<Items<DispatchRule>> {
    Ok(Json(Items { items: state.aftercall.dispatch_rules().await? }))
}

/// Replace the dispatch rules.
#[utoipa::path(put, path = "/dispatch-rules", tag = "models", request_body = RulesRequest,
    responses((status = 200, body = Items<DispatchRule>)))]
pub async fn set_dispatch_rules(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    body: Result<Json<RulesRequest>, JsonRejection>,
) -> ApiResult<Items<DispatchRule>> {
    let Json(request) = body?;
    state.aftercall.set_dispatch_rules(&request.items).await?;
    let detail = format!("rules={}", request.items.len());
    audit::record(&state, &user.0.username, &client, AuditAction::SettingsChanged, "dispatch_rules", detail).await?;
    Ok(Json(Items { items: state.aftercall.dispatch_rules().await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct RulesRequest {
    pub items: Vec<DispatchRule>,
}
