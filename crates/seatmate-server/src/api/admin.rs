//! Teams, users and API tokens.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use seatmate_core::{Millis, Role, Team, User};
use seatmate_store::NewUser;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiResult, Items};
use crate::auth::{hash_secret, CurrentUser};
use crate::error::ApiError;
use crate::AppState;

/// Agent and dispatch teams.
#[utoipa::path(get, path = "/teams", tag = "admin", responses((status = 200, body = Items<Team>)))]
pub async fn list_teams(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<Items<Team>> {
    Ok(Json(Items { items: state.store.list_teams().await? }))
}

/// All users.
#[utoipa::path(get, path = "/users", tag = "admin", responses((status = 200, body = Items<User>)))]
pub async fn list_users(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<Items<User>> {
    Ok(Json(Items { items: state.store.list_users().await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateUser {
    /// One word.
    pub username: String,
    pub display_name: Option<String>,
    pub role: Role,
    /// The team code (agents and team leads).
    pub team: Option<String>,
    /// At least eight characters.
    pub password: String,
}

pub const MIN_PASSWORD_CHARS: usize = 8;

/// Create a user.
#[utoipa::path(post, path = "/users", tag = "admin", request_body = CreateUser, responses((status = 201, body = User)))]
pub async fn create_user(
    State(state): State<AppState>,
    _user: CurrentUser,
    body: Result<Json<CreateUser>, JsonRejection>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let Json(request) = body?;
    let username = request.username.trim();
    if username.is_empty() || username.contains(char::is_whitespace) {
        return Err(ApiError::invalid("username must be one word"));
    }
    if request.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::invalid(format!("password must have at least {MIN_PASSWORD_CHARS} characters")));
    }
    let password = request.password;
    let password_hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&password))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let new = NewUser {
        username: username.to_string(),
        display_name: request.display_name.unwrap_or_else(|| username.to_string()),
        role: request.role,
        team: request.team.filter(|t| !t.is_empty()),
        password_hash,
    };
    let created = state.store.create_user(&new, state.clock.now_millis()).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// An API token as listed (the token itself is shown only once, when created).
#[derive(Serialize, ToSchema)]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    /// Whose rights it carries.
    pub username: String,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
}

/// Active API tokens.
#[utoipa::path(get, path = "/tokens", tag = "admin", responses((status = 200, body = Items<TokenInfo>)))]
pub async fn list_tokens(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<Items<TokenInfo>> {
    let items = state
        .store
        .list_api_tokens()
        .await?
        .into_iter()
        .map(|t| TokenInfo {
            id: t.id,
            name: t.name,
            username: t.username,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
        })
        .collect();
    Ok(Json(Items { items }))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateToken {
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedToken {
    pub id: String,
    pub name: String,
    /// The bearer token: shown once, here, and never stored.
    pub token: String,
}

/// Create an API token (shown once).
#[utoipa::path(post, path = "/tokens", tag = "admin", request_body = CreateToken, responses((status = 201, body = CreatedToken)))]
pub async fn create_token(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Result<Json<CreateToken>, JsonRejection>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let Json(request) = body?;
    let name = request.name.trim();
    if name.is_empty() {
        return Err(ApiError::invalid("name must not be empty"));
    }
    let token = crate::auth::new_api_token();
    let created = state.store.create_api_token(name, &user.0.id, &hash_secret(&token), state.clock.now_millis()).await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { id: created.id, name: created.name, token })))
}

/// Revoke an API token.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "admin", params(("id" = String, Path)), responses((status = 204, description = "revoked")))]
pub async fn revoke_token(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.store.revoke_api_token(&id, state.clock.now_millis()).await?;
    Ok(StatusCode::NO_CONTENT)
}
