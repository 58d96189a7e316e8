//! An optional language model for the training room's customer: any endpoint that speaks the
//! OpenAI chat-completions protocol (`POST {base_url}/chat/completions`) — a local server
//! (llama.cpp, vLLM, Ollama, …) or an in-house gateway — writes the customer's next line from the
//! case and a persona. Without one, the customer speaks real customer turns (`seatmate-coach`'s
//! simulator), and when the endpoint fails the training room falls back to them.
//!
//! Plain HTTP only: put a TLS-terminating proxy in front of an `https` endpoint. The transcript
//! is logged at `debug` at most, the key never.

use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use hyper::{Request, Uri};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use seatmate_coach::simulate::{Mood, MoodLevel};
use seatmate_core::Speaker;
use serde::Serialize;

/// The longest answer body read.
const MAX_RESPONSE_BYTES: usize = 1 << 20;
/// The longest customer line kept (a model that rambles is cut here).
const MAX_LINE_CHARS: usize = 500;
/// The case's customer turns the persona quotes, and how much of each.
const PERSONA_TURNS: usize = 8;
const PERSONA_TURN_CHARS: usize = 300;
/// The dialogue so far sent with each request: its last turns.
const HISTORY_TURNS: usize = 40;

/// Where the model is and how to ask it.
#[derive(Clone)]
pub struct LlmConfig {
    /// `http://host:port/v1`: requests go to `{base_url}/chat/completions`.
    pub base_url: String,
    pub model: String,
    /// Sent as `Authorization: Bearer …` when set; never logged or shown.
    pub api_key: Option<String>,
    pub temperature: f32,
    pub max_tokens: u32,
    /// For the whole request, connection to last byte.
    pub timeout: Duration,
}

impl LlmConfig {
    /// An endpoint and model with the defaults: temperature 0.7, 200 tokens, 20 s.
    pub fn new(base_url: &str, model: &str, api_key: Option<String>) -> LlmConfig {
        LlmConfig {
            base_url: base_url.trim().to_string(),
            model: model.trim().to_string(),
            api_key: api_key.map(|k| k.trim().to_string()).filter(|k| !k.is_empty()),
            temperature: 0.7,
            max_tokens: 200,
            timeout: Duration::from_secs(20),
        }
    }
}

impl std::fmt::Debug for LlmConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmConfig")
            .field("base_url", &redact_url(&self.base_url))
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .field("temperature", &self.temperature)
            .field("max_tokens", &self.max_tokens)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Why the model gave no line. Messages name the endpoint (without credentials), never the
/// transcript or the key.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("language model endpoint {endpoint:?}: {reason}")]
    Config { endpoint: String, reason: String },
    #[error("language model at {endpoint} unreachable: {reason}")]
    Unavailable { endpoint: String, reason: String },
    #[error("language model at {endpoint} did not answer within {seconds} s")]
    Timeout { endpoint: String, seconds: u64 },
    #[error("language model at {endpoint} answered HTTP {status}")]
    Status { endpoint: String, status: u16 },
    #[error("language model at {endpoint} answered something unreadable: {reason}")]
    BadAnswer { endpoint: String, reason: String },
}

/// What the persona is made of: the real case's customer, masked.
#[derive(Clone, Debug, Default)]
pub struct CaseBrief {
    /// The case's category, as people name it (`Broadband / Outage`).
    pub category: Option<String>,
    /// The real customer's turns in order; the first ones are the opening.
    pub customer_turns: Vec<String>,
}

impl CaseBrief {
    /// Chinese when the case's customer wrote any Han character.
    pub fn chinese(&self) -> bool {
        self.customer_turns.iter().any(|t| t.chars().any(is_han))
    }
}

/// The simulated customer's lines from a language model.
#[derive(Clone)]
pub struct LlmCustomer {
    client: Client<HttpConnector, Full<Bytes>>,
    config: LlmConfig,
    uri: Uri,
    endpoint: String,
}

impl std::fmt::Debug for LlmCustomer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmCustomer").field("config", &self.config).finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct ChatRequest<'a> {
    model: &'a str,
    messages: Vec<Message>,
    temperature: f32,
    max_tokens: u32,
    stream: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
