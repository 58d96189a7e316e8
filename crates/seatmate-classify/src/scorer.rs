//! How a model turns a vector into one score per class. Small taxonomies score every class with
//! dense one-vs-rest weights. Large ones (tens of thousands of categories) first shortlist the
//! classes whose centroids the text is closest to, then score only those with sparse SVMs trained
//! against the examples that shortlist would confuse with them: memory and time grow with the data,
//! not with classes × features.

use std::collections::HashMap;

use crate::linear::{self, SparseClass};
use crate::vectorize::SparseVec;
use crate::{ClassifyError, Rng, TrainConfig};

/// Past this many dense weights (400 MB) the shortlist path is used whatever the class count.
const MAX_DENSE_WEIGHTS: usize = 100_000_000;
/// Features kept per class centroid.
const CENTROID_FEATURES: usize = 100;
/// Classes kept per feature in the centroid index.
const POSTINGS: usize = 64;
/// Classes each training example is a hard negative for.
const TRAIN_SHORTLIST: usize = 16;
/// The strongest features of an example used to shortlist it during training.
const TRAIN_QUERY_FEATURES: usize = 12;
/// Hard negatives kept per class, and random ones added.
const MAX_NEGATIVES: usize = 1000;
const RANDOM_NEGATIVES: usize = 50;
/// Weights kept per class.
const KEEP_WEIGHTS: usize = 1000;

pub enum Scorer {
    /// `weights[feature * n_classes + class]`: one contiguous row per feature of the text.
    Dense { weights: Vec<f32>, bias: Vec<f32> },
    Shortlist {
        classes: Vec<SparseClass>,
        /// feature → (class, centroid weight), strongest first
        index: Vec<Vec<(u32, f32)>>,
        /// classes scored per prediction
        shortlist: usize,
    },
}

impl Scorer {
    pub fn fit(xs: &[SparseVec], labels: &[usize], n_classes: usize, n_features: usize, config: &TrainConfig) -> Scorer {
        if n_classes <= config.shortlist_above && n_classes * n_features <= MAX_DENSE_WEIGHTS {
            let classes = linear::train(xs, labels, n_classes, n_features, config);
            let mut weights = vec![0.0f32; n_features * n_classes];
            for (k, class) in classes.iter().enumerate() {
                for (j, &w) in class.weights.iter().enumerate() {
                    weights[j * n_classes + k] = w;
                }
            }
            return Scorer::Dense { weights, bias: classes.iter().map(|c| c.bias).collect() };
        }
        let mut positives: Vec<Vec<u32>> = vec![Vec::new(); n_classes];
        for (i, &l) in labels.iter().enumerate() {
            positives[l].push(i as u32);
        }
        let index = centroid_index(xs, &positives, n_features);
        let mut negatives: Vec<Vec<u32>> = vec![Vec::new(); n_classes];
        let mut order: Vec<u32> = (0..xs.len() as u32).collect();
        Rng::new(config.seed).shuffle(&mut order);
        let mut acc = Accumulator::new(n_classes);
        for &i in &order {
            let x = &xs[i as usize];
            let mut strongest: Vec<(u32, f32)> = x.ids.iter().copied().zip(x.values.iter().copied()).collect();
            if strongest.len() > TRAIN_QUERY_FEATURES {
                strongest.select_nth_unstable_by(TRAIN_QUERY_FEATURES, |a, b| b.1.total_cmp(&a.1));
                strongest.truncate(TRAIN_QUERY_FEATURES);
            }
            for class in acc.top(&index, strongest.into_iter(), TRAIN_SHORTLIST) {
                let list = &mut negatives[class as usize];
                if class as usize != labels[i as usize] && list.len() < MAX_NEGATIVES {
                    list.push(i);
                }
            }
        }
        let mut rng = Rng::new(config.seed ^ 0x5EED);
        for (class, list) in negatives.iter_mut().enumerate() {
            for _ in 0..RANDOM_NEGATIVES.min(xs.len()) {
                let i = (rng.next_u64() % xs.len() as u64) as u32;
                if labels[i as usize] != class {
                    list.push(i);
                }
            }
            list.sort_unstable();
            list.dedup();
        }
        let classes = linear::train_shortlisted(xs, &positives, &negatives, n_features, KEEP_WEIGHTS, config);
        Scorer::Shortlist { classes, index, shortlist: config.shortlist_size }
    }

