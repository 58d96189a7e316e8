use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use seatmate_core::ErrorKind;
use seatmate_store::StoreError;
use serde::Serialize;

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

macro_rules! error_codes {
    ($($variant:ident = $code:literal, $status:ident, $meaning:literal;)+) => {
        /// The stable error codes of the API: clients branch on these, never on messages.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum ErrorCode {
            $($variant),+
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code),+ }
            }

            pub fn status(self) -> StatusCode {
                match self { $(ErrorCode::$variant => StatusCode::$status),+ }
            }

            /// What the code means, as docs/api-errors.md says.
            pub fn meaning(self) -> &'static str {
                match self { $(ErrorCode::$variant => $meaning),+ }
            }
        }
    };
}

error_codes! {
    InvalidInput = "invalid_input", BAD_REQUEST, "the request body, query or path is malformed or a value is out of range; the message says which";
    InvalidCredentials = "invalid_credentials", UNAUTHORIZED, "wrong username or password";
    WeakPassword = "weak_password", BAD_REQUEST, "the new password is too short, too common, or the username; the message says which";
    Unauthorized = "unauthorized", UNAUTHORIZED, "no valid session cookie or API token";
    Forbidden = "forbidden", FORBIDDEN, "the caller's role does not allow this route";
    NotFound = "not_found", NOT_FOUND, "the thing does not exist, or the caller may not see it (the two look the same)";
    MethodNotAllowed = "method_not_allowed", METHOD_NOT_ALLOWED, "the route exists but not with this HTTP method";
    Conflict = "conflict", CONFLICT, "the request conflicts with the current state (e.g. a name taken, a rebuild already running)";
    PayloadTooLarge = "payload_too_large", PAYLOAD_TOO_LARGE, "the request body is larger than the route accepts";
    UnsupportedMediaType = "unsupported_media_type", UNSUPPORTED_MEDIA_TYPE, "a JSON body was sent without `Content-Type: application/json`";
    TooManyAttempts = "too_many_attempts", TOO_MANY_REQUESTS, "too many failed logins for this account or from this address; wait the `Retry-After` seconds";
    Busy = "busy", TOO_MANY_REQUESTS, "the server's queue for heavy work (login, classification, search) is full; retry after `Retry-After` seconds";
    Unavailable = "unavailable", SERVICE_UNAVAILABLE, "a dependency (the store, a model) is not ready; try again later";
    Internal = "internal", INTERNAL_SERVER_ERROR, "an unexpected failure; the log has the details under the request id";
}

impl ErrorCode {
    /// The code for an error kind from a library crate.
    pub fn for_kind(kind: ErrorKind) -> ErrorCode {
        match kind {
            ErrorKind::NotFound => ErrorCode::NotFound,
            ErrorKind::InvalidInput => ErrorCode::InvalidInput,
            ErrorKind::Conflict => ErrorCode::Conflict,
            ErrorKind::Unauthorized => ErrorCode::Unauthorized,
            ErrorKind::Forbidden => ErrorCode::Forbidden,
            ErrorKind::Unavailable => ErrorCode::Unavailable,
            ErrorKind::Internal => ErrorCode::Internal,
        }
    }
}

/// The body of every error answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable code from the table in docs/api-errors.md.
    pub code: &'static str,
    /// For people; may change between versions.
    pub message: String,
    /// Quote it when reporting a problem: the server log has the details under it.
    pub request_id: String,
}

/// An error as a client sees it: a stable code, a message, the request id.
#[derive(Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// Seconds to wait before trying again (sent as `Retry-After`).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError { code, message: message.into(), retry_after: None }
    }
    pub fn retry_after(mut self, seconds: u64) -> ApiError {
        self.retry_after = Some(seconds.max(1));
        self
    }
    pub fn not_found(what: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::NotFound, format!("{} not found", what.into()))
    }
    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::InvalidInput, message)
    }
    pub fn unauthorized() -> ApiError {
        ApiError::new(ErrorCode::Unauthorized, "log in first")
    }
    pub fn forbidden() -> ApiError {
        ApiError::new(ErrorCode::Forbidden, "your role does not allow this")
    }
    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        // Debug form: messages may quote user input, and must not forge log lines
        tracing::error!(error = ?error.to_string(), "internal error");
        ApiError::new(ErrorCode::Internal, "the request could not be completed")
    }

    /// A library error of `kind`: details of internal failures go to the log, not the client.
    pub(crate) fn from_kind(kind: ErrorKind, message: String, source: &'static str) -> ApiError {
        match kind {
            ErrorKind::Internal | ErrorKind::Unavailable => {
                tracing::error!(error = ?message, source, "request failed");
                ApiError::new(ErrorCode::for_kind(kind), "the request could not be completed")
            }
            _ => ApiError::new(ErrorCode::for_kind(kind), message),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let request_id = REQUEST_ID.try_with(Clone::clone).unwrap_or_default();
        let body = ErrorBody { code: self.code.as_str(), message: self.message, request_id };
        let mut response = (self.code.status(), axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        ApiError::from_kind(error.kind(), error.to_string(), "store")
    }
}

impl From<seatmate_aftercall::AfterCallError> for ApiError {
    fn from(error: seatmate_aftercall::AfterCallError) -> ApiError {
        match error {
            seatmate_aftercall::AfterCallError::Store(e) => e.into(),
            other => ApiError::from_kind(other.kind(), other.to_string(), "aftercall"),
        }
    }
}

impl From<seatmate_assist::AssistError> for ApiError {
    fn from(error: seatmate_assist::AssistError) -> ApiError {
        match error {
            seatmate_assist::AssistError::Store(e) => e.into(),
            other => ApiError::from_kind(other.kind(), other.to_string(), "assist"),
        }
    }
}

/// Malformed JSON, a wrong content type or an oversized body get the same error body as
/// everything else, with the status that fits.
impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> ApiError {
        let code = match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
            _ => ErrorCode::InvalidInput,
        };
        ApiError::new(code, rejection.body_text())
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> ApiError {
        ApiError::invalid(rejection.body_text())
    }
}

impl From<axum::extract::rejection::PathRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::PathRejection) -> ApiError {
        ApiError::invalid(rejection.body_text())
    }
}

/// Answers a route that exists with another method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(ErrorCode::MethodNotAllowed, "this route does not take that method")
}
