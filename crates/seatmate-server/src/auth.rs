//! Who is asking: session cookies for people, bearer API tokens for integrations. Passwords are
//! argon2-hashed; session and API tokens are random and stored only as SHA-256 hashes.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use rand::RngCore;
use seatmate_core::{TokenScope, User};
use sha2::{Digest, Sha256};

use crate::{ApiError, AppState};

pub const SESSION_COOKIE: &str = "seatmate_session";
pub const API_TOKEN_PREFIX: &str = "smt_";

pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Passwords refused as too common (data/README.md says where they come from).
const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// Whether `password` may be `username`'s password: at least [`MIN_PASSWORD_CHARS`] characters,
/// at least four different ones, not the username (or holding it), and not a common password.
/// The error says which rule it broke, for the person choosing it.
pub fn check_password(username: &str, password: &str) -> Result<(), String> {
    let folded = seatmate_core::username_key(password);
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!("the password must have at least {MIN_PASSWORD_CHARS} characters"));
    }
    let distinct: std::collections::HashSet<char> = folded.chars().filter(|c| !c.is_whitespace()).collect();
    if distinct.len() < 4 {
        return Err("the password must have at least four different characters (not counting spaces)".into());
    }
    let user = seatmate_core::username_key(username);
    if !user.is_empty() && (folded == user || (user.chars().count() >= 3 && folded.contains(&user))) {
        return Err("the password must not be or contain the username".into());
    }
    if COMMON_PASSWORDS.lines().any(|common| common == folded) {
        return Err("that password is on the list of the most common passwords; choose another".into());
    }
    Ok(())
}

/// A new random secret, hex-encoded (256 bits).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new API token: the prefix marks it as one in logs and secret scanners.
pub fn new_api_token() -> String {
    format!("{API_TOKEN_PREFIX}{}", new_secret())
}

pub fn hash_secret(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The logged-in user behind a request; rejects with 401 when there is none.
#[derive(Clone, Debug)]
pub struct CurrentUser(pub User);

/// The request came with an API token that may only read.
#[derive(Clone, Copy, Debug)]
pub struct ReadOnlyToken;

impl ReadOnlyToken {
    pub fn refusal() -> ApiError {
        ApiError::new(crate::error::ErrorCode::Forbidden, "this API token may only read")
    }
}

/// The session token from the `Cookie` header, if any.
pub fn session_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // the route's access check found the user already
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        authenticate(parts, state).await
    }
}

/// The user behind a session cookie or an API token.
pub async fn authenticate(parts: &Parts, state: &AppState) -> Result<CurrentUser, ApiError> {
    Ok(authenticate_with_scope(parts, state).await?.0)
}

/// The user behind a session cookie or an API token, and what the token may do (`None` for a
/// session, which may do all the user's role allows).
pub async fn authenticate_with_scope(parts: &Parts, state: &AppState) -> Result<(CurrentUser, Option<TokenScope>), ApiError> {
    let now = state.clock.now_millis();
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let found = if let Some(token) = bearer {
        if !token.starts_with(API_TOKEN_PREFIX) {
            return Err(ApiError::unauthorized());
        }
        state.store.api_token_user(&hash_secret(token), now).await?.map(|(user, scope)| (user, Some(scope)))
    } else if let Some(token) = session_token(parts) {
        state.store.session_user(&hash_secret(&token), now).await?.map(|user| (user, None))
    } else {
        None
    };
    found.map(|(user, scope)| (CurrentUser(user), scope)).ok_or_else(ApiError::unauthorized)
}

pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused_with_the_reason() {
        assert!(check_password("alice", "        ").unwrap_err().contains("four different"));
        assert!(check_password("alice", "12345678").unwrap_err().contains("common"));
        assert!(check_password("alice", "Password1").unwrap_err().contains("common"));
        assert!(check_password("alice", "woaini1314").unwrap_err().contains("common"));
        assert!(check_password("administrator", "Administrator").unwrap_err().contains("username"));
        assert!(check_password("ＡＬＩＣＥ", "alice-2024!").unwrap_err().contains("username"));
        assert!(check_password("alice", "short").unwrap_err().contains("at least 8"));
        assert_eq!(check_password("alice", "seatmate-demo"), Ok(()));
        assert_eq!(check_password("alice", "蓝色的海和白色的船"), Ok(()));
    }
}
