//! Writing the audit log from handlers: who (the user or `-`), from where (the client address),
//! what, on what. An entry that cannot be written fails the request: nothing audited goes unlogged.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use seatmate_core::{AuditAction, AuditEntry};

use crate::error::ApiError;
use crate::AppState;

/// The client's address as the server saw it (`-` in in-process tests).
#[derive(Clone, Debug)]
pub struct Client(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let address = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip().to_string());
        Ok(Client(address.unwrap_or_else(|| "-".into())))
    }
}

/// Appends one entry, now.
pub async fn record(
    state: &AppState,
    actor: &str,
    client: &Client,
    action: AuditAction,
    target: &str,
    detail: impl Into<String>,
) -> Result<(), ApiError> {
    let entry = AuditEntry {
        seq: 0,
        at: state.clock.now_millis(),
        actor: actor.to_string(),
        action,
        target: target.to_string(),
        detail: detail.into(),
        client: client.0.clone(),
    };
    state.store.append_audit(&entry).await?;
    Ok(())
}
