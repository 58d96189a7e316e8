use seatmate_core::{Channel, Speaker};
use seatmate_ingest::{conversations_jsonl, conversations_stc3, record_id};

use crate::{assert_err, ctx, NOW};

const SAMPLE: &str = r#"{"external_id":"C-1001","channel":"voice","queue":"broadband","agent":"agent01","customer_id":"138****0000","language":"zh","started_at":"2025-03-01T09:30:00+08:00","ended_at":"2025-03-01T09:34:10+08:00","audio_ref":"calls/C-1001.wav","attributes":{"satisfaction":4},"turns":[{"speaker":"agent","text":"您好，很高兴为您服务。","start_ms":0,"end_ms":2100},{"speaker":"customer","text":"我家宽带断了。","start_ms":2500,"end_ms":4200}]}"#;
const TRAD: &str = r#"{"channel":"chat","language":"zh-TW","turns":[{"speaker":"customer","text":"您好，我的帳單金額不對。"},{"speaker":"agent","text":"請稍候，我幫您查詢。"}]}"#;

fn jsonl(lines: &[&str]) -> Vec<u8> {
    lines.join("\n").into_bytes()
}

#[test]
fn the_spec_sample_parses() {
    let all = conversations_jsonl(&ctx("c.jsonl"), SAMPLE.as_bytes(), "crm").unwrap();
    let c = &all[0];
    assert_eq!(c.id, record_id("conversation", "crm", "C-1001"));
    assert_eq!((c.external_id.as_str(), c.source.as_str(), c.channel), ("C-1001", "crm", Channel::Voice));
    assert_eq!(c.started_at, 1_740_792_600_000);
    assert_eq!(c.ended_at, Some(1_740_792_850_000));
    assert_eq!(c.agent.as_deref(), Some("agent01"));
    assert_eq!(c.attributes["satisfaction"], 4);
    assert_eq!(c.turns.len(), 2);
    assert_eq!((c.turns[1].speaker, c.turns[1].text.as_str()), (Speaker::Customer, "我家宽带断了。"));
    assert_eq!((c.turns[1].start_ms, c.turns[1].end_ms), (Some(2500), Some(4200)));
}

#[test]
fn defaults_and_epoch_millis() {
    let line =
        r#"{"channel":"email","started_at":1700000000000,"turns":[{"speaker":"system","text":"Ticket opened"}],"queue":""}"#;
    let c = &conversations_jsonl(&ctx("c.jsonl"), line.as_bytes(), "mail").unwrap()[0];
    assert_eq!(c.started_at, 1_700_000_000_000);
    assert_eq!(c.queue, None);
    let c = &conversations_jsonl(&ctx("c.jsonl"), TRAD.as_bytes(), "mail").unwrap()[0];
    assert_eq!(c.started_at, NOW);
    assert_eq!(c.language.as_deref(), Some("zh-TW"));
}

#[test]
fn content_ids_count_identical_lines() {
    let bytes = jsonl(&[TRAD, "", SAMPLE, TRAD]);
    let all = conversations_jsonl(&ctx("c.jsonl"), &bytes, "crm").unwrap();
    assert_eq!(all.len(), 3);
    let (a, b) = (&all[0].external_id, &all[2].external_id);
    assert!(a.starts_with("h:") && a.ends_with("#1") && a.len() == "h:".len() + 16 + 2, "{a}");
    assert_eq!(b, &a.replace("#1", "#2"));
    assert_ne!(all[0].id, all[2].id);
    // A second import of the same file yields the same ids: the store adds nothing.
    let again = conversations_jsonl(&ctx("c.jsonl"), &bytes, "crm").unwrap();
    assert_eq!(all, again);
}

