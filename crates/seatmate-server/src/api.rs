use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use seatmate_core::{Channel, KnowledgeBody, KnowledgeKind, Role, TaxonomyNode, TicketStatus};
use seatmate_store::{ConversationFilter, KnowledgeFilter, NewUser, Scope, TicketFilter};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::{hash_secret, new_secret, session_cookie, session_token, CurrentUser};
use crate::{ApiError, AppState};

type ApiResult<T = Json<Value>> = Result<T, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(|| async { Json(crate::openapi::document()) }))
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/me", get(me))
        .route("/stats", get(stats))
        .route("/conversations", get(list_conversations))
        .route("/conversations/{id}", get(get_conversation))
        .route("/conversations/{id}/ticket", post(conversation_ticket))
        .route("/conversations/{id}/assist", get(conversation_assist))
        .route("/classify", post(classify))
        .route("/dispatch", post(dispatch_for))
        .route("/tickets", get(list_tickets))
        .route("/tickets/{id}", get(get_ticket))
        .route("/tickets/{id}/suggestion", get(ticket_suggestion))
        .route("/tickets/{id}/confirm", post(confirm_ticket))
        .route("/models", get(list_models))
        .route("/models/train", post(train_model))
        .route("/models/{id}/activate", post(activate_model))
        .route("/settings/auto-accept", get(auto_accept).put(set_auto_accept))
        .route("/dispatch-rules", get(dispatch_rules).put(set_dispatch_rules))
        .route("/taxonomy", get(taxonomy_children))
        .route("/taxonomy/search", get(search_taxonomy))
        .route("/taxonomy/{code}", get(taxonomy_node))
        .route("/knowledge", get(list_knowledge))
        .route("/knowledge/search", get(search_knowledge))
        .route("/knowledge/index", get(knowledge_index))
        .route("/knowledge/index/rebuild", post(rebuild_knowledge_index))
        .route("/knowledge/{id}", get(get_knowledge).put(edit_knowledge))
        .route("/knowledge/{id}/feedback", post(knowledge_feedback))
        .route("/knowledge/{id}/history", get(knowledge_history))
        .route("/teams", get(list_teams))
        .route("/users", get(list_users).post(create_user))
        .route("/tokens", get(list_tokens).post(create_token))
        .route("/tokens/{id}", delete(revoke_token))
}

pub async fn health(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(json!({ "status": "ok", "store": state.store.backend() })).into_response(),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable" }))).into_response()
        }
    }
}

fn value<T: serde::Serialize>(v: T) -> ApiResult {
    serde_json::to_value(v).map(Json).map_err(|e| ApiError::new(seatmate_core::ErrorKind::Internal, "internal", e.to_string()))
}

fn parse_opt<T: std::str::FromStr>(text: &Option<String>) -> Result<Option<T>, ApiError>
where
    T::Err: std::fmt::Display,
{
    match text.as_deref().map(str::trim).filter(|t| !t.is_empty() && *t != "all") {
        None => Ok(None),
        Some(t) => t.parse().map(Some).map_err(|e: T::Err| ApiError::invalid(e.to_string())),
    }
}

const DEFAULT_LIMIT: i64 = 50;

#[derive(Deserialize)]
struct LoginRequest {
    username: String,
    password: String,
}

async fn login(State(state): State<AppState>, body: Result<Json<LoginRequest>, JsonRejection>) -> Result<Response, ApiError> {
    let Json(request) = body?;
    let found = state.store.user_by_username(request.username.trim()).await?;
    // verify against a real hash even for unknown users, so timing does not reveal who exists
    let (user, hash) = match found {
        Some((user, hash)) if user.active => (Some(user), hash),
        _ => (None, dummy_hash().to_string()),
    };
    let password_ok = crate::auth::verify_password(&request.password, &hash);
    let Some(user) = user.filter(|_| password_ok) else {
        tracing::info!(username = %request.username, "login refused");
        return Err(ApiError::new(seatmate_core::ErrorKind::Unauthorized, "invalid_credentials", "wrong username or password"));
    };
    let token = new_secret();
    let now = state.clock.now_millis();
    let max_age = state.options.session_hours * 3600;
    state.store.create_session(&hash_secret(&token), &user.id, now, now + max_age * 1000).await?;
    tracing::info!(username = %user.username, "logged in");
    let cookie = session_cookie(&token, max_age, state.options.secure_cookies);
    Ok(([(header::SET_COOKIE, cookie)], Json(json!({ "user": user }))).into_response())
}

