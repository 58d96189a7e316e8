//! `seatmate eval abstain`: when should the live panel say "nothing relevant" instead of showing
//! its best card? Measured on Chinese customer questions (AFQMC, Alipay customer service).
//!
//! Protocol, per split: the distinct first questions of the positive pairs (two phrasings of one
//! question) are dealt, seeded, into two halves. One half becomes the knowledge base (an FAQ per
//! question); the other is left out. Every positive pair's second phrasing is a query: *answerable*
//! when its first question is in the knowledge base (the right card is that FAQ), *unanswerable*
//! otherwise. A card is shown when the top hit's calibrated score reaches the threshold; the
//! panel is right when it shows the right card, or shows nothing and the top hit was wrong.
//!
//! The threshold in use (`LIVE_MIN_SCORE`) follows from the costs alone: the score is calibrated,
//! and a card pays from a chance of cost / (1 + cost) of being right (a right card is worth one, a
//! wrong one costs [`WRONG_CARD_COST`], silence nothing). Beside it, two thresholds are chosen on
//! train and judged on dev: the one of most use, and the highest that still keeps [`KEEP_RIGHT`]
//! of the right cards (the panel must not go quiet when it knows). (Some unanswerable queries have a
//! same-meaning FAQ in the base under other words, so "unanswerable" is a little pessimistic.)

use std::collections::HashSet;
use std::path::PathBuf;

use anyhow::bail;
use seatmate_assist::WRONG_CARD_COST;
use seatmate_core::KnowledgeItem;
use serde_json::json;

use crate::pair_eval::{load, Pair};
use crate::retrieve_eval::{index_of, open_encoder};

#[derive(Debug, clap::Args)]
pub struct AbstainArgs {
    /// AFQMC folder (train.txt, dev.txt)
    #[arg(long)]
    afqmc: PathBuf,
    /// Distinct questions taken from each split (half indexed, half left out)
    #[arg(long, default_value_t = 2000)]
    questions: usize,
    /// Embedding cache file (default: ~/.cache/seatmate/vectors.bin)
    #[arg(long)]
    cache: Option<PathBuf>,
    /// Print one JSON object instead of the readable report
    #[arg(long)]
    json: bool,
}

/// One query's outcome: the top hit's score and whether the top hit was the right card.
#[derive(Clone, Copy, Debug)]
struct Outcome {
    score: f32,
    right: bool,
    answerable: bool,
}

/// How the panel does at a threshold.
#[derive(Debug, PartialEq)]
struct Judged {
    /// Share of queries where the panel was right (right card shown, or nothing for a wrong one).
    accuracy: f64,
    /// Share of shown cards that were right.
    precision: f64,
    /// Share of answerable queries that got their right card.
    answered: f64,
    /// Share of unanswerable queries that got "nothing relevant".
    silent: f64,
}

fn judge(outcomes: &[Outcome], threshold: f32) -> Judged {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let shown: Vec<&Outcome> = outcomes.iter().filter(|o| o.score >= threshold).collect();
    let panel_right = outcomes.iter().filter(|o| (o.score >= threshold) == o.right).count();
    let answerable = outcomes.iter().filter(|o| o.answerable).count();
    let answered = outcomes.iter().filter(|o| o.answerable && o.right && o.score >= threshold).count();
    let unanswerable = outcomes.len() - answerable;
    let silent = outcomes.iter().filter(|o| !o.answerable && o.score < threshold).count();
    Judged {
        accuracy: ratio(panel_right, outcomes.len()),
        precision: ratio(shown.iter().filter(|o| o.right).count(), shown.len()),
        answered: ratio(answered, answerable),
        silent: ratio(silent, unanswerable),
    }
}

/// The panel's use per query at a threshold: right cards shown, less wrong ones at their cost.
fn utility(outcomes: &[Outcome], threshold: f32) -> f64 {
    let shown = outcomes.iter().filter(|o| o.score >= threshold);
    let value: f64 = shown.map(|o| if o.right { 1.0 } else { -WRONG_CARD_COST }).sum();
    value / outcomes.len().max(1) as f64
}

/// Share of the right top cards the live threshold must keep.
const KEEP_RIGHT: f64 = 0.8;

