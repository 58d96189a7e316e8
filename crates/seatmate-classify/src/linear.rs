//! One-vs-rest L2-regularised L2-loss linear SVMs, trained by dual coordinate descent (Hsieh et al.
//! 2008, the liblinear solver), one class per task, spread over threads.

use serde::{Deserialize, Serialize};

use crate::vectorize::SparseVec;
use crate::{Rng, TrainConfig};

/// Weights of one class over all features, and its bias.
pub struct ClassWeights {
    pub weights: Vec<f32>,
    pub bias: f32,
}

/// Trains one binary SVM on `members` (example index, is it of the class), writing the weights
/// into `w` (all zero on entry) and returning the bias.
fn train_binary(xs: &[SparseVec], members: &[(u32, bool)], w: &mut [f32], c: f32, max_epochs: usize, seed: u64) -> f32 {
    const EPSILON: f32 = 0.1;
    let d = 1.0 / (2.0 * c);
    let mut bias = 0.0f32; // the weight of a constant feature of value 1
    let mut alpha = vec![0.0f32; members.len()];
    let q = 1.0 + 1.0 + d; // |x|² (normalised) + bias² + D
    let mut order: Vec<usize> = (0..members.len()).collect();
    let mut rng = Rng::new(seed);
    for _ in 0..max_epochs {
        rng.shuffle(&mut order);
        let (mut pg_max, mut pg_min) = (f32::NEG_INFINITY, f32::INFINITY);
        for &m in &order {
            let (i, positive) = members[m];
            let x = &xs[i as usize];
            let y = if positive { 1.0 } else { -1.0 };
            // a vector holding every feature (the sentence-vector blocks) skips the indirection
            let whole = x.values.len() == w.len();
            let dot = if whole {
                dense_dot(w, &x.values)
            } else {
                x.ids.iter().zip(&x.values).map(|(&j, &v)| w[j as usize] * v).sum::<f32>()
            } + bias;
            let g = y * dot - 1.0 + d * alpha[m];
            let pg = if alpha[m] == 0.0 { g.min(0.0) } else { g };
            pg_max = pg_max.max(pg);
            pg_min = pg_min.min(pg);
            if pg.abs() > 1e-12 {
                let old = alpha[m];
                alpha[m] = (old - g / q).max(0.0);
                let step = (alpha[m] - old) * y;
                if whole {
                    w.iter_mut().zip(&x.values).for_each(|(w, &v)| *w += step * v);
                } else {
                    for (&j, &v) in x.ids.iter().zip(&x.values) {
                        w[j as usize] += step * v;
                    }
                }
                bias += step;
            }
        }
        if pg_max - pg_min <= EPSILON {
            break;
        }
    }
    bias
}

/// Dot product of two equally long slices, in 8 lanes so that the compiler vectorizes it.
fn dense_dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        for l in 0..8 {
            lanes[l] += x[l] * y[l];
        }
    }
    let tail = a.len() / 8 * 8;
    lanes.iter().sum::<f32>() + a[tail..].iter().zip(&b[tail..]).map(|(x, y)| x * y).sum::<f32>()
}

