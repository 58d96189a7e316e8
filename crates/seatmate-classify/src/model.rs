use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::calibrate::{fit_temperature, softmax, Reliability};
use crate::dense::{DenseBlock, Nearest, Scaler, DENSE_C};
use crate::linear::LinearBlock;
use crate::scorer::Scorer;
use crate::vectorize::{SparseVec, Vectorizer};
use crate::{ClassifyError, Example, Prediction, Rng, TrainConfig};

const MAGIC: &[u8] = b"SEATMATE-CLASSIFY-2\n";
/// Runner-ups under this probability are not shown: at less than one chance in fifty they are
/// fillers, not alternatives (the best label is always kept, however unsure).
pub const CANDIDATE_FLOOR: f32 = 0.02;
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
    cross_validation: Option<CrossValidation>,
    dense: Option<DenseMode>,
    config: TrainConfig,
}

#[derive(Serialize, Deserialize)]
struct Header {
    labels: Vec<String>,
    vectorizer: Vectorizer,
    temperature: f32,
    reliability: Reliability,
    #[serde(default)]
    cross_validation: Option<CrossValidation>,
    #[serde(default)]
    dense: Option<DenseMode>,
    config: TrainConfig,
}

/// How the model answers when a text comes with its sentence vector: the meaning block mixed
/// into the word scores, and the temperature and thresholds fitted on the mix's out-of-fold
/// predictions. Without a vector the model answers from words alone, with the words' own.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct DenseMode {
    block: DenseBlock,
    /// The nearest-example block (models trained since it exists): mixed in at its weight, and
    /// read for familiarity at any weight.
    #[serde(default)]
    nearest: Option<Nearest>,
    /// Familiarity below which a text is unlike the training examples: the
    /// [`UNFAMILIAR_QUANTILE`] of the out-of-fold familiarities.
    #[serde(default)]
    familiarity_floor: f32,
    temperature: f32,
    reliability: Reliability,
    choice: DenseChoice,
}

/// What cross-validation chose for the meaning block, and the figures that chose it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DenseChoice {
    /// SVM regularisation of the meaning block.
    pub c: f32,
    /// Weight of the meaning block's scores added to the word scores.
    pub weight: f32,
    /// Weight of the nearest-example block's scores (0: not used).
    #[serde(default)]
    pub nearest_weight: f32,
    /// Out-of-fold accuracy of the words alone, the vectors' SVMs alone, the nearest examples
    /// alone, and the mix.
    pub accuracy_words: f64,
    pub accuracy_vectors: f64,
    #[serde(default)]
    pub accuracy_nearest: f64,
    pub accuracy_mixed: f64,
}

/// Weights of the meaning block tried in the mix (0: words alone).
const DENSE_WEIGHTS: [f32; 10] = [0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0];
/// Share of held-out training examples less familiar than the floor of [`Model::is_unfamiliar`].
const UNFAMILIAR_QUANTILE: f64 = 0.01;
/// Weights of the nearest-example block tried with each of them.
const NEAREST_WEIGHTS: [f32; 8] = [0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0];

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

/// Examples predicted out of fold, at most: folds run until this many have been — every fold on
/// sets up to 20,000 examples, fewer on larger ones (from 100,000 on five folds, a single fold
/// whose examples past 20,000 go back into training) — so cross-validation costs `cv_folds`
/// trainings on small sets and about one on large ones, besides the final model's.
const MAX_OUT_OF_FOLD: usize = MAX_CALIBRATION;
/// Examples per fold, at least: smaller sets use fewer folds; under two folds' worth, nothing is
/// held out at all.
const MIN_PER_FOLD: usize = 10;
/// Labels in a cross-validation's top-k figure.
const CV_TOP_K: usize = 5;

/// Cross-validated figures of a model, measured on its own training examples: each example is
/// predicted by a model trained on the other folds, never on itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CrossValidation {
    /// Folds the examples were split into (1: a single held-out share).
    pub folds: usize,
    /// Folds trained and predicted (fewer than `folds` on large sets, see [`MAX_OUT_OF_FOLD`]).
    pub folds_run: usize,
    /// Examples predicted out of fold: the figures' support.
    pub examples: usize,
    pub accuracy: f64,
    pub top5: f64,
    pub macro_f1: f64,
}

/// A model and, for every training example it was given (in order), the label its fold's model
/// predicted when the example was held out (`None` when it was never held out).
pub struct Trained {
    pub model: Model,
    pub out_of_fold: Vec<Option<String>>,
}

