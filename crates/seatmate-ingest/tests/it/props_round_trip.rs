//! Property: records written in a format and parsed back are the records written, with the
//! deterministic ids the format promises.

use proptest::prelude::*;
use seatmate_core::{
    Channel, Conversation, FlowOption, FlowStep, FlowStepKind, GuidedFlow, KnowledgeBody, KnowledgeItem, KnowledgeKind, Priority,
    Speaker, TaxonomyNode, Team, Ticket, TicketStatus, Turn,
};
use seatmate_ingest::{
    conversation_asr_csv, conversation_asr_json, conversation_srt, conversation_vtt, conversations_jsonl, conversations_stc3,
    faqs_csv, flows_json, knowledge_id, parse_priority, record_id, taxonomy_csv, taxonomy_json, teams_csv, tickets_csv,
    ParsedTicket, SpeakerMap, TicketColumns, ASR_SOURCE, CONVERSATION, IMPORT_USER, STC3_SOURCE, TICKET, TITLE_MAX_CHARS,
};
use serde_json::{json, Map, Value};

use crate::props_fuzz::config;
use crate::{ctx, NOW};

/// Printable text without leading or trailing whitespace (the parsers trim).
fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof!["\\PC", "[\u{4e00}-\u{4e80}]", " "], 1..=max).prop_filter_map("blank", |parts| {
        let joined = parts.concat();
        let trimmed = joined.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_string())
    })
}

fn word() -> impl Strategy<Value = String> {
    "[a-z0-9_]{1,8}"
}

fn csv_bytes(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.into_inner().unwrap()
}

// ---- native JSONL ----

fn turn() -> impl Strategy<Value = Turn> {
    let speaker = prop::sample::select(vec![Speaker::Agent, Speaker::Customer, Speaker::System]);
    let times = prop::option::of((0i64..10_000_000, prop::option::of(0i64..100_000)));
    (speaker, text(40), times, prop::option::of(word())).prop_map(|(speaker, text, times, audio_ref)| Turn {
        speaker,
        text,
        start_ms: times.map(|t| t.0),
        end_ms: times.and_then(|(start, length)| length.map(|l| start + l)),
        audio_ref,
    })
}

fn attributes() -> impl Strategy<Value = Map<String, Value>> {
    let value =
        prop_oneof![text(10).prop_map(Value::from), any::<i64>().prop_map(Value::from), any::<bool>().prop_map(Value::from)];
    prop::collection::btree_map("[a-z]{1,6}", value, 0..3).prop_map(|m| m.into_iter().collect())
}

fn conversation() -> impl Strategy<Value = Conversation> {
    let channel = prop::sample::select(vec![Channel::Chat, Channel::Voice, Channel::Email]);
    let optional = || prop::option::of(word());
    (
        (word(), channel, optional(), optional(), optional(), optional(), optional()),
        (-1_000_000_000_000i64..10_000_000_000_000, prop::option::of(0i64..10_000_000), attributes()),
        prop::collection::vec(turn(), 1..5),
    )
        .prop_map(
            |(
                (external_id, channel, queue, agent, customer_id, language, audio_ref),
                (started_at, length, attributes),
                turns,
            )| {
                Conversation {
                    id: String::new(),
                    external_id,
                    source: String::new(),
                    channel,
                    queue,
                    agent,
                    customer_id,
                    language,
                    started_at,
                    ended_at: length.map(|l| started_at + l),
                    audio_ref,
                    attributes,
                    turns,
                }
            },
        )
}

// ---- ASR: SRT, WebVTT, CSV, JSON ----

/// A recognised segment as generated: its label, whether the cue leaves the label out (it then
/// continues the previous cue's speaker), times and lines of text.
#[derive(Clone, Debug)]
struct Cue {
    label: &'static str,
    unlabelled: bool,
    start_ms: i64,
    end_ms: i64,
    lines: Vec<String>,
}