/// An argon2 hash of a random password, checked when the username is unknown.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| crate::auth::hash_password(&new_secret()).unwrap_or_default())
}

async fn logout(State(state): State<AppState>, request: axum::extract::Request) -> Result<Response, ApiError> {
    let (parts, _) = request.into_parts();
    if let Some(token) = session_token(&parts) {
        state.store.delete_session(&hash_secret(&token)).await?;
    }
    let clear = session_cookie("", 0, state.options.secure_cookies);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}

async fn me(user: CurrentUser) -> ApiResult {
    Ok(Json(json!({ "user": user.0 })))
}

async fn stats(State(state): State<AppState>, user: CurrentUser) -> ApiResult {
    let counts = state.store.counts(&Scope::for_user(&user.0)).await?;
    Ok(Json(json!({
        "conversations": counts.conversations,
        "tickets": counts.tickets,
        "taxonomy_nodes": counts.taxonomy_nodes,
        "knowledge_items": counts.knowledge_items,
        "users": counts.users,
    })))
}

#[derive(Deserialize)]
struct ConversationQuery {
    q: Option<String>,
    channel: Option<String>,
    queue: Option<String>,
    agent: Option<String>,
    from: Option<i64>,
    to: Option<i64>,
    limit: Option<i64>,
    offset: Option<i64>,
}

async fn list_conversations(
    State(state): State<AppState>,
    user: CurrentUser,
    query: Result<Query<ConversationQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let Query(query) = query?;
    let filter = ConversationFilter {
        text: query.q,
        channel: parse_opt::<Channel>(&query.channel)?,
        queue: query.queue,
        agent: query.agent,
        started_from: query.from,
        started_to: query.to,
        limit: query.limit.unwrap_or(DEFAULT_LIMIT),
        offset: query.offset.unwrap_or(0),
    };
    let page = state.store.list_conversations(&Scope::for_user(&user.0), &filter).await?;
    Ok(Json(json!({ "items": page.items, "total": page.total })))
}