/// One held-out prediction: the scores of the classes scored (all, or a shortlist), where the
/// truth is among them, and the best-ranked labels.
struct OutOfFold {
    example: usize,
    scores: Vec<f32>,
    truth: Option<usize>,
    /// the class of each score
    classes: Vec<usize>,
    /// the meaning block's scores of all classes, one per regularisation tried
    dense: Vec<Vec<f32>>,
    /// the nearest-example block's scores of all classes (empty without vectors)
    nearest: Vec<f32>,
}

impl OutOfFold {
    /// Word scores plus the meaning block's (first regularisation kept) and the nearest
    /// examples', weighted.
    fn mixed(&self, weight: f32, nearest_weight: f32) -> Vec<f32> {
        let mut scores = mixed(&self.scores, &self.dense[0], weight);
        if nearest_weight > 0.0 {
            scores.iter_mut().zip(&self.nearest).for_each(|(s, n)| *s += nearest_weight * n);
        }
        scores
    }
}

/// The held-out sets: stratified folds of wording groups ([`crate::group::wording_groups`]:
/// texts of one label that repeat a clause's wording go to the same fold, so an out-of-fold
/// prediction is about wording its model never saw), or, with fewer than two folds, one
/// `calibration_fraction` share that never takes a class's last example. Each class's groups,
/// largest first, go to the fold holding fewest of that class (then fewest in all), so classes
/// and folds stay balanced; a class that is one group all through is dealt example by example
/// (held out whole, it could never be predicted right). Each set is capped so that at most
/// [`MAX_OUT_OF_FOLD`] examples are held out in all, whole groups at a time; the rest of a capped
/// set trains.
fn held_out_sets(
    by_class: &[Vec<usize>],
    groups: &[usize],
    n: usize,
    config: &TrainConfig,
    rng: &mut Rng,
) -> (usize, Vec<Vec<usize>>) {
    let folds = config.cv_folds.min(n / MIN_PER_FOLD);
    // per fold, its groups of examples
    let mut sets: Vec<Vec<Vec<usize>>> = Vec::new();
    if folds >= 2 {
        sets = vec![Vec::new(); folds];
        let mut sizes = vec![0usize; folds];
        for class in by_class {
            let mut bunches: Vec<Vec<usize>> = Vec::new();
            let mut bunch_of: HashMap<usize, usize> = HashMap::new();
            for &example in class {
                let next = bunches.len();
                let b = *bunch_of.entry(groups[example]).or_insert(next);
                if b == next {
                    bunches.push(Vec::new());
                }
                bunches[b].push(example);
            }
            if bunches.len() == 1 {
                bunches = class.iter().map(|&e| vec![e]).collect();
            }
            rng.shuffle(&mut bunches);
            // stable: equal sizes keep the shuffled order
            bunches.sort_by_key(|b| std::cmp::Reverse(b.len()));
            let mut of_class = vec![0usize; folds];
            for bunch in bunches {
                let fold = (0..folds).min_by_key(|&f| (of_class[f], sizes[f])).unwrap_or(0);
                of_class[fold] += bunch.len();
                sizes[fold] += bunch.len();
                sets[fold].push(bunch);
            }
        }
    } else if n >= MIN_PER_FOLD {
        let mut held = Vec::new();
        for group in by_class {
            let mut group = group.clone();
            rng.shuffle(&mut group);
            let take = ((group.len() as f32 * config.calibration_fraction).round() as usize).min(group.len().saturating_sub(1));
            held.extend(group.into_iter().take(take).map(|e| vec![e]));
        }
        if !held.is_empty() {
            sets.push(held);
        }
    }
    let mut budget = MAX_OUT_OF_FOLD;
    let mut kept = Vec::new();
    for mut set in sets {
        if budget == 0 {
            break;
        }
        rng.shuffle(&mut set);
        let mut held = Vec::new();
        for bunch in set {
            if bunch.len() <= budget {
                budget -= bunch.len();
                held.extend(bunch);
            }
        }
        kept.push(held);
    }
    (folds.max(usize::from(!kept.is_empty())), kept)
}

impl Model {
    /// Trains on `examples` (see [`Model::train_validated`]).
    pub fn train(examples: &[Example], config: &TrainConfig) -> Result<Model, ClassifyError> {
        Ok(Model::train_validated(examples, config)?.model)
    }

