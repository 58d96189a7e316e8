//! Live conversations (docs/live-protocol.md): integrations push messages over a WebSocket or
//! HTTP; the desks follow the conversations they may see over a WebSocket of events.

use axum::body::Bytes;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use seatmate_core::{LiveMessage, LiveReply, LiveState, User};
use seatmate_live::parse_messages;
use tokio::sync::broadcast::error::RecvError;

use super::privacy::masks_for;
use super::{scope_of, ApiResult};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::AppState;

/// Applies each message of a frame in order; one reply per final message.
async fn apply_frame(state: &AppState, text: &str) -> Vec<LiveReply> {
    let mut replies = Vec::new();
    for parsed in parse_messages(text) {
        match parsed {
            Ok(message) => replies.extend(state.live.apply(message).await),
            Err(refusal) => replies.push(refusal),
        }
    }
    replies
}

/// Live messages over HTTP, for senders that cannot keep a WebSocket: a message or an array of
/// them, applied in order. The answer has one reply per final message (partials get none); a
/// refused message does not stop the ones after it.
#[utoipa::path(post, path = "/live/messages", tag = "live", request_body = Vec<LiveMessage>,
    responses((status = 200, body = Vec<LiveReply>)))]
pub async fn post_live_messages(State(state): State<AppState>, body: Bytes) -> ApiResult<Vec<LiveReply>> {
    let text = std::str::from_utf8(&body).map_err(|_| ApiError::invalid("the body is not UTF-8"))?;
    Ok(Json(apply_frame(&state, text).await))
}

/// Where a live conversation stands (its last sequence number), for a sender that resumes.
#[utoipa::path(get, path = "/live/conversations/{conversation}", tag = "live",
    params(("conversation" = String, Path, description = "the sender's id of the conversation")),
    responses((status = 200, body = LiveState)))]
pub async fn live_conversation(State(state): State<AppState>, Path(conversation): Path<String>) -> ApiResult<LiveState> {
    match state.live.state(&conversation).await? {
        Some(found) => Ok(Json(found)),
        None => Err(ApiError::not_found(format!("live conversation {conversation:?}"))),
    }
}

/// The live wall: every conversation going on that the caller may see (an agent their own, a
/// team lead the team's), with its escalation risk now, the riskiest first.
#[utoipa::path(get, path = "/live/wall", tag = "live", responses((status = 200, body = Vec<seatmate_live::WallEntry>)))]
pub async fn live_wall(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Vec<seatmate_live::WallEntry>> {
    let mut wall = state.live.wall(&scope_of(&user)).await?;
    if masks_for(&state, &user).await? {
        for entry in &mut wall {
            if let Some(turn) = &mut entry.last {
                turn.text = seatmate_redact::mask(&turn.text);
            }
        }
    }
    Ok(Json(wall))
}

/// The sender's WebSocket: each text frame is a message or an array of them; each final message
/// is answered with an `ack` or an `error` frame, in order.
#[utoipa::path(get, path = "/live/ingest", tag = "live", responses((status = 101, description = "WebSocket"),
    (status = 400, description = "not a WebSocket upgrade", body = crate::error::ErrorBody)))]
pub async fn live_ingest(
    State(state): State<AppState>,
    read_only: Option<axum::Extension<crate::auth::ReadOnlyToken>>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    if read_only.is_some() {
        return Err(crate::auth::ReadOnlyToken::refusal());
    }
    Ok(websocket(upgrade)?.max_message_size(1 << 20).on_upgrade(move |socket| ingest(state, socket)))
}

/// A WebSocket route asked for without the upgrade is a bad request in the API's error shape.
fn websocket(upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>) -> Result<WebSocketUpgrade, ApiError> {
    upgrade.map_err(|rejection| ApiError::invalid(format!("this is a WebSocket: open it with an upgrade ({rejection})")))
}

async fn ingest(state: AppState, mut socket: WebSocket) {
    while let Some(Ok(frame)) = socket.recv().await {
        let text = match frame {
            Message::Text(text) => text,
            Message::Close(_) => break,
            _ => continue,
        };
        for reply in apply_frame(&state, text.as_str()).await {
            let Ok(json) = serde_json::to_string(&reply) else { continue };
            if socket.send(Message::Text(json.into())).await.is_err() {
                return;
            }
        }
    }
}

/// The desk's WebSocket: every event of the live conversations the caller may see (an agent
/// their own, a team lead the team's), as JSON frames. A desk that falls behind gets a `resync`
/// frame and reloads.
#[utoipa::path(get, path = "/live/events", tag = "live", responses((status = 101, description = "WebSocket"),
    (status = 400, description = "not a WebSocket upgrade", body = crate::error::ErrorBody)))]
pub async fn live_events(
    State(state): State<AppState>,
    user: CurrentUser,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    let upgrade = websocket(upgrade)?;
    let events = state.live.subscribe();
    Ok(upgrade.on_upgrade(move |socket| follow(user.0, events, socket)))
}

async fn follow(user: User, mut events: tokio::sync::broadcast::Receiver<seatmate_live::LiveEvent>, mut socket: WebSocket) {
    loop {
        tokio::select! {
            event = events.recv() => {
                let frame = match event {
                    Ok(event) if event.visible_to(&user) => serde_json::to_string(&event).ok(),
                    Ok(_) => None,
                    Err(RecvError::Lagged(_)) => Some(r#"{"type":"resync"}"#.to_string()),
                    Err(RecvError::Closed) => return,
                };
                if let Some(frame) = frame {
                    if socket.send(Message::Text(frame.into())).await.is_err() {
                        return;
                    }
                }
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
    }
}

/// The opportunity cues the live pipeline looks for in customer turns (the defaults until an
/// admin sets the workspace's own).
#[utoipa::path(get, path = "/live/opportunities", tag = "live", responses((status = 200, body = seatmate_live::OpportunityCues)))]
pub async fn get_opportunities(State(state): State<AppState>) -> ApiResult<seatmate_live::OpportunityCues> {
    let setting = state.store.setting(seatmate_live::OPPORTUNITY_SETTING).await?;
    Ok(Json(seatmate_live::OpportunityCues::from_setting(setting.as_deref())))
}

/// Sets the opportunity cues: products or kinds of opportunity, each with phrases (matched as
/// words) and example sentences (matched by meaning). Live conversations use them from their
/// next customer turn.
#[utoipa::path(put, path = "/live/opportunities", tag = "live", request_body = seatmate_live::OpportunityCues,
    responses((status = 200, body = seatmate_live::OpportunityCues)))]
pub async fn set_opportunities(
    State(state): State<AppState>,
    user: CurrentUser,
    client: crate::audit::Client,
    body: Result<Json<seatmate_live::OpportunityCues>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<seatmate_live::OpportunityCues> {
    let Json(cues) = body?;
    if let Some((field, problem)) = cues.problem() {
        return Err(ApiError::invalid(format!("{field}: {problem}")));
    }
    let json = serde_json::to_string(&cues).map_err(ApiError::internal)?;
    state.store.set_setting(seatmate_live::OPPORTUNITY_SETTING, &json).await?;
    let detail = format!("{} cues", cues.cues.len());
    crate::audit::record(
        &state,
        &user.0.username,
        &client,
        seatmate_core::AuditAction::SettingsChanged,
        "live.opportunities",
        detail,
    )
    .await?;
    // the example sentences are encoded: CPU work, off the async executor
    let (live, encoded) = (state.live.clone(), cues.clone());
    tokio::task::spawn_blocking(move || live.set_opportunities(&encoded)).await.map_err(ApiError::internal)?;
    Ok(Json(cues))
}