struct Message {
    role: &'static str,
    content: String,
}

impl LlmCustomer {
    /// Checks the endpoint: `http://host[:port][/path]`, no credentials in it (the key goes in
    /// `api_key`), a model named.
    pub fn new(config: LlmConfig) -> Result<LlmCustomer, LlmError> {
        let endpoint = format!("{}/chat/completions", config.base_url.trim_end_matches('/'));
        let shown = redact_url(&endpoint);
        let invalid = |reason: &str| LlmError::Config { endpoint: shown.clone(), reason: reason.to_string() };
        if config.model.is_empty() {
            return Err(invalid("no model named"));
        }
        let uri: Uri = endpoint.parse().map_err(|_| invalid("not a URL"))?;
        match uri.scheme_str() {
            Some("http") => {}
            Some("https") => return Err(invalid("https is not spoken here: put a TLS-terminating proxy in front of it")),
            _ => return Err(invalid("must start with http://")),
        }
        let Some(authority) = uri.authority() else { return Err(invalid("no host")) };
        if authority.as_str().contains('@') {
            return Err(invalid("credentials in the URL: set the API key instead"));
        }
        let client = Client::builder(TokioExecutor::new()).build_http();
        Ok(LlmCustomer { client, config, uri, endpoint: shown })
    }

    /// The endpoint requests go to, without credentials.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    pub fn model(&self) -> &str {
        &self.config.model
    }

    /// The customer's next line: `history` is the role-play so far (the customer, and the
    /// trainee as [`Speaker::Agent`]), ending with the trainee's turn; `mood` is how the customer
    /// feels after it.
    pub async fn reply(&self, case: &CaseBrief, history: &[(Speaker, String)], mood: Mood) -> Result<String, LlmError> {
        let messages = messages(case, history, mood);
        let body = ChatRequest {
            model: &self.config.model,
            messages,
            temperature: self.config.temperature,
            max_tokens: self.config.max_tokens,
            stream: false,
        };
        let body = serde_json::to_vec(&body).map_err(|e| self.bad(e.to_string()))?;
        let mut request = Request::post(self.uri.clone()).header(CONTENT_TYPE, "application/json");
        if let Some(key) = &self.config.api_key {
            let mut value = HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| LlmError::Config {
                endpoint: self.endpoint.clone(),
                reason: "the API key is not a header value".into(),
            })?;
            value.set_sensitive(true);
            request = request.header(AUTHORIZATION, value);
        }
        let request = request.body(Full::new(Bytes::from(body))).map_err(|e| self.bad(e.to_string()))?;
        let started = std::time::Instant::now();
        let answer = tokio::time::timeout(self.config.timeout, self.send(request))
            .await
            .map_err(|_| LlmError::Timeout { endpoint: self.endpoint.clone(), seconds: self.config.timeout.as_secs() })??;
        let line = clean_line(&answer);
        if line.is_empty() {
            return Err(self.bad("an empty line".into()));
        }
        tracing::debug!(endpoint = %self.endpoint, ms = started.elapsed().as_millis() as u64, line = %line, "language model line");
        Ok(line)
    }

    async fn send(&self, request: Request<Full<Bytes>>) -> Result<String, LlmError> {
        let response = self
            .client
            .request(request)
            .await
            .map_err(|e| LlmError::Unavailable { endpoint: self.endpoint.clone(), reason: error_chain(&e) })?;
        let status = response.status();
        let body = Limited::new(response.into_body(), MAX_RESPONSE_BYTES)
            .collect()
            .await
            .map_err(|e| self.bad(format!("reading the answer: {e}")))?
            .to_bytes();
        if !status.is_success() {
            // an error body may quote the prompt: debug only
            tracing::debug!(endpoint = %self.endpoint, status = status.as_u16(), body = %String::from_utf8_lossy(&body), "language model error");
            return Err(LlmError::Status { endpoint: self.endpoint.clone(), status: status.as_u16() });
        }
        let value: serde_json::Value = serde_json::from_slice(&body).map_err(|e| self.bad(format!("not JSON: {e}")))?;
        value["choices"][0]["message"]["content"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| self.bad("no choices[0].message.content".into()))
    }

    fn bad(&self, reason: String) -> LlmError {
        LlmError::BadAnswer { endpoint: self.endpoint.clone(), reason }
    }
}

