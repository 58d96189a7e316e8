//! Health, login and logout, the current user and what they may see.

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use seatmate_core::{AuditAction, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{scope_of, ApiResult};
use crate::audit::{self, Client};
use crate::auth::{hash_secret, new_secret, session_cookie, session_token, CurrentUser};
use crate::error::{ApiError, ErrorCode};
use crate::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `unavailable`.
    pub status: &'static str,
    /// The store's backend (`sqlite` or `postgres`) when it answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<&'static str>,
}

/// Liveness and store reachability (also served at `/health`).
pub async fn health(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(Health { status: "ok", store: Some(state.store.backend()) }).into_response(),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(Health { status: "unavailable", store: None })).into_response()
        }
    }
}

/// Liveness and store reachability.
#[utoipa::path(get, path = "/health", tag = "session", responses(
    (status = 200, body = Health), (status = 503, body = Health, description = "the store does not answer")))]
pub async fn health_v1(state: State<AppState>) -> Response {
    health(state).await
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct UserBody {
    pub user: User,
}

/// Longest username and password read (longer ones are refused before any hashing).
const MAX_USERNAME_CHARS: usize = 128;
const MAX_PASSWORD_CHARS: usize = 1024;

/// Log in with username and password; sets the session cookie. Failed logins are throttled per
/// account and per client address (429 `too_many_attempts` with `Retry-After`).
#[utoipa::path(post, path = "/auth/login", tag = "session", request_body = LoginRequest, responses(
    (status = 200, body = UserBody, headers(("set-cookie" = String, description = "the session cookie")))))]
pub async fn login(
    State(state): State<AppState>,
    client: Client,
    body: Result<Json<LoginRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(request) = body?;
    let username = request.username.trim();
    if username.chars().count() > MAX_USERNAME_CHARS || request.password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(ApiError::new(ErrorCode::InvalidCredentials, "wrong username or password"));
    }
    state.limits.logins.check(username, &client.0)?;
    let found = state.store.user_by_username(username).await?;
    // verify against a real hash even for unknown users, so timing does not reveal who exists
    let (user, hash) = match found {
        Some((user, hash)) if user.active => (Some(user), hash),
        _ => (None, dummy_hash().to_string()),
    };
    let password = request.password;
    // argon2 is deliberately slow: it waits its turn at the CPU gate and runs off the async workers
    let turn = state.limits.cpu.admit().await?;
    let password_ok =
        tokio::task::spawn_blocking(move || crate::auth::verify_password(&password, &hash)).await.map_err(ApiError::internal)?;
    drop(turn);
    let Some(user) = user.filter(|_| password_ok) else {
        state.limits.logins.failed(username, &client.0);
        // never the typed username: it may be a password typed in the wrong field
        tracing::info!(client = %client.0, "login refused");
        audit::record(&state, "-", &client, AuditAction::LoginFailed, "", "").await?;
        return Err(ApiError::new(ErrorCode::InvalidCredentials, "wrong username or password"));
    };
    state.limits.logins.succeeded(username);
    let token = new_secret();
    let now = state.clock.now_millis();
    let max_age = state.options.session_hours * 3600;
    state.store.create_session(&hash_secret(&token), &user.id, now, now + max_age * 1000).await?;
    tracing::info!(username = ?user.username, client = %client.0, "logged in");
    audit::record(&state, &user.username, &client, AuditAction::Login, &user.username, "").await?;
    let cookie = session_cookie(&token, max_age, state.options.secure_cookies);
    Ok(([(header::SET_COOKIE, cookie)], Json(UserBody { user })).into_response())
}

/// An argon2 hash of a random password, checked when the username is unknown.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| crate::auth::hash_password(&new_secret()).unwrap_or_default())
}

/// End the current session.
#[utoipa::path(post, path = "/auth/logout", tag = "session", responses((status = 204, description = "logged out")))]
pub async fn logout(
    State(state): State<AppState>,
    client: Client,
    request: axum::extract::Request,
) -> Result<Response, ApiError> {
    let (parts, _) = request.into_parts();
    if let Some(token) = session_token(&parts) {
        let hash = hash_secret(&token);
        if let Some(user) = state.store.session_user(&hash, state.clock.now_millis()).await? {
            audit::record(&state, &user.username, &client, AuditAction::Logout, &user.username, "").await?;
        }
        state.store.delete_session(&hash).await?;
    }
    let clear = session_cookie("", 0, state.options.secure_cookies);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}

/// The logged-in user.
#[utoipa::path(get, path = "/me", tag = "session", responses((status = 200, body = UserBody)))]
pub async fn me(user: CurrentUser) -> ApiResult<UserBody> {
    Ok(Json(UserBody { user: user.0 }))
}

/// How many of each thing the caller may see.
#[derive(Serialize, ToSchema)]
pub struct Stats {
    pub conversations: i64,
    pub tickets: i64,
    pub taxonomy_nodes: i64,
    pub knowledge_items: i64,
    pub users: i64,
}

/// Counts of what the caller may see.
#[utoipa::path(get, path = "/stats", tag = "session", responses((status = 200, body = Stats)))]
pub async fn stats(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Stats> {
    let counts = state.store.counts(&scope_of(&user)).await?;
    Ok(Json(Stats {
        conversations: counts.conversations,
        tickets: counts.tickets,
        taxonomy_nodes: counts.taxonomy_nodes,
        knowledge_items: counts.knowledge_items,
        users: counts.users,
    }))
}
