//! From SVM margins to probabilities (a softmax with a temperature fitted on held-out data) and
//! from probabilities to thresholds that meet a precision.

use serde::{Deserialize, Serialize};

pub fn softmax(scores: &[f32], temperature: f32) -> Vec<f32> {
    let max = scores.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    if !max.is_finite() {
        // nothing scored (a text with no known feature, shortlisted to nothing): no preference
        return vec![1.0 / scores.len().max(1) as f32; scores.len()];
    }
    let exps: Vec<f32> = scores.iter().map(|s| ((s - max) / temperature).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

/// The temperature that minimises the negative log-likelihood of the true labels (golden-section
/// search on a log scale). `truth` is the true label's position in its scores, `None` when it
/// was not scored at all (such examples do not depend on the temperature).
pub fn fit_temperature(scores: &[Vec<f32>], truth: &[Option<usize>]) -> f32 {
    let nll = |log_t: f64| -> f64 {
        let t = log_t.exp() as f32;
        scores.iter().zip(truth).filter_map(|(s, y)| y.map(|y| -(softmax(s, t)[y].max(1e-12) as f64).ln())).sum()
    };
    let (mut lo, mut hi) = ((0.001f64).ln(), (10.0f64).ln());
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..60 {
        let a = hi - ratio * (hi - lo);
        let b = lo + ratio * (hi - lo);
        if nll(a) < nll(b) {
            hi = b;
        } else {
            lo = a;
        }
    }
    ((lo + hi) / 2.0).exp() as f32
}

/// Held-out top-1 probabilities and whether the top-1 label was right, sorted by probability
/// (highest first): enough to pick a threshold for any precision later.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Reliability {
    pub points: Vec<(f32, bool)>,
}

impl Reliability {
    pub fn new(mut points: Vec<(f32, bool)>) -> Reliability {
        points.sort_by(|a, b| b.0.total_cmp(&a.0));
        Reliability { points }
    }

    /// The lowest threshold at which the predictions at or above it are right at least
    /// `precision` of the time; `None` if even the most confident ones fall short.
    pub fn threshold_for_precision(&self, precision: f32) -> Option<f32> {
        let mut correct = 0usize;
        let mut best = None;
        for (i, &(p, ok)) in self.points.iter().enumerate() {
            correct += usize::from(ok);
            let is_boundary = self.points.get(i + 1).is_none_or(|next| next.0 < p);
            if is_boundary && correct as f32 / (i + 1) as f32 >= precision {
                best = Some(p);
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_meets_the_precision() {
        let r = Reliability::new(vec![(0.9, true), (0.8, true), (0.7, false), (0.6, true), (0.5, false)]);
        assert_eq!(r.threshold_for_precision(1.0), Some(0.8));
        assert_eq!(r.threshold_for_precision(0.75), Some(0.6));
        assert_eq!(r.threshold_for_precision(0.5), Some(0.5));
        assert_eq!(Reliability::new(vec![(0.9, false)]).threshold_for_precision(0.5), None);
    }

    #[test]
    fn temperature_sharpens_confident_right_answers() {
        let scores = vec![vec![1.0, -1.0]; 20];
        let truth = vec![Some(0); 20];
        assert!(fit_temperature(&scores, &truth) < 0.25, "all right: sharpen");
        let mixed: Vec<Option<usize>> = (0..20).map(|i| Some(usize::from(i % 2 == 0))).collect();
        assert!(fit_temperature(&scores, &mixed) > 1.0, "half wrong: flatten");
    }
}
