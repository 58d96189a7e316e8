//! Property: whatever bytes a parser is given, it does not panic, answers the same way twice
//! (ids included), and an error names the file and a line that exists in it (or, for a problem of
//! the whole file, says so). Inputs are arbitrary bytes and valid samples with random edits, so the
//! parsers are reached past their first check.

use proptest::prelude::*;
use seatmate_core::Conversation;
use seatmate_ingest::{
    abcd_flows, article_markdown, conversation_asr_csv, conversation_asr_json, conversation_srt, conversation_vtt,
    conversations_jsonl, conversations_stc3, faqs_csv, flows_json, record_id, taxonomy_csv, taxonomy_json, teams_csv,
    tickets_csv, AbcdFile, ImportError, SpeakerMap, TicketColumns, CONVERSATION,
};

use crate::ctx;

/// 96 cases a property; a failure is kept as an ordinary test, not in a seed file.
pub fn config() -> ProptestConfig {
    ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(96) }
}

/// Messages of errors about the whole file, which have no line or field to name.
const WHOLE_FILE: &[&str] = &[
    "the file is empty",
    "the file has a header but no rows",
    "no segment has any text",
    "the file holds no flows",
    "a subflow code is empty",
];

/// Checks an error against the file it came from.
fn check_error(e: &ImportError, file: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    prop_assert_eq!(&e.file, file);
    prop_assert!(e.to_string().starts_with(file), "{e}");
    prop_assert!(!e.message.trim().is_empty(), "{e:?}");
    // A lone CR ends a line for the CSV reader too.
    let lines = 1 + bytes.iter().filter(|b| **b == b'\n' || **b == b'\r').count() as u64;
    if let Some(line) = e.line {
        prop_assert!((1..=lines).contains(&line), "line {line} of a file with {lines} lines: {e}");
    }
    if let Some(field) = &e.field {
        prop_assert!(!field.is_empty(), "{e:?}");
    }
    if e.line.is_none() && e.field.is_none() {
        prop_assert!(WHOLE_FILE.iter().any(|m| e.message.starts_with(m)), "names neither line nor field: {e}");
    }
    Ok(())
}

/// Parses twice: the answers must agree, and an error must pass [`check_error`].
fn check<T: PartialEq + std::fmt::Debug>(
    file: &str,
    bytes: &[u8],
    parse: impl Fn(&[u8]) -> Result<T, ImportError>,
) -> Result<Option<T>, TestCaseError> {
    let first = parse(bytes);
    prop_assert_eq!(&first, &parse(bytes), "parsing twice gave different answers");
    match first {
        Ok(value) => Ok(Some(value)),
        Err(e) => check_error(&e, file, bytes).map(|()| None),
    }
}

fn check_conversations(all: &[Conversation], source: &str) -> Result<(), TestCaseError> {
    for c in all {
        prop_assert_eq!(&c.id, &record_id(CONVERSATION, source, &c.external_id));
        prop_assert!(!c.turns.is_empty());
        prop_assert!(c.turns.iter().all(|t| !t.text.trim().is_empty()));
    }
    Ok(())
}

#[derive(Clone, Debug)]
enum Edit {
    Insert(String),
    Delete(usize),
    Replace(char),
}

/// Tokens that matter to some format, inserted by the edits.
const TOKENS: &[&str] = &[
    "\n",
    "\r\n",
    "\r",
    ",",
    "\"",
    "{",
    "}",
    "[",
    "]",
    ":",
    "：",
    "-->",
    "<v ",
    ">",
    "00:00:01,000",
    "00:01.500",
    "null",
    "\u{feff}",
    "\u{ff01}",
    "é",
    "\\",
    "/",
    "|",
    "#",
    "```",
    "\"\"",
    "-1",
    "1e999",
    "WEBVTT",
    "NOTE",
    "\"x\":",
    "[]",
    "{}",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => prop::sample::select(TOKENS).prop_map(|t| Edit::Insert(t.to_string())),
        1 => any::<char>().prop_map(|c| Edit::Insert(c.to_string())),
        2 => (1usize..8).prop_map(Edit::Delete),
        1 => any::<char>().prop_map(Edit::Replace),
    ]
}

/// `sample` with a few random edits of its characters (so it stays UTF-8), of its bytes, or
/// arbitrary bytes.
fn fuzz(sample: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let edits = || prop::collection::vec((any::<prop::sample::Index>(), edit()), 1..6);
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..200),
        1 => prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4).prop_map(move |edits| {
            let mut bytes = sample.as_bytes().to_vec();
            for (at, byte) in edits {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
            bytes
        }),
        6 => edits().prop_map(move |edits| {
            let mut chars: Vec<char> = sample.chars().collect();
            for (at, edit) in edits {
                let i = at.index(chars.len() + 1);
                match edit {
                    Edit::Insert(s) => drop(chars.splice(i..i, s.chars())),
                    Edit::Delete(n) => drop(chars.drain(i..(i + n).min(chars.len()))),
                    Edit::Replace(c) if i < chars.len() => chars[i] = c,
                    Edit::Replace(c) => chars.push(c),
                }
            }
            chars.into_iter().collect::<String>().into_bytes()
        }),
    ]
}

