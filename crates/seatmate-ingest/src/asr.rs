//! Conversations from speech recognition output, one call per file: JSON segments, SRT, WebVTT, CSV.

use seatmate_core::{Channel, Conversation, Speaker, Turn};
use serde::Deserialize;

use crate::common::{cell, check_text, from_json, record_id, secs_to_ms, Context, ImportError, Table};
use crate::conversation::CONVERSATION;

/// Source name of ASR imports.
pub const ASR_SOURCE: &str = "asr";

/// How speaker labels and stereo channels map to agent and customer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpeakerMap {
    /// The label of the agent when the labels are not recognised (`--agent-speaker`); every other
    /// unrecognised label is the customer. Without it, the first unrecognised label heard is the agent.
    pub agent_speaker: Option<String>,
    /// The agent's channel in stereo sources (`--agent-channel`, default 0).
    pub agent_channel: u32,
}

/// Who spoke a segment, as the source says it.
#[derive(Clone, Debug, PartialEq)]
enum Who {
    Label(String),
    Channel(u32),
}

/// One recognised segment, before speakers are resolved.
struct Segment {
    start_ms: i64,
    end_ms: i64,
    who: Who,
    text: String,
}

/// The labels every source may use for agent and customer (Simplified and Traditional Chinese).
fn known_label(label: &str) -> Option<Speaker> {
    match label.trim().to_lowercase().as_str() {
        "agent" | "坐席" | "客服" => Some(Speaker::Agent),
        "customer" | "客户" | "客戶" | "用户" | "用戶" => Some(Speaker::Customer),
        _ => None,
    }
}

/// Resolves speakers, orders the segments by start and builds the conversation.
fn build(
    ctx: &Context<'_>,
    mut segs: Vec<Segment>,
    map: &SpeakerMap,
    external_id: Option<&str>,
    language: Option<String>,
) -> Result<Conversation, ImportError> {
    segs.retain(|s| !s.text.trim().is_empty());
    if segs.is_empty() {
        return Err(ctx.err(None, None, "no segment has any text"));
    }
    segs.sort_by_key(|s| s.start_ms);
    let labels = || segs.iter().filter_map(|s| if let Who::Label(l) = &s.who { Some(l.trim()) } else { None });
    let unknown_agent = match &map.agent_speaker {
        Some(agent) => {
            let agent = agent.trim();
            if labels().next().is_some() && !labels().any(|l| l.eq_ignore_ascii_case(agent)) {
                let mut all: Vec<&str> = labels().collect();
                all.sort_unstable();
                all.dedup();
                let msg = format!("the agent speaker {agent:?} is not in the file; its speakers are: {}", all.join(", "));
                return Err(ctx.err(None, Some("speaker"), msg));
            }
            Some(agent.to_string())
        }
        None if labels().any(|l| known_label(l) == Some(Speaker::Agent)) => None,
        None => labels().find(|l| known_label(l).is_none()).map(str::to_string),
    };
    let turns = segs
        .into_iter()
        .map(|s| {
            let speaker = match &s.who {
                Who::Label(l) => known_label(l).unwrap_or_else(|| {
                    if unknown_agent.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(l.trim())) {
                        Speaker::Agent
                    } else {
                        Speaker::Customer
                    }
                }),
                Who::Channel(c) if *c == map.agent_channel => Speaker::Agent,
                Who::Channel(_) => Speaker::Customer,
            };
            Turn { speaker, text: s.text.trim().to_string(), start_ms: Some(s.start_ms), end_ms: Some(s.end_ms), audio_ref: None }
        })
        .collect::<Vec<_>>();
    let external_id = external_id.map_or(ctx.file, str::trim).to_string();
    let duration = turns.iter().filter_map(|t| t.end_ms).max().unwrap_or(0);
    Ok(Conversation {
        id: record_id(CONVERSATION, ASR_SOURCE, &external_id),
        external_id,
        source: ASR_SOURCE.into(),
        channel: Channel::Voice,
        queue: None,
        agent: None,
        customer_id: None,
        language,
        started_at: ctx.now,
        ended_at: Some(ctx.now + duration),
        audio_ref: None,
        attributes: Default::default(),
        turns,
    })
}

fn check_span(start_ms: i64, end_ms: i64) -> Result<(), String> {
    if start_ms < 0 {
        Err(format!("start {start_ms} ms is negative"))
    } else if end_ms < start_ms {
        Err(format!("end ({end_ms} ms) is before start ({start_ms} ms)"))
    } else {
        Ok(())
    }
}

// ---- JSON segments ----

#[derive(Deserialize)]
#[serde(untagged)]
enum LabelIn {
    Text(String),
    Number(i64),
}

#[derive(Deserialize)]
struct RawSegment {
    start: Option<f64>,
    end: Option<f64>,
    start_ms: Option<i64>,
    end_ms: Option<i64>,
    speaker: Option<LabelIn>,
    channel: Option<u32>,
    #[serde(default)]
    text: String,
}

