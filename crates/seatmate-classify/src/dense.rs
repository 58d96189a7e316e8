//! The meaning block: a text's sentence vector, standardised on the training vectors and scaled to
//! unit length, scored by one-vs-rest linear SVMs (the same solver as the words).

use serde::{Deserialize, Serialize};

use crate::linear::LinearBlock;
use crate::vectorize::SparseVec;

/// SVM regularisation tried for the meaning block, the best out of fold kept.
pub(crate) const DENSE_C: [f32; 2] = [1.0, 3.0];

/// Centring and scaling fitted on the training vectors.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Scaler {
    mean: Vec<f32>,
    scale: Vec<f32>,
}

impl Scaler {
    pub(crate) fn fit(vectors: &[&[f32]], dim: usize) -> Scaler {
        let n = vectors.len().max(1) as f64;
        let mut mean = vec![0.0f64; dim];
        let mut square = vec![0.0f64; dim];
        for v in vectors {
            for (j, &x) in v.iter().enumerate() {
                mean[j] += f64::from(x);
                square[j] += f64::from(x) * f64::from(x);
            }
        }
        let mean: Vec<f64> = mean.iter().map(|m| m / n).collect();
        let scale = square.iter().zip(&mean).map(|(s, m)| (1.0 / (s / n - m * m).max(1e-12).sqrt()) as f32).collect();
        Scaler { mean: mean.into_iter().map(|m| m as f32).collect(), scale }
    }

    pub(crate) fn dim(&self) -> usize {
        self.mean.len()
    }

    /// The standardised vector at unit length, as the solver takes it.
    pub(crate) fn transform(&self, vector: &[f32]) -> SparseVec {
        let mut values: Vec<f32> = vector.iter().zip(&self.mean).zip(&self.scale).map(|((x, m), s)| (x - m) * s).collect();
        let norm = values.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            values.iter_mut().for_each(|v| *v /= norm);
        }
        SparseVec { ids: (0..values.len() as u32).collect(), values }
    }
}

/// The fitted block a model keeps: its scaler, its SVMs, and the weight of its scores in the mix.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct DenseBlock {
    pub(crate) scaler: Scaler,
    pub(crate) linear: LinearBlock,
    pub(crate) weight: f32,
}

impl DenseBlock {
    /// Adds the block's weighted scores to `scores` (class order).
    pub(crate) fn add_to(&self, scores: &mut [f32], vector: &[f32]) {
        let dense = self.linear.scores(&self.scaler.transform(vector));
        for (s, d) in scores.iter_mut().zip(dense) {
            *s += self.weight * d;
        }
    }
}

/// Reference examples the nearest-example block keeps, at most, in all …
const NEAREST_MAX: usize = 20_000;
/// … and per class (a class with more keeps an evenly spread share).
const NEAREST_PER_CLASS: usize = 1_000;
/// Cosines are multiplied by this so that their spread between classes (a few hundredths) is of
/// the order of the SVM margins they are mixed with.
pub(crate) const NEAREST_SCALE: f32 = 10.0;

/// The nearest-example block: training vectors at unit length, 8-bit, with their classes; a
/// class scores its most similar example's cosine (× [`NEAREST_SCALE`]). It sees what a linear
/// model over the vectors smooths away: a request worded like one example of a class.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Nearest {
    pub(crate) weight: f32,
    dim: usize,
    n_classes: usize,
    classes: Vec<u32>,
    /// Each reference's quantization step: its cosine with a query is `dot × scale × query scale`.
    scales: Vec<f32>,
    /// `classes.len() × dim` codes, written after the header (see [`Nearest::write`]).
    #[serde(skip)]
    codes: Vec<i8>,
}

/// A vector at unit length in 8 bits, and its quantization step.
fn quantize(vector: &[f32]) -> (Vec<i8>, f32) {
    let norm = vector.iter().map(|v| v * v).sum::<f32>().sqrt();
    let largest = vector.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    if norm == 0.0 || largest == 0.0 {
        return (vec![0; vector.len()], 0.0);
    }
    let step = largest / norm / 127.0;
    (vector.iter().map(|v| (v / norm / step).round() as i8).collect(), step)
}

