//! Users, login sessions and API tokens.

use async_trait::async_trait;
use seatmate_core::{Millis, Role, TokenScope, User};

use crate::Result;

#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team: Option<String>,
    pub password_hash: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    pub username: String,
    pub scope: TokenScope,
    pub created_at: Millis,
    /// When it stops working; `None` never.
    pub expires_at: Option<Millis>,
    pub last_used_at: Option<Millis>,
}

/// A token to create.
#[derive(Clone, Debug)]
pub struct NewApiToken<'a> {
    pub name: &'a str,
    pub user_id: &'a str,
    pub token_hash: &'a str,
    pub scope: TokenScope,
    pub expires_at: Option<Millis>,
}

#[async_trait]
pub trait UserStore: Send + Sync {
    /// A `Conflict` when the username is taken: usernames are unique by
    /// [`seatmate_core::username_key`], so `Admin` and `ＡＤＭＩＮ` are taken by `admin`.
    async fn create_user(&self, user: &NewUser, now: Millis) -> Result<User>;
    /// The user and their password hash, by any spelling with the same username key.
    async fn user_by_username(&self, username: &str) -> Result<Option<(User, String)>>;
    async fn list_users(&self) -> Result<Vec<User>>;
    /// Also ends every open session of that user.
    async fn set_password(&self, username: &str, password_hash: &str) -> Result<()>;
    /// Deactivates (ending every session; tokens stop working) or reactivates a user.
    async fn set_user_active(&self, username: &str, active: bool) -> Result<User>;
    async fn create_session(&self, token_hash: &str, user_id: &str, now: Millis, expires_at: Millis) -> Result<()>;
    /// The active user of an unexpired session.
    async fn session_user(&self, token_hash: &str, now: Millis) -> Result<Option<User>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    async fn create_api_token(&self, token: &NewApiToken<'_>, now: Millis) -> Result<ApiToken>;
    /// The active user of an unrevoked, unexpired token, and what the token may do; records the use.
    async fn api_token_user(&self, token_hash: &str, now: Millis) -> Result<Option<(User, TokenScope)>>;
    async fn list_api_tokens(&self) -> Result<Vec<ApiToken>>;
    async fn revoke_api_token(&self, id: &str, now: Millis) -> Result<()>;
    /// A user's draft under `key`, if they saved one.
    async fn draft(&self, user_id: &str, key: &str) -> Result<Option<Draft>>;
    /// Saves (or replaces) a user's draft.
    async fn save_draft(&self, user_id: &str, draft: &Draft) -> Result<()>;
    /// Forgets a user's draft (submitted or abandoned); nothing happens when there is none.
    async fn delete_draft(&self, user_id: &str, key: &str) -> Result<()>;
}

/// A user's unsaved work: what a form held, as the UI wrote it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Draft {
    pub key: String,
    /// The conversation it is about: erasing that conversation erases the draft.
    pub conversation_id: Option<String>,
    pub body: serde_json::Value,
    pub updated_at: Millis,
}
