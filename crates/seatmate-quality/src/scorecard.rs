//! A scorecard as a QA inspector writes it (YAML or JSON, docs/scorecards.md), and its validation:
//! a bad scorecard is refused with the item and the field at fault.

use seatmate_core::{Channel, Speaker};
use serde::{Deserialize, Serialize};

/// The deepest nesting of `all`/`any`/`not`/`order` a scorecard may use.
pub const MAX_DEPTH: usize = 8;
/// Longest regular expression, in bytes, and the compiled size the engine accepts.
pub const MAX_REGEX_LEN: usize = 1_000;
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scorecard {
    /// Stable name of the scorecard (letters, digits, `-`, `_`); versions share it.
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Which conversations the whole scorecard inspects (empty: all).
    #[serde(default, skip_serializing_if = "Applies::is_empty")]
    pub applies: Applies,
    pub sections: Vec<Section>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub name: String,
    pub items: Vec<Item>,
}

/// One thing inspected. It applies when `applies` and `if` hold; then it passes when `must` holds
/// and `must_not` does not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub name: String,
    /// Points earned when it passes (0: pass/fail only).
    #[serde(default)]
    pub points: u32,
    /// A failed critical item fails the whole conversation (score 0).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub critical: bool,
    #[serde(default, skip_serializing_if = "Applies::is_empty")]
    pub applies: Applies,
    #[serde(default, rename = "if", skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub must: Option<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub must_not: Option<Condition>,
    /// What the agent should do instead: shown with a failure, and the words that find the
    /// knowledge articles and flows to learn from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub guidance: String,
}

/// Where a scorecard or an item applies; each list empty means any.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applies {
    /// Taxonomy codes: the conversation's ticket is in one of these subtrees.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<Channel>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<String>,
    /// `zh` or `en` (a conversation without a language is read by its script).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
}

impl Applies {
    pub fn is_empty(&self) -> bool {
        self.categories.is_empty() && self.channels.is_empty() && self.queues.is_empty() && self.languages.is_empty()
    }
}

/// The feeling of a turn, from the emotion model's valence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feeling {
    Negative,
    Neutral,
    Positive,
}

/// `near`: two words (or phrases) in one turn, at most `within` characters apart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Near {
    pub words: Vec<String>,
    pub within: u32,
}

/// A rule over the conversation: exactly one kind (`phrases` … `not`), narrowed by the speaker,
/// a window and a count. A turn kind holds when it occurs at least `min_count` (default 1) and at
/// most `max_count` times in the turns in scope.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Phrases, Simplified or Traditional, any case and width; `*` stands for up to 8 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phrases: Option<Vec<String>>,
    /// A regular expression, matched against the folded text (lower case, Simplified, half-width).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near: Option<Near>,
    /// Example sentences, matched by meaning (the sentence encoder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meaning: Option<Vec<String>>,
    /// Cosine similarity a turn needs to an example (default 0.9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_similarity: Option<f32>,
    /// A silence before a turn longer than this many seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silence_over_s: Option<f64>,
    /// A turn that starts this many seconds or more before the other side's turn ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub talk_over_s: Option<f64>,
    /// A turn spoken slower or faster than [min, max] characters (Chinese) or words per minute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech_rate_outside: Option<[f64; 2]>,
    /// A turn with this feeling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emotion: Option<Feeling>,
    /// The conversation's ticket was (true) or was not (false) confirmed by a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_confirmed: Option<bool>,
    /// The required actions of every guided flow walked in the conversation were (true) or were
    /// not (false) all done, in their order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_steps_in_order: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Condition>>,
    /// Each condition first occurs no earlier than the one before it (A before B).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Vec<Condition>>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Speaker>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_turns: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_turns: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_count: Option<u32>,
}

/// What kind of rule a condition is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Phrases,
    Regex,
    Near,
    Meaning,
    Silence,
    TalkOver,
    SpeechRate,
    Emotion,
    TicketConfirmed,
    FlowOrder,
    All,
    Any,
    Not,
    Order,
}

