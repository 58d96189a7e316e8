//! Users, login sessions and API tokens.

use async_trait::async_trait;
use seatmate_core::{Millis, Role, User};

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
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
}

#[async_trait]
pub trait UserStore: Send + Sync {
    /// A `Conflict` when the username is taken.
    async fn create_user(&self, user: &NewUser, now: Millis) -> Result<User>;
    /// The user and their password hash.
    async fn user_by_username(&self, username: &str) -> Result<Option<(User, String)>>;
    async fn list_users(&self) -> Result<Vec<User>>;
    /// Also ends every open session of that user.
    async fn set_password(&self, username: &str, password_hash: &str) -> Result<()>;
    async fn create_session(&self, token_hash: &str, user_id: &str, now: Millis, expires_at: Millis) -> Result<()>;
    /// The active user of an unexpired session.
    async fn session_user(&self, token_hash: &str, now: Millis) -> Result<Option<User>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    async fn create_api_token(&self, name: &str, user_id: &str, token_hash: &str, now: Millis) -> Result<ApiToken>;
    /// The active user of an unrevoked token; records the use.
    async fn api_token_user(&self, token_hash: &str, now: Millis) -> Result<Option<User>>;
    async fn list_api_tokens(&self) -> Result<Vec<ApiToken>>;
    async fn revoke_api_token(&self, id: &str, now: Millis) -> Result<()>;
}
