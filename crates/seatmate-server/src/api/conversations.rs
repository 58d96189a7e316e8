//! Conversations, the ticket pre-filled from one, and the live cards beside it.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use seatmate_aftercall::{Prefilled, Suggestion, Summary};
use seatmate_assist::LiveCards;
use seatmate_core::{AuditAction, Channel, Conversation, ConversationSummary, Ticket};
use seatmate_store::ConversationFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::privacy::masks_for;
use super::{limit, parse_opt, scope_of, ApiResult, PageOf};
use crate::audit::{self, Client};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::AppState;

/// At most this many spellings of a search text (each one more LIKE over the turns).
const SEARCH_SPELLINGS: usize = 16;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConversationQuery {
    /// Words in any turn (Traditional and Simplified alike).
    q: Option<String>,
    /// `chat`, `voice`, `email` or `all`.
    channel: Option<String>,
    queue: Option<String>,
    /// The agent's username.
    agent: Option<String>,
    /// Started at or after (ms since the epoch).
    from: Option<i64>,
    /// Started before (ms since the epoch).
    to: Option<i64>,
    /// Only live conversations still going on.
    ongoing: Option<bool>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// Conversations visible to the caller, newest first.
#[utoipa::path(get, path = "/conversations", tag = "conversations", params(ConversationQuery),
    responses((status = 200, body = PageOf<ConversationSummary>)))]
pub async fn list_conversations(
    State(state): State<AppState>,
    user: CurrentUser,
    query: Result<Query<ConversationQuery>, QueryRejection>,
) -> ApiResult<PageOf<ConversationSummary>> {
    let Query(query) = query?;
    // the turns are stored as written, so the search tries the text's Simplified and Traditional spellings
    let text_spellings = query.q.as_deref().map(|q| seatmate_text::han_spellings(q, SEARCH_SPELLINGS)).unwrap_or_default();
    let filter = ConversationFilter {
        text: query.q,
        text_spellings,
        channel: parse_opt::<Channel>(&query.channel)?,
        queue: query.queue,
        agent: query.agent,
        started_from: query.from,
        started_to: query.to,
        ongoing: query.ongoing.unwrap_or(false),
        limit: limit(query.limit),
        offset: query.offset.unwrap_or(0).max(0),
    };
    let mut page = state.store.list_conversations(&scope_of(&user), &filter).await?;
    if masks_for(&state, &user).await? {
        page.items.iter_mut().for_each(|c| c.preview = seatmate_redact::mask(&c.preview));
    }
    Ok(Json(page.into()))
}

/// One conversation with its turns; 404 when missing or not visible (the two look the same, so
/// ids cannot be probed).
#[utoipa::path(get, path = "/conversations/{id}", tag = "conversations", params(("id" = String, Path)),
    responses((status = 200, body = Conversation)))]
pub async fn get_conversation(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    Path(id): Path<String>,
) -> ApiResult<Conversation> {
    let mut conversation =
        state.store.conversation(&scope_of(&user), &id).await?.ok_or_else(|| ApiError::not_found("conversation"))?;
    if masks_for(&state, &user).await? {
        seatmate_redact::mask_conversation(&mut conversation);
    }
    audit::record(&state, &user.0.username, &client, AuditAction::ConversationRead, &id, "").await?;
    Ok(Json(conversation))
}

#[derive(Serialize, ToSchema)]
pub struct TicketWithSuggestion {
    pub ticket: Ticket,
    pub suggestion: Suggestion,
    /// The conversation's problem, actions and outcome, each sentence with the index of its turn.
    pub summary: Summary,
}

/// The conversation's ticket (the existing one, or a new one pre-filled), its suggestion and summary.
#[utoipa::path(post, path = "/conversations/{id}/ticket", tag = "conversations", params(("id" = String, Path)),
    responses((status = 200, body = TicketWithSuggestion)))]
pub async fn conversation_ticket(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<TicketWithSuggestion> {
    // not behind the CPU gate: a stored conversation is bounded and costs a few ms to classify,
    // and the gate's turn would be held across the store's reads and writes too
    let Prefilled { mut ticket, suggestion, mut summary } =
        state.aftercall.prefill(&scope_of(&user), &id, &user.0.username, state.clock.now_millis()).await?;
    if masks_for(&state, &user).await? {
        seatmate_redact::mask_ticket(&mut ticket);
        for line in summary.problem.iter_mut().chain(&mut summary.actions).chain(&mut summary.outcome) {
            line.text = seatmate_redact::mask(&line.text);
        }
    }
    Ok(Json(TicketWithSuggestion { ticket, suggestion, summary }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssistQuery {
    /// Index of the last turn to consider (live replay); the whole conversation when absent.
    upto: Option<usize>,
    /// How many knowledge cards (1–20, default 4).
    k: Option<usize>,
}

/// Live cards: knowledge and similar solved cases for the customer's latest turns.
#[utoipa::path(get, path = "/conversations/{id}/assist", tag = "conversations", params(("id" = String, Path), AssistQuery),
    responses((status = 200, body = LiveCards)))]
pub async fn conversation_assist(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    query: Result<Query<AssistQuery>, QueryRejection>,
) -> ApiResult<LiveCards> {
    let Query(query) = query?;
    let k = query.k.unwrap_or(4).clamp(1, 20);
    let _turn = state.limits.cpu.admit().await?;
    let mut cards = state.assist.live_cards(&scope_of(&user), &id, query.upto, k).await?;
    if cards.flow.is_none() && !cards.query.is_empty() {
        // no flow in the customer's words: the one for the request type the classifier reads
        let suggestion = state.aftercall.suggest(&cards.query).await?;
        let candidates: Vec<(Vec<String>, f32)> = suggestion
            .candidates
            .iter()
            .map(|c| {
                let mut path: Vec<String> = c.path.iter().map(|node| node.code.clone()).collect();
                if path.last() != Some(&c.category) {
                    path.push(c.category.clone());
                }
                (path, c.probability)
            })
            .collect();
        cards.flow = state.assist.flow_for_categories(&candidates).await?;
    }
    Ok(Json(cards))
}
