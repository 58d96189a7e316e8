//! The web UI: the files under `ui/`, embedded in release builds and read from disk in debug builds
//! (so UI edits need no rebuild), so running Seatmate needs no Node.

use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::AppState;

#[derive(rust_embed::Embed)]
#[folder = "ui/"]
struct Assets;

/// The page may load scripts, styles and data only from this origin; no inline scripts.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'";

pub fn routes() -> Router<AppState> {
    Router::new().fallback(serve)
}

/// Files the browser may load, by extension; anything else under `ui/` (README, tsconfig, type
/// declarations, licence texts) is not served.
fn content_type(path: &str) -> Option<&'static str> {
    if path.ends_with(".d.ts") {
        return None;
    }
    match path.rsplit_once('.')?.1 {
        "js" | "mjs" => Some("text/javascript; charset=utf-8"),
        "css" => Some("text/css; charset=utf-8"),
        "html" => Some("text/html; charset=utf-8"),
        "svg" => Some("image/svg+xml"),
        "png" => Some("image/png"),
        "ico" => Some("image/x-icon"),
        "json" if !path.ends_with("config.json") => Some("application/json"),
        _ => None,
    }
}

/// A UI file by path; any other page path serves the app (it routes by hash); unknown API paths are
/// a JSON 404.
async fn serve(uri: Uri) -> Response {
    let path = uri.path();
    if path.starts_with("/api/") {
        return crate::ApiError::not_found(format!("route {path}")).into_response();
    }
    let file = path.trim_start_matches('/');
    if file.is_empty() || file == "index.html" || !file.contains('.') {
        return index();
    }
    match (content_type(file), Assets::get(file)) {
        (Some(content_type), Some(asset)) => {
            ([(header::CONTENT_TYPE, HeaderValue::from_static(content_type)), no_cache(), no_sniff()], asset.data).into_response()
        }
        _ => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

fn index() -> Response {
    let Some(page) = Assets::get("index.html") else {
        tracing::error!("the ui folder has no index.html");
        return crate::ApiError::new(seatmate_core::ErrorKind::Internal, "internal", "the ui is missing").into_response();
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            no_cache(),
            no_sniff(),
            (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY)),
        ],
        page.data,
    )
        .into_response()
}

fn no_cache() -> (header::HeaderName, HeaderValue) {
    (header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))
}

fn no_sniff() -> (header::HeaderName, HeaderValue) {
    (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"))
}
