//! Accuracy, macro-F1, top-k, auto-accept shares and out-of-scope figures for `seatmate eval
//! classify`. The only clock use in this crate: measuring training and prediction durations here.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::calibrate::Reliability;
use crate::{ClassifyError, Example, Model, TrainConfig};

/// Evaluation figures, as `seatmate eval classify` prints them.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct EvalReport {
    pub n_train: usize,
    pub n_test: usize,
    pub n_classes: usize,
    /// In-scope accuracy of the top-1 label (out-of-scope examples excluded).
    pub accuracy: f64,
    pub macro_f1: f64,
    pub top1: f64,
    pub top3: f64,
    pub top5: f64,
    /// Share of in-scope test tickets auto-accepted at the threshold chosen on held-out data for
    /// each target precision, with the precision actually reached on the test set.
    pub auto_accept: Vec<AutoAccept>,
    /// Present when out-of-scope examples are given.
    pub oos: Option<OosReport>,
    /// Reliability of the in-scope test predictions: top-1 probability in tenths, with the mean
    /// probability and the accuracy in each (a calibrated model's two agree).
    pub calibration: Vec<CalibrationBin>,
    /// Expected calibration error: the bins' |accuracy − confidence|, weighted by their counts.
    pub ece: f64,
    /// The figures cross-validated on the training set while training.
    pub cross_validation: Option<crate::CrossValidation>,
    /// The meaning block cross-validation chose, when sentence vectors were given and it paid.
    #[serde(default)]
    pub dense: Option<crate::DenseChoice>,
    pub train_seconds: f64,
    pub predict_p50_ms: f64,
    pub predict_p99_ms: f64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct AutoAccept {
    pub target_precision: f64,
    pub threshold: Option<f64>,
    pub share: f64,
    pub precision: f64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CalibrationBin {
    /// The bin holds top-1 probabilities in [from, to).
    pub from: f64,
    pub to: f64,
    pub count: usize,
    pub confidence: f64,
    pub accuracy: f64,
}

/// Top-1 (probability, right?) pairs in ten bins of probability, and the expected calibration
/// error over them.
pub fn calibration_bins(points: &[(f32, bool)]) -> (Vec<CalibrationBin>, f64) {
    let mut bins: Vec<CalibrationBin> =
        (0..10).map(|b| CalibrationBin { from: b as f64 / 10.0, to: (b + 1) as f64 / 10.0, ..Default::default() }).collect();
    for &(p, ok) in points {
        let bin = &mut bins[((p as f64 * 10.0) as usize).min(9)];
        bin.count += 1;
        bin.confidence += f64::from(p);
        bin.accuracy += f64::from(u8::from(ok));
    }
    let total = points.len().max(1) as f64;
    let mut ece = 0.0;
    for bin in &mut bins {
        if bin.count > 0 {
            bin.confidence /= bin.count as f64;
            bin.accuracy /= bin.count as f64;
            ece += bin.count as f64 / total * (bin.accuracy - bin.confidence).abs();
        }
    }
    bins.retain(|b| b.count > 0);
    (bins, ece)
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct OosReport {
    /// Share of out-of-scope tickets answered "none of these".
    pub recall: f64,
    /// In-scope accuracy counting an abstention as wrong, at the same threshold.
    pub in_scope_accuracy: f64,
    /// The threshold on the scope score (see `familiarity_weight`).
    pub threshold: f64,
    /// The in-scope accuracy the threshold was chosen to keep on held-out data.
    pub min_in_scope_accuracy: f64,
    /// The scope score is `(1 − w) · z(top-1 probability) + w · z(familiarity)`, each standardised
    /// on the held-out in-scope examples; `w`, from 0 to 1 by tenths, is the one that caught most
    /// of the validation set's out-of-scope examples (0 without them, or without familiarity).
    #[serde(default)]
    pub familiarity_weight: f64,
}

/// A prediction's two scope signals: its top-1 probability and its familiarity.
#[derive(Clone, Copy)]
struct Scope {
    top: f32,
    familiarity: Option<f32>,
}

/// Standardises the two signals on held-out in-scope predictions and mixes them.
struct ScopeScore {
    top: (f64, f64),
    familiarity: (f64, f64),
    weight: f64,
}

impl ScopeScore {
    fn fit(in_scope: &[Scope], weight: f64) -> ScopeScore {
        let moments = |values: Vec<f64>| {
            let n = values.len().max(1) as f64;
            let mean = values.iter().sum::<f64>() / n;
            let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt().max(1e-9);
            (mean, sd)
        };
        let top = moments(in_scope.iter().map(|s| f64::from(s.top)).collect());
        let familiarity = moments(in_scope.iter().filter_map(|s| s.familiarity.map(f64::from)).collect());
        ScopeScore { top, familiarity, weight }
    }

    fn score(&self, s: &Scope) -> f32 {
        let z = |v: f32, (mean, sd): (f64, f64)| (f64::from(v) - mean) / sd;
        let top = z(s.top, self.top);
        match s.familiarity {
            Some(f) if self.weight > 0.0 => ((1.0 - self.weight) * top + self.weight * z(f, self.familiarity)) as f32,
            _ => top as f32,
        }
    }
}

/// The in-scope accuracy "none of these" may cost at most, when choosing its threshold.
const OOS_MIN_IN_SCOPE_ACCURACY: f64 = 0.95;
/// When the model is below that anyway: how much in-scope accuracy "none of these" may cost.
const OOS_MAX_ACCURACY_COST: f64 = 0.02;
const PRECISIONS: [f64; 3] = [0.90, 0.95, 0.99];

/// Trains on `train`, evaluates on `test`. Examples labelled `oos_label` are out of scope: never
/// trained on; the threshold for "none of these" is chosen on `val` when given (else on the
/// calibration split) as the highest that keeps in-scope accuracy there ≥ 95%.
pub fn evaluate(
    train: &[Example],
    val: Option<&[Example]>,
    test: &[Example],
    oos_label: Option<&str>,
    config: &TrainConfig,
    vectors: Option<&HashMap<String, Vec<f32>>>,
) -> Result<EvalReport, ClassifyError> {
    let is_oos = |e: &Example| oos_label.is_some_and(|l| e.label == l);
    let in_scope_train: Vec<Example> = train.iter().filter(|e| !is_oos(e)).cloned().collect();
    if test.is_empty() {
        return Err(ClassifyError::InvalidInput("the test set is empty".into()));
    }
    let vector_of = |text: &str| vectors.and_then(|v| v.get(text)).map(Vec::as_slice);
    let train_vectors: Option<Vec<Vec<f32>>> = match vectors {
        Some(_) => Some(
            in_scope_train
                .iter()
                .map(|e| vector_of(&e.text).map(<[f32]>::to_vec))
                .collect::<Option<_>>()
                .ok_or_else(|| ClassifyError::InvalidInput("a training text has no sentence vector".into()))?,
        ),
        None => None,
    };
    let start = Instant::now();
    let model = Model::train_with_vectors(&in_scope_train, train_vectors.as_deref(), config)?.model;
    let train_seconds = start.elapsed().as_secs_f64();
    let with_vector = model.vector_dim().is_some() && vectors.is_some();

    let mut latencies = Vec::with_capacity(test.len());
    let mut in_scope: Vec<(&Example, Vec<(String, f32)>)> = Vec::new();
    let mut in_scope_familiarity: Vec<Option<f32>> = Vec::new();
    let mut oos_test: Vec<Scope> = Vec::new();
    for example in test {
        let start = Instant::now();
        let prediction = model.predict_with(&example.text, vector_of(&example.text), 5);
        latencies.push(start.elapsed().as_secs_f64() * 1000.0);
        let familiarity = model.familiarity(vector_of(&example.text));
        if is_oos(example) {
            oos_test.push(Scope { top: prediction.top[0].1, familiarity });
        } else {
            in_scope.push((example, prediction.top));
            in_scope_familiarity.push(familiarity);
        }
    }
    latencies.sort_by(f64::total_cmp);
    let n = in_scope.len().max(1) as f64;
    let hits = |k: usize| in_scope.iter().filter(|(e, top)| top.iter().take(k).any(|(l, _)| *l == e.label)).count() as f64 / n;

    // thresholds come from held-out data, never the test set: the validation set when given, else
    // the calibration share held out of training
    let scope_of = |e: &Example| {
        let top = model.predict_with(&e.text, vector_of(&e.text), 1).top;
        (Scope { top: top[0].1, familiarity: model.familiarity(vector_of(&e.text)) }, top[0].0 == e.label)
    };
    let (held_scope, oos_val): (Vec<(Scope, bool)>, Vec<Scope>) = match val {
        Some(val) => (
            val.iter().filter(|e| !is_oos(e)).map(scope_of).collect(),
            val.iter().filter(|e| is_oos(e)).map(|e| scope_of(e).0).collect(),
        ),
        None => (
            model.reliability_with(with_vector).iter().map(|&(top, ok)| (Scope { top, familiarity: None }, ok)).collect(),
            Vec::new(),
        ),
    };
    let held_out: Vec<(f32, bool)> = held_scope.iter().map(|(s, ok)| (s.top, *ok)).collect();
    let reliability = Reliability::new(held_out.clone());
    let auto_accept = PRECISIONS
        .iter()
        .map(|&target| {
            let threshold = reliability.threshold_for_precision(target as f32);
            let accepted: Vec<bool> = match threshold {
                Some(t) => in_scope.iter().filter(|(_, top)| top[0].1 >= t).map(|(e, top)| top[0].0 == e.label).collect(),
                None => Vec::new(),
            };
            let right = accepted.iter().filter(|ok| **ok).count() as f64;
            AutoAccept {
                target_precision: target,
                threshold: threshold.map(f64::from),
                share: accepted.len() as f64 / n,
                precision: if accepted.is_empty() { 0.0 } else { right / accepted.len() as f64 },
            }
        })
        .collect();

    let oos = if oos_test.is_empty() {
        None
    } else {
        // the familiarity's weight: the one that catches most of the validation set's
        // out-of-scope examples at its threshold (top probability alone without them)
        let scopes: Vec<Scope> = held_scope.iter().map(|(s, _)| *s).collect();
        let can_mix = !oos_val.is_empty() && held_scope.iter().map(|(s, _)| s).chain(&oos_val).all(|s| s.familiarity.is_some());
        let mut best: Option<(usize, ScopeScore, f32, f64)> = None;
        for step in 0..=if can_mix { 10 } else { 0 } {
            let score = ScopeScore::fit(&scopes, f64::from(step) / 10.0);
            let points: Vec<(f32, bool)> = held_scope.iter().map(|(s, ok)| (score.score(s), *ok)).collect();
            let (threshold, floor) = oos_threshold(&points);
            let caught = oos_val.iter().filter(|s| score.score(s) < threshold).count();
            if best.as_ref().is_none_or(|b| caught > b.0) {
                best = Some((caught, score, threshold, floor));
            }
        }
        best.map(|(_, score, threshold, floor)| {
            let recall = oos_test.iter().filter(|s| score.score(s) < threshold).count() as f64 / oos_test.len() as f64;
            let kept = in_scope
                .iter()
                .zip(&in_scope_familiarity)
                .filter(|((e, top), &familiarity)| {
                    score.score(&Scope { top: top[0].1, familiarity }) >= threshold && top[0].0 == e.label
                })
                .count() as f64;
            OosReport {
                recall,
                in_scope_accuracy: kept / n,
                threshold: f64::from(threshold),
                min_in_scope_accuracy: floor,
                familiarity_weight: score.weight,
            }
        })
    };

    let test_points: Vec<(f32, bool)> = in_scope.iter().map(|(e, top)| (top[0].1, top[0].0 == e.label)).collect();
    let (calibration, ece) = calibration_bins(&test_points);
    Ok(EvalReport {
        n_train: in_scope_train.len(),
        n_test: test.len(),
        n_classes: model.labels().len(),
        accuracy: hits(1),
        macro_f1: macro_f1(in_scope.iter().map(|(e, top)| (e.label.as_str(), top[0].0.as_str()))),
        top1: hits(1),
        top3: hits(3),
        top5: hits(5),
        auto_accept,
        oos,
        calibration,
        ece,
        cross_validation: model.cross_validation().cloned(),
        dense: model.dense_choice().cloned(),
        train_seconds,
        predict_p50_ms: percentile(&latencies, 0.50),
        predict_p99_ms: percentile(&latencies, 0.99),
    })
}

/// The highest top-1 probability threshold at which in-scope accuracy on held-out data (an
/// abstention counts as wrong) stays at or above the floor: 95%, or, when the model does not reach
/// 95% even answering everything, its plain accuracy less [`OOS_MAX_ACCURACY_COST`]. Returns the
/// threshold and the floor used.
fn oos_threshold(points: &[(f32, bool)]) -> (f32, f64) {
    let mut sorted = points.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total = sorted.len().max(1) as f64;
    let plain = sorted.iter().filter(|p| p.1).count() as f64 / total;
    let floor = OOS_MIN_IN_SCOPE_ACCURACY.min(plain - OOS_MAX_ACCURACY_COST);
    let mut correct = 0usize;
    for (i, &(p, ok)) in sorted.iter().enumerate() {
        correct += usize::from(ok);
        let is_boundary = sorted.get(i + 1).is_none_or(|next| next.0 < p);
        if is_boundary && correct as f64 / total >= floor {
            return (p, floor);
        }
    }
    (0.0, floor)
}

/// Macro-averaged F1 over every label that occurs as truth or prediction.
pub fn macro_f1<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> f64 {
    let mut tp: HashMap<&str, f64> = HashMap::new();
    let mut fp: HashMap<&str, f64> = HashMap::new();
    let mut fn_: HashMap<&str, f64> = HashMap::new();
    let mut labels: HashSet<&str> = HashSet::new();
    for (truth, predicted) in pairs {
        labels.insert(truth);
        labels.insert(predicted);
        if truth == predicted {
            *tp.entry(truth).or_default() += 1.0;
        } else {
            *fp.entry(predicted).or_default() += 1.0;
            *fn_.entry(truth).or_default() += 1.0;
        }
    }
    if labels.is_empty() {
        return 0.0;
    }
    // summed in label order: the same figure, to the last bit, on every run (it is stored)
    let mut labels: Vec<&str> = labels.into_iter().collect();
    labels.sort_unstable();
    let f1_sum: f64 = labels
        .iter()
        .map(|l| {
            let (t, p, n) =
                (tp.get(l).copied().unwrap_or(0.0), fp.get(l).copied().unwrap_or(0.0), fn_.get(l).copied().unwrap_or(0.0));
            if t == 0.0 {
                0.0
            } else {
                2.0 * t / (2.0 * t + p + n)
            }
        })
        .sum();
    f1_sum / labels.len() as f64
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macro_f1_matches_a_hand_count() {
        // a: tp 1, fn 1 -> 2/3; b: tp 1, fp 1 -> 2/3
        let pairs = [("a", "a"), ("a", "b"), ("b", "b")];
        assert!((macro_f1(pairs.into_iter()) - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn oos_threshold_keeps_in_scope_accuracy() {
        let mut points: Vec<(f32, bool)> = (0..100).map(|i| (i as f32 / 100.0, true)).collect();
        points[0].1 = false;
        let (t, floor) = oos_threshold(&points);
        assert!((0.04..=0.06).contains(&t), "{t}");
        assert_eq!(floor, 0.95);
        let weak: Vec<(f32, bool)> = (0..100).map(|i| (i as f32 / 100.0, i >= 20)).collect();
        let (t, floor) = oos_threshold(&weak);
        assert!((floor - 0.78).abs() < 1e-9 && t > 0.0, "80% plain accuracy: keep 78% ({t}, {floor})");
    }
}
