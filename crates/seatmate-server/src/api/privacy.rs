//! Customers' data rights and accountability: the audit log, erasure by customer, retention by age.

use std::time::Duration;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use seatmate_core::{AuditAction, AuditEntry, Millis};
use seatmate_redact::Policy;
use seatmate_store::{AuditFilter, Removed, Store};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{limit, parse_opt, ApiResult};
use crate::audit::{self, Client};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this actor's entries (a username, `cli` or `-`).
    actor: Option<String>,
    /// Only this action (`login`, `conversation_read`, `export`, …).
    action: Option<String>,
    /// Entries before this position: the `next_before` of the previous page.
    before: Option<i64>,
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    /// Newest first.
    pub items: Vec<AuditEntry>,
    /// Pass as `before` for the next (older) page; absent on the last page.
    pub next_before: Option<i64>,
}

/// The audit log, newest first: logins, reads of conversations, exports and admin actions.
#[utoipa::path(get, path = "/audit", tag = "privacy", params(AuditQuery), responses((status = 200, body = AuditPage)))]
pub async fn audit_log(
    State(state): State<AppState>,
    _user: CurrentUser,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> ApiResult<AuditPage> {
    let Query(query) = query?;
    let limit = limit(query.limit);
    let filter = AuditFilter {
        actor: query.actor.filter(|a| !a.trim().is_empty()),
        action: parse_opt::<AuditAction>(&query.action)?,
        before_seq: query.before,
        since: None,
        limit,
    };
    let items = state.store.audit_log(&filter).await?;
    let next_before = (items.len() as i64 == limit).then(|| items.last().map(|e| e.seq)).flatten();
    Ok(Json(AuditPage { items, next_before }))
}

/// The whole audit log as JSON Lines, newest first, read and sent a page at a time (the export
/// is itself audited).
#[utoipa::path(get, path = "/audit/export", tag = "privacy",
    responses((status = 200, content_type = "application/x-ndjson", body = String, description = "one AuditEntry per line")))]
pub async fn export_audit_log(State(state): State<AppState>, user: CurrentUser, client: Client) -> Result<Response, ApiError> {
    audit::record(&state, &user.0.username, &client, AuditAction::Export, "audit_log", "").await?;
    const PAGE: i64 = 1_000;
    // the next page starts before this position; `None` once the log is exhausted
    let pages = futures_util::stream::unfold(Some(i64::MAX), move |before| {
        let store = state.store.clone();
        async move {
            let filter = AuditFilter { before_seq: Some(before?), limit: PAGE, ..AuditFilter::default() };
            let page = match store.audit_log(&filter).await {
                Ok(page) => page,
                Err(error) => return Some((Err(std::io::Error::other(error.to_string())), None)),
            };
            let next = (page.len() as i64 == PAGE).then(|| page.last().map(|e| e.seq)).flatten();
            let mut lines = String::new();
            for entry in &page {
                lines.push_str(&serde_json::to_string(entry).unwrap_or_default());
                lines.push('\n');
            }
            (!page.is_empty()).then_some((Ok(lines), next))
        }
    });
    let headers = [
        (header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8"),
        (header::CONTENT_DISPOSITION, "attachment; filename=\"seatmate-audit.jsonl\""),
    ];
    Ok((headers, axum::body::Body::from_stream(pages)).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct EraseRequest {
    /// The customer id the conversations were imported with.
    pub customer_id: String,
}

/// What was removed.
#[derive(Serialize, ToSchema)]
pub struct RemovedCounts {
    pub conversations: i64,
    pub tickets: i64,
    pub feedback: i64,
}

impl From<&Removed> for RemovedCounts {
    fn from(removed: &Removed) -> Self {
        RemovedCounts { conversations: removed.conversations, tickets: removed.tickets, feedback: removed.feedback }
    }
}

/// Erase everything kept about one customer: conversations, their tickets and history, feedback
/// given on them, and (as the index rebuilds) their similar-case entries and cached vectors.
#[utoipa::path(post, path = "/privacy/erase", tag = "privacy", request_body = EraseRequest,
    responses((status = 200, body = RemovedCounts)))]
pub async fn erase_customer(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    body: Result<Json<EraseRequest>, JsonRejection>,
) -> ApiResult<RemovedCounts> {
    let Json(request) = body?;
    let customer = request.customer_id.trim();
    if customer.is_empty() {
        return Err(ApiError::invalid("customer_id must not be empty"));
    }
    let removed = state.store.erase_customer(customer).await?;
    let counts = RemovedCounts::from(&removed);
    let detail = format!("conversations={} tickets={} feedback={}", counts.conversations, counts.tickets, counts.feedback);
    audit::record(&state, &user.0.username, &client, AuditAction::CustomerErased, customer, detail).await?;
    if removed.conversations + removed.tickets + removed.feedback > 0 {
        rebuild_when_idle(&state);
    }
    Ok(Json(counts))
}

/// How long each kind of record is kept; `null` keeps it for ever.
#[derive(Clone, Debug, Default, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
pub struct Retention {
    /// Conversations are removed this many days after they started (with their tickets).
    pub conversation_days: Option<u32>,
    /// Tickets are removed this many days after their last change.
    pub ticket_days: Option<u32>,
}

const RETENTION_SETTING: &str = "retention";

pub async fn retention(store: &dyn Store) -> Result<Retention, ApiError> {
    match store.setting(RETENTION_SETTING).await? {
        Some(json) => serde_json::from_str(&json).map_err(ApiError::internal),
        None => Ok(Retention::default()),
    }
}

/// How long conversations and tickets are kept.
#[utoipa::path(get, path = "/privacy/retention", tag = "privacy", responses((status = 200, body = Retention)))]
pub async fn get_retention(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<Retention> {
    Ok(Json(retention(state.store.as_ref()).await?))
}

/// Set how long conversations and tickets are kept; applied now and every hour after.
#[utoipa::path(put, path = "/privacy/retention", tag = "privacy", request_body = Retention,
    responses((status = 200, body = RemovedCounts, description = "what applying it removed now")))]
