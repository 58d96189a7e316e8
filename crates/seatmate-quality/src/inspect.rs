//! A conversation inspected against a scorecard: each item passes, fails or does not apply, and
//! every verdict carries its evidence (turn, time span, matched text, rule).

use regex::Regex;
use seatmate_core::{Conversation, Speaker};
use serde::{Deserialize, Serialize};

use crate::scorecard::{Applies, Condition, Feeling, Item, Kind, Scorecard, REGEX_SIZE_LIMIT};

/// Cosine similarity to an example a turn needs when the rule does not say.
pub const DEFAULT_MIN_SIMILARITY: f32 = 0.9;
/// Valence at or below this is negative, at or above its opposite positive.
pub const NEGATIVE_VALENCE: f32 = -0.3;
/// `*` in a phrase stands for at most this many characters.
const WILDCARD_CHARS: usize = 8;
/// An item's evidence keeps at most this many places.
const MAX_EVIDENCE: usize = 5;

/// Encodes example sentences into unit sentence vectors, for `meaning` rules.
pub trait Encode {
    fn encode(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, String>;
}

/// What a conversation is inspected with besides its turns.
#[derive(Clone, Debug)]
pub struct Subject<'a> {
    pub conversation: &'a Conversation,
    /// The codes from the taxonomy root down to the ticket's category.
    pub category_path: &'a [String],
    /// Whether a person confirmed the conversation's ticket (None: no ticket).
    pub ticket_confirmed: Option<bool>,
    /// Each turn's valence in [-1, 1], when the emotion model read it.
    pub valence: &'a [Option<f32>],
    /// Each turn's unit sentence vector, when `meaning` rules need them.
    pub vectors: &'a [Option<Vec<f32>>],
    /// The guided flows walked in the conversation.
    pub walks: &'a [WalkedFlow],
}

/// A guided flow as walked in a conversation: what it requires, what the walk did.
#[derive(Clone, Debug, Default)]
pub struct WalkedFlow {
    pub title: String,
    /// Action codes that must be done, in this order.
    pub required: Vec<String>,
    /// The actions done, in walk order, each with the turn that showed it (when recognised).
    pub done: Vec<(String, Option<usize>)>,
}

impl WalkedFlow {
    /// What is wrong with the walk: required actions missing, or done before one that comes
    /// earlier in the order. Empty when all were done in order.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut at = 0;
        for action in &self.required {
            match self.done[at..].iter().position(|(done, _)| done == action) {
                Some(offset) => at += offset + 1,
                None if self.done.iter().any(|(done, _)| done == action) => problems.push(format!("{action} out of order")),
                None => problems.push(format!("{action} missing")),
            }
        }
        problems
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    NotApplicable,
}

/// One place a verdict rests on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evidence {
    /// The turn's index in the conversation.
    pub turn: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_ms: Option<i64>,
    /// The words that matched, as the turn has them (empty for a timing or absence).
    pub text: String,
    /// Byte range of `text` in the turn.
    pub start: usize,
    pub end: usize,
    /// The rule that found it, e.g. `phrases 您好|你好 (agent, first 2 turns)`.
    pub rule: String,
}

