//! The `seatmate` binary end to end: imports that fail leave the store as it was, imports that
//! succeed survive a crash, and real data sets import with the counts of their files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod demo_model;
mod tidy;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Workspace {
        Workspace { dir: tempfile::tempdir().unwrap() }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_seatmate"));
        command.arg("--data-dir").arg(self.path("data")).args(args).env_remove("SEATMATE_CONFIG").env("RUST_LOG", "warn");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} should fail");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    fn status(&self) -> String {
        self.ok(&["status"])
    }
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

const CONVERSATION: &str = r#"{"external_id":"c1","channel":"chat","agent":"agent01","turns":[{"speaker":"customer","text":"宽带断了"},{"speaker":"agent","text":"马上为您查询"}]}"#;
const TAXONOMY: &str = "code,parent,name_zh,name_en,team\nBB,,宽带,Broadband,NET\nBB.FAULT,BB,故障,Fault,\n";

#[test]
fn bad_input_names_the_place_and_changes_nothing() {
    let ws = Workspace::new();
    ws.ok(&["import", "taxonomy", arg(&ws.write("taxonomy.csv", TAXONOMY))]);
    ws.ok(&["import", "conversations", arg(&ws.write("good.jsonl", format!("{CONVERSATION}\n")))]);
    let before = ws.status();
    assert!(before.contains("conversations: 1") && before.contains("taxonomy nodes: 2"), "{before}");

    let second = CONVERSATION.replace("c1", "c2");
    let cases: Vec<(&str, PathBuf, &str)> = vec![
        (
            "truncated JSONL line",
            ws.write("truncated.jsonl", format!("{second}\n{{\"channel\":\"chat\",\"turns\":[{{\"speaker\"\n")),
            "truncated.jsonl:2",
        ),
        ("unknown speaker", ws.write("speaker.jsonl", second.replace("\"customer\"", "\"boss\"")), "turns[0].speaker"),
        ("invalid UTF-8", ws.write("latin1.jsonl", [second.as_bytes(), b"\n{\"x\":\"caf\xe9\"}\n"].concat()), "latin1.jsonl:2"),
        ("10 MB single line", ws.write("huge.jsonl", "x".repeat(10 << 20)), "huge.jsonl:1"),
        ("empty file", ws.write("empty.jsonl", ""), "empty"),
        // streamed: thousands of good records are written in batches before the bad one is read
        (
            "bad record after 3,000 good ones",
            ws.write(
                "late.jsonl",
                (0..3000).map(|i| format!("{}\n", CONVERSATION.replace("\"c1\"", &format!("\"late-{i}\"")))).collect::<String>()
                    + "{\"channel\":\"fax\",\"turns\":[]}\n",
            ),
            "late.jsonl:3001: field `channel`",
        ),
    ];
    for (what, path, expected) in &cases {
        let err = ws.fails(&["import", "conversations", arg(path)]);
        assert!(err.contains(expected), "{what}: {err}");
    }

    let tickets = ws.write("tickets.csv", "title,category\n路由器坏了,BB.FAULT\n多了一列,BB,extra\n");
    let err = ws.fails(&["import", "tickets", arg(&tickets), "--text", "title", "--label", "category"]);
    assert!(err.contains("tickets.csv:3"), "wrong column count: {err}");
    let tickets = ws.write("unknown.csv", "title,category\n路由器坏了,BB.FAULT\n套餐,MOBILE\n");
    let err = ws.fails(&["import", "tickets", arg(&tickets), "--text", "title", "--label", "category"]);
    assert!(err.contains("unknown.csv:3") && err.contains("unknown taxonomy path"), "unknown path: {err}");
    let many: String = (0..3000).map(|i| format!("工单 {i},BB.FAULT\n")).collect();
    let late = ws.write("late.csv", format!("title,category\n{many}最后一行,MOBILE\n"));
    let err = ws.fails(&["import", "tickets", arg(&late), "--text", "title", "--label", "category"]);
    assert!(err.contains("late.csv:3002") && err.contains("unknown taxonomy path"), "streamed tickets: {err}");
    let err = ws.fails(&["import", "taxonomy", arg(&ws.write("orphan.csv", "code,parent,name_zh\nX.Y,X,孤儿\n"))]);
    assert!(err.contains("orphan.csv:2"), "unknown parent: {err}");
    let err = ws.fails(&["import", "tickets", arg(&tickets), "--text", "titel", "--label", "category"]);
    assert!(err.contains("titel"), "unknown column: {err}");
    let err = ws.fails(&["import", "abcd", arg(&ws.path("no-abcd-here"))]);
    assert!(err.contains("guidelines.json"), "missing ABCD folder: {err}");

    assert_eq!(ws.status(), before, "no failed import changed the store");
}

