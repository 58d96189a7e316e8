//! The emotion of a turn: label probabilities, the labels it carries, the top emotion and a
//! valence in [-1, 1].
//!
//! Two blocks read the turn, and their one-vs-rest margins are mixed:
//! - words: TF-IDF over `seatmate-text` features (Chinese words, Han character n-grams, English
//!   words and their character n-grams; Traditional folds to Simplified) with L2-loss linear SVMs
//!   — `seatmate-classify`'s vectorizer and solver;
//! - meaning: the turn's multilingual-e5 sentence vector (computed once by the caller and shared
//!   with knowledge search), centred and scaled on the training vectors, with the same solver.
//!
//! Every setting — each block's regularisation, the weight of the meaning block, the per-label
//! thresholds (multi-label data) or per-label offsets (single-label data), the probability
//! temperature — is chosen on the held-out examples handed to [`EmotionModel::train`], never on
//! the data the model is judged on. Prediction costs one sparse and one 384 × labels dot product.

use serde::{Deserialize, Serialize};

use seatmate_classify::{fit_temperature, softmax, FeatureSettings, LinearBlock as Linear, SparseVec, TrainConfig, Vectorizer};

use crate::metrics::{argmax, decide_multi, decide_single, f1_offsets, f1_thresholds, macro_f1};
use crate::SignalsError;

const MAGIC: &[u8] = b"SEATMATE-EMOTION-1\n";

/// One labelled text: its words, its sentence vector (empty when there is no encoder) and its
/// labels (indices into the label list; several for multi-label data).
#[derive(Clone, Copy, Debug)]
pub struct Example<'a> {
    pub text: &'a str,
    pub vector: &'a [f32],
    pub labels: &'a [usize],
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmotionConfig {
    pub features: FeatureSettings,
    /// A text may carry several labels (GoEmotions): one threshold per label decides which.
    /// Otherwise exactly one label, the best after per-label offsets.
    pub multi_label: bool,
    /// SVM regularisation tried for the word block, the best on held-out data kept.
    pub sparse_c: Vec<f32>,
    /// The same for the sentence-vector block.
    pub dense_c: Vec<f32>,
    /// Weights of the sentence-vector block in the mixed margin tried (the word block gets the rest).
    pub dense_weights: Vec<f32>,
    pub epochs: usize,
    pub seed: u64,
    /// Worker threads for training (0 = all cores).
    pub threads: usize,
}

impl Default for EmotionConfig {
    fn default() -> Self {
        EmotionConfig {
            features: FeatureSettings::default(),
            multi_label: false,
            sparse_c: vec![0.03, 0.1, 0.3, 1.0],
            dense_c: vec![0.3, 1.0, 3.0],
            dense_weights: (0..=10).map(|i| i as f32 / 10.0).collect(),
            epochs: 60,
            seed: 42,
            threads: 0,
        }
    }
}

/// The settings chosen on held-out data, and the held-out macro-F1 that chose them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Chosen {
    pub sparse_c: f32,
    /// `None` without sentence vectors.
    pub dense_c: Option<f32>,
    pub dense_weight: f32,
    pub temperature: f32,
    /// Held-out macro-F1 of the words alone, the vectors alone, and the mix (each with its
    /// thresholds or offsets fitted on the same held-out examples).
    pub held_out_f1_words: f32,
    pub held_out_f1_vectors: Option<f32>,
    pub held_out_f1: f32,
    pub held_out_examples: usize,
}

/// What the model says about one text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Emotion {
    /// Probability of every label, in [`EmotionModel::labels`] order (they sum to 1).
    pub probabilities: Vec<f32>,
    /// The labels the text carries (indices, ascending): one for single-label models.
    pub labels: Vec<usize>,
    /// The most likely label.
    pub top: usize,
    /// -1 (negative) … 1 (positive): the probabilities weighed by each label's valence.
    pub valence: f32,
}

/// A block's SVMs at regularisation `c` (`config`'s epochs, seed and threads), an example's
/// labels its positives.
fn fit_block(
    xs: &[SparseVec],
    n_features: usize,
    examples: &[Example],
    n_labels: usize,
    c: f32,
    config: &EmotionConfig,
) -> Linear {
    let train = TrainConfig { c, epochs: config.epochs, seed: config.seed, threads: config.threads, ..TrainConfig::default() };
    Linear::fit(xs, n_labels, n_features, &train, |k, i| examples[i].labels.contains(&k))
}