#[test]
fn a_truncated_line_names_its_line() {
    let bytes = jsonl(&[SAMPLE, r#"{"channel":"chat","turns":[{"speaker""#]);
    let e = conversations_jsonl(&ctx("c.jsonl"), &bytes, "crm").unwrap_err();
    assert_eq!(e.line, Some(2), "{e}");
    assert!(e.message.contains("truncated"), "{e}");
    assert!(e.to_string().starts_with("c.jsonl:2:"), "{e}");
}

#[test]
fn bad_fields_are_named() {
    let turn = |speaker: &str| format!(r#"{{"speaker":"{speaker}","text":"好的"}}"#);
    let three = format!(r#"{{"channel":"chat","turns":[{},{},{}]}}"#, turn("agent"), turn("customer"), turn("客户"));
    let bytes = jsonl(&[TRAD, &three]);
    assert_err(conversations_jsonl(&ctx("c.jsonl"), &bytes, "s"), Some(2), Some("turns[2].speaker"), "expected one of");

    let line = r#"{"channel":"phone","turns":[{"speaker":"agent","text":"hi"}]}"#;
    assert_err(conversations_jsonl(&ctx("c.jsonl"), line.as_bytes(), "s"), Some(1), Some("channel"), "`chat`, `voice`, `email`");

    let line = r#"{"channel":"chat","turns":[{"speaker":"agent","text":"hi"},{"speaker":"customer","text":"  "}]}"#;
    assert_err(conversations_jsonl(&ctx("c.jsonl"), line.as_bytes(), "s"), Some(1), Some("turns[1].text"), "blank");

    let line = r#"{"channel":"voice","turns":[{"speaker":"agent","text":"您好","start_ms":3000,"end_ms":1000}]}"#;
    assert_err(conversations_jsonl(&ctx("c.jsonl"), line.as_bytes(), "s"), Some(1), Some("turns[0].end_ms"), "before");

    let line = r#"{"channel":"chat","started_at":"2025-03-01T10:00:00Z","ended_at":"2025-03-01T09:00:00Z","turns":[{"speaker":"agent","text":"hi"}]}"#;
    assert_err(conversations_jsonl(&ctx("c.jsonl"), line.as_bytes(), "s"), Some(1), Some("ended_at"), "before");

    let line = r#"{"channel":"chat","started_at":"1 March","turns":[{"speaker":"agent","text":"hi"}]}"#;
    assert_err(conversations_jsonl(&ctx("c.jsonl"), line.as_bytes(), "s"), Some(1), Some("started_at"), "RFC 3339");

    let line = r#"{"channel":"chat","turns":[]}"#;
    assert_err(conversations_jsonl(&ctx("c.jsonl"), line.as_bytes(), "s"), Some(1), Some("turns"), "at least one");

    let line = r#"{"channel":"chat"}"#;
    assert_err(conversations_jsonl(&ctx("c.jsonl"), line.as_bytes(), "s"), Some(1), None, "missing field `turns`");

    let line = r#"{"channel":"chat","turns":[{"speaker":"agent","txt":"hi"}]}"#;
    assert_err(conversations_jsonl(&ctx("c.jsonl"), line.as_bytes(), "s"), Some(1), Some("turns[0].txt"), "unknown field");
}

#[test]
fn duplicate_external_ids_are_refused() {
    let bytes = jsonl(&[SAMPLE, TRAD, SAMPLE]);
    assert_err(conversations_jsonl(&ctx("c.jsonl"), &bytes, "s"), Some(3), Some("external_id"), "first seen at line 1");
}

const STC3: &str = r#"[
  {"id": "4001", "turns": [
     {"sender": "customer", "utterances": ["@中国电信客服 宽带又断了", "已经第三次了"]},
     {"sender": "helpdesk", "utterances": [""]},
     {"sender": "helpdesk", "utterances": ["您好，请私信提供宽带账号。"]}],
   "annotations": [
     {"quality": {"A": 1, "S": 0, "E": 2}, "nugget": ["CNUG0", "HNaN", "HNUG"]},
     {"quality": {"A": 0, "S": -1, "E": 1}, "nugget": ["CNUG0", "HNaN", "HNUG*"]},
     {"quality": {"A": 2, "S": 0, "E": 0}, "nugget": ["CNUG", "HNaN", "HNUG*"]}]},
  {"id": "4002", "turns": [
     {"sender": "customer", "utterances": ["流量包怎么退订？"]},
     {"sender": "helpdesk", "utterances": ["发送 TD 到 10001 即可。"]}],
   "annotations": []}
]"#;

#[test]
fn stc3_dialogues() {
    let all = conversations_stc3(&ctx("train_data_cn.json"), STC3.as_bytes()).unwrap();
    assert_eq!(all.len(), 2);
    let c = &all[0];
    assert_eq!((c.source.as_str(), c.channel, c.language.as_deref()), ("stc3", Channel::Chat, Some("zh")));
    assert_eq!(c.external_id, "zh:4001");
    assert_eq!(c.id, record_id("conversation", "stc3", "zh:4001"));
    assert_eq!(c.turns.len(), 2, "the empty turn is left out");
    assert_eq!(c.turns[0].text, "@中国电信客服 宽带又断了\n已经第三次了");
    assert_eq!(c.turns[1].speaker, Speaker::Agent);
    assert_eq!(c.attributes["quality"], serde_json::json!({"A": 1.0, "S": -0.333, "E": 1.0}));
    assert_eq!(c.attributes["nuggets"], serde_json::json!(["CNUG0", "HNUG*"]));
    assert_eq!(c.attributes["annotators"], 3);
    assert_eq!(c.attributes["stc3_id"], "4001");
    assert!(!all[1].attributes.contains_key("quality"));

    let en = r#"[{"id":"4002","turns":[{"sender":"customer","utterances":["How do I cancel my data pack?"]}]}]"#;
    let c = &conversations_stc3(&ctx("train_data_en.json"), en.as_bytes()).unwrap()[0];
    assert_eq!((c.external_id.as_str(), c.language.as_deref()), ("en:4002", Some("en")));
}

#[test]
fn stc3_errors() {
    let bad = r#"[{"id":"1","turns":[{"sender":"customer","utterances":["hi"]}]},
{"id":"2","turns":[{"sender":"agent","utterances":["hi"]}]}]"#;
    assert_err(conversations_stc3(&ctx("s.json"), bad.as_bytes()), Some(2), Some("[1].turns[0].sender"), "customer");
    let silent = r#"[{"id":"1","turns":[{"sender":"customer","utterances":["", " "]}]}]"#;
    assert_err(conversations_stc3(&ctx("s.json"), silent.as_bytes()), None, Some("[0]"), "no text");
    let dup = r#"[{"id":"1","turns":[{"sender":"customer","utterances":["a"]}]},{"id":"1","turns":[{"sender":"customer","utterances":["b"]}]}]"#;
    assert_err(conversations_stc3(&ctx("s.json"), dup.as_bytes()), None, Some("[1].id"), "duplicate");
}
