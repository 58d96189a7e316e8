//! One-vs-rest L2-regularised L2-loss linear SVMs, trained by dual coordinate descent (Hsieh et al.
//! 2008, the liblinear solver), one class per task, spread over threads.

use crate::vectorize::SparseVec;
use crate::{Rng, TrainConfig};

/// Weights of one class over all features, and its bias.
pub struct ClassWeights {
    pub weights: Vec<f32>,
    pub bias: f32,
}

/// Trains one binary SVM: `positive[i]` says whether example i is of the class.
fn train_binary(xs: &[SparseVec], positive: &[bool], n_features: usize, c: f32, max_epochs: usize, seed: u64) -> ClassWeights {
    const EPSILON: f32 = 0.1;
    let d = 1.0 / (2.0 * c);
    let mut w = vec![0.0f32; n_features];
    let mut bias = 0.0f32; // the weight of a constant feature of value 1
    let mut alpha = vec![0.0f32; xs.len()];
    let q = 1.0 + 1.0 + d; // |x|² (normalised) + bias² + D
    let mut order: Vec<usize> = (0..xs.len()).collect();
    let mut rng = Rng::new(seed);
    for _ in 0..max_epochs {
        rng.shuffle(&mut order);
        let (mut pg_max, mut pg_min) = (f32::NEG_INFINITY, f32::INFINITY);
        for &i in &order {
            let x = &xs[i];
            let y = if positive[i] { 1.0 } else { -1.0 };
            let dot: f32 = x.ids.iter().zip(&x.values).map(|(&j, &v)| w[j as usize] * v).sum::<f32>() + bias;
            let g = y * dot - 1.0 + d * alpha[i];
            let pg = if alpha[i] == 0.0 { g.min(0.0) } else { g };
            pg_max = pg_max.max(pg);
            pg_min = pg_min.min(pg);
            if pg.abs() > 1e-12 {
                let old = alpha[i];
                alpha[i] = (old - g / q).max(0.0);
                let step = (alpha[i] - old) * y;
                for (&j, &v) in x.ids.iter().zip(&x.values) {
                    w[j as usize] += step * v;
                }
                bias += step;
            }
        }
        if pg_max - pg_min <= EPSILON {
            break;
        }
    }
    ClassWeights { weights: w, bias }
}

/// Trains one SVM per class (labels are class indices), `threads` at a time.
pub fn train(xs: &[SparseVec], labels: &[usize], n_classes: usize, n_features: usize, config: &TrainConfig) -> Vec<ClassWeights> {
    let TrainConfig { c, epochs, seed, threads, .. } = *config;
    let threads = if threads == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { threads }.max(1);
    let mut out: Vec<Option<ClassWeights>> = (0..n_classes).map(|_| None).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(&mut out);
    std::thread::scope(|scope| {
        for _ in 0..threads.min(n_classes) {
            scope.spawn(|| loop {
                let class = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if class >= n_classes {
                    break;
                }
                let positive: Vec<bool> = labels.iter().map(|&l| l == class).collect();
                let trained = train_binary(xs, &positive, n_features, c, epochs, seed ^ class as u64);
                if let Ok(mut guard) = results.lock() {
                    guard[class] = Some(trained);
                }
            });
        }
    });
    out.into_iter().map(|w| w.unwrap_or(ClassWeights { weights: vec![0.0; n_features], bias: -1.0 })).collect()
}
