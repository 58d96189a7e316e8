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
    match path.rsplit_once('.')?.1 {
        "js" => Some("text/javascript; charset=utf-8"),
        "css" => Some("text/css; charset=utf-8"),
        "html" => Some("text/html; charset=utf-8"),
        "svg" => Some("image/svg+xml"),
        "png" => Some("image/png"),
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
        return crate::ApiError::internal("the ui is missing").into_response();
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

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    async fn get(path: &str) -> (StatusCode, Option<String>, String) {
        let response = serve(path.parse().unwrap()).await;
        let status = response.status();
        let content_type = response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string());
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, content_type, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn modules_are_served_by_extension() {
        let (status, content_type, body) = get("/app.js").await;
        assert_eq!((status, content_type.as_deref()), (StatusCode::OK, Some("text/javascript; charset=utf-8")));
        assert!(body.contains("import"));
        for path in ["/lib/api.js", "/pages/conversation.js", "/i18n/en.js", "/vendor/preact.js"] {
            assert_eq!(get(path).await.0, StatusCode::OK, "{path}");
        }
        assert_eq!(get("/app.css").await.1.as_deref(), Some("text/css; charset=utf-8"));
    }

    #[tokio::test]
    async fn other_files_are_not_served() {
        for path in ["/README.md", "/tsconfig.json", "/vendor/README.md", "/vendor/preact.d.ts", "/nothing.js", "/../src/ui.rs"] {
            assert_eq!(get(path).await.0, StatusCode::NOT_FOUND, "{path}");
        }
    }

    #[tokio::test]
    async fn pages_get_the_app_with_its_policy_and_api_paths_a_json_404() {
        for path in ["/", "/index.html", "/conversations/abc"] {
            let response = serve(path.parse().unwrap()).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(response.headers()[header::CONTENT_SECURITY_POLICY], CONTENT_SECURITY_POLICY);
            assert_eq!(response.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        }
        let (status, content_type, body) = get("/api/v1/nothing-here").await;
        assert_eq!((status, content_type.as_deref()), (StatusCode::NOT_FOUND, Some("application/json")));
        assert!(body.contains("not_found"), "{body}");
    }
}
