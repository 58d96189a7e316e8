//! Guided flows walked in a conversation: the flow with what the turns show done, and the
//! agent's walk saved step by step (quality inspection checks it against the required actions).

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::Json;
use seatmate_assist::{FlowGuide, WalkEdit};
use seatmate_core::FlowWalk;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{scope_of, ApiResult, Items};
use crate::auth::CurrentUser;
use crate::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GuideQuery {
    /// Index of the last turn to consider (live replay); the whole conversation when absent.
    upto: Option<usize>,
}

/// The guided flows walked in a conversation, oldest first.
#[utoipa::path(get, path = "/conversations/{id}/flows", tag = "conversations", params(("id" = String, Path)),
    responses((status = 200, body = Items<FlowWalk>)))]
pub async fn list_walks(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Items<FlowWalk>> {
    Ok(Json(Items { items: state.assist.flow_walks(&scope_of(&user), &id).await? }))
}

/// A guided flow in a conversation: the flow, its walk so far, the steps the turns show done and
/// the option the customer's answer picks at the current question.
#[utoipa::path(get, path = "/conversations/{id}/flows/{flow_id}", tag = "conversations",
    params(("id" = String, Path), ("flow_id" = String, Path), GuideQuery), responses((status = 200, body = FlowGuide)))]
pub async fn flow_guide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, flow_id)): Path<(String, String)>,
    query: Result<Query<GuideQuery>, QueryRejection>,
) -> ApiResult<FlowGuide> {
    let Query(query) = query?;
    let _turn = state.limits.cpu.admit().await?;
    Ok(Json(state.assist.flow_guide(&scope_of(&user), &id, &flow_id, query.upto).await?))
}

/// Save the walk of a guided flow in a conversation: every step so far, checked against the
/// flow. 409 when another save came after the revision the walk was read at.
#[utoipa::path(put, path = "/conversations/{id}/flows/{flow_id}", tag = "conversations",
    params(("id" = String, Path), ("flow_id" = String, Path)), request_body = WalkEdit,
    responses((status = 200, body = FlowWalk), (status = 409, description = "the walk changed since it was read")))]
pub async fn save_walk(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, flow_id)): Path<(String, String)>,
    body: Result<Json<WalkEdit>, JsonRejection>,
) -> ApiResult<FlowWalk> {
    let Json(edit) = body?;
    let walk = state.assist.save_walk(&scope_of(&user), &id, &flow_id, edit, &user.0.username).await?;
    if walk.finished {
        // an ended conversation's inspection reads the walk now (a live one's does when it ends)
        let _turn = state.limits.cpu.admit().await?;
        state.inspector.reinspect_conversation(&id).await?;
    }
    Ok(Json(walk))
}
