//! The simulated customer's lines from an OpenAI-compatible endpoint: a local server speaking
//! the chat-completions protocol, started in the test, records what it was asked and answers
//! with canned customer lines (or fails); the training room uses its lines, and real customer
//! turns when it fails.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use seatmate_core::Role;
use seatmate_learn::{Coach, LlmConfig, LlmCustomer, SessionView};
use serde_json::{json, Value};

use crate::service::{setup, user};

/// How the endpoint behaves.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Answers with the next canned line.
    Answer,
    /// Answers HTTP 500.
    Fail,
    /// Answers after two seconds.
    Slow,
}

/// (Authorization header, body) of each request the endpoint got.
type Requests = Arc<Mutex<Vec<(Option<String>, Value)>>>;

#[derive(Clone)]
struct Endpoint {
    behaviour: Behaviour,
    lines: Arc<Mutex<Vec<&'static str>>>,
    requests: Requests,
}

async fn chat_completions(
    State(endpoint): State<Endpoint>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let auth = headers.get("authorization").map(|v| v.to_str().unwrap().to_string());
    endpoint.requests.lock().unwrap().push((auth, body.clone()));
    match endpoint.behaviour {
        Behaviour::Fail => {
            return (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": {"message": "model overloaded"}})));
        }
        Behaviour::Slow => tokio::time::sleep(Duration::from_secs(2)).await,
        Behaviour::Answer => {}
    }
    let line = {
        let mut lines = endpoint.lines.lock().unwrap();
        if lines.is_empty() {
            "嗯"
        } else {
            lines.remove(0)
        }
    };
    let answer = json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": body["model"],
        "choices": [{"index": 0, "message": {"role": "assistant", "content": line}, "finish_reason": "stop"}],
    });
    (StatusCode::OK, Json(answer))
}

/// Starts the endpoint on a free local port: its base URL and what it was asked.
async fn endpoint(behaviour: Behaviour, lines: &[&'static str]) -> (String, Requests) {
    let state = Endpoint { behaviour, lines: Arc::new(Mutex::new(lines.to_vec())), requests: Arc::default() };
    let requests = state.requests.clone();
    let app = Router::new().route("/v1/chat/completions", post(chat_completions)).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/v1"), requests)
}

fn llm(base_url: &str) -> LlmCustomer {
    LlmCustomer::new(LlmConfig::new(base_url, "test-model", Some("sk-test".into()))).unwrap()
}

/// A coach with the endpoint, c1 in the library, and a session started on it.
async fn session(llm: LlmCustomer) -> (tempfile::TempDir, Coach, SessionView) {
    let (dir, _store, coach) = setup().await;
    let coach = coach.with_llm(llm);
    coach.mine().await.unwrap();
    coach.curate("c1", "accepted", vec![], "", "trainer01").await.unwrap();
    let session = coach.start_session(&user("agent01", Role::Agent), "c1", None).await.unwrap();
    (dir, coach, session)
}

#[tokio::test]
async fn the_endpoint_writes_the_customer_lines_from_the_case_and_the_mood() {
    let (url, requests) =
        endpoint(Behaviour::Answer, &["那你快点，我的手机号是13812345678", "好的，可以上网了，谢谢，再见！"]).await;
    let (_dir, coach, session) = session(llm(&url)).await;
    let trainee = user("agent01", Role::Agent);
    assert_eq!(session.state.turns[0].text, "我家宽带又断了，已经第三次了", "the opening is still the real one");

    let after = coach.answer(&trainee, &session.id, "您好，非常抱歉给您带来不便，我帮您查一下线路").await.unwrap();
    let turns = &after.state.turns;
    assert_eq!(turns.len(), 3, "{turns:?}");
    let customer = &turns[2];
    assert_eq!(customer.speaker, "customer");
    assert!(customer.text.starts_with("那你快点，我的手机号是"), "{customer:?}");
    assert!(!customer.text.contains("13812345678"), "generated lines are masked too: {customer:?}");
    assert!(customer.generated && customer.source.is_none(), "{customer:?}");
    assert!(customer.mood.is_some());
    assert!(turns[1].feedback.as_ref().is_some_and(|f| f.empathy), "the trainee's turn is still judged");
    assert!(after.ended_at.is_none());

    let sent = requests.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    let (auth, body) = &sent[0];
    assert_eq!(auth.as_deref(), Some("Bearer sk-test"));
    assert_eq!(body["model"], "test-model");
    let messages = body["messages"].as_array().unwrap();
    assert_eq!(messages[0]["role"], "system");
    let persona = messages[0]["content"].as_str().unwrap();
    assert!(persona.contains("我家宽带又断了，已经第三次了"), "the persona has the case's opening: {persona}");
    // no emotion model: the customer opens neutral (0.35); an answer with empathy calms them
    assert!(persona.contains("平静"), "the persona has the mood after the trainee's turn: {persona}");
    assert!(persona.contains("绝不是客服"), "{persona}");
    let last = messages.last().unwrap();
    assert_eq!(last["role"], "user");
    assert!(last["content"].as_str().unwrap().contains("我帮您查一下线路"), "{last}");
    assert!(messages.iter().any(|m| m["role"] == "assistant" && m["content"] == "我家宽带又断了，已经第三次了"));

    // a goodbye from the model ends the session
    let done = coach.answer(&trainee, &session.id, "线路已经恢复了，请您重启一下光猫").await.unwrap();
    assert!(done.ended_at.is_some(), "{:?}", done.state.turns);
    assert_eq!(done.state.turns.last().unwrap().text, "好的，可以上网了，谢谢，再见！");
    assert_eq!(done.state.summary.as_ref().unwrap().trainee_turns, 2);
    let sent = requests.lock().unwrap().clone();
    let messages = sent[1].1["messages"].as_array().unwrap();
    assert!(
        messages.iter().any(|m| m["role"] == "assistant" && m["content"].as_str().unwrap().starts_with("那你快点")),
        "the model hears its earlier line back"
    );
}

#[tokio::test]
async fn a_failing_slow_or_absent_endpoint_leaves_the_real_customer_answering() {
    let trainee = user("agent01", Role::Agent);
    let (failing, failing_requests) = endpoint(Behaviour::Fail, &[]).await;
    let (slow, _) = endpoint(Behaviour::Slow, &["太慢了"]).await;
    let mut slow = LlmConfig::new(&slow, "test-model", None);
    slow.timeout = Duration::from_millis(300);
    let absent = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/v1", listener.local_addr().unwrap())
    };
    for llm in [llm(&failing), LlmCustomer::new(slow).unwrap(), llm(&absent)] {
        let (_dir, coach, session) = session(llm).await;
        let after = coach.answer(&trainee, &session.id, "您好，非常抱歉给您带来不便，我帮您查一下线路").await.unwrap();
        let customer = after.state.turns.last().unwrap();
        assert_eq!(customer.speaker, "customer", "{:?}", after.state.turns);
        assert!(!customer.generated && customer.source.is_some(), "a real customer turn answers: {customer:?}");
        assert!(!customer.text.is_empty());
    }
    assert_eq!(failing_requests.lock().unwrap().len(), 1, "the failing endpoint was asked");
}