/// Why an item came out as it did, for the UI to say in the reader's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// The scorecard or the item is for other categories, channels, queues or languages.
    NotForConversation,
    /// Its `if` condition did not occur.
    ConditionAbsent,
    Found,
    Missing,
    /// A `must_not` occurred.
    Forbidden,
    /// Nothing a `must_not` forbids occurred.
    Clean,
    /// An `order` was broken.
    OrderBroken,
    /// Occurred too often or too rarely.
    CountOff,
    NoTimestamps,
    NoVectors,
    NoFeelings,
    NoTicket,
    /// No guided flow with required actions was walked.
    NoFlow,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemResult {
    pub item: String,
    pub section: String,
    pub name: String,
    pub outcome: Outcome,
    pub points: u32,
    pub earned: u32,
    pub critical: bool,
    pub why: Why,
    /// Why, in a line (English): what was found or missed, or why the item does not apply.
    pub note: String,
    pub evidence: Vec<Evidence>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inspection {
    /// Score out of 100 (0 when a critical item failed; 100 when nothing applied).
    pub score: f32,
    pub earned: u32,
    pub possible: u32,
    pub critical_failed: bool,
    pub items: Vec<ItemResult>,
    /// False when the scorecard does not apply to the conversation at all (its `applies`).
    #[serde(default = "yes")]
    pub applies: bool,
    /// The customer's last feeling the emotion model read (the caller fills it in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_valence: Option<f32>,
}

/// A validated scorecard with its regular expressions compiled and its example sentences encoded.
pub struct Compiled {
    pub card: Scorecard,
    nodes: Vec<Node>,
    /// Per item, the node ids of (if, must, must_not).
    items: Vec<[Option<usize>; 3]>,
}

enum Matcher {
    Pattern(Regex),
    Meaning(Vec<Vec<f32>>, f32),
    Silence(i64),
    TalkOver(i64),
    SpeechRate(f64, f64),
    Emotion(Feeling),
    Ticket(bool),
    FlowOrder(bool),
    All(Vec<usize>),
    Any(Vec<usize>),
    Not(usize),
    Order(Vec<usize>),
}

struct Node {
    matcher: Matcher,
    speaker: Option<Speaker>,
    window: Window,
    min_count: u32,
    max_count: Option<u32>,
    rule: String,
}

#[derive(Clone, Copy)]
enum Window {
    All,
    FirstTurns(usize),
    LastTurns(usize),
    FirstSeconds(i64),
    LastSeconds(i64),
}

/// A condition's verdict: true, false, or unknown (the data it reads is missing).
struct Verdict {
    holds: Option<bool>,
    /// Where it holds (matches), or where it failed (an order broken).
    evidence: Vec<Evidence>,
    /// The first turn it occurs at, for `order`.
    first_turn: Option<usize>,
    note: String,
    why: Option<Why>,
}

impl Compiled {
    /// Compiles a scorecard (validating it again); `encoder` encodes the examples of `meaning`
    /// rules, which without one never hold and say so.
    pub fn new(card: Scorecard, encoder: Option<&dyn Encode>) -> Result<Compiled, crate::ScorecardError> {
        card.validate()?;
        let mut compiled =
            Compiled { card: Scorecard { sections: Vec::new(), ..card.clone() }, nodes: Vec::new(), items: Vec::new() };
        for (_, item) in card.items() {
            let mut ids = [None; 3];
            for (slot, condition) in [&item.when, &item.must, &item.must_not].into_iter().enumerate() {
                if let Some(condition) = condition {
                    ids[slot] = Some(compiled.add(condition, encoder).map_err(|message| crate::ScorecardError {
                        item: Some(item.id.clone()),
                        field: ["if", "must", "must_not"][slot].into(),
                        message,
                    })?);
                }
            }
            compiled.items.push(ids);
        }
        compiled.card = card;
        Ok(compiled)
    }

    /// Whether any rule matches by meaning (the caller then supplies turn vectors).
    pub fn needs_vectors(&self) -> bool {
        self.nodes.iter().any(|n| matches!(n.matcher, Matcher::Meaning(..)))
    }

    /// Whether any rule reads the turns' feelings.
    pub fn needs_valence(&self) -> bool {
        self.nodes.iter().any(|n| matches!(n.matcher, Matcher::Emotion(_)))
    }

    fn add(&mut self, c: &Condition, encoder: Option<&dyn Encode>) -> Result<usize, String> {
        let kind = c.kind();
        let children = |this: &mut Compiled, list: &[Condition]| -> Result<Vec<usize>, String> {
            list.iter().map(|child| this.add(child, encoder)).collect()
        };
        let matcher = match kind {
            Kind::Phrases => {
                let phrases = c.phrases.as_deref().unwrap_or_default();
                Matcher::Pattern(build(&phrases.iter().map(|p| phrase_pattern(p)).collect::<Vec<_>>().join("|"))?)
            }
            Kind::Regex => Matcher::Pattern(build(c.regex.as_deref().unwrap_or_default())?),
            Kind::Near => {
                let near = c.near.as_ref().ok_or("near")?;
                let (a, b) = (phrase_pattern(&near.words[0]), phrase_pattern(&near.words[1]));
                let gap = format!(".{{0,{}}}", near.within);
                Matcher::Pattern(build(&format!("(?:{a}){gap}(?:{b})|(?:{b}){gap}(?:{a})"))?)
            }
            Kind::Meaning => {
                let examples = c.meaning.clone().unwrap_or_default();
                let vectors = match encoder {
                    Some(encoder) => encoder.encode(&examples)?,
                    None => Vec::new(),
                };
                Matcher::Meaning(vectors, c.min_similarity.unwrap_or(DEFAULT_MIN_SIMILARITY))
            }
            Kind::Silence => Matcher::Silence(seconds_ms(c.silence_over_s)),
            Kind::TalkOver => Matcher::TalkOver(seconds_ms(c.talk_over_s)),
            Kind::SpeechRate => {
                let [min, max] = c.speech_rate_outside.unwrap_or_default();
                Matcher::SpeechRate(min, max)
            }
            Kind::Emotion => Matcher::Emotion(c.emotion.unwrap_or(Feeling::Negative)),
            Kind::TicketConfirmed => Matcher::Ticket(c.ticket_confirmed.unwrap_or(true)),
            Kind::FlowOrder => Matcher::FlowOrder(c.flow_steps_in_order.unwrap_or(true)),
            Kind::All => Matcher::All(children(self, c.all.as_deref().unwrap_or_default())?),
            Kind::Any => Matcher::Any(children(self, c.any.as_deref().unwrap_or_default())?),
            Kind::Order => Matcher::Order(children(self, c.order.as_deref().unwrap_or_default())?),
            Kind::Not => Matcher::Not(self.add(c.not.as_deref().ok_or("not")?, encoder)?),
        };
        let window = match (c.first_turns, c.last_turns, c.first_seconds, c.last_seconds) {
            (Some(n), ..) => Window::FirstTurns(n as usize),
            (_, Some(n), ..) => Window::LastTurns(n as usize),
            (_, _, Some(s), _) => Window::FirstSeconds(i64::from(s) * 1000),
            (.., Some(s)) => Window::LastSeconds(i64::from(s) * 1000),
            _ => Window::All,
        };
        self.nodes.push(Node {
            matcher,
            speaker: c.speaker,
            window,
            min_count: c.min_count.unwrap_or(1),
            max_count: c.max_count,
            rule: describe(c),
        });
        Ok(self.nodes.len() - 1)
    }

    /// Inspects one conversation.
    pub fn inspect(&self, subject: &Subject) -> Inspection {
        let turns = Folded::of(subject.conversation);
        let language = language_of(subject.conversation);
        let card_applies = applies(&self.card.applies, subject, &language);
        let mut results = Vec::new();
        for ((section, item), ids) in self.card.items().zip(&self.items) {
            results.push(self.judge_item(
                section.name.as_str(),
                item,
                *ids,
                card_applies && applies(&item.applies, subject, &language),
                subject,
                &turns,
            ));
        }
        let possible: u32 = results.iter().filter(|r| r.outcome != Outcome::NotApplicable).map(|r| r.points).sum();
        let earned: u32 = results.iter().map(|r| r.earned).sum();
        let critical_failed = results.iter().any(|r| r.critical && r.outcome == Outcome::Fail);
        let score = if critical_failed {
            0.0
        } else if possible == 0 {
            100.0
        } else {
            (earned as f32 * 1000.0 / possible as f32).round() / 10.0
        };
        Inspection { score, earned, possible, critical_failed, items: results, applies: card_applies, customer_valence: None }
    }

    fn judge_item(
        &self,
        section: &str,
        item: &Item,
        ids: [Option<usize>; 3],
        applies: bool,
        subject: &Subject,
        turns: &[Folded],
    ) -> ItemResult {
        let mut result = ItemResult {
            item: item.id.clone(),
            section: section.to_string(),
            name: item.name.clone(),
            outcome: Outcome::NotApplicable,
            points: item.points,
            earned: 0,
            critical: item.critical,
            why: Why::NotForConversation,
            note: String::new(),
            evidence: Vec::new(),
        };
        if !applies {
            result.note = "not for this conversation (category, channel, queue or language)".into();
            return result;
        }
        if let Some(when) = ids[0] {
            let verdict = self.judge(when, subject, turns);
            if verdict.holds != Some(true) {
                (result.why, result.note) = match verdict.holds {
                    None => (verdict.why.unwrap_or(Why::NoTimestamps), verdict.note),
                    _ => (Why::ConditionAbsent, format!("does not apply: no {}", self.nodes[when].rule)),
                };
                return result;
            }
        }
        let mut pass = true;
        let mut notes = Vec::new();
        if let Some(must) = ids[1] {
            let verdict = self.judge(must, subject, turns);
            match verdict.holds {
                None => {
                    result.why = verdict.why.unwrap_or(Why::NoTimestamps);
                    result.note = verdict.note;
                    return result;
                }
                Some(true) => {
                    result.why = Why::Found;
                    notes.push(format!("found: {}", self.nodes[must].rule));
                    result.evidence.extend(verdict.evidence);
                }
                Some(false) => {
                    pass = false;
                    result.why = verdict.why.unwrap_or(Why::Missing);
                    notes.push(if verdict.note.is_empty() {
                        format!("missing: {}", self.nodes[must].rule)
                    } else {
                        verdict.note
                    });
                    result.evidence.extend(verdict.evidence);
                }
            }
        }
        if let Some(must_not) = ids[2] {
            let verdict = self.judge(must_not, subject, turns);
            match verdict.holds {
                None if pass && ids[1].is_none() => {
                    result.why = verdict.why.unwrap_or(Why::NoTimestamps);
                    result.note = verdict.note;
                    return result;
                }
                Some(true) => {
                    pass = false;
                    result.why = Why::Forbidden;
                    notes.push(format!("must not occur: {}", self.nodes[must_not].rule));
                    result.evidence.extend(verdict.evidence);
                }
                _ => {}
            }
        }
        if pass && ids[1].is_none() {
            result.why = Why::Clean;
        }
        result.evidence.truncate(MAX_EVIDENCE);
        result.outcome = if pass { Outcome::Pass } else { Outcome::Fail };
        result.earned = if pass { item.points } else { 0 };
        result.note = notes.join("; ");
        result
    }

    fn judge(&self, id: usize, subject: &Subject, turns: &[Folded]) -> Verdict {
        let node = &self.nodes[id];
        let unknown = |note: &str, why: Option<Why>| Verdict {
            holds: None,
            evidence: Vec::new(),
            first_turn: None,
            note: note.to_string(),
            why,
        };
        match &node.matcher {
            Matcher::Ticket(want) => match subject.ticket_confirmed {
                None => unknown("no ticket", Some(Why::NoTicket)),
                Some(confirmed) => Verdict {
                    holds: Some(confirmed == *want),
                    evidence: Vec::new(),
                    first_turn: None,
                    note: String::new(),
                    why: None,
                },
            },
            Matcher::FlowOrder(want) => {
                let walked: Vec<&WalkedFlow> = subject.walks.iter().filter(|w| !w.required.is_empty()).collect();
                if walked.is_empty() {
                    return unknown("no guided flow with required actions was walked", Some(Why::NoFlow));
                }
                let problems: Vec<String> = walked
                    .iter()
                    .filter_map(|w| {
                        let problems = w.problems();
                        (!problems.is_empty()).then(|| format!("{}: {}", w.title, problems.join(", ")))
                    })
                    .collect();
                let evidence = walked
                    .iter()
                    .flat_map(|w| w.done.iter().filter_map(|(_, turn)| *turn))
                    .filter_map(|i| {
                        let turn = subject.conversation.turns.get(i)?;
                        Some(Evidence {
                            turn: i,
                            start_ms: turn.start_ms,
                            end_ms: turn.end_ms,
                            text: turn.text.clone(),
                            start: 0,
                            end: turn.text.len(),
                            rule: node.rule.clone(),
                        })
                    })
                    .collect();
                let in_order = problems.is_empty();
                Verdict {
                    holds: Some(in_order == *want),
                    evidence,
                    first_turn: None,
                    note: problems.join("; "),
                    why: (!in_order).then_some(Why::OrderBroken),
                }
            }
            Matcher::All(children) => {
                let verdicts: Vec<Verdict> = children.iter().map(|&c| self.judge(c, subject, turns)).collect();
                let holds = if verdicts.iter().any(|v| v.holds == Some(false)) {
                    Some(false)
                } else if verdicts.iter().all(|v| v.holds == Some(true)) {
                    Some(true)
                } else {
                    None
                };
                combine(holds, verdicts)
            }
            Matcher::Any(children) => {
                let verdicts: Vec<Verdict> = children.iter().map(|&c| self.judge(c, subject, turns)).collect();
                let holds = if verdicts.iter().any(|v| v.holds == Some(true)) {
                    Some(true)
                } else if verdicts.iter().all(|v| v.holds == Some(false)) {
                    Some(false)
                } else {
                    None
                };
                let kept = verdicts.into_iter().filter(|v| holds != Some(true) || v.holds == Some(true)).collect();
                combine(holds, kept)
            }
            Matcher::Not(child) => {
                let inner = self.judge(*child, subject, turns);
                Verdict { holds: inner.holds.map(|h| !h), ..inner }
            }
            Matcher::Order(children) => {
                let verdicts: Vec<Verdict> = children.iter().map(|&c| self.judge(c, subject, turns)).collect();
                if let Some(v) = verdicts.iter().find(|v| v.holds.is_none()) {
                    return unknown(&v.note, v.why);
                }
                let mut last = 0;
                for (i, v) in verdicts.iter().enumerate() {
                    let Some(at) = v.first_turn.filter(|_| v.holds == Some(true)) else {
                        let note = format!("missing: {}", self.nodes[children[i]].rule);
                        return Verdict {
                            holds: Some(false),
                            evidence: Vec::new(),
                            first_turn: None,
                            note,
                            why: Some(Why::Missing),
                        };
                    };
                    if at < last {
                        let evidence = v.evidence.iter().take(1).cloned().collect();
                        let note = format!("{} came before {}", self.nodes[children[i]].rule, self.nodes[children[i - 1]].rule);
                        return Verdict { holds: Some(false), evidence, first_turn: None, note, why: Some(Why::OrderBroken) };
                    }
                    last = at;
                }
                let first_turn = verdicts.first().and_then(|v| v.first_turn);
                let evidence = verdicts.into_iter().flat_map(|v| v.evidence.into_iter().take(1)).collect();
                Verdict { holds: Some(true), evidence, first_turn, note: String::new(), why: None }
            }
            _ => self.judge_turns(node, subject, turns),
        }
    }

    /// A rule judged turn by turn: its occurrences in the turns in scope, counted.
    fn judge_turns(&self, node: &Node, subject: &Subject, turns: &[Folded]) -> Verdict {
        let conversation = subject.conversation;
        let in_scope = scope(conversation, node.speaker, node.window);
        let Some(in_scope) = in_scope else {
            let note = format!("no timestamps for {}", node.rule);
            return Verdict { holds: None, evidence: Vec::new(), first_turn: None, note, why: Some(Why::NoTimestamps) };
        };
        let mut found: Vec<Evidence> = Vec::new();
        let mut count = 0u32;
        // turns the rule could read, and turns it could not (no vector, feeling or times)
        let (mut judged, mut unread) = (0usize, 0usize);
        for &i in &in_scope {
            let turn = &conversation.turns[i];
            let place = |start: usize, end: usize| Evidence {
                turn: i,
                start_ms: turn.start_ms,
                end_ms: turn.end_ms,
                text: turn.text.get(start..end).unwrap_or_default().to_string(),
                start,
                end,
                rule: node.rule.clone(),
            };
            match &node.matcher {
                Matcher::Pattern(regex) => {
                    judged += 1;
                    for m in regex.find_iter(&turns[i].text) {
                        let (start, end) = turns[i].original_range(m.start(), m.end());
                        count += 1;
                        found.push(place(start, end));
                    }
                }
                Matcher::Meaning(examples, min) => match subject.vectors.get(i).and_then(Option::as_ref) {
                    Some(vector) if !examples.is_empty() => {
                        judged += 1;
                        let best = examples.iter().map(|e| dot(e, vector)).fold(f32::MIN, f32::max);
                        if best >= *min {
                            count += 1;
                            found.push(place(0, turn.text.len()));
                        }
                    }
                    _ => unread += 1,
                },
                Matcher::Emotion(feeling) => match subject.valence.get(i).copied().flatten() {
                    Some(valence) => {
                        judged += 1;
                        let felt = if valence <= NEGATIVE_VALENCE {
                            Feeling::Negative
                        } else if valence >= -NEGATIVE_VALENCE {
                            Feeling::Positive
                        } else {
                            Feeling::Neutral
                        };
                        if felt == *feeling {
                            count += 1;
                            found.push(place(0, turn.text.len()));
                        }
                    }
                    None => unread += 1,
                },
                Matcher::Silence(limit) | Matcher::TalkOver(limit) => {
                    let previous = i.checked_sub(1).map(|p| &conversation.turns[p]);
                    match (previous.and_then(|p| p.end_ms), turn.start_ms) {
                        (Some(end), Some(start)) => {
                            judged += 1;
                            let silence = matches!(node.matcher, Matcher::Silence(_));
                            let gap = if silence { start - end } else { end - start };
                            let other_side = previous.is_some_and(|p| p.speaker != turn.speaker && p.speaker != Speaker::System);
                            if gap > *limit && (silence || other_side) {
                                count += 1;
                                let mut evidence = place(0, 0);
                                evidence.start_ms = Some(start.min(end));
                                evidence.end_ms = Some(start.max(end));
                                found.push(evidence);
                            }
                        }
                        _ => unread += 1,
                    }
                }
                Matcher::SpeechRate(min, max) => match (turn.start_ms, turn.end_ms) {
                    (Some(start), Some(end)) if end - start >= 1_000 => {
                        judged += 1;
                        let rate = seatmate_text::spoken_units(&turn.text) as f64 * 60_000.0 / (end - start) as f64;
                        if rate < *min || rate > *max {
                            count += 1;
                            found.push(place(0, turn.text.len()));
                        }
                    }
                    (Some(_), Some(_)) => judged += 1,
                    _ => unread += 1,
                },
                _ => {}
            }
        }
        if judged == 0 && unread > 0 {
            let (what, why) = match node.matcher {
                Matcher::Meaning(..) => ("no sentence vectors", Why::NoVectors),
                Matcher::Emotion(_) => ("no emotion readings", Why::NoFeelings),
                _ => ("no timestamps", Why::NoTimestamps),
            };
            let note = format!("{what} for {}", node.rule);
            return Verdict { holds: None, evidence: Vec::new(), first_turn: None, note, why: Some(why) };
        }
        let holds = count >= node.min_count && node.max_count.is_none_or(|max| count <= max);
        let first_turn = found.first().map(|e| e.turn);
        let note = match node.max_count {
            Some(max) if count > max => format!("{count} times, at most {max}: {}", node.rule),
            _ if count < node.min_count && count > 0 => format!("{count} times, at least {}: {}", node.min_count, node.rule),
            _ => String::new(),
        };
        let why = (!note.is_empty()).then_some(Why::CountOff);
        Verdict { holds: Some(holds), evidence: found, first_turn, note, why }
    }
}

fn yes() -> bool {
    true
}

fn combine(holds: Option<bool>, verdicts: Vec<Verdict>) -> Verdict {
    let chosen = verdicts.iter().find(|v| v.holds == holds && !v.note.is_empty());
    let (note, why) = chosen.map(|v| (v.note.clone(), v.why)).unwrap_or_default();
    let first_turn = verdicts.iter().filter_map(|v| v.first_turn).min();
    Verdict { holds, evidence: verdicts.into_iter().flat_map(|v| v.evidence).collect(), first_turn, note, why }
}

fn build(pattern: &str) -> Result<Regex, String> {
    regex::RegexBuilder::new(pattern).size_limit(REGEX_SIZE_LIMIT).build().map_err(|e| format!("not a regular expression: {e}"))
}

fn seconds_ms(seconds: Option<f64>) -> i64 {
    (seconds.unwrap_or_default() * 1000.0).round() as i64
}

/// A phrase as a pattern over folded text: folded itself, `*` a short gap, English words whole.
fn phrase_pattern(phrase: &str) -> String {
    let folded = seatmate_text::normalize(phrase.trim());
    let parts: Vec<String> = folded.split('*').map(regex::escape).collect();
    let mut pattern = parts.join(&format!(".{{0,{WILDCARD_CHARS}}}?"));
    if folded.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()) {
        pattern.insert_str(0, r"\b");
    }
    if folded.chars().last().is_some_and(|c| c.is_ascii_alphanumeric()) {
        pattern.push_str(r"\b");
    }
    pattern
}

