//! Tickets: suggestions, dispatch, confirmation and correction.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::Json;
use seatmate_aftercall::{DispatchDecision, Suggestion};
use seatmate_core::{Priority, TaxonomyNode, Ticket, TicketEvent, TicketStatus};
use seatmate_store::{TicketChanges, TicketFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::privacy::masks_for;
use super::{limit, parse_opt, scope_of, ApiResult, PageOf};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::AppState;

/// Longest text `/classify` reads, in bytes: a ticket, not a document.
const MAX_CLASSIFY_BYTES: usize = 64 * 1024;

#[derive(Deserialize, ToSchema)]
pub struct ClassifyRequest {
    /// The ticket or conversation text (at most 64 KiB).
    pub text: String,
}

/// Suggest category path, team and priority for a text.
#[utoipa::path(post, path = "/classify", tag = "tickets", request_body = ClassifyRequest,
    responses((status = 200, body = Suggestion)))]
pub async fn classify(
    State(state): State<AppState>,
    _user: CurrentUser,
    body: Result<Json<ClassifyRequest>, JsonRejection>,
) -> ApiResult<Suggestion> {
    let Json(request) = body?;
    if request.text.trim().is_empty() {
        return Err(ApiError::invalid("text must not be empty"));
    }
    if request.text.len() > MAX_CLASSIFY_BYTES {
        return Err(ApiError::invalid(format!("text is longer than {MAX_CLASSIFY_BYTES} bytes")));
    }
    let _turn = state.limits.cpu.admit().await?;
    Ok(Json(state.aftercall.suggest(&request.text).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct DispatchRequest {
    /// The taxonomy code the agent picked.
    pub category: String,
    pub conversation_id: Option<String>,
    /// Empty means none.
    #[schema(value_type = Option<Priority>)]
    pub priority: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DispatchAnswer {
    /// `null` when no rule, taxonomy team or past ticket names a team.
    pub decision: Option<DispatchDecision>,
}

/// Where a ticket of a category goes (for a category the agent picked), with the reason.
#[utoipa::path(post, path = "/dispatch", tag = "tickets", request_body = DispatchRequest,
    responses((status = 200, body = DispatchAnswer)))]
pub async fn dispatch_for(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Result<Json<DispatchRequest>, JsonRejection>,
) -> ApiResult<DispatchAnswer> {
    let Json(request) = body?;
    let conversation = request.conversation_id.as_deref().filter(|c| !c.is_empty());
    let priority = parse_opt::<Priority>(&request.priority)?;
    let decision = state.aftercall.dispatch_for(&scope_of(&user), &request.category, conversation, priority).await?;
    Ok(Json(DispatchAnswer { decision }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TicketQuery {
    /// The conversation's id.
    conversation: Option<String>,
    /// `draft`, `open`, `confirmed`, `closed` or `all`.
    status: Option<String>,
    /// A taxonomy code: tickets in it or below it.
    category: Option<String>,
    q: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// Tickets visible to the caller.
#[utoipa::path(get, path = "/tickets", tag = "tickets", params(TicketQuery), responses((status = 200, body = PageOf<Ticket>)))]
pub async fn list_tickets(
    State(state): State<AppState>,
    user: CurrentUser,
    query: Result<Query<TicketQuery>, QueryRejection>,
) -> ApiResult<PageOf<Ticket>> {
    let Query(query) = query?;
    let filter = TicketFilter {
        conversation_id: query.conversation.filter(|c| !c.is_empty()),
        status: parse_opt::<TicketStatus>(&query.status)?,
        category_prefix: query.category.filter(|c| !c.is_empty()),
        text: query.q,
        limit: limit(query.limit),
        offset: query.offset.unwrap_or(0).max(0),
    };
    let mut page = state.store.list_tickets(&scope_of(&user), &filter).await?;
    if masks_for(&state, &user).await? {
        page.items.iter_mut().for_each(seatmate_redact::mask_ticket);
    }
    Ok(Json(page.into()))
}

#[derive(Serialize, ToSchema)]
pub struct TicketDetail {
    pub ticket: Ticket,
    /// Every confirmation and correction, oldest first.
    pub events: Vec<TicketEvent>,
    /// The category's path from the root (empty without a category).
    pub category_path: Vec<TaxonomyNode>,
}

/// One ticket with its history and category path.
#[utoipa::path(get, path = "/tickets/{id}", tag = "tickets", params(("id" = String, Path)),
    responses((status = 200, body = TicketDetail)))]
pub async fn get_ticket(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<TicketDetail> {
    let (mut ticket, mut events) =
        state.store.ticket(&scope_of(&user), &id).await?.ok_or_else(|| ApiError::not_found("ticket"))?;
    if masks_for(&state, &user).await? {
        seatmate_redact::mask_ticket(&mut ticket);
        for event in &mut events {
            for value in [&mut event.old_value, &mut event.new_value].into_iter().flatten() {
                *value = seatmate_redact::mask(value);
            }
        }
    }
    let category_path = match &ticket.category {
        Some(code) => state.store.taxonomy_path(code).await?,
        None => Vec::new(),
    };
    Ok(Json(TicketDetail { ticket, events, category_path }))
}

/// What the model suggests for this ticket now.
#[utoipa::path(get, path = "/tickets/{id}/suggestion", tag = "tickets", params(("id" = String, Path)),
    responses((status = 200, body = Suggestion)))]
pub async fn ticket_suggestion(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Suggestion> {
    Ok(Json(state.aftercall.suggestion_for_ticket(&scope_of(&user), &id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct ConfirmRequest {
    /// A taxonomy code; absent keeps the ticket's.
    pub category: Option<String>,
    pub team: Option<String>,
    /// Empty keeps the ticket's.
    #[schema(value_type = Option<Priority>)]
    pub priority: Option<String>,
    pub summary: Option<String>,
}

/// Confirm the ticket, with corrections if any; corrections teach the next model.
#[utoipa::path(post, path = "/tickets/{id}/confirm", tag = "tickets", params(("id" = String, Path)),
    request_body = ConfirmRequest, responses((status = 200, body = Ticket)))]
pub async fn confirm_ticket(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    body: Result<Json<ConfirmRequest>, JsonRejection>,
) -> ApiResult<Ticket> {
    let Json(request) = body?;
    let changes = TicketChanges {
        category: request.category.filter(|c| !c.is_empty()),
        team: request.team.filter(|t| !t.is_empty()),
        priority: parse_opt::<Priority>(&request.priority)?,
        summary: request.summary,
        status: None,
    };
    let now = state.clock.now_millis();
    Ok(Json(state.aftercall.confirm(&scope_of(&user), &id, changes, &user.0.username, now).await?))
}