/// Centres and scales sentence vectors on the training set, then L2-normalises them (e5 vectors
/// share a large common direction; a linear model separates them better without it).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct DenseScaler {
    mean: Vec<f32>,
    inv_std: Vec<f32>,
}

impl DenseScaler {
    fn fit(vectors: &[&[f32]], dim: usize) -> DenseScaler {
        let n = vectors.len().max(1) as f32;
        let mut mean = vec![0.0f32; dim];
        for v in vectors {
            mean.iter_mut().zip(*v).for_each(|(m, x)| *m += x / n);
        }
        let mut var = vec![0.0f32; dim];
        for v in vectors {
            var.iter_mut().zip(*v).zip(&mean).for_each(|((s, x), m)| *s += (x - m) * (x - m) / n);
        }
        DenseScaler { mean, inv_std: var.iter().map(|v| 1.0 / v.sqrt().max(1e-6)).collect() }
    }

    /// `None` when the vector is missing or of another size.
    fn transform(&self, vector: &[f32]) -> Option<SparseVec> {
        if vector.len() != self.mean.len() || vector.is_empty() {
            return None;
        }
        let mut values: Vec<f32> = vector.iter().zip(&self.mean).zip(&self.inv_std).map(|((x, m), s)| (x - m) * s).collect();
        let norm = values.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            values.iter_mut().for_each(|v| *v /= norm);
        }
        Some(SparseVec { ids: (0..values.len() as u32).collect(), values })
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
enum Decision {
    /// Multi-label: a label is carried when its mixed margin reaches its threshold.
    Thresholds(Vec<f32>),
    /// Single-label: added to the mixed margins before the best is taken.
    Offsets(Vec<f32>),
}

impl Decision {
    fn fit(scores: &[Vec<f32>], gold: &[Vec<usize>], n_labels: usize, multi_label: bool) -> Decision {
        if multi_label {
            Decision::Thresholds(f1_thresholds(scores, gold, n_labels))
        } else {
            Decision::Offsets(f1_offsets(scores, gold, n_labels))
        }
    }

    fn decide(&self, scores: &[f32]) -> Vec<usize> {
        match self {
            Decision::Thresholds(t) => decide_multi(scores, t),
            Decision::Offsets(o) => decide_single(scores, o),
        }
    }