/// Describes a rule for a person: `phrases 您好|你好 (agent, first 2 turns)`.
pub fn describe(c: &Condition) -> String {
    let kind = c.kind();
    let what = match kind {
        Kind::Phrases => format!("phrases {}", c.phrases.as_deref().unwrap_or_default().join("|")),
        Kind::Regex => format!("regex {}", c.regex.as_deref().unwrap_or_default()),
        Kind::Near => {
            c.near.as_ref().map(|n| format!("{} near {} (within {})", n.words[0], n.words[1], n.within)).unwrap_or_default()
        }
        Kind::Meaning => format!(
            "meaning like \"{}\"",
            c.meaning.as_deref().unwrap_or_default().first().map(String::as_str).unwrap_or_default()
        ),
        Kind::Silence => format!("silence over {} s", c.silence_over_s.unwrap_or_default()),
        Kind::TalkOver => format!("talk-over over {} s", c.talk_over_s.unwrap_or_default()),
        Kind::SpeechRate => {
            let [min, max] = c.speech_rate_outside.unwrap_or_default();
            format!("speech rate outside {min}–{max}/min")
        }
        Kind::Emotion => format!("{:?} feeling", c.emotion.unwrap_or(Feeling::Negative)).to_lowercase(),
        Kind::TicketConfirmed => format!("ticket confirmed = {}", c.ticket_confirmed.unwrap_or(true)),
        Kind::FlowOrder => format!("guided flow steps in order = {}", c.flow_steps_in_order.unwrap_or(true)),
        Kind::All => format!("all of {}", c.all.as_ref().map_or(0, Vec::len)),
        Kind::Any => format!("any of {}", c.any.as_ref().map_or(0, Vec::len)),
        Kind::Not => format!("not {}", c.not.as_deref().map(describe).unwrap_or_default()),
        Kind::Order => {
            format!("in order: {}", c.order.as_deref().unwrap_or_default().iter().map(describe).collect::<Vec<_>>().join(" → "))
        }
    };
    let mut scope = Vec::new();
    if let Some(speaker) = c.speaker {
        scope.push(speaker.as_str().to_string());
    }
    for (n, unit) in [
        (c.first_turns, "first {} turns"),
        (c.last_turns, "last {} turns"),
        (c.first_seconds, "first {} s"),
        (c.last_seconds, "last {} s"),
    ] {
        if let Some(n) = n {
            scope.push(unit.replace("{}", &n.to_string()));
        }
    }
    if let Some(min) = c.min_count.filter(|&m| m > 1) {
        scope.push(format!("at least {min}×"));
    }
    if let Some(max) = c.max_count {
        scope.push(format!("at most {max}×"));
    }
    if scope.is_empty() {
        what
    } else {
        format!("{what} ({})", scope.join(", "))
    }
}

