//! The JSON API under `/api/v1`. One table, [`routes`], builds the router, the role check of every
//! route and the OpenAPI document (from the handlers' `#[utoipa::path]` attributes and the types
//! they take and give), so none of the three can drift from the others.

mod admin;
mod conversations;
mod drafts;
mod flows;
mod knowledge;
mod learning;
mod live;
mod models;
mod privacy;
mod quality;
mod session;
mod taxonomy;
mod tickets;

use axum::extract::{Request, State};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::Json;
use seatmate_core::Role;
use serde::Serialize;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, ResponseBuilder};
use utoipa::{OpenApi as _, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::AppState;

pub use privacy::apply_retention;
pub use session::health;

type ApiResult<T> = Result<Json<T>, ApiError>;

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Public,
    /// Any logged-in user; the answer is scoped to what their role may see.
    User,
    /// Only these roles.
    Roles(&'static [Role]),
}

const ADMIN: Access = Access::Roles(&[Role::Admin]);
/// Quality inspectors (and admins): scorecards, reviews, answers to disputes.
pub const QA: Access = Access::Roles(&[Role::QaInspector, Role::Admin]);
/// Those who review conversations' quality: inspectors, team leads (their team) and admins.
/// Trainers (and admins): the case library's curation and assignments.
pub const TRAINERS: Access = Access::Roles(&[Role::Trainer, Role::Admin]);
/// Who reads the whole case library: trainers, team leads, QA inspectors, admins.
pub const CASE_READERS: Access = Access::Roles(&[Role::Trainer, Role::TeamLead, Role::QaInspector, Role::Admin]);
pub const REVIEWERS: Access = Access::Roles(&[Role::QaInspector, Role::TeamLead, Role::Admin]);

impl Access {
    /// The value of the `x-seatmate-access` extension in the OpenAPI document.
    pub fn describe(self) -> String {
        match self {
            Access::Public => "public".into(),
            Access::User => "user".into(),
            Access::Roles(roles) => roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(","),
        }
    }

    /// Reads the extension back (for tests that walk the document).
    pub fn parse(text: &str) -> Option<Access> {
        match text {
            "public" => Some(Access::Public),
            "user" => Some(Access::User),
            "admin" => Some(ADMIN),
            "qa_inspector,admin" => Some(QA),
            "qa_inspector,team_lead,admin" => Some(REVIEWERS),
            "trainer,admin" => Some(TRAINERS),
            "trainer,team_lead,qa_inspector,admin" => Some(CASE_READERS),
            _ => None,
        }
    }
}

/// The route table: every route of the API, with who may call it.
fn table() -> Vec<(Access, UtoipaMethodRouter<AppState>)> {
    use Access::{Public, User};
    vec![
        (Public, routes!(session::health_v1)),
        (Public, routes!(session::login)),
        (Public, routes!(session::logout)),
        (User, routes!(session::me)),
        (User, routes!(session::stats)),
        (User, routes!(drafts::get_draft, drafts::save_draft, drafts::delete_draft)),
        (User, routes!(conversations::list_conversations)),
        (User, routes!(conversations::get_conversation)),
        (User, routes!(conversations::conversation_ticket)),
        (User, routes!(conversations::conversation_assist)),
        (User, routes!(flows::list_walks)),
        (User, routes!(flows::flow_guide, flows::save_walk)),
        (User, routes!(tickets::classify)),
        (User, routes!(tickets::dispatch_for)),
        (User, routes!(tickets::list_tickets)),
        (User, routes!(tickets::get_ticket)),
        (User, routes!(tickets::ticket_suggestion)),
        (User, routes!(tickets::confirm_ticket)),
        (ADMIN, routes!(models::list_models)),
        (ADMIN, routes!(models::train_model)),
        (ADMIN, routes!(models::activate_model)),
        (User, routes!(models::auto_accept)),
        (ADMIN, routes!(models::set_auto_accept)),
        (ADMIN, routes!(models::set_model_retention)),
        (ADMIN, routes!(models::dispatch_rules)),
        (ADMIN, routes!(models::set_dispatch_rules)),
        (User, routes!(taxonomy::taxonomy_children)),
        (User, routes!(taxonomy::search_taxonomy)),
        (User, routes!(taxonomy::taxonomy_node)),
        (User, routes!(knowledge::list_knowledge)),
        (User, routes!(knowledge::search_knowledge)),
        (User, routes!(knowledge::knowledge_index)),
        (ADMIN, routes!(knowledge::rebuild_knowledge_index)),
        (User, routes!(knowledge::get_knowledge)),
        (ADMIN, routes!(knowledge::edit_knowledge)),
        (User, routes!(knowledge::knowledge_feedback)),
        (User, routes!(knowledge::knowledge_history)),
        (User, routes!(admin::list_teams)),
        (ADMIN, routes!(admin::list_users)),
        (ADMIN, routes!(admin::create_user)),
        (ADMIN, routes!(admin::set_user_active)),
        (ADMIN, routes!(admin::list_tokens)),
        (ADMIN, routes!(admin::create_token)),
        (ADMIN, routes!(admin::revoke_token)),
        (ADMIN, routes!(privacy::audit_log)),
        (ADMIN, routes!(privacy::export_audit_log)),
        (ADMIN, routes!(privacy::erase_customer)),
        (ADMIN, routes!(privacy::get_retention)),
        (ADMIN, routes!(privacy::set_retention)),
        (ADMIN, routes!(privacy::get_redaction)),
        (ADMIN, routes!(privacy::set_redaction)),
        (ADMIN, routes!(live::post_live_messages)),
        (ADMIN, routes!(live::live_conversation)),
        (ADMIN, routes!(live::live_ingest)),
        (User, routes!(live::live_events)),
        (User, routes!(live::live_wall)),
        (ADMIN, routes!(live::get_opportunities, live::set_opportunities)),
        (User, routes!(quality::list_scorecards)),
        (QA, routes!(quality::save_scorecard)),
        (QA, routes!(quality::trial_scorecard)),
        (User, routes!(quality::get_scorecard)),
        (QA, routes!(quality::publish_scorecard)),
        (QA, routes!(quality::retire_scorecard)),
        (REVIEWERS, routes!(quality::list_batches)),
        (User, routes!(quality::conversation_inspections)),
        (REVIEWERS, routes!(quality::review_queue)),
        (QA, routes!(quality::review_item)),
        (User, routes!(quality::open_dispute, quality::list_disputes)),
        (QA, routes!(quality::answer_dispute)),
        (REVIEWERS, routes!(quality::rule_agreement)),
        (User, routes!(quality::quality_profile)),
        (TRAINERS, routes!(learning::mine_cases)),
        (User, routes!(learning::list_cases)),
        (User, routes!(learning::get_case)),
        (User, routes!(learning::case_audio)),
        (User, routes!(learning::case_voice)),
        (TRAINERS, routes!(learning::curate_case)),
        (User, routes!(learning::list_assignments, learning::create_assignment)),
        (TRAINERS, routes!(learning::suggest_assignments)),
        (TRAINERS, routes!(learning::update_assignment)),
        (User, routes!(learning::start_session, learning::list_sessions)),
        (User, routes!(learning::get_session)),
        (User, routes!(learning::session_turn)),
        (User, routes!(learning::finish_session)),
        (User, routes!(learning::training_progress)),
    ]
}

#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Seatmate API", description = "Seatmate's JSON API. Errors: docs/api-errors.md."),
    components(schemas(ErrorBody))
)]
struct ApiDoc;