#[test]
fn a_gbk_file_gets_a_hint_and_imports_with_its_encoding() {
    let ws = Workspace::new();
    ws.ok(&["import", "taxonomy", arg(&ws.write("taxonomy.csv", TAXONOMY))]);
    // "路由器坏了" as a spreadsheet program in China saves it: GBK
    let gbk = ws.write("gbk.csv", b"title,category\n\xc2\xb7\xd3\xc9\xc6\xf7\xbb\xb5\xc1\xcb,BB.FAULT\n");
    let err = ws.fails(&["import", "tickets", arg(&gbk), "--text", "title", "--label", "category"]);
    assert!(err.contains("gbk.csv:2") && err.contains("--encoding gb18030"), "{err}");
    let out = ws.ok(&["import", "--encoding", "gbk", "tickets", arg(&gbk), "--text", "title", "--label", "category"]);
    assert!(out.contains("1 new"), "{out}");
}

#[test]
fn importing_twice_adds_nothing_and_export_round_trips() {
    let ws = Workspace::new();
    let file = ws.write("c.jsonl", format!("{CONVERSATION}\n{}\n", CONVERSATION.replace("c1", "c2")));
    assert!(ws.ok(&["import", "conversations", arg(&file)]).contains("2 new"));
    assert!(ws.ok(&["import", "conversations", arg(&file)]).contains("0 new, 0 updated, 2 already present"));
    let out = ws.path("export.jsonl");
    ws.ok(&["export", "conversations", "--out", arg(&out)]);
    let exported = std::fs::read_to_string(&out).unwrap();
    assert_eq!(exported.lines().count(), 2);
    assert!(exported.contains("宽带断了"));
}

#[test]
fn asr_subtitles_import_with_speakers() {
    let ws = Workspace::new();
    let vtt = ws.write("call-1.vtt", "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v 坐席>您好，请问有什么可以帮您？\n\n00:00:02.500 --> 00:00:05.000\n<v 客户>我的手機沒有信號\n");
    assert!(ws.ok(&["import", "conversations", arg(&vtt), "--agent", "agent02"]).contains("1 new"));
    let out = ws.path("export.jsonl");
    ws.ok(&["export", "conversations", "--out", arg(&out)]);
    let line: serde_json::Value = serde_json::from_str(std::fs::read_to_string(&out).unwrap().trim()).unwrap();
    assert_eq!(line["channel"], "voice");
    assert_eq!(line["agent"], "agent02");
    assert_eq!(line["turns"][1]["speaker"], "customer");
    assert_eq!(line["turns"][1]["start_ms"], 2500);
}

/// The kill lands inside the import's transaction: the failpoint holds it open after 5,000 of
/// 20,000 conversations are written, another writer is refused while it waits (so rows were
/// written and not committed), then SIGKILL. The store keeps the earlier import and nothing of
/// this one, and the same file imports whole afterwards.
#[test]
fn a_killed_import_keeps_what_was_acknowledged_and_applies_whole_or_not_at_all() {
    use std::io::BufRead;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;

    let ws = Workspace::new();
    ws.ok(&["import", "conversations", arg(&ws.write("first.jsonl", format!("{CONVERSATION}\n")))]);
    let big: String = (0..20_000).map(|i| format!("{}\n", CONVERSATION.replace("\"c1\"", &format!("\"big-{i}\"")))).collect();
    let big = ws.write("big.jsonl", big);

    let mut child = ws
        .command(&["import", "conversations", arg(&big)])
        .env("SEATMATE_FAILPOINT", "import-after-rows:5000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "the import ended before its failpoint: {seen}");
        seen.push_str(&line);
        if line.contains("failpoint import-after-rows reached: ") {
            break;
        }
    }
    assert!(child.try_wait().unwrap().is_none(), "the import waits at its failpoint");
    let other = ws.write("other.jsonl", format!("{}\n", CONVERSATION.replace("\"c1\"", "\"other\"")));
    let refused = ws.fails(&["import", "conversations", arg(&other)]);
    assert!(refused.contains("locked"), "the paused import holds a write transaction: {refused}");

    child.kill().unwrap(); // SIGKILL: no clean-up runs
    assert_eq!(child.wait().unwrap().signal(), Some(9), "killed by the test, not ended by itself");
    assert!(ws.status().contains("conversations: 1\n"), "nothing of the killed import: {}", ws.status());
    let again = ws.ok(&["import", "conversations", arg(&big)]);
    assert!(again.contains("20000 read, 20000 new"), "{again}");
    assert!(ws.status().contains("conversations: 20001\n"));
}

