//! `seatmate eval risk`: how well the live escalation-risk score (`seatmate_live::RiskTracker`),
//! read as a dialogue unfolds, picks out the dialogues whose customers end up least satisfied, on
//! STC-3 DCH-1 (real Weibo customer–helpdesk dialogues, each rated by 19 annotators), beside a
//! sentiment-lexicon baseline and learned re-weightings of the tracker's own cues, in the same run.
//!
//! Protocol:
//! - Data: every dialogue of `{train,test}_data_{cn,en}.json` that carries annotations (the test
//!   files carry none), Chinese and English judged apart. Turns are read as `seatmate import stc3`
//!   reads them: the utterances of a turn joined, turns with no text (uncrawled emoji, photos) left
//!   out.
//! - Label: the dialogue's mean S (customer satisfaction, −2..2, over its annotators) is in the
//!   bottom quartile of its language: at or below the ⌈n/4⌉-th smallest mean S. Every dialogue tied
//!   with that value is a positive, so the positive share is a little over a quarter.
//! - Score after k customer turns: the state after every turn (customer and helpdesk) up to and
//!   including the k-th customer turn; a dialogue with fewer than k customer turns keeps its final
//!   state. "whole" is the state after the last turn.
//! - Scorers: the hand-set tracker (nothing to fit); two logistic regressions, one over the
//!   tracker's units per cue kind (`RiskTracker::units`) and one over those plus the turn counts
//!   so far (customer, helpdesk); a turn-count-only regression (what the counts alone carry); and
//!   a sentiment-lexicon count (negative minus positive words the customer has said so far, from
//!   the small bilingual lexicon below, written before any figure was seen).
//! - 5-fold cross-validation, stratified by label, seeded. The regressions fit one weight vector
//!   for every k (one row per dialogue and customer turn) on the four training folds; their L2
//!   strength is chosen by cross-validation inside those four folds (mean AUC over k). AUC on the
//!   held-out fold; mean ± sd over the folds.
//! - The weights fitted on all annotated dialogues of each language are printed too: where the
//!   constants of `seatmate-live`'s risk.rs may come from.
//! - With `--emotion-model FILE` (`seatmate train emotion --out FILE`), `tracker_emotion` is the
//!   tracker as the live pipeline runs it with the emotion model: each customer turn's valence fed
//!   to `RiskTracker::feel` (the feeling rising), read after the turn as the desks get it.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use seatmate_classify::Rng;
use seatmate_core::Speaker;
use seatmate_live::{ReasonKind, RiskTracker};
use seatmate_signals::metrics::roc_auc;
use serde_json::{json, Value};

#[derive(Debug, clap::Args)]
pub struct RiskArgs {
    /// STC-3 DCH-1 folder (train_data_cn.json, train_data_en.json; test_data_*.json are used when annotated)
    #[arg(long)]
    stc3: PathBuf,
    /// Report the score after 1..=N customer turns (and after the whole dialogue)
    #[arg(long, default_value_t = 5)]
    max_turns: usize,
    /// Cross-validation folds
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Seed of the fold assignment
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The live emotion model (`seatmate train emotion --out FILE`): adds the `tracker_emotion` scorer
    #[arg(long)]
    emotion_model: Option<PathBuf>,
    /// Embedding cache file, when the emotion model reads sentence vectors (default: ~/.cache/seatmate/vectors.bin)
    #[arg(long)]
    cache: Option<PathBuf>,
    /// Print one JSON object instead of the readable report
    #[arg(long)]
    json: bool,
}

/// The emotion model and the sentence vector of every customer turn it reads.
struct EmotionReader {
    model: seatmate_signals::EmotionModel,
    vectors: std::collections::HashMap<String, Vec<f32>>,
}

impl EmotionReader {
    fn read(&self, text: &str) -> (f32, String) {
        let vector = self.vectors.get(text).map(Vec::as_slice).unwrap_or(&[]);
        let emotion = self.model.predict(text, vector);
        (emotion.valence, self.model.labels()[emotion.top].clone())
    }
}

const LANGUAGES: [&str; 2] = ["cn", "en"];
/// L2 strengths the regressions choose from (on standardised features).
const LAMBDAS: [f64; 6] = [1000.0, 100.0, 10.0, 1.0, 0.1, 0.01];