async fn get_conversation(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult {
    // not visible and not there look the same, so ids cannot be probed
    let conversation =
        state.store.conversation(&Scope::for_user(&user.0), &id).await?.ok_or_else(|| ApiError::not_found("conversation"))?;
    value(conversation)
}

#[derive(Deserialize)]
struct TicketQuery {
    conversation: Option<String>,
    status: Option<String>,
    category: Option<String>,
    q: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

async fn list_tickets(
    State(state): State<AppState>,
    user: CurrentUser,
    query: Result<Query<TicketQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let Query(query) = query?;
    let filter = TicketFilter {
        conversation_id: query.conversation.filter(|c| !c.is_empty()),
        status: parse_opt::<TicketStatus>(&query.status)?,
        category_prefix: query.category,
        text: query.q,
        limit: query.limit.unwrap_or(DEFAULT_LIMIT),
        offset: query.offset.unwrap_or(0),
    };
    let page = state.store.list_tickets(&Scope::for_user(&user.0), &filter).await?;
    Ok(Json(json!({ "items": page.items, "total": page.total })))
}

async fn get_ticket(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult {
    let (ticket, events) =
        state.store.ticket(&Scope::for_user(&user.0), &id).await?.ok_or_else(|| ApiError::not_found("ticket"))?;
    let category_path = match &ticket.category {
        Some(code) => state.store.taxonomy_path(code).await?,
        None => Vec::new(),
    };
    Ok(Json(json!({ "ticket": ticket, "events": events, "category_path": category_path })))
}

#[derive(Deserialize)]
struct TaxonomyQuery {
    parent: Option<String>,
}

fn node_json(node: &TaxonomyNode, child_count: i64) -> Value {
    let mut v = serde_json::to_value(node).unwrap_or_default();
    v["child_count"] = json!(child_count);
    v
}

async fn taxonomy_children(State(state): State<AppState>, _user: CurrentUser, Query(query): Query<TaxonomyQuery>) -> ApiResult {
    let parent = query.parent.filter(|p| !p.is_empty());
    let items = state.store.taxonomy_children(parent.as_deref()).await?;
    let items: Vec<Value> = items.iter().map(|n| node_json(&n.node, n.child_count)).collect();
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
    limit: Option<i64>,
}

async fn search_taxonomy(State(state): State<AppState>, _user: CurrentUser, Query(query): Query<SearchQuery>) -> ApiResult {
    let text = query.q.unwrap_or_default();
    if text.trim().is_empty() {
        return Ok(Json(json!({ "items": [] })));
    }
    let nodes = state.store.search_taxonomy(&text, query.limit.unwrap_or(20).clamp(1, 100)).await?;
    let mut items = Vec::with_capacity(nodes.len());
    for node in nodes {
        let path = state.store.taxonomy_path(&node.code).await?;
        items.push(json!({ "node": node, "path": path }));
    }
    Ok(Json(json!({ "items": items })))
}

async fn taxonomy_node(State(state): State<AppState>, _user: CurrentUser, Path(code): Path<String>) -> ApiResult {
    let node = state.store.taxonomy_node(&code).await?.ok_or_else(|| ApiError::not_found("taxonomy node"))?;
    let path = state.store.taxonomy_path(&code).await?;
    let children: Vec<Value> =
        state.store.taxonomy_children(Some(&code)).await?.iter().map(|n| node_json(&n.node, n.child_count)).collect();
    Ok(Json(json!({ "node": node, "path": path, "children": children })))
}

#[derive(Deserialize)]
struct KnowledgeQuery {
    kind: Option<String>,
    q: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

async fn list_knowledge(
    State(state): State<AppState>,
    _user: CurrentUser,
    query: Result<Query<KnowledgeQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let Query(query) = query?;
    let filter = KnowledgeFilter {
        kind: parse_opt::<KnowledgeKind>(&query.kind)?,
        text: query.q,
        limit: query.limit.unwrap_or(DEFAULT_LIMIT),
        offset: query.offset.unwrap_or(0),
    };
    let page = state.store.list_knowledge(&filter).await?;
    Ok(Json(json!({ "items": page.items, "total": page.total })))
}

async fn get_knowledge(State(state): State<AppState>, _user: CurrentUser, Path(id): Path<String>) -> ApiResult {
    value(state.store.knowledge_item(&id).await?.ok_or_else(|| ApiError::not_found("knowledge item"))?)
}

async fn knowledge_history(State(state): State<AppState>, _user: CurrentUser, Path(id): Path<String>) -> ApiResult {
    let items = state.store.knowledge_history(&id).await?;
    if items.is_empty() {
        return Err(ApiError::not_found("knowledge item"));
    }
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
struct KnowledgeEdit {
    title: String,
    body: KnowledgeBody,
    category: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
}

async fn edit_knowledge(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    body: Result<Json<KnowledgeEdit>, JsonRejection>,
) -> ApiResult {
    user.require(&[Role::Admin])?;
    let Json(edit) = body?;
    let mut item = state.store.knowledge_item(&id).await?.ok_or_else(|| ApiError::not_found("knowledge item"))?;
    if edit.title.trim().is_empty() {
        return Err(ApiError::invalid("title must not be empty"));
    }
    if std::mem::discriminant(&edit.body) != std::mem::discriminant(&item.body) {
        return Err(ApiError::invalid(format!("body must stay a {}", item.kind())));
    }
    if let KnowledgeBody::Flow(flow) = &edit.body {
        flow.validate().map_err(ApiError::invalid)?;
    }
    item.title = edit.title;
    item.body = edit.body;
    item.category = edit.category.filter(|c| !c.is_empty());
    item.tags = edit.tags;
    item.updated_at = state.clock.now_millis();
    item.updated_by = user.0.username.clone();
    state.store.upsert_knowledge(std::slice::from_ref(&item)).await?;
    let stored = state.store.knowledge_item(&id).await?.ok_or_else(|| ApiError::not_found("knowledge item"))?;
    // the edit is searchable as soon as this answer arrives
    state.assist.index_items(vec![stored.clone()]).await?;
    value(stored)
}

async fn list_teams(State(state): State<AppState>, _user: CurrentUser) -> ApiResult {
    Ok(Json(json!({ "items": state.store.list_teams().await? })))
}

async fn list_users(State(state): State<AppState>, user: CurrentUser) -> ApiResult {
    user.require(&[Role::Admin])?;
    Ok(Json(json!({ "items": state.store.list_users().await? })))
}

#[derive(Deserialize)]
struct CreateUser {
    username: String,
    display_name: Option<String>,
    role: String,
    team: Option<String>,
    password: String,
}

pub const MIN_PASSWORD_CHARS: usize = 8;

async fn create_user(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Result<Json<CreateUser>, JsonRejection>,
) -> Result<Response, ApiError> {
    user.require(&[Role::Admin])?;
    let Json(request) = body?;
    let role: Role = request.role.parse().map_err(|e: seatmate_core::ParseEnumError| ApiError::invalid(e.to_string()))?;
    let username = request.username.trim();
    if username.is_empty() || username.contains(char::is_whitespace) {
        return Err(ApiError::invalid("username must be one word"));
    }
    if request.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::invalid(format!("password must have at least {MIN_PASSWORD_CHARS} characters")));
    }
    let password_hash = crate::auth::hash_password(&request.password)
        .map_err(|e| ApiError::new(seatmate_core::ErrorKind::Internal, "internal", e))?;
    let new = NewUser {
        username: username.to_string(),
        display_name: request.display_name.unwrap_or_else(|| username.to_string()),
        role,
        team: request.team.filter(|t| !t.is_empty()),
        password_hash,
    };
    let created = state.store.create_user(&new, state.clock.now_millis()).await?;
    Ok((StatusCode::CREATED, value(created)?).into_response())
}

async fn list_tokens(State(state): State<AppState>, user: CurrentUser) -> ApiResult {
    user.require(&[Role::Admin])?;
    let tokens = state.store.list_api_tokens().await?;
    let items: Vec<Value> = tokens
        .iter()
        .map(|t| json!({ "id": t.id, "name": t.name, "username": t.username, "created_at": t.created_at, "last_used_at": t.last_used_at }))
        .collect();
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
struct CreateToken {
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Result<Json<CreateToken>, JsonRejection>,
) -> Result<Response, ApiError> {
    user.require(&[Role::Admin])?;
    let Json(request) = body?;
    if request.name.trim().is_empty() {
        return Err(ApiError::invalid("name must not be empty"));
    }
    let token = crate::auth::new_api_token();
    let created =
        state.store.create_api_token(request.name.trim(), &user.0.id, &hash_secret(&token), state.clock.now_millis()).await?;
    // the token itself is shown once, here, and never stored
    Ok((StatusCode::CREATED, Json(json!({ "id": created.id, "name": created.name, "token": token }))).into_response())
}

async fn revoke_token(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    user.require(&[Role::Admin])?;
    state.store.revoke_api_token(&id, state.clock.now_millis()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn conversation_ticket(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult {
    let conversation =
        state.store.conversation(&Scope::for_user(&user.0), &id).await?.ok_or_else(|| ApiError::not_found("conversation"))?;
    let (ticket, suggestion) = state.aftercall.prefill(&conversation, &user.0.username, state.clock.now_millis()).await?;
    Ok(Json(json!({ "ticket": ticket, "suggestion": suggestion })))
}

#[derive(Deserialize)]
struct ClassifyRequest {
    text: String,
}

async fn classify(
    State(state): State<AppState>,
    _user: CurrentUser,
    body: Result<Json<ClassifyRequest>, JsonRejection>,
) -> ApiResult {
    let Json(request) = body?;
    if request.text.trim().is_empty() {
        return Err(ApiError::invalid("text must not be empty"));
    }
    value(state.aftercall.suggest(&request.text, None).await?)
}

async fn ticket_suggestion(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult {
    let scope = Scope::for_user(&user.0);
    let (ticket, _) = state.store.ticket(&scope, &id).await?.ok_or_else(|| ApiError::not_found("ticket"))?;
    let conversation = match &ticket.conversation_id {
        Some(conversation) => state.store.conversation(&scope, conversation).await?,
        None => None,
    };
    let text = match &conversation {
        Some(c) => {
            let words: Vec<&str> =
                c.turns.iter().filter(|t| t.speaker == seatmate_core::Speaker::Customer).map(|t| t.text.as_str()).collect();
            words.join("\n")
        }
        None => format!("{}\n{}", ticket.title, ticket.body),
    };
    value(state.aftercall.suggest(&text, conversation.as_ref()).await?)
}

#[derive(Deserialize)]
struct ConfirmRequest {
    category: Option<String>,
    team: Option<String>,
    priority: Option<String>,
    summary: Option<String>,
}

async fn confirm_ticket(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    body: Result<Json<ConfirmRequest>, JsonRejection>,
) -> ApiResult {
    let Json(request) = body?;
    // the caller must be able to see the ticket to confirm it
    state.store.ticket(&Scope::for_user(&user.0), &id).await?.ok_or_else(|| ApiError::not_found("ticket"))?;
    let changes = seatmate_store::TicketChanges {
        category: request.category.filter(|c| !c.is_empty()),
        team: request.team.filter(|t| !t.is_empty()),
        priority: parse_opt::<seatmate_core::Priority>(&request.priority)?,
        summary: request.summary,
        status: None,
    };
    value(state.aftercall.confirm(&id, changes, &user.0.username, state.clock.now_millis()).await?)
}

async fn list_models(State(state): State<AppState>, user: CurrentUser) -> ApiResult {
    user.require(&[Role::Admin])?;
    Ok(Json(json!({ "items": state.store.list_models(seatmate_aftercall::CLASSIFY_MODEL).await? })))
}

async fn train_model(State(state): State<AppState>, user: CurrentUser) -> ApiResult {
    user.require(&[Role::Admin])?;
    value(state.aftercall.train(&user.0.username, state.clock.now_millis()).await?)
}

async fn activate_model(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult {
    user.require(&[Role::Admin])?;
    state.aftercall.activate(&id).await?;
    Ok(Json(json!({ "items": state.store.list_models(seatmate_aftercall::CLASSIFY_MODEL).await? })))
}

async fn auto_accept(State(state): State<AppState>, _user: CurrentUser) -> ApiResult {
    value(state.aftercall.auto_accept_policy().await?)
}

#[derive(Deserialize)]
struct AutoAcceptRequest {
    precision: f32,
}

async fn set_auto_accept(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Result<Json<AutoAcceptRequest>, JsonRejection>,
) -> ApiResult {
    user.require(&[Role::Admin])?;
    let Json(request) = body?;
    value(state.aftercall.set_auto_accept_precision(request.precision).await?)
}

async fn dispatch_rules(State(state): State<AppState>, user: CurrentUser) -> ApiResult {
    user.require(&[Role::Admin])?;
    Ok(Json(json!({ "items": state.aftercall.dispatch_rules().await? })))
}

#[derive(Deserialize)]
struct RulesRequest {
    items: Vec<seatmate_aftercall::DispatchRule>,
}

async fn set_dispatch_rules(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Result<Json<RulesRequest>, JsonRejection>,
) -> ApiResult {
    user.require(&[Role::Admin])?;
    let Json(request) = body?;
    state.aftercall.set_dispatch_rules(&request.items).await?;
    Ok(Json(json!({ "items": state.aftercall.dispatch_rules().await? })))
}

#[derive(Deserialize)]
struct DispatchRequest {
    category: String,
    conversation_id: Option<String>,
    priority: Option<String>,
}

async fn dispatch_for(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Result<Json<DispatchRequest>, JsonRejection>,
) -> ApiResult {
    let Json(request) = body?;
    let conversation = match request.conversation_id.as_deref().filter(|c| !c.is_empty()) {
        Some(id) => Some(
            state.store.conversation(&Scope::for_user(&user.0), id).await?.ok_or_else(|| ApiError::not_found("conversation"))?,
        ),
        None => None,
    };
    let priority = parse_opt::<seatmate_core::Priority>(&request.priority)?;
    let decision = state.aftercall.dispatch_for(&request.category, conversation.as_ref(), priority).await?;
    Ok(Json(json!({ "decision": decision })))
}

#[derive(Deserialize)]
struct KnowledgeSearchQuery {
    q: Option<String>,
    k: Option<usize>,
}

/// Free questions to the knowledge base: ranked FAQs, articles and flows, with the passage that
/// matched (`<mark>`ed, HTML-escaped) and why.
async fn search_knowledge(
    State(state): State<AppState>,
    user: CurrentUser,
    query: Result<Query<KnowledgeSearchQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let Query(query) = query?;
    let text = query.q.unwrap_or_default();
    if text.trim().is_empty() {
        return Ok(Json(json!({ "items": [] })));
    }
    let k = query.k.unwrap_or(5).clamp(1, 50);
    let hits = state.assist.search(text.clone(), k).await?;
    let cases = state.assist.similar_cases(text, None, 3).await?;
    Ok(Json(json!({ "items": hits.iter().map(hit_json).collect::<Vec<_>>(), "cases": visible_cases(&user, cases) })))
}

/// A knowledge result with why it matched.
fn hit_json(hit: &seatmate_retrieve::Hit) -> Value {
    json!({
        "id": hit.id,
        "key": hit.key,
        "kind": hit.kind,
        "title": hit.title,
        "score": hit.score,
        "matched_field": hit.matched_field,
        "passage": hit.passage,
        "matched_terms": hit.matched_terms,
        "lexical_score": hit.lexical_score,
        "semantic": hit.semantic,
        "feedback": hit.feedback,
    })
}

/// Similar cases as the caller may see them: the customer's words only from conversations in the
/// caller's scope (all for QA, trainers and admins; their own for agents); the resolution always.
fn visible_cases(user: &CurrentUser, cases: Vec<seatmate_assist::CaseHit>) -> Vec<Value> {
    let scope = Scope::for_user(&user.0);
    cases
        .into_iter()
        .map(|mut hit| {
            let visible = match &scope {
                Scope::All => true,
                Scope::Agent(name) => hit.case.agent.as_deref() == Some(name.as_str()),
                Scope::Team(_) => false,
            };
            if !visible {
                hit.case.problem.clear();
                hit.passage.clear();
            }
            json!({ "visible": visible, "case": hit })
        })
        .collect()
}

#[derive(Deserialize)]
struct AssistQuery {
    /// Index of the last turn to consider (live replay); the whole conversation when absent.
    upto: Option<usize>,
    k: Option<usize>,
}

/// The live cards: knowledge and similar solved cases for the customer's latest turns.
async fn conversation_assist(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    query: Result<Query<AssistQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let Query(query) = query?;
    let conversation =
        state.store.conversation(&Scope::for_user(&user.0), &id).await?.ok_or_else(|| ApiError::not_found("conversation"))?;
    let cards = state.assist.live_cards(&conversation, query.upto, query.k.unwrap_or(4).clamp(1, 20)).await?;
    Ok(Json(json!({
        "query": cards.query,
        "basis": cards.basis,
        "upto_turn": cards.upto_turn,
        "knowledge": cards.knowledge.iter().map(hit_json).collect::<Vec<_>>(),
        "cases": visible_cases(&user, cards.cases),
    })))
}

#[derive(Deserialize)]
struct FeedbackBody {
    /// `used` or `unhelpful`.
    verdict: String,
    #[serde(default)]
    query: String,
    conversation_id: Option<String>,
}

/// An agent marks a card used or unhelpful; later rankings take it into account.
async fn knowledge_feedback(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    body: Result<Json<FeedbackBody>, JsonRejection>,
) -> ApiResult {
    let Json(body) = body?;
    if let Some(conversation) = &body.conversation_id {
        state
            .store
            .conversation(&Scope::for_user(&user.0), conversation)
            .await?
            .ok_or_else(|| ApiError::not_found("conversation"))?;
    }
    state.assist.feedback(&id, &user.0.id, &body.verdict, &body.query, body.conversation_id.as_deref()).await?;
    Ok(Json(json!({ "item_id": id, "verdict": body.verdict })))
}

async fn knowledge_index(State(state): State<AppState>, _user: CurrentUser) -> ApiResult {
    value(state.assist.info())
}

async fn rebuild_knowledge_index(State(state): State<AppState>, user: CurrentUser) -> ApiResult {
    user.require(&[Role::Admin])?;
    value(state.assist.start_rebuild()?)
}