/// The highest threshold (midway between neighbouring scores) at which at least `keep` of the
/// right top cards are still shown.
fn threshold_keeping(outcomes: &[Outcome], keep: f64) -> f32 {
    let mut right: Vec<f32> = outcomes.iter().filter(|o| o.right).map(|o| o.score).collect();
    right.sort_by(|a, b| b.total_cmp(a));
    if right.is_empty() {
        return 0.0;
    }
    let needed = ((right.len() as f64 * keep).ceil() as usize).clamp(1, right.len());
    let lowest_kept = right[needed - 1];
    // midway to the next lower score of any query, so the kept card stays at or above it
    let below = outcomes.iter().map(|o| o.score).filter(|s| *s < lowest_kept).fold(f32::MIN, f32::max);
    if below == f32::MIN {
        lowest_kept
    } else {
        (lowest_kept + below) / 2.0
    }
}

/// The threshold (midway between neighbouring scores) of most use.
fn best_threshold(outcomes: &[Outcome]) -> f32 {
    let mut scores: Vec<f32> = outcomes.iter().map(|o| o.score).collect();
    scores.sort_by(f32::total_cmp);
    scores.dedup();
    let mut best = (utility(outcomes, 0.0), 0.0);
    for pair in scores.windows(2) {
        let threshold = (pair[0] + pair[1]) / 2.0;
        let value = utility(outcomes, threshold);
        if value > best.0 {
            best = (value, threshold);
        }
    }
    best.1
}