#[test]
fn config_default_is_printed_and_demo_accounts_are_documented() {
    let ws = Workspace::new();
    let out = ws.ok(&["config", "--default"]);
    assert!(out.contains("listen = \"127.0.0.1:8080\""));
    let err = ws.fails(&["--listen", "nonsense", "status"]);
    assert!(err.contains("--listen"), "{err}");

    let (password, accounts) = readme_demo_accounts();
    assert!(!accounts.is_empty(), "README.md lists no demo accounts");
    let demo = DemoServer::start(&ws);
    for account in &accounts {
        let (status, body) = demo.login(&account.username, &password);
        assert_eq!(status, 200, "{} cannot log in with the README's password: {body}", account.username);
        let user: serde_json::Value = serde_json::from_str(&body).unwrap();
        let user = &user["user"];
        assert_eq!(user["username"], account.username.as_str(), "{body}");
        assert_eq!(user["role"], account.role.as_str(), "{}: role in README.md", account.username);
        if let Some(team) = &account.team {
            assert_eq!(user["team"], team.as_str(), "{}: team in README.md", account.username);
        }
        let (status, _) = demo.login(&account.username, &format!("{password}-wrong"));
        assert_eq!(status, 401, "{} logs in with a wrong password", account.username);
    }
}

/// A demo account as README.md's table states it.
#[derive(Debug)]
struct DemoAccount {
    username: String,
    /// The role as the API spells it (`team_lead`).
    role: String,
    /// The team, when the table names one.
    team: Option<String>,
}

/// The demo password and accounts README.md states: its sentence "…the password `x`" and its
/// `| user | role |` table, where `a`, `b` lists users, `a01` … `a08` a range, and a role "… of
/// team T1 / T2" gives each listed user its team in turn.
fn readme_demo_accounts() -> (String, Vec<DemoAccount>) {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).unwrap();
    let backticked = |s: &str| -> Vec<String> { s.split('`').skip(1).step_by(2).map(str::to_string).collect() };
    let password = readme
        .lines()
        .find_map(|l| l.split_once("the password ").and_then(|(_, rest)| backticked(rest).into_iter().next()))
        .expect("README.md states the demo password");
    let mut accounts = Vec::new();
    let table = readme.lines().skip_while(|l| l.replace(' ', "") != "|user|role|").skip(2);
    for row in table.take_while(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        let [users, role] = cells[..] else { panic!("a row of two cells: {row}") };
        let names = backticked(users);
        let names = if users.contains('…') || users.contains("...") {
            let [first, last] = &names[..] else { panic!("a range of two names: {row}") };
            let digits = |s: &str| s.len() - s.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            let (prefix, width) = (&first[..first.len() - digits(first)], digits(first));
            let number = |s: &str| s[s.len() - digits(s)..].parse::<u32>().unwrap();
            (number(first)..=number(last)).map(|n| format!("{prefix}{n:0width$}")).collect()
        } else {
            names
        };
        let role = role.split(" (").next().unwrap().trim();
        let (role, teams) = match role.split_once(" of team ") {
            Some((role, teams)) => (role, teams.split('/').map(|t| Some(t.trim().to_string())).collect()),
            None => (role, vec![None; names.len()]),
        };
        let role = role.to_lowercase().replace(' ', "_");
        assert_eq!(teams.len(), names.len(), "one team per user: {row}");
        for (username, team) in names.into_iter().zip(teams) {
            accounts.push(DemoAccount { username, role: role.clone(), team });
        }
    }
    (password, accounts)
}

