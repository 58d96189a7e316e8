//! Drafts: a user's unsaved work (the after-call form half filled), kept on the server so it
//! survives navigation, a reload or another device until it is submitted.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use seatmate_store::Draft;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{scope_of, ApiResult};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::AppState;

/// Longest draft key, in characters.
const MAX_KEY_CHARS: usize = 200;
/// Largest draft body, in bytes of JSON.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// A draft as the API gives it.
#[derive(Serialize, ToSchema)]
pub struct DraftBody {
    pub key: String,
    pub conversation_id: Option<String>,
    /// What the form held, as the UI saved it.
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
    pub updated_at: i64,
}

/// A draft to save.
#[derive(Deserialize, ToSchema)]
pub struct DraftSave {
    /// The conversation the draft is about (the caller must be able to see it); erasing it
    /// erases the draft.
    pub conversation_id: Option<String>,
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
}

fn checked_key(key: &str) -> Result<&str, ApiError> {
    let key = key.trim();
    if key.is_empty() || key.chars().count() > MAX_KEY_CHARS {
        return Err(ApiError::invalid(format!("key: 1 to {MAX_KEY_CHARS} characters")));
    }
    Ok(key)
}

/// The caller's draft under a key.
#[utoipa::path(get, path = "/drafts/{key}", tag = "session", params(("key" = String, Path)),
    responses((status = 200, body = DraftBody), (status = 404, description = "no draft")))]
pub async fn get_draft(State(state): State<AppState>, user: CurrentUser, Path(key): Path<String>) -> ApiResult<DraftBody> {
    let key = checked_key(&key)?;
    let draft = state.store.draft(&user.0.id, key).await?.ok_or_else(|| ApiError::not_found("draft"))?;
    Ok(Json(DraftBody { key: draft.key, conversation_id: draft.conversation_id, body: draft.body, updated_at: draft.updated_at }))
}

/// Save (or replace) the caller's draft under a key.
#[utoipa::path(put, path = "/drafts/{key}", tag = "session", params(("key" = String, Path)), request_body = DraftSave,
    responses((status = 200, body = DraftBody)))]
pub async fn save_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    body: Result<Json<DraftSave>, JsonRejection>,
) -> ApiResult<DraftBody> {
    let Json(save) = body?;
    let key = checked_key(&key)?;
    if !save.body.is_object() {
        return Err(ApiError::invalid("body: a JSON object (the form's fields)"));
    }
    if save.body.to_string().len() > MAX_BODY_BYTES {
        return Err(ApiError::invalid(format!("body: at most {} KiB of JSON", MAX_BODY_BYTES / 1024)));
    }
    if let Some(id) = &save.conversation_id {
        state.store.conversation(&scope_of(&user), id).await?.ok_or_else(|| ApiError::not_found("conversation"))?;
    }
    let draft = Draft {
        key: key.to_string(),
        conversation_id: save.conversation_id,
        body: save.body,
        updated_at: state.clock.now_millis(),
    };
    state.store.save_draft(&user.0.id, &draft).await?;
    Ok(Json(DraftBody { key: draft.key, conversation_id: draft.conversation_id, body: draft.body, updated_at: draft.updated_at }))
}

/// Forget the caller's draft under a key (after it is submitted, or to start over).
#[utoipa::path(delete, path = "/drafts/{key}", tag = "session", params(("key" = String, Path)),
    responses((status = 204, description = "forgotten")))]
pub async fn delete_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
) -> Result<StatusCode, ApiError> {
    let key = checked_key(&key)?;
    state.store.delete_draft(&user.0.id, key).await?;
    Ok(StatusCode::NO_CONTENT)
}