/// The request's messages: the persona as the system message, then the role-play with the
/// customer as the assistant and the trainee as the user (a first user turn says the call
/// connected, for servers that want the user to speak first).
fn messages(case: &CaseBrief, history: &[(Speaker, String)], mood: Mood) -> Vec<Message> {
    let chinese = case.chinese();
    let mut out = vec![Message { role: "system", content: persona(case, mood, chinese) }];
    let recent = &history[history.len().saturating_sub(HISTORY_TURNS)..];
    for (speaker, text) in recent {
        let role = if *speaker == Speaker::Customer { "assistant" } else { "user" };
        if out.len() == 1 && role == "assistant" {
            let connected = if chinese { "（电话接通）" } else { "(The call connects.)" };
            out.push(Message { role: "user", content: connected.into() });
        }
        match out.last_mut() {
            Some(last) if last.role == role => {
                last.content.push('\n');
                last.content.push_str(text);
            }
            _ => out.push(Message { role, content: text.clone() }),
        }
    }
    out
}

fn persona(case: &CaseBrief, mood: Mood, chinese: bool) -> String {
    let turns: Vec<String> = case
        .customer_turns
        .iter()
        .take(PERSONA_TURNS)
        .map(|t| format!("- {}", t.chars().take(PERSONA_TURN_CHARS).collect::<String>()))
        .collect();
    let turns = turns.join("\n");
    if chinese {
        let category = case.category.as_deref().map(|c| format!("问题类别：{c}\n")).unwrap_or_default();
        let mood = match mood.level {
            MoodLevel::Calm => "平静，愿意配合",
            MoodLevel::Neutral => "平常，就事论事",
            MoodLevel::Upset => "不满、着急，语气有些冲",
            MoodLevel::Angry => "非常生气，语气强硬，可能提到投诉",
        };
        format!(
            "你在客服培训中扮演一位来电客户，和你对话的是正在练习的客服人员。\n\
             你是客户，绝不是客服：不要替客服回答，也不要给出解决方案。\n\
             {category}这位真实客户当时是这样说的：\n{turns}\n\
             按这位客户的问题和说话方式继续对话；客服问到的信息可以合理补充，但不要和上面矛盾。\n\
             你现在的情绪：{mood}。说话要符合这个情绪。\n\
             用客户使用的语言回答。每次只说一句简短的话（一轮），不要加引号、说明或角色名。\n\
             问题解决后，道谢并以“再见”结束。"
        )
    } else {
        let category = case.category.as_deref().map(|c| format!("Category of the problem: {c}\n")).unwrap_or_default();
        let mood = match mood.level {
            MoodLevel::Calm => "calm and cooperative",
            MoodLevel::Neutral => "neutral and matter-of-fact",
            MoodLevel::Upset => "upset and impatient",
            MoodLevel::Angry => "angry, blunt, ready to complain",
        };
        format!(
            "You play a customer calling a contact centre, in a training session for the agent you are talking to.\n\
             You are the customer, never the agent: do not answer for the agent or offer solutions.\n\
             {category}This is what the real customer said:\n{turns}\n\
             Carry on with this customer's problem and way of speaking; you may fill in details the agent asks for, \
             without contradicting the above.\n\
             Your mood now: {mood}. Speak accordingly.\n\
             Answer in the language the customer used. Say one short turn only, with no quotes, notes or speaker name.\n\
             When the problem is solved, thank the agent and end with \"Goodbye.\""
        )
    }
}