impl Kind {
    pub const fn field(self) -> &'static str {
        match self {
            Kind::Phrases => "phrases",
            Kind::Regex => "regex",
            Kind::Near => "near",
            Kind::Meaning => "meaning",
            Kind::Silence => "silence_over_s",
            Kind::TalkOver => "talk_over_s",
            Kind::SpeechRate => "speech_rate_outside",
            Kind::Emotion => "emotion",
            Kind::TicketConfirmed => "ticket_confirmed",
            Kind::FlowOrder => "flow_steps_in_order",
            Kind::All => "all",
            Kind::Any => "any",
            Kind::Not => "not",
            Kind::Order => "order",
        }
    }

    /// Kinds judged turn by turn, which a speaker, window and count narrow.
    pub const fn per_turn(self) -> bool {
        !matches!(self, Kind::TicketConfirmed | Kind::FlowOrder | Kind::All | Kind::Any | Kind::Not | Kind::Order)
    }
}

impl Condition {
    /// The kinds this condition sets (a valid one sets exactly one).
    pub fn kinds(&self) -> Vec<Kind> {
        let set = [
            (self.phrases.is_some(), Kind::Phrases),
            (self.regex.is_some(), Kind::Regex),
            (self.near.is_some(), Kind::Near),
            (self.meaning.is_some(), Kind::Meaning),
            (self.silence_over_s.is_some(), Kind::Silence),
            (self.talk_over_s.is_some(), Kind::TalkOver),
            (self.speech_rate_outside.is_some(), Kind::SpeechRate),
            (self.emotion.is_some(), Kind::Emotion),
            (self.ticket_confirmed.is_some(), Kind::TicketConfirmed),
            (self.flow_steps_in_order.is_some(), Kind::FlowOrder),
            (self.all.is_some(), Kind::All),
            (self.any.is_some(), Kind::Any),
            (self.not.is_some(), Kind::Not),
            (self.order.is_some(), Kind::Order),
        ];
        set.into_iter().filter(|(on, _)| *on).map(|(_, kind)| kind).collect()
    }

    /// The one kind of a validated condition.
    pub fn kind(&self) -> Kind {
        self.kinds().first().copied().unwrap_or(Kind::All)
    }

    /// The conditions inside a composition.
    pub fn children(&self) -> Vec<&Condition> {
        let mut out: Vec<&Condition> = Vec::new();
        for list in [&self.all, &self.any, &self.order].into_iter().flatten() {
            out.extend(list.iter());
        }
        out.extend(self.not.as_deref());
        out
    }
}

/// A scorecard refused, with where: the item (when the fault is in one) and the field's path.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{}{field}: {message}", item.as_ref().map(|i| format!("item {i}: ")).unwrap_or_default())]
pub struct ScorecardError {
    pub item: Option<String>,
    pub field: String,
    pub message: String,
}

impl ScorecardError {
    fn new(item: Option<&str>, field: impl Into<String>, message: impl Into<String>) -> Self {
        ScorecardError { item: item.map(str::to_string), field: field.into(), message: message.into() }
    }
}

