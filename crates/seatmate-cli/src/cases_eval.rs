//! `seatmate eval cases`: similar solved cases, measured by a proxy. Every training ticket is a
//! solved case (its text as the customer's problem, its category); every test ticket asks the case
//! index (`seatmate_assist::CaseIndex`, as the live panel does) for five similar cases, and a case
//! counts as similar when it has the test ticket's category.
//!
//! Figures: precision@5 over the five places (a place the index leaves empty, below its score
//! cut, counts as a miss), precision among the cases shown, the top case's precision, and how
//! often nothing is shown — at the shipped cut, at the cut chosen on train folds, and with none.
//!
//! The cut is chosen on train alone: its tickets are dealt into folds, each fold asks an index of
//! the others, and the cut of most use wins (a case of the ticket's kind is worth one, another
//! costs [`WRONG_CARD_COST`]: a glance and a dismissal).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context as _;
use seatmate_assist::{CaseIndex, SolvedCase, WRONG_CARD_COST};
use seatmate_classify::Example;
use seatmate_embed::CachedEncoder;

use crate::eval::{load, Columns, DataFormat, Split};

#[derive(Debug, clap::Args)]
pub struct CasesArgs {
    /// Past tickets (CSV with a text and a category column): the solved cases
    #[arg(long)]
    train: PathBuf,
    /// Tickets that look for similar cases
    #[arg(long)]
    test: PathBuf,
    #[arg(long, default_value = "text")]
    text_column: String,
    #[arg(long, default_value = "category")]
    label_column: String,
    /// Words only: no sentence encoder
    #[arg(long)]
    lexical: bool,
    /// Embedding cache file (default: ~/.cache/seatmate/vectors.bin)
    #[arg(long)]
    cache: Option<PathBuf>,
    /// Cases asked for per ticket
    #[arg(long, default_value_t = 5)]
    k: usize,
    /// Folds of train the score cut is chosen on
    #[arg(long, default_value_t = 5)]
    cut_folds: usize,
    /// Print one JSON object instead of the readable report
    #[arg(long)]
    json: bool,
}

fn solved_cases(tickets: &[&Example]) -> Vec<SolvedCase> {
    tickets
        .iter()
        .enumerate()
        .map(|(i, ticket)| SolvedCase {
            conversation_id: format!("case-{i}"),
            ticket_id: format!("case-{i}"),
            agent: None,
            agent_team: None,
            title: String::new(),
            category: Some(ticket.label.clone()),
            team: None,
            summary: String::new(),
            problem: ticket.text.clone(),
            resolution: String::new(),
        })
        .collect()
}

/// An index of `cases` that shows every case (the cut is applied afterwards), and how long the
/// build took.
fn index_of(cases: &[&Example], encoder: &Option<Arc<CachedEncoder>>, what: &str) -> anyhow::Result<(CaseIndex, f64)> {
    let solved = solved_cases(cases);
    let index = CaseIndex::with_min_score(encoder.clone(), 0.0).context("cannot create the case index")?;
    let started = Instant::now();
    let bar = crate::import::bar(solved.len() as u64, what);
    index.replace(&solved, &mut |done, _| bar.set_position(done as u64))?;
    bar.finish_and_clear();
    Ok((index, started.elapsed().as_secs_f64()))
}