/// The turns a per-turn rule reads, or None when its window needs times the turns lack.
fn scope(conversation: &Conversation, speaker: Option<Speaker>, window: Window) -> Option<Vec<usize>> {
    let turns = &conversation.turns;
    let mut ids: Vec<usize> = (0..turns.len()).filter(|&i| speaker.is_none_or(|s| turns[i].speaker == s)).collect();
    match window {
        Window::All => {}
        Window::FirstTurns(n) => ids.truncate(n),
        Window::LastTurns(n) => ids = ids.split_off(ids.len().saturating_sub(n)),
        Window::FirstSeconds(ms) => {
            let origin = turns.iter().find_map(|t| t.start_ms)?;
            ids.retain(|&i| turns[i].start_ms.is_some_and(|s| s - origin <= ms));
        }
        Window::LastSeconds(ms) => {
            let close = turns.iter().filter_map(|t| t.end_ms.or(t.start_ms)).max()?;
            ids.retain(|&i| turns[i].end_ms.or(turns[i].start_ms).is_some_and(|e| close - e <= ms));
        }
    }
    Some(ids)
}

fn applies(applies: &Applies, subject: &Subject, language: &str) -> bool {
    let c = subject.conversation;
    (applies.categories.is_empty() || applies.categories.iter().any(|code| subject.category_path.contains(code)))
        && (applies.channels.is_empty() || applies.channels.contains(&c.channel))
        && (applies.queues.is_empty() || c.queue.as_ref().is_some_and(|q| applies.queues.contains(q)))
        && (applies.languages.is_empty() || applies.languages.iter().any(|l| l == language))
}

