//! Frames of text into live messages, each refused with the field at fault.

use seatmate_core::{LiveMessage, LiveReply};

/// The longest turn text a message may carry.
pub const MAX_TEXT_BYTES: usize = 16 * 1024;
/// The longest conversation id.
const MAX_ID_CHARS: usize = 128;

/// One frame (an HTTP body or a WebSocket text message): a message, or an array of them. Each
/// element is parsed on its own, so one bad message does not stop the others.
pub fn parse_messages(text: &str) -> Vec<Result<LiveMessage, LiveReply>> {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => return vec![Err(error(None, None, None, "bad_json", format!("not JSON: {e}")))],
    };
    match value {
        serde_json::Value::Array(items) if items.is_empty() => {
            vec![Err(error(None, None, None, "empty", "an empty array: send one message or more".into()))]
        }
        serde_json::Value::Array(items) => items.into_iter().map(one).collect(),
        other => vec![one(other)],
    }
}

// the error is the reply frame the sender gets, as large as the message it answers
#[allow(clippy::result_large_err)]
fn one(mut value: serde_json::Value) -> Result<LiveMessage, LiveReply> {
    let conversation = value.get("conversation").and_then(|c| c.as_str()).map(str::to_string);
    let seq = value.get("seq").and_then(serde_json::Value::as_u64);
    let invalid = |field: Option<String>, message: String| error(conversation.clone(), seq, field, "invalid", message);
    let Some(object) = value.as_object_mut() else {
        return Err(invalid(None, "expected a JSON object".into()));
    };
    let kind = match object.remove("type") {
        Some(serde_json::Value::String(kind)) => kind,
        _ => return Err(invalid(Some("type".into()), "expected one of start, partial, turn, end".into())),
    };
    // each kind on its own, so an error names the field inside it
    fn fields<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, (Option<String>, String)> {
        serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner().to_string();
            // serde names a missing field in its message rather than in the path
            let missing = inner.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()).map(str::to_string);
            (missing.or((path != "." && !path.is_empty()).then_some(path)), inner)
        })
    }
    let message = match kind.as_str() {
        "start" => fields(value).map(LiveMessage::Start),
        "partial" => fields(value).map(LiveMessage::Partial),
        "turn" => fields(value).map(LiveMessage::Turn),
        "end" => fields(value).map(LiveMessage::End),
        other => Err((Some("type".into()), format!("{other:?} is not one of start, partial, turn, end"))),
    }
    .map_err(|(field, message)| invalid(field, message))?;
    check(&message).map_err(|(field, reason)| error(conversation, seq, Some(field.into()), "invalid", reason))?;
    Ok(message)
}

fn check(message: &LiveMessage) -> Result<(), (&'static str, String)> {
    let conversation = message.conversation();
    if conversation.trim().is_empty() || conversation.chars().count() > MAX_ID_CHARS {
        return Err(("conversation", format!("must be 1 to {MAX_ID_CHARS} characters")));
    }
    if conversation.chars().any(char::is_control) {
        return Err(("conversation", "contains a control character".into()));
    }
    if message.seq() == 0 {
        return Err(("seq", "starts at 1".into()));
    }
    let text = match message {
        LiveMessage::Start(start) if start.seq != 1 => return Err(("seq", "a `start` is sequence number 1".into())),
        LiveMessage::Start(start) => {
            let named = [
                ("agent", &start.agent),
                ("queue", &start.queue),
                ("customer_id", &start.customer_id),
                ("language", &start.language),
            ];
            for (field, value) in named {
                if value.as_deref().is_some_and(|v| v.chars().any(char::is_control) || v.len() > 256) {
                    return Err((field, "must be at most 256 bytes without control characters".into()));
                }
            }
            return Ok(());
        }
        LiveMessage::Partial(partial) => &partial.text,
        LiveMessage::Turn(turn) => {
            match (turn.start_ms, turn.end_ms) {
                (Some(start), _) if start < 0 => return Err(("start_ms", "is negative".into())),
                (_, Some(end)) if end < 0 => return Err(("end_ms", "is negative".into())),
                (Some(start), Some(end)) if end < start => return Err(("end_ms", format!("{end} is before `start_ms` {start}"))),
                _ => {}
            }
            &turn.text
        }
        LiveMessage::End(_) => return Ok(()),
    };
    if text.trim().is_empty() {
        return Err(("text", "is blank".into()));
    }
    if text.len() > MAX_TEXT_BYTES {
        return Err(("text", format!("is {} bytes; the limit is {MAX_TEXT_BYTES}", text.len())));
    }
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t')) {
        return Err(("text", "contains a control character".into()));
    }
    Ok(())
}

fn error(conversation: Option<String>, seq: Option<u64>, field: Option<String>, code: &str, message: String) -> LiveReply {
    LiveReply::Error { conversation, seq, field, code: code.into(), message, expected: None }
}