/// The sentiment lexicon of the baseline: general evaluative words, Chinese and English.
const NEGATIVE: &[&str] = &[
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
    "难用",
    "不好",
    "不行",
    "不爽",
    "伤心",
    "难过",
    "可恶",
    "无奈",
    "无耻",
    "后悔",
    "悲剧",
    "吐槽",
    "抱怨",
    "投诉",
    "太慢",
    "很慢",
    "不靠谱",
    "受不了",
    "没用",
    "不负责",
    "不合理",
    "呵呵",
    "bad",
    "terrible",
    "awful",
    "horrible",
    "poor",
    "worst",
    "worse",
    "angry",
    "upset",
    "annoyed",
    "annoying",
    "frustrated",
    "frustrating",
    "disappointed",
    "disappointing",
    "unhappy",
    "unsatisfied",
    "dissatisfied",
    "hate",
    "useless",
    "rubbish",
    "garbage",
    "ridiculous",
    "unacceptable",
    "disgusting",
    "scam",
    "cheat",
    "cheated",
    "liar",
    "slow",
    "sucks",
    "fail",
    "failed",
    "failure",
    "complain",
    "complaint",
    "sad",
    "not good",
    "not happy",
    "not satisfied",
    "fed up",
    "nonsense",
    "shame",
];
const POSITIVE: &[&str] = &[
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
    "辛苦了",
    "解决了",
    "贴心",
    "耐心",
    "专业",
    "及时",
    "thank",
    "thanks",
    "thank you",
    "good",
    "great",
    "excellent",
    "happy",
    "satisfied",
    "love",
    "nice",
    "appreciate",
    "appreciated",
    "helpful",
    "perfect",
    "awesome",
    "wonderful",
    "glad",
    "best",
    "fast",
    "quick",
    "solved",
    "resolved",
    "pleased",
    "well done",
];

/// Lower case, full-width ASCII to half-width (the lexicon's folding; the data is Simplified).
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where `phrase` occurs in `text`; an ASCII phrase only as whole words.
fn find_phrase(text: &str, phrase: &str) -> Option<usize> {
    let ascii = phrase.is_ascii();
    let mut from = 0;
    while let Some(at) = text[from..].find(phrase).map(|i| i + from) {
        let end = at + phrase.len();
        let before = text[..at].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric());
        let after = text[end..].chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if !ascii || (!before && !after) {
            return Some(at);
        }
        from = end;
    }
    None
}

/// Negative minus positive lexicon words in `text`, the longest phrases first, each span counted
/// once (`不满意` is negative, not also `满意`).
fn lexicon_net(text: &str) -> f32 {
    let mut text = fold(text);
    let mut phrases: Vec<(&str, f32)> = NEGATIVE.iter().map(|p| (*p, 1.0)).chain(POSITIVE.iter().map(|p| (*p, -1.0))).collect();
    phrases.sort_by_key(|(p, _)| std::cmp::Reverse(p.chars().count()));
    let mut net = 0.0;
    for (phrase, sign) in phrases {
        while let Some(at) = find_phrase(&text, phrase) {
            net += sign;
            text.replace_range(at..at + phrase.len(), " ");
        }
    }
    net
}

/// What every scorer sees at one point of a dialogue.
#[derive(Clone, Copy, Debug, Default)]
struct Snapshot {
    score: f32,
    units: [f32; ReasonKind::ALL.len()],
    /// The tracker's score with the emotion model's readings (0 without a model).
    felt: f32,
    customer: f32,
    helpdesk: f32,
    lexicon: f32,
}

/// One annotated dialogue: its snapshots after 0, 1, 2 … customer turns, and after its last turn.
struct Dialogue {
    after: Vec<Snapshot>,
    whole: Snapshot,
    satisfaction: f64,
}

impl Dialogue {
    fn new(turns: &[(Speaker, &str)], satisfaction: f64, emotion: Option<&EmotionReader>) -> Dialogue {
        let (mut tracker, mut felt) = (RiskTracker::default(), RiskTracker::default());
        let mut now = Snapshot::default();
        let mut after = vec![now];
        for (index, (speaker, text)) in turns.iter().enumerate() {
            now.score = tracker.observe(*speaker, text).score;
            now.units = ReasonKind::ALL.map(|kind| tracker.units(kind));
            if let Some(reader) = emotion {
                felt.observe(*speaker, text);
                if *speaker == Speaker::Customer {
                    let (valence, label) = reader.read(text);
                    felt.feel(index, valence, &label);
                }
                now.felt = felt.risk().score;
            }
            if *speaker == Speaker::Customer {
                now.customer += 1.0;
                now.lexicon += lexicon_net(text);
                after.push(now);
            } else {
                now.helpdesk += 1.0;
            }
        }
        Dialogue { after, whole: now, satisfaction }
    }

    fn customer_turns(&self) -> usize {
        self.after.len() - 1
    }

    /// After `k` customer turns (the final state when there are fewer); `None` = the whole dialogue.
    fn at(&self, k: Option<usize>) -> &Snapshot {
        match k {
            Some(k) => &self.after[k.min(self.after.len() - 1)],
            None => &self.whole,
        }
    }
}