    /// One score per class; classes outside the shortlist score negative infinity.
    pub fn scores(&self, x: &SparseVec) -> Vec<f32> {
        match self {
            Scorer::Dense { weights, bias } => {
                let n = bias.len();
                let mut out = bias.clone();
                for (&j, &v) in x.ids.iter().zip(&x.values) {
                    let row = &weights[j as usize * n..(j as usize + 1) * n];
                    for (o, w) in out.iter_mut().zip(row) {
                        *o += v * w;
                    }
                }
                out
            }
            Scorer::Shortlist { classes, index, shortlist } => {
                let mut out = vec![f32::NEG_INFINITY; classes.len()];
                let mut acc = Accumulator::new(classes.len());
                let query = x.ids.iter().copied().zip(x.values.iter().copied());
                for class in acc.top(index, query, *shortlist) {
                    let c = &classes[class as usize];
                    out[class as usize] = c.bias + sparse_dot(x, &c.weights);
                }
                out
            }
        }
    }

    /// What each feature of `x` adds to `class`'s score.
    pub fn contributions(&self, x: &SparseVec, class: usize) -> Vec<(u32, f32)> {
        match self {
            Scorer::Dense { weights, bias } => {
                let n = bias.len();
                x.ids.iter().zip(&x.values).map(|(&j, &v)| (j, v * weights[j as usize * n + class])).collect()
            }
            Scorer::Shortlist { classes, .. } => {
                let w: HashMap<u32, f32> = classes[class].weights.iter().copied().collect();
                x.ids.iter().zip(&x.values).map(|(&j, &v)| (j, v * w.get(&j).copied().unwrap_or(0.0))).collect()
            }
        }
    }

    pub fn write(&self, out: &mut Vec<u8>) {
        let put_u32 = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
        let put_f32 = |out: &mut Vec<u8>, v: f32| out.extend_from_slice(&v.to_le_bytes());
        match self {
            Scorer::Dense { weights, bias } => {
                out.push(0);
                put_u32(out, bias.len() as u32);
                bias.iter().for_each(|&b| put_f32(out, b));
                put_u32(out, (weights.len() / bias.len().max(1)) as u32);
                weights.iter().for_each(|&w| put_f32(out, w));
            }
            Scorer::Shortlist { classes, index, shortlist } => {
                out.push(1);
                put_u32(out, *shortlist as u32);
                put_u32(out, classes.len() as u32);
                for class in classes {
                    put_f32(out, class.bias);
                    put_u32(out, class.weights.len() as u32);
                    for &(j, w) in &class.weights {
                        put_u32(out, j);
                        put_f32(out, w);
                    }
                }
                put_u32(out, index.len() as u32);
                for postings in index {
                    put_u32(out, postings.len() as u32);
                    for &(k, w) in postings {
                        put_u32(out, k);
                        put_f32(out, w);
                    }
                }
            }
        }
    }

