//! The router in-process: logins, role checks on every documented route, and scoping.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use seatmate_core::{Channel, Clock, Conversation, Millis, Role, Speaker, Turn};
use seatmate_server::{hash_password, openapi_document, router, Access, AppState, ErrorCode, ServerOptions};
use seatmate_store::{prelude::*, NewUser, SqlStore};
use serde_json::{json, Value};
use tower::ServiceExt;

struct FixedClock;
impl Clock for FixedClock {
    fn now_millis(&self) -> Millis {
        1_800_000_000_000
    }
}

const PASSWORD: &str = "correct horse";

fn conversation(external_id: &str, agent: &str) -> Conversation {
    Conversation {
        id: format!("conv-{external_id}"),
        external_id: external_id.into(),
        source: "test".into(),
        channel: Channel::Chat,
        queue: None,
        agent: Some(agent.into()),
        customer_id: None,
        language: None,
        started_at: 1,
        ended_at: None,
        audio_ref: None,
        attributes: Default::default(),
        turns: vec![Turn {
            speaker: Speaker::Customer,
            text: "我的宽带断了".into(),
            start_ms: None,
            end_ms: None,
            audio_ref: None,
        }],
    }
}

struct App {
    router: axum::Router,
    inspector: Arc<seatmate_inspect::Inspector>,
    store: Arc<dyn Store>,
    /// Every route of the API as (method, path, access), read from the OpenAPI document the
    /// router itself is built with.
    routes: Vec<(Method, String, Access)>,
}

impl App {
    async fn new() -> App {
        let store = SqlStore::open("sqlite::memory:").await.unwrap();
        let hash = hash_password(PASSWORD).unwrap();
        for (username, role, team) in [
            ("agent01", Role::Agent, Some("T1")),
            ("agent05", Role::Agent, Some("T2")),
            ("lead01", Role::TeamLead, Some("T1")),
            ("qa01", Role::QaInspector, None),
            ("trainer01", Role::Trainer, None),
            ("admin", Role::Admin, None),
        ] {
            let user = NewUser {
                username: username.into(),
                display_name: username.into(),
                role,
                team: team.map(Into::into),
                password_hash: hash.clone(),
            };
            store.create_user(&user, 0).await.unwrap();
        }
        let team = |code: &str, dispatch| seatmate_core::Team {
            code: code.into(),
            name_zh: code.into(),
            name_en: code.into(),
            dispatch,
        };
        store.upsert_teams(&[team("T1", false), team("T2", false), team("NET", true)]).await.unwrap();
        let mut erasable = conversation("c9", "agent05");
        erasable.customer_id = Some("cust-9".into());
        erasable.turns[0].text = "我的手机号13812345678".into();
        store
            .import_conversations(&[conversation("c1", "agent01"), conversation("c5", "agent05"), erasable], &|_| {})
            .await
            .unwrap();
        let faq = seatmate_core::KnowledgeItem {
            id: "faq-1".into(),
            key: "FAQ-1".into(),
            title: "如何办理携号转网".into(),
            category: None,
            language: Some("zh".into()),
            tags: vec![],
            version: 1,
            updated_at: 0,
            updated_by: "test".into(),
            body: seatmate_core::KnowledgeBody::Faq {
                questions: vec!["如何办理携号转网".into()],
                answer: "带身份证到营业厅".into(),
            },
        };
        let login_faq = seatmate_core::KnowledgeItem {
            id: "faq-2".into(),
            key: "FAQ-2".into(),
            title: "Why can't I log in?".into(),
            language: Some("en".into()),
            body: seatmate_core::KnowledgeBody::Faq {
                questions: vec!["Why can't I log in?".into()],
                answer: "Reset your password from the login page.".into(),
            },
            ..faq.clone()
        };
        store.upsert_knowledge(&[faq, login_faq]).await.unwrap();
        let store: Arc<dyn Store> = Arc::new(store);
        let aftercall = seatmate_aftercall::AfterCall::start(store.clone()).await.unwrap();
        let clock: Arc<dyn seatmate_core::Clock> = Arc::new(FixedClock);
        let assist = seatmate_assist::Assist::start(store.clone(), clock.clone(), None).await.unwrap();
        let live = Arc::new(seatmate_live::Live::new(store.clone(), clock.clone(), Arc::new(seatmate_live::LocalBus::default())));
        let inspector = Arc::new(seatmate_inspect::Inspector::new(store.clone(), clock.clone()).with_assist(assist.clone()));
        let coach =
            Arc::new(seatmate_learn::Coach::new(store.clone(), clock.clone(), inspector.clone()).with_assist(assist.clone()));
        let state = AppState {
            store: store.clone(),
            aftercall,
            assist,
            live,
            inspector: inspector.clone(),
            coach,
            clock,
            options: ServerOptions::default(),
            limits: Arc::new(seatmate_server::Limits::for_this_machine()),
        };
        let document = serde_json::to_value(openapi_document(&state)).unwrap();
        let mut routes = Vec::new();
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let access = operation["x-seatmate-access"].as_str().and_then(Access::parse);
                let access = access.unwrap_or_else(|| panic!("{method} {path} says who may call it"));
                routes.push((Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(), format!("/api/v1{path}"), access));
            }
        }
        assert!(routes.len() >= 39, "the document lists every route: {}", routes.len());
        App { router: router(state), routes, inspector, store }
    }

    async fn call(
        &self,
        method: Method,
        uri: &str,
        auth: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value, Option<String>) {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(auth) = auth {
            request = if auth.starts_with("smt_") {
                request.header(header::AUTHORIZATION, format!("Bearer {auth}"))
            } else {
                request.header(header::COOKIE, auth)
            };
        }
        let body = match body {
            Some(value) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(value.to_string())
            }
            None => Body::empty(),
        };
        let response = self.router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
        let status = response.status();
        let cookie =
            response.headers().get(header::SET_COOKIE).map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, value, cookie)
    }

    async fn login(&self, username: &str) -> String {
        let (status, body, cookie) = self
            .call(Method::POST, "/api/v1/auth/login", None, Some(json!({ "username": username, "password": PASSWORD })))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        cookie.unwrap()
    }
}

fn concrete(path: &str) -> String {
    path.replace("{id}", "some-id").replace("{key}", "some-key").replace("{code}", "SOME").replace("{username}", "someone")
}

const ADMIN_ONLY: Access = Access::Roles(&[Role::Admin]);

