use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use seatmate_core::ErrorKind;
use seatmate_store::StoreError;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// Gives every request an id, echoed in `x-request-id` and in error bodies, so a user's report can
/// be matched with the log line.
pub async fn with_request_id(request: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let mut response = REQUEST_ID.scope(id.clone(), next.run(request)).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// An error as a client sees it: a stable `code`, a message, the request id.
#[derive(Debug)]
pub struct ApiError {
    pub kind: ErrorKind,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { kind, code, message: message.into() }
    }
    pub fn not_found(what: impl Into<String>) -> ApiError {
        ApiError::new(ErrorKind::NotFound, "not_found", format!("{} not found", what.into()))
    }
    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorKind::InvalidInput, "invalid_input", message)
    }
    pub fn unauthorized() -> ApiError {
        ApiError::new(ErrorKind::Unauthorized, "unauthorized", "log in first")
    }
    pub fn forbidden() -> ApiError {
        ApiError::new(ErrorKind::Forbidden, "forbidden", "your role does not allow this")
    }
}

/// The one place error kinds become HTTP statuses.
pub fn status_for(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::InvalidInput => StatusCode::BAD_REQUEST,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        let kind = error.kind();
        match kind {
            ErrorKind::Internal | ErrorKind::Unavailable => {
                // details stay in the log; the client gets the request id to quote
                tracing::error!(error = %error, "store error");
                ApiError::new(
                    kind,
                    if kind == ErrorKind::Internal { "internal" } else { "unavailable" },
                    "the request could not be completed",
                )
            }
            ErrorKind::NotFound => ApiError::new(kind, "not_found", error.to_string()),
            ErrorKind::Conflict => ApiError::new(kind, "conflict", error.to_string()),
            _ => ApiError::new(kind, "invalid_input", error.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let request_id = REQUEST_ID.try_with(Clone::clone).unwrap_or_default();
        let body = serde_json::json!({ "code": self.code, "message": self.message, "request_id": request_id });
        (status_for(self.kind), axum::Json(body)).into_response()
    }
}

impl From<seatmate_aftercall::AfterCallError> for ApiError {
    fn from(error: seatmate_aftercall::AfterCallError) -> ApiError {
        match error {
            seatmate_aftercall::AfterCallError::Store(e) => e.into(),
            seatmate_aftercall::AfterCallError::Training(message) => {
                tracing::error!(%message, "training failed");
                ApiError::new(ErrorKind::Internal, "internal", "training failed")
            }
            other => ApiError::new(
                other.kind(),
                if other.kind() == ErrorKind::InvalidInput { "invalid_input" } else { "unavailable" },
                other.to_string(),
            ),
        }
    }
}

/// Malformed JSON or query strings get the same error body as everything else.
impl From<seatmate_assist::AssistError> for ApiError {
    fn from(error: seatmate_assist::AssistError) -> ApiError {
        match error {
            seatmate_assist::AssistError::Store(e) => e.into(),
            other => {
                let kind = other.kind();
                if matches!(kind, ErrorKind::Internal | ErrorKind::Unavailable) {
                    tracing::error!(error = %other, "knowledge assist error");
                }
                ApiError::new(kind, "assist", other.to_string())
            }
        }
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> ApiError {
        ApiError::invalid(rejection.body_text())
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> ApiError {
        ApiError::invalid(rejection.body_text())
    }
}