/// For each query, the cases found (best first): their score and whether they are of its kind.
fn found(index: &CaseIndex, queries: &[&Example], k: usize) -> anyhow::Result<Vec<Vec<(f32, bool)>>> {
    let bar = crate::import::bar(queries.len() as u64, "queries");
    let mut out = Vec::with_capacity(queries.len());
    for ticket in queries {
        let hits = index.search(&ticket.text, None, k)?;
        out.push(hits.iter().map(|h| (h.score, h.case.category.as_deref() == Some(ticket.label.as_str()))).collect());
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(out)
}

/// The figures with cases below `cut` left out (scores fall down each list, so the cut keeps a
/// prefix, as the index's own cut does).
fn figures(found: &[Vec<(f32, bool)>], cut: f32, k: usize) -> serde_json::Value {
    let (mut same, mut shown, mut top_right, mut nothing) = (0usize, 0usize, 0usize, 0usize);
    for cases in found {
        let kept: Vec<bool> = cases.iter().filter(|(score, _)| *score >= cut).map(|(_, same)| *same).collect();
        same += kept.iter().filter(|s| **s).count();
        shown += kept.len();
        top_right += usize::from(kept.first() == Some(&true));
        nothing += usize::from(kept.is_empty());
    }
    let n = found.len().max(1) as f64;
    serde_json::json!({
        "cut": cut,
        "precision_at_k": same as f64 / (n * k as f64),
        "precision_of_shown": if shown > 0 { same as f64 / shown as f64 } else { 0.0 },
        "top_case_right": top_right as f64 / n,
        "nothing_shown": nothing as f64 / n,
        "use_per_ticket": usefulness(found, cut) / n,
    })
}

/// Cases of the ticket's kind shown, less the others at their cost.
fn usefulness(found: &[Vec<(f32, bool)>], cut: f32) -> f64 {
    found.iter().flatten().filter(|(score, _)| *score >= cut).map(|(_, same)| if *same { 1.0 } else { -WRONG_CARD_COST }).sum()
}

/// The cut of most use: midway between neighbouring scores (0 when no cut helps). One sweep down
/// the scores, best first, adding each case's worth.
fn cut_of_most_use(found: &[Vec<(f32, bool)>]) -> f32 {
    let mut scored: Vec<(f32, bool)> = found.iter().flatten().copied().collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total = usefulness(found, 0.0);
    let (mut best, mut cut, mut running) = (total, 0.0, 0.0);
    for (i, (score, same)) in scored.iter().enumerate() {
        running += if *same { 1.0 } else { -WRONG_CARD_COST };
        // a cut can fall only between two different scores
        let Some((next, _)) = scored.get(i + 1) else { break };
        if next < score && running > best {
            (best, cut) = (running, (score + next) / 2.0);
        }
    }
    cut
}

pub fn cases(args: &CasesArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.k > 0, "--k must be at least 1");
    anyhow::ensure!(args.cut_folds >= 2, "--cut-folds must be at least 2");
    let columns = Columns { text: args.text_column.clone(), label: args.label_column.clone() };
    let train = load(&args.train, DataFormat::Csv, Split::Train, &columns, "oos")?;
    let test = load(&args.test, DataFormat::Csv, Split::Test, &columns, "oos")?;
    let encoder = if args.lexical { None } else { Some(crate::retrieve_eval::open_encoder(args.cache.as_deref())?) };

    // the cut, from train folds only
    let fold = crate::retrieve_eval::folds(train.len(), args.cut_folds);
    let mut train_found = Vec::with_capacity(train.len());
    for held_out in 0..args.cut_folds {
        let in_fold = |wanted: bool| -> Vec<&Example> {
            train.iter().zip(&fold).filter(|(_, f)| (**f == held_out) == wanted).map(|(t, _)| t).collect()
        };
        let (cases, queries) = (in_fold(false), in_fold(true));
        let (index, _) = index_of(&cases, &encoder, &format!("fold {} of {}: cases", held_out + 1, args.cut_folds))?;
        train_found.extend(found(&index, &queries, args.k)?);
    }
    let chosen = cut_of_most_use(&train_found);

    let every: Vec<&Example> = train.iter().collect();
    let (index, index_s) = index_of(&every, &encoder, "cases")?;
    let test_queries: Vec<&Example> = test.iter().collect();
    let test_found = found(&index, &test_queries, args.k)?;
    let report = serde_json::json!({
        "engine": if encoder.is_some() { "seatmate-assist case index (BM25 + multilingual-e5-small, fused)" } else { "seatmate-assist case index (BM25)" },
        "cases": train.len(),
        "queries": test.len(),
        "k": args.k,
        "cut_folds": args.cut_folds,
        "other_case_cost": WRONG_CARD_COST,
        "cut_chosen_on_train_folds": chosen,
        "train_folds_at_chosen": figures(&train_found, chosen, args.k),
        "at_shipped_cut": figures(&test_found, seatmate_assist::MIN_CASE_SCORE, args.k),
        "at_chosen_cut": figures(&test_found, chosen, args.k),
        "no_cut": figures(&test_found, 0.0, args.k),
        "index_s": index_s,
    });
    if args.json {
        println!("{report}");
    } else {
        println!("{}", serde_json::to_string_pretty(&report)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cut_of_most_use_keeps_what_pays() {
        // two queries: cases above 0.5 are mostly of the ticket's kind, those below mostly not
        let found = vec![
            vec![(0.9, true), (0.6, true), (0.4, false), (0.3, false)],
            vec![(0.7, true), (0.55, false), (0.5, true), (0.2, false)],
        ];
        let cut = cut_of_most_use(&found);
        assert!(cut > 0.4 && cut < 0.5, "{cut}");
        let at = figures(&found, cut, 4);
        assert_eq!(at["nothing_shown"], 0.0);
        assert_eq!(at["top_case_right"], 1.0);
        assert!((at["precision_of_shown"].as_f64().unwrap() - 0.8).abs() < 1e-9);
        assert_eq!(figures(&found, 0.95, 4)["nothing_shown"], 1.0);
    }
}