/// Runs `work(class, scratch)` for every class on `threads` threads, each with its own zeroed
/// scratch vector of `n_features` weights, and collects the results in class order.
pub(crate) fn per_class<T: Send>(
    n_classes: usize,
    n_features: usize,
    threads: usize,
    work: impl Fn(usize, &mut [f32]) -> T + Sync,
) -> Vec<T> {
    let threads = if threads == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { threads }.max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: std::sync::Mutex<Vec<(usize, T)>> = std::sync::Mutex::new(Vec::with_capacity(n_classes));
    std::thread::scope(|scope| {
        for _ in 0..threads.min(n_classes) {
            scope.spawn(|| {
                let mut scratch = vec![0.0f32; n_features];
                loop {
                    let class = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if class >= n_classes {
                        break;
                    }
                    let result = work(class, &mut scratch);
                    if let Ok(mut guard) = results.lock() {
                        guard.push((class, result));
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(class, _)| *class);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Trains one SVM per class where `is_member(class, example)` says which examples are its positives
/// (an example may be a positive of several classes: multi-label data), on `config.threads`
/// threads. The building block other engines (emotion) reuse.
pub fn train_memberships(
    xs: &[SparseVec],
    n_classes: usize,
    n_features: usize,
    config: &TrainConfig,
    is_member: impl Fn(usize, usize) -> bool + Sync,
) -> Vec<ClassWeights> {
    let TrainConfig { c, epochs, seed, threads, .. } = *config;
    per_class(n_classes, n_features, threads, |class, scratch| {
        let members: Vec<(u32, bool)> = (0..xs.len()).map(|i| (i as u32, is_member(class, i))).collect();
        let bias = train_binary(xs, &members, scratch, c, epochs, seed ^ class as u64);
        let weights = scratch.to_vec();
        scratch.iter_mut().for_each(|w| *w = 0.0);
        ClassWeights { weights, bias }
    })
}

/// One-vs-rest SVMs over any features, laid out for scoring in one pass over a text's features:
/// `weights[feature * n_labels + label]`, and one bias per label. The classifier's meaning block
/// and both of the emotion model's blocks.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct LinearBlock {
    pub weights: Vec<f32>,
    pub bias: Vec<f32>,
}

impl LinearBlock {
    /// Trains one SVM per label on `xs` ([`train_memberships`]).
    pub fn fit(
        xs: &[SparseVec],
        n_labels: usize,
        n_features: usize,
        config: &TrainConfig,
        is_member: impl Fn(usize, usize) -> bool + Sync,
    ) -> LinearBlock {
        let classes = train_memberships(xs, n_labels, n_features, config, is_member);
        let mut weights = vec![0.0f32; n_features * n_labels];
        for (k, class) in classes.iter().enumerate() {
            for (j, &w) in class.weights.iter().enumerate() {
                weights[j * n_labels + k] = w;
            }
        }
        LinearBlock { weights, bias: classes.iter().map(|c| c.bias).collect() }
    }

    /// Every label's margin for `x`.
    pub fn scores(&self, x: &SparseVec) -> Vec<f32> {
        let n = self.bias.len();
        let mut out = self.bias.clone();
        for (&j, &v) in x.ids.iter().zip(&x.values) {
            let row = &self.weights[j as usize * n..(j as usize + 1) * n];
            out.iter_mut().zip(row).for_each(|(o, w)| *o += w * v);
        }
        out
    }
}

/// Trains one SVM per class against every other example (labels are class indices).
pub fn train(xs: &[SparseVec], labels: &[usize], n_classes: usize, n_features: usize, config: &TrainConfig) -> Vec<ClassWeights> {
    let TrainConfig { c, epochs, seed, threads, .. } = *config;
    per_class(n_classes, n_features, threads, |class, scratch| {
        let members: Vec<(u32, bool)> = labels.iter().enumerate().map(|(i, &l)| (i as u32, l == class)).collect();
        let bias = train_binary(xs, &members, scratch, c, epochs, seed ^ class as u64);
        let weights = scratch.to_vec();
        scratch.iter_mut().for_each(|w| *w = 0.0);
        ClassWeights { weights, bias }
    })
}

/// Sparse weights of one class: (feature, weight) sorted by feature, and its bias.
pub struct SparseClass {
    pub weights: Vec<(u32, f32)>,
    pub bias: f32,
}

/// Trains one SVM per class against the examples that its shortlist would confuse with it
/// (`negatives[class]`), keeping the `keep` largest weights of each: the large-taxonomy path.
pub fn train_shortlisted(
    xs: &[SparseVec],
    positives: &[Vec<u32>],
    negatives: &[Vec<u32>],
    n_features: usize,
    keep: usize,
    config: &TrainConfig,
) -> Vec<SparseClass> {
    let TrainConfig { c, epochs, seed, threads, .. } = *config;
    per_class(positives.len(), n_features, threads, |class, scratch| {
        let members: Vec<(u32, bool)> =
            positives[class].iter().map(|&i| (i, true)).chain(negatives[class].iter().map(|&i| (i, false))).collect();
        let bias = train_binary(xs, &members, scratch, c, epochs, seed ^ class as u64);
        let mut touched: Vec<u32> = members.iter().flat_map(|&(i, _)| xs[i as usize].ids.iter().copied()).collect();
        touched.sort_unstable();
        touched.dedup();
        let mut weights: Vec<(u32, f32)> = touched.iter().map(|&j| (j, scratch[j as usize])).filter(|(_, w)| *w != 0.0).collect();
        for &j in &touched {
            scratch[j as usize] = 0.0;
        }
        if weights.len() > keep {
            weights.select_nth_unstable_by(keep, |a, b| b.1.abs().total_cmp(&a.1.abs()));
            weights.truncate(keep);
        }
        weights.sort_unstable_by_key(|(j, _)| *j);
        SparseClass { weights, bias }
    })
}
