//! Teams, users and API tokens.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use seatmate_core::{AuditAction, Millis, Role, Team, TokenScope, User};
use seatmate_store::{NewApiToken, NewUser};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiResult, Items};
use crate::audit::{self, Client};
use crate::auth::{hash_secret, CurrentUser};
use crate::error::{ApiError, ErrorCode};
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
    /// At least eight characters, four of them different; not the username nor a common password.
    pub password: String,
}

/// Create a user.
#[utoipa::path(post, path = "/users", tag = "admin", request_body = CreateUser, responses((status = 201, body = User)))]
pub async fn create_user(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    body: Result<Json<CreateUser>, JsonRejection>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let Json(request) = body?;
    let username = request.username.trim();
    if username.is_empty() || username.contains(char::is_whitespace) || username.chars().count() > 64 {
        return Err(ApiError::invalid("username must be one word of at most 64 characters"));
    }
    crate::auth::check_password(username, &request.password).map_err(|why| ApiError::new(ErrorCode::WeakPassword, why))?;
    if let Some(team) = request.team.as_deref().filter(|t| !t.is_empty()) {
        if !state.store.list_teams().await?.iter().any(|t| t.code == team) {
            return Err(ApiError::invalid(format!("team {team:?} does not exist")));
        }
    }
    let password = request.password;
    let turn = state.limits.cpu.admit().await?;
    let password_hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&password))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    drop(turn);
    let new = NewUser {
        username: username.to_string(),
        display_name: request.display_name.unwrap_or_else(|| username.to_string()),
        role: request.role,
        team: request.team.filter(|t| !t.is_empty()),
        password_hash,
    };
    let created = state.store.create_user(&new, state.clock.now_millis()).await?;
    audit::record(&state, &user.0.username, &client, AuditAction::UserCreated, &created.username, created.role.as_str()).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[derive(Deserialize, ToSchema)]
pub struct SetActive {
    /// False deactivates: the user's sessions end and their API tokens stop working.
    pub active: bool,
}

/// Deactivate or reactivate a user (by username).
#[utoipa::path(put, path = "/users/{username}/active", tag = "admin", params(("username" = String, Path)),
    request_body = SetActive, responses((status = 200, body = User)))]
pub async fn set_user_active(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    Path(username): Path<String>,
    body: Result<Json<SetActive>, JsonRejection>,
) -> ApiResult<User> {
    let Json(request) = body?;
    if !request.active && seatmate_core::username_key(&username) == seatmate_core::username_key(&user.0.username) {
        return Err(ApiError::new(ErrorCode::Conflict, "you cannot deactivate yourself; ask another admin"));
    }
    let changed = state.store.set_user_active(&username, request.active).await?;
    let action = if request.active { AuditAction::UserReactivated } else { AuditAction::UserDeactivated };
    audit::record(&state, &user.0.username, &client, action, &changed.username, "").await?;
    Ok(Json(changed))
}

/// An API token as listed (the token itself is shown only once, when created).
#[derive(Serialize, ToSchema)]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    /// Whose rights it carries.
    pub username: String,
    pub scope: TokenScope,
    pub created_at: Millis,
    /// When it stops working.
    pub expires_at: Option<Millis>,
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
            scope: t.scope,
            created_at: t.created_at,
            expires_at: t.expires_at,
            last_used_at: t.last_used_at,
        })
        .collect();
    Ok(Json(Items { items }))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateToken {
    pub name: String,
    /// `read` (only GET) or `write` (everything the creating admin may); `read` when not given.
    pub scope: Option<TokenScope>,
    /// Days until it stops working: 1 to 365, 90 when not given.
    pub expires_in_days: Option<i64>,
}

/// Days an API token lasts when the request names none, and at most.
pub const TOKEN_DAYS: i64 = 90;
pub const MAX_TOKEN_DAYS: i64 = 365;

#[derive(Serialize, ToSchema)]
pub struct CreatedToken {
    pub id: String,
    pub name: String,
    /// The bearer token: shown once, here, and never stored.
    pub token: String,
    pub scope: TokenScope,
    pub expires_at: Option<Millis>,
}

/// Create an API token (shown once).
#[utoipa::path(post, path = "/tokens", tag = "admin", request_body = CreateToken, responses((status = 201, body = CreatedToken)))]
pub async fn create_token(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    body: Result<Json<CreateToken>, JsonRejection>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let Json(request) = body?;
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::invalid("name must have 1 to 100 characters"));
    }
    let days = request.expires_in_days.unwrap_or(TOKEN_DAYS);
    if !(1..=MAX_TOKEN_DAYS).contains(&days) {
        return Err(ApiError::invalid(format!("expires_in_days must be 1 to {MAX_TOKEN_DAYS}")));
    }
    let scope = request.scope.unwrap_or(TokenScope::Read);
    let token = crate::auth::new_api_token();
    let now = state.clock.now_millis();
    let new = NewApiToken {
        name,
        user_id: &user.0.id,
        token_hash: &hash_secret(&token),
        scope,
        expires_at: Some(now + days * 24 * 3600 * 1000),
    };
    let created = state.store.create_api_token(&new, now).await?;
    let detail = format!("scope={} days={days}", scope.as_str());
    audit::record(&state, &user.0.username, &client, AuditAction::TokenCreated, &created.id, detail).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken { id: created.id, name: created.name, token, scope, expires_at: created.expires_at }),
    ))
}

/// Revoke an API token.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "admin", params(("id" = String, Path)), responses((status = 204, description = "revoked")))]
pub async fn revoke_token(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.store.revoke_api_token(&id, state.clock.now_millis()).await?;
    audit::record(&state, &user.0.username, &client, AuditAction::TokenRevoked, &id, "").await?;
    Ok(StatusCode::NO_CONTENT)
}
