use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::calibrate::{fit_temperature, softmax, Reliability};
use crate::scorer::Scorer;
use crate::vectorize::Vectorizer;
use crate::{ClassifyError, Example, Prediction, Rng, TrainConfig};

const MAGIC: &[u8] = b"SEATMATE-CLASSIFY-2\n";
const EXPLAIN_FEATURES: usize = 5;
/// Held-out examples used for calibration, at most.
const MAX_CALIBRATION: usize = 20_000;

/// A trained classifier.
pub struct Model {
    labels: Vec<String>,
    vectorizer: Vectorizer,
    scorer: Scorer,
    temperature: f32,
    reliability: Reliability,
    config: TrainConfig,
}

#[derive(Serialize, Deserialize)]
struct Header {
    labels: Vec<String>,
    vectorizer: Vectorizer,
    temperature: f32,
    reliability: Reliability,
    config: TrainConfig,
}

/// Vectorizes and trains on `examples`.
fn fit(
    examples: &[&Example],
    label_index: &HashMap<&str, usize>,
    n_classes: usize,
    config: &TrainConfig,
) -> (Vectorizer, Scorer) {
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let (vectorizer, xs) = Vectorizer::fit(&texts, &config.features);
    let labels: Vec<usize> = examples.iter().map(|e| label_index[e.label.as_str()]).collect();
    let scorer = Scorer::fit(&xs, &labels, n_classes, vectorizer.len(), config);
    (vectorizer, scorer)
}