/// The API router (to nest under `/api/v1`) and its OpenAPI document.
pub fn routes(state: &AppState) -> (axum::Router<AppState>, OpenApi) {
    let mut router = OpenApiRouter::with_openapi(ApiDoc::openapi());
    for (access, (schemas, mut paths, method_router)) in table() {
        for item in paths.paths.values_mut() {
            for operation in operations(item) {
                document_access(operation, access);
            }
        }
        let method_router = match access {
            Access::Public => method_router,
            _ => method_router.route_layer(from_fn_with_state((state.clone(), access), require_access)),
        };
        router = router.routes((schemas, paths, method_router));
    }
    let (router, mut document) = router.split_for_parts();
    document.servers = Some(vec![utoipa::openapi::Server::new("/api/v1")]);
    let components = document.components.get_or_insert_with(Default::default);
    components
        .add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::SESSION_COOKIE))));
    components.add_security_scheme(
        "token",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("an API token created by an admin (smt_…)"))
                .build(),
        ),
    );
    document.security = Some(vec![SecurityRequirement::new("session", [""; 0]), SecurityRequirement::new("token", [""; 0])]);
    let served = document.clone();
    let router = router
        .route("/openapi.json", axum::routing::get(move || std::future::ready(Json(served.clone()))))
        .method_not_allowed_fallback(crate::error::method_not_allowed);
    (router, document)
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten()
}