/// The annotated dialogues of one language, and what was read from which file.
fn load(dir: &Path, language: &str, emotion: Option<&EmotionReader>) -> anyhow::Result<(Vec<Dialogue>, Vec<Value>)> {
    let (mut dialogues, mut files) = (Vec::new(), Vec::new());
    for split in ["train", "test"] {
        let name = format!("{split}_data_{language}.json");
        let path = dir.join(&name);
        if !path.is_file() {
            files.push(json!({ "file": name, "dialogues": 0, "annotated": 0, "missing": true }));
            continue;
        }
        let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let conversations = seatmate_ingest::conversations_stc3(&seatmate_ingest::Context::new(&name, 0), &bytes)?;
        let mut annotated = 0;
        for conversation in &conversations {
            let quality = conversation.attributes.get("quality");
            let Some(satisfaction) = quality.and_then(|q| q.get("S")).and_then(Value::as_f64) else { continue };
            annotated += 1;
            let turns: Vec<(Speaker, &str)> = conversation.turns.iter().map(|t| (t.speaker, t.text.as_str())).collect();
            dialogues.push(Dialogue::new(&turns, satisfaction, emotion));
        }
        files.push(json!({ "file": name, "dialogues": conversations.len(), "annotated": annotated }));
    }
    Ok((dialogues, files))
}

/// The bottom quartile: positive when at or below the ⌈n/4⌉-th smallest value (ties all in).
fn bottom_quartile(values: &[f64]) -> (f64, Vec<bool>) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let threshold = sorted.get(values.len().div_ceil(4).saturating_sub(1)).copied().unwrap_or(f64::NAN);
    (threshold, values.iter().map(|v| *v <= threshold).collect())
}

/// Fold of each item, stratified by label: each class shuffled (seeded) and dealt round the folds.
fn stratified_folds(labels: &[bool], folds: usize, seed: u64) -> Vec<usize> {
    let mut rng = Rng::new(seed);
    let mut fold = vec![0; labels.len()];
    let mut dealt = 0;
    for class in [true, false] {
        let mut members: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == class).collect();
        rng.shuffle(&mut members);
        for i in members {
            fold[i] = dealt % folds;
            dealt += 1;
        }
    }
    fold
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Inputs {
    Cues,
    CuesAndTurns,
    Turns,
}

impl Inputs {
    fn names(self) -> Vec<String> {
        let cues = ReasonKind::ALL.iter().map(|k| kind_name(*k));
        let turns = ["customer_turns".to_string(), "helpdesk_turns".to_string()];
        match self {
            Inputs::Cues => cues.collect(),
            Inputs::CuesAndTurns => cues.chain(turns).collect(),
            Inputs::Turns => turns.to_vec(),
        }
    }

    fn of(self, s: &Snapshot) -> Vec<f64> {
        let cues = s.units.iter().map(|u| f64::from(*u));
        let turns = [f64::from(s.customer), f64::from(s.helpdesk)];
        match self {
            Inputs::Cues => cues.collect(),
            Inputs::CuesAndTurns => cues.chain(turns).collect(),
            Inputs::Turns => turns.to_vec(),
        }
    }
}

fn kind_name(kind: ReasonKind) -> String {
    serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_else(|| format!("{kind:?}"))
}

/// L2-regularised logistic regression on standardised inputs, fitted by Newton's method (a
/// handful of inputs: the workspace's linear trainer is a sparse SVM for unit-length TF-IDF
/// vectors, which these are not).
struct Logistic {
    mean: Vec<f64>,
    scale: Vec<f64>,
    /// Bias first, then one weight per (standardised) input.
    theta: Vec<f64>,
}

impl Logistic {
    fn fit(xs: &[Vec<f64>], ys: &[bool], lambda: f64) -> Logistic {
        let d = xs.first().map_or(0, Vec::len);
        let n = xs.len().max(1) as f64;
        let mean: Vec<f64> = (0..d).map(|j| xs.iter().map(|x| x[j]).sum::<f64>() / n).collect();
        let scale: Vec<f64> = (0..d)
            .map(|j| {
                let sd = (xs.iter().map(|x| (x[j] - mean[j]).powi(2)).sum::<f64>() / n).sqrt();
                if sd > 1e-12 {
                    sd
                } else {
                    1.0
                }
            })
            .collect();
        let rows: Vec<Vec<f64>> =
            xs.iter().map(|x| std::iter::once(1.0).chain((0..d).map(|j| (x[j] - mean[j]) / scale[j])).collect()).collect();
        let mut theta = vec![0.0; d + 1];
        for _ in 0..100 {
            let mut gradient: Vec<f64> = theta.iter().enumerate().map(|(j, t)| if j == 0 { 0.0 } else { lambda * t }).collect();
            let mut hessian = vec![vec![0.0; d + 1]; d + 1];
            for (j, row) in hessian.iter_mut().enumerate().skip(1) {
                row[j] = lambda;
            }
            for (row, y) in rows.iter().zip(ys) {
                let p = sigmoid(dot(&theta, row));
                let (residual, curvature) = (p - f64::from(u8::from(*y)), (p * (1.0 - p)).max(1e-12));
                for j in 0..=d {
                    gradient[j] += residual * row[j];
                    for k in 0..=d {
                        hessian[j][k] += curvature * row[j] * row[k];
                    }
                }
            }
            let Some(step) = solve(hessian, gradient) else { break };
            let largest = step.iter().fold(0.0f64, |m, s| m.max(s.abs()));
            theta.iter_mut().zip(&step).for_each(|(t, s)| *t -= s);
            if largest < 1e-9 {
                break;
            }
        }
        Logistic { mean, scale, theta }
    }

