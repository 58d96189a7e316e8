//! Conversations: the native JSONL format and the STC-3 DCH-1 helpdesk dialogues.

use std::collections::BTreeMap;

use seatmate_core::{Channel, Conversation, Speaker, Turn};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::common::{check_text, from_json, parse_time, record_id, ContentIds, Context, ImportError, SeenIds};

/// Record kind used in conversation ids.
pub const CONVERSATION: &str = "conversation";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LineIn {
    external_id: Option<String>,
    channel: Channel,
    queue: Option<String>,
    agent: Option<String>,
    customer_id: Option<String>,
    language: Option<String>,
    started_at: Option<Value>,
    ended_at: Option<Value>,
    audio_ref: Option<String>,
    #[serde(default)]
    attributes: Map<String, Value>,
    turns: Vec<TurnIn>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TurnIn {
    speaker: Speaker,
    text: String,
    start_ms: Option<i64>,
    end_ms: Option<i64>,
    audio_ref: Option<String>,
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Native JSONL: one conversation per line (blank lines are skipped). See `docs/formats.md`.
pub fn conversations_jsonl(ctx: &Context<'_>, bytes: &[u8], source: &str) -> Result<Vec<Conversation>, ImportError> {
    let text = check_text(ctx, bytes)?;
    let mut hashes = ContentIds::default();
    let mut seen = SeenIds::default();
    let mut out = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let (line_no, raw) = (i as u64 + 1, raw.trim());
        if raw.is_empty() {
            continue;
        }
        let err = |field: &str, msg: String| ctx.err(Some(line_no), Some(field), msg);
        let line: LineIn = from_json(ctx, raw, i as u64)?;
        let external_id = match line.external_id {
            Some(id) if id.trim().is_empty() => return Err(err("external_id", "is blank; leave it out to derive one".into())),
            Some(id) => id.trim().to_string(),
            None => hashes.next(raw),
        };
        seen.check(&external_id, format!("line {line_no}")).map_err(|m| err("external_id", m))?;
        let started_at = match &line.started_at {
            Some(v) => parse_time(v).map_err(|m| err("started_at", m))?,
            None => ctx.now,
        };
        let ended_at = line.ended_at.as_ref().map(parse_time).transpose().map_err(|m| err("ended_at", m))?;
        if ended_at.is_some_and(|end| end < started_at) {
            return Err(err("ended_at", "is before `started_at`".into()));
        }
        if line.turns.is_empty() {
            return Err(err("turns", "expected at least one turn".into()));
        }
        let mut turns = Vec::with_capacity(line.turns.len());
        for (t, turn) in line.turns.into_iter().enumerate() {
            let field = |name: &str| format!("turns[{t}].{name}");
            if turn.text.trim().is_empty() {
                return Err(err(&field("text"), "is blank".into()));
            }
            for (name, ms) in [("start_ms", turn.start_ms), ("end_ms", turn.end_ms)] {
                if ms.is_some_and(|ms| ms < 0) {
                    return Err(err(&field(name), format!("{} is negative", ms.unwrap_or_default())));
                }
            }
            if let (Some(start), Some(end)) = (turn.start_ms, turn.end_ms) {
                if end < start {
                    return Err(err(&field("end_ms"), format!("{end} is before `start_ms` {start}")));
                }
            }
            turns.push(Turn {
                speaker: turn.speaker,
                text: turn.text.trim().to_string(),
                start_ms: turn.start_ms,
                end_ms: turn.end_ms,
                audio_ref: non_empty(turn.audio_ref),
            });
        }
        out.push(Conversation {
            id: record_id(CONVERSATION, source, &external_id),
            external_id,
            source: source.to_string(),
            channel: line.channel,
            queue: non_empty(line.queue),
            agent: non_empty(line.agent),
            customer_id: non_empty(line.customer_id),
            language: non_empty(line.language),
            started_at,
            ended_at,
            audio_ref: non_empty(line.audio_ref),
            attributes: line.attributes,
            turns,
        });
    }
    Ok(out)
}

/// Source name of STC-3 imports.
pub const STC3_SOURCE: &str = "stc3";

#[derive(Deserialize)]
struct Stc3Dialogue {
    id: String,
    turns: Vec<Stc3Turn>,
    #[serde(default)]
    annotations: Vec<Stc3Annotation>,
}

#[derive(Deserialize)]
struct Stc3Turn {
    sender: Stc3Sender,
    utterances: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Stc3Sender {
    Customer,
    Helpdesk,
}

#[derive(Deserialize)]
struct Stc3Annotation {
    quality: Stc3Quality,
    #[serde(default)]
    nugget: Vec<String>,
}

#[derive(Deserialize)]
#[allow(non_snake_case)]
struct Stc3Quality {
    A: f64,
    S: f64,
    E: f64,
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// STC-3 DCH-1 (`train_data_cn.json` / `train_data_en.json`): a JSON array of helpdesk dialogues.
///
/// Each dialogue becomes a chat conversation with source `stc3`. The Chinese and English files share
/// dialogue ids, so the external id is `<language>:<id>` (language `zh` or `en`, detected per file).
/// Utterances of a turn are joined with newlines; turns with no text (uncrawled emoji and photos)
/// are left out. Attributes: `stc3_id`, `annotators`, `quality` (mean `A`, `S`, `E`, 3 decimals) and
/// `nuggets` (each kept turn's most frequent nugget label).
pub fn conversations_stc3(ctx: &Context<'_>, bytes: &[u8]) -> Result<Vec<Conversation>, ImportError> {
    let text = check_text(ctx, bytes)?;
    let dialogues: Vec<Stc3Dialogue> = from_json(ctx, text, 0)?;
    let cjk = dialogues.iter().filter(|d| d.turns.iter().flat_map(|t| &t.utterances).any(|u| has_cjk(u))).count();
    let language = if cjk * 2 > dialogues.len() { "zh" } else { "en" };
    let mut seen = SeenIds::default();
    let mut out = Vec::with_capacity(dialogues.len());
    for (i, d) in dialogues.into_iter().enumerate() {
        let field = format!("[{i}]");
        let external_id = format!("{language}:{}", d.id.trim());
        seen.check(&external_id, field.clone()).map_err(|m| ctx.err(None, Some(&format!("{field}.id")), m))?;
        let mut turns = Vec::new();
        let mut nuggets = Vec::new();
        for (t, turn) in d.turns.iter().enumerate() {
            let parts: Vec<&str> = turn.utterances.iter().map(|u| u.trim()).filter(|u| !u.is_empty()).collect();
            if parts.is_empty() {
                continue;
            }
            let speaker = match turn.sender {
                Stc3Sender::Customer => Speaker::Customer,
                Stc3Sender::Helpdesk => Speaker::Agent,
            };
            turns.push(Turn { speaker, text: parts.join("\n"), start_ms: None, end_ms: None, audio_ref: None });
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for label in d.annotations.iter().filter_map(|a| a.nugget.get(t)) {
                *counts.entry(label.as_str()).or_default() += 1;
            }
            // Most frequent label; ties go to the alphabetically first.
            let top = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(l, _)| *l);
            nuggets.push(top.map_or(Value::Null, |l| Value::String(l.to_string())));
        }
        if turns.is_empty() {
            return Err(ctx.err(None, Some(&field), format!("dialogue {:?} has no text in any turn", d.id)));
        }
        let mut attributes = Map::new();
        attributes.insert("stc3_id".into(), json!(d.id));
        if !d.annotations.is_empty() {
            let n = d.annotations.len() as f64;
            let mean = |f: fn(&Stc3Quality) -> f64| {
                (d.annotations.iter().map(|a| f(&a.quality)).sum::<f64>() / n * 1000.0).round() / 1000.0
            };
            attributes.insert("annotators".into(), json!(d.annotations.len()));
            attributes.insert("quality".into(), json!({"A": mean(|q| q.A), "S": mean(|q| q.S), "E": mean(|q| q.E)}));
            attributes.insert("nuggets".into(), Value::Array(nuggets));
        }
        out.push(Conversation {
            id: record_id(CONVERSATION, STC3_SOURCE, &external_id),
            external_id,
            source: STC3_SOURCE.into(),
            channel: Channel::Chat,
            queue: None,
            agent: None,
            customer_id: None,
            language: Some(language.into()),
            started_at: ctx.now,
            ended_at: None,
            audio_ref: None,
            attributes,
            turns,
        });
    }
    Ok(out)
}