impl Scorecard {
    /// Reads a scorecard from YAML (JSON is YAML too) and validates it.
    pub fn parse(text: &str) -> Result<Scorecard, ScorecardError> {
        let trimmed = text.trim_start();
        let card: Scorecard = if trimmed.starts_with('{') {
            let mut de = serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let field = e.path().to_string();
                ScorecardError::new(None, field, e.into_inner().to_string())
            })?
        } else {
            let de = serde_yaml_ng::Deserializer::from_str(text);
            serde_path_to_error::deserialize(de).map_err(|e| {
                let field = e.path().to_string();
                ScorecardError::new(None, field, e.into_inner().to_string())
            })?
        };
        card.validate()?;
        Ok(card)
    }

    pub fn to_yaml(&self) -> String {
        serde_yaml_ng::to_string(self).unwrap_or_default()
    }

    pub fn items(&self) -> impl Iterator<Item = (&Section, &Item)> {
        self.sections.iter().flat_map(|section| section.items.iter().map(move |item| (section, item)))
    }

    /// Checks every rule: the first fault names its item and field.
    pub fn validate(&self) -> Result<(), ScorecardError> {
        if !is_slug(&self.id) {
            return Err(ScorecardError::new(None, "id", "use 1 to 64 letters, digits, '-' or '_'"));
        }
        if self.name.trim().is_empty() {
            return Err(ScorecardError::new(None, "name", "must not be empty"));
        }
        check_applies(None, "applies", &self.applies)?;
        if self.sections.is_empty() {
            return Err(ScorecardError::new(None, "sections", "a scorecard needs at least one section"));
        }
        let mut seen = std::collections::HashSet::new();
        let mut scored = false;
        for (s, section) in self.sections.iter().enumerate() {
            if section.name.trim().is_empty() {
                return Err(ScorecardError::new(None, format!("sections[{s}].name"), "must not be empty"));
            }
            if section.items.is_empty() {
                return Err(ScorecardError::new(None, format!("sections[{s}].items"), "a section needs at least one item"));
            }
            for item in &section.items {
                let id = Some(item.id.as_str());
                if !is_slug(&item.id) {
                    return Err(ScorecardError::new(id, "id", "use 1 to 64 letters, digits, '-' or '_'"));
                }
                if !seen.insert(item.id.as_str()) {
                    return Err(ScorecardError::new(id, "id", "another item has this id"));
                }
                if item.name.trim().is_empty() {
                    return Err(ScorecardError::new(id, "name", "must not be empty"));
                }
                if item.points > 100 {
                    return Err(ScorecardError::new(id, "points", "at most 100"));
                }
                scored |= item.points > 0 || item.critical;
                check_applies(id, "applies", &item.applies)?;
                if item.must.is_none() && item.must_not.is_none() {
                    return Err(ScorecardError::new(id, "must", "an item needs `must` or `must_not`"));
                }
                for (field, condition) in [("if", &item.when), ("must", &item.must), ("must_not", &item.must_not)] {
                    if let Some(condition) = condition {
                        check_condition(id, field, condition, 0)?;
                    }
                }
            }
        }
        if !scored {
            return Err(ScorecardError::new(None, "sections", "no item earns points or is critical"));
        }
        Ok(())
    }
}