impl Model {
    /// Trains on `examples`. A stratified share (`calibration_fraction`) is held out first to fit
    /// the probability temperature and the precision thresholds; the final model then trains on
    /// everything.
    pub fn train(examples: &[Example], config: &TrainConfig) -> Result<Model, ClassifyError> {
        let mut labels: Vec<String> = examples.iter().map(|e| e.label.clone()).collect();
        labels.sort();
        labels.dedup();
        if labels.len() < 2 {
            return Err(ClassifyError::InvalidInput(format!("training needs at least two labels, found {}", labels.len())));
        }
        if let Some(empty) = examples.iter().position(|e| e.text.trim().is_empty()) {
            return Err(ClassifyError::InvalidInput(format!("example {} has no text", empty + 1)));
        }
        let label_index: HashMap<&str, usize> = labels.iter().enumerate().map(|(i, l)| (l.as_str(), i)).collect();
        let n_classes = labels.len();

        // stratified hold-out: a share of each class, never a class's last example
        let mut by_class: Vec<Vec<&Example>> = vec![Vec::new(); n_classes];
        for example in examples {
            by_class[label_index[example.label.as_str()]].push(example);
        }
        let mut rng = Rng::new(config.seed);
        let (mut fit_part, mut held_out) = (Vec::new(), Vec::new());
        for mut group in by_class {
            rng.shuffle(&mut group);
            let take = ((group.len() as f32 * config.calibration_fraction).round() as usize).min(group.len().saturating_sub(1));
            held_out.extend(group.drain(..take));
            fit_part.extend(group);
        }
        // a few thousand held-out examples calibrate as well as a hundred thousand
        if held_out.len() > MAX_CALIBRATION {
            rng.shuffle(&mut held_out);
            fit_part.extend(held_out.drain(MAX_CALIBRATION..));
        }

        let (temperature, reliability) = if held_out.len() >= 10 {
            let (vectorizer, scorer) = fit(&fit_part, &label_index, n_classes, config);
            // only the classes a scorer scored (all, or a shortlist) matter to the softmax: keep
            // those, with where the true class is among them
            let (held_scores, truth): (Vec<Vec<f32>>, Vec<Option<usize>>) = held_out
                .iter()
                .map(|e| {
                    let all = scorer.scores(&vectorizer.transform(&e.text));
                    let truth = label_index[e.label.as_str()];
                    let scored: Vec<(usize, f32)> = all.into_iter().enumerate().filter(|(_, s)| s.is_finite()).collect();
                    let position = scored.iter().position(|(k, _)| *k == truth);
                    (scored.into_iter().map(|(_, s)| s).collect(), position)
                })
                .unzip();
            let temperature = fit_temperature(&held_scores, &truth);
            let points = held_scores
                .iter()
                .zip(&truth)
                .filter(|(s, _)| !s.is_empty())
                .map(|(s, &y)| {
                    let probs = softmax(s, temperature);
                    let best = argmax(&probs);
                    (probs[best], Some(best) == y)
                })
                .collect();
            (temperature, Reliability::new(points))
        } else {
            (1.0, Reliability::default())
        };

        let all: Vec<&Example> = examples.iter().collect();
        let (vectorizer, scorer) = fit(&all, &label_index, n_classes, config);
        Ok(Model { labels, vectorizer, scorer, temperature, reliability, config: config.clone() })
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// Calibrated probabilities of every label, in `labels()` order.
    pub fn probabilities(&self, text: &str) -> Vec<f32> {
        softmax(&self.scorer.scores(&self.vectorizer.transform(text)), self.temperature)
    }

    /// The `k` most likely labels and why the first one won (the words that weighed most for it,
    /// then character n-grams when too few words did).
    pub fn predict(&self, text: &str, k: usize) -> Prediction {
        let (x, names) = self.vectorizer.transform_named(text);
        let probs = softmax(&self.scorer.scores(&x), self.temperature);
        let mut order: Vec<usize> = (0..probs.len()).collect();
        order.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]));
        let top: Vec<(String, f32)> = order.iter().take(k.max(1)).map(|&i| (self.labels[i].clone(), probs[i])).collect();
        let best = order[0];
        let mut contributions: Vec<(String, f32)> = self
            .scorer
            .contributions(&x, best)
            .into_iter()
            .filter(|(_, c)| *c > 0.0)
            .map(|(j, c)| (names.get(&j).cloned().unwrap_or_default(), c))
            .collect();
        // whole words and word pairs explain better than character fragments: they come first
        let is_word = |f: &str| f.starts_with("w:") || f.starts_with("b:");
        contributions.sort_by(|a, b| is_word(&b.0).cmp(&is_word(&a.0)).then(b.1.total_cmp(&a.1)));
        contributions.truncate(EXPLAIN_FEATURES);
        Prediction { top, explanation: contributions }
    }

    /// The smallest top-1 probability at which accepted predictions reached `precision` on the
    /// held-out calibration data (None when no threshold reaches it).
    pub fn threshold_for_precision(&self, precision: f32) -> Option<f32> {
        self.reliability.threshold_for_precision(precision)
    }

    /// The held-out (probability, correct) pairs the thresholds come from.
    pub fn reliability(&self) -> &[(f32, bool)] {
        &self.reliability.points
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let header = Header {
            labels: self.labels.clone(),
            vectorizer: self.vectorizer.clone(),
            temperature: self.temperature,
            reliability: self.reliability.clone(),
            config: self.config.clone(),
        };
        let json = serde_json::to_vec(&header).unwrap_or_default();
        let mut out = Vec::with_capacity(MAGIC.len() + 8 + json.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(json.len() as u64).to_le_bytes());
        out.extend_from_slice(&json);
        self.scorer.write(&mut out);
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ClassifyError> {
        let corrupt = |what: &str| ClassifyError::Corrupt(what.to_string());
        let rest = bytes.strip_prefix(MAGIC).ok_or_else(|| corrupt("not a Seatmate classifier (or an older version)"))?;
        let (len, rest) = rest.split_at_checked(8).ok_or_else(|| corrupt("truncated header"))?;
        let len = u64::from_le_bytes(len.try_into().map_err(|_| corrupt("truncated header"))?) as usize;
        let (json, weights) = rest.split_at_checked(len).ok_or_else(|| corrupt("truncated header"))?;
        let mut header: Header = serde_json::from_slice(json).map_err(|e| ClassifyError::Corrupt(e.to_string()))?;
        header.vectorizer.reindex();
        let scorer = Scorer::read(weights, header.labels.len(), header.vectorizer.len())?;
        Ok(Model {
            labels: header.labels,
            vectorizer: header.vectorizer,
            scorer,
            temperature: header.temperature,
            reliability: header.reliability,
            config: header.config,
        })
    }
}

pub(crate) fn argmax(values: &[f32]) -> usize {
    values.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map_or(0, |(i, _)| i)
}

/// Backs off from the best label to the deepest ancestor whose probability mass (its own plus its
/// descendants') reaches `threshold`; `None` when not even the root does ("none of these").
/// `probabilities` pairs every label with its probability; `parent` walks the taxonomy.
pub fn back_off(
    probabilities: &[(String, f32)],
    parent: impl Fn(&str) -> Option<String>,
    threshold: f32,
) -> Option<(String, f32)> {
    let best = probabilities.iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
    if best.1 >= threshold {
        return Some(best.clone());
    }
    let mut mass: HashMap<String, f32> = HashMap::new();
    for (label, p) in probabilities {
        let mut node = parent(label);
        while let Some(code) = node {
            *mass.entry(code.clone()).or_insert(0.0) += p;
            node = parent(&code);
        }
    }
    let mut node = parent(&best.0);
    while let Some(code) = node {
        let m = mass.get(&code).copied().unwrap_or(0.0);
        if m >= threshold {
            return Some((code, m));
        }
        node = parent(&code);
    }
    None
}
