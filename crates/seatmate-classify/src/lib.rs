//! The ticket classifier: TF-IDF over Seatmate's text features (words, word bigrams, character
//! n-grams, Chinese and English alike), one-vs-rest linear SVMs trained by dual coordinate descent,
//! probabilities calibrated on held-out data, top-k with explanations, "none of these" and back-off
//! to the deepest confident ancestor.
//!
//! Invariant: pure computation. Examples in, a model out; text in, a prediction out. It never reads
//! the store, files or the clock (training time is measured by the caller).

mod calibrate;
mod dense;
mod eval;
mod group;
mod linear;
mod model;
mod scorer;
mod vectorize;

use serde::{Deserialize, Serialize};

pub use calibrate::{fit_temperature, softmax};
pub use eval::{calibration_bins, evaluate, AutoAccept, CalibrationBin, EvalReport, OosReport};
pub use linear::{train_memberships, ClassWeights, LinearBlock};
pub use model::{back_off, likely, siblings, CrossValidation, DenseChoice, Model, Trained, CANDIDATE_FLOOR};
pub use vectorize::{feature_hash, SparseVec, Vectorizer};

/// One labelled text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Example {
    pub text: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    pub features: FeatureSettings,
    /// SVM regularisation (larger = fits the training data more closely).
    pub c: f32,
    /// Upper bound on passes over the data per class (training stops earlier once converged).
    pub epochs: usize,
    /// Share of the training data held out to calibrate probabilities and thresholds when no
    /// cross-validation runs (`cv_folds` below 2).
    pub calibration_fraction: f32,
    /// Folds of the cross-validation that measures a model and calibrates its probabilities on
    /// out-of-fold predictions (fewer on small sets, see [`Model::train_validated`]); below 2, a
    /// `calibration_fraction` share is held out instead.
    #[serde(default = "default_cv_folds")]
    pub cv_folds: usize,
    pub seed: u64,
    /// Worker threads for training (0 = all cores).
    pub threads: usize,
    /// Above this many labels (or when classes × features would not fit dense weights in 400 MB),
    /// classes are shortlisted by centroid before SVM scoring.
    #[serde(default = "default_shortlist_above")]
    pub shortlist_above: usize,
    /// How many shortlisted classes a prediction scores.
    #[serde(default = "default_shortlist_size")]
    pub shortlist_size: usize,
}

/// Training sets from this size on use lean features (see [`TrainConfig::for_examples`]).
pub const LARGE_TRAINING_SET: usize = 200_000;

impl TrainConfig {
    /// The defaults, sized for `n` training examples: from [`LARGE_TRAINING_SET`] on, character
    /// n-grams inside English words are dropped and Han character n-grams stop at two, which keeps
    /// a million tickets within 2 GiB while words, word pairs and Chinese characters still count.
    pub fn for_examples(n: usize) -> TrainConfig {
        let mut config = TrainConfig::default();
        if n >= LARGE_TRAINING_SET {
            config.features.word_chars = (0, 0);
            config.features.han_chars = (1, 2);
        }
        config
    }
}

fn default_shortlist_above() -> usize {
    1000
}

fn default_shortlist_size() -> usize {
    32
}

fn default_cv_folds() -> usize {
    5
}

/// `seatmate_text::FeatureConfig`, serialisable so a model file records how it was built.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureSettings {
    pub word_ngrams: usize,
    pub han_chars: (usize, usize),
    pub word_chars: (usize, usize),
}

impl Default for FeatureSettings {
    fn default() -> Self {
        let d = seatmate_text::FeatureConfig::default();
        FeatureSettings { word_ngrams: d.word_ngrams, han_chars: d.han_chars, word_chars: d.word_chars }
    }
}

impl FeatureSettings {
    pub fn text_config(&self) -> seatmate_text::FeatureConfig {
        seatmate_text::FeatureConfig { word_ngrams: self.word_ngrams, han_chars: self.han_chars, word_chars: self.word_chars }
    }
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            features: Default::default(),
            c: 0.5,
            epochs: 60,
            calibration_fraction: 0.1,
            cv_folds: default_cv_folds(),
            seed: 42,
            threads: 0,
            shortlist_above: default_shortlist_above(),
            shortlist_size: default_shortlist_size(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ClassifyError {
    #[error("{0}")]
    InvalidInput(String),
    #[error("model file: {0}")]
    Corrupt(String),
}

/// What the model says about one text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// The k most likely labels with calibrated probabilities, best first.
    pub top: Vec<(String, f32)>,
    /// The features that weighed most for the best label, with their contribution.
    pub explanation: Vec<(String, f32)>,
}

/// A deterministic random sequence (SplitMix64), so training (and generated benchmark data) is
/// repeatable for a seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}