/// Integer dot product, in 16 lanes so that the compiler vectorizes it (1.6× the plain fold on
/// SSE2); the tail past a multiple of 16 is added on its own.
fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    let mut lanes = [0i32; 16];
    for (x, y) in a.chunks_exact(16).zip(b.chunks_exact(16)) {
        for l in 0..16 {
            lanes[l] += i32::from(i16::from(x[l]) * i16::from(y[l]));
        }
    }
    let tail = a.len() / 16 * 16;
    let rest: i32 = a[tail..].iter().zip(b.get(tail..).unwrap_or_default()).map(|(&x, &y)| i32::from(x) * i32::from(y)).sum();
    lanes.iter().sum::<i32>() + rest
}

impl Nearest {
    /// Keeps at most [`NEAREST_PER_CLASS`] (and [`NEAREST_MAX`] in all) of `members`' vectors
    /// per class, evenly spread over each class's examples.
    pub(crate) fn fit(vectors: &[Vec<f32>], members: &[usize], labels: &[usize], n_classes: usize) -> Nearest {
        let dim = vectors.first().map_or(0, Vec::len);
        let per_class = NEAREST_PER_CLASS.min(NEAREST_MAX / n_classes.max(1)).max(1);
        let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); n_classes];
        for &i in members {
            by_class[labels[i]].push(i);
        }
        let mut nearest = Nearest { weight: 0.0, dim, n_classes, ..Nearest::default() };
        for (class, examples) in by_class.iter().enumerate() {
            let kept = examples.len().min(per_class);
            for k in 0..kept {
                let (codes, step) = quantize(&vectors[examples[k * examples.len() / kept]]);
                nearest.codes.extend_from_slice(&codes);
                nearest.scales.push(step);
                nearest.classes.push(class as u32);
            }
        }
        nearest
    }

    pub(crate) fn dim(&self) -> usize {
        self.dim
    }

    /// Every class's score: its most similar reference's cosine × [`NEAREST_SCALE`] (0 for a
    /// class without references).
    pub(crate) fn scores(&self, vector: &[f32]) -> Vec<f32> {
        let (query, step) = quantize(vector);
        let mut best = vec![f32::NEG_INFINITY; self.n_classes];
        for ((codes, scale), &class) in self.codes.chunks_exact(self.dim.max(1)).zip(&self.scales).zip(&self.classes) {
            let cosine = dot_i8(&query, codes) as f32 * scale * step;
            let slot = &mut best[class as usize];
            *slot = slot.max(cosine);
        }
        best.iter().map(|&b| if b.is_finite() { NEAREST_SCALE * b } else { 0.0 }).collect()
    }

    /// The cosine of the most similar reference of any class: how familiar the text is.
    pub(crate) fn familiarity(&self, vector: &[f32]) -> f32 {
        self.scores(vector).iter().fold(f32::NEG_INFINITY, |m, &s| m.max(s)) / NEAREST_SCALE
    }

    /// Adds the block's weighted scores to `scores` (class order).
    pub(crate) fn add_to(&self, scores: &mut [f32], vector: &[f32]) {
        for (s, n) in scores.iter_mut().zip(self.scores(vector)) {
            *s += self.weight * n;
        }
    }

    /// The codes, in the binary part of a model file.
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        out.extend(self.codes.iter().map(|&c| c as u8));
    }

    /// Reads the codes [`Nearest::write`] wrote from the front of `bytes`, returning the rest.
    pub(crate) fn read<'a>(&mut self, bytes: &'a [u8]) -> Option<&'a [u8]> {
        if self.scales.len() != self.classes.len() || self.classes.iter().any(|&c| c as usize >= self.n_classes) {
            return None;
        }
        let (codes, rest) = bytes.split_at_checked(self.classes.len().checked_mul(self.dim)?)?;
        self.codes = codes.iter().map(|&c| c as i8).collect();
        Some(rest)
    }
}