#[tokio::test]
async fn every_protected_route_refuses_anonymous_callers() {
    let app = App::new().await;
    let protected: Vec<_> = app.routes.iter().filter(|r| r.2 != Access::Public).collect();
    assert!(protected.len() >= 35, "{}", protected.len());
    for (method, path, _) in protected {
        let (status, body, _) = app.call(method.clone(), &concrete(path), None, Some(json!({}))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(body["code"], "unauthorized");
        assert!(!body["request_id"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn admin_routes_refuse_every_other_role() {
    let app = App::new().await;
    let admin_only: Vec<_> = app.routes.iter().filter(|r| r.2 == ADMIN_ONLY).collect();
    assert!(admin_only.len() >= 13, "{}", admin_only.len());
    for username in ["agent01", "lead01", "qa01", "trainer01"] {
        let cookie = app.login(username).await;
        for (method, path, _) in &admin_only {
            let (status, body, _) = app.call(method.clone(), &concrete(path), Some(&cookie), Some(json!({}))).await;
            assert_eq!(
                (status, body["code"].as_str()),
                (StatusCode::FORBIDDEN, Some("forbidden")),
                "{username}: {method} {path}"
            );
        }
    }
}

#[tokio::test]
async fn user_routes_answer_every_role() {
    let app = App::new().await;
    let readable: Vec<_> =
        app.routes.iter().filter(|r| r.2 == Access::User && r.0 == Method::GET && !r.1.contains('{')).collect();
    // the live events are a WebSocket: a plain GET is not how they are read
    let readable: Vec<_> = readable.into_iter().filter(|r| !r.1.ends_with("/live/events")).collect();
    assert!(readable.len() >= 10, "{}", readable.len());
    for username in ["agent01", "lead01", "qa01", "trainer01", "admin"] {
        let cookie = app.login(username).await;
        for (_, path, _) in &readable {
            let (status, body, _) = app.call(Method::GET, path, Some(&cookie), None).await;
            assert_eq!(status, StatusCode::OK, "{username}: {path} {body}");
        }
    }
}

#[tokio::test]
async fn every_rejection_has_the_error_shape() {
    let app = App::new().await;
    let agent = app.login("agent01").await;
    let check = |status: StatusCode, body: &Value, want: StatusCode, code: ErrorCode| {
        assert_eq!((status, body["code"].as_str()), (want, Some(code.as_str())), "{body}");
        assert_eq!(code.status(), want);
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()) && body["request_id"].is_string(), "{body}");
    };
    let (status, body, _) = app.call(Method::DELETE, "/api/v1/me", Some(&agent), None).await;
    check(status, &body, StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed);
    let (status, body, _) = app.call(Method::GET, "/api/v1/conversations?limit=lots", Some(&agent), None).await;
    check(status, &body, StatusCode::BAD_REQUEST, ErrorCode::InvalidInput);
    let (status, body, _) = app.call(Method::POST, "/api/v1/classify", Some(&agent), Some(json!({ "text": 5 }))).await;
    check(status, &body, StatusCode::BAD_REQUEST, ErrorCode::InvalidInput);
    let (status, body, _) = app.call(Method::POST, "/api/v1/classify", Some(&agent), None).await;
    check(status, &body, StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::UnsupportedMediaType);
    let verdict = json!({ "verdict": "love" });
    let (status, body, _) = app.call(Method::POST, "/api/v1/knowledge/faq-1/feedback", Some(&agent), Some(verdict)).await;
    check(status, &body, StatusCode::BAD_REQUEST, ErrorCode::InvalidInput);
    assert!(body["message"].as_str().unwrap().contains("used"), "the message names what is expected: {body}");
    let (status, body, _) = app.call(Method::GET, "/api/v1/nothing-here", Some(&agent), None).await;
    check(status, &body, StatusCode::NOT_FOUND, ErrorCode::NotFound);
}

#[test]
fn the_error_code_table_is_documented() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/api-errors.md")).unwrap();
    for code in ErrorCode::ALL {
        let row = format!("| `{}` | {} |", code.as_str(), code.status().as_u16());
        assert!(doc.contains(&row), "docs/api-errors.md lacks the row starting {row}");
    }
}

#[tokio::test]
async fn the_api_shapes_stay_as_documented() {
    let app = App::new().await;
    let (_, doc, _) = app.call(Method::GET, "/api/v1/openapi.json", None, None).await;
    // the whole document: any change to a request or response type shows here, in review
    insta::assert_json_snapshot!("openapi", doc, { ".info.version" => "[version]" });
    let agent = app.login("agent01").await;
    let (_, ticket, _) = app.call(Method::POST, "/api/v1/conversations/conv-c1/ticket", Some(&agent), None).await;
    insta::assert_json_snapshot!("prefilled_ticket", ticket, {
        ".ticket.id" => "[id]", ".ticket.created_at" => "[time]", ".ticket.updated_at" => "[time]"
    });
    let (_, error, _) = app.call(Method::GET, "/api/v1/tickets/nope", Some(&agent), None).await;
    insta::assert_json_snapshot!("not_found", error, { ".request_id" => "[request id]" });
}

/// Training twice on the same tickets: the first version is activated, the second is no better
/// on the same held-out tickets and waits as a candidate beside it, with cross-validated figures;
/// the admin activates it.
#[tokio::test]
async fn a_retrained_model_is_a_candidate_until_the_admin_activates_it() {
    let app = App::new().await;
    let node = |code: &str, parent: Option<&str>| seatmate_core::TaxonomyNode {
        code: code.into(),
        parent: parent.map(Into::into),
        name_zh: code.into(),
        name_en: code.into(),
        depth: if parent.is_some() { 2 } else { 1 },
        team: None,
    };
    let nodes = [
        node("BB", None),
        node("BB.FAULT", Some("BB")),
        node("BB.MOVE", Some("BB")),
        node("BILL", None),
        node("BILL.QUERY", Some("BILL")),
    ];
    app.store.upsert_taxonomy(&nodes, &|_| {}).await.unwrap();
    let texts = [
        ("BB.FAULT", ["宽带断了", "宽带掉线", "光猫红灯", "上不了网", "网络断线", "宽带连不上", "路由器没网", "网速断断续续"]),
        (
            "BB.MOVE",
            ["宽带移机", "搬家装宽带", "宽带迁到新家", "新家移机", "移机要多久", "换地址装宽带", "搬家了宽带怎么办", "预约移机"],
        ),
        ("BILL.QUERY", ["话费太多", "账单不对", "多扣了钱", "查话费", "扣费有误", "余额不对", "账单明细", "话费清单"]),
    ];
    let tickets: Vec<seatmate_core::Ticket> = texts
        .iter()
        .flat_map(|(category, lines)| lines.iter().map(move |line| (category, line)))
        .enumerate()
        .map(|(i, (category, line))| seatmate_core::Ticket {
            id: format!("t{i}"),
            external_id: format!("x{i}"),
            source: "test".into(),
            conversation_id: None,
            title: line.to_string(),
            body: String::new(),
            category: Some(category.to_string()),
            team: None,
            priority: seatmate_core::Priority::Normal,
            summary: String::new(),
            status: seatmate_core::TicketStatus::Confirmed,
            created_at: 1,
            updated_at: 1,
            attributes: Default::default(),
        })
        .collect();
    app.store.import_tickets(&[], &tickets, &|_| {}).await.unwrap();
    let admin = app.login("admin").await;
    let (status, first, _) = app.call(Method::POST, "/api/v1/models/train", Some(&admin), None).await;
    assert_eq!(
        (status, first["state"].as_str(), first["active"].as_bool()),
        (StatusCode::OK, Some("active"), Some(true)),
        "{first}"
    );
    let (_, second, _) = app.call(Method::POST, "/api/v1/models/train", Some(&admin), None).await;
    assert_eq!(second["state"], "candidate", "{second}");
    assert_eq!(second["comparison"]["against_version"], 1);
    assert_eq!(second["comparison"]["tickets"], 0, "no ticket changed since version 1: nothing says it is better");
    assert_eq!(second["cross_validation"]["examples"], 24, "every ticket predicted out of fold: {second}");
    let (_, list, _) = app.call(Method::GET, "/api/v1/models", Some(&admin), None).await;
    insta::assert_json_snapshot!("model_versions", list, {
        ".items[].id" => "[id]", ".items[].bytes" => "[bytes]", ".storage_bytes" => "[bytes]",
        ".items[].metrics" => "[metrics]",
        ".items[].cross_validation.accuracy" => "[figure]", ".items[].cross_validation.top5" => "[figure]",
        ".items[].cross_validation.macro_f1" => "[figure]"
    });
    let agent = app.login("agent01").await;
    let (status, _, _) =
        app.call(Method::POST, &format!("/api/v1/models/{}/activate", second["id"].as_str().unwrap()), Some(&agent), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only an admin activates");
    let (status, list, _) =
        app.call(Method::POST, &format!("/api/v1/models/{}/activate", second["id"].as_str().unwrap()), Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK);
    let states: Vec<(i64, &str)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["version"].as_i64().unwrap(), m["state"].as_str().unwrap()))
        .collect();
    assert_eq!(states, [(2, "active"), (1, "earlier")]);

    // the suggestion: runner-ups with real probability, and the best path's siblings
    let (_, suggestion, _) =
        app.call(Method::POST, "/api/v1/classify", Some(&agent), Some(json!({ "text": "宽带断了上不了网" }))).await;
    assert_eq!(suggestion["model_version"], 2);
    assert_eq!(suggestion["candidates"][0]["category"], "BB.FAULT", "{suggestion}");
    for runner_up in suggestion["candidates"].as_array().unwrap().iter().skip(1) {
        assert!(runner_up["probability"].as_f64().unwrap() >= 0.02, "{suggestion}");
    }
    assert_eq!(suggestion["siblings"][0]["category"], "BB.MOVE", "{suggestion}");
    assert_eq!(suggestion["siblings"][0]["path"][0]["code"], "BB");
}

#[tokio::test]
async fn an_agent_cannot_read_another_agents_conversation() {
    let app = App::new().await;
    let agent = app.login("agent01").await;
    let (_, list, _) = app.call(Method::GET, "/api/v1/conversations", Some(&agent), None).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["agent"], "agent01");
    let (status, own, _) = app.call(Method::GET, "/api/v1/conversations/conv-c1", Some(&agent), None).await;
    assert_eq!((status, own["turns"][0]["text"].as_str()), (StatusCode::OK, Some("我的宽带断了")));
    let (status, body, _) = app.call(Method::GET, "/api/v1/conversations/conv-c5", Some(&agent), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    // filtering by another agent does not widen the scope
    let (_, list, _) = app.call(Method::GET, "/api/v1/conversations?agent=agent05", Some(&agent), None).await;
    assert_eq!(list["total"], 0);

    let lead = app.login("lead01").await;
    let (_, list, _) = app.call(Method::GET, "/api/v1/conversations", Some(&lead), None).await;
    assert_eq!(list["total"], 1, "a team lead sees their team only");
    for username in ["qa01", "trainer01", "admin"] {
        let cookie = app.login(username).await;
        let (status, _, _) = app.call(Method::GET, "/api/v1/conversations/conv-c5", Some(&cookie), None).await;
        assert_eq!(status, StatusCode::OK, "{username}");
    }
}

#[tokio::test]
async fn drafts_are_kept_for_their_user_and_respect_scope() {
    let app = App::new().await;
    let agent = app.login("agent01").await;
    let draft = json!({ "conversation_id": "conv-c1", "body": { "summary": "宽带断网，已派单", "category": "BB" } });
    let (status, saved, _) = app.call(Method::PUT, "/api/v1/drafts/ticket:t1", Some(&agent), Some(draft)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (status, read, _) = app.call(Method::GET, "/api/v1/drafts/ticket:t1", Some(&agent), None).await;
    assert_eq!((status, &read["body"]["summary"]), (StatusCode::OK, &json!("宽带断网，已派单")));
    // another user has drafts of their own
    let other = app.login("agent05").await;
    let (status, _, _) = app.call(Method::GET, "/api/v1/drafts/ticket:t1", Some(&other), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // a draft about a conversation the caller may not see is refused
    let foreign = json!({ "conversation_id": "conv-c5", "body": {} });
    let (status, _, _) = app.call(Method::PUT, "/api/v1/drafts/ticket:t5", Some(&agent), Some(foreign)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for not_a_form in [json!([null, null]), json!({ "body": null }), json!({ "body": [1, 2] })] {
        let (status, body, _) = app.call(Method::PUT, "/api/v1/drafts/ticket:t1", Some(&agent), Some(not_a_form)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    }
    let huge = json!({ "body": { "summary": "长".repeat(70_000) } });
    let (status, body, _) = app.call(Method::PUT, "/api/v1/drafts/ticket:t1", Some(&agent), Some(huge)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _, _) = app.call(Method::DELETE, "/api/v1/drafts/ticket:t1", Some(&agent), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = app.call(Method::GET, "/api/v1/drafts/ticket:t1", Some(&agent), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_guided_flow_is_walked_step_by_step_and_checked() {
    let app = App::new().await;
    let step = |id: &str, kind, next: Option<&str>| seatmate_core::FlowStep {
        id: id.into(),
        kind,
        text: format!("step {id}"),
        options: vec![],
        next: next.map(Into::into),
        action: None,
        cues: vec![],
    };
    let mut verify = step("s1", seatmate_core::FlowStepKind::Action, Some("s2"));
    verify.action = Some("verify-identity".into());
    verify.cues = vec!["宽带断了".into()];
    let mut ask = step("s2", seatmate_core::FlowStepKind::Ask, None);
    ask.options = vec![seatmate_core::FlowOption { label: "断网".into(), next: "s3".into(), cues: vec!["断".into()] }];
    let flow = seatmate_core::KnowledgeItem {
        id: "flow-1".into(),
        key: "bb".into(),
        title: "宽带故障".into(),
        category: None,
        language: Some("zh".into()),
        tags: vec![],
        version: 1,
        updated_at: 0,
        updated_by: "test".into(),
        body: seatmate_core::KnowledgeBody::Flow(seatmate_core::GuidedFlow {
            description: String::new(),
            start: "s1".into(),
            steps: vec![verify, ask, step("s3", seatmate_core::FlowStepKind::End, None)],
            required: vec!["verify-identity".into()],
        }),
    };
    app.store.upsert_knowledge(&[flow]).await.unwrap();
    let agent = app.login("agent01").await;
    let guide_path = "/api/v1/conversations/conv-c1/flows/flow-1";
    let (status, guide, _) = app.call(Method::GET, guide_path, Some(&agent), None).await;
    assert_eq!(status, StatusCode::OK, "{guide}");
    assert_eq!((guide["walk"].clone(), guide["recognised"][0]["step"].clone()), (Value::Null, json!("s1")), "{guide}");

    let first = json!({ "steps": [{ "step": "s1", "action": "verify-identity" }, { "step": "s2" }], "revision": 0 });
    let (status, walk, _) = app.call(Method::PUT, guide_path, Some(&agent), Some(first.clone())).await;
    assert_eq!((status, walk["revision"].as_i64(), walk["finished"].as_bool()), (StatusCode::OK, Some(1), Some(false)), "{walk}");
    let (_, guide, _) = app.call(Method::GET, guide_path, Some(&agent), None).await;
    assert_eq!(guide["answer"]["option"], 0, "the customer's words pick the option: {guide}");
    let (status, _, _) = app.call(Method::PUT, guide_path, Some(&agent), Some(first)).await;
    assert_eq!(status, StatusCode::CONFLICT, "a second tab's stale save");
    let astray = json!({ "steps": [{ "step": "s1" }, { "step": "s3" }], "revision": 1 });
    let (status, body, _) = app.call(Method::PUT, guide_path, Some(&agent), Some(astray)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a step the flow does not lead to: {body}");
    let done = json!({ "steps": [{ "step": "s1", "action": "verify-identity" }, { "step": "s2", "option": 0 }, { "step": "s3" }], "revision": 1 });
    let (status, walk, _) = app.call(Method::PUT, guide_path, Some(&agent), Some(done)).await;
    assert_eq!((status, walk["finished"].as_bool()), (StatusCode::OK, Some(true)), "{walk}");
    let (_, walks, _) = app.call(Method::GET, "/api/v1/conversations/conv-c1/flows", Some(&agent), None).await;
    assert_eq!(walks["items"].as_array().map(Vec::len), Some(1));

    // another agent's conversation stays out of reach
    let foreign = "/api/v1/conversations/conv-c5/flows/flow-1";
    let (status, _, _) = app.call(Method::GET, foreign, Some(&agent), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) =
        app.call(Method::PUT, foreign, Some(&agent), Some(json!({ "steps": [{ "step": "s1" }], "revision": 0 }))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = app.call(Method::GET, "/api/v1/conversations/conv-c1/flows/faq-1", Some(&agent), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an FAQ is not a flow");
}

#[tokio::test]
async fn login_logout_and_bad_credentials() {
    let app = App::new().await;
    let (status, body, cookie) =
        app.call(Method::POST, "/api/v1/auth/login", None, Some(json!({ "username": "agent01", "password": "wrong" }))).await;
    assert_eq!((status, body["code"].as_str(), cookie), (StatusCode::UNAUTHORIZED, Some("invalid_credentials"), None));
    let (status, _, _) =
        app.call(Method::POST, "/api/v1/auth/login", None, Some(json!({ "username": "nobody", "password": PASSWORD }))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body, _) = app.call(Method::POST, "/api/v1/auth/login", None, Some(json!({ "user": "x" }))).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")));

    let cookie = app.login("agent01").await;
    let (status, me, _) = app.call(Method::GET, "/api/v1/me", Some(&cookie), None).await;
    assert_eq!((status, me["user"]["role"].as_str()), (StatusCode::OK, Some("agent")));
    let (status, _, _) = app.call(Method::POST, "/api/v1/auth/logout", Some(&cookie), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = app.call(Method::GET, "/api/v1/me", Some(&cookie), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the session ended");
}

#[tokio::test]
async fn api_tokens_act_as_their_user_until_revoked() {
    let app = App::new().await;
    let admin = app.login("admin").await;
    let (status, created, _) = app.call(Method::POST, "/api/v1/tokens", Some(&admin), Some(json!({ "name": "crm" }))).await;
    assert_eq!(status, StatusCode::CREATED);
    let token = created["token"].as_str().unwrap().to_string();
    let (status, me, _) = app.call(Method::GET, "/api/v1/me", Some(&token), None).await;
    assert_eq!((status, me["user"]["username"].as_str()), (StatusCode::OK, Some("admin")));
    let (_, list, _) = app.call(Method::GET, "/api/v1/tokens", Some(&admin), None).await;
    assert!(list.to_string().find(&token).is_none(), "the token is never shown again");
    let id = created["id"].as_str().unwrap();
    let (status, _, _) = app.call(Method::DELETE, &format!("/api/v1/tokens/{id}"), Some(&admin), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = app.call(Method::GET, "/api/v1/me", Some(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn admin_creates_users_with_checked_input() {
    let app = App::new().await;
    let admin = app.login("admin").await;
    let new = json!({ "username": "agent09", "role": "agent", "team": "T1", "password": "long enough" });
    let (status, _, _) = app.call(Method::POST, "/api/v1/users", Some(&admin), Some(new.clone())).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _, _) = app.call(Method::POST, "/api/v1/users", Some(&admin), Some(new)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let short = json!({ "username": "x", "role": "agent", "password": "short" });
    let (status, body, _) = app.call(Method::POST, "/api/v1/users", Some(&admin), Some(short)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let bad_role = json!({ "username": "y", "role": "boss", "password": "long enough" });
    let (_, body, _) = app.call(Method::POST, "/api/v1/users", Some(&admin), Some(bad_role)).await;
    assert!(body["message"].as_str().unwrap().contains("team_lead"), "{body}");
}

#[tokio::test]
async fn openapi_documents_every_route_and_ui_is_served() {
    let app = App::new().await;
    let (status, doc, _) = app.call(Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    for (method, path, _) in &app.routes {
        let path = path.trim_start_matches("/api/v1");
        let operation = &doc["paths"][path][method.as_str().to_lowercase()];
        assert!(operation["responses"]["default"].is_object(), "{method} {path} documents its error body");
    }
    assert!(doc["components"]["schemas"]["Suggestion"]["properties"]["candidates"].is_object(), "response types have schemas");
    let response = app.router.clone().oneshot(Request::get("/").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&html).contains("app.js"));
    let (status, body, _) = app.call(Method::GET, "/api/v1/nothing-here", None, None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    let (status, body, _) = app.call(Method::GET, "/health", None, None).await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("ok")));
}

#[tokio::test]
async fn after_call_routes_respect_scope() {
    let app = App::new().await;
    let agent = app.login("agent01").await;
    let (status, _, _) = app.call(Method::POST, "/api/v1/conversations/conv-c5/ticket", Some(&agent), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not the agent's conversation");
    let (status, body, _) = app.call(Method::POST, "/api/v1/conversations/conv-c1/ticket", Some(&agent), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["ticket"]["status"], "draft", "no model yet: the agent decides");
    assert!(body["suggestion"]["model_version"].is_null());
    let id = body["ticket"]["id"].as_str().unwrap().to_string();

    let other = app.login("agent05").await;
    let (status, _, _) = app.call(Method::POST, &format!("/api/v1/tickets/{id}/confirm"), Some(&other), Some(json!({}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another agent cannot confirm it");
    let (status, body, _) =
        app.call(Method::POST, &format!("/api/v1/tickets/{id}/confirm"), Some(&agent), Some(json!({ "priority": "high" }))).await;
    assert_eq!((status, body["status"].as_str(), body["priority"].as_str()), (StatusCode::OK, Some("confirmed"), Some("high")));
    let (status, body, _) =
        app.call(Method::POST, &format!("/api/v1/tickets/{id}/confirm"), Some(&agent), Some(json!({ "category": "NOPE" }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _, _) = app.call(Method::POST, "/api/v1/classify", Some(&agent), Some(json!({ "text": " " }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_edited_faq_is_found_by_the_next_question() {
    let app = App::new().await;
    let agent = app.login("agent01").await;
    let (status, body, _) =
        app.call(Method::GET, "/api/v1/knowledge/search?q=%E6%90%BA%E8%99%9F%E8%BD%89%E7%B6%B2", Some(&agent), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["items"][0]["id"], "faq-1", "a Traditional question finds the Simplified FAQ: {body}");
    let passage = body["items"][0]["passage"].as_str().unwrap();
    let [start, end] = [0, 1].map(|i| body["items"][0]["highlights"][0][i].as_u64().unwrap() as usize);
    assert_eq!(passage.chars().skip(start).take(end - start).collect::<String>(), "携号转网", "{body}");

    // passages are plain text: an apostrophe stays an apostrophe
    let (status, body, _) = app.call(Method::GET, "/api/v1/knowledge/search?q=can%27t%20log%20in", Some(&agent), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["items"][0]["passage"], "Why can't I log in?", "{body}");

    let admin = app.login("admin").await;
    let edit = json!({ "title": "国际漫游怎么开通", "body": { "kind": "faq", "questions": ["国际漫游怎么开通"], "answer": "发送 KTMY 到 10086" } });
    let (status, body, _) = app.call(Method::PUT, "/api/v1/knowledge/faq-1", Some(&admin), Some(edit)).await;
    assert_eq!((status, body["version"].as_i64()), (StatusCode::OK, Some(2)), "{body}");
    let (_, body, _) = app.call(Method::GET, "/api/v1/knowledge/search?q=%E6%BC%AB%E6%B8%B8", Some(&agent), None).await;
    assert_eq!(body["items"][0]["id"], "faq-1", "the edit is searchable at once: {body}");
    let (_, body, _) = app.call(Method::GET, "/api/v1/knowledge/search?q=", Some(&agent), None).await;
    assert_eq!(body["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn conversation_search_folds_traditional_and_simplified() {
    let app = App::new().await;
    let agent = app.login("agent01").await;
    // conv-c1 says 我的宽带断了 in Simplified; 寬帶斷了 is its Traditional spelling
    let (status, body, _) =
        app.call(Method::GET, "/api/v1/conversations?q=%E5%AF%AC%E5%B8%B6%E6%96%B7%E4%BA%86", Some(&agent), None).await;
    assert_eq!((status, body["total"].as_i64()), (StatusCode::OK, Some(1)), "{body}");
    assert_eq!(body["items"][0]["id"], "conv-c1", "{body}");
}

#[tokio::test]
async fn control_characters_and_cross_site_writes_are_refused() {
    let app = App::new().await;
    let agent = app.login("agent01").await;
    let (status, body, _) = app.call(Method::GET, "/api/v1/conversations?q=a%00b", Some(&agent), None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")), "{body}");
    let nul = json!({ "username": "agent01\u{0}", "password": PASSWORD });
    let (status, body, _) = app.call(Method::POST, "/api/v1/auth/login", None, Some(nul)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")), "{body}");
    let (status, body, _) = app.call(Method::POST, "/api/v1/classify", Some(&agent), Some(json!({ "text": "宽带\n断了" }))).await;
    assert_eq!(status, StatusCode::OK, "newlines are text: {body}");

    let request = Request::post("/api/v1/classify")
        .header(header::COOKIE, &agent)
        .header(header::HOST, "seatmate.example")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "text": "宽带断了" }).to_string()))
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "a cross-site write");
    let same = Request::post("/api/v1/auth/logout")
        .header(header::COOKIE, &agent)
        .header(header::HOST, "seatmate.example")
        .header(header::ORIGIN, "https://seatmate.example")
        .body(Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot(same).await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT, "a same-site write");
    for name in ["x-content-type-options", "x-frame-options", "referrer-policy"] {
        assert!(response.headers().contains_key(name), "{name}");
    }
    let csp = response.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
}

async fn login_as(app: &App, username: &str, password: &str) -> (StatusCode, Value) {
    let (status, body, _) =
        app.call(Method::POST, "/api/v1/auth/login", None, Some(json!({ "username": username, "password": password }))).await;
    (status, body)
}

#[tokio::test]
async fn repeated_failed_logins_lock_the_account_for_a_while() {
    let app = App::new().await;
    for _ in 0..5 {
        assert_eq!(login_as(&app, "agent01", "wrong password").await.0, StatusCode::UNAUTHORIZED);
    }
    // locked now, even with the right password and another spelling of the name
    let (status, body) = login_as(&app, "AGENT01", PASSWORD).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("too_many_attempts")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("minute"));
    assert_eq!(login_as(&app, "agent05", PASSWORD).await.0, StatusCode::OK, "other accounts are not locked");
}

#[tokio::test]
async fn usernames_fold_case_and_width_at_login() {
    let app = App::new().await;
    assert_eq!(login_as(&app, "ＡＤＭＩＮ", PASSWORD).await.0, StatusCode::OK);
    assert_eq!(login_as(&app, "Admin", PASSWORD).await.0, StatusCode::OK);
    let admin = app.login("admin").await;
    let twin = json!({ "username": "ＡＤＭＩＮ", "role": "agent", "password": "a fine password 9" });
    let (status, _, _) = app.call(Method::POST, "/api/v1/users", Some(&admin), Some(twin)).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn weak_passwords_and_unknown_teams_are_refused() {
    let app = App::new().await;
    let admin = app.login("admin").await;
    for (password, why) in
        [("12345678", "common"), ("        ", "different"), ("agent10agent10", "username"), ("short", "at least")]
    {
        let new = json!({ "username": "agent10", "role": "agent", "password": password });
        let (status, body, _) = app.call(Method::POST, "/api/v1/users", Some(&admin), Some(new)).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("weak_password")), "{password:?}");
        assert!(body["message"].as_str().unwrap().contains(why), "{body}");
    }
    let new = json!({ "username": "agent10", "role": "agent", "team": "NOPE", "password": "a fine password 9" });
    let (status, body, _) = app.call(Method::POST, "/api/v1/users", Some(&admin), Some(new)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn read_only_tokens_cannot_write_and_tokens_expire() {
    let app = App::new().await;
    let admin = app.login("admin").await;
    let (status, created, _) = app.call(Method::POST, "/api/v1/tokens", Some(&admin), Some(json!({ "name": "report" }))).await;
    assert_eq!((status, created["scope"].as_str()), (StatusCode::CREATED, Some("read")), "read-only unless asked");
    assert!(created["expires_at"].as_i64().is_some(), "every token expires");
    let token = created["token"].as_str().unwrap().to_string();
    assert_eq!(app.call(Method::GET, "/api/v1/users", Some(&token), None).await.0, StatusCode::OK);
    let new = json!({ "username": "agent11", "role": "agent", "password": "a fine password 9" });
    let (status, body, _) = app.call(Method::POST, "/api/v1/users", Some(&token), Some(new.clone())).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")), "{body}");
    let writer = json!({ "name": "crm", "scope": "write", "expires_in_days": 30 });
    let (_, created, _) = app.call(Method::POST, "/api/v1/tokens", Some(&admin), Some(writer)).await;
    let token = created["token"].as_str().unwrap().to_string();
    assert_eq!(app.call(Method::POST, "/api/v1/users", Some(&token), Some(new)).await.0, StatusCode::CREATED);
    let forever = json!({ "name": "x", "expires_in_days": 5000 });
    assert_eq!(app.call(Method::POST, "/api/v1/tokens", Some(&admin), Some(forever)).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn deactivated_users_are_logged_out_and_cannot_log_in() {
    let app = App::new().await;
    let admin = app.login("admin").await;
    let agent = app.login("agent01").await;
    let (status, user, _) =
        app.call(Method::PUT, "/api/v1/users/agent01/active", Some(&admin), Some(json!({ "active": false }))).await;
    assert_eq!((status, user["active"].as_bool()), (StatusCode::OK, Some(false)));
    assert_eq!(app.call(Method::GET, "/api/v1/me", Some(&agent), None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(login_as(&app, "agent01", PASSWORD).await.0, StatusCode::UNAUTHORIZED);
    let (status, _, _) =
        app.call(Method::PUT, "/api/v1/users/admin/active", Some(&admin), Some(json!({ "active": false }))).await;
    assert_eq!(status, StatusCode::CONFLICT, "an admin cannot lock themselves out");
}

#[tokio::test]
async fn reads_logins_and_admin_actions_are_audited() {
    let app = App::new().await;
    let _ = login_as(&app, "agent01", "wrong password").await;
    let agent = app.login("agent01").await;
    assert_eq!(app.call(Method::GET, "/api/v1/conversations/conv-c1", Some(&agent), None).await.0, StatusCode::OK);
    let admin = app.login("admin").await;
    let (status, page, _) = app.call(Method::GET, "/api/v1/audit?limit=10", Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK);
    let actions: Vec<(&str, &str)> =
        page["items"].as_array().unwrap().iter().map(|e| (e["actor"].as_str().unwrap(), e["action"].as_str().unwrap())).collect();
    assert_eq!(actions, [("admin", "login"), ("agent01", "conversation_read"), ("agent01", "login"), ("-", "login_failed")]);
    let (status, _, _) = app.call(Method::GET, "/api/v1/audit", Some(&agent), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only admins read the audit log");
    let (status, page, _) = app.call(Method::GET, "/api/v1/audit?action=conversation_read", Some(&admin), None).await;
    assert_eq!((status, page["items"].as_array().unwrap().len()), (StatusCode::OK, 1));
}

#[tokio::test]
async fn a_customer_is_erased_and_the_erasure_audited() {
    let app = App::new().await;
    let admin = app.login("admin").await;
    assert_eq!(app.call(Method::GET, "/api/v1/conversations/conv-c9", Some(&admin), None).await.0, StatusCode::OK);
    let (status, removed, _) =
        app.call(Method::POST, "/api/v1/privacy/erase", Some(&admin), Some(json!({ "customer_id": "cust-9" }))).await;
    assert_eq!((status, removed["conversations"].as_i64()), (StatusCode::OK, Some(1)), "{removed}");
    assert_eq!(app.call(Method::GET, "/api/v1/conversations/conv-c9", Some(&admin), None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.call(Method::GET, "/api/v1/conversations/conv-c1", Some(&admin), None).await.0, StatusCode::OK);
    let (_, page, _) = app.call(Method::GET, "/api/v1/audit?action=customer_erased", Some(&admin), None).await;
    assert_eq!(page["items"][0]["target"], "cust-9");
}

#[tokio::test]
async fn the_display_policy_masks_personal_data_for_agents_only() {
    let app = App::new().await;
    let admin = app.login("admin").await;
    let (status, _, _) =
        app.call(Method::PUT, "/api/v1/privacy/redaction", Some(&admin), Some(json!({ "policy": "display" }))).await;
    assert_eq!(status, StatusCode::OK);
    let agent = app.login("agent05").await;
    let (_, seen, _) = app.call(Method::GET, "/api/v1/conversations/conv-c9", Some(&agent), None).await;
    assert_eq!(seen["turns"][0]["text"], "我的手机号[PHONE-5678]");
    let (_, prefilled, _) = app.call(Method::POST, "/api/v1/conversations/conv-c9/ticket", Some(&agent), None).await;
    assert_eq!(prefilled["summary"]["problem"][0], json!({ "text": "我的手机号[PHONE-5678]", "turn": 0 }), "{prefilled}");
    assert_eq!(prefilled["ticket"]["body"], "我的手机号[PHONE-5678]");
    let (_, seen, _) = app.call(Method::GET, "/api/v1/conversations/conv-c9", Some(&admin), None).await;
    assert_eq!(seen["turns"][0]["text"], "我的手机号13812345678", "admins read what was stored");
}

#[tokio::test]
async fn the_audit_log_exports_as_json_lines_and_the_export_is_audited() {
    let app = App::new().await;
    let admin = app.login("admin").await;
    let request = Request::builder().uri("/api/v1/audit/export").header(header::COOKIE, &admin).body(Body::empty()).unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let entries: Vec<Value> = std::str::from_utf8(&bytes).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["export", "login"], "newest first");
}

/// Live messages over HTTP: acknowledged once durable, replays flagged as duplicates, a malformed
/// message refused by field without stopping the others; only a write-scoped admin token sends.
#[tokio::test]
async fn live_messages_over_http_apply_once_and_name_bad_fields() {
    let app = App::new().await;
    let admin = app.login("admin").await;
    let writer = json!({ "name": "cti", "scope": "write", "expires_in_days": 30 });
    let (_, created, _) = app.call(Method::POST, "/api/v1/tokens", Some(&admin), Some(writer)).await;
    let token = created["token"].as_str().unwrap().to_string();
    let script = json!([
        {"type": "start", "conversation": "cti-1", "seq": 1, "channel": "voice", "agent": "agent01"},
        {"type": "partial", "conversation": "cti-1", "seq": 2, "speaker": "customer", "text": "我要投"},
        {"type": "turn", "conversation": "cti-1", "seq": 2, "speaker": "customer", "text": "我要投诉，已经打了12315", "start_ms": 0},
        {"type": "turn", "conversation": "cti-1", "seq": 3, "speaker": "robot", "text": "?"},
        {"type": "turn", "conversation": "cti-1", "seq": 3, "speaker": "agent", "text": "非常抱歉，我马上为您处理"}
    ]);
    let (status, replies, _) = app.call(Method::POST, "/api/v1/live/messages", Some(&token), Some(script.clone())).await;
    assert_eq!(status, StatusCode::OK, "{replies}");
    let replies = replies.as_array().unwrap().clone();
    assert_eq!(replies.len(), 4, "no reply to a partial: {replies:?}");
    assert_eq!((replies[0]["type"].as_str(), replies[0]["seq"].as_u64()), (Some("ack"), Some(1)));
    assert_eq!((replies[2]["type"].as_str(), replies[2]["field"].as_str()), (Some("error"), Some("speaker")));
    assert_eq!((replies[3]["type"].as_str(), replies[3]["seq"].as_u64()), (Some("ack"), Some(3)));
    let (_, again, _) = app.call(Method::POST, "/api/v1/live/messages", Some(&token), Some(script)).await;
    assert!(again.as_array().unwrap().iter().filter(|r| r["type"] == "ack").all(|r| r["duplicate"] == true), "{again}");
    let (status, state, _) = app.call(Method::GET, "/api/v1/live/conversations/cti-1", Some(&token), None).await;
    assert_eq!((status, state["last_seq"].as_u64()), (StatusCode::OK, Some(3)), "{state}");
    let (_, conversation, _) =
        app.call(Method::GET, &format!("/api/v1/conversations/{}", state["id"].as_str().unwrap()), Some(&admin), None).await;
    assert_eq!(conversation["turns"].as_array().map(Vec::len), Some(2), "{conversation}");

    let (status, _, _) = app.call(Method::POST, "/api/v1/live/messages", Some(&token), Some(json!({"type": "end"}))).await;
    assert_eq!(status, StatusCode::OK, "a bad message is an error reply, not a failed request");
    let agent = app.login("agent01").await;
    let end = json!({"type": "end", "conversation": "cti-1", "seq": 4});
    assert_eq!(app.call(Method::POST, "/api/v1/live/messages", Some(&agent), Some(end.clone())).await.0, StatusCode::FORBIDDEN);
    let (_, reader, _) = app.call(Method::POST, "/api/v1/tokens", Some(&admin), Some(json!({ "name": "read" }))).await;
    let reader = reader["token"].as_str().unwrap().to_string();
    assert_eq!(app.call(Method::POST, "/api/v1/live/messages", Some(&reader), Some(end)).await.0, StatusCode::FORBIDDEN);
}

/// Admins set the opportunity cues; a bad one is refused by field and changes nothing; agents may
/// not change them.
#[tokio::test]
async fn opportunity_cues_are_set_by_admins_and_checked() {
    let app = App::new().await;
    let admin = app.login("admin").await;
    let (status, defaults, _) = app.call(Method::GET, "/api/v1/live/opportunities", Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(defaults["cues"].as_array().is_some_and(|c| !c.is_empty()), "defaults until set: {defaults}");
    let bad = json!({"cues": [{"name": "  ", "phrases": ["5G"]}]});
    let (status, error, _) = app.call(Method::PUT, "/api/v1/live/opportunities", Some(&admin), Some(bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error["message"].as_str().unwrap_or_default().contains("cues[0].name"), "{error}");
    let cues = json!({"cues": [{"name": "5G 套餐", "phrases": ["5G"], "examples": ["我想要网速更快的手机套餐"]}], "min_similarity": 0.92});
    let (status, saved, _) = app.call(Method::PUT, "/api/v1/live/opportunities", Some(&admin), Some(cues.clone())).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (_, now, _) = app.call(Method::GET, "/api/v1/live/opportunities", Some(&admin), None).await;
    assert_eq!(now, cues);
    let agent = app.login("agent01").await;
    assert_eq!(app.call(Method::PUT, "/api/v1/live/opportunities", Some(&agent), Some(cues)).await.0, StatusCode::FORBIDDEN);
}

const CARD: &str = "id: chat\nname: Chat\nsections:\n  - name: Opening\n    items:\n      - id: greeting\n        name: Greeting\n        points: 5\n        must: {phrases: [您好], speaker: agent}\n      - id: no_blame\n        name: No blame\n        points: 5\n        must_not: {phrases: [宽带断了], speaker: customer}\n";

/// An inspector writes, tries and publishes a scorecard; conversations are inspected with their
/// evidence; the inspector overrides an item, the agent disputes another and the answer counts;
/// each person sees only what their role allows.
#[tokio::test]
async fn scorecards_inspections_reviews_and_disputes_follow_roles() {
    let app = App::new().await;
    let qa = app.login("qa01").await;
    let agent = app.login("agent01").await;
    let other = app.login("agent05").await;
    let bad = json!({"source": CARD.replace("phrases: [您好]", "phrasez: [您好]")});
    let (status, error, _) = app.call(Method::POST, "/api/v1/quality/scorecards", Some(&qa), Some(bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error["message"].as_str().unwrap().contains("sections[0].items[0].must"), "{error}");
    assert_eq!(
        app.call(Method::POST, "/api/v1/quality/scorecards", Some(&agent), Some(json!({"source": CARD}))).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, trial, _) =
        app.call(Method::POST, "/api/v1/quality/scorecards/trial", Some(&qa), Some(json!({"source": CARD}))).await;
    assert_eq!(status, StatusCode::OK, "{trial}");
    assert_eq!(trial["conversations"], 3);
    let (status, saved, _) = app.call(Method::POST, "/api/v1/quality/scorecards", Some(&qa), Some(json!({"source": CARD}))).await;
    assert_eq!(
        (status, saved["version"].as_i64(), saved["status"].as_str()),
        (StatusCode::OK, Some(1), Some("draft")),
        "{saved}"
    );
    let (status, published, _) =
        app.call(Method::POST, "/api/v1/quality/scorecards/chat/versions/1/publish", Some(&qa), None).await;
    assert_eq!((status, published["status"].as_str()), (StatusCode::OK, Some("published")), "{published}");
    app.inspector.inspect_conversation("conv-c1").await.unwrap();
    // inspecting again stores nothing new
    assert_eq!(app.inspector.inspect_conversation("conv-c1").await.unwrap(), 0);

    let (status, mine, _) = app.call(Method::GET, "/api/v1/conversations/conv-c1/inspections", Some(&agent), None).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    let items = &mine["items"][0]["items"];
    assert_eq!((items[0]["item"].as_str(), items[0]["outcome"].as_str()), (Some("greeting"), Some("fail")));
    assert_eq!(items[1]["evidence"][0]["text"], "宽带断了");
    assert_eq!(items[1]["evidence"][0]["turn"], 0);
    assert_eq!(
        app.call(Method::GET, "/api/v1/conversations/conv-c1/inspections", Some(&other), None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.call(Method::GET, "/api/v1/quality/queue", Some(&agent), None).await.0, StatusCode::FORBIDDEN);
    let (_, queue, _) = app.call(Method::GET, "/api/v1/quality/queue", Some(&qa), None).await;
    assert_eq!(queue["items"][0]["conversation_id"], "conv-c1", "{queue}");
    assert!(queue["items"][0]["reasons"].as_array().unwrap().contains(&json!("low_score")));

    let review = |outcome: &str, reason: &str| json!({"conversation_id": "conv-c1", "scorecard_id": "chat", "version": 1, "item_id": "no_blame", "outcome": outcome, "reason": reason});
    let (status, error, _) = app.call(Method::POST, "/api/v1/quality/reviews", Some(&qa), Some(review("pass", ""))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an override needs a reason: {error}");
    assert_eq!(
        app.call(Method::POST, "/api/v1/quality/reviews", Some(&agent), Some(review("pass", "x"))).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, reviewed, _) =
        app.call(Method::POST, "/api/v1/quality/reviews", Some(&qa), Some(review("pass", "a customer may say it"))).await;
    assert_eq!(status, StatusCode::OK, "{reviewed}");
    let item = &reviewed["items"][0]["items"][1];
    assert_eq!((item["effective"].as_str(), item["review"]["reviewer"].as_str()), (Some("pass"), Some("qa01")));
    assert_eq!(reviewed["items"][0]["score"], 50.0);
    let (_, agreement, _) = app.call(Method::GET, "/api/v1/quality/agreement", Some(&qa), None).await;
    assert_eq!(
        (agreement["items"][0]["item_id"].as_str(), agreement["items"][0]["false_fail"].as_u64()),
        (Some("no_blame"), Some(1))
    );
    // reviewed: it leaves the queue
    let (_, queue, _) = app.call(Method::GET, "/api/v1/quality/queue", Some(&qa), None).await;
    assert!(queue["items"].as_array().unwrap().iter().all(|e| e["conversation_id"] != "conv-c1"), "{queue}");

    let dispute = json!({"conversation_id": "conv-c1", "scorecard_id": "chat", "version": 1, "item_id": "greeting", "reason": "I greeted in the call before the chat"});
    assert_eq!(
        app.call(Method::POST, "/api/v1/quality/disputes", Some(&other), Some(dispute.clone())).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, opened, _) = app.call(Method::POST, "/api/v1/quality/disputes", Some(&agent), Some(dispute)).await;
    assert_eq!((status, opened["status"].as_str()), (StatusCode::OK, Some("open")), "{opened}");
    let (_, theirs, _) = app.call(Method::GET, "/api/v1/quality/disputes", Some(&other), None).await;
    assert_eq!(theirs["items"].as_array().unwrap().len(), 0);
    let answer = format!("/api/v1/quality/disputes/{}/answer", opened["id"].as_str().unwrap());
    assert_eq!(
        app.call(Method::POST, &answer, Some(&agent), Some(json!({"upheld": true, "answer": "x"}))).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, answered, _) = app
        .call(Method::POST, &answer, Some(&qa), Some(json!({"upheld": true, "answer": "the greeting was on the phone"})))
        .await;
    assert_eq!((status, answered["status"].as_str()), (StatusCode::OK, Some("upheld")), "{answered}");
    let (status, _, _) = app.call(Method::POST, &answer, Some(&qa), Some(json!({"upheld": false, "answer": "again"}))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, now, _) = app.call(Method::GET, "/api/v1/conversations/conv-c1/inspections", Some(&agent), None).await;
    assert_eq!(now["items"][0]["score"], 100.0, "{now}");

    let (status, profile, _) = app.call(Method::GET, "/api/v1/quality/profile?agent=agent05", Some(&agent), None).await;
    assert_eq!(
        (status, profile["agent"].as_str()),
        (StatusCode::OK, Some("agent01")),
        "an agent sees their own profile: {profile}"
    );
    assert_eq!(profile["conversations"], 1);
}

/// A trainer mines the history and accepts a case; an agent sees only accepted cases, trains on
/// one and gets feedback; curation and assignments are the trainers'.
#[tokio::test]
async fn the_case_library_and_training_follow_roles() {
    let app = App::new().await;
    let trainer = app.login("trainer01").await;
    let agent = app.login("agent01").await;
    assert_eq!(app.call(Method::POST, "/api/v1/learning/cases/mine", Some(&agent), None).await.0, StatusCode::FORBIDDEN);
    let (status, report, _) = app.call(Method::POST, "/api/v1/learning/cases/mine", Some(&trainer), None).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    // the fixture's conversations have no agent turn: no case; one is made through the store
    assert_eq!(report["conversations"], 0, "{report}");
    app.store
        .save_mined_cases(
            &[seatmate_store::StoredCase {
                id: "conv-c1".into(),
                kind: "problem".into(),
                category: None,
                strength: 1.0,
                cluster_size: 1,
                mined: json!({"reasons": ["escalated"]}),
                mined_at: 5,
                status: "suggested".into(),
                items: vec![],
                teaching_point: String::new(),
                curated_by: None,
                curated_at: None,
            }],
            5,
        )
        .await
        .unwrap();
    let (_, listed, _) = app.call(Method::GET, "/api/v1/learning/cases", Some(&agent), None).await;
    assert_eq!(listed["total"], 0, "agents see accepted cases only: {listed}");
    assert_eq!(app.call(Method::GET, "/api/v1/learning/cases/conv-c1", Some(&agent), None).await.0, StatusCode::NOT_FOUND);
    let curation = json!({"status": "accepted", "items": ["greeting"], "teaching_point": "先安抚情绪"});
    assert_eq!(
        app.call(Method::POST, "/api/v1/learning/cases/conv-c1/curation", Some(&agent), Some(curation.clone())).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, _, _) =
        app.call(Method::POST, "/api/v1/learning/cases/conv-c1/curation", Some(&trainer), Some(json!({"status": "maybe"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, curated, _) =
        app.call(Method::POST, "/api/v1/learning/cases/conv-c1/curation", Some(&trainer), Some(curation)).await;
    assert_eq!((status, curated["status"].as_str()), (StatusCode::OK, Some("accepted")), "{curated}");
    let (_, case, _) = app.call(Method::GET, "/api/v1/learning/cases/conv-c1", Some(&agent), None).await;
    assert_eq!(case["conversation"]["turns"][0]["text"], "我的宽带断了", "{case}");

    let assign = json!({"agent": "agent01", "case_id": "conv-c1", "item_id": "chat/greeting", "reason": "greets too rarely"});
    assert_eq!(
        app.call(Method::POST, "/api/v1/learning/assignments", Some(&agent), Some(assign.clone())).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, made, _) = app.call(Method::POST, "/api/v1/learning/assignments", Some(&trainer), Some(assign)).await;
    assert_eq!(status, StatusCode::OK, "{made}");
    let (_, mine, _) = app.call(Method::GET, "/api/v1/learning/assignments", Some(&agent), None).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let other = app.login("agent05").await;
    let (_, theirs, _) = app.call(Method::GET, "/api/v1/learning/assignments", Some(&other), None).await;
    assert_eq!(theirs["items"].as_array().unwrap().len(), 0);

    // the simulated customer answers from real dialogues: one with both sides
    let mut dialogue = conversation("c7", "agent01");
    let turn = |speaker, text: &str| Turn { speaker, text: text.into(), start_ms: None, end_ms: None, audio_ref: None };
    dialogue.turns.extend([turn(Speaker::Agent, "您好，请重启光猫"), turn(Speaker::Customer, "好的，可以了")]);
    app.store.import_conversations(&[dialogue], &|_| {}).await.unwrap();
    let start = json!({"case_id": "conv-c1", "assignment_id": made["id"]});
    assert_eq!(
        app.call(Method::POST, "/api/v1/learning/sessions", Some(&other), Some(start.clone())).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, session, _) = app.call(Method::POST, "/api/v1/learning/sessions", Some(&agent), Some(start)).await;
    assert_eq!(status, StatusCode::OK, "{session}");
    assert_eq!(session["state"]["turns"][0]["text"], "我的宽带断了");
    let id = session["id"].as_str().unwrap().to_string();
    let (status, after, _) = app
        .call(
            Method::POST,
            &format!("/api/v1/learning/sessions/{id}/turns"),
            Some(&agent),
            Some(json!({"text": "您好，非常抱歉"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["state"]["turns"][1]["feedback"]["empathy"], true, "{after}");
    assert_eq!(
        app.call(Method::GET, &format!("/api/v1/learning/sessions/{id}"), Some(&other), None).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, _, _) = app.call(Method::GET, &format!("/api/v1/learning/sessions/{id}"), Some(&trainer), None).await;
    assert_eq!(status, StatusCode::OK);
}
