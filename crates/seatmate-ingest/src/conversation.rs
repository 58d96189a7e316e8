//! Conversations: the native JSONL format and the STC-3 DCH-1 helpdesk dialogues.

use std::collections::BTreeMap;
use std::io::{BufRead, Seek};

use seatmate_core::{Channel, Conversation, Speaker, Turn};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::common::{
    from_json, json_message, parse_time, record_id, CheckedText, ContentIds, Context, Emit, ImportError, SeenIds,
};

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
    let mut out = Vec::new();
    read_conversations_jsonl(ctx, bytes, source, &mut |c| {
        out.push(c);
        Ok(())
    })?;
    Ok(out)
}

/// [`conversations_jsonl`] streamed: each conversation goes to `emit` as soon as its line is read,
/// so memory holds one line at a time. Returns how many were read.
pub fn read_conversations_jsonl(
    ctx: &Context<'_>,
    input: impl BufRead,
    source: &str,
    emit: Emit<'_, Conversation>,
) -> Result<u64, ImportError> {
    let mut input = CheckedText::new(ctx, input);
    let mut hashes = ContentIds::default();
    let mut seen = SeenIds::default();
    let mut read = 0;
    while let Some((line_no, raw)) = input.next_line()? {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let err = |field: &str, msg: String| ctx.err(Some(line_no), Some(field), msg);
        let line: LineIn = from_json(ctx, raw, line_no - 1)?;
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
        read += 1;
        emit(Conversation {
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
        })?;
    }
    if input.blank_so_far() {
        return Err(input.empty_error());
    }
    Ok(read)
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
    let mut out = Vec::new();
    read_conversations_stc3(ctx, std::io::Cursor::new(bytes), &mut |c| {
        out.push(c);
        Ok(())
    })?;
    Ok(out)
}

/// [`conversations_stc3`] streamed: memory holds one dialogue at a time. The file is read twice:
/// first to tell its language (most dialogues with Chinese characters: `zh`), then to convert.
pub fn read_conversations_stc3(
    ctx: &Context<'_>,
    mut input: impl BufRead + Seek,
    emit: Emit<'_, Conversation>,
) -> Result<u64, ImportError> {
    let (mut total, mut cjk) = (0_usize, 0_usize);
    each_dialogue(ctx, &mut input, &mut |_, d| {
        total += 1;
        cjk += usize::from(d.turns.iter().flat_map(|t| &t.utterances).any(|u| has_cjk(u)));
        Ok(())
    })?;
    let language = if cjk * 2 > total { "zh" } else { "en" };
    input.rewind().map_err(|e| ctx.err(None, None, format!("cannot read the file again: {e}")))?;
    let mut seen = SeenIds::default();
    let mut read = 0;
    each_dialogue(ctx, &mut input, &mut |i, d| {
        read += 1;
        emit(stc3_conversation(ctx, language, &mut seen, i, d)?)
    })?;
    Ok(read)
}

/// Reads the JSON array of dialogues one element at a time, naming the failing field
/// (`[3].turns[0].sender`) and its line.
fn each_dialogue(
    ctx: &Context<'_>,
    input: impl BufRead,
    each: &mut dyn FnMut(usize, Stc3Dialogue) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    struct Elements<'f> {
        each: &'f mut dyn FnMut(usize, Stc3Dialogue) -> Result<(), ImportError>,
        failed: Option<ImportError>,
    }
    impl<'de> serde::de::Visitor<'de> for &mut Elements<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON array of dialogues")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut i = 0;
            while let Some(dialogue) = seq.next_element::<Stc3Dialogue>()? {
                if let Err(e) = (self.each)(i, dialogue) {
                    self.failed = Some(e);
                    return Err(serde::de::Error::custom("stopped"));
                }
                i += 1;
            }
            Ok(())
        }
    }
    let mut input = CheckedText::new(ctx, input);
    let mut elements = Elements { each, failed: None };
    let mut track = serde_path_to_error::Track::new();
    let mut de = serde_json::Deserializer::from_reader(&mut input);
    let result = serde::Deserializer::deserialize_seq(serde_path_to_error::Deserializer::new(&mut de, &mut track), &mut elements)
        .and_then(|()| de.end());
    if let Some(failed) = elements.failed {
        return Err(failed);
    }
    result.map_err(|e| {
        let path = track.path().to_string();
        let mut msg = json_message(&e);
        if e.is_eof() {
            msg.push_str(" (the JSON ends too early: is the record truncated?)");
        }
        let line = (e.line() > 0).then_some(e.line() as u64);
        input.explain(ctx.err(line, (path != "." && !path.is_empty()).then_some(path.as_str()), msg))
    })
}

/// One STC-3 dialogue as a conversation; `i` is its place in the file.
fn stc3_conversation(
    ctx: &Context<'_>,
    language: &str,
    seen: &mut SeenIds,
    i: usize,
    d: Stc3Dialogue,
) -> Result<Conversation, ImportError> {
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
        let mean =
            |f: fn(&Stc3Quality) -> f64| (d.annotations.iter().map(|a| f(&a.quality)).sum::<f64>() / n * 1000.0).round() / 1000.0;
        attributes.insert("annotators".into(), json!(d.annotations.len()));
        attributes.insert("quality".into(), json!({"A": mean(|q| q.A), "S": mean(|q| q.S), "E": mean(|q| q.E)}));
        attributes.insert("nuggets".into(), Value::Array(nuggets));
    }
    Ok(Conversation {
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
    })
}
