//! `seatmate eval redact`: precision and recall of personal-data detection on labelled JSONL,
//! beside a shape-only baseline (the patterns most systems stop at: no check digits, no context)
//! measured in the same run.

use std::path::PathBuf;
use std::sync::LazyLock;

use anyhow::Context as _;
use regex::Regex;
use seatmate_redact::{evaluate, evaluate_with, parse_fixture, Kind, Report, Span};

/// The project's own labelled sets, compiled in: written for Seatmate (fixtures/README.md).
const TRAIN: &str = include_str!("../../seatmate-redact/fixtures/train.jsonl");
const TEST: &str = include_str!("../../seatmate-redact/fixtures/test.jsonl");

#[derive(clap::Args)]
pub struct RedactArgs {
    /// Labelled JSONL files (`{"text", "spans": [{"kind", "text"}]}`); default: the project's
    /// held-out test set, and with --train its training set too
    #[arg(long)]
    data: Vec<PathBuf>,
    /// Also report the training set the rules were written against
    #[arg(long)]
    train: bool,
    /// Print JSON instead of a table
    #[arg(long)]
    json: bool,
}

pub fn redact(args: &RedactArgs) -> anyhow::Result<()> {
    let mut sets: Vec<(String, String)> = Vec::new();
    for path in &args.data {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        sets.push((path.display().to_string(), text));
    }
    if args.data.is_empty() {
        sets.push(("fixtures/test.jsonl (held out)".into(), TEST.into()));
        if args.train {
            sets.push(("fixtures/train.jsonl".into(), TRAIN.into()));
        }
    }
    let mut out = Vec::new();
    for (name, text) in sets {
        let examples = parse_fixture(&text).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        let seatmate = evaluate(&examples);
        let baseline = evaluate_with(&examples, shape_only);
        if !args.json {
            println!("{name}: {} texts\n", examples.len());
            print_table(&seatmate, &baseline);
        }
        out.push(
            serde_json::json!({ "data": name, "texts": examples.len(), "seatmate": seatmate, "shape_only_baseline": baseline }),
        );
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
    }
    Ok(())
}

fn print_table(seatmate: &Report, baseline: &Report) {
    println!("| kind | spans | Seatmate P | Seatmate R | Seatmate F1 | shape-only P | shape-only R | shape-only F1 |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let rows = seatmate.per_kind.iter().chain([&seatmate.overall]).zip(baseline.per_kind.iter().chain([&baseline.overall]));
    for (s, b) in rows {
        println!(
            "| {} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
            s.kind, s.expected, s.precision, s.recall, s.f1, b.precision, b.recall, b.f1
        );
    }
    println!();
}

/// The baseline: digit-run and e-mail shapes alone, as a plain regex redactor would find them.
fn shape_only(text: &str) -> Vec<Span> {
    static PATTERNS: LazyLock<Vec<(Kind, Regex)>> = LazyLock::new(|| {
        [
            (Kind::Email, r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
            // ASCII word boundaries, so a number right after Chinese text still counts
            (Kind::IdNumber, r"(?-u:\b)\d{17}[\dXx](?-u:\b)"),
            (Kind::BankCard, r"(?-u:\b)\d{16,19}(?-u:\b)"),
            (Kind::Phone, r"(?-u:\b)1[3-9]\d{9}(?-u:\b)|(?-u:\b)0\d{2,3}-\d{7,8}(?-u:\b)"),
        ]
        .into_iter()
        .filter_map(|(kind, pattern)| Regex::new(pattern).ok().map(|regex| (kind, regex)))
        .collect()
    });
    let mut spans: Vec<Span> = Vec::new();
    for (kind, pattern) in PATTERNS.iter() {
        for m in pattern.find_iter(text) {
            if !spans.iter().any(|s| s.start < m.end() && m.start() < s.end) {
                spans.push(Span { kind: *kind, start: m.start(), end: m.end() });
            }
        }
    }
    spans.sort_by_key(|s| s.start);
    spans
}