    /// Trains on `examples` and cross-validates: the examples are split into `cv_folds` stratified
    /// folds (one fold per ten examples when that is fewer, none under twenty), examples that
    /// repeat one another's wording always in the same fold; a model trained on the other folds
    /// predicts each fold. Those out-of-fold predictions give the
    /// [`CrossValidation`] figures and fit the probability temperature and the precision
    /// thresholds — so every example counts once as held out, not a tenth of them. The final model
    /// then trains on everything.
    pub fn train_validated(examples: &[Example], config: &TrainConfig) -> Result<Trained, ClassifyError> {
        Model::train_with_vectors(examples, None, config)
    }

    /// As [`Model::train_validated`], with each example's sentence vector (`vectors[i]` for
    /// `examples[i]`, all of one dimension): a meaning block (linear SVMs over the vectors) is fitted
    /// beside the words, its regularisation and its weight in the mix chosen on the out-of-fold
    /// predictions; it is kept only when the mix beats the words there. Taxonomies large enough to
    /// be shortlisted stay words only.
    pub fn train_with_vectors(
        examples: &[Example],
        vectors: Option<&[Vec<f32>]>,
        config: &TrainConfig,
    ) -> Result<Trained, ClassifyError> {
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
        let truth_of = |i: usize| label_index[examples[i].label.as_str()];
        let vectors = match vectors {
            Some(v) if v.len() != examples.len() => {
                return Err(ClassifyError::InvalidInput(format!("{} vectors for {} examples", v.len(), examples.len())))
            }
            Some(v) if v.iter().any(|x| x.len() != v[0].len() || x.iter().any(|f| !f.is_finite())) => {
                return Err(ClassifyError::InvalidInput("sentence vectors differ in dimension or hold non-numbers".into()))
            }
            Some(v) if !v.is_empty() && !v[0].is_empty() && n_classes <= config.shortlist_above => Some(v),
            _ => None,
        };

        let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); n_classes];
        for i in 0..examples.len() {
            by_class[truth_of(i)].push(i);
        }
        let mut rng = Rng::new(config.seed);
        let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
        let truths: Vec<usize> = (0..examples.len()).map(truth_of).collect();
        let groups = crate::group::wording_groups(&texts, &truths);
        let (folds, sets) = held_out_sets(&by_class, &groups, examples.len(), config, &mut rng);

        // the meaning block's inputs: every vector standardised once
        let dense_xs = vectors.filter(|_| !sets.is_empty()).map(|vectors| {
            let refs: Vec<&[f32]> = vectors.iter().map(Vec::as_slice).collect();
            let scaler = Scaler::fit(&refs, refs[0].len());
            let xs: Vec<SparseVec> = vectors.iter().map(|v| scaler.transform(v)).collect();
            (scaler, xs)
        });

        let mut predicted: Vec<OutOfFold> = Vec::new();
        let mut held = vec![false; examples.len()];
        // the meaning block's regularisation: every value of DENSE_C is tried on the first fold,
        // the best mix there kept for the other folds (each value costs a fit per fold)
        let mut dense_c: Option<usize> = None;
        for set in &sets {
            held.iter_mut().for_each(|h| *h = false);
            set.iter().for_each(|&i| held[i] = true);
            let fit_part: Vec<&Example> = examples.iter().enumerate().filter(|(i, _)| !held[*i]).map(|(_, e)| e).collect();
            let (vectorizer, scorer) = fit(&fit_part, &label_index, n_classes, config);
            let dense_fits: Vec<LinearBlock> = match &dense_xs {
                Some((scaler, xs)) => {
                    let keep: Vec<usize> = (0..examples.len()).filter(|&i| !held[i]).collect();
                    let fit_xs: Vec<SparseVec> = keep.iter().map(|&i| xs[i].clone()).collect();
                    let fit_labels: Vec<usize> = keep.iter().map(|&i| truths[i]).collect();
                    let tried: Vec<usize> = dense_c.map_or_else(|| (0..DENSE_C.len()).collect(), |c| vec![c]);
                    tried.iter().map(|&c| fit_dense(&fit_xs, &fit_labels, n_classes, scaler.dim(), DENSE_C[c], config)).collect()
                }
                None => Vec::new(),
            };
            let mut nearest: Vec<Vec<f32>> = match (&dense_xs, vectors) {
                (Some(_), Some(vectors)) => {
                    let keep: Vec<usize> = (0..examples.len()).filter(|&i| !held[i]).collect();
                    let block = Nearest::fit(vectors, &keep, &truths, n_classes);
                    crate::linear::per_class(set.len(), 0, config.threads, |k, _| block.scores(&vectors[set[k]]))
                }
                _ => Vec::new(),
            };
            for (k, &i) in set.iter().enumerate() {
                let all = class_scores(&scorer, &vectorizer.transform(&examples[i].text));
                let dense = match &dense_xs {
                    Some((_, xs)) => dense_fits.iter().map(|fit| fit.scores(&xs[i])).collect(),
                    None => Vec::new(),
                };
                if dense.is_empty() {
                    // only the classes a scorer scored (all, or a shortlist) matter to the softmax:
                    // keep those, with where the true class is among them
                    let scored: Vec<(usize, f32)> = all.into_iter().enumerate().filter(|(_, s)| s.is_finite()).collect();
                    let truth = scored.iter().position(|(k, _)| *k == truth_of(i));
                    let classes = scored.iter().map(|(k, _)| *k).collect();
                    predicted.push(OutOfFold {
                        example: i,
                        scores: scored.into_iter().map(|(_, s)| s).collect(),
                        truth,
                        classes,
                        dense,
                        nearest: Vec::new(),
                    });
                } else {
                    let classes = (0..n_classes).collect();
                    let nearest = nearest.get_mut(k).map(std::mem::take).unwrap_or_default();
                    predicted.push(OutOfFold { example: i, scores: all, truth: Some(truth_of(i)), classes, dense, nearest });
                }
            }
            if dense_xs.is_some() && dense_c.is_none() {
                let first = &mut predicted[..];
                let accuracy = |c: usize, w: f32| {
                    first.iter().filter(|p| Some(argmax(&mixed(&p.scores, &p.dense[c], w))) == p.truth).count()
                };
                let mut best = (0, accuracy(0, DENSE_WEIGHTS[1]));
                for c in 0..DENSE_C.len() {
                    for &w in &DENSE_WEIGHTS[1..] {
                        let a = accuracy(c, w);
                        if a > best.1 {
                            best = (c, a);
                        }
                    }
                }
                dense_c = Some(best.0);
                for p in first.iter_mut() {
                    p.dense = vec![std::mem::take(&mut p.dense[best.0])];
                }
            }
        }

        let words = Calibrated::fit(&predicted, |p| p.scores.clone(), folds, sets.len(), &labels, examples, &truths);
        // the weights of the meaning block and of the nearest examples: the most accurate mix
        // out of fold (both 0: words alone)
        let mut dense_choice: Option<(usize, f32, f32, f64)> = None;
        if let (Some(c), false) = (dense_c, predicted.is_empty()) {
            let n = predicted.len() as f64;
            let accuracy =
                |w: f32, wn: f32| predicted.iter().filter(|p| Some(argmax(&p.mixed(w, wn))) == p.truth).count() as f64 / n;
            let mut best = (c, 0.0, 0.0, accuracy(0.0, 0.0));
            for &w in &DENSE_WEIGHTS {
                for &wn in &NEAREST_WEIGHTS {
                    let a = if w == 0.0 && wn == 0.0 { 0.0 } else { accuracy(w, wn) };
                    if a > best.3 {
                        best = (c, w, wn, a);
                    }
                }
            }
            if best.1 > 0.0 || best.2 > 0.0 {
                dense_choice = Some(best);
            }
        }
        let mixed_fit = dense_choice
            .map(|(_, w, wn, _)| Calibrated::fit(&predicted, |p| p.mixed(w, wn), folds, sets.len(), &labels, examples, &truths));
        let best = mixed_fit.as_ref().unwrap_or(&words);
        let mut out_of_fold = vec![None; examples.len()];
        for (p, &best) in predicted.iter().zip(&best.best) {
            out_of_fold[p.example] = best.map(|c| labels[c].clone());
        }
        let best_cross_validation = best.cross_validation.clone();

        let all: Vec<&Example> = examples.iter().collect();
        let (vectorizer, scorer) = fit(&all, &label_index, n_classes, config);
        let dense = match (dense_choice, mixed_fit, dense_xs, vectors) {
            (Some((l, weight, nearest_weight, accuracy_mixed)), Some(mixed_fit), Some((scaler, xs)), Some(vectors)) => {
                let n = predicted.len() as f64;
                let alone = |scores: fn(&OutOfFold) -> &[f32]| {
                    predicted.iter().filter(|p| Some(argmax(scores(p))) == p.truth).count() as f64 / n
                };
                let linear = fit_dense(&xs, &truths, n_classes, scaler.dim(), DENSE_C[l], config);
                // kept at weight 0 too: its familiarity tells requests outside the taxonomy
                let all: Vec<usize> = (0..examples.len()).collect();
                let mut nearest = Nearest::fit(vectors, &all, &truths, n_classes);
                nearest.weight = nearest_weight;
                let mut familiarities: Vec<f32> =
                    predicted.iter().map(|p| p.nearest.iter().fold(f32::NEG_INFINITY, |m, &s| m.max(s))).collect();
                familiarities.sort_by(f32::total_cmp);
                let familiarity_floor = familiarities
                    .get((familiarities.len() as f64 * UNFAMILIAR_QUANTILE) as usize)
                    .map_or(0.0, |f| f / crate::dense::NEAREST_SCALE);
                Some(DenseMode {
                    block: DenseBlock { scaler, linear, weight },
                    nearest: Some(nearest),
                    familiarity_floor,
                    temperature: mixed_fit.temperature,
                    reliability: mixed_fit.reliability,
                    choice: DenseChoice {
                        c: DENSE_C[l],
                        weight,
                        nearest_weight,
                        accuracy_words: words.cross_validation.as_ref().map_or(0.0, |c| c.accuracy),
                        accuracy_vectors: alone(|p| &p.dense[0]),
                        accuracy_nearest: alone(|p| &p.nearest),
                        accuracy_mixed,
                    },
                })
            }
            _ => None,
        };
        let cross_validation = match dense {
            Some(_) => best_cross_validation,
            None => words.cross_validation.clone(),
        };
        let model = Model {
            labels,
            vectorizer,
            scorer,
            temperature: words.temperature,
            reliability: words.reliability,
            cross_validation,
            dense,
            config: config.clone(),
        };
        Ok(Trained { model, out_of_fold })
    }

    /// Figures cross-validated on the training examples; `None` for a model trained on too few
    /// (or read from a file written before they were measured).
    pub fn cross_validation(&self) -> Option<&CrossValidation> {
        self.cross_validation.as_ref()
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// The meaning block's vector dimension, when the model has one (see
    /// [`Model::train_with_vectors`]).
    pub fn vector_dim(&self) -> Option<usize> {
        self.dense.as_ref().map(|d| d.block.scaler.dim())
    }

    /// What cross-validation chose for the meaning block, when the model has one.
    pub fn dense_choice(&self) -> Option<&DenseChoice> {
        self.dense.as_ref().map(|d| &d.choice)
    }

    /// How familiar a text is: the cosine of its vector with the most similar training example
    /// the nearest-example block keeps (`None` without that block or without a fitting vector).
    /// Far from every example, a request is likely outside the taxonomy.
    pub fn familiarity(&self, vector: Option<&[f32]>) -> Option<f32> {
        let (dense, vector) = self.mode(vector)?;
        dense.nearest.as_ref().map(|n| n.familiarity(vector))
    }

    /// Whether a text is less familiar than all but [`UNFAMILIAR_QUANTILE`] of the training
    /// examples were when held out: likely a request the taxonomy does not cover ("none of
    /// these"). False without a nearest-example block or a fitting vector.
    pub fn is_unfamiliar(&self, vector: Option<&[f32]>) -> bool {
        let floor = self.dense.as_ref().map_or(0.0, |d| d.familiarity_floor);
        self.familiarity(vector).is_some_and(|f| f < floor)
    }

    /// The dense mode a text is scored in: the model's, when the text comes with a vector of
    /// its dimension.
    fn mode<'a>(&self, vector: Option<&'a [f32]>) -> Option<(&DenseMode, &'a [f32])> {
        match (&self.dense, vector) {
            (Some(d), Some(v)) if v.len() == d.block.scaler.dim() => Some((d, v)),
            _ => None,
        }
    }

    /// Calibrated probabilities of every label, in `labels()` order, from words alone.
    pub fn probabilities(&self, text: &str) -> Vec<f32> {
        self.probabilities_with(text, None)
    }

    /// Calibrated probabilities with the text's sentence vector, when the model has a meaning
    /// block and `vector` fits it; otherwise from words alone.
    pub fn probabilities_with(&self, text: &str, vector: Option<&[f32]>) -> Vec<f32> {
        let (scores, temperature) = self.scores(&self.vectorizer.transform(text), vector);
        softmax(&scores, temperature)
    }

    fn scores(&self, x: &SparseVec, vector: Option<&[f32]>) -> (Vec<f32>, f32) {
        let mut scores = class_scores(&self.scorer, x);
        match self.mode(vector) {
            // a text with no known word stays without preference (see `class_scores`)
            Some((dense, vector)) if !x.ids.is_empty() => {
                dense.block.add_to(&mut scores, vector);
                if let Some(nearest) = dense.nearest.as_ref().filter(|n| n.weight > 0.0) {
                    nearest.add_to(&mut scores, vector);
                }
                (scores, dense.temperature)
            }
            Some((dense, _)) => (scores, dense.temperature),
            None => (scores, self.temperature),
        }
    }

    /// The `k` most likely labels from words alone (see [`Model::predict_with`]).
    pub fn predict(&self, text: &str, k: usize) -> Prediction {
        self.predict_with(text, None, k)
    }

    /// The `k` most likely labels and why the first one won (the words that weighed most for it,
    /// then character n-grams when too few words did). With the text's sentence vector when the
    /// model has a meaning block.
    pub fn predict_with(&self, text: &str, vector: Option<&[f32]>, k: usize) -> Prediction {
        let (x, names) = self.vectorizer.transform_named(text);
        let (scores, temperature) = self.scores(&x, vector);
        let probs = softmax(&scores, temperature);
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
            .filter(|(name, _)| explains(name))
            .collect();
        // whole words and word pairs explain better than character fragments: they come first
        let is_word = |f: &str| f.starts_with("w:") || f.starts_with("b:");
        contributions.sort_by(|a, b| is_word(&b.0).cmp(&is_word(&a.0)).then(b.1.total_cmp(&a.1)));
        // 账单 as a word and as a character run is one reason, said once
        let mut said = std::collections::HashSet::new();
        contributions.retain(|(name, _)| said.insert(name.split_once(':').map_or(name.as_str(), |(_, text)| text).to_string()));
        contributions.truncate(EXPLAIN_FEATURES);
        Prediction { top, explanation: contributions }
    }

    /// The smallest top-1 probability at which accepted word-only predictions reached
    /// `precision` on the held-out calibration data (None when no threshold reaches it).
    pub fn threshold_for_precision(&self, precision: f32) -> Option<f32> {
        self.threshold_for_precision_with(precision, false)
    }

    /// The same for predictions made with a sentence vector (`with_vector`) when the model has a
    /// meaning block: their probabilities come from the mix and have thresholds of their own.
    pub fn threshold_for_precision_with(&self, precision: f32, with_vector: bool) -> Option<f32> {
        self.reliability_of(with_vector).threshold_for_precision(precision)
    }

    fn reliability_of(&self, with_vector: bool) -> &Reliability {
        match &self.dense {
            Some(d) if with_vector => &d.reliability,
            _ => &self.reliability,
        }
    }

    /// The held-out (probability, correct) pairs the thresholds come from.
    pub fn reliability(&self) -> &[(f32, bool)] {
        &self.reliability.points
    }

    /// The same for predictions made with a sentence vector.
    pub fn reliability_with(&self, with_vector: bool) -> &[(f32, bool)] {
        &self.reliability_of(with_vector).points
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let header = Header {
            labels: self.labels.clone(),
            vectorizer: self.vectorizer.clone(),
            temperature: self.temperature,
            reliability: self.reliability.clone(),
            cross_validation: self.cross_validation.clone(),
            dense: self.dense.clone(),
            config: self.config.clone(),
        };
        let json = serde_json::to_vec(&header).unwrap_or_default();
        let mut out = Vec::with_capacity(MAGIC.len() + 8 + json.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(json.len() as u64).to_le_bytes());
        out.extend_from_slice(&json);
        if let Some(nearest) = self.dense.as_ref().and_then(|d| d.nearest.as_ref()) {
            nearest.write(&mut out);
        }
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
        let vector_dim = header.dense.as_ref().map_or(0, |d| d.block.scaler.dim());
        let weights = match header.dense.as_mut().and_then(|d| d.nearest.as_mut()) {
            Some(nearest) if nearest.dim() == vector_dim => {
                nearest.read(weights).ok_or_else(|| corrupt("truncated nearest examples"))?
            }
            Some(_) => return Err(corrupt("nearest examples of another dimension")),
            None => weights,
        };
        let scorer = Scorer::read(weights, header.labels.len(), header.vectorizer.len())?;
        Ok(Model {
            labels: header.labels,
            vectorizer: header.vectorizer,
            scorer,
            temperature: header.temperature,
            reliability: header.reliability,
            cross_validation: header.cross_validation,
            dense: header.dense,
            config: header.config,
        })
    }
}

