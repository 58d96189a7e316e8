//! The knowledge base: browse, ask, edit, feedback, the index and its rebuild.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::Json;
use seatmate_assist::{Answer, IndexInfo, KnowledgeEdit, RebuildStatus, Verdict};
use seatmate_core::{AuditAction, KnowledgeItem, KnowledgeKind};
use seatmate_store::KnowledgeFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{limit, parse_opt, scope_of, ApiResult, Items, PageOf};
use crate::audit::{self, Client};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorCode};

/// Longest question asked of the knowledge base.
const MAX_QUESTION_CHARS: usize = 2_000;
use crate::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KnowledgeQuery {
    /// `faq`, `article`, `flow` or `all`.
    kind: Option<String>,
    q: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// FAQs, articles and guided flows.
#[utoipa::path(get, path = "/knowledge", tag = "knowledge", params(KnowledgeQuery), responses((status = 200, body = PageOf<KnowledgeItem>)))]
pub async fn list_knowledge(
    State(state): State<AppState>,
    _user: CurrentUser,
    query: Result<Query<KnowledgeQuery>, QueryRejection>,
) -> ApiResult<PageOf<KnowledgeItem>> {
    let Query(query) = query?;
    let filter = KnowledgeFilter {
        kind: parse_opt::<KnowledgeKind>(&query.kind)?,
        text: query.q,
        limit: limit(query.limit),
        offset: query.offset.unwrap_or(0).max(0),
    };
    Ok(Json(state.store.list_knowledge(&filter).await?.into()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KnowledgeSearchQuery {
    /// The question.
    q: Option<String>,
    /// How many items (1–50, default 5).
    k: Option<usize>,
}

/// Ask the knowledge base: items with a calibrated score, the passage that matched (plain text
/// with character ranges to highlight) and why; similar solved cases as the caller may see them.
#[utoipa::path(get, path = "/knowledge/search", tag = "knowledge", params(KnowledgeSearchQuery), responses((status = 200, body = Answer)))]
pub async fn search_knowledge(
    State(state): State<AppState>,
    user: CurrentUser,
    query: Result<Query<KnowledgeSearchQuery>, QueryRejection>,
) -> ApiResult<Answer> {
    let Query(query) = query?;
    let k = query.k.unwrap_or(5).clamp(1, 50);
    let question = query.q.unwrap_or_default();
    if question.chars().count() > MAX_QUESTION_CHARS {
        return Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("a question may have at most {MAX_QUESTION_CHARS} characters"),
        ));
    }
    let _turn = state.limits.cpu.admit().await?;
    Ok(Json(state.assist.ask(&scope_of(&user), question, k).await?))
}

/// What the search index holds, its encoder and the last rebuild's progress.
#[utoipa::path(get, path = "/knowledge/index", tag = "knowledge", responses((status = 200, body = IndexInfo)))]
pub async fn knowledge_index(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<IndexInfo> {
    Ok(Json(state.assist.info()))
}

/// Rebuild the knowledge and case indices from the store, in the background.
#[utoipa::path(post, path = "/knowledge/index/rebuild", tag = "knowledge", responses((status = 200, body = RebuildStatus)))]
pub async fn rebuild_knowledge_index(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
) -> ApiResult<RebuildStatus> {
    let status = state.assist.start_rebuild()?;
    audit::record(&state, &user.0.username, &client, AuditAction::IndexRebuilt, "knowledge", "").await?;
    Ok(Json(status))
}

/// One knowledge item.
#[utoipa::path(get, path = "/knowledge/{id}", tag = "knowledge", params(("id" = String, Path)), responses((status = 200, body = KnowledgeItem)))]
pub async fn get_knowledge(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<KnowledgeItem> {
    Ok(Json(state.store.knowledge_item(&id).await?.ok_or_else(|| ApiError::not_found("knowledge item"))?))
}

/// Edit a knowledge item; the previous version is kept and the edit is searchable at once.
#[utoipa::path(put, path = "/knowledge/{id}", tag = "knowledge", params(("id" = String, Path)), request_body = KnowledgeEdit,
    responses((status = 200, body = KnowledgeItem)))]
pub async fn edit_knowledge(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    Path(id): Path<String>,
    body: Result<Json<KnowledgeEdit>, JsonRejection>,
) -> ApiResult<KnowledgeItem> {
    let Json(edit) = body?;
    let turn = state.limits.cpu.admit().await?;
    let item = state.assist.edit_item(&id, edit, &user.0.username).await?;
    drop(turn);
    audit::record(&state, &user.0.username, &client, AuditAction::KnowledgeEdited, &id, format!("version={}", item.version))
        .await?;
    Ok(Json(item))
}

/// Every version of a knowledge item, newest first.
#[utoipa::path(get, path = "/knowledge/{id}/history", tag = "knowledge", params(("id" = String, Path)),
    responses((status = 200, body = Items<KnowledgeItem>)))]
pub async fn knowledge_history(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Items<KnowledgeItem>> {
    let items = state.store.knowledge_history(&id).await?;
    if items.is_empty() {
        return Err(ApiError::not_found("knowledge item"));
    }
    Ok(Json(Items { items }))
}

#[derive(Deserialize, ToSchema)]
pub struct FeedbackRequest {
    pub verdict: Verdict,
    /// What was asked when the card was shown.
    #[serde(default)]
    pub query: String,
    /// The conversation the card was shown in.
    pub conversation_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FeedbackAnswer {
    pub item_id: String,
    pub verdict: Verdict,
}

/// Mark a knowledge card used or unhelpful; later rankings take it into account.
#[utoipa::path(post, path = "/knowledge/{id}/feedback", tag = "knowledge", params(("id" = String, Path)),
    request_body = FeedbackRequest, responses((status = 200, body = FeedbackAnswer)))]
pub async fn knowledge_feedback(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    body: Result<Json<FeedbackRequest>, JsonRejection>,
) -> ApiResult<FeedbackAnswer> {
    let Json(body) = body?;
    let conversation = body.conversation_id.as_deref().filter(|c| !c.is_empty());
    state.assist.feedback(&scope_of(&user), &id, &user.0.id, body.verdict, &body.query, conversation).await?;
    Ok(Json(FeedbackAnswer { item_id: id, verdict: body.verdict }))
}