const KNOWN_LABELS: &[(&str, Speaker)] = &[
    ("坐席", Speaker::Agent),
    ("客服", Speaker::Agent),
    ("Agent", Speaker::Agent),
    ("客户", Speaker::Customer),
    ("客戶", Speaker::Customer),
    ("Customer", Speaker::Customer),
];
const KNOWN: &[&str] = &["坐席", "客服", "Agent", "客户", "客戶", "Customer"];
const OTHER_LABELS: &[&str] = &["SPEAKER_00", "SPEAKER_01", "说话人1", "B"];

/// A line of cue text: no tag, entity, colon or timing arrow, not blank.
fn cue_line() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9\u{4e00}-\u{4e80}，。！？ ]{1,20}".prop_filter_map("blank", |s| {
        let t = s.trim();
        (!t.is_empty()).then(|| t.to_string())
    })
}

fn cues(labels: &'static [&'static str]) -> impl Strategy<Value = Vec<Cue>> {
    let cue =
        (prop::sample::select(labels), any::<bool>(), 0i64..40_000_000, 0i64..600_000, prop::collection::vec(cue_line(), 1..3))
            .prop_map(|(label, unlabelled, start_ms, length, lines)| Cue {
                label,
                unlabelled,
                start_ms,
                end_ms: start_ms + length,
                lines,
            });
    prop::collection::vec(cue, 1..8).prop_map(|mut cues| {
        // Only a cue that repeats the previous speaker may leave its label out.
        for i in 0..cues.len() {
            cues[i].unlabelled &= i > 0 && cues[i - 1].label == cues[i].label;
        }
        cues
    })
}

fn timestamp(ms: i64, separator: char) -> String {
    let (h, m, s, f) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    format!("{h:02}:{m:02}:{s:02}{separator}{f:03}")
}

fn srt(cues: &[Cue]) -> String {
    let mut out = String::new();
    for (i, cue) in cues.iter().enumerate() {
        let prefix = if cue.unlabelled { String::new() } else { format!("{}：", cue.label) };
        let times = format!("{} --> {}", timestamp(cue.start_ms, ','), timestamp(cue.end_ms, ','));
        out.push_str(&format!("{}\n{times}\n{prefix}{}\n\n", i + 1, cue.lines.join("\n")));
    }
    out
}

fn vtt(cues: &[Cue], voice_tags: bool) -> String {
    let mut out = String::from("WEBVTT\n\nNOTE generated\n\n");
    for cue in cues {
        let prefix = match (cue.unlabelled, voice_tags) {
            (true, _) => String::new(),
            (false, true) => format!("<v {}>", cue.label),
            (false, false) => format!("{}: ", cue.label),
        };
        let times = format!("{} --> {} align:start", timestamp(cue.start_ms, '.'), timestamp(cue.end_ms, '.'));
        out.push_str(&format!("{times}\n{prefix}{}\n\n", cue.lines.join("\n")));
    }
    out
}

/// The conversation an ASR file of these cues must give: turns ordered by start (ties in file
/// order), speakers resolved by `speaker`.
fn expected_asr(cues: &[Cue], external_id: &str, speaker: impl Fn(&str) -> Speaker) -> Conversation {
    let mut sorted = cues.to_vec();
    sorted.sort_by_key(|c| c.start_ms);
    let turns: Vec<Turn> = sorted
        .iter()
        .map(|c| Turn {
            speaker: speaker(c.label),
            text: c.lines.join("\n"),
            start_ms: Some(c.start_ms),
            end_ms: Some(c.end_ms),
            audio_ref: None,
        })
        .collect();
    Conversation {
        id: record_id(CONVERSATION, ASR_SOURCE, external_id),
        external_id: external_id.into(),
        source: ASR_SOURCE.into(),
        channel: Channel::Voice,
        queue: None,
        agent: None,
        customer_id: None,
        language: None,
        started_at: NOW,
        ended_at: Some(NOW + cues.iter().map(|c| c.end_ms).max().unwrap_or(0)),
        audio_ref: None,
        attributes: Map::new(),
        turns,
    }
}

fn known(label: &str) -> Speaker {
    KNOWN_LABELS.iter().find(|(l, _)| *l == label).map(|(_, s)| *s).unwrap()
}

// ---- tickets ----

#[derive(Clone, Debug)]
struct TicketRow {
    title: String,
    body: String,
    path: Vec<String>,
    priority: &'static str,
    team: String,
    note: String,
}