/// The meaning block's SVMs at regularisation `c`.
fn fit_dense(xs: &[SparseVec], labels: &[usize], n_classes: usize, dim: usize, c: f32, config: &TrainConfig) -> LinearBlock {
    LinearBlock::fit(xs, n_classes, dim, &TrainConfig { c, ..config.clone() }, |k, i| labels[i] == k)
}

/// Word scores plus `weight` times the meaning block's.
fn mixed(words: &[f32], dense: &[f32], weight: f32) -> Vec<f32> {
    words.iter().zip(dense).map(|(s, d)| s + weight * d).collect()
}

/// What out-of-fold scores give: the temperature, the reliability points, the cross-validated
/// figures, and each prediction's best class.
struct Calibrated {
    temperature: f32,
    reliability: Reliability,
    cross_validation: Option<CrossValidation>,
    best: Vec<Option<usize>>,
}

impl Calibrated {
    fn fit(
        predicted: &[OutOfFold],
        scores_of: impl Fn(&OutOfFold) -> Vec<f32>,
        folds: usize,
        folds_run: usize,
        labels: &[String],
        examples: &[Example],
        truths: &[usize],
    ) -> Calibrated {
        let scores: Vec<Vec<f32>> = predicted.iter().map(scores_of).collect();
        let ranked: Vec<Vec<usize>> = scores
            .iter()
            .zip(predicted)
            .map(|(s, p)| {
                let mut order: Vec<usize> = (0..s.len()).collect();
                order.sort_by(|&a, &b| s[b].total_cmp(&s[a]));
                order.iter().take(CV_TOP_K).map(|&o| p.classes[o]).collect()
            })
            .collect();
        let best = ranked.iter().map(|r| r.first().copied()).collect();
        if predicted.len() < 10 {
            return Calibrated { temperature: 1.0, reliability: Reliability::default(), cross_validation: None, best };
        }
        let truth: Vec<Option<usize>> = predicted.iter().map(|p| p.truth).collect();
        let temperature = fit_temperature(&scores, &truth);
        let points = scores
            .iter()
            .zip(predicted)
            .filter(|(s, _)| !s.is_empty())
            .map(|(s, p)| {
                let probs = softmax(s, temperature);
                let best = argmax(&probs);
                (probs[best], Some(best) == p.truth)
            })
            .collect();
        let n = predicted.len() as f64;
        let hits = |k: usize| {
            predicted.iter().zip(&ranked).filter(|(p, r)| r.iter().take(k).any(|&c| c == truths[p.example])).count() as f64 / n
        };
        let pairs = predicted.iter().zip(&ranked).map(|(p, r)| {
            let best = r.first().map_or("", |&c| labels[c].as_str());
            (examples[p.example].label.as_str(), best)
        });
        let cross_validation = CrossValidation {
            folds,
            folds_run,
            examples: predicted.len(),
            accuracy: hits(1),
            top5: hits(CV_TOP_K),
            macro_f1: crate::eval::macro_f1(pairs),
        };
        Calibrated { temperature, reliability: Reliability::new(points), cross_validation: Some(cross_validation), best }
    }
}