    /// The log-odds of a positive.
    fn score(&self, x: &[f64]) -> f64 {
        self.theta[0] + x.iter().enumerate().map(|(j, v)| self.theta[j + 1] * (v - self.mean[j]) / self.scale[j]).sum::<f64>()
    }

    /// (bias, weights) on the raw inputs: log-odds per unit.
    fn raw(&self) -> (f64, Vec<f64>) {
        let weights: Vec<f64> = (0..self.mean.len()).map(|j| self.theta[j + 1] / self.scale[j]).collect();
        let bias = self.theta[0] - weights.iter().zip(&self.mean).map(|(w, m)| w * m).sum::<f64>();
        (bias, weights)
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting; `None` when singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (above, below) = a.split_at_mut(col + 1);
        let pivot_row = &above[col];
        for (offset, row) in below.iter_mut().enumerate() {
            let factor = row[col] / pivot_row[col];
            for (value, p) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                *value -= factor * p;
            }
            b[col + 1 + offset] -= factor * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let rest: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - rest) / a[row][row];
    }
    Some(x)
}

/// The points a dialogue is scored at: after 1..=k_max customer turns, then the whole dialogue.
fn points(k_max: usize) -> Vec<Option<usize>> {
    (1..=k_max).map(Some).chain([None]).collect()
}

fn point_name(k: Option<usize>) -> String {
    k.map_or("whole".into(), |k| k.to_string())
}

/// A regression's training rows: one per dialogue and customer turn.
fn rows(dialogues: &[&Dialogue], labels: &[bool], inputs: Inputs) -> (Vec<Vec<f64>>, Vec<bool>) {
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for (d, y) in dialogues.iter().zip(labels) {
        for snapshot in &d.after[1..] {
            xs.push(inputs.of(snapshot));
            ys.push(*y);
        }
    }
    (xs, ys)
}

/// AUC of `score` at each point over these dialogues (`None` where a class is missing).
fn aucs(dialogues: &[&Dialogue], labels: &[bool], at: &[Option<usize>], score: impl Fn(&Snapshot) -> f64) -> Vec<Option<f64>> {
    at.iter()
        .map(|k| {
            let scores: Vec<f32> = dialogues.iter().map(|d| score(d.at(*k)) as f32).collect();
            roc_auc(&scores, labels)
        })
        .collect()
}

fn mean_of(values: &[Option<f64>]) -> f64 {
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    if known.is_empty() {
        return f64::NAN;
    }
    known.iter().sum::<f64>() / known.len() as f64
}

/// The dialogues (and labels) of the folds for which `keep(fold)` holds.
fn subset<'a>(
    dialogues: &'a [Dialogue],
    labels: &[bool],
    fold: &[usize],
    keep: impl Fn(usize) -> bool,
) -> (Vec<&'a Dialogue>, Vec<bool>) {
    let chosen: Vec<usize> = (0..dialogues.len()).filter(|&i| keep(fold[i])).collect();
    (chosen.iter().map(|&i| &dialogues[i]).collect(), chosen.iter().map(|&i| labels[i]).collect())
}

/// The L2 strength with the best mean AUC over the points, by cross-validation over `folds`
/// (the strongest on ties), and that AUC.
fn choose_lambda(
    dialogues: &[Dialogue],
    labels: &[bool],
    fold: &[usize],
    folds: &[usize],
    inputs: Inputs,
    at: &[Option<usize>],
) -> (f64, f64, Vec<(f64, f64)>) {
    let mut best = (LAMBDAS[0], f64::NEG_INFINITY);
    let mut tried = Vec::new();
    for lambda in LAMBDAS {
        let per_fold: Vec<Option<f64>> = folds
            .iter()
            .map(|&held| {
                let (train, train_labels) = subset(dialogues, labels, fold, |f| f != held && folds.contains(&f));
                let (test, test_labels) = subset(dialogues, labels, fold, |f| f == held);
                let (xs, ys) = rows(&train, &train_labels, inputs);
                let model = Logistic::fit(&xs, &ys, lambda);
                Some(mean_of(&aucs(&test, &test_labels, at, |s| model.score(&inputs.of(s))))).filter(|a| a.is_finite())
            })
            .collect();
        let auc = mean_of(&per_fold);
        tried.push((lambda, auc));
        if auc > best.1 + 1e-9 {
            best = (lambda, auc);
        }
    }
    (best.0, best.1, tried)
}