/// The model's answer as one customer line: no reasoning block, no speaker label, no quotes,
/// whitespace folded, at most [`MAX_LINE_CHARS`].
fn clean_line(answer: &str) -> String {
    let mut text = answer.trim();
    if let Some(end) = text.find("</think>") {
        text = text[end + "</think>".len()..].trim();
    }
    for label in ["客户：", "客户:", "顾客：", "顾客:", "Customer:", "customer:"] {
        if let Some(rest) = text.strip_prefix(label) {
            text = rest.trim();
        }
    }
    let quotes: &[char] = &['"', '“', '”', '「', '」'];
    let text = text.trim_matches(quotes).trim();
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    folded.chars().take(MAX_LINE_CHARS).collect()
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// A URL as shown in logs and errors: no user or password, no query.
fn redact_url(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or_default();
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
            let hidden = if host.len() < authority.len() { "***@" } else { "" };
            format!("{scheme}://{hidden}{host}{path}")
        }
        None => url.to_string(),
    }
}

/// An error and its causes, one after another (a connection error says why).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        out.push_str(": ");
        out.push_str(&e.to_string());
        source = e.source();
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn brief(turns: &[&str]) -> CaseBrief {
        CaseBrief { category: Some("宽带 / 断网".into()), customer_turns: turns.iter().map(|t| t.to_string()).collect() }
    }

    #[test]
    fn urls_lose_their_credentials_and_query() {
        assert_eq!(redact_url("http://u:secret@h:8000/v1?key=k"), "http://***@h:8000/v1");
        assert_eq!(redact_url("http://h:8000/v1/chat/completions"), "http://h:8000/v1/chat/completions");
        assert_eq!(redact_url("http://u@h"), "http://***@h");
    }

    #[test]
    fn endpoints_are_checked() {
        let err = |url: &str, model: &str| LlmCustomer::new(LlmConfig::new(url, model, None)).unwrap_err().to_string();
        assert!(err("https://h/v1", "m").contains("TLS-terminating proxy"));
        assert!(err("ftp://h/v1", "m").contains("http://"));
        assert!(err("http://h/v1", "").contains("no model"));
        let shown = err("http://u:secret@h/v1", "m");
        assert!(shown.contains("credentials") && !shown.contains("secret"), "{shown}");
    }

    #[tokio::test]
    async fn debug_hides_the_key() {
        let llm = LlmCustomer::new(LlmConfig::new("http://127.0.0.1:1/v1/", "m", Some("sk-secret".into()))).unwrap();
        assert_eq!(llm.endpoint(), "http://127.0.0.1:1/v1/chat/completions");
        assert!(!format!("{llm:?}").contains("sk-secret"));
    }

    #[test]
    fn the_persona_speaks_the_case_language_and_the_mood() {
        let chinese = messages(
            &brief(&["我家宽带又断了"]),
            &[(Speaker::Customer, "我家宽带又断了".into()), (Speaker::Agent, "您好".into())],
            Mood::from_anger(0.9),
        );
        assert_eq!(chinese.iter().map(|m| m.role).collect::<Vec<_>>(), ["system", "user", "assistant", "user"]);
        assert!(chinese[0].content.contains("我家宽带又断了") && chinese[0].content.contains("非常生气"));
        assert!(chinese[0].content.contains("宽带 / 断网") && chinese[0].content.contains("绝不是客服"));
        let english = messages(
            &CaseBrief { category: None, customer_turns: vec!["My internet is down again".into()] },
            &[(Speaker::Agent, "Hello".into()), (Speaker::Agent, "How can I help?".into())],
            Mood::from_anger(0.0),
        );
        assert!(english[0].content.contains("never the agent") && english[0].content.contains("calm"));
        assert_eq!(english.len(), 2, "consecutive turns of one side are one message");
        assert_eq!(english[1].content, "Hello\nHow can I help?");
    }

    #[test]
    fn answers_become_one_clean_line() {
        assert_eq!(clean_line("<think>hmm</think>\n客户：“好的，谢谢，再见”"), "好的，谢谢，再见");
        assert_eq!(clean_line("  Customer: Fine.\n  Thanks  "), "Fine. Thanks");
        assert_eq!(clean_line(&"啊".repeat(900)).chars().count(), MAX_LINE_CHARS);
    }
}