/// The scorer's scores, except for a text with no feature the model knows: every class alike (a
/// uniform probability), not the class biases — an unknown text has no preference to report.
fn class_scores(scorer: &Scorer, x: &SparseVec) -> Vec<f32> {
    let scores = scorer.scores(x);
    if x.ids.is_empty() {
        return scores.iter().map(|s| if s.is_finite() { 0.0 } else { *s }).collect();
    }
    scores
}

/// Whether a feature can explain a prediction to a person: a content word, a pair of them, or a
/// run of Chinese characters that is itself a content word — never a particle, a pronoun, a
/// single character or a fragment of a Latin word.
fn explains(feature: &str) -> bool {
    match feature.split_once(':') {
        Some(("w", word)) => seatmate_text::is_content_word(word),
        // a character run that is a word on its own (扣了钱 and 账单多 are not)
        Some(("h", run)) => seatmate_text::is_content_word(run) && seatmate_text::tokens(run).len() == 1,
        Some(("b", pair)) => pair.split(' ').all(seatmate_text::is_content_word),
        _ => false,
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

/// The best label, then the runner-ups at or above `floor`, from labels ranked best first.
pub fn likely(ranked: &[(String, f32)], floor: f32) -> Vec<(String, f32)> {
    ranked.iter().enumerate().filter(|(i, (_, p))| *i == 0 || *p >= floor).map(|(_, c)| c.clone()).collect()
}

/// The siblings of `label` in the taxonomy (the other children of its parent) that the model
/// gives any probability, each with its subtree's mass (its own probability plus its
/// descendants'), most likely first. Empty for a label without a parent. `probabilities` pairs
/// every label with its probability; `parent` walks the taxonomy.
pub fn siblings(probabilities: &[(String, f32)], label: &str, parent: impl Fn(&str) -> Option<String>) -> Vec<(String, f32)> {
    let Some(common) = parent(label) else { return Vec::new() };
    let mut mass: HashMap<String, f32> = HashMap::new();
    for (code, p) in probabilities {
        // climb from the label to the child of `common` on its path, if the path passes there
        let mut child = code.clone();
        let mut steps = 0;
        while let Some(up) = parent(&child) {
            if up == common {
                if child != label {
                    *mass.entry(child).or_insert(0.0) += p;
                }
                break;
            }
            child = up;
            steps += 1;
            if steps > 64 {
                break; // deeper than any taxonomy; never loop on a cycle
            }
        }
    }
    let mut out: Vec<(String, f32)> = mass.into_iter().filter(|(_, p)| *p > 0.0).collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Which set each example was held out in.
    fn fold_of(sets: &[Vec<usize>], n: usize) -> Vec<Option<usize>> {
        let mut fold = vec![None; n];
        for (f, set) in sets.iter().enumerate() {
            for &e in set {
                assert!(fold[e].is_none(), "example {e} is held out twice");
                fold[e] = Some(f);
            }
        }
        fold
    }

    #[test]
    fn grouped_folds_never_split_a_group() {
        // 6 classes of 30 examples in groups of 1 to 7; plus a class that is a single group
        let mut groups = Vec::new();
        let mut by_class: Vec<Vec<usize>> = Vec::new();
        for class in 0..7 {
            let mut members = Vec::new();
            let mut size = 1 + class;
            let mut group = groups.len();
            for _ in 0..30 {
                let e = groups.len();
                if e - group == size {
                    group = e;
                    size = size % 7 + 1;
                }
                groups.push(if class == 6 { by_class.iter().map(Vec::len).sum() } else { group });
                members.push(e);
            }
            by_class.push(members);
        }
        let n = groups.len();
        for seed in 0..20 {
            let config = TrainConfig { seed, ..TrainConfig::default() };
            let (folds, sets) = held_out_sets(&by_class, &groups, n, &config, &mut Rng::new(seed));
            assert_eq!((folds, sets.len()), (5, 5));
            let fold = fold_of(&sets, n);
            assert!(fold.iter().all(Option::is_some), "every example is held out once");
            for a in 0..6 * 30 {
                for b in 0..6 * 30 {
                    if groups[a] == groups[b] {
                        assert_eq!(fold[a], fold[b], "seed {seed}: examples {a} and {b} share a group but not a fold");
                    }
                }
            }
            // the class that is one group all through is dealt example by example
            let whole: std::collections::BTreeSet<_> = by_class[6].iter().map(|&e| fold[e]).collect();
            assert_eq!(whole.len(), 5, "seed {seed}");
            // stratified: every class in every fold, folds of about equal size
            for class in &by_class {
                let spread: std::collections::BTreeSet<_> = class.iter().map(|&e| fold[e]).collect();
                assert_eq!(spread.len(), 5, "seed {seed}: a class missing from a fold");
            }
            let (small, large) = (sets.iter().map(Vec::len).min().unwrap(), sets.iter().map(Vec::len).max().unwrap());
            assert!(large - small <= 7, "seed {seed}: folds of {small} to {large} examples");
        }
    }

    #[test]
    fn capped_folds_hold_out_whole_groups() {
        // one class in pairs, one in singles; a budget smaller than a fold
        let n = 2 * MAX_OUT_OF_FOLD;
        let groups: Vec<usize> = (0..n).map(|e| if e < n / 2 { e / 2 * 2 } else { e }).collect();
        let by_class = vec![(0..n / 2).collect::<Vec<_>>(), (n / 2..n).collect()];
        let (_, sets) = held_out_sets(&by_class, &groups, n, &TrainConfig::default(), &mut Rng::new(1));
        let held: usize = sets.iter().map(Vec::len).sum();
        assert!(held <= MAX_OUT_OF_FOLD && sets.len() == 3, "{held} held out in {} folds", sets.len());
        let fold = fold_of(&sets, n);
        for e in (0..n / 2).step_by(2) {
            assert_eq!(fold[e].is_some(), fold[e + 1].is_some(), "a pair is split by the cap");
        }
    }
}