const SCORERS: [&str; 6] = ["tracker", "tracker_emotion", "learned_cues", "learned_cues_turns", "turns_only", "lexicon"];

fn regression(scorer: &str) -> Option<Inputs> {
    match scorer {
        "learned_cues" => Some(Inputs::Cues),
        "learned_cues_turns" => Some(Inputs::CuesAndTurns),
        "turns_only" => Some(Inputs::Turns),
        _ => None,
    }
}

fn summary(per_fold: &[Option<f64>]) -> Value {
    let known: Vec<f64> = per_fold.iter().flatten().copied().collect();
    let mean = mean_of(per_fold);
    let sd = if known.len() > 1 {
        (known.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (known.len() - 1) as f64).sqrt()
    } else {
        f64::NAN
    };
    let round = |v: f64| if v.is_finite() { json!((v * 10_000.0).round() / 10_000.0) } else { Value::Null };
    let folds: Vec<Value> = per_fold.iter().map(|a| a.map_or(Value::Null, round)).collect();
    json!({ "mean": round(mean), "sd": round(sd), "folds": folds })
}

fn evaluate_language(dialogues: &[Dialogue], args: &RiskArgs, with_emotion: bool) -> Value {
    let satisfaction: Vec<f64> = dialogues.iter().map(|d| d.satisfaction).collect();
    let (threshold, labels) = bottom_quartile(&satisfaction);
    let longest = dialogues.iter().map(Dialogue::customer_turns).max().unwrap_or(0);
    let at = points(args.max_turns.min(longest).max(1));
    let folds = args.folds.max(2);
    let fold = stratified_folds(&labels, folds, args.seed);
    let all_folds: Vec<usize> = (0..folds).collect();

    // per scorer: per point, per fold
    let mut figures: Vec<Vec<Vec<Option<f64>>>> = vec![vec![Vec::new(); at.len()]; SCORERS.len()];
    let mut chosen: Vec<Value> = Vec::new();
    for held in 0..folds {
        let (test, test_labels) = subset(dialogues, &labels, &fold, |f| f == held);
        let inner: Vec<usize> = all_folds.iter().copied().filter(|&f| f != held).collect();
        let (train, train_labels) = subset(dialogues, &labels, &fold, |f| f != held);
        let mut lambdas = json!({});
        for (s, scorer) in SCORERS.iter().enumerate() {
            let per_point = match regression(scorer) {
                Some(inputs) => {
                    let (lambda, _, _) = choose_lambda(dialogues, &labels, &fold, &inner, inputs, &at);
                    lambdas[*scorer] = json!(lambda);
                    let (xs, ys) = rows(&train, &train_labels, inputs);
                    let model = Logistic::fit(&xs, &ys, lambda);
                    aucs(&test, &test_labels, &at, |snap| model.score(&inputs.of(snap)))
                }
                None if *scorer == "tracker" => aucs(&test, &test_labels, &at, |snap| f64::from(snap.score)),
                None if *scorer == "tracker_emotion" && with_emotion => {
                    aucs(&test, &test_labels, &at, |snap| f64::from(snap.felt))
                }
                None if *scorer == "tracker_emotion" => vec![None; at.len()],
                None => aucs(&test, &test_labels, &at, |snap| f64::from(snap.lexicon)),
            };
            for (p, auc) in per_point.into_iter().enumerate() {
                figures[s][p].push(auc);
            }
        }
        chosen.push(lambdas);
    }

    let rows_out: Vec<Value> = at
        .iter()
        .enumerate()
        .map(|(p, k)| {
            let reached = dialogues.iter().filter(|d| k.is_none_or(|k| d.customer_turns() >= k)).count();
            let mut row = json!({ "k": point_name(*k), "reached": reached });
            for (s, scorer) in SCORERS.iter().enumerate() {
                row[*scorer] = summary(&figures[s][p]);
                if s > 0 {
                    // paired by fold: the scorer's AUC minus the tracker's on the same held-out fold
                    let paired: Vec<Option<f64>> =
                        figures[s][p].iter().zip(&figures[0][p]).map(|(a, t)| Some((*a)? - (*t)?)).collect();
                    row[*scorer]["minus_tracker"] = summary(&paired);
                }
            }
            row
        })
        .collect();

    // the weights on every annotated dialogue, L2 strength by cross-validation over all folds
    let everyone: Vec<&Dialogue> = dialogues.iter().collect();
    let mut fitted = json!({});
    for inputs in [Inputs::Cues, Inputs::CuesAndTurns] {
        let (lambda, cv_auc, tried) = choose_lambda(dialogues, &labels, &fold, &all_folds, inputs, &at);
        let (xs, ys) = rows(&everyone, &labels, inputs);
        let (bias, weights) = Logistic::fit(&xs, &ys, lambda).raw();
        let named: serde_json::Map<String, Value> =
            inputs.names().into_iter().zip(weights).map(|(n, w)| (n, json!((w * 1000.0).round() / 1000.0))).collect();
        let key = if inputs == Inputs::Cues { "learned_cues" } else { "learned_cues_turns" };
        let by_lambda: Vec<Value> = tried.iter().map(|(l, a)| json!([l, (a * 10_000.0).round() / 10_000.0])).collect();
        fitted[key] = json!({
            "lambda": lambda,
            "cv_mean_auc": (cv_auc * 10_000.0).round() / 10_000.0,
            "cv_mean_auc_by_lambda": by_lambda,
            "bias": (bias * 1000.0).round() / 1000.0,
            "log_odds_per_unit": named,
        });
    }
    let hand_set: serde_json::Map<String, Value> =
        ReasonKind::ALL.iter().map(|k| (kind_name(*k), json!((f64::from(k.weight()) * 1000.0).round() / 1000.0))).collect();
    fitted["tracker_weights"] = Value::Object(hand_set);
    let units_seen: serde_json::Map<String, Value> = ReasonKind::ALL
        .iter()
        .enumerate()
        .map(|(j, k)| (kind_name(*k), json!(dialogues.iter().filter(|d| d.whole.units[j] > 0.0).count())))
        .collect();

    let positives = labels.iter().filter(|l| **l).count();
    json!({
        "n": dialogues.len(),
        "positives": positives,
        "positive_share": (positives as f64 / dialogues.len().max(1) as f64 * 10_000.0).round() / 10_000.0,
        "threshold_mean_s": (threshold * 1000.0).round() / 1000.0,
        "customer_turns": (0..=longest).map(|c| dialogues.iter().filter(|d| d.customer_turns() == c).count()).collect::<Vec<_>>(),
        "dialogues_with_cue": units_seen,
        "rows": rows_out,
        "lambda_chosen_per_fold": chosen,
        "fitted_on_all": fitted,
    })
}

