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