/// `zh` or `en`: the conversation's own, else its script (Han characters make it Chinese).
pub fn language_of(conversation: &Conversation) -> String {
    if let Some(language) = &conversation.language {
        let lower = language.to_lowercase();
        if lower.starts_with("zh") || lower.starts_with("cn") {
            return "zh".into();
        }
        if lower.starts_with("en") {
            return "en".into();
        }
    }
    let (mut han, mut other) = (0usize, 0usize);
    for c in conversation.turns.iter().flat_map(|t| t.text.chars()) {
        if seatmate_text::is_han(c) {
            han += 1;
        } else if c.is_alphabetic() {
            other += 1;
        }
    }
    if han * 3 >= other { "zh" } else { "en" }.to_string()
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// A turn's text folded as `seatmate-text` folds it, with the way back to the original bytes.
struct Folded {
    text: String,
    /// For each byte offset of a folded character, the original byte offset it came from; one
    /// more entry for the end.
    starts: Vec<(usize, usize)>,
    original_len: usize,
}

impl Folded {
    fn of(conversation: &Conversation) -> Vec<Folded> {
        conversation.turns.iter().map(|t| Folded::new(&t.text)).collect()
    }

    fn new(original: &str) -> Folded {
        let whole = seatmate_text::normalize(original);
        let mut starts = Vec::new();
        if whole.chars().count() == original.chars().count() {
            // The usual case: one character folds to one.
            for ((folded, _), (source, _)) in whole.char_indices().zip(original.char_indices()) {
                starts.push((folded, source));
            }
            return Folded { text: whole, starts, original_len: original.len() };
        }
        let mut text = String::with_capacity(original.len());
        for (source, c) in original.char_indices() {
            let mut buf = [0u8; 4];
            let folded = seatmate_text::normalize(c.encode_utf8(&mut buf));
            for (offset, _) in folded.char_indices() {
                starts.push((text.len() + offset, source));
            }
            text.push_str(&folded);
        }
        Folded { text, starts, original_len: original.len() }
    }

    /// The original byte range of a folded byte range.
    fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let at = |offset: usize| -> usize {
            match self.starts.binary_search_by(|(folded, _)| folded.cmp(&offset)) {
                Ok(i) => self.starts[i].1,
                Err(i) => self.starts.get(i).map_or(self.original_len, |(_, source)| *source),
            }
        };
        (at(start), if end >= self.text.len() { self.original_len } else { at(end) })
    }
}