pub async fn set_retention(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    body: Result<Json<Retention>, JsonRejection>,
) -> ApiResult<RemovedCounts> {
    let Json(policy) = body?;
    for days in [policy.conversation_days, policy.ticket_days].into_iter().flatten() {
        if days == 0 || days > 36_500 {
            return Err(ApiError::invalid("days must be 1 to 36500, or null to keep for ever"));
        }
    }
    state.store.set_setting(RETENTION_SETTING, &serde_json::to_string(&policy).map_err(ApiError::internal)?).await?;
    let detail = format!("conversation_days={:?} ticket_days={:?}", policy.conversation_days, policy.ticket_days);
    audit::record(&state, &user.0.username, &client, AuditAction::SettingsChanged, "retention", detail).await?;
    let removed = apply_retention(&state, &user.0.username, &client).await?;
    Ok(Json(RemovedCounts::from(&removed)))
}

const DAY_MS: Millis = 24 * 3600 * 1000;

/// Whether what `user` is shown must be masked now (the `display` policy, for roles that do not
/// read personal data).
pub async fn masks_for(state: &AppState, user: &CurrentUser) -> Result<bool, ApiError> {
    Ok(state.aftercall.redaction_policy().await?.masks_for(user.0.role))
}

#[derive(Deserialize, Serialize, ToSchema)]
pub struct RedactionSetting {
    /// `store`: personal data is masked before it is stored (the default); `display`: stored as
    /// given and masked for every role but admins and QA inspectors; `off`: never masked (similar
    /// cases and exports still are).
    pub policy: String,
}

/// The redaction policy.
#[utoipa::path(get, path = "/privacy/redaction", tag = "privacy", responses((status = 200, body = RedactionSetting)))]
pub async fn get_redaction(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<RedactionSetting> {
    Ok(Json(RedactionSetting { policy: state.aftercall.redaction_policy().await?.as_str().into() }))
}

/// Set the redaction policy (applies to what is stored or shown from now on).
#[utoipa::path(put, path = "/privacy/redaction", tag = "privacy", request_body = RedactionSetting,
    responses((status = 200, body = RedactionSetting)))]
pub async fn set_redaction(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    body: Result<Json<RedactionSetting>, JsonRejection>,
) -> ApiResult<RedactionSetting> {
    let Json(request) = body?;
    let policy = Policy::parse(&request.policy).ok_or_else(|| ApiError::invalid("policy must be store, display or off"))?;
    state.aftercall.set_redaction_policy(policy).await?;
    audit::record(&state, &user.0.username, &client, AuditAction::SettingsChanged, "redaction", policy.as_str()).await?;
    Ok(Json(RedactionSetting { policy: policy.as_str().into() }))
}

/// Removes what the retention policy no longer keeps, and audits it when anything went.
pub async fn apply_retention(state: &AppState, actor: &str, client: &Client) -> Result<Removed, ApiError> {
    let policy = retention(state.store.as_ref()).await?;
    if policy == Retention::default() {
        return Ok(Removed::default());
    }
    let now = state.clock.now_millis();
    let cutoff = |days: Option<u32>| days.map(|d| now - i64::from(d) * DAY_MS);
    let removed = state.store.remove_older_than(cutoff(policy.conversation_days), cutoff(policy.ticket_days)).await?;
    if removed.conversations + removed.tickets + removed.feedback > 0 {
        let detail = format!("conversations={} tickets={} feedback={}", removed.conversations, removed.tickets, removed.feedback);
        audit::record(state, actor, client, AuditAction::RetentionApplied, "retention", detail).await?;
        rebuild_when_idle(state);
    }
    Ok(removed)
}

/// Rebuilds the knowledge and case indices (forgetting removed cases and their vectors) as soon
/// as no other rebuild runs.
fn rebuild_when_idle(state: &AppState) {
    let assist = state.assist.clone();
    tokio::spawn(async move {
        loop {
            match assist.start_rebuild() {
                Err(seatmate_assist::AssistError::Busy) => tokio::time::sleep(Duration::from_secs(2)).await,
                Err(error) => {
                    tracing::error!(error = ?error.to_string(), "rebuild after removal failed");
                    return;
                }
                Ok(_) => return,
            }
        }
    });
}