/// `seatmate demo` serving on free local ports; killed when dropped.
struct DemoServer {
    child: std::process::Child,
    addr: std::net::SocketAddr,
    /// From the demo workspace being ready (data in the store, the first words-only classifier
    /// trained; its log says so) to the port accepting connections.
    listening_after_load: Option<std::time::Duration>,
}

impl DemoServer {
    fn start(ws: &Workspace) -> DemoServer {
        DemoServer::start_with(ws, &[])
    }

    /// `seatmate demo` with extra global flags (e.g. `--database`, `--nats`).
    fn start_with(ws: &Workspace, flags: &[&str]) -> DemoServer {
        DemoServer::start_encoding(ws, flags, None)
    }

    /// `seatmate demo` with the sentence encoder at `model` (words only without one).
    fn start_encoding(ws: &Workspace, flags: &[&str], model: Option<&std::path::Path>) -> DemoServer {
        let free = || std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let (addr, metrics) = (free(), free());
        let log = std::fs::File::create(ws.path("demo.log")).unwrap();
        let (addr_flag, metrics_flag) = (addr.to_string(), metrics.to_string());
        let args: Vec<&str> =
            flags.iter().copied().chain(["--listen", &addr_flag, "--metrics-listen", &metrics_flag, "demo"]).collect();
        let child = ws
            .command(&args)
            // words only, unless the test is about the sentence encoder
            .env("SEATMATE_E5_MODEL", model.map_or_else(|| ws.path("no-model"), std::path::Path::to_path_buf))
            .stdout(std::process::Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut server = DemoServer { child, addr, listening_after_load: None };
        let started = std::time::Instant::now();
        let mut loaded_at = None;
        while std::net::TcpStream::connect(addr).is_err() {
            let log = || std::fs::read_to_string(ws.path("demo.log")).unwrap_or_default();
            if loaded_at.is_none() && log().contains("demo workspace ready") {
                loaded_at = Some(std::time::Instant::now());
            }
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!("seatmate demo exited ({status}): {}", log());
            }
            assert!(started.elapsed().as_secs() < 600, "seatmate demo did not listen on {addr}: {}", log());
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        server.listening_after_load = loaded_at.map(|at| at.elapsed());
        server
    }

    /// POSTs a login; returns the status code and the body.
    fn login(&self, username: &str, password: &str) -> (u16, String) {
        use std::io::{Read, Write};
        let body = serde_json::json!({ "username": username, "password": password }).to_string();
        let mut stream = std::net::TcpStream::connect(self.addr).unwrap();
        write!(
            stream,
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap();
        (status, body.to_string())
    }
}

/// One HTTP/1.1 request with a bearer token: (status, body), or `None` when the server is gone.
fn call(addr: std::net::SocketAddr, method: &str, path: &str, token: &str, body: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    Some((head.split_whitespace().nth(1)?.parse().ok()?, body.to_string()))
}

/// The server is killed (SIGKILL) while a sender streams turns in: after a restart every turn
/// that was acknowledged is there, the resume state says where to go on, and resending from an
/// older number is harmless.
#[test]
fn a_killed_server_keeps_every_acknowledged_live_turn_and_the_sender_resumes() {
    use std::sync::{Arc, Mutex};
    let ws = Workspace::new();
    let mut server = DemoServer::start(&ws);
    let token = ws.ok(&["token", "create", "--user", "admin", "--name", "cti", "--scope", "write"]).trim().to_string();
    let turn = |seq: u64| {
        serde_json::json!({"type": "turn", "conversation": "kill-1", "seq": seq, "speaker": if seq.is_multiple_of(2) { "customer" } else { "agent" },
            "text": format!("第{seq}句：宽带还是连不上")})
        .to_string()
    };
    let start = r#"{"type":"start","conversation":"kill-1","seq":1,"channel":"voice","agent":"agent01"}"#;
    let (status, body) = call(server.addr, "POST", "/api/v1/live/messages", &token, start).unwrap();
    assert_eq!(status, 200, "{body}");

    let acked = Arc::new(Mutex::new(vec![1_u64]));
    let sender = {
        let (acked, addr, token) = (acked.clone(), server.addr, token.clone());
        std::thread::spawn(move || {
            for seq in 2..10_000 {
                match call(addr, "POST", "/api/v1/live/messages", &token, &turn(seq)) {
                    Some((200, body)) if body.contains("\"ack\"") => acked.lock().unwrap().push(seq),
                    _ => return,
                }
            }
        })
    };
    while acked.lock().unwrap().len() < 40 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    server.child.kill().unwrap(); // SIGKILL, in the middle of the stream
    server.child.wait().unwrap();
    sender.join().unwrap();
    let acked = acked.lock().unwrap().clone();
    let last_acked = *acked.last().unwrap();

    let server = DemoServer::start(&ws);
    let (status, state) = call(server.addr, "GET", "/api/v1/live/conversations/kill-1", &token, "").unwrap();
    assert_eq!(status, 200, "{state}");
    let state: serde_json::Value = serde_json::from_str(&state).unwrap();
    let last = state["last_seq"].as_u64().unwrap();
    assert!(last >= last_acked, "every acknowledged message is kept: last {last}, acknowledged up to {last_acked}");
    assert!(last <= last_acked + 1, "at most the one in flight was applied without its ack reaching the sender");
    let (_, conversation) =
        call(server.addr, "GET", &format!("/api/v1/conversations/{}", state["id"].as_str().unwrap()), &token, "").unwrap();
    let conversation: serde_json::Value = serde_json::from_str(&conversation).unwrap();
    let texts: Vec<String> =
        conversation["turns"].as_array().unwrap().iter().map(|t| t["text"].as_str().unwrap().to_string()).collect();
    let expected: Vec<String> = (2..=last).map(|seq| format!("第{seq}句：宽带还是连不上")).collect();
    assert_eq!(texts, expected, "each turn once, in order");

    // the sender resumes: an old number is a duplicate, the next one applies
    let (_, again) = call(server.addr, "POST", "/api/v1/live/messages", &token, &turn(last)).unwrap();
    assert!(again.contains("\"duplicate\":true"), "{again}");
    let (_, next) = call(server.addr, "POST", "/api/v1/live/messages", &token, &turn(last + 1)).unwrap();
    assert!(next.contains("\"ack\"") && !next.contains("duplicate"), "{next}");
}

/// Two replicas on one PostgreSQL database and NATS (CI sets both): turns pushed to replica A
/// reach an agent's desk connected to replica B, in order, each once.
#[test]
fn two_replicas_deliver_turns_pushed_to_one_to_a_desk_on_the_other() {
    let (Ok(postgres), Ok(nats)) = (std::env::var("SEATMATE_TEST_POSTGRES"), std::env::var("SEATMATE_TEST_NATS")) else {
        println!("skipped: two_replicas_deliver_turns_pushed_to_one_to_a_desk_on_the_other (SEATMATE_TEST_POSTGRES or SEATMATE_TEST_NATS not set)");
        return;
    };
    let run = format!("{:x}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos());
    let schema = format!("replicas_{run}");
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let admin = sqlx::PgPool::connect(&postgres).await.unwrap();
        sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&admin).await.unwrap();
    });
    let sep = if postgres.contains('?') { '&' } else { '?' };
    let database = format!("{postgres}{sep}options=-c%20search_path%3D{schema}");
    let flags = ["--database", database.as_str(), "--nats", nats.as_str()];
    let (ws_a, ws_b) = (Workspace::new(), Workspace::new());
    let a = DemoServer::start_with(&ws_a, &flags);
    let b = DemoServer::start_with(&ws_b, &flags);
    let token = |user: &str, scope: &str| {
        let args = [&flags[..], &["token", "create", "--user", user, "--name", "replicas", "--scope", scope]].concat();
        ws_a.ok(&args).trim().to_string()
    };
    let (cti, desk) = (token("admin", "write"), token("agent01", "read"));