fn maybe(s: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop::option::of(s).prop_map(Option::unwrap_or_default)
}

fn ticket_row() -> impl Strategy<Value = TicketRow> {
    let label = "[a-zA-Z0-9\u{4e00}-\u{4e80} ._-]{1,10}".prop_filter_map("blank", |s| {
        let t = s.trim();
        (!t.is_empty()).then(|| t.to_string())
    });
    let priorities = vec!["", "low", "normal", "high", "urgent", "Urgent", "0", "1", "2", "3"];
    (
        maybe(text(150)),
        maybe(text(30)),
        prop::collection::vec(label, 0..3),
        prop::sample::select(priorities),
        maybe(word()),
        maybe(text(8)),
    )
        .prop_filter("a ticket needs text", |(title, body, ..)| !title.is_empty() || !body.is_empty())
        .prop_map(|(title, body, path, priority, team, note)| TicketRow { title, body, path, priority, team, note })
}

fn expected_ticket(i: usize, row: &TicketRow) -> ParsedTicket {
    let external_id = format!("T-{i}");
    let texts: Vec<&str> = [row.title.as_str(), row.body.as_str()].into_iter().filter(|t| !t.is_empty()).collect();
    let one_line = texts[0].split_whitespace().collect::<Vec<_>>().join(" ");
    let mut attributes = Map::new();
    if !row.note.is_empty() {
        attributes.insert("note".into(), Value::String(row.note.clone()));
    }
    let ticket = Ticket {
        id: record_id(TICKET, "crm", &external_id),
        external_id,
        source: "crm".into(),
        conversation_id: None,
        title: one_line.chars().take(TITLE_MAX_CHARS).collect(),
        body: texts.join("\n"),
        category: (!row.path.is_empty()).then(|| row.path.join("/")),
        team: Some(row.team.clone()).filter(|t| !t.is_empty()),
        priority: if row.priority.is_empty() { Priority::Normal } else { parse_priority(row.priority).unwrap() },
        summary: String::new(),
        status: TicketStatus::Open,
        created_at: NOW,
        updated_at: NOW,
        attributes,
    };
    ParsedTicket { ticket, path: row.path.clone(), line: i as u64 + 2 }
}

// ---- taxonomy, teams, knowledge ----

/// Taxonomy nodes, parents before children: each node's parent is an earlier node or none.
fn taxonomy() -> impl Strategy<Value = Vec<TaxonomyNode>> {
    let node = (any::<prop::sample::Index>(), any::<bool>(), text(8), maybe(text(8)), prop::option::of(word()));
    prop::collection::vec(node, 1..12).prop_map(|raw| {
        let mut nodes: Vec<TaxonomyNode> = Vec::new();
        for (i, (parent, root, name_zh, name_en, team)) in raw.into_iter().enumerate() {
            let parent = (!root && i > 0).then(|| parent.index(i));
            nodes.push(TaxonomyNode {
                code: format!("N{i}"),
                parent: parent.map(|p| nodes[p].code.clone()),
                name_zh,
                name_en,
                depth: parent.map_or(1, |p| nodes[p].depth + 1),
                team,
            });
        }
        nodes
    })
}

fn tree_json(nodes: &[TaxonomyNode], parent: Option<&str>) -> Value {
    let children: Vec<Value> = nodes
        .iter()
        .filter(|n| n.parent.as_deref() == parent)
        .map(|n| {
            json!({"code": n.code, "name_zh": n.name_zh, "name_en": n.name_en, "team": n.team,
                   "children": tree_json(nodes, Some(&n.code))})
        })
        .collect();
    Value::Array(children)
}

fn preorder<'a>(nodes: &'a [TaxonomyNode], parent: Option<&str>, out: &mut Vec<&'a TaxonomyNode>) {
    for node in nodes.iter().filter(|n| n.parent.as_deref() == parent) {
        out.push(node);
        preorder(nodes, Some(&node.code), out);
    }
}

/// An entry of a `|`-separated list.
fn list_entry() -> impl Strategy<Value = String> {
    text(10).prop_filter_map("no separator", |s| {
        let t = s.replace('|', "").trim().to_string();
        (!t.is_empty()).then_some(t)
    })
}