    pub fn read(bytes: &[u8], n_classes: usize, n_features: usize) -> Result<Scorer, ClassifyError> {
        let mut r = Reader { bytes, at: 0 };
        let scorer = match r.byte()? {
            0 => {
                let n = r.u32()? as usize;
                let bias = (0..n).map(|_| r.f32()).collect::<Result<Vec<_>, _>>()?;
                let features = r.u32()? as usize;
                if n != n_classes || features != n_features {
                    return Err(ClassifyError::Corrupt("weights do not match the header".into()));
                }
                let weights = (0..n * features).map(|_| r.f32()).collect::<Result<Vec<_>, _>>()?;
                Scorer::Dense { weights, bias }
            }
            1 => {
                let shortlist = r.u32()? as usize;
                let n = r.u32()? as usize;
                let mut classes = Vec::with_capacity(n);
                for _ in 0..n {
                    let bias = r.f32()?;
                    let len = r.u32()? as usize;
                    let weights = (0..len).map(|_| Ok((r.u32()?, r.f32()?))).collect::<Result<Vec<_>, ClassifyError>>()?;
                    classes.push(SparseClass { weights, bias });
                }
                let features = r.u32()? as usize;
                let mut index = Vec::with_capacity(features);
                for _ in 0..features {
                    let len = r.u32()? as usize;
                    index.push((0..len).map(|_| Ok((r.u32()?, r.f32()?))).collect::<Result<Vec<_>, ClassifyError>>()?);
                }
                if n != n_classes || features != n_features {
                    return Err(ClassifyError::Corrupt("weights do not match the header".into()));
                }
                Scorer::Shortlist { classes, index, shortlist }
            }
            _ => return Err(ClassifyError::Corrupt("unknown scorer".into())),
        };
        if r.at != bytes.len() {
            return Err(ClassifyError::Corrupt("trailing bytes".into()));
        }
        Ok(scorer)
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], ClassifyError> {
        let slice = self.bytes.get(self.at..self.at + n).ok_or_else(|| ClassifyError::Corrupt("truncated weights".into()))?;
        self.at += n;
        Ok(slice)
    }
    fn byte(&mut self) -> Result<u8, ClassifyError> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, ClassifyError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn f32(&mut self) -> Result<f32, ClassifyError> {
        let b = self.take(4)?;
        Ok(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

/// Dot product of a sparse vector with sorted (feature, weight) pairs.
fn sparse_dot(x: &SparseVec, weights: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < x.ids.len() && j < weights.len() {
        match x.ids[i].cmp(&weights[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += x.values[i] * weights[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Class centroids (normalised mean vectors, strongest features only), inverted by feature.
fn centroid_index(xs: &[SparseVec], positives: &[Vec<u32>], n_features: usize) -> Vec<Vec<(u32, f32)>> {
    let mut index: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n_features];
    let mut sum: HashMap<u32, f32> = HashMap::new();
    for (class, members) in positives.iter().enumerate() {
        sum.clear();
        for &i in members {
            let x = &xs[i as usize];
            for (&j, &v) in x.ids.iter().zip(&x.values) {
                *sum.entry(j).or_insert(0.0) += v;
            }
        }
        let mut centroid: Vec<(u32, f32)> = sum.iter().map(|(&j, &v)| (j, v)).collect();
        if centroid.len() > CENTROID_FEATURES {
            centroid.select_nth_unstable_by(CENTROID_FEATURES, |a, b| b.1.total_cmp(&a.1));
            centroid.truncate(CENTROID_FEATURES);
        }
        let norm = centroid.iter().map(|(_, v)| v * v).sum::<f32>().sqrt().max(f32::MIN_POSITIVE);
        for (j, v) in centroid {
            index[j as usize].push((class as u32, v / norm));
        }
    }
    for postings in &mut index {
        postings.sort_by(|a, b| b.1.total_cmp(&a.1));
        postings.truncate(POSTINGS);
        postings.shrink_to_fit();
    }
    index
}

/// Reusable per-class score accumulator for shortlisting.
struct Accumulator {
    scores: Vec<f32>,
    touched: Vec<u32>,
}

impl Accumulator {
    fn new(n_classes: usize) -> Accumulator {
        Accumulator { scores: vec![0.0; n_classes], touched: Vec::new() }
    }

    /// The `k` classes whose centroids score highest against `query`.
    fn top(&mut self, index: &[Vec<(u32, f32)>], query: impl Iterator<Item = (u32, f32)>, k: usize) -> Vec<u32> {
        for (j, v) in query {
            for &(class, w) in &index[j as usize] {
                if self.scores[class as usize] == 0.0 {
                    self.touched.push(class);
                }
                self.scores[class as usize] += v * w;
            }
        }
        let mut ranked: Vec<(u32, f32)> = self.touched.iter().map(|&c| (c, self.scores[c as usize])).collect();
        for &c in &self.touched {
            self.scores[c as usize] = 0.0;
        }
        self.touched.clear();
        if ranked.len() > k {
            ranked.select_nth_unstable_by(k, |a, b| b.1.total_cmp(&a.1));
            ranked.truncate(k);
        }
        ranked.into_iter().map(|(c, _)| c).collect()
    }
}