    // agent01's desk follows its conversations on replica B
    let mut request =
        tungstenite::client::IntoClientRequest::into_client_request(format!("ws://{}/api/v1/live/events", b.addr)).unwrap();
    request.headers_mut().insert("Authorization", format!("Bearer {desk}").parse().unwrap());
    let (mut socket, _) = tungstenite::connect(request).unwrap();
    if let tungstenite::stream::MaybeTlsStream::Plain(stream) = socket.get_ref() {
        stream.set_read_timeout(Some(std::time::Duration::from_secs(60))).unwrap();
    }

    let conversation = format!("replicas-{run}");
    let turns = 200_u64;
    let mut messages =
        vec![serde_json::json!({"type": "start", "conversation": conversation, "seq": 1, "channel": "chat", "agent": "agent01"})];
    for seq in 2..=turns + 1 {
        let speaker = if seq % 2 == 0 { "customer" } else { "agent" };
        messages.push(serde_json::json!({"type": "turn", "conversation": conversation, "seq": seq, "speaker": speaker, "text": format!("第{seq}句")}));
    }
    messages.push(serde_json::json!({"type": "end", "conversation": conversation, "seq": turns + 2}));
    for chunk in messages.chunks(20) {
        let (status, body) = call(a.addr, "POST", "/api/v1/live/messages", &cti, &serde_json::to_string(chunk).unwrap()).unwrap();
        assert_eq!(status, 200, "{body}");
        assert!(!body.contains("\"error\""), "{body}");
    }