/// Checked inside deserialisation, so errors carry the segment's line and path.
#[derive(Deserialize)]
#[serde(try_from = "RawSegment")]
struct JsonSegment(Segment);

impl TryFrom<RawSegment> for JsonSegment {
    type Error = String;
    fn try_from(r: RawSegment) -> Result<Self, String> {
        let start_ms = r.start_ms.or(r.start.map(secs_to_ms));
        let end_ms = r.end_ms.or(r.end.map(secs_to_ms));
        let (Some(start_ms), Some(end_ms)) = (start_ms, end_ms) else {
            return Err("segment needs `start` and `end` (seconds) or `start_ms` and `end_ms`".into());
        };
        check_span(start_ms, end_ms)?;
        let who = match (r.speaker, r.channel) {
            (Some(LabelIn::Text(l)), _) if !l.trim().is_empty() => Who::Label(l),
            (Some(LabelIn::Number(n)), _) => Who::Label(n.to_string()),
            (_, Some(c)) => Who::Channel(c),
            _ => return Err("segment has neither `speaker` nor `channel`".into()),
        };
        Ok(JsonSegment(Segment { start_ms, end_ms, who, text: r.text }))
    }
}

#[derive(Deserialize)]
struct JsonDoc {
    segments: Vec<JsonSegment>,
    language: Option<String>,
}

/// ASR JSON: `{"segments":[…]}` (a top-level `language` is kept) or a bare array of segments.
pub fn conversation_asr_json(
    ctx: &Context<'_>,
    bytes: &[u8],
    map: &SpeakerMap,
    external_id: Option<&str>,
) -> Result<Conversation, ImportError> {
    let text = check_text(ctx, bytes)?;
    let doc = if text.trim_start().starts_with('[') {
        JsonDoc { segments: from_json(ctx, text, 0)?, language: None }
    } else {
        from_json(ctx, text, 0)?
    };
    let language = doc.language.map(|l| l.trim().to_string()).filter(|l| !l.is_empty());
    build(ctx, doc.segments.into_iter().map(|s| s.0).collect(), map, external_id, language)
}

// ---- SRT and WebVTT ----

/// `hh:mm:ss,mmm`, `hh:mm:ss.mmm` or `mm:ss.mmm` to milliseconds.
fn parse_timestamp(s: &str) -> Option<i64> {
    let (hms, frac) = s.trim().split_once([',', '.'])?;
    if frac.len() != 3 || !frac.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let parts: Vec<&str> = hms.split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let nums: Vec<i64> = parts.iter().map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let (h, m, sec) = match nums[..] {
        [h, m, s] => (h, m, s),
        [m, s] => (0, m, s),
        _ => return None,
    };
    (m < 60 && sec < 60).then(|| ((h * 60 + m) * 60 + sec) * 1000 + frac.parse::<i64>().unwrap_or(0))
}

/// Splits cue text into its speaker (a `<v Name>` voice tag or a `Name:` / `Name：` prefix) and its
/// plain text (tags removed, basic entities decoded).
fn speaker_and_text(raw: &str) -> (Option<String>, String) {
    let mut voice = None;
    let mut plain = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(open) = rest.find('<') {
        plain.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            plain.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        if voice.is_none() && (tag.starts_with("v ") || tag.starts_with("v.")) {
            voice = tag.split_once(' ').map(|(_, name)| name.trim().to_string()).filter(|n| !n.is_empty());
        }
        rest = &rest[open + close + 1..];
    }
    plain.push_str(rest);
    let plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ").replace("&amp;", "&");
    let plain = plain.trim().to_string();
    if voice.is_some() {
        return (voice, plain);
    }
    if let Some((label, text)) = plain.split_once([':', '：']) {
        let label = label.trim();
        let plausible = !label.is_empty()
            && label.chars().count() <= 24
            && label.split_whitespace().count() <= 3
            && !label.bytes().all(|c| c.is_ascii_digit())
            && !label.contains(['\n', ',', '，', '。', '.', '!', '?', '！', '？']);
        if plausible {
            return (Some(label.to_string()), text.trim().to_string());
        }
    }
    (None, plain)
}

