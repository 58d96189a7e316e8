//! Case mining: the teaching cases in the history. An *exemplary* case is one where the customer
//! arrived upset and left calm, or the quality score is high; a *problem* case is one that
//! escalated (a threat to complain, cancel or go to a regulator or the media; the risk turning
//! high), scored low, failed a critical item, or left the customer angry. Near-duplicates of the
//! same kind and category fall into one cluster, shown once by its clearest member. Every case
//! carries the features a trainer reads: speech rate, pauses, talk-over, the customer's emotion
//! arc, keywords, quality items, outcome.

use std::collections::{BTreeSet, HashMap};

use seatmate_core::{Conversation, Speaker};
use seatmate_signals::{ReasonKind, RiskLevel, RiskTracker};
use serde::{Deserialize, Serialize};

use crate::score::{similarity, Profile};

/// What one finished conversation brings to mining besides its turns.
#[derive(Clone, Debug)]
pub struct MineInput<'a> {
    pub conversation: &'a Conversation,
    /// The category (or intent) of its ticket, when it has one.
    pub category: Option<String>,
    pub quality: Option<QualityReading>,
    /// The emotion model's valence in [-1, 1] per turn (by index; `None` where unread).
    pub valences: Vec<Option<f32>>,
    /// A unit sentence vector of the customer's side, for near-duplicates; word overlap without.
    pub vector: Option<Vec<f32>>,
}

/// The conversation's inspection by the published scorecard.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QualityReading {
    pub score: f64,
    pub critical_failed: bool,
    /// The ids of the items it failed.
    pub failed_items: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct MineConfig {
    /// A score at or above this (and no critical failure) makes a case exemplary.
    pub exemplary_score: f64,
    /// A score below this makes a case a problem.
    pub problem_score: f64,
    /// The customer arrived upset: a valence at or below this in their first two turns.
    pub upset: f32,
    /// The customer left calm: their last turn at or above this.
    pub calm: f32,
    /// The customer left angry: their last turn at or below this.
    pub angry: f32,
    /// Cosine (vectors) at or above which two cases are near-duplicates.
    pub duplicate_cosine: f32,
    /// Word and character-pair cosine of the customers' words (without vectors) at or above which
    /// two cases are near-duplicates.
    pub duplicate_similarity: f32,
    pub keywords: usize,
    /// Members listed per cluster.
    pub members: usize,
}

impl Default for MineConfig {
    fn default() -> MineConfig {
        MineConfig {
            exemplary_score: 90.0,
            problem_score: 60.0,
            upset: -0.3,
            calm: 0.0,
            angry: -0.4,
            duplicate_cosine: 0.92,
            duplicate_similarity: 0.5,
            keywords: 8,
            members: 20,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    Exemplary,
    Problem,
}

impl CaseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::Exemplary => "exemplary",
            CaseKind::Problem => "problem",
        }
    }
}

/// Why a conversation is a case; the UI translates the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseReason {
    /// Arrived upset, left calm.
    TurnedAround,
    HighScore,
    /// A threat to complain, cancel, or go to a regulator or the media, or the risk turned high.
    Escalated,
    LowScore,
    CriticalFailure,
    LeftAngry,
}

/// One point of the customer's emotion arc.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArcPoint {
    pub turn: usize,
    pub valence: f32,
}

/// What a trainer reads about a case.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseFeatures {
    pub turns: usize,
    pub duration_ms: Option<i64>,
    /// Characters (Han) or words per minute over the agent's timed turns.
    pub agent_per_minute: Option<u32>,
    pub customer_per_minute: Option<u32>,
    /// Silences of at least [`seatmate_signals::LONG_SILENCE_MS`] between turns.
    pub pauses: usize,
    pub longest_pause_ms: Option<i64>,
    /// Turns that started at least [`seatmate_signals::TALK_OVER_MS`] before the other side ended.
    pub talk_overs: usize,
    pub talk_over_ms: i64,
    /// The customer's turns as the emotion model read them.
    pub emotion_arc: Vec<ArcPoint>,
    pub keywords: Vec<String>,
    pub score: Option<f64>,
    pub critical_failed: bool,
    pub failed_items: Vec<String>,
    /// The highest risk the conversation reached, 0 to 1, and the kinds of cue that raised it.
    pub peak_risk: f32,
    pub risk_reasons: Vec<ReasonKind>,
}

