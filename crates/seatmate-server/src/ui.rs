//! The web UI: a few static files compiled into the binary, so running Seatmate needs no Node.

use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::AppState;

const INDEX: &str = include_str!("../ui/index.html");
const APP_JS: &str = include_str!("../ui/app.js");
const I18N_JS: &str = include_str!("../ui/i18n.js");
const APP_CSS: &str = include_str!("../ui/app.css");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app.js", get(|| asset(APP_JS, "text/javascript; charset=utf-8")))
        .route("/i18n.js", get(|| asset(I18N_JS, "text/javascript; charset=utf-8")))
        .route("/app.css", get(|| asset(APP_CSS, "text/css; charset=utf-8")))
        .fallback(fallback)
}

async fn asset(body: &'static str, content_type: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-cache")], body).into_response()
}

/// Any page path serves the app (it routes by hash); unknown API paths are a JSON 404.
async fn fallback(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::ApiError::not_found(format!("route {}", uri.path())).into_response();
    }
    if uri.path().contains('.') && uri.path() != "/index.html" {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (
                header::HeaderName::from_static("content-security-policy"),
                "default-src 'self'; img-src 'self' data:; style-src 'self'",
            ),
        ],
        INDEX,
    )
        .into_response()
}