/// Marks who may call an operation and that it may answer with the error body.
fn document_access(operation: &mut Operation, access: Access) {
    let extensions = ExtensionsBuilder::new().add("x-seatmate-access", access.describe()).build();
    operation.extensions.get_or_insert_with(Default::default).merge(extensions);
    if access == Access::Public {
        operation.security = Some(vec![SecurityRequirement::default()]);
    }
    let error = ResponseBuilder::new()
        .description("an error: see docs/api-errors.md for the codes")
        .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
        .build();
    operation.responses.responses.entry("default".into()).or_insert(error.into());
}

/// The role check in front of every non-public route. The user it finds is kept in the request,
/// so the handler's [`CurrentUser`] does not look it up again.
async fn require_access(State((state, access)): State<(AppState, Access)>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let (user, token_scope) = match crate::auth::authenticate_with_scope(&parts, &state).await {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    // a WebSocket is opened with a GET: a route whose socket writes checks `ReadOnlyToken` itself
    let reads = matches!(parts.method, axum::http::Method::GET | axum::http::Method::HEAD);
    if token_scope == Some(seatmate_core::TokenScope::Read) {
        if !reads {
            return crate::auth::ReadOnlyToken::refusal().into_response();
        }
        parts.extensions.insert(crate::auth::ReadOnlyToken);
    }
    if let Access::Roles(roles) = access {
        if !roles.contains(&user.0.role) {
            return ApiError::forbidden().into_response();
        }
    }
    parts.extensions.insert(user);
    next.run(Request::from_parts(parts, body)).await
}

/// Page size when the client names none.
const DEFAULT_LIMIT: i64 = 50;
/// Largest page a client may ask for.
const MAX_LIMIT: i64 = 500;

fn limit(requested: Option<i64>) -> i64 {
    requested.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
}

/// A list answer.
#[derive(Serialize, ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}

/// One page of a longer list.
#[derive(Serialize, ToSchema)]
pub struct PageOf<T> {
    pub items: Vec<T>,
    /// How many there are in all (for the filter given).
    pub total: i64,
}

impl<T> From<seatmate_store::Page<T>> for PageOf<T> {
    fn from(page: seatmate_store::Page<T>) -> Self {
        PageOf { items: page.items, total: page.total }
    }
}

/// An optional enum in a query string: empty and `all` mean no filter.
fn parse_opt<T: std::str::FromStr>(text: &Option<String>) -> Result<Option<T>, ApiError>
where
    T::Err: std::fmt::Display,
{
    match text.as_deref().map(str::trim).filter(|t| !t.is_empty() && *t != "all") {
        None => Ok(None),
        Some(t) => t.parse().map(Some).map_err(|e: T::Err| ApiError::invalid(e.to_string())),
    }
}

/// What the caller may see.
fn scope_of(user: &CurrentUser) -> seatmate_store::Scope {
    seatmate_store::Scope::for_user(&user.0)
}
