//! `seatmate eval cases`: similar solved cases, measured by a proxy. Every training ticket is a
//! solved case (its text as the customer's problem, its category); every test ticket asks the case
//! index (`seatmate_assist::CaseIndex`, as the live panel does) for five similar cases, and a case
//! counts as similar when it has the test ticket's category.
//!
//! Figures: precision@5 over the five places (a place the index leaves empty, below its score
//! cut, counts as a miss), precision among the cases shown, the top case's precision, and how
//! often nothing is shown.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;
use seatmate_assist::{CaseIndex, SolvedCase};

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
    /// Print one JSON object instead of the readable report
    #[arg(long)]
    json: bool,
}

pub fn cases(args: &CasesArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.k > 0, "--k must be at least 1");
    let columns = Columns { text: args.text_column.clone(), label: args.label_column.clone() };
    let train = load(&args.train, DataFormat::Csv, Split::Train, &columns, "oos")?;
    let test = load(&args.test, DataFormat::Csv, Split::Test, &columns, "oos")?;
    let encoder = if args.lexical { None } else { Some(crate::retrieve_eval::open_encoder(args.cache.as_deref())?) };
    let solved: Vec<SolvedCase> = train
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
        .collect();
    let index = CaseIndex::new(encoder.clone()).context("cannot create the case index")?;
    let started = Instant::now();
    let bar = crate::import::bar(solved.len() as u64, "cases");
    index.replace(&solved, &mut |done, _| bar.set_position(done as u64))?;
    bar.finish_and_clear();
    let index_s = started.elapsed().as_secs_f64();

    let (mut same_total, mut shown, mut top_right, mut nothing) = (0usize, 0usize, 0usize, 0usize);
    for ticket in &test {
        let hits = index.search(&ticket.text, None, args.k)?;
        let same = hits.iter().filter(|h| h.case.category.as_deref() == Some(ticket.label.as_str())).count();
        same_total += same;
        shown += hits.len();
        top_right += usize::from(hits.first().is_some_and(|h| h.case.category.as_deref() == Some(ticket.label.as_str())));
        nothing += usize::from(hits.is_empty());
    }
    let n = test.len().max(1) as f64;
    let report = serde_json::json!({
        "engine": if encoder.is_some() { "seatmate-assist case index (BM25 + multilingual-e5-small, fused)" } else { "seatmate-assist case index (BM25)" },
        "cases": solved.len(),
        "queries": test.len(),
        "k": args.k,
        "precision_at_k": same_total as f64 / (n * args.k as f64),
        "precision_of_shown": if shown > 0 { same_total as f64 / shown as f64 } else { 0.0 },
        "top_case_right": top_right as f64 / n,
        "nothing_shown": nothing as f64 / n,
        "index_s": index_s,
    });
    if args.json {
        println!("{report}");
    } else {
        println!("{}", serde_json::to_string_pretty(&report)?);
    }
    Ok(())
}
