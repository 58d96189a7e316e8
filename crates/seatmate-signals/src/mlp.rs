//! A small neural head over sentence vectors: one hidden layer of rectified units, then one
//! output per label (softmax cross-entropy for single-label data, a sigmoid per label for
//! multi-label data), trained by Adam on mini-batches with weight decay. The caller picks the
//! epoch on held-out data ([`Mlp::train`] hands it every epoch's network).

use serde::{Deserialize, Serialize};

use seatmate_classify::Rng;

/// The hidden layer a trained head keeps (its output layer is a linear block over the hidden
/// units, stored beside the other blocks).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hidden {
    /// `units × dim`, unit-major.
    pub weights: Vec<f32>,
    pub bias: Vec<f32>,
}

impl Hidden {
    pub fn units(&self) -> usize {
        self.bias.len()
    }

    /// The rectified hidden units for input `x` (`dim` values).
    pub fn forward(&self, x: &[f32]) -> Vec<f32> {
        let dim = x.len();
        self.bias.iter().enumerate().map(|(u, b)| (b + dot(&self.weights[u * dim..(u + 1) * dim], x)).max(0.0)).collect()
    }
}

/// How the head trains.
#[derive(Clone, Debug, PartialEq)]
pub struct MlpConfig {
    pub units: usize,
    pub epochs: usize,
    pub batch: usize,
    pub learning_rate: f32,
    pub weight_decay: f32,
    pub seed: u64,
}

impl Default for MlpConfig {
    fn default() -> Self {
        MlpConfig { units: 256, epochs: 12, batch: 64, learning_rate: 1e-3, weight_decay: 1e-4, seed: 42 }
    }
}

/// A trained head: hidden layer, then `labels` outputs over its units (`labels × units`).
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    pub hidden: Hidden,
    /// `labels × units`, label-major.
    pub output: Vec<f32>,
    pub output_bias: Vec<f32>,
}

impl Mlp {
    /// One logit per label.
    pub fn scores(&self, x: &[f32]) -> Vec<f32> {
        let h = self.hidden.forward(x);
        let units = h.len();
        self.output_bias.iter().enumerate().map(|(k, b)| b + dot(&self.output[k * units..(k + 1) * units], &h)).collect()
    }

