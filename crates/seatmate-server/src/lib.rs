//! Seatmate's HTTP face: the JSON API under `/api/v1`, sessions and API tokens, role checks on every
//! route, the OpenAPI document, Prometheus metrics and the embedded web UI.
//!
//! Invariant: no domain logic lives here. Handlers check who is asking, call the store or an engine,
//! and shape the answer; they never decide what a category, a score or a match is.

mod api;
mod audit;
mod auth;
mod error;
mod guard;
mod limits;
mod metrics;
mod ui;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use seatmate_core::{Clock, Millis};
use seatmate_store::Store;

pub use api::Access;
pub use auth::{check_password, hash_password, hash_secret, new_api_token, verify_password, MIN_PASSWORD_CHARS};
pub use error::{ApiError, ErrorCode};
pub use limits::Limits;

/// The wall clock, for the running server.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_millis(&self) -> Millis {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as Millis).unwrap_or_default()
    }
}

#[derive(Clone, Debug)]
pub struct ServerOptions {
    /// How long a login lasts.
    pub session_hours: i64,
    /// Mark the session cookie `Secure` (behind HTTPS).
    pub secure_cookies: bool,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions { session_hours: 12, secure_cookies: false }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub aftercall: Arc<seatmate_aftercall::AfterCall>,
    /// Knowledge assist: search, live cards, similar cases, feedback, index rebuilds.
    pub assist: Arc<seatmate_assist::Assist>,
    pub clock: Arc<dyn Clock>,
    pub options: ServerOptions,
    /// Login throttling and the gate in front of heavy CPU work.
    pub limits: Arc<Limits>,
    /// Live conversations: the streaming protocol and the events the desks follow.
    pub live: Arc<seatmate_live::Live>,
    /// Quality inspection: scorecards, inspections, reviews, disputes, profiles.
    pub inspector: Arc<seatmate_inspect::Inspector>,
    /// Learning: the case library, assignments, role-play training.
    pub coach: Arc<seatmate_learn::Coach>,
}

/// The OpenAPI document of the API (the same one `/api/v1/openapi.json` serves).
pub fn openapi_document(state: &AppState) -> utoipa::openapi::OpenApi {
    api::routes(state).1
}

/// The whole application as a router, for serving or for in-process tests.
pub fn router(state: AppState) -> Router {
    let (api, _) = api::routes(&state);
    Router::new()
        .nest("/api/v1", api)
        .route("/health", axum::routing::get(api::health))
        .merge(ui::routes())
        .layer(axum::middleware::from_fn(guard::reject_control_characters))
        .layer(axum::middleware::from_fn(guard::same_origin_writes))
        .layer(axum::middleware::from_fn(guard::security_headers))
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(axum::middleware::from_fn(error::with_request_id))
        .with_state(state)
}

/// Serves the API and UI on `listen` and metrics on `metrics_listen` until Ctrl-C or SIGTERM.
pub async fn serve(state: AppState, listen: SocketAddr, metrics_listen: SocketAddr) -> std::io::Result<()> {
    let handle = metrics::install();
    let app_listener = tokio::net::TcpListener::bind(listen).await?;
    let metrics_listener = tokio::net::TcpListener::bind(metrics_listen).await?;
    tracing::info!(addr = %app_listener.local_addr()?, "serving seatmate");
    tracing::info!(addr = %metrics_listener.local_addr()?, "serving metrics");
    let metrics_app = Router::new().route("/metrics", axum::routing::get(move || std::future::ready(handle.render())));
    let metrics_server = axum::serve(metrics_listener, metrics_app).with_graceful_shutdown(shutdown_signal());
    tokio::spawn(retention_every_hour(state.clone()));
    // the client's address feeds login throttling and the audit log
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let app_server = axum::serve(app_listener, app).with_graceful_shutdown(shutdown_signal());
    use std::future::IntoFuture;
    tokio::try_join!(app_server.into_future(), metrics_server.into_future())?;
    tracing::info!("stopped");
    Ok(())
}

/// Applies the retention policy now and every hour.
async fn retention_every_hour(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        if let Err(error) = api::apply_retention(&state, "retention", &audit::Client("-".into())).await {
            tracing::error!(error = ?error.message, "applying the retention policy failed");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