/// The whole evaluation as one JSON object.
fn evaluate(args: &RiskArgs) -> anyhow::Result<Value> {
    let emotion = args.emotion_model.as_deref().map(|path| emotion_reader(&args.stc3, path, args.cache.clone())).transpose()?;
    let mut languages = Vec::new();
    for language in LANGUAGES {
        let (dialogues, files) = load(&args.stc3, language, emotion.as_ref())?;
        if dialogues.is_empty() {
            languages.push(json!({ "language": language, "files": files, "n": 0 }));
            continue;
        }
        let mut out = evaluate_language(&dialogues, args, emotion.is_some());
        out["language"] = json!(language);
        out["files"] = json!(files);
        languages.push(out);
    }
    if languages.iter().all(|l| l["n"] == 0) {
        bail!("no annotated STC-3 dialogues in {} (expected train_data_cn.json / train_data_en.json)", args.stc3.display());
    }
    let metric = format!(
        "ROC AUC, {}-fold cross-validation stratified by label (seed {}), mean ± sd over held-out folds",
        args.folds.max(2),
        args.seed
    );
    Ok(json!({
        "data": args.stc3.display().to_string(),
        "scorer": "seatmate_live::RiskTracker (hand-set phrase lists and weights)",
        "metric": metric,
        "label": "mean S over the annotators in the bottom quartile of its language: \
                  at or below the ⌈n/4⌉-th smallest mean S (ties with it all positive)",
        "points": "score after the k-th customer turn (and the helpdesk turns before it); \
                   a dialogue with fewer than k customer turns keeps its final score; whole = after the last turn",
        "baseline": "lexicon: negative minus positive lexicon words in the customer's turns so far \
                     (risk_eval.rs NEGATIVE/POSITIVE)",
        "learned": "logistic regression, one weight vector for every k (one row per dialogue and customer turn), \
                    fitted on the training folds; L2 strength chosen from {1000, 100, 10, 1, 0.1, 0.01} \
                    by cross-validation inside the training folds",
        "emotion_model": args.emotion_model.as_ref().map(|p| p.display().to_string()),
        "languages": languages,
    }))
}

/// The emotion model in `path`, with the sentence vectors of every customer turn of the STC-3
/// files when the model reads them (embedded once, cached).
fn emotion_reader(stc3: &Path, path: &Path, cache: Option<PathBuf>) -> anyhow::Result<EmotionReader> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let model = seatmate_signals::EmotionModel::from_bytes(&bytes)
        .with_context(|| format!("{} is not an emotion model", path.display()))?;
    let mut vectors = std::collections::HashMap::new();
    if model.vector_dim().is_some() {
        let mut texts = Vec::new();
        for name in LANGUAGES.iter().map(|l| format!("train_data_{l}.json")) {
            let Ok(bytes) = std::fs::read(stc3.join(&name)) else { continue };
            let conversations = seatmate_ingest::conversations_stc3(&seatmate_ingest::Context::new(&name, 0), &bytes)?;
            texts.extend(
                conversations.into_iter().flat_map(|c| c.turns).filter(|t| t.speaker == Speaker::Customer).map(|t| t.text),
            );
        }
        vectors = crate::emotion_train::embed_texts(&texts, cache)?;
    }
    Ok(EmotionReader { model, vectors })
}

