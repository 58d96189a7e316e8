//! Classifier versions, the auto-accept policy and the dispatch rules.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::Json;
use seatmate_aftercall::{AutoAcceptPolicy, DispatchRule, CLASSIFY_MODEL};
use seatmate_core::Millis;
use seatmate_store::ModelRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiResult, Items};
use crate::auth::CurrentUser;
use crate::AppState;

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
}

impl From<ModelRecord> for ModelVersion {
    fn from(m: ModelRecord) -> Self {
        ModelVersion {
            id: m.id,
            kind: m.kind,
            version: m.version,
            created_at: m.created_at,
            created_by: m.created_by,
            examples: m.examples,
            metrics: m.metrics,
            active: m.active,
        }
    }
}

async fn versions(state: &AppState) -> ApiResult<Items<ModelVersion>> {
    let items = state.store.list_models(CLASSIFY_MODEL).await?.into_iter().map(Into::into).collect();
    Ok(Json(Items { items }))
}

/// Every classifier version with its held-out figures, newest first.
#[utoipa::path(get, path = "/models", tag = "models", responses((status = 200, body = Items<ModelVersion>)))]
pub async fn list_models(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<Items<ModelVersion>> {
    versions(&state).await
}

/// Train a new classifier version from all labelled tickets and activate it.
#[utoipa::path(post, path = "/models/train", tag = "models", responses((status = 200, body = ModelVersion)))]
pub async fn train_model(State(state): State<AppState>, user: CurrentUser) -> ApiResult<ModelVersion> {
    Ok(Json(state.aftercall.train(&user.0.username, state.clock.now_millis()).await?.into()))
}

/// Make a classifier version active (roll back or forward).
#[utoipa::path(post, path = "/models/{id}/activate", tag = "models", params(("id" = String, Path)),
    responses((status = 200, body = Items<ModelVersion>)))]
pub async fn activate_model(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Items<ModelVersion>> {
    state.aftercall.activate(&id).await?;
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
    _user: CurrentUser,
    body: Result<Json<AutoAcceptRequest>, JsonRejection>,
) -> ApiResult<AutoAcceptPolicy> {
    let Json(request) = body?;
    Ok(Json(state.aftercall.set_auto_accept_precision(request.precision).await?))
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
    _user: CurrentUser,
    body: Result<Json<RulesRequest>, JsonRejection>,
) -> ApiResult<Items<DispatchRule>> {
    let Json(request) = body?;
    state.aftercall.set_dispatch_rules(&request.items).await?;
    Ok(Json(Items { items: state.aftercall.dispatch_rules().await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct RulesRequest {
    pub items: Vec<DispatchRule>,
}
