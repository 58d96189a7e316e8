//! Dialogue quality as annotators judge it (STC-3 DCH-1): the distribution of the annotators'
//! A (task accomplishment), S (customer satisfaction) and E (efficiency) scores over the five bins
//! 2, 1, 0, −1, −2, and per turn the distribution of their nugget types; the official measures
//! (NMD, RSNOD, JSD, RNSS, as the organisers' `eval.py` defines them); the organisers' baselines
//! (uniform, popularity) and a trained prior; and Seatmate's model.
//!
//! The model is soft-label multinomial logistic regression: cross-entropy against the annotators'
//! distribution, L2, fitted by L-BFGS, one softmax per score (A, S, E) over one feature vector
//! of the dialogue, and one per speaker over one feature vector of each turn for the nuggets.
//! Dialogue features: TF-IDF blocks of `seatmate_text` features (words, word bigrams, Han
//! characters; `seatmate_classify`'s vectorizer, features seen in fewer than
//! three training texts dropped) over the whole dialogue, the customer's last turn and the last
//! turn (whether the customer ends thanking or still complaining carries most of the signal); and
//! standardised counts: turns, customer and helpdesk turns, characters (whole,
//! each side, last turn, last customer turn, first turn), who speaks last, empty turns, negative
//! and positive cue words of each side and of the customer's last turn, question and exclamation
//! marks, and the emotion model's valence arc when the caller read one. Turn features: the words of
//! the turn, and at half weight those of the turn before and the turn after (one vectorizer over
//! turns), its position, its rank among its speaker's turns, the dialogue's length, the turn's and
//! its neighbours' lengths, its own and the next turn's cue counts, and its valence. The L2 strength of every softmax is chosen by
//! cross-validation inside the training dialogues (the official measure: NMD for a score, JSD for
//! a speaker's nuggets), then the model is refitted on all of them.
//!
//! Invariant: pure computation; no file, clock or store. Threads only to fit independent models
//! side by side.

use std::collections::VecDeque;
use std::sync::Mutex;

use seatmate_classify::{FeatureSettings, Rng, SparseVec, Vectorizer};
use serde::Serialize;

/// Bins of a quality score, in `eval.py`'s order (`QUALITY_SCALES`): 2, 1, 0, −1, −2.
pub const SCALE: [i8; BINS] = [2, 1, 0, -1, -2];
pub const BINS: usize = 5;
/// The three scores, in the order every `[_; 3]` here uses.
pub const SCORES: [&str; 3] = ["A", "S", "E"];
/// Nugget types of a customer turn and of a helpdesk turn, in `eval.py`'s order.
pub const CUSTOMER_NUGGETS: [&str; 4] = ["CNUG0", "CNUG", "CNUG*", "CNaN"];
pub const HELPDESK_NUGGETS: [&str; 3] = ["HNUG", "HNUG*", "HNaN"];
/// `eval.py`'s default weight of the customer turns in a dialogue's nugget score.
pub const ALPHA: f64 = 0.5;

/// A distribution over the five quality bins.
pub type Distribution = [f64; BINS];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Sender {
    Customer,
    Helpdesk,
}