/// A mined case: the clearest conversation of a cluster of near-duplicates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MinedCase {
    pub conversation_id: String,
    pub kind: CaseKind,
    pub reasons: Vec<CaseReason>,
    pub category: Option<String>,
    pub features: CaseFeatures,
    /// How clear an example it is (higher first in the library).
    pub strength: f64,
    /// The cluster's size and its other members (up to [`MineConfig::members`]).
    pub cluster_size: usize,
    pub members: Vec<String>,
}

/// The features of one conversation, whether or not it becomes a case.
pub fn features(input: &MineInput<'_>) -> CaseFeatures {
    let turns = &input.conversation.turns;
    let mut features = CaseFeatures { turns: turns.len(), ..CaseFeatures::default() };
    let (first, last) = (turns.iter().find_map(|t| t.start_ms), turns.iter().rev().find_map(|t| t.end_ms));
    if let (Some(first), Some(last)) = (first, last) {
        features.duration_ms = Some(last - first);
    }
    let mut spoken: HashMap<Speaker, (usize, i64)> = HashMap::new();
    let mut risk = RiskTracker::default();
    let mut kinds = BTreeSet::new();
    for (i, turn) in turns.iter().enumerate() {
        let timing = seatmate_signals::timing(i.checked_sub(1).map(|p| &turns[p]), turn);
        if let Some(gap) = timing.silence_ms {
            features.pauses += 1;
            features.longest_pause_ms = Some(features.longest_pause_ms.unwrap_or(0).max(gap));
        }
        if let Some(over) = timing.talk_over_ms {
            features.talk_overs += 1;
            features.talk_over_ms += over;
        }
        if let (Some(start), Some(end)) = (turn.start_ms, turn.end_ms) {
            let entry = spoken.entry(turn.speaker).or_default();
            entry.0 += seatmate_text::spoken_units(&turn.text);
            entry.1 += (end - start).max(0);
        }
        let mut now = risk.observe(turn.speaker, &turn.text);
        if turn.speaker == Speaker::Customer {
            if let Some(valence) = input.valences.get(i).copied().flatten() {
                features.emotion_arc.push(ArcPoint { turn: i, valence });
                now = risk.feel(i, valence, "");
            }
        }
        if now.score > features.peak_risk {
            features.peak_risk = now.score;
        }
        if now.level == RiskLevel::High {
            kinds.extend(now.reasons.iter().map(|r| r.kind));
        }
        kinds.extend(now.reasons.iter().map(|r| r.kind).filter(|k| is_threat(*k)));
    }
    let rate = |speaker| {
        spoken
            .get(&speaker)
            .filter(|(units, ms)| *units > 0 && *ms >= 1_000)
            .map(|(units, ms)| (*units as i64 * 60_000 / ms) as u32)
    };
    features.agent_per_minute = rate(Speaker::Agent);
    features.customer_per_minute = rate(Speaker::Customer);
    features.risk_reasons = kinds.into_iter().collect();
    if let Some(quality) = &input.quality {
        features.score = Some(quality.score);
        features.critical_failed = quality.critical_failed;
        features.failed_items = quality.failed_items.clone();
    }
    features
}

fn is_threat(kind: ReasonKind) -> bool {
    matches!(kind, ReasonKind::Regulator | ReasonKind::Complaint | ReasonKind::Cancel | ReasonKind::Media)
}

/// What kind of case a conversation is, why, and how clear an example (`None`: not a case).
fn classify(features: &CaseFeatures, config: &MineConfig) -> Option<(CaseKind, Vec<CaseReason>, f64)> {
    let arc = &features.emotion_arc;
    let opening = arc.iter().take(2).map(|p| p.valence).fold(f32::INFINITY, f32::min);
    let closing = arc.last().map(|p| p.valence);
    let mut problem = Vec::new();
    let mut strength_problem = 0.0;
    if !features.risk_reasons.is_empty() || features.peak_risk >= 0.6 {
        problem.push(CaseReason::Escalated);
        strength_problem += 1.0 + f64::from(features.peak_risk);
    }
    if features.critical_failed {
        problem.push(CaseReason::CriticalFailure);
        strength_problem += 1.0;
    }
    if let Some(score) = features.score.filter(|s| *s < config.problem_score) {
        problem.push(CaseReason::LowScore);
        strength_problem += (config.problem_score - score) / 100.0 + 0.5;
    }
    if let Some(end) = closing.filter(|v| *v <= config.angry) {
        problem.push(CaseReason::LeftAngry);
        strength_problem += f64::from(-end);
    }
    if !problem.is_empty() {
        return Some((CaseKind::Problem, problem, strength_problem));
    }
    let mut exemplary = Vec::new();
    let mut strength = 0.0;
    let good_score = features.score.is_none_or(|s| s >= config.problem_score);
    if let Some(end) = closing.filter(|v| arc.len() >= 2 && opening <= config.upset && *v >= config.calm && good_score) {
        exemplary.push(CaseReason::TurnedAround);
        strength += 1.0 + f64::from(end - opening);
    }
    if let Some(score) = features.score.filter(|s| *s >= config.exemplary_score) {
        exemplary.push(CaseReason::HighScore);
        strength += score / 100.0;
    }
    (!exemplary.is_empty()).then_some((CaseKind::Exemplary, exemplary, strength))
}

