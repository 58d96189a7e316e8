//! Users, login sessions and API tokens.

use async_trait::async_trait;
use seatmate_core::{username_key, Millis, Role, TokenScope, User};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::{parse, SqlStore};
use crate::{ApiToken, Draft, NewApiToken, NewUser, Result, StoreError, UserStore};

const USER_COLUMNS: &str = "id, username, display_name, role, team, active";

/// The user columns prefixed by `u.`, for joins.
fn joined_user_columns() -> String {
    USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
}

/// Fills the username key of users made before keys existed (migration 4). Two users whose names
/// fold to one key cannot both keep their name: the migration stops and says who they are.
pub(crate) async fn fill_username_keys(tx: &mut Transaction<'static, Any>) -> Result<()> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, username FROM users WHERE username_key IS NULL ORDER BY created_at")
            .fetch_all(&mut **tx)
            .await?;
    let mut seen = std::collections::HashMap::new();
    for (id, username) in rows {
        let key = username_key(&username);
        if let Some(first) = seen.insert(key.clone(), username.clone()) {
            return Err(StoreError::Conflict(format!(
                "users {first:?} and {username:?} differ only in case or width; rename one (seatmate user rename) and start again"
            )));
        }
        sqlx::query("UPDATE users SET username_key = $2 WHERE id = $1").bind(&id).bind(&key).execute(&mut **tx).await?;
    }
    Ok(())
}

fn token_from_row(row: &AnyRow) -> Result<ApiToken> {
    Ok(ApiToken {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        username: row.try_get("username")?,
        scope: parse::<TokenScope>(&row.try_get::<String, _>("scope")?, "scope")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        last_used_at: row.try_get("last_used_at")?,
    })
}

const TOKEN_COLUMNS: &str = "t.id, t.name, u.username, t.scope, t.created_at, t.expires_at, t.last_used_at";

fn user_from_row(row: &AnyRow) -> Result<User> {
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: parse::<Role>(&row.try_get::<String, _>("role")?, "role")?,
        team: row.try_get("team")?,
        active: row.try_get::<i64, _>("active")? != 0,
    })
}

#[async_trait]
impl UserStore for SqlStore {
    async fn create_user(&self, user: &NewUser, now: Millis) -> Result<User> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let result = sqlx::query(
            "INSERT INTO users (id, username, username_key, display_name, role, team, password_hash, active, created_at) \
             VALUES ($1, $2, $8, $3, $4, $5, $6, 1, $7) ON CONFLICT DO NOTHING",
        )
        .bind(&id)
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(user.role.as_str())
        .bind(&user.team)
        .bind(&user.password_hash)
        .bind(now)
        .bind(username_key(&user.username))
        .execute(&self.pool)
        .await?;
        if result.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!("user {:?} already exists", user.username)));
        }
        Ok(User {
            id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            team: user.team.clone(),
            active: true,
        })
    }

    async fn user_by_username(&self, username: &str) -> Result<Option<(User, String)>> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE username_key = $1"))
            .bind(username_key(username))
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| Ok((user_from_row(&row)?, row.try_get("password_hash")?))).transpose()
    }

    async fn list_users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY username")).fetch_all(&self.pool).await?;
        rows.iter().map(user_from_row).collect()
    }

    async fn set_password(&self, username: &str, password_hash: &str) -> Result<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        let key = username_key(username);
        let result = sqlx::query("UPDATE users SET password_hash = $2 WHERE username_key = $1")
            .bind(&key)
            .bind(password_hash)
            .execute(&mut *tx)
            .await?;
        if result.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {username:?}")));
        }
        // a new password ends every open session of that user
        sqlx::query("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username_key = $1)")
            .bind(&key)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_user_active(&self, username: &str, active: bool) -> Result<User> {
        let (_turn, mut tx) = self.begin_write().await?;
        let key = username_key(username);
        let result = sqlx::query("UPDATE users SET active = $2 WHERE username_key = $1")
            .bind(&key)
            .bind(i64::from(active))
            .execute(&mut *tx)
            .await?;
        if result.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {username:?}")));
        }
        if !active {
            sqlx::query("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username_key = $1)")
                .bind(&key)
                .execute(&mut *tx)
                .await?;
        }
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE username_key = $1"))
            .bind(&key)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        user_from_row(&row)
    }

    async fn create_session(&self, token_hash: &str, user_id: &str, now: Millis, expires_at: Millis) -> Result<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(now).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(user_id)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session_user(&self, token_hash: &str, now: Millis) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
            joined_user_columns()
        ))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    async fn create_api_token(&self, token: &NewApiToken<'_>, now: Millis) -> Result<ApiToken> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        sqlx::query(
            "INSERT INTO api_tokens (id, name, user_id, token_hash, scope, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(token.name)
        .bind(token.user_id)
        .bind(token.token_hash)
        .bind(token.scope.as_str())
        .bind(token.expires_at)
        .bind(now)
        .execute(&self.pool)
        .await?;
        let row =
            sqlx::query(&format!("SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1"))
                .bind(&id)
                .fetch_one(&self.pool)
                .await?;
        token_from_row(&row)
    }

    async fn api_token_user(&self, token_hash: &str, now: Millis) -> Result<Option<(User, TokenScope)>> {
        let row = sqlx::query(&format!(
            "SELECT {}, t.scope FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2) AND u.active = 1",
            joined_user_columns()
        ))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        // the time of use, to the minute: a busy integration does not write on every request
        sqlx::query(
            "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 AND (last_used_at IS NULL OR last_used_at < $3)",
        )
        .bind(token_hash)
        .bind(now)
        .bind(now - 60_000)
        .execute(&self.pool)
        .await?;
        Ok(Some((user_from_row(&row)?, parse::<TokenScope>(&row.try_get::<String, _>("scope")?, "scope")?)))
    }

    async fn list_api_tokens(&self) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.revoked_at IS NULL ORDER BY t.created_at"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(token_from_row).collect()
    }

    async fn revoke_api_token(&self, id: &str, now: Millis) -> Result<()> {
        let result = sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(&self.pool)
            .await?;
        if result.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("api token {id:?}")));
        }
        Ok(())
    }

    async fn draft(&self, user_id: &str, key: &str) -> Result<Option<Draft>> {
        let row = sqlx::query("SELECT key, conversation_id, body, updated_at FROM drafts WHERE user_id = $1 AND key = $2")
            .bind(user_id)
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            let body: String = row.try_get("body")?;
            Ok(Draft {
                key: row.try_get("key")?,
                conversation_id: row.try_get("conversation_id")?,
                body: serde_json::from_str(&body).map_err(|e| StoreError::Corrupt(format!("draft {key:?}: {e}")))?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .transpose()
    }

    async fn save_draft(&self, user_id: &str, draft: &Draft) -> Result<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO drafts (user_id, key, conversation_id, body, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (user_id, key) DO UPDATE SET conversation_id = excluded.conversation_id, body = excluded.body, \
             updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(&draft.key)
        .bind(&draft.conversation_id)
        .bind(draft.body.to_string())
        .bind(draft.updated_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_draft(&self, user_id: &str, key: &str) -> Result<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        sqlx::query("DELETE FROM drafts WHERE user_id = $1 AND key = $2").bind(user_id).bind(key).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