pub fn risk(args: &RiskArgs) -> anyhow::Result<()> {
    let report = evaluate(args)?;
    if args.json {
        println!("{report}");
    } else {
        print!("{}", render(&report));
    }
    Ok(())
}

fn render(report: &Value) -> String {
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let mut out = format!(
        "escalation risk on STC-3 DCH-1 ({})\nscorer: {}\nmetric: {}\nlabel: {}\npoints: {}\nbaseline: {}\nlearned: {}\n",
        text(&report["data"]),
        text(&report["scorer"]),
        text(&report["metric"]),
        text(&report["label"]),
        text(&report["points"]),
        text(&report["baseline"]),
        text(&report["learned"]),
    );
    let empty = Vec::new();
    for language in report["languages"].as_array().unwrap_or(&empty) {
        let files: Vec<String> = language["files"]
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .map(|f| format!("{} {}/{} annotated", text(&f["file"]), f["annotated"], f["dialogues"]))
            .collect();
        out.push_str(&format!("\n{}: {}\n", text(&language["language"]), files.join(", ")));
        if language["n"] == 0 {
            continue;
        }
        out.push_str(&format!(
            "n {}, positives {} ({:.1}%, mean S ≤ {}), dialogues with 0, 1, 2 … customer turns {}\n",
            language["n"],
            language["positives"],
            language["positive_share"].as_f64().unwrap_or(0.0) * 100.0,
            language["threshold_mean_s"],
            language["customer_turns"],
        ));
        out.push_str(&format!("{:<6} {:>7}", "k", "reached"));
        for scorer in SCORERS {
            out.push_str(&format!(" {scorer:>18}"));
        }
        out.push('\n');
        for row in language["rows"].as_array().unwrap_or(&empty) {
            out.push_str(&format!("{:<6} {:>7}", text(&row["k"]), row["reached"].as_u64().unwrap_or(0)));
            for scorer in SCORERS {
                let cell = match (row[scorer]["mean"].as_f64(), row[scorer]["sd"].as_f64()) {
                    (Some(m), Some(s)) => format!("{m:.3} ± {s:.3}"),
                    (Some(m), None) => format!("{m:.3}"),
                    _ => "-".into(),
                };
                out.push_str(&format!(" {cell:>18}"));
            }
            out.push('\n');
        }
        if let Some(whole) = language["rows"].as_array().and_then(|r| r.last()) {
            let paired: Vec<String> = SCORERS[1..]
                .iter()
                .map(|scorer| {
                    let d = &whole[*scorer]["minus_tracker"];
                    format!(
                        "{scorer} {:+.3} ± {:.3}",
                        d["mean"].as_f64().unwrap_or(f64::NAN),
                        d["sd"].as_f64().unwrap_or(f64::NAN)
                    )
                })
                .collect();
            out.push_str(&format!("minus the tracker, paired by fold (whole): {}\n", paired.join(", ")));
        }
        let fitted = &language["fitted_on_all"];
        out.push_str(&format!("dialogues with each cue by their end: {}\n", language["dialogues_with_cue"]));
        out.push_str(&format!("hand-set weights: {}\n", fitted["tracker_weights"]));
        for key in ["learned_cues", "learned_cues_turns"] {
            out.push_str(&format!(
                "{key} on all (λ {}, CV AUC {}): bias {}, log-odds per unit {}\n",
                fitted[key]["lambda"], fitted[key]["cv_mean_auc"], fitted[key]["bias"], fitted[key]["log_odds_per_unit"]
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bottom_quartile_takes_every_tie_at_its_edge() {
        let (threshold, labels) = bottom_quartile(&[0.5, -1.0, 0.0, -1.0, 1.0, 2.0, 0.2, -0.5]);
        assert_eq!(threshold, -1.0);
        assert_eq!(labels.iter().filter(|l| **l).count(), 2);
        let (threshold, labels) = bottom_quartile(&[-1.0, -1.0, -1.0, 0.0, 1.0]);
        assert_eq!((threshold, labels), (-1.0, vec![true, true, true, false, false]));
    }

    #[test]
    fn folds_keep_the_label_share() {
        let labels: Vec<bool> = (0..50).map(|i| i % 5 == 0).collect();
        let fold = stratified_folds(&labels, 5, 42);
        for f in 0..5 {
            let members: Vec<usize> = (0..50).filter(|&i| fold[i] == f).collect();
            assert_eq!(members.len(), 10);
            assert_eq!(members.iter().filter(|&&i| labels[i]).count(), 2);
        }
    }

    #[test]
    fn the_lexicon_counts_the_longest_phrase_once() {
        assert_eq!(lexicon_net("我很不满意，太差了"), 2.0);
        assert_eq!(lexicon_net("非常满意，谢谢"), -2.0);
        assert_eq!(lexicon_net("Thank you, that was not good. Goodbye"), 0.0);
        assert_eq!(lexicon_net("ＢＡＤ service"), 1.0);
    }

    #[test]
    fn logistic_regression_finds_the_signal() {
        let xs: Vec<Vec<f64>> = (0..200).map(|i| vec![f64::from(i % 2), f64::from(i % 7)]).collect();
        let ys: Vec<bool> = (0..200).map(|i| i % 2 == 1 && i % 3 != 0).collect();
        let model = Logistic::fit(&xs, &ys, 0.1);
        let (_, weights) = model.raw();
        assert!(weights[0] > 2.0 && weights[1].abs() < 0.3, "{weights:?}");
        let (bias, _) = model.raw();
        assert!((model.score(&[0.0, 0.0]) - bias).abs() < 1e-9);
    }

    /// A dialogue of the STC-3 format with `annotators` S scores.
    fn dialogue(id: usize, turns: &[(&str, &str)], s: &[i32]) -> Value {
        json!({
            "id": id.to_string(),
            "turns": turns.iter().map(|(sender, text)| json!({ "sender": sender, "utterances": [text] })).collect::<Vec<_>>(),
            "annotations": s.iter().map(|s| json!({ "nugget": [], "quality": { "A": 0, "S": s, "E": 0 } })).collect::<Vec<_>>(),
        })
    }

    #[test]
    fn an_stc3_folder_is_scored_per_language_and_turn() {
        let dir = tempfile::tempdir().unwrap();
        for (language, angry, calm, reply) in [
            ("cn", "网太差了，气死我了，我要投诉", "谢谢，已经好了", "您好，请私信我们"),
            ("en", "This is terrible, I will complain to the regulator", "Thanks, it works now", "Hello, please DM us"),
        ] {
            // 5 dissatisfied of 20: the angry words arrive at the second customer turn
            let dialogues: Vec<Value> = (0..20)
                .map(|i| {
                    let second = if i < 5 { angry } else { calm };
                    let s = if i < 5 { [-2, -1, -2] } else { [1, 0, 2] };
                    dialogue(i, &[("customer", "网络有问题"), ("helpdesk", reply), ("customer", second), ("helpdesk", reply)], &s)
                })
                .collect();
            std::fs::write(dir.path().join(format!("train_data_{language}.json")), Value::Array(dialogues).to_string()).unwrap();
        }
        // a test file without annotations is read and left out
        let unannotated = json!([{ "id": "t1", "turns": [{ "sender": "customer", "utterances": ["你好"] }] }]);
        std::fs::write(dir.path().join("test_data_cn.json"), unannotated.to_string()).unwrap();

        let args = RiskArgs {
            stc3: dir.path().to_path_buf(),
            max_turns: 5,
            folds: 5,
            seed: 42,
            emotion_model: None,
            cache: None,
            json: true,
        };
        let report = evaluate(&args).unwrap();
        let languages = report["languages"].as_array().unwrap();
        assert_eq!(languages.len(), 2);
        for language in languages {
            assert_eq!((language["n"].as_u64(), language["positives"].as_u64()), (Some(20), Some(5)), "{language}");
            assert_eq!(language["threshold_mean_s"].as_f64(), Some(-1.667));
            let rows = language["rows"].as_array().unwrap();
            let ks: Vec<&str> = rows.iter().map(|r| r["k"].as_str().unwrap()).collect();
            assert_eq!(ks, ["1", "2", "whole"], "two customer turns at most");
            // after the first turn nothing tells them apart; after the second, the cues do
            assert_eq!(rows[0]["tracker"]["mean"].as_f64(), Some(0.5));
            for scorer in ["tracker", "learned_cues", "learned_cues_turns", "lexicon"] {
                assert_eq!(rows[1][scorer]["mean"].as_f64(), Some(1.0), "{scorer}: {}", rows[1]);
                assert_eq!(rows[2][scorer]["folds"].as_array().unwrap().len(), 5);
            }
            assert_eq!(rows[2]["turns_only"]["mean"].as_f64(), Some(0.5), "every dialogue has the same turns");
        }
        let files = &languages[0]["files"];
        assert_eq!((files[1]["dialogues"].as_u64(), files[1]["annotated"].as_u64()), (Some(1), Some(0)));
        assert!(render(&report).contains("learned_cues_turns"));
    }

    #[test]
    fn a_folder_without_annotated_dialogues_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let args = RiskArgs {
            stc3: dir.path().to_path_buf(),
            max_turns: 5,
            folds: 5,
            seed: 42,
            emotion_model: None,
            cache: None,
            json: false,
        };
        assert!(evaluate(&args).unwrap_err().to_string().contains("no annotated"));
    }
}