const JSONL: &str = r#"{"external_id":"C-1","channel":"voice","queue":"bb","started_at":"2025-03-01T09:30:00+08:00","ended_at":1740792850000,"attributes":{"x":1},"turns":[{"speaker":"agent","text":"您好","start_ms":0,"end_ms":2100},{"speaker":"customer","text":"宽带断了","start_ms":2500}]}
{"channel":"chat","turns":[{"speaker":"customer","text":"hi"}]}
"#;
const STC3: &str = r#"[{"id":"1","turns":[{"sender":"customer","utterances":["宽带断了",""]},{"sender":"helpdesk","utterances":["请稍候"]}],
"annotations":[{"quality":{"A":1,"S":0,"E":2},"nugget":["CNUG0","HNUG"]}]},
{"id":"2","turns":[{"sender":"customer","utterances":["hi"]}]}]"#;
const ASR_JSON: &str = r#"{"language":"zh","segments":[{"start":0.0,"end":2.1,"speaker":"S0","text":"您好"},
{"start_ms":2500,"end_ms":4200,"speaker":1,"text":"宽带断了"},{"start":5,"end":6,"channel":1,"text":"好"}]}"#;
const SRT: &str = "1\n00:00:00,000 --> 00:00:02,100\n坐席：您好。\n\n2\n00:00:02,500 --> 00:00:04,200\n<i>客户:</i> 宽带断了，\n从昨晚开始。\n\n3\n00:00:04,300 --> 00:00:05,000\n一直连不上。\n";
const VTT: &str = "WEBVTT\n\nNOTE a note\n\n1\n00:00.000 --> 00:02.100 align:start\n<v 坐席>您好 &amp; 欢迎</v>\n\n00:00:02.500 --> 00:00:04.200\n<v.loud 客戶>斷線了\n";
const ASR_CSV: &str = "start,end,speaker,channel,text\n0,2.1,A,,您好\n2.5,00:00:04.200,,1,\"宽带, 断了\"\n";
const TICKETS: &str = "id,title,body,l1,l2,priority,team,created_at,note\nT-1,宽带,\"断网\n重启\",宽带,故障,0,NET,2025-03-01T09:30:00Z,x\nT-2,,帳單,账务,,high,,1700000000000,\n";
const TAXONOMY_PATHS: &str = "path,code,name_en,team\n宽带/故障,BB.F,Broadband/Fault,NET\n宽带,BB,Broadband,\n帳務/帳單,,,BILL\n";
const TAXONOMY_NODES: &str = "code,parent,name_zh,name_en,team\nBB,,宽带,Broadband,NET\nBB.F,BB,故障,,\nMOB.5G,MOB,5G,,\n";
const TAXONOMY_JSON: &str = r#"[{"code":"BB","name_zh":"宽带","team":"NET","children":[{"code":"BB.F","name_zh":"故障","name_en":"Fault"}]},{"code":"X","name_zh":"其他"}]"#;
const TEAMS: &str = "code,name_zh,name_en,dispatch\nNET,网络维护组,Network,true\nCC1,客服一组,,FALSE\n";
const FAQS: &str = "id,question,alternates,answer,category,language,tags\nF1,宽带断网怎么办？,网断了|上不了网,请重启。,BB,zh,宽带|故障\nF2,如何查詢帳單？,,登入查詢。,,,\n";
const MARKDOWN: &str = "```\n# not a title\n```\n\n# 宽带故障排查 #\n\n1. 检查光猫\n";
const FLOWS: &str = r#"[{"key":"bb","title":"宽带","start":"s1","tags":["a"],"steps":[{"id":"s1","kind":"ask","text":"红灯？","options":[{"label":"是","next":"s2"}]},{"id":"s2","kind":"end","text":"好"}]}]"#;
const GUIDELINES: &str = r#"{"Account Access":{"description":"d","subflows":{"Recover Username":{"actions":[{"type":"interaction","button":"Pull up Account","text":"Get the name","subtext":["If a > b","If c"]}],"instructions":["x"]}}}}"#;
const KB: &str = r#"{"recover_username":["pull-up-account"],"other":["x"]}"#;
const ONTOLOGY: &str = r#"{"intents":{"subflows":{"account_access":["recover_username"]}}}"#;

fn ticket_columns() -> TicketColumns {
    TicketColumns {
        text: vec!["title".into(), "body".into()],
        labels: vec!["l1".into(), "l2".into()],
        id: Some("id".into()),
        priority: Some("priority".into()),
        team: Some("team".into()),
        conversation: None,
    }
}