    let mut seen = Vec::new();
    loop {
        let frame = socket.read().unwrap();
        let tungstenite::Message::Text(text) = frame else { continue };
        let event: serde_json::Value = serde_json::from_str(&text).unwrap();
        if event["conversation"] != conversation.as_str() {
            continue;
        }
        match event["type"].as_str().unwrap() {
            "turn" => seen.push(event["seq"].as_u64().unwrap()),
            "ended" => break,
            _ => {}
        }
    }
    assert_eq!(seen, (2..=turns + 1).collect::<Vec<_>>(), "every turn pushed to A reached the desk on B, in order, once");
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The real data sets in ../shared/data import with the counts of their files.
#[test]
fn real_data_sets_import_with_their_counts() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if !data.exists() {
        println!("skipped: real_data_sets_import_with_their_counts (no ../shared/data)");
        return;
    }
    let ws = Workspace::new();
    let endava = data.join("it-tickets-endava/all_tickets.csv");
    let out = ws.ok(&[
        "import",
        "tickets",
        arg(&endava),
        "--text",
        "title,body",
        "--label",
        "category,sub_category1,sub_category2",
        "--priority",
        "urgency",
        "--create-taxonomy",
        "--source",
        "endava",
    ]);
    assert!(out.contains("5431 read, 5431 new"), "{out}");
    let out = ws.ok(&[
        "import",
        "tickets",
        arg(&data.join("banking77/train.csv")),
        "--text",
        "text",
        "--label",
        "category",
        "--create-taxonomy",
        "--source",
        "banking77",
    ]);
    assert!(out.contains("10003 read, 10003 new"), "{out}");
    let out = ws.ok(&["import", "conversations", arg(&data.join("stc3-dch1-helpdesk/train_data_cn.json"))]);
    assert!(out.contains("3700 read, 3700 new"), "{out}");
    let out = ws.ok(&["import", "conversations", arg(&data.join("stc3-dch1-helpdesk/train_data_en.json"))]);
    assert!(out.contains("1672 read, 1672 new"), "{out}");
    let abcd = data.join("abcd");
    let out = ws.ok(&["import", "abcd", arg(&abcd)]);
    assert!(out.contains("ABCD: 10 flows, 55 subflows, 55 with required actions"), "{out}");
    assert!(out.contains("55 read, 55 new"), "{out}");
    let out = ws.ok(&["import", "abcd", arg(&abcd)]);
    assert!(out.contains("55 read, 0 new, 0 updated, 55 already present"), "{out}");
    let status = ws.status();
    assert!(status.contains("conversations: 5372") && status.contains("tickets: 15434"), "{status}");
    assert!(status.contains("knowledge items: 55"), "{status}");
}