fn is_slug(text: &str) -> bool {
    (1..=64).contains(&text.len()) && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn check_applies(item: Option<&str>, field: &str, applies: &Applies) -> Result<(), ScorecardError> {
    if let Some(language) = applies.languages.iter().find(|l| !matches!(l.as_str(), "zh" | "en")) {
        return Err(ScorecardError::new(item, format!("{field}.languages"), format!("'{language}' is not zh or en")));
    }
    if applies.categories.iter().chain(&applies.queues).any(|c| c.trim().is_empty()) {
        return Err(ScorecardError::new(item, field, "an empty category or queue"));
    }
    Ok(())
}

fn check_condition(item: Option<&str>, path: &str, c: &Condition, depth: usize) -> Result<(), ScorecardError> {
    let fail = |field: &str, message: &str| Err(ScorecardError::new(item, format!("{path}.{field}"), message));
    if depth > MAX_DEPTH {
        return Err(ScorecardError::new(item, path, format!("nested deeper than {MAX_DEPTH}")));
    }
    let kinds = c.kinds();
    let kind = match kinds.as_slice() {
        [one] => *one,
        [] => return Err(ScorecardError::new(item, path, "set one rule kind: phrases, regex, near, meaning, silence_over_s, talk_over_s, speech_rate_outside, emotion, ticket_confirmed, flow_steps_in_order, all, any, not or order")),
        many => {
            let names: Vec<_> = many.iter().map(|k| k.field()).collect();
            return Err(ScorecardError::new(item, path, format!("one rule kind per condition, found {}: wrap them in `all` or `any`", names.join(", "))));
        }
    };
    if !kind.per_turn() {
        for (field, set) in [
            ("speaker", c.speaker.is_some()),
            ("first_turns", c.first_turns.is_some()),
            ("last_turns", c.last_turns.is_some()),
            ("first_seconds", c.first_seconds.is_some()),
            ("last_seconds", c.last_seconds.is_some()),
            ("min_count", c.min_count.is_some()),
            ("max_count", c.max_count.is_some()),
        ] {
            if set {
                return fail(field, &format!("applies to rules judged turn by turn, not to `{}`", kind.field()));
            }
        }
    }
    let windows = [c.first_turns, c.last_turns, c.first_seconds, c.last_seconds];
    if windows.iter().filter(|w| w.is_some()).count() > 1 {
        return fail("first_turns", "use one window: first_turns, last_turns, first_seconds or last_seconds");
    }
    for (field, window) in ["first_turns", "last_turns", "first_seconds", "last_seconds"].into_iter().zip(windows) {
        if window == Some(0) {
            return fail(field, "must be at least 1");
        }
    }
    if let (Some(min), Some(max)) = (c.min_count, c.max_count) {
        if min > max {
            return fail("min_count", "is above max_count");
        }
    }
    if c.min_similarity.is_some() && kind != Kind::Meaning {
        return fail("min_similarity", "only goes with `meaning`");
    }
    let field = kind.field();
    match kind {
        Kind::Phrases => {
            let phrases = c.phrases.as_deref().unwrap_or_default();
            if phrases.is_empty() {
                return fail(field, "list at least one phrase");
            }
            if let Some(i) = phrases.iter().position(|p| p.replace('*', "").trim().is_empty()) {
                return fail(&format!("{field}[{i}]"), "an empty phrase");
            }
        }
        Kind::Regex => {
            let pattern = c.regex.as_deref().unwrap_or_default();
            if pattern.is_empty() || pattern.len() > MAX_REGEX_LEN {
                return fail(field, &format!("1 to {MAX_REGEX_LEN} bytes"));
            }
            if let Err(e) = regex::RegexBuilder::new(pattern).size_limit(REGEX_SIZE_LIMIT).build() {
                return fail(field, &format!("not a regular expression: {e}"));
            }
        }
        Kind::Near => {
            let near = c.near.as_ref().map(|n| (n.words.len(), n.within, n.words.iter().any(|w| w.trim().is_empty())));
            match near {
                Some((2, within, false)) if (1..=200).contains(&within) => {}
                Some((2, _, false)) => return fail("near.within", "1 to 200 characters"),
                _ => return fail("near.words", "two non-empty words"),
            }
        }
        Kind::Meaning => {
            let examples = c.meaning.as_deref().unwrap_or_default();
            if examples.is_empty() || examples.iter().any(|e| e.trim().is_empty()) {
                return fail(field, "list at least one non-empty example sentence");
            }
            if let Some(s) = c.min_similarity {
                if !(0.5..=1.0).contains(&s) {
                    return fail("min_similarity", "between 0.5 and 1");
                }
            }
        }
        Kind::Silence | Kind::TalkOver => {
            let seconds = c.silence_over_s.or(c.talk_over_s).unwrap_or_default();
            if !(seconds > 0.0 && seconds <= 3_600.0) {
                return fail(field, "seconds above 0, at most 3600");
            }
        }
        Kind::SpeechRate => {
            let [min, max] = c.speech_rate_outside.unwrap_or_default();
            if !(min >= 0.0 && max > min && max <= 2_000.0) {
                return fail(field, "[min, max] per minute, 0 ≤ min < max ≤ 2000");
            }
        }
        Kind::Emotion | Kind::TicketConfirmed | Kind::FlowOrder => {}
        Kind::All | Kind::Any | Kind::Order => {
            let list = [&c.all, &c.any, &c.order].into_iter().flatten().next().map(Vec::as_slice).unwrap_or_default();
            let least = if kind == Kind::Order { 2 } else { 1 };
            if list.len() < least {
                return fail(field, &format!("list at least {least} conditions"));
            }
            for (i, child) in list.iter().enumerate() {
                check_condition(item, &format!("{path}.{field}[{i}]"), child, depth + 1)?;
            }
        }
        Kind::Not => {
            if let Some(inner) = &c.not {
                check_condition(item, &format!("{path}.not"), inner, depth + 1)?;
            }
        }
    }
    Ok(())
}