/// Cues of an SRT or WebVTT file. A cue without a speaker continues the previous cue's speaker.
fn cues(ctx: &Context<'_>, text: &str, vtt: bool) -> Result<Vec<Segment>, ImportError> {
    let mut blocks: Vec<(u64, Vec<&str>)> = Vec::new();
    let mut current: Option<(u64, Vec<&str>)> = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            blocks.extend(current.take());
        } else {
            current.get_or_insert_with(|| (i as u64 + 1, Vec::new())).1.push(line);
        }
    }
    blocks.extend(current);
    let mut blocks = blocks.into_iter();
    if vtt {
        let header = blocks.next().and_then(|(_, b)| b.first().copied()).unwrap_or("");
        let ok = header.strip_prefix("WEBVTT").is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']));
        if !ok {
            return Err(ctx.err(Some(1), None, "a WebVTT file must start with `WEBVTT`"));
        }
    }
    let mut segs = Vec::new();
    let mut last: Option<String> = None;
    for (first_line, lines) in blocks {
        if vtt && ["NOTE", "STYLE", "REGION"].iter().any(|k| lines[0].starts_with(k)) {
            continue;
        }
        let Some(t) = lines.iter().take(2).position(|l| l.contains("-->")) else {
            return Err(ctx.err(Some(first_line), None, "expected a cue timing line like `00:00:01,000 --> 00:00:03,500`"));
        };
        let line_no = first_line + t as u64;
        let (start, end) = lines[t].split_once("-->").unwrap_or_default();
        let end = end.split_whitespace().next().unwrap_or("");
        let (Some(start_ms), Some(end_ms)) = (parse_timestamp(start), parse_timestamp(end)) else {
            let msg = format!("bad cue timing {:?}; expected `hh:mm:ss,mmm --> hh:mm:ss,mmm`", lines[t].trim());
            return Err(ctx.err(Some(line_no), None, msg));
        };
        check_span(start_ms, end_ms).map_err(|m| ctx.err(Some(line_no), None, m))?;
        let body = lines[t + 1..].join("\n");
        let (speaker, text) = speaker_and_text(&body);
        let Some(speaker) = speaker.or_else(|| last.clone()) else {
            let msg = "cue has no speaker: expected a `<v Name>` voice tag or a `Name:` / `说话人：` prefix";
            return Err(ctx.err(Some(line_no + 1), None, msg));
        };
        last = Some(speaker.clone());
        segs.push(Segment { start_ms, end_ms, who: Who::Label(speaker), text });
    }
    Ok(segs)
}

/// SubRip (`.srt`) subtitles with speaker prefixes or voice tags.
pub fn conversation_srt(
    ctx: &Context<'_>,
    bytes: &[u8],
    map: &SpeakerMap,
    external_id: Option<&str>,
) -> Result<Conversation, ImportError> {
    let segs = cues(ctx, check_text(ctx, bytes)?, false)?;
    build(ctx, segs, map, external_id, None)
}

/// WebVTT (`.vtt`) captions with `<v Speaker>` voice tags or speaker prefixes.
pub fn conversation_vtt(
    ctx: &Context<'_>,
    bytes: &[u8],
    map: &SpeakerMap,
    external_id: Option<&str>,
) -> Result<Conversation, ImportError> {
    let segs = cues(ctx, check_text(ctx, bytes)?, true)?;
    build(ctx, segs, map, external_id, None)
}

// ---- CSV ----

/// ASR CSV: header with `start`, `end` (seconds, or `hh:mm:ss.mmm`), `speaker` or `channel`, `text`.
pub fn conversation_asr_csv(
    ctx: &Context<'_>,
    bytes: &[u8],
    map: &SpeakerMap,
    external_id: Option<&str>,
) -> Result<Conversation, ImportError> {
    let table = Table::parse(ctx, check_text(ctx, bytes)?)?;
    let (start, end, text) = (table.require(ctx, "start")?, table.require(ctx, "end")?, table.require(ctx, "text")?);
    let (speaker, channel) = (table.find("speaker"), table.find("channel"));
    if speaker.is_none() && channel.is_none() {
        let msg = format!("the header needs a `speaker` or a `channel` column; it has: {}", table.headers.join(", "));
        return Err(ctx.err(Some(1), Some("speaker"), msg));
    }
    let secs = |line: u64, col: usize, rec: &csv::StringRecord| -> Result<i64, ImportError> {
        let v = cell(rec, Some(col));
        v.parse::<f64>().ok().filter(|f| f.is_finite()).map(secs_to_ms).or_else(|| parse_timestamp(v)).ok_or_else(|| {
            ctx.err(Some(line), Some(&table.headers[col]), format!("{v:?} is not a time; expected seconds like 12.5"))
        })
    };
    let mut segs = Vec::with_capacity(table.rows.len());
    for (line, rec) in &table.rows {
        let (start_ms, end_ms) = (secs(*line, start, rec)?, secs(*line, end, rec)?);
        check_span(start_ms, end_ms).map_err(|m| ctx.err(Some(*line), Some("end"), m))?;
        let who = match (cell(rec, speaker), cell(rec, channel)) {
            (l, _) if !l.is_empty() => Who::Label(l.to_string()),
            (_, c) if !c.is_empty() => Who::Channel(
                c.parse().map_err(|_| ctx.err(Some(*line), Some("channel"), format!("{c:?} is not a channel number")))?,
            ),
            _ => return Err(ctx.err(Some(*line), Some("speaker"), "row has neither a speaker nor a channel")),
        };
        segs.push(Segment { start_ms, end_ms, who, text: cell(rec, Some(text)).to_string() });
    }
    build(ctx, segs, map, external_id, None)
}