    /// Trains on `xs` (each `dim` values) with `labels` (indices; several for multi-label data),
    /// calling `after_epoch` with the network after every epoch; it returns whether to go on.
    pub fn train(
        xs: &[&[f32]],
        labels: &[&[usize]],
        n_labels: usize,
        multi_label: bool,
        config: &MlpConfig,
        after_epoch: &mut dyn FnMut(usize, &Mlp) -> bool,
    ) {
        let Some(dim) = xs.first().map(|x| x.len()) else { return };
        let units = config.units.max(1);
        let mut rng = Rng::new(config.seed);
        let mut normal = |scale: f32| -> f32 {
            // Box–Muller from two uniforms
            let u1 = ((rng.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
            let u2 = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            ((-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()) as f32 * scale
        };
        let he = (2.0 / dim as f32).sqrt();
        let mut net = Mlp {
            hidden: Hidden { weights: (0..units * dim).map(|_| normal(he)).collect(), bias: vec![0.0; units] },
            output: (0..n_labels * units).map(|_| normal((1.0 / units as f32).sqrt())).collect(),
            output_bias: vec![0.0; n_labels],
        };
        let mut adam = [Adam::new(units * dim), Adam::new(units), Adam::new(n_labels * units), Adam::new(n_labels)];
        let mut order: Vec<usize> = (0..xs.len()).collect();
        let mut shuffle = Rng::new(config.seed ^ 0x9e37_79b9);
        let batch = config.batch.max(1);
        let mut grads = [vec![0.0f32; units * dim], vec![0.0; units], vec![0.0; n_labels * units], vec![0.0; n_labels]];
        let mut step = 0;
        for epoch in 0..config.epochs {
            shuffle.shuffle(&mut order);
            for chunk in order.chunks(batch) {
                grads.iter_mut().for_each(|g| g.fill(0.0));
                for &i in chunk {
                    net.accumulate(xs[i], labels[i], multi_label, &mut grads);
                }
                step += 1;
                let scale = 1.0 / chunk.len() as f32;
                let params: [&mut Vec<f32>; 4] =
                    [&mut net.hidden.weights, &mut net.hidden.bias, &mut net.output, &mut net.output_bias];
                for (((p, g), a), decay) in params.into_iter().zip(&grads).zip(&mut adam).zip([true, false, true, false]) {
                    a.step(p, g, scale, config.learning_rate, if decay { config.weight_decay } else { 0.0 }, step);
                }
            }
            if !after_epoch(epoch + 1, &net) {
                return;
            }
        }
    }

    /// Adds one example's gradient of the loss to `grads` (hidden weights, hidden bias, output
    /// weights, output bias).
    fn accumulate(&self, x: &[f32], labels: &[usize], multi_label: bool, grads: &mut [Vec<f32>; 4]) {
        let dim = x.len();
        let h = self.hidden.forward(x);
        let units = h.len();
        let logits: Vec<f32> =
            self.output_bias.iter().enumerate().map(|(k, b)| b + dot(&self.output[k * units..(k + 1) * units], &h)).collect();
        // d loss / d logit
        let delta: Vec<f32> = if multi_label {
            logits.iter().enumerate().map(|(k, z)| 1.0 / (1.0 + (-z).exp()) - f32::from(u8::from(labels.contains(&k)))).collect()
        } else {
            let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let exp: Vec<f32> = logits.iter().map(|z| (z - max).exp()).collect();
            let sum: f32 = exp.iter().sum();
            let share = 1.0 / labels.len().max(1) as f32;
            exp.iter().enumerate().map(|(k, e)| e / sum - if labels.contains(&k) { share } else { 0.0 }).collect()
        };
        let mut back = vec![0.0f32; units];
        for (k, d) in delta.iter().enumerate() {
            grads[3][k] += d;
            let row = &self.output[k * units..(k + 1) * units];
            for u in 0..units {
                grads[2][k * units + u] += d * h[u];
                back[u] += d * row[u];
            }
        }
        for u in 0..units {
            if h[u] <= 0.0 {
                continue;
            }
            let d = back[u];
            grads[1][u] += d;
            for (g, xi) in grads[0][u * dim..(u + 1) * dim].iter_mut().zip(x) {
                *g += d * xi;
            }
        }
    }
}

/// Eight running sums, so the compiler can keep them in one vector register.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut sums = [0.0f32; 8];
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a8.remainder().iter().zip(b8.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in a8.zip(b8) {
        for k in 0..8 {
            sums[k] += x[k] * y[k];
        }
    }
    sums.iter().sum::<f32>() + tail
}

/// Adam's moment estimates for one parameter tensor.
struct Adam {
    m: Vec<f32>,
    v: Vec<f32>,
}

impl Adam {
    fn new(n: usize) -> Adam {
        Adam { m: vec![0.0; n], v: vec![0.0; n] }
    }

    /// One update from the summed gradient `g` (times `scale`), with decoupled weight decay.
    fn step(&mut self, params: &mut [f32], g: &[f32], scale: f32, rate: f32, decay: f32, t: usize) {
        const B1: f32 = 0.9;
        const B2: f32 = 0.999;
        let (c1, c2) = (1.0 - B1.powi(t as i32), 1.0 - B2.powi(t as i32));
        for (((p, g), m), v) in params.iter_mut().zip(g).zip(&mut self.m).zip(&mut self.v) {
            let g = g * scale;
            *m = B1 * *m + (1.0 - B1) * g;
            *v = B2 * *v + (1.0 - B2) * g * g;
            *p -= rate * ((*m / c1) / ((*v / c2).sqrt() + 1e-8) + decay * *p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_problem_no_line_separates() {
        // XOR of the signs of two coordinates: a linear model is at chance, one hidden layer is not
        let mut rng = Rng::new(3);
        let mut uniform = || (rng.next_u64() % 2001) as f32 / 1000.0 - 1.0;
        let xs: Vec<Vec<f32>> = (0..800).map(|_| vec![uniform(), uniform()]).collect();
        let labels: Vec<Vec<usize>> = xs.iter().map(|x| vec![usize::from((x[0] > 0.0) != (x[1] > 0.0))]).collect();
        let (x_refs, l_refs): (Vec<&[f32]>, Vec<&[usize]>) =
            xs.iter().zip(&labels).map(|(x, l)| (x.as_slice(), l.as_slice())).unzip();
        let config = MlpConfig { units: 16, epochs: 60, batch: 16, learning_rate: 1e-2, ..MlpConfig::default() };
        let mut last = None;
        Mlp::train(&x_refs, &l_refs, 2, false, &config, &mut |_, net| {
            last = Some(net.clone());
            true
        });
        let net = last.expect("trained");
        let right = x_refs
            .iter()
            .zip(&labels)
            .filter(|(x, l)| {
                let s = net.scores(x);
                usize::from(s[1] > s[0]) == l[0]
            })
            .count();
        assert!(right as f32 / xs.len() as f32 > 0.9, "{right} of {} right", xs.len());
    }
}