/// Mines the cases among `inputs`: each qualifying conversation is classified, its features
/// computed, and near-duplicates of the same kind and category clustered (the strongest member
/// represents the cluster). Strongest clusters first.
pub fn mine(inputs: &[MineInput<'_>], config: &MineConfig) -> Vec<MinedCase> {
    let words: Vec<Vec<String>> = inputs.iter().map(|input| customer_words(input.conversation)).collect();
    let mut document_frequency: HashMap<&str, usize> = HashMap::new();
    for doc in &words {
        for word in doc.iter().collect::<BTreeSet<_>>() {
            *document_frequency.entry(word.as_str()).or_default() += 1;
        }
    }
    let n = inputs.len().max(1) as f64;
    let mut candidates: Vec<(usize, MinedCase, Profile)> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let mut features = features(input);
        let Some((kind, reasons, strength)) = classify(&features, config) else { continue };
        features.keywords = keywords(&words[i], &document_frequency, n, config.keywords);
        let profile = Profile::new(&customer_text(input.conversation));
        let case = MinedCase {
            conversation_id: input.conversation.id.clone(),
            kind,
            reasons,
            category: input.category.clone(),
            features,
            strength,
            cluster_size: 1,
            members: Vec::new(),
        };
        candidates.push((i, case, profile));
    }
    candidates.sort_by(|a, b| b.1.strength.total_cmp(&a.1.strength).then_with(|| a.1.conversation_id.cmp(&b.1.conversation_id)));
    // Greedy clustering: each case joins the first (strongest) representative it duplicates.
    let mut representatives: Vec<(usize, MinedCase, Profile)> = Vec::new();
    for (i, case, profile) in candidates {
        let duplicate = representatives.iter_mut().find(|(j, rep, rep_profile)| {
            rep.kind == case.kind
                && rep.category == case.category
                && match (&inputs[i].vector, &inputs[*j].vector) {
                    (Some(a), Some(b)) => cosine(a, b) >= config.duplicate_cosine,
                    _ => similarity(&profile, rep_profile) >= config.duplicate_similarity,
                }
        });
        match duplicate {
            Some((_, rep, _)) => {
                rep.cluster_size += 1;
                if rep.members.len() < config.members {
                    rep.members.push(case.conversation_id);
                }
            }
            None => representatives.push((i, case, profile)),
        }
    }
    representatives.into_iter().map(|(_, case, _)| case).collect()
}

/// The customer's content words (see [`seatmate_text::is_content_word`]), folded.
fn customer_words(conversation: &Conversation) -> Vec<String> {
    conversation
        .turns
        .iter()
        .filter(|t| t.speaker == Speaker::Customer)
        .flat_map(|t| seatmate_text::tokens(&seatmate_text::normalize(&t.text)))
        .filter(|t| t.kind != seatmate_text::TokenKind::Number && seatmate_text::is_content_word(&t.text))
        .map(|t| t.text)
        .collect()
}

/// The `k` words of `doc` with the highest tf-idf against the mined set.
fn keywords(doc: &[String], df: &HashMap<&str, usize>, n: f64, k: usize) -> Vec<String> {
    let mut tf: HashMap<&str, usize> = HashMap::new();
    for word in doc {
        *tf.entry(word.as_str()).or_default() += 1;
    }
    let mut scored: Vec<(f64, &str)> = tf
        .into_iter()
        .map(|(word, count)| {
            let idf = (n / df.get(word).copied().unwrap_or(1) as f64).ln() + 1.0;
            ((1.0 + (count as f64).ln()) * idf, word)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(k).map(|(_, w)| w.to_string()).collect()
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Everything the customer said, one turn a line.
fn customer_text(conversation: &Conversation) -> String {
    let turns = conversation.turns.iter().filter(|t| t.speaker == Speaker::Customer);
    turns.map(|t| t.text.as_str()).collect::<Vec<_>>().join("\n")
}