fn agent_map() -> SpeakerMap {
    SpeakerMap { agent_speaker: Some("S0".into()), agent_channel: 1 }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn jsonl(bytes in fuzz(JSONL)) {
        if let Some(all) = check("c.jsonl", &bytes, |b| conversations_jsonl(&ctx("c.jsonl"), b, "crm"))? {
            check_conversations(&all, "crm")?;
        }
    }

    #[test]
    fn stc3(bytes in fuzz(STC3)) {
        if let Some(all) = check("s.json", &bytes, |b| conversations_stc3(&ctx("s.json"), b))? {
            check_conversations(&all, "stc3")?;
        }
    }

    #[test]
    fn asr_json(bytes in fuzz(ASR_JSON)) {
        for map in [SpeakerMap::default(), agent_map()] {
            if let Some(c) = check("a.json", &bytes, |b| conversation_asr_json(&ctx("a.json"), b, &map, None))? {
                check_conversations(&[c], "asr")?;
            }
        }
    }

    #[test]
    fn srt(bytes in fuzz(SRT)) {
        if let Some(c) = check("a.srt", &bytes, |b| conversation_srt(&ctx("a.srt"), b, &SpeakerMap::default(), None))? {
            check_conversations(&[c], "asr")?;
        }
    }

    #[test]
    fn vtt(bytes in fuzz(VTT)) {
        if let Some(c) = check("a.vtt", &bytes, |b| conversation_vtt(&ctx("a.vtt"), b, &SpeakerMap::default(), Some("X")))? {
            check_conversations(&[c], "asr")?;
        }
    }

    #[test]
    fn asr_csv(bytes in fuzz(ASR_CSV)) {
        for map in [SpeakerMap::default(), agent_map()] {
            if let Some(c) = check("a.csv", &bytes, |b| conversation_asr_csv(&ctx("a.csv"), b, &map, None))? {
                check_conversations(&[c], "asr")?;
            }
        }
    }

    #[test]
    fn tickets(bytes in fuzz(TICKETS)) {
        let columns = ticket_columns();
        if let Some(all) = check("t.csv", &bytes, |b| tickets_csv(&ctx("t.csv"), b, &columns, "crm"))? {
            for p in &all {
                prop_assert_eq!(&p.ticket.id, &record_id("ticket", "crm", &p.ticket.external_id));
                prop_assert!(!p.ticket.title.is_empty() && p.ticket.title.chars().count() <= 120);
            }
        }
    }

    #[test]
    fn taxonomy(paths in fuzz(TAXONOMY_PATHS), nodes in fuzz(TAXONOMY_NODES), json in fuzz(TAXONOMY_JSON)) {
        for bytes in [&paths, &nodes] {
            if let Some(t) = check("t.csv", bytes, |b| taxonomy_csv(&ctx("t.csv"), b))? {
                let mut codes: Vec<&str> = t.nodes.iter().map(|n| n.code.as_str()).collect();
                codes.sort_unstable();
                prop_assert!(codes.windows(2).all(|w| w[0] != w[1]), "each code once: {codes:?}");
            }
        }
        check("t.json", &json, |b| taxonomy_json(&ctx("t.json"), b))?;
    }

    #[test]
    fn teams(bytes in fuzz(TEAMS)) {
        check("teams.csv", &bytes, |b| teams_csv(&ctx("teams.csv"), b))?;
    }

    #[test]
    fn knowledge(faqs in fuzz(FAQS), markdown in fuzz(MARKDOWN), flows in fuzz(FLOWS)) {
        check("faq.csv", &faqs, |b| faqs_csv(&ctx("faq.csv"), b))?;
        if let Some(a) = check("a.md", &markdown, |b| article_markdown(&ctx("a.md"), "kb/a.md", b))? {
            prop_assert_eq!(a.key, "kb/a");
            prop_assert!(!a.title.trim().is_empty());
        }
        if let Some(all) = check("flows.json", &flows, |b| flows_json(&ctx("flows.json"), b))? {
            for item in &all {
                let seatmate_core::KnowledgeBody::Flow(flow) = &item.body else { panic!("not a flow: {item:?}") };
                prop_assert_eq!(flow.validate(), Ok(()));
            }
        }
    }

    #[test]
    fn abcd((which, bytes) in (0usize..3).prop_flat_map(|w| (Just(w), fuzz([GUIDELINES, KB, ONTOLOGY][w])))) {
        let mut files = [GUIDELINES.as_bytes(), KB.as_bytes(), ONTOLOGY.as_bytes()];
        files[which] = &bytes;
        let names = ["guidelines.json", "kb.json", "ontology.json"];
        let parse = || {
            let file = |i: usize| AbcdFile { ctx: ctx(names[i]), bytes: files[i] };
            abcd_flows(file(0), file(1), file(2))
        };
        match (parse(), parse()) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(&a.items, &b.items);
                for item in &a.items {
                    let seatmate_core::KnowledgeBody::Flow(flow) = &item.body else { panic!("not a flow: {item:?}") };
                    prop_assert_eq!(flow.validate(), Ok(()));
                }
            }
            (Err(a), Err(b)) => {
                prop_assert_eq!(&a, &b);
                let at = names.iter().position(|n| *n == a.file);
                prop_assert!(at.is_some(), "{a}");
                check_error(&a, names[at.unwrap_or(0)], files[at.unwrap_or(0)])?;
            }
            (a, b) => prop_assert!(false, "two answers: {a:?} and {b:?}"),
        }
    }
}
