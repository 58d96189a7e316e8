//! Checks in front of every request: no control characters in input, no cross-site writes, and
//! the security headers on every answer.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, ErrorCode};

/// Largest request body read (JSON and imports through the API alike).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Refuses NUL and other control characters (tab, newline and carriage return excepted) in the
/// query string and in JSON bodies: no store keeps them alike, and no person types them.
pub async fn reject_control_characters(request: Request, next: Next) -> Response {
    if let Some(query) = request.uri().query() {
        let decoded = percent_decoded(query);
        if decoded.iter().any(|&b| is_refused_control(b)) {
            return refused("the query string");
        }
    }
    let is_json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let message = format!("the body is larger than {MAX_BODY_BYTES} bytes");
            return ApiError::new(ErrorCode::PayloadTooLarge, message).into_response();
        }
    };
    if json_has_control_escape(&bytes) || bytes.contains(&0) {
        return refused("the body");
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

fn refused(place: &str) -> Response {
    ApiError::invalid(format!("{place} holds a NUL or other control character; remove it and send again")).into_response()
}

fn is_refused_control(byte: u8) -> bool {
    (byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r')) || byte == 0x7f
}

fn percent_decoded(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(value)) => {
                out.push(value);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Whether a JSON text has a `\uXXXX` escape of a refused control character (an escaped
/// backslash before `u` does not count).
fn json_has_control_escape(bytes: &[u8]) -> bool {
    let mut backslashes = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\\' {
            backslashes += 1;
            continue;
        }
        let escaped = backslashes % 2 == 1;
        backslashes = 0;
        if escaped && b == b'u' {
            let code =
                bytes.get(i + 1..i + 5).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u32::from_str_radix(h, 16).ok());
            if code.is_some_and(|c| c < 0x80 && is_refused_control(c as u8)) {
                return true;
            }
        }
    }
    false
}

/// Refuses a state-changing request that a browser sent from another site (the session cookie is
/// `SameSite=Lax` as well; this also covers body-less POSTs). Clients that send no `Origin`
/// (integrations with API tokens, curl) pass.
pub async fn same_origin_writes(request: Request, next: Next) -> Response {
    // a WebSocket from another site would act with the user's cookie: it counts as a write
    let writes =
        !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) || is_websocket_upgrade(request.headers());
    if writes && is_cross_site(&request) {
        return ApiError::new(ErrorCode::Forbidden, "cross-site requests may not change anything").into_response();
    }
    next.run(request).await
}

/// Whether a request asks to open a WebSocket.
pub fn is_websocket_upgrade(headers: &axum::http::HeaderMap) -> bool {
    headers.get(header::UPGRADE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

fn is_cross_site(request: &Request) -> bool {
    let headers = request.headers();
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return false };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest).trim_end_matches('/');
    origin == "null" || !origin_host.eq_ignore_ascii_case(host)
}

/// Security headers on every answer: no framing, no content sniffing, no referrer to other sites.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    let policy = headers.get(header::CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()).map(str::to_string);
    let policy = match policy {
        Some(p) if p.contains("frame-ancestors") => p,
        Some(p) => format!("{p}; frame-ancestors 'none'"),
        None => "frame-ancestors 'none'".to_string(),
    };
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_escapes_are_found_but_escaped_backslashes_are_not() {
        assert!(json_has_control_escape(br#"{"q":"a\u0000b"}"#));
        assert!(json_has_control_escape(br#"{"q":"\u001B[31m"}"#));
        assert!(!json_has_control_escape(br#"{"q":"line\nnext\ttab"}"#));
        assert!(!json_has_control_escape(br#"{"q":"\u4e2d\u6587"}"#));
        assert!(!json_has_control_escape(br#"{"q":"C:\\u0000 is a path"}"#));
        assert!(json_has_control_escape(br#"{"q":"\\\u0000"}"#));
    }

    #[test]
    fn percent_decoding_finds_nul() {
        assert!(percent_decoded("q=a%00b").contains(&0));
        assert_eq!(percent_decoded("q=%E6%BC%AB"), "q=漫".as_bytes());
        assert_eq!(percent_decoded("q=100%"), b"q=100%");
    }
}