    /// The margins probabilities are computed from: shifted so that the decision is the argmax.
    fn shifted(&self, scores: &[f32]) -> Vec<f32> {
        match self {
            Decision::Thresholds(t) => scores.iter().zip(t).map(|(s, t)| s - t.min(1e3)).collect(),
            Decision::Offsets(o) => scores.iter().zip(o).map(|(s, o)| s + o).collect(),
        }
    }
}

/// The sentence-vector block with the best held-out figure so far.
struct DenseChoice {
    f1: f32,
    c: f32,
    scaler: DenseScaler,
    block: Linear,
    /// Its margins on the held-out examples.
    scores: Vec<Vec<f32>>,
}

/// Held-out macro-F1 of margins, with the decision rule fitted on them.
fn held_out_f1(scores: &[Vec<f32>], gold: &[Vec<usize>], n_labels: usize, multi_label: bool) -> f32 {
    let decision = Decision::fit(scores, gold, n_labels, multi_label);
    let predicted: Vec<Vec<usize>> = scores.iter().map(|s| decision.decide(s)).collect();
    macro_f1(&predicted, gold, n_labels)
}

fn mix(sparse: &[Vec<f32>], dense: Option<&[Vec<f32>]>, weight: f32) -> Vec<Vec<f32>> {
    match dense {
        Some(dense) => sparse
            .iter()
            .zip(dense)
            .map(|(s, d)| s.iter().zip(d).map(|(s, d)| (1.0 - weight) * s + weight * d).collect())
            .collect(),
        None => sparse.to_vec(),
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    labels: Vec<String>,
    valence: Vec<f32>,
    vectorizer: Vectorizer,
    scaler: Option<DenseScaler>,
    dense_weight: f32,
    decision: Decision,
    temperature: f32,
    chosen: Chosen,
    multi_label: bool,
}

/// A trained emotion model.
pub struct EmotionModel {
    labels: Vec<String>,
    valence: Vec<f32>,
    vectorizer: Vectorizer,
    sparse: Linear,
    /// The vector block, when the model was trained with sentence vectors.
    dense: Option<(DenseScaler, Linear)>,
    dense_weight: f32,
    decision: Decision,
    temperature: f32,
    chosen: Chosen,
    multi_label: bool,
}

fn check(examples: &[Example], n_labels: usize, what: &str) -> Result<(), SignalsError> {
    for (i, e) in examples.iter().enumerate() {
        if e.labels.is_empty() || e.labels.iter().any(|&l| l >= n_labels) {
            return Err(SignalsError::InvalidInput(format!("{what} example {} has no label or an unknown one", i + 1)));
        }
    }
    Ok(())
}

impl EmotionModel {
    /// Trains on `train`, choosing every setting on `held_out` (when it is empty, on `train`
    /// itself: only for tiny sets). The sentence-vector block learns from the training examples
    /// that have a vector (the others teach the words only), and is used when every held-out
    /// example has one.
    pub fn train(
        labels: &[String],
        train: &[Example],
        held_out: &[Example],
        config: &EmotionConfig,
    ) -> Result<EmotionModel, SignalsError> {
        let n = labels.len();
        if n < 2 {
            return Err(SignalsError::InvalidInput(format!("training needs at least two labels, found {n}")));
        }
        if train.is_empty() {
            return Err(SignalsError::InvalidInput("no training examples".into()));
        }
        check(train, n, "training")?;
        check(held_out, n, "held-out")?;
        let held_out = if held_out.is_empty() { train } else { held_out };
        let gold: Vec<Vec<usize>> = held_out.iter().map(|e| sorted(e.labels)).collect();
        let grid = |values: &[f32], fallback: f32| if values.is_empty() { vec![fallback] } else { values.to_vec() };

        // words
        let texts: Vec<&str> = train.iter().map(|e| e.text).collect();
        let (vectorizer, xs) = Vectorizer::fit(&texts, &config.features);
        let held_xs: Vec<SparseVec> = held_out.iter().map(|e| vectorizer.transform(e.text)).collect();
        let mut best_sparse: Option<(f32, f32, Linear, Vec<Vec<f32>>)> = None;
        for c in grid(&config.sparse_c, 0.3) {
            let block = fit_block(&xs, vectorizer.len(), train, n, c, config);
            let scores: Vec<Vec<f32>> = held_xs.iter().map(|x| block.scores(x)).collect();
            let f1 = held_out_f1(&scores, &gold, n, config.multi_label);
            if best_sparse.as_ref().is_none_or(|b| f1 > b.0) {
                best_sparse = Some((f1, c, block, scores));
            }
        }
        drop(xs);
        let Some((f1_words, sparse_c, sparse, sparse_scores)) = best_sparse else {
            return Err(SignalsError::InvalidInput("no regularisation to try".into()));
        };

        // sentence vectors: trained on the examples that have one (all, normally); chosen only
        // when every held-out example has one, so the mix can be judged
        let dim = train.iter().map(|e| e.vector.len()).find(|&d| d > 0).unwrap_or(0);
        let with_vectors: Vec<Example> = train.iter().filter(|e| dim > 0 && e.vector.len() == dim).copied().collect();
        let has_vectors = with_vectors.len() >= 2 && held_out.iter().all(|e| e.vector.len() == dim);
        let mut best_dense: Option<DenseChoice> = None;
        if has_vectors {
            let vectors: Vec<&[f32]> = with_vectors.iter().map(|e| e.vector).collect();
            let scaler = DenseScaler::fit(&vectors, dim);
            let dxs: Vec<SparseVec> = vectors.iter().map(|v| scaler.transform(v).unwrap_or_default()).collect();
            let held_dxs: Vec<SparseVec> = held_out.iter().map(|e| scaler.transform(e.vector).unwrap_or_default()).collect();
            for c in grid(&config.dense_c, 1.0) {
                let block = fit_block(&dxs, dim, &with_vectors, n, c, config);
                let scores: Vec<Vec<f32>> = held_dxs.iter().map(|x| block.scores(x)).collect();
                let f1 = held_out_f1(&scores, &gold, n, config.multi_label);
                if best_dense.as_ref().is_none_or(|b| f1 > b.f1) {
                    best_dense = Some(DenseChoice { f1, c, scaler: scaler.clone(), block, scores });
                }
            }
        }

        // the mix
        let dense_scores = best_dense.as_ref().map(|b| b.scores.as_slice());
        let weights = if dense_scores.is_some() { grid(&config.dense_weights, 0.5) } else { vec![0.0] };
        let (mut dense_weight, mut f1_mix) = (0.0f32, f32::NEG_INFINITY);
        for w in weights {
            let f1 = held_out_f1(&mix(&sparse_scores, dense_scores, w), &gold, n, config.multi_label);
            if f1 > f1_mix {
                (dense_weight, f1_mix) = (w, f1);
            }
        }
        let mixed = mix(&sparse_scores, dense_scores, dense_weight);
        let decision = Decision::fit(&mixed, &gold, n, config.multi_label);
        let shifted: Vec<Vec<f32>> = mixed.iter().map(|s| decision.shifted(s)).collect();
        let truth: Vec<Option<usize>> = gold.iter().map(|g| g.first().copied()).collect();
        let temperature = fit_temperature(&shifted, &truth);

        let chosen = Chosen {
            sparse_c,
            dense_c: best_dense.as_ref().map(|b| b.c),
            dense_weight,
            temperature,
            held_out_f1_words: f1_words,
            held_out_f1_vectors: best_dense.as_ref().map(|b| b.f1),
            held_out_f1: f1_mix,
            held_out_examples: held_out.len(),
        };
        Ok(EmotionModel {
            valence: labels.iter().map(|l| valence_of(l)).collect(),
            labels: labels.to_vec(),
            vectorizer,
            sparse,
            dense: best_dense.map(|b| (b.scaler, b.block)),
            dense_weight,
            decision,
            temperature,
            chosen,
            multi_label: config.multi_label,
        })
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn chosen(&self) -> &Chosen {
        &self.chosen
    }

    pub fn multi_label(&self) -> bool {
        self.multi_label
    }

    /// Whether the model reads sentence vectors (and of which size).
    pub fn vector_dim(&self) -> Option<usize> {
        self.dense.as_ref().map(|(scaler, _)| scaler.mean.len())
    }

    /// The mixed margins of every label. Without a usable vector (none given, or of another
    /// size) the words alone decide.
    pub fn margins(&self, text: &str, vector: &[f32]) -> Vec<f32> {
        let words = self.sparse.scores(&self.vectorizer.transform(text));
        let Some((scaler, block)) = &self.dense else { return words };
        match scaler.transform(vector) {
            Some(x) => {
                let meaning = block.scores(&x);
                words.iter().zip(&meaning).map(|(s, d)| (1.0 - self.dense_weight) * s + self.dense_weight * d).collect()
            }
            None => words,
        }
    }

    /// The emotion of one text, given its sentence vector (`&[]` without one).
    pub fn predict(&self, text: &str, vector: &[f32]) -> Emotion {
        let margins = self.margins(text, vector);
        let labels = self.decision.decide(&margins);
        let probabilities = softmax(&self.decision.shifted(&margins), self.temperature);
        let top = argmax(&probabilities);
        let valence = probabilities.iter().zip(&self.valence).map(|(p, v)| p * v).sum::<f32>().clamp(-1.0, 1.0);
        Emotion { probabilities, labels, top, valence }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let header = Header {
            labels: self.labels.clone(),
            valence: self.valence.clone(),
            vectorizer: self.vectorizer.clone(),
            scaler: self.dense.as_ref().map(|(s, _)| s.clone()),
            dense_weight: self.dense_weight,
            decision: self.decision.clone(),
            temperature: self.temperature,
            chosen: self.chosen.clone(),
            multi_label: self.multi_label,
        };
        let json = serde_json::to_vec(&header).unwrap_or_default();
        let mut out = Vec::with_capacity(MAGIC.len() + 8 + json.len() + 4 * (self.sparse.weights.len() + 1024));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(json.len() as u64).to_le_bytes());
        out.extend_from_slice(&json);
        for block in std::iter::once(&self.sparse).chain(self.dense.as_ref().map(|(_, b)| b)) {
            for v in block.weights.iter().chain(&block.bias) {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<EmotionModel, SignalsError> {
        let corrupt = |what: &str| SignalsError::Corrupt(what.to_string());
        let rest = bytes.strip_prefix(MAGIC).ok_or_else(|| corrupt("not a Seatmate emotion model (or another version)"))?;
        let (len, rest) = rest.split_at_checked(8).ok_or_else(|| corrupt("truncated header"))?;
        let len = u64::from_le_bytes(len.try_into().map_err(|_| corrupt("truncated header"))?) as usize;
        let (json, mut weights) = rest.split_at_checked(len).ok_or_else(|| corrupt("truncated header"))?;
        let mut header: Header = serde_json::from_slice(json).map_err(|e| SignalsError::Corrupt(e.to_string()))?;
        header.vectorizer.reindex();
        let n = header.labels.len();
        let mut block = |features: usize| -> Result<Linear, SignalsError> {
            let count = (features + 1) * n;
            let (raw, rest) = weights.split_at_checked(count * 4).ok_or_else(|| corrupt("truncated weights"))?;
            weights = rest;
            let mut values: Vec<f32> = raw.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
            let bias = values.split_off(features * n);
            Ok(Linear { weights: values, bias })
        };
        let sparse = block(header.vectorizer.len())?;
        let dense = match header.scaler {
            Some(scaler) => {
                let linear = block(scaler.mean.len())?;
                Some((scaler, linear))
            }
            None => None,
        };
        if !weights.is_empty() {
            return Err(corrupt("trailing bytes"));
        }
        let decision_len = match &header.decision {
            Decision::Thresholds(v) | Decision::Offsets(v) => v.len(),
        };
        if header.valence.len() != n || decision_len != n {
            return Err(corrupt("label tables disagree"));
        }
        Ok(EmotionModel {
            labels: header.labels,
            valence: header.valence,
            vectorizer: header.vectorizer,
            sparse,
            dense,
            dense_weight: header.dense_weight,
            decision: header.decision,
            temperature: header.temperature,
            chosen: header.chosen,
            multi_label: header.multi_label,
        })
    }
}

fn sorted(labels: &[usize]) -> Vec<usize> {
    let mut out = labels.to_vec();
    out.sort_unstable();
    out.dedup();
    out
}

/// The valence of an emotion label, by name: 1 for pleasant emotions (joy, gratitude, 高兴 …),
/// -1 for unpleasant ones (anger, sadness, fear, 愤怒 …), 0 for neutral, surprise, curiosity and
/// labels it does not know. Covers GoEmotions (28, Ekman, sentiment groups) and SMP2020-EWECT.
pub fn valence_of(label: &str) -> f32 {
    const POSITIVE: &[&str] = &[
        "admiration",
        "amusement",
        "approval",
        "caring",
        "desire",
        "excitement",
        "gratitude",
        "joy",
        "love",
        "optimism",
        "pride",
        "relief",
        "happy",
        "happiness",
        "positive",
        "高兴",
        "开心",
        "喜悦",
        "积极",
        "满意",
    ];
    const NEGATIVE: &[&str] = &[
        "anger",
        "annoyance",
        "disappointment",
        "disapproval",
        "disgust",
        "embarrassment",
        "fear",
        "grief",
        "nervousness",
        "remorse",
        "sadness",
        "angry",
        "sad",
        "negative",
        "愤怒",
        "生气",
        "悲伤",
        "难过",
        "恐惧",
        "害怕",
        "消极",
        "不满",
    ];
    let label = label.trim().to_lowercase();
    if POSITIVE.contains(&label.as_str()) {
        1.0
    } else if NEGATIVE.contains(&label.as_str()) {
        -1.0
    } else {
        0.0
    }
}