impl Sender {
    /// The nugget types a turn of this speaker can carry.
    pub fn nuggets(self) -> &'static [&'static str] {
        match self {
            Sender::Customer => &CUSTOMER_NUGGETS,
            Sender::Helpdesk => &HELPDESK_NUGGETS,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Turn {
    pub sender: Sender,
    /// The turn's utterances joined with newlines; empty when none had text (uncrawled emoji).
    pub text: String,
    pub utterances: usize,
    /// The emotion model's valence of the turn (−1..1), when the caller read one.
    pub valence: Option<f32>,
    /// The turn's sentence vector (multilingual-e5), when the caller read one; read by
    /// [`Inputs::WithVectors`].
    pub vector: Option<Vec<f32>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dialogue {
    pub turns: Vec<Turn>,
}

impl Dialogue {
    pub fn senders(&self) -> Vec<Sender> {
        self.turns.iter().map(|t| t.sender).collect()
    }
}

/// One annotator's judgement of a dialogue: A, S, E in −2..2 and a nugget type per turn.
#[derive(Clone, Debug, PartialEq)]
pub struct Annotation {
    pub quality: [i8; 3],
    pub nuggets: Vec<String>,
}

/// The annotators' judgements as distributions: per score over [`SCALE`], per turn over its
/// speaker's nugget types (annotator counts normalised, as `eval.py`'s `_truth2prob`).
#[derive(Clone, Debug, PartialEq)]
pub struct Gold {
    pub quality: [Distribution; 3],
    pub nuggets: Vec<Vec<f64>>,
}

#[derive(Debug, thiserror::Error)]
pub enum DialogueError {
    #[error("{0}")]
    Invalid(String),
}

impl Gold {
    pub fn from_annotations(dialogue: &Dialogue, annotations: &[Annotation]) -> Result<Gold, DialogueError> {
        if annotations.is_empty() {
            return Err(DialogueError::Invalid("no annotations".into()));
        }
        let mut quality = [[0.0; BINS]; 3];
        for annotation in annotations {
            for (s, score) in annotation.quality.iter().enumerate() {
                let bin = SCALE
                    .iter()
                    .position(|b| b == score)
                    .ok_or_else(|| DialogueError::Invalid(format!("{} score {score} is outside −2..2", SCORES[s])))?;
                quality[s][bin] += 1.0;
            }
        }
        for distribution in &mut quality {
            let total: f64 = distribution.iter().sum();
            distribution.iter_mut().for_each(|p| *p /= total);
        }
        let mut nuggets = Vec::with_capacity(dialogue.turns.len());
        for (t, turn) in dialogue.turns.iter().enumerate() {
            let types = turn.sender.nuggets();
            let mut counts = vec![0.0; types.len()];
            for annotation in annotations {
                // labels of the other speaker's types are not counted, as in eval.py
                if let Some(k) = annotation.nuggets.get(t).and_then(|label| types.iter().position(|n| n == label)) {
                    counts[k] += 1.0;
                }
            }
            let total: f64 = counts.iter().sum();
            if total == 0.0 {
                return Err(DialogueError::Invalid(format!("no annotator gave turn {t} a nugget type of its speaker")));
            }
            counts.iter_mut().for_each(|c| *c /= total);
            nuggets.push(counts);
        }
        Ok(Gold { quality, nuggets })
    }

    /// The most frequent bin of each score (the first on ties).
    pub fn majority(&self) -> [usize; 3] {
        self.quality.map(|d| argmax(&d))
    }
}

fn argmax(values: &[f64]) -> usize {
    values.iter().enumerate().fold(0, |best, (i, v)| if *v > values[best] { i } else { best })
}

/// What a scorer says about a dialogue: the three score distributions and, per turn, the
/// distribution over its speaker's nugget types.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    pub quality: [Distribution; 3],
    pub nuggets: Vec<Vec<f64>>,
}

// ---------------------------------------------------------------------------------------------
// The measures, as eval.py defines them

/// `eval.py`'s `normalize`: each divided by its sum.
fn normalized(p: &[f64]) -> Vec<f64> {
    let total: f64 = p.iter().sum();
    p.iter().map(|v| v / total).collect()
}

/// NMD, Normalised Match Distance: the L1 distance of the cumulative distributions over
/// (bins − 1).
pub fn nmd(pred: &[f64], truth: &[f64]) -> f64 {
    let (p, q) = (normalized(pred), normalized(truth));
    let (mut cp, mut cq, mut sum) = (0.0, 0.0, 0.0);
    for (a, b) in p.iter().zip(&q) {
        cp += a;
        cq += b;
        sum += (cp - cq).abs();
    }
    sum / (p.len() as f64 - 1.0)
}

/// RSNOD, Root Symmetric Normalised Order-aware Divergence, as `eval.py` computes it: the
/// order-aware divergence averages, over every bin i, Σⱼ |i − j| (pⱼ − qⱼ)².
pub fn rsnod(pred: &[f64], truth: &[f64]) -> f64 {
    let (p, q) = (normalized(pred), normalized(truth));
    let n = p.len();
    let order_aware = |a: &[f64], b: &[f64]| {
        (0..n).map(|i| (0..n).map(|j| i.abs_diff(j) as f64 * (a[j] - b[j]).powi(2)).sum::<f64>()).sum::<f64>() / n as f64
    };
    let sod = (order_aware(&p, &q) + order_aware(&q, &p)) / 2.0;
    (sod / (n as f64 - 1.0)).sqrt()
}

/// RNSS, Root Normalised Sum of Squares.
pub fn rnss(pred: &[f64], truth: &[f64]) -> f64 {
    let (p, q) = (normalized(pred), normalized(truth));
    (p.iter().zip(&q).map(|(a, b)| (a - b).powi(2)).sum::<f64>() / 2.0).sqrt()
}

/// JSD, Jensen–Shannon divergence in bits (terms with a zero probability count nothing, as in
/// `scipy.stats.entropy`).
pub fn jsd(pred: &[f64], truth: &[f64]) -> f64 {
    let (p, q) = (normalized(pred), normalized(truth));
    let m: Vec<f64> = p.iter().zip(&q).map(|(a, b)| (a + b) / 2.0).collect();
    let kl = |a: &[f64]| a.iter().zip(&m).filter(|(x, _)| **x > 0.0).map(|(x, y)| x * (x / y).log2()).sum::<f64>();
    (kl(&p) + kl(&q)) / 2.0
}

/// A dialogue's nugget score (`eval.py`'s `evaluate_nugget`): the mean of `measure` over its
/// customer turns weighted `alpha`, plus the mean over its helpdesk turns weighted 1 − `alpha`.
/// A dialogue without turns of one side scores the other side's mean (eval.py would give NaN;
/// STC-3 has no such dialogue).
pub fn nugget_score(
    pred: &[Vec<f64>],
    truth: &[Vec<f64>],
    senders: &[Sender],
    alpha: f64,
    measure: fn(&[f64], &[f64]) -> f64,
) -> f64 {
    let (mut customer, mut helpdesk) = (Vec::new(), Vec::new());
    for ((p, t), sender) in pred.iter().zip(truth).zip(senders) {
        match sender {
            Sender::Customer => customer.push(measure(p, t)),
            Sender::Helpdesk => helpdesk.push(measure(p, t)),
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    match (customer.is_empty(), helpdesk.is_empty()) {
        (false, false) => mean(&customer) * alpha + mean(&helpdesk) * (1.0 - alpha),
        (false, true) => mean(&customer),
        (true, false) => mean(&helpdesk),
        (true, true) => f64::NAN,
    }
}

/// The official figures of a set of predictions: means over dialogues.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Figures {
    /// NMD of A, S, E.
    pub nmd: [f64; 3],
    /// RSNOD of A, S, E.
    pub rsnod: [f64; 3],
    /// Nugget detection, customer turns weighted [`ALPHA`].
    pub jsd: f64,
    pub rnss: f64,
}

pub fn evaluate(dialogues: &[&Dialogue], gold: &[&Gold], predictions: &[Prediction]) -> Figures {
    let mut figures = Figures::default();
    let n = predictions.len().max(1) as f64;
    for ((dialogue, gold), prediction) in dialogues.iter().zip(gold).zip(predictions) {
        for s in 0..3 {
            figures.nmd[s] += nmd(&prediction.quality[s], &gold.quality[s]) / n;
            figures.rsnod[s] += rsnod(&prediction.quality[s], &gold.quality[s]) / n;
        }
        let senders = dialogue.senders();
        figures.jsd += nugget_score(&prediction.nuggets, &gold.nuggets, &senders, ALPHA, jsd) / n;
        figures.rnss += nugget_score(&prediction.nuggets, &gold.nuggets, &senders, ALPHA, rnss) / n;
    }
    figures
}

// ---------------------------------------------------------------------------------------------
// Baselines

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Baseline {
    /// Every bin and every nugget type equally likely.
    Uniform,
    /// The organisers' popularity baseline: probability 1 on the bin that is most often the
    /// majority bin of a training dialogue (per score), and on the nugget type that is most often
    /// the majority type of a training turn (per speaker).
    Popularity,
    /// The mean training distribution of each score, and of each speaker's turns.
    Prior,
}

/// A baseline fitted on training dialogues: one distribution per score and per speaker.
#[derive(Clone, Debug, PartialEq)]
pub struct BaselineModel {
    quality: [Distribution; 3],
    customer: Vec<f64>,
    helpdesk: Vec<f64>,
}

impl BaselineModel {
    pub fn fit(kind: Baseline, dialogues: &[&Dialogue], gold: &[&Gold]) -> BaselineModel {
        let uniform = |n: usize| vec![1.0 / n as f64; n];
        let mut model = BaselineModel {
            quality: [[1.0 / BINS as f64; BINS]; 3],
            customer: uniform(CUSTOMER_NUGGETS.len()),
            helpdesk: uniform(HELPDESK_NUGGETS.len()),
        };
        if kind == Baseline::Uniform || gold.is_empty() {
            return model;
        }
        let mut quality = [[0.0; BINS]; 3];
        let mut customer = vec![0.0; CUSTOMER_NUGGETS.len()];
        let mut helpdesk = vec![0.0; HELPDESK_NUGGETS.len()];
        for (dialogue, gold) in dialogues.iter().zip(gold) {
            for s in 0..3 {
                match kind {
                    Baseline::Popularity => quality[s][argmax(&gold.quality[s])] += 1.0,
                    _ => quality[s].iter_mut().zip(&gold.quality[s]).for_each(|(a, b)| *a += b),
                }
            }
            for (turn, truth) in dialogue.turns.iter().zip(&gold.nuggets) {
                let sum = if turn.sender == Sender::Customer { &mut customer } else { &mut helpdesk };
                match kind {
                    Baseline::Popularity => sum[argmax(truth)] += 1.0,
                    _ => sum.iter_mut().zip(truth).for_each(|(a, b)| *a += b),
                }
            }
        }
        let finish = |counts: &[f64]| -> Vec<f64> {
            let total: f64 = counts.iter().sum();
            match kind {
                _ if total == 0.0 => uniform(counts.len()),
                Baseline::Popularity => {
                    let top = argmax(counts);
                    (0..counts.len()).map(|k| f64::from(u8::from(k == top))).collect()
                }
                _ => counts.iter().map(|c| c / total).collect(),
            }
        };
        for (out, counts) in model.quality.iter_mut().zip(&quality) {
            out.copy_from_slice(&finish(counts));
        }
        model.customer = finish(&customer);
        model.helpdesk = finish(&helpdesk);
        model
    }

    pub fn predict(&self, dialogue: &Dialogue) -> Prediction {
        let nuggets = dialogue
            .turns
            .iter()
            .map(|t| if t.sender == Sender::Customer { self.customer.clone() } else { self.helpdesk.clone() })
            .collect();
        Prediction { quality: self.quality, nuggets }
    }
}

// ---------------------------------------------------------------------------------------------
// Cue words

/// Negative cue words (Chinese and English), counted in the customer's and the helpdesk's words.
const NEGATIVE_CUES: &[&str] = &[
    "不满意",
    "不满",
    "失望",
    "生气",
    "愤怒",
    "气愤",
    "郁闷",
    "无语",
    "崩溃",
    "糟糕",
    "太差",
    "很差",
    "差劲",
    "垃圾",
    "坑爹",
    "坑人",
    "骗人",
    "骗子",
    "欺骗",
    "忽悠",
    "敷衍",
    "恶心",
    "讨厌",
    "不行",
    "不爽",
    "可恶",
    "无奈",
    "无耻",
    "投诉",
    "还没",
    "没有解决",
    "没解决",
    "没用",
    "不负责",
    "受不了",
    "呵呵",
    "怎么回事",
    "为什么",
    "到底",
    "几天了",
    "一直",
    "再次",
    "又",
    "bad",
    "terrible",
    "awful",
    "horrible",
    "poor",
    "worst",
    "angry",
    "upset",
    "annoyed",
    "disappointed",
    "unhappy",
    "dissatisfied",
    "hate",
    "useless",
    "rubbish",
    "garbage",
    "ridiculous",
    "unacceptable",
    "cheat",
    "cheated",
    "slow",
    "fail",
    "failed",
    "complain",
    "complaint",
    "still",
    "again",
    "why",
    "shit",
];

/// Positive cue words: thanks, satisfaction, a problem solved.
const POSITIVE_CUES: &[&str] = &[
    "谢谢",
    "感谢",
    "多谢",
    "满意",
    "不错",
    "很好",
    "挺好",
    "好评",
    "点赞",
    "给力",
    "开心",
    "高兴",
    "喜欢",
    "完美",
    "方便",
    "辛苦",
    "解决了",
    "好了",
    "可以了",
    "恢复了",
    "收到",
    "明白",
    "知道了",
    "好的",
    "嗯嗯",
    "thank",
    "thanks",
    "good",
    "great",
    "excellent",
    "happy",
    "satisfied",
    "nice",
    "appreciate",
    "helpful",
    "perfect",
    "solved",
    "resolved",
    "fixed",
    "ok",
    "okay",
    "received",
];

/// (negative, positive) cue words in `text`: Chinese cues as substrings, the longest first, each
/// span counted once (不满意 is negative, not also 满意); English cues as whole words.
pub fn cue_counts(text: &str) -> (f64, f64) {
    let mut folded = seatmate_text::normalize(text);
    let words: Vec<String> = seatmate_text::tokens(&folded).into_iter().map(|t| t.text).collect();
    let mut cues: Vec<(&str, bool)> =
        NEGATIVE_CUES.iter().map(|c| (*c, true)).chain(POSITIVE_CUES.iter().map(|c| (*c, false))).collect();
    cues.sort_by_key(|(c, _)| std::cmp::Reverse(c.chars().count()));
    let (mut negative, mut positive) = (0.0, 0.0);
    for (cue, is_negative) in cues {
        let n = if cue.is_ascii() {
            words.iter().filter(|w| w.as_str() == cue).count()
        } else {
            let n = folded.matches(cue).count();
            if n > 0 {
                folded = folded.replace(cue, " ");
            }
            n
        };
        if is_negative {
            negative += n as f64;
        } else {
            positive += n as f64;
        }
    }
    (negative, positive)
}

// ---------------------------------------------------------------------------------------------
// Features

/// Which inputs a model reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Inputs {
    /// Lengths only: turns, customer and helpdesk turns, characters (per turn: position, rank,
    /// the dialogue's turns, characters).
    Lengths,
    /// Everything but sentence vectors: words, lengths, structure, cues, valence.
    Full,
    /// Everything of `Full` and the turns' sentence vectors.
    WithVectors,
}

/// The dialogue-level text blocks, each with its own vocabulary.
const BLOCKS: [Block; 3] = [Block::Whole, Block::LastCustomer, Block::Last];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    Whole,
    LastCustomer,
    Last,
}

impl Block {
    fn text(self, dialogue: &Dialogue) -> String {
        let join = |turns: &mut dyn Iterator<Item = &Turn>| turns.map(|t| t.text.as_str()).collect::<Vec<_>>().join("\n");
        match self {
            Block::Whole => join(&mut dialogue.turns.iter()),
            Block::LastCustomer => join(&mut dialogue.turns.iter().rev().filter(|t| t.sender == Sender::Customer).take(1)),
            Block::Last => join(&mut dialogue.turns.iter().rev().take(1)),
        }
    }
}

/// Weight of the standardised dense features beside the unit-length TF-IDF blocks.
const DENSE_SCALE: f64 = 0.3;
/// Turn counts with their own indicator (2 … 7, longer dialogues count as 7).
const TURN_COUNTS: std::ops::RangeInclusive<usize> = 2..=7;

fn ln_chars(text: &str) -> f64 {
    (1.0 + text.chars().filter(|c| !c.is_whitespace()).count() as f64).ln()
}

fn count_chars(text: &str, set: &[char]) -> f64 {
    text.chars().filter(|c| set.contains(c)).count() as f64
}

fn one_hot(value: usize, range: std::ops::RangeInclusive<usize>) -> impl Iterator<Item = f64> {
    let v = value.clamp(*range.start(), *range.end());
    range.map(move |k| f64::from(u8::from(k == v)))
}

/// The dense features of a dialogue.
fn dialogue_dense(dialogue: &Dialogue, inputs: Inputs) -> Vec<f64> {
    let turns = &dialogue.turns;
    let customer: Vec<&Turn> = turns.iter().filter(|t| t.sender == Sender::Customer).collect();
    let helpdesk: Vec<&Turn> = turns.iter().filter(|t| t.sender == Sender::Helpdesk).collect();
    let side_chars = |side: &[&Turn]| (1.0 + side.iter().map(|t| ln_chars(&t.text).exp() - 1.0).sum::<f64>()).ln();
    let mut out = vec![turns.len() as f64, customer.len() as f64, helpdesk.len() as f64];
    out.extend(one_hot(turns.len(), TURN_COUNTS));
    out.extend([side_chars(&turns.iter().collect::<Vec<_>>()), side_chars(&customer), side_chars(&helpdesk)]);
    if inputs == Inputs::Lengths {
        return out;
    }
    let empty = |side: &[&Turn]| side.iter().filter(|t| t.text.trim().is_empty()).count() as f64;
    let last_customer = customer.last().map_or("", |t| t.text.as_str());
    let joined = |side: &[&Turn]| side.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join("\n");
    let (customer_negative, customer_positive) = cue_counts(&joined(&customer));
    let (helpdesk_negative, helpdesk_positive) = cue_counts(&joined(&helpdesk));
    let (last_negative, last_positive) = cue_counts(last_customer);
    out.extend([
        f64::from(u8::from(turns.last().is_some_and(|t| t.sender == Sender::Customer))),
        turns.last().map_or(0.0, |t| ln_chars(&t.text)),
        ln_chars(last_customer),
        turns.first().map_or(0.0, |t| ln_chars(&t.text)),
        empty(&customer),
        empty(&helpdesk),
        customer_negative,
        customer_positive,
        helpdesk_negative,
        helpdesk_positive,
        last_negative,
        last_positive,
        count_chars(last_customer, &['?', '？']),
        count_chars(&joined(&customer), &['!', '！']),
    ]);
    // the valence arc of the customer's turns, when an emotion model read them
    let valence: Vec<f64> = customer.iter().filter_map(|t| t.valence).map(f64::from).collect();
    if valence.is_empty() {
        out.extend([0.0; 6]);
    } else {
        let (first, last) = (valence[0], valence[valence.len() - 1]);
        let min = valence.iter().copied().fold(f64::INFINITY, f64::min);
        let mean = valence.iter().sum::<f64>() / valence.len() as f64;
        out.extend([1.0, first, last, min, mean, last - first]);
    }
    out
}

/// The dense features of turn `t` of a dialogue.
fn turn_dense(dialogue: &Dialogue, t: usize, inputs: Inputs) -> Vec<f64> {
    let turns = &dialogue.turns;
    let turn = &turns[t];
    let rank = turns[..t].iter().filter(|u| u.sender == turn.sender).count();
    let mut out: Vec<f64> = one_hot(t, 0..=6).collect();
    out.extend(one_hot(rank, 0..=3));
    out.extend(one_hot(turns.len(), TURN_COUNTS));
    out.extend([
        f64::from(u8::from(t + 1 == turns.len())),
        t as f64 / (turns.len().max(2) - 1) as f64,
        ln_chars(&turn.text),
        t.checked_sub(1).map_or(0.0, |p| ln_chars(&turns[p].text)),
        turns.get(t + 1).map_or(0.0, |n| ln_chars(&n.text)),
        f64::from(u8::from(turn.text.trim().is_empty())),
        turn.utterances as f64,
    ]);
    if inputs == Inputs::Lengths {
        return out;
    }
    let (negative, positive) = cue_counts(&turn.text);
    let (next_negative, next_positive) = turns.get(t + 1).map_or((0.0, 0.0), |n| cue_counts(&n.text));
    out.extend([
        negative,
        positive,
        next_negative,
        next_positive,
        count_chars(&turn.text, &['?', '？']),
        f64::from(u8::from(turn.valence.is_some())),
        turn.valence.map_or(0.0, f64::from),
    ]);
    out
}

/// Centres and scales dense features on the training rows.
#[derive(Clone, Debug)]
struct Standardizer {
    mean: Vec<f64>,
    scale: Vec<f64>,
}

impl Standardizer {
    fn fit(rows: &[Vec<f64>]) -> Standardizer {
        let d = rows.first().map_or(0, Vec::len);
        let n = rows.len().max(1) as f64;
        let mean: Vec<f64> = (0..d).map(|j| rows.iter().map(|r| r[j]).sum::<f64>() / n).collect();
        let scale = (0..d)
            .map(|j| {
                let sd = (rows.iter().map(|r| (r[j] - mean[j]).powi(2)).sum::<f64>() / n).sqrt();
                if sd > 1e-9 {
                    sd
                } else {
                    1.0
                }
            })
            .collect();
        Standardizer { mean, scale }
    }

    fn len(&self) -> usize {
        self.mean.len()
    }

    /// Appends the standardised row at ids `offset..`.
    fn append(&self, row: &[f64], offset: usize, out: &mut SparseVec) {
        for (j, v) in row.iter().enumerate() {
            let z = (v - self.mean[j]) / self.scale[j] * DENSE_SCALE;
            if z != 0.0 {
                out.ids.push((offset + j) as u32);
                out.values.push(z as f32);
            }
        }
    }
}

/// The text features of every block: words and word bigrams (Chinese words from the segmenter)
/// and Han characters; no longer character n-grams (they multiply the features, and the time to
/// fit, several times over for little).
fn text_features() -> FeatureSettings {
    FeatureSettings { word_ngrams: 2, han_chars: (1, 1), word_chars: (0, 0) }
}

/// A vectorizer fitted on training texts with the features seen in fewer than `min_df` of them
/// dropped, and the training texts' vectors.
fn fit_vectorizer(texts: &[&str], min_df: u32) -> (Vectorizer, Vec<SparseVec>) {
    let (mut vectorizer, vectors) = Vectorizer::fit(texts, &text_features());
    if min_df <= 1 {
        return (vectorizer, vectors);
    }
    // idf = ln((1 + n) / (1 + df)) + 1 falls as df grows: keep what lies below the midpoint
    // between document frequencies min_df − 1 and min_df
    let n = texts.len() as f32;
    let idf = |df: f32| ((1.0 + n) / (1.0 + df)).ln() + 1.0;
    let limit = (idf(min_df as f32) + idf(min_df as f32 - 1.0)) / 2.0;
    let mut remap = vec![u32::MAX; vectorizer.len()];
    let (mut hashes, mut idfs) = (Vec::new(), Vec::new());
    for (old, (&hash, &weight)) in vectorizer.hashes.iter().zip(&vectorizer.idf).enumerate() {
        if weight < limit {
            remap[old] = hashes.len() as u32;
            hashes.push(hash);
            idfs.push(weight);
        }
    }
    vectorizer.hashes = hashes;
    vectorizer.idf = idfs;
    vectorizer.reindex();
    // the training vectors without the dropped features, unit length again (what `transform`
    // with the pruned vocabulary gives)
    let vectors = vectors
        .into_iter()
        .map(|v| {
            let mut out = SparseVec::default();
            for (&id, &value) in v.ids.iter().zip(&v.values) {
                if remap[id as usize] != u32::MAX {
                    out.ids.push(remap[id as usize]);
                    out.values.push(value);
                }
            }
            let norm = out.values.iter().map(|v| v * v).sum::<f32>().sqrt();
            if norm > 0.0 {
                out.values.iter_mut().for_each(|v| *v /= norm);
            }
            out
        })
        .collect();
    (vectorizer, vectors)
}

/// Appends `block` at ids `offset..` scaled by `weight`.
fn append_sparse(block: &SparseVec, offset: usize, weight: f32, out: &mut SparseVec) {
    for (&id, &value) in block.ids.iter().zip(&block.values) {
        out.ids.push(offset as u32 + id);
        out.values.push(value * weight);
    }
}

/// Dialogues and turns to feature vectors, fitted on the training dialogues.
#[derive(Clone, Debug)]
struct Featurizer {
    inputs: Inputs,
    blocks: Vec<Vectorizer>,
    dialogue_dense: Standardizer,
    turns: Option<Vectorizer>,
    turn_dense: Standardizer,
    sentence: Option<SentenceVectors>,
}

/// The turns' sentence vectors as features: centred on the training turns' mean and scaled so a
/// centred training vector has unit length on average, like a TF-IDF block. A dialogue reads three
/// (its customer turns' mean, its customer's last turn, its last turn); a turn its own and, at
/// half weight, its neighbours'. Turns without a vector read zeros.
#[derive(Clone, Debug)]
struct SentenceVectors {
    mean: Vec<f32>,
    scale: f32,
}

impl SentenceVectors {
    /// None when no training turn carries a vector.
    fn fit(dialogues: &[&Dialogue]) -> Option<SentenceVectors> {
        let vectors: Vec<&[f32]> = dialogues.iter().flat_map(|d| &d.turns).filter_map(|t| t.vector.as_deref()).collect();
        let dim = vectors.first()?.len();
        let n = vectors.len() as f32;
        let mut mean = vec![0.0f32; dim];
        for v in &vectors {
            mean.iter_mut().zip(v.iter()).for_each(|(m, x)| *m += x / n);
        }
        let norm = |v: &[f32]| v.iter().zip(&mean).map(|(x, m)| (x - m).powi(2)).sum::<f32>().sqrt();
        let mean_norm = vectors.iter().map(|v| norm(v)).sum::<f32>() / n;
        Some(SentenceVectors { scale: if mean_norm > 0.0 { 1.0 / mean_norm } else { 1.0 }, mean })
    }

    fn dim(&self) -> usize {
        self.mean.len()
    }

    /// Appends the centred, scaled mean of `turns`' vectors (zeros for none) at ids `offset..`.
    fn append(&self, turns: &[&Turn], offset: usize, weight: f32, out: &mut SparseVec) {
        let present: Vec<&[f32]> = turns.iter().filter_map(|t| t.vector.as_deref()).filter(|v| v.len() == self.dim()).collect();
        if present.is_empty() {
            return;
        }
        let n = present.len() as f32;
        for j in 0..self.dim() {
            let x = present.iter().map(|v| v[j]).sum::<f32>() / n - self.mean[j];
            out.ids.push((offset + j) as u32);
            out.values.push(x * self.scale * weight);
        }
    }
}

/// Vectors of the training dialogues and of their turns (by speaker), made while fitting.
struct TrainingRows {
    dialogues: Vec<SparseVec>,
    /// (dialogue, turn) of each customer turn, and their rows.
    customer: (Vec<(usize, usize)>, Vec<SparseVec>),
    helpdesk: (Vec<(usize, usize)>, Vec<SparseVec>),
}

impl Featurizer {
    fn fit(dialogues: &[&Dialogue], inputs: Inputs, min_df: u32) -> (Featurizer, TrainingRows) {
        let dense: Vec<Vec<f64>> = dialogues.iter().map(|d| dialogue_dense(d, inputs)).collect();
        let dialogue_dense = Standardizer::fit(&dense);
        let turn_rows: Vec<(usize, usize)> =
            dialogues.iter().enumerate().flat_map(|(i, d)| (0..d.turns.len()).map(move |t| (i, t))).collect();
        let turn_dense_rows: Vec<Vec<f64>> = turn_rows.iter().map(|&(i, t)| turn_dense(dialogues[i], t, inputs)).collect();
        let turn_dense = Standardizer::fit(&turn_dense_rows);
        let (mut blocks, mut block_vectors) = (Vec::new(), Vec::new());
        let mut turn_vectorizer = None;
        let mut turn_vectors: Vec<Vec<SparseVec>> = dialogues.iter().map(|d| vec![SparseVec::default(); d.turns.len()]).collect();
        if inputs != Inputs::Lengths {
            for block in BLOCKS {
                let texts: Vec<String> = dialogues.iter().map(|d| block.text(d)).collect();
                let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
                let (vectorizer, vectors) = fit_vectorizer(&refs, min_df);
                blocks.push(vectorizer);
                block_vectors.push(vectors);
            }
            let refs: Vec<&str> = turn_rows.iter().map(|&(i, t)| dialogues[i].turns[t].text.as_str()).collect();
            let (vectorizer, vectors) = fit_vectorizer(&refs, min_df);
            for (&(i, t), v) in turn_rows.iter().zip(vectors) {
                turn_vectors[i][t] = v;
            }
            turn_vectorizer = Some(vectorizer);
        }
        let sentence = if inputs == Inputs::WithVectors { SentenceVectors::fit(dialogues) } else { None };
        let featurizer = Featurizer { inputs, blocks, dialogue_dense, turns: turn_vectorizer, turn_dense, sentence };
        let rows_dialogues = (0..dialogues.len())
            .map(|i| {
                let parts: Vec<&SparseVec> = block_vectors.iter().map(|b| &b[i]).collect();
                featurizer.dialogue_row(dialogues[i], &parts, &dense[i])
            })
            .collect();
        let (mut customer, mut helpdesk) = ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()));
        for (&(i, t), dense) in turn_rows.iter().zip(&turn_dense_rows) {
            let row = featurizer.turn_row(dialogues[i], &turn_vectors[i], t, dense);
            let side = if dialogues[i].turns[t].sender == Sender::Customer { &mut customer } else { &mut helpdesk };
            side.0.push((i, t));
            side.1.push(row);
        }
        (featurizer, TrainingRows { dialogues: rows_dialogues, customer, helpdesk })
    }

    fn sentence_dim(&self) -> usize {
        self.sentence.as_ref().map_or(0, SentenceVectors::dim)
    }

    fn dialogue_dim(&self) -> usize {
        self.blocks.iter().map(Vectorizer::len).sum::<usize>() + self.dialogue_dense.len() + 3 * self.sentence_dim()
    }

    fn turn_dim(&self) -> usize {
        3 * self.turns.as_ref().map_or(0, Vectorizer::len) + self.turn_dense.len() + 3 * self.sentence_dim()
    }

    fn dialogue_row(&self, dialogue: &Dialogue, blocks: &[&SparseVec], dense: &[f64]) -> SparseVec {
        let mut row = SparseVec::default();
        let mut offset = 0;
        for (vector, vectorizer) in blocks.iter().zip(&self.blocks) {
            append_sparse(vector, offset, 1.0, &mut row);
            offset += vectorizer.len();
        }
        self.dialogue_dense.append(dense, offset, &mut row);
        if let Some(sentence) = &self.sentence {
            let offset = offset + self.dialogue_dense.len();
            let customer: Vec<&Turn> = dialogue.turns.iter().filter(|t| t.sender == Sender::Customer).collect();
            let last_customer: Vec<&Turn> = customer.last().copied().into_iter().collect();
            let last: Vec<&Turn> = dialogue.turns.last().into_iter().collect();
            for (b, turns) in [customer, last_customer, last].iter().enumerate() {
                sentence.append(turns, offset + b * sentence.dim(), 1.0, &mut row);
            }
        }
        row
    }

    /// The row of turn `t`, given the vectors of every turn of its dialogue.
    fn turn_row(&self, dialogue: &Dialogue, turn_vectors: &[SparseVec], t: usize, dense: &[f64]) -> SparseVec {
        let mut row = SparseVec::default();
        let v = self.turns.as_ref().map_or(0, Vectorizer::len);
        if v > 0 {
            append_sparse(&turn_vectors[t], 0, 1.0, &mut row);
            if let Some(previous) = t.checked_sub(1) {
                append_sparse(&turn_vectors[previous], v, 0.5, &mut row);
            }
            if let Some(next) = turn_vectors.get(t + 1) {
                append_sparse(next, 2 * v, 0.5, &mut row);
            }
        }
        self.turn_dense.append(dense, 3 * v, &mut row);
        if let Some(sentence) = &self.sentence {
            let offset = 3 * v + self.turn_dense.len();
            let turns = &dialogue.turns;
            sentence.append(&[&turns[t]], offset, 1.0, &mut row);
            if let Some(previous) = t.checked_sub(1) {
                sentence.append(&[&turns[previous]], offset + sentence.dim(), 0.5, &mut row);
            }
            if let Some(next) = turns.get(t + 1) {
                sentence.append(&[next], offset + 2 * sentence.dim(), 0.5, &mut row);
            }
        }
        row
    }

    fn dialogue(&self, dialogue: &Dialogue) -> SparseVec {
        let vectors: Vec<SparseVec> = BLOCKS.iter().zip(&self.blocks).map(|(b, v)| v.transform(&b.text(dialogue))).collect();
        let refs: Vec<&SparseVec> = vectors.iter().collect();
        self.dialogue_row(dialogue, &refs, &dialogue_dense(dialogue, self.inputs))
    }

    fn turn_rows(&self, dialogue: &Dialogue) -> Vec<SparseVec> {
        let vectors: Vec<SparseVec> = match &self.turns {
            Some(vectorizer) => dialogue.turns.iter().map(|t| vectorizer.transform(&t.text)).collect(),
            None => vec![SparseVec::default(); dialogue.turns.len()],
        };
        (0..dialogue.turns.len()).map(|t| self.turn_row(dialogue, &vectors, t, &turn_dense(dialogue, t, self.inputs))).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Soft-label multinomial logistic regression

/// Softmax heads over one feature vector: `heads[h]` classes each; `params` holds the weights
/// (`dim × k`, feature-major) and then the `k` biases.
#[derive(Clone, Debug)]
struct Softmax {
    dim: usize,
    heads: Vec<usize>,
    params: Vec<f64>,
}

impl Softmax {
    fn new(dim: usize, heads: &[usize]) -> Softmax {
        let k = heads.iter().sum::<usize>();
        Softmax { dim, heads: heads.to_vec(), params: vec![0.0; dim * k + k] }
    }

    fn k(&self) -> usize {
        self.heads.iter().sum()
    }

    /// Class probabilities of every head, concatenated.
    fn predict(&self, x: &SparseVec) -> Vec<f64> {
        let k = self.k();
        let mut z = vec![0.0; k];
        logits(&self.params, self.dim, k, x, &mut z);
        let mut start = 0;
        for &h in &self.heads {
            let zs = &mut z[start..start + h];
            let max = zs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = zs.iter().map(|v| (v - max).exp()).sum();
            zs.iter_mut().for_each(|v| *v = (*v - max).exp() / sum);
            start += h;
        }
        z
    }

    /// Minimises the mean cross-entropy of `rows` against their target distributions plus
    /// λₕ/2 ‖Wₕ‖² per head (biases free), from the current parameters.
    fn fit(&mut self, xs: &[SparseVec], targets: &[f64], rows: &[usize], lambdas: &[f64], max_iterations: usize) {
        let (dim, k) = (self.dim, self.k());
        let per_class: Vec<f64> = self.heads.iter().zip(lambdas).flat_map(|(&h, &l)| std::iter::repeat_n(l, h)).collect();
        let mut objective =
            |params: &[f64], grad: &mut [f64]| loss(params, grad, xs, targets, rows, &self.heads, dim, &per_class);
        let mut params = std::mem::take(&mut self.params);
        minimise(&mut params, max_iterations, &mut objective);
        self.params = params;
        debug_assert_eq!(self.params.len(), dim * k + k);
    }
}

fn logits(params: &[f64], dim: usize, k: usize, x: &SparseVec, z: &mut [f64]) {
    let (w, b) = params.split_at(dim * k);
    z.copy_from_slice(b);
    for (&j, &v) in x.ids.iter().zip(&x.values) {
        let row = &w[j as usize * k..][..k];
        let v = f64::from(v);
        z.iter_mut().zip(row).for_each(|(z, w)| *z += v * w);
    }
}

#[allow(clippy::too_many_arguments)]
fn loss(
    params: &[f64],
    grad: &mut [f64],
    xs: &[SparseVec],
    targets: &[f64],
    rows: &[usize],
    heads: &[usize],
    dim: usize,
    lambdas: &[f64],
) -> f64 {
    let k = lambdas.len();
    grad.iter_mut().for_each(|g| *g = 0.0);
    let mut z = vec![0.0; k];
    let mut total = 0.0;
    let n = rows.len().max(1) as f64;
    {
        let (gw, gb) = grad.split_at_mut(dim * k);
        for &i in rows {
            let x = &xs[i];
            let t = &targets[i * k..][..k];
            logits(params, dim, k, x, &mut z);
            let mut start = 0;
            for &h in heads {
                let (zs, ts) = (&mut z[start..start + h], &t[start..start + h]);
                let max = zs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let log_sum = max + zs.iter().map(|v| (v - max).exp()).sum::<f64>().ln();
                let mass: f64 = ts.iter().sum();
                for (z, t) in zs.iter_mut().zip(ts) {
                    let log_p = *z - log_sum;
                    total -= t * log_p;
                    *z = log_p.exp() * mass - t; // the residual: d loss / d logit
                }
                start += h;
            }
            for (&j, &v) in x.ids.iter().zip(&x.values) {
                let g = &mut gw[j as usize * k..][..k];
                let v = f64::from(v);
                g.iter_mut().zip(&z).for_each(|(g, r)| *g += v * r);
            }
            gb.iter_mut().zip(&z).for_each(|(g, r)| *g += r);
        }
    }
    total /= n;
    grad.iter_mut().for_each(|g| *g /= n);
    let (w, _) = params.split_at(dim * k);
    for (wj, gj) in w.chunks_exact(k).zip(grad.chunks_exact_mut(k)) {
        for c in 0..k {
            total += 0.5 * lambdas[c] * wj[c] * wj[c];
            gj[c] += lambdas[c] * wj[c];
        }
    }
    total
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// L-BFGS (six pairs of history) with a backtracking Armijo line search, from `x`; stops when an
/// iteration lowers the objective by less than 1e-6 of it, or after `max_iterations`.
fn minimise(x: &mut Vec<f64>, max_iterations: usize, f: &mut dyn FnMut(&[f64], &mut [f64]) -> f64) {
    const HISTORY: usize = 5;
    let n = x.len();
    let mut g = vec![0.0; n];
    let mut fx = f(x, &mut g);
    let mut history: VecDeque<(Vec<f64>, Vec<f64>, f64)> = VecDeque::new();
    let (mut d, mut x_new, mut g_new) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let mut alphas = [0.0; HISTORY];
    for _ in 0..max_iterations {
        // two-loop recursion: d = −H g
        d.copy_from_slice(&g);
        for (m, (s, y, rho)) in history.iter().enumerate().rev() {
            alphas[m] = rho * dot(s, &d);
            d.iter_mut().zip(y).for_each(|(d, y)| *d -= alphas[m] * y);
        }
        let gamma = match history.back() {
            Some((s, y, _)) => dot(s, y) / dot(y, y),
            None => 1.0 / dot(&g, &g).sqrt().max(1e-12),
        };
        d.iter_mut().for_each(|d| *d *= gamma);
        for (m, (s, y, rho)) in history.iter().enumerate() {
            let beta = rho * dot(y, &d);
            d.iter_mut().zip(s).for_each(|(d, s)| *d += (alphas[m] - beta) * s);
        }
        d.iter_mut().for_each(|d| *d = -*d);
        let mut slope = dot(&g, &d);
        if slope >= 0.0 {
            history.clear();
            let norm = dot(&g, &g).sqrt().max(1e-12);
            d.iter_mut().zip(&g).for_each(|(d, g)| *d = -g / norm);
            slope = dot(&g, &d);
        }
        if slope.abs() < 1e-14 {
            break;
        }
        let mut step = 1.0;
        let mut accepted = None;
        for _ in 0..30 {
            x_new.iter_mut().zip(x.iter()).zip(&d).for_each(|((n, x), d)| *n = x + step * d);
            let f_new = f(&x_new, &mut g_new);
            if f_new <= fx + 1e-4 * step * slope {
                accepted = Some(f_new);
                break;
            }
            step *= 0.5;
        }
        let Some(f_new) = accepted else { break };
        let s: Vec<f64> = x_new.iter().zip(x.iter()).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 {
            if history.len() == HISTORY {
                history.pop_front();
            }
            history.push_back((s, y, 1.0 / sy));
        }
        std::mem::swap(x, &mut x_new);
        std::mem::swap(&mut g, &mut g_new);
        let decrease = fx - f_new;
        fx = f_new;
        // a first step along the bare gradient says little about convergence
        let first = history.len() <= 1;
        if (!first && decrease <= 1e-6 * fx.abs().max(1e-12)) || g.iter().all(|g| g.abs() < 1e-6) {
            break;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Choosing the L2 strength by inner cross-validation, and the model

/// How [`QualityModel::fit`] fits.
#[derive(Clone, Debug, PartialEq)]
pub struct FitSettings {
    pub inputs: Inputs,
    /// L2 strengths tried (on the mean cross-entropy), strongest first.
    pub lambdas: Vec<f64>,
    /// Folds of the inner cross-validation that chooses them.
    pub inner_folds: usize,
    pub seed: u64,
    /// Worker threads (independent fits side by side).
    pub threads: usize,
    /// Upper bound on L-BFGS iterations per fit.
    pub max_iterations: usize,
    /// Text features seen in fewer training texts are dropped.
    pub min_df: u32,
}

impl FitSettings {
    pub fn new(inputs: Inputs) -> FitSettings {
        FitSettings {
            inputs,
            lambdas: vec![1e-3, 3e-4, 1e-4, 3e-5, 1e-5],
            inner_folds: 3,
            seed: 42,
            threads: 2,
            max_iterations: 40,
            min_df: 3,
        }
    }
}

/// One regression to fit: rows, their targets (`k` values per row), the inner fold of each row,
/// and the measure that judges a head's prediction.
struct Task<'a> {
    name: &'static str,
    xs: &'a [SparseVec],
    dim: usize,
    heads: Vec<usize>,
    targets: Vec<f64>,
    fold: Vec<usize>,
    measure: fn(&[f64], &[f64]) -> f64,
}

impl Task<'_> {
    /// Mean measure per head of the rows `test` under `model`.
    fn judge(&self, model: &Softmax, test: &[usize]) -> Vec<f64> {
        let k = model.k();
        let mut sums = vec![0.0; self.heads.len()];
        for &i in test {
            let p = model.predict(&self.xs[i]);
            let mut start = 0;
            for (h, &size) in self.heads.iter().enumerate() {
                sums[h] += (self.measure)(&p[start..start + size], &self.targets[i * k + start..][..size]);
                start += size;
            }
        }
        sums.iter().map(|s| s / test.len().max(1) as f64).collect()
    }

    /// The measure of every head for every λ on inner fold `held`: the path fitted from the
    /// strongest λ down, each fit starting from the previous one.
    fn path(&self, held: usize, lambdas: &[f64], max_iterations: usize) -> Vec<Vec<f64>> {
        let train: Vec<usize> = (0..self.xs.len()).filter(|&i| self.fold[i] != held).collect();
        let test: Vec<usize> = (0..self.xs.len()).filter(|&i| self.fold[i] == held).collect();
        let mut model = Softmax::new(self.dim, &self.heads);
        lambdas
            .iter()
            .map(|&lambda| {
                model.fit(self.xs, &self.targets, &train, &vec![lambda; self.heads.len()], max_iterations);
                self.judge(&model, &test)
            })
            .collect()
    }
}

/// A piece of work for [`parallel`].
type Job<'a, T> = Box<dyn FnOnce() -> T + Send + 'a>;

/// Runs `jobs` on `threads` threads, results in job order.
fn parallel<T: Send>(jobs: Vec<Job<'_, T>>, threads: usize) -> Vec<T> {
    let n = jobs.len();
    let queue: Mutex<VecDeque<(usize, Job<'_, T>)>> = Mutex::new(jobs.into_iter().enumerate().collect());
    let results: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::with_capacity(n));
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, n.max(1)) {
            scope.spawn(|| loop {
                let job = queue.lock().ok().and_then(|mut q| q.pop_front());
                let Some((i, job)) = job else { break };
                let result = job();
                if let Ok(mut r) = results.lock() {
                    r.push((i, result));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// What the inner cross-validation chose, and what it saw.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Chosen {
    /// λ of A, S, E.
    pub quality_lambda: [f64; 3],
    pub customer_lambda: f64,
    pub helpdesk_lambda: f64,
    /// Inner-CV mean NMD of A, S, E for each λ tried (in [`FitSettings::lambdas`] order).
    pub inner_nmd: Vec<[f64; 3]>,
    /// Inner-CV mean JSD of the customer's and the helpdesk's turns for each λ.
    pub inner_jsd: Vec<[f64; 2]>,
    pub dialogue_features: usize,
    pub turn_features: usize,
}

/// Seatmate's dialogue-quality and nugget model (or its lengths-only sibling).
#[derive(Clone, Debug)]
pub struct QualityModel {
    featurizer: Featurizer,
    quality: Softmax,
    customer: Softmax,
    helpdesk: Softmax,
    pub chosen: Chosen,
}

impl QualityModel {
    /// Fits on `dialogues` and their gold distributions, the L2 strengths chosen by
    /// cross-validation inside them; `progress` hears what is being done.
    pub fn fit(
        dialogues: &[&Dialogue],
        gold: &[&Gold],
        settings: &FitSettings,
        progress: &(dyn Fn(&str) + Sync),
    ) -> QualityModel {
        let (featurizer, rows) = Featurizer::fit(dialogues, settings.inputs, settings.min_df);
        let (dialogue_dim, turn_dim) = (featurizer.dialogue_dim(), featurizer.turn_dim());
        progress(&format!("{} dialogues, {dialogue_dim} dialogue features, {turn_dim} turn features", dialogues.len()));
        // the inner fold of each dialogue: shuffled (seeded) and dealt round
        let folds = settings.inner_folds.max(2);
        let mut order: Vec<usize> = (0..dialogues.len()).collect();
        Rng::new(settings.seed).shuffle(&mut order);
        let mut fold = vec![0; dialogues.len()];
        for (rank, &i) in order.iter().enumerate() {
            fold[i] = rank % folds;
        }
        let quality_targets: Vec<f64> = gold.iter().flat_map(|g| g.quality.iter().flatten().copied()).collect();
        let quality_xs = rows.dialogues;
        fn turn_task<'a>(
            name: &'static str,
            (at, xs): &'a (Vec<(usize, usize)>, Vec<SparseVec>),
            classes: usize,
            dim: usize,
            gold: &[&Gold],
            fold: &[usize],
        ) -> Task<'a> {
            Task {
                name,
                xs,
                dim,
                heads: vec![classes],
                targets: at.iter().flat_map(|&(i, t)| gold[i].nuggets[t].iter().copied()).collect(),
                fold: at.iter().map(|&(i, _)| fold[i]).collect(),
                measure: jsd,
            }
        }
        let tasks = [
            Task {
                name: "quality",
                xs: &quality_xs,
                dim: dialogue_dim,
                heads: vec![BINS; 3],
                targets: quality_targets,
                fold: fold.clone(),
                measure: nmd,
            },
            turn_task("customer nuggets", &rows.customer, CUSTOMER_NUGGETS.len(), turn_dim, gold, &fold),
            turn_task("helpdesk nuggets", &rows.helpdesk, HELPDESK_NUGGETS.len(), turn_dim, gold, &fold),
        ];

        // inner cross-validation: every task × held-out inner fold, side by side
        let lambdas = &settings.lambdas;
        let mut jobs: Vec<Job<'_, Vec<Vec<f64>>>> = Vec::new();
        for task in &tasks {
            for held in 0..folds {
                let (lambdas, max_iterations) = (lambdas.as_slice(), settings.max_iterations);
                jobs.push(Box::new(move || {
                    let out = task.path(held, lambdas, max_iterations);
                    progress(&format!("inner fold {} of {folds}: {} done", held + 1, task.name));
                    out
                }));
            }
        }
        let paths = parallel(jobs, settings.threads);
        // mean over inner folds, per task, λ and head; then the best λ per head (the strongest on ties)
        let mut curves: Vec<Vec<Vec<f64>>> = Vec::new();
        for (t, task) in tasks.iter().enumerate() {
            let per_fold = &paths[t * folds..(t + 1) * folds];
            let curve: Vec<Vec<f64>> = (0..lambdas.len())
                .map(|l| (0..task.heads.len()).map(|h| per_fold.iter().map(|p| p[l][h]).sum::<f64>() / folds as f64).collect())
                .collect();
            curves.push(curve);
        }
        let best = |curve: &[Vec<f64>], h: usize| {
            let mut best = 0;
            for l in 1..curve.len() {
                if curve[l][h] < curve[best][h] - 1e-12 {
                    best = l;
                }
            }
            lambdas[best]
        };
        let quality_lambda = [best(&curves[0], 0), best(&curves[0], 1), best(&curves[0], 2)];
        let (customer_lambda, helpdesk_lambda) = (best(&curves[1], 0), best(&curves[2], 0));
        let chosen_lambdas = [quality_lambda.to_vec(), vec![customer_lambda], vec![helpdesk_lambda]];

        // the final fits on every training dialogue
        let mut jobs: Vec<Job<'_, Softmax>> = Vec::new();
        for (task, lambdas) in tasks.iter().zip(&chosen_lambdas) {
            let max_iterations = settings.max_iterations;
            jobs.push(Box::new(move || {
                let mut model = Softmax::new(task.dim, &task.heads);
                let all: Vec<usize> = (0..task.xs.len()).collect();
                model.fit(task.xs, &task.targets, &all, lambdas, max_iterations);
                progress(&format!("{} fitted", task.name));
                model
            }));
        }
        let mut fitted = parallel(jobs, settings.threads).into_iter();
        let (quality, customer_model, helpdesk_model) = match (fitted.next(), fitted.next(), fitted.next()) {
            (Some(q), Some(c), Some(h)) => (q, c, h),
            _ => unreachable!("three jobs give three models"),
        };
        let chosen = Chosen {
            quality_lambda,
            customer_lambda,
            helpdesk_lambda,
            inner_nmd: curves[0].iter().map(|c| [c[0], c[1], c[2]]).collect(),
            inner_jsd: curves[1].iter().zip(&curves[2]).map(|(c, h)| [c[0], h[0]]).collect(),
            dialogue_features: dialogue_dim,
            turn_features: turn_dim,
        };
        QualityModel { featurizer, quality, customer: customer_model, helpdesk: helpdesk_model, chosen }
    }

    pub fn predict(&self, dialogue: &Dialogue) -> Prediction {
        let p = self.quality.predict(&self.featurizer.dialogue(dialogue));
        let mut quality = [[0.0; BINS]; 3];
        for (s, q) in quality.iter_mut().enumerate() {
            q.copy_from_slice(&p[s * BINS..(s + 1) * BINS]);
        }
        let nuggets = self
            .featurizer
            .turn_rows(dialogue)
            .iter()
            .zip(&dialogue.turns)
            .map(|(row, turn)| match turn.sender {
                Sender::Customer => self.customer.predict(row),
                Sender::Helpdesk => self.helpdesk.predict(row),
            })
            .collect();
        Prediction { quality, nuggets }
    }
}
