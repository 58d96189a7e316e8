//! AFQMC (Ant Financial question matching, CLUE): do two customer questions ask the same thing?
//! Seatmate's question-to-question matcher is the cosine of their e5 vectors; the threshold is
//! the one most accurate on (a seeded sample of) train, and accuracy is reported on the labelled
//! dev split.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::{bail, Context as _};
use seatmate_embed::{cosine, CachedEncoder, Role};

pub(crate) struct Pair {
    pub(crate) a: String,
    pub(crate) b: String,
    pub(crate) same: bool,
}

pub(crate) fn load(path: &Path) -> anyhow::Result<Vec<Pair>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut pairs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        let [a, b, label] = fields[..] else {
            bail!("{}:{}: expected three tab-separated fields (question, question, label)", path.display(), i + 1)
        };
        let same = match label.trim() {
            "1" => true,
            "0" => false,
            other => bail!("{}:{}: label must be 0 or 1, not {other:?}", path.display(), i + 1),
        };
        pairs.push(Pair { a: a.to_string(), b: b.to_string(), same });
    }
    Ok(pairs)
}

fn similarities(pairs: &[Pair], encoder: &CachedEncoder, what: &str) -> anyhow::Result<Vec<f32>> {
    let mut seen = HashSet::new();
    let texts: Vec<&str> = pairs.iter().flat_map(|p| [p.a.as_str(), p.b.as_str()]).filter(|t| seen.insert(*t)).collect();
    let bar = crate::import::bar(texts.len() as u64, what);
    bar.set_message(format!("embedding {what}"));
    let vectors = encoder.embed_many(&texts, Role::Query, &mut |done| bar.set_position(done as u64))?;
    bar.finish_and_clear();
    let by_text: HashMap<&str, &[f32]> = texts.iter().copied().zip(vectors.iter().map(Vec::as_slice)).collect();
    Ok(pairs.iter().map(|p| cosine(by_text[p.a.as_str()], by_text[p.b.as_str()])).collect())
}

/// The threshold (midway between neighbours) most accurate on these scored pairs.
fn best_threshold(scored: &mut [(f32, bool)]) -> f32 {
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    let positives = scored.iter().filter(|(_, same)| *same).count();
    // Threshold below everything: every pair called "same".
    let (mut correct, mut best, mut threshold) = (positives, positives, f32::MIN);
    for i in 0..scored.len() {
        correct = if scored[i].1 { correct - 1 } else { correct + 1 };
        let next = scored.get(i + 1).map_or(scored[i].0 + 1e-3, |n| n.0);
        if correct > best && next > scored[i].0 {
            best = correct;
            threshold = (scored[i].0 + next) / 2.0;
        }
    }
    threshold
}

pub fn afqmc(dir: &Path, encoder: &CachedEncoder, train_pairs: usize) -> anyhow::Result<serde_json::Value> {
    let mut train = load(&dir.join("train.txt"))?;
    let dev = load(&dir.join("dev.txt"))?;
    if train_pairs > 0 && train_pairs < train.len() {
        let mut rng = seatmate_classify::Rng::new(42);
        for i in (1..train.len()).rev() {
            train.swap(i, (rng.next_u64() % (i as u64 + 1)) as usize);
        }
        train.truncate(train_pairs);
    }
    let train_scores = similarities(&train, encoder, "AFQMC train")?;
    let mut scored: Vec<(f32, bool)> = train_scores.into_iter().zip(train.iter().map(|p| p.same)).collect();
    let threshold = best_threshold(&mut scored);
    let train_accuracy = scored.iter().filter(|(s, same)| (*s > threshold) == *same).count() as f64 / scored.len() as f64;
    let dev_scores = similarities(&dev, encoder, "AFQMC dev")?;
    let correct = dev_scores.iter().zip(&dev).filter(|(s, p)| (**s > threshold) == p.same).count();
    let majority = dev.iter().filter(|p| !p.same).count().max(dev.iter().filter(|p| p.same).count());
    Ok(serde_json::json!({
        "train_pairs": train.len(),
        "dev_pairs": dev.len(),
        "threshold": threshold,
        "train_accuracy": train_accuracy,
        "dev_accuracy": correct as f64 / dev.len().max(1) as f64,
        "dev_majority_class_accuracy": majority as f64 / dev.len().max(1) as f64,
        "dev_called_same": dev_scores.iter().filter(|s| **s > threshold).count(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_separates_what_it_can() {
        let mut scored = vec![(0.9, true), (0.85, true), (0.8, false), (0.82, true), (0.7, false), (0.6, false)];
        let t = best_threshold(&mut scored);
        assert!(t > 0.8 && t < 0.82, "{t}");
    }
}