/// A seeded shuffle (splitmix64), so every run deals the same questions.
fn shuffled<T>(mut items: Vec<T>, seed: u64) -> Vec<T> {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    for i in (1..items.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
    items
}

fn outcomes(
    pairs: &[Pair],
    questions: usize,
    encoder: &std::sync::Arc<seatmate_embed::CachedEncoder>,
) -> anyhow::Result<Vec<Outcome>> {
    let mut seen = HashSet::new();
    let firsts: Vec<&str> = pairs.iter().filter(|p| p.same).map(|p| p.a.as_str()).filter(|a| seen.insert(*a)).collect();
    let firsts = shuffled(firsts, 42);
    let firsts = &firsts[..questions.min(firsts.len())];
    let (indexed, left_out) = firsts.split_at(firsts.len() / 2);
    let indexed: HashSet<&str> = indexed.iter().copied().collect();
    let left_out: HashSet<&str> = left_out.iter().copied().collect();
    let items: Vec<KnowledgeItem> = indexed.iter().map(|q| crate::pairs_faq::question_only_faq(q.to_string(), q)).collect();
    let index = index_of(&items, &Some(encoder.clone()))?;
    let queries: Vec<(&Pair, bool)> = pairs
        .iter()
        .filter(|p| p.same && p.a != p.b)
        .filter_map(|p| match (indexed.contains(p.a.as_str()), left_out.contains(p.a.as_str())) {
            (true, _) => Some((p, true)),
            (_, true) => Some((p, false)),
            _ => None,
        })
        .collect();
    let bar = crate::import::bar(queries.len() as u64, "queries");
    let mut out = Vec::with_capacity(queries.len());
    for (pair, answerable) in queries {
        let top = index.search(&pair.b, 1)?.into_iter().next();
        let (score, right) = top.map_or((0.0, false), |hit| (hit.score, answerable && hit.id == pair.a));
        out.push(Outcome { score, right, answerable });
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(out)
}

fn report(name: &str, outcomes: &[Outcome], threshold: f32) -> serde_json::Value {
    let j = judge(outcomes, threshold);
    json!({ "set": name, "utility": utility(outcomes, threshold), "panel_right": j.accuracy, "shown_precision": j.precision,
        "answerable_answered": j.answered, "unanswerable_silent": j.silent })
}

pub fn abstain(args: &AbstainArgs) -> anyhow::Result<()> {
    let (train, dev) = (args.afqmc.join("train.txt"), args.afqmc.join("dev.txt"));
    for path in [&train, &dev] {
        if !path.exists() {
            bail!("{} not found: --afqmc names the folder with AFQMC's train.txt and dev.txt", path.display());
        }
    }
    let encoder = open_encoder(args.cache.as_deref())?;
    let train_outcomes = outcomes(&load(&train)?, args.questions, &encoder)?;
    let dev_outcomes = outcomes(&load(&dev)?, args.questions, &encoder)?;
    let chosen = threshold_keeping(&train_outcomes, KEEP_RIGHT);
    let most_use = best_threshold(&train_outcomes);
    let in_use = seatmate_assist::LIVE_MIN_SCORE;
    let result = json!({
        "data": "AFQMC (zh)",
        "questions_per_split": args.questions,
        "train_queries": train_outcomes.len(),
        "dev_queries": dev_outcomes.len(),
        "threshold_keeping_right_cards": chosen,
        "keep_right": KEEP_RIGHT,
        "threshold_of_most_use": most_use,
        "dev_at_most_use": report("dev", &dev_outcomes, most_use),
        "threshold_in_use": in_use,
        "train_at_chosen": report("train", &train_outcomes, chosen),
        "dev_at_chosen": report("dev", &dev_outcomes, chosen),
        "dev_at_in_use": report("dev", &dev_outcomes, in_use),
        "dev_always_show": report("dev", &dev_outcomes, f32::MIN),
    });
    if args.json {
        println!("{}", serde_json::to_string_pretty(&result)?);
        return Ok(());
    }
    println!("Live cards: \"nothing relevant\" threshold on AFQMC (Chinese customer questions)");
    println!("queries: train {}, dev {}", train_outcomes.len(), dev_outcomes.len());
    println!(
        "thresholds chosen on train: keeping {:.0}% of right cards {chosen:.3}; of most use {most_use:.3} (in use: {in_use:.3})",
        KEEP_RIGHT * 100.0
    );
    println!("{:<22} {:>8} {:>11} {:>15} {:>11} {:>11}", "", "utility", "panel right", "shown precision", "answered", "silent");
    for (label, threshold) in
        [("dev, keeping", chosen), ("dev, most use", most_use), ("dev, in use", in_use), ("dev, always show", f32::MIN)]
    {
        let j = judge(&dev_outcomes, threshold);
        println!(
            "{label:<22} {:>8.3} {:>10.1}% {:>14.1}% {:>10.1}% {:>10.1}%",
            utility(&dev_outcomes, threshold),
            j.accuracy * 100.0,
            j.precision * 100.0,
            j.answered * 100.0,
            j.silent * 100.0
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_shows_right_cards_and_hides_wrong_ones() {
        let o = |score, right, answerable| Outcome { score, right, answerable };
        let outcomes = [o(0.9, true, true), o(0.8, true, true), o(0.4, false, true), o(0.3, false, false), o(0.6, false, false)];
        let t = best_threshold(&outcomes);
        assert!(t > 0.6 && t < 0.8, "{t}");
        assert!((utility(&outcomes, t) - 0.4).abs() < 1e-9);
        // one right card outweighs two wrong ones below it
        let mixed = [o(0.9, true, true), o(0.5, false, true), o(0.45, false, false), o(0.4, true, true), o(0.1, false, false)];
        assert!((best_threshold(&mixed) - 0.25).abs() < 1e-6, "{}", best_threshold(&mixed));
        let j = judge(&outcomes, t);
        assert_eq!(j, Judged { accuracy: 1.0, precision: 1.0, answered: 2.0 / 3.0, silent: 1.0 });
        assert_eq!(judge(&outcomes, f32::MIN).precision, 0.4);
    }

    #[test]
    fn the_live_threshold_keeps_most_right_cards() {
        let o = |score, right| Outcome { score, right, answerable: true };
        let outcomes = [o(0.9, true), o(0.8, false), o(0.7, true), o(0.6, true), o(0.5, false), o(0.4, true), o(0.2, false)];
        // four right cards: keeping 80 % keeps all four, 75 % keeps three
        assert!((threshold_keeping(&outcomes, 0.8) - 0.3).abs() < 1e-6);
        assert!((threshold_keeping(&outcomes, 0.75) - 0.55).abs() < 1e-6);
    }

    #[test]
    fn shuffles_are_seeded() {
        let a = shuffled((0..50).collect::<Vec<_>>(), 42);
        assert_eq!(a, shuffled((0..50).collect::<Vec<_>>(), 42));
        assert_ne!(a, (0..50).collect::<Vec<_>>());
    }
}