fn item(
    key: String,
    title: String,
    category: Option<String>,
    language: Option<String>,
    tags: Vec<String>,
    body: KnowledgeBody,
) -> KnowledgeItem {
    let kind = match body {
        KnowledgeBody::Faq { .. } => KnowledgeKind::Faq,
        KnowledgeBody::Flow(_) => KnowledgeKind::Flow,
        KnowledgeBody::Article { .. } => KnowledgeKind::Article,
    };
    KnowledgeItem {
        id: knowledge_id(kind, &key),
        key,
        title,
        category,
        language,
        tags,
        version: 1,
        updated_at: NOW,
        updated_by: IMPORT_USER.into(),
        body,
    }
}

/// A valid flow: steps `s1`…`sn`, each leading to a later one (an ask to up to three), then `end`.
fn flow() -> impl Strategy<Value = GuidedFlow> {
    let step = (
        prop::sample::select(vec![FlowStepKind::Say, FlowStepKind::Action, FlowStepKind::Ask]),
        text(20),
        prop::collection::vec((text(8), any::<prop::sample::Index>()), 1..4),
    );
    (prop::collection::vec(step, 0..5), maybe(text(30))).prop_map(|(raw, description)| {
        let n = raw.len();
        let later = |i: usize, pick: &prop::sample::Index| match pick.index(n - i) {
            0 => "end".to_string(),
            j => format!("s{}", i + 1 + j),
        };
        let mut steps: Vec<FlowStep> = raw
            .iter()
            .enumerate()
            .map(|(i, (kind, text, options))| {
                let ask = *kind == FlowStepKind::Ask;
                FlowStep {
                    id: format!("s{}", i + 1),
                    kind: *kind,
                    text: text.clone(),
                    options: if ask {
                        options
                            .iter()
                            .map(|(label, pick)| FlowOption { label: label.clone(), next: later(i, pick), cues: Vec::new() })
                            .collect()
                    } else {
                        Vec::new()
                    },
                    next: (!ask).then(|| later(i, &options[0].1)),
                    action: None,
                    cues: Vec::new(),
                }
            })
            .collect();
        steps.push(FlowStep {
            id: "end".into(),
            kind: FlowStepKind::End,
            text: "再见".into(),
            options: Vec::new(),
            next: None,
            action: None,
            cues: Vec::new(),
        });
        GuidedFlow { description, start: steps[0].id.clone(), steps, required: Vec::new() }
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn jsonl_records_round_trip(
        records in prop::collection::vec(conversation(), 1..5),
        separator in prop::sample::select(vec!["\n", "\r\n", "\n\n"]),
    ) {
        let mut expected = records;
        let mut lines = Vec::new();
        for (i, c) in expected.iter_mut().enumerate() {
            c.external_id = format!("{}-{i}", c.external_id);
            c.source = "crm".into();
            c.id = record_id(CONVERSATION, "crm", &c.external_id);
            // The native line is the record without what the importer decides: its id and source.
            let mut line = serde_json::to_value(&*c).unwrap();
            let fields = line.as_object_mut().unwrap();
            fields.remove("id");
            fields.remove("source");
            lines.push(line.to_string());
        }
        let bytes = lines.join(separator);
        let parsed = conversations_jsonl(&ctx("c.jsonl"), bytes.as_bytes(), "crm").unwrap();
        prop_assert_eq!(&parsed, &expected);
        prop_assert_eq!(conversations_jsonl(&ctx("other.jsonl"), bytes.as_bytes(), "crm").unwrap(), parsed);
    }

    #[test]
    fn jsonl_without_ids_gets_the_same_ids_again(
        records in prop::collection::vec(conversation(), 1..5),
        repeat in any::<prop::sample::Index>(),
    ) {
        let mut lines: Vec<String> = records
            .iter()
            .map(|c| {
                let mut line = serde_json::to_value(c).unwrap();
                for field in ["id", "source", "external_id"] {
                    line.as_object_mut().unwrap().remove(field);
                }
                line.to_string()
            })
            .collect();
        lines.push(lines[repeat.index(lines.len())].clone());
        let bytes = lines.join("\n");
        let first = conversations_jsonl(&ctx("c.jsonl"), bytes.as_bytes(), "crm").unwrap();
        prop_assert_eq!(&first, &conversations_jsonl(&ctx("c.jsonl"), bytes.as_bytes(), "crm").unwrap());
        let mut ids: Vec<&str> = first.iter().map(|c| c.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        prop_assert_eq!(ids.len(), lines.len(), "a repeated line gets an id of its own");
    }

    #[test]
    fn stc3_dialogues_give_their_turns(
        dialogues in prop::collection::vec(
            prop::collection::vec((any::<bool>(), prop::collection::vec(prop_oneof![Just(String::new()), text(20)], 1..3)), 1..5),
            1..5,
        ),
    ) {
        // Every dialogue has a turn with text; turns with none are left out.
        prop_assume!(dialogues.iter().all(|d| d.iter().any(|(_, u)| u.iter().any(|u| !u.is_empty()))));
        let json: Vec<Value> = dialogues
            .iter()
            .enumerate()
            .map(|(i, turns)| {
                let turns: Vec<Value> = turns
                    .iter()
                    .map(|(customer, utterances)| {
                        json!({"sender": if *customer { "customer" } else { "helpdesk" }, "utterances": utterances})
                    })
                    .collect();
                json!({"id": format!("{}", 4000 + i), "turns": turns})
            })
            .collect();
        let han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let chinese = dialogues.iter().filter(|d| d.iter().flat_map(|(_, u)| u).any(|u| han(u))).count();
        let language = if chinese * 2 > dialogues.len() { "zh" } else { "en" };
        let parsed = conversations_stc3(&ctx("s.json"), &serde_json::to_vec(&json).unwrap()).unwrap();
        prop_assert_eq!(parsed.len(), dialogues.len());
        for (i, (c, turns)) in parsed.iter().zip(&dialogues).enumerate() {
            let external_id = format!("{language}:{}", 4000 + i);
            prop_assert_eq!(&c.id, &record_id(CONVERSATION, STC3_SOURCE, &external_id));
            prop_assert_eq!(&c.external_id, &external_id);
            prop_assert_eq!(c.language.as_deref(), Some(language));
            let expected: Vec<(Speaker, String)> = turns
                .iter()
                .filter(|(_, u)| u.iter().any(|u| !u.is_empty()))
                .map(|(customer, u)| {
                    let speaker = if *customer { Speaker::Customer } else { Speaker::Agent };
                    (speaker, u.iter().filter(|u| !u.is_empty()).cloned().collect::<Vec<_>>().join("\n"))
                })
                .collect();
            let got: Vec<(Speaker, String)> = c.turns.iter().map(|t| (t.speaker, t.text.clone())).collect();
            prop_assert_eq!(got, expected);
        }
    }

    #[test]
    fn srt_and_vtt_give_the_generated_turns(cues in cues(KNOWN), voice_tags in any::<bool>()) {
        let map = SpeakerMap::default();
        let got = conversation_srt(&ctx("call.srt"), srt(&cues).as_bytes(), &map, None).unwrap();
        prop_assert_eq!(got, expected_asr(&cues, "call.srt", known));
        let got = conversation_vtt(&ctx("call.vtt"), vtt(&cues, voice_tags).as_bytes(), &map, Some("C-1")).unwrap();
        prop_assert_eq!(got, expected_asr(&cues, "C-1", known));
    }

    #[test]
    fn unknown_labels_follow_the_agent_speaker(cues in cues(OTHER_LABELS), voice_tags in any::<bool>()) {
        // The first label in the file is named the agent; every other label is the customer.
        let agent = cues[0].label;
        let map = SpeakerMap { agent_speaker: Some(agent.into()), agent_channel: 0 };
        let speaker = |label: &str| if label == agent { Speaker::Agent } else { Speaker::Customer };
        let got = conversation_srt(&ctx("call.srt"), srt(&cues).as_bytes(), &map, None).unwrap();
        prop_assert_eq!(got, expected_asr(&cues, "call.srt", speaker));
        let got = conversation_vtt(&ctx("call.vtt"), vtt(&cues, voice_tags).as_bytes(), &map, None).unwrap();
        prop_assert_eq!(got, expected_asr(&cues, "call.vtt", speaker));
    }

    #[test]
    fn asr_csv_and_json_give_the_generated_turns(cues in cues(KNOWN)) {
        let secs = |ms: i64| format!("{}.{:03}", ms / 1000, ms % 1000);
        let rows: Vec<Vec<String>> = cues
            .iter()
            .map(|c| vec![secs(c.start_ms), secs(c.end_ms), c.label.to_string(), c.lines.join("\n")])
            .collect();
        let bytes = csv_bytes(&["start", "end", "speaker", "text"], &rows);
        let got = conversation_asr_csv(&ctx("call.csv"), &bytes, &SpeakerMap::default(), None).unwrap();
        prop_assert_eq!(got, expected_asr(&cues, "call.csv", known));

        let segments: Vec<Value> = cues
            .iter()
            .map(|c| json!({"start_ms": c.start_ms, "end_ms": c.end_ms, "speaker": c.label, "text": c.lines.join("\n")}))
            .collect();
        let bytes = serde_json::to_vec(&json!({ "segments": segments })).unwrap();
        let got = conversation_asr_json(&ctx("call.json"), &bytes, &SpeakerMap::default(), None).unwrap();
        prop_assert_eq!(got, expected_asr(&cues, "call.json", known));
    }

    #[test]
    fn tickets_csv_gives_the_generated_tickets(rows in prop::collection::vec(ticket_row(), 1..8)) {
        let header = ["id", "title", "body", "l1", "l2", "l3", "priority", "team", "note"];
        let cells: Vec<Vec<String>> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let level = |l: usize| r.path.get(l).cloned().unwrap_or_default();
                let texts = [r.title.clone(), r.body.clone()];
                let rest = [r.priority.to_string(), r.team.clone(), r.note.clone()];
                [vec![format!("T-{i}")], texts.to_vec(), vec![level(0), level(1), level(2)], rest.to_vec()].concat()
            })
            .collect();
        let columns = TicketColumns {
            text: vec!["title".into(), "body".into()],
            labels: vec!["l1".into(), "l2".into(), "l3".into()],
            id: Some("id".into()),
            priority: Some("priority".into()),
            team: Some("team".into()),
            conversation: None,
        };
        let bytes = csv_bytes(&header, &cells);
        let parsed = tickets_csv(&ctx("t.csv"), &bytes, &columns, "crm").unwrap();
        let expected: Vec<ParsedTicket> = rows.iter().enumerate().map(|(i, r)| expected_ticket(i, r)).collect();
        prop_assert_eq!(parsed, expected);
    }

    #[test]
    fn taxonomy_json_and_csv_of_nodes_give_the_generated_tree(nodes in taxonomy()) {
        let bytes = serde_json::to_vec(&tree_json(&nodes, None)).unwrap();
        let parsed = taxonomy_json(&ctx("t.json"), &bytes).unwrap();
        let mut expected = Vec::new();
        preorder(&nodes, None, &mut expected);
        prop_assert_eq!(parsed.nodes.iter().collect::<Vec<_>>(), expected);

        let rows: Vec<Vec<String>> = nodes
            .iter()
            .map(|n| {
                let (parent, team) = (n.parent.clone().unwrap_or_default(), n.team.clone().unwrap_or_default());
                vec![n.code.clone(), parent, n.name_zh.clone(), n.name_en.clone(), team]
            })
            .collect();
        let parsed = taxonomy_csv(&ctx("t.csv"), &csv_bytes(&["code", "parent", "name_zh", "name_en", "team"], &rows)).unwrap();
        prop_assert!(parsed.external_parents.is_empty());
        prop_assert_eq!(parsed.nodes, nodes);
    }

    #[test]
    fn teams_csv_gives_the_generated_teams(
        raw in prop::collection::vec((text(10), maybe(text(10)), any::<bool>(), any::<bool>()), 1..6),
    ) {
        let teams: Vec<Team> = raw
            .iter()
            .enumerate()
            .map(|(i, (zh, en, dispatch, _))| {
                Team { code: format!("T{i}"), name_zh: zh.clone(), name_en: en.clone(), dispatch: *dispatch }
            })
            .collect();
        let rows: Vec<Vec<String>> = teams
            .iter()
            .zip(&raw)
            .map(|(t, (.., upper))| {
                let dispatch = if *upper { t.dispatch.to_string().to_uppercase() } else { t.dispatch.to_string() };
                vec![t.code.clone(), t.name_zh.clone(), t.name_en.clone(), dispatch]
            })
            .collect();
        let parsed = teams_csv(&ctx("teams.csv"), &csv_bytes(&["code", "name_zh", "name_en", "dispatch"], &rows)).unwrap();
        prop_assert_eq!(parsed, teams);
    }

    #[test]
    fn faqs_csv_gives_the_generated_faqs(
        raw in prop::collection::vec(
            (
                text(20),
                prop::collection::vec(list_entry(), 0..3),
                text(40),
                prop::option::of(word()),
                prop::option::of(word()),
                prop::collection::vec(list_entry(), 0..3),
            ),
            1..6,
        ),
    ) {
        let rows: Vec<Vec<String>> = raw
            .iter()
            .enumerate()
            .map(|(i, (q, alternates, a, category, language, tags))| {
                let (category, language) = (category.clone().unwrap_or_default(), language.clone().unwrap_or_default());
                vec![format!("F-{i}"), q.clone(), alternates.join("|"), a.clone(), category, language, tags.join(" | ")]
            })
            .collect();
        let bytes = csv_bytes(&["id", "question", "alternates", "answer", "category", "language", "tags"], &rows);
        let parsed = faqs_csv(&ctx("faq.csv"), &bytes).unwrap();
        let expected: Vec<KnowledgeItem> = raw
            .into_iter()
            .enumerate()
            .map(|(i, (q, alternates, answer, category, language, tags))| {
                let questions = std::iter::once(q.clone()).chain(alternates).collect();
                item(format!("F-{i}"), q, category, language, tags, KnowledgeBody::Faq { questions, answer })
            })
            .collect();
        prop_assert_eq!(parsed, expected);
    }

    #[test]
    fn flows_json_gives_the_generated_flows(
        raw in prop::collection::vec((text(20), flow(), prop::option::of(word()), prop::collection::vec(word(), 0..3)), 1..4),
    ) {
        let expected: Vec<KnowledgeItem> = raw
            .into_iter()
            .enumerate()
            .map(|(i, (title, flow, category, tags))| {
                item(format!("flow-{i}"), title, category, None, tags, KnowledgeBody::Flow(flow))
            })
            .collect();
        let objects: Vec<Value> = expected
            .iter()
            .map(|item| {
                let KnowledgeBody::Flow(flow) = &item.body else { unreachable!() };
                json!({"key": item.key, "title": item.title, "category": item.category, "tags": item.tags,
                       "description": flow.description, "start": flow.start, "steps": flow.steps})
            })
            .collect();
        let bytes = serde_json::to_vec_pretty(&objects).unwrap();
        prop_assert_eq!(flows_json(&ctx("flows.json"), &bytes).unwrap(), expected.clone());
        // One flow may stand alone, without the array.
        let one = serde_json::to_vec(&objects[0]).unwrap();
        prop_assert_eq!(flows_json(&ctx("flows.json"), &one).unwrap(), vec![expected[0].clone()]);
    }

    #[test]
    fn markdown_titles_come_from_the_first_heading(heading in text(30), body in prop::collection::vec(cue_line(), 0..4)) {
        let heading = heading.trim_end_matches('#').trim().to_string();
        prop_assume!(!heading.is_empty());
        let markdown = format!("```\n# in a fence\n```\n\n# {heading}\n\n{}\n", body.join("\n"));
        let article = seatmate_ingest::article_markdown(&ctx("a.md"), "kb/a.md", markdown.as_bytes()).unwrap();
        prop_assert_eq!(article, item("kb/a".into(), heading, None, None, Vec::new(), KnowledgeBody::Article { markdown }));
    }
}
