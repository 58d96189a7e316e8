//! `cargo xtask bench retrieve [--data DIR] [--quick]`: `seatmate eval retrieve` (words and
//! meaning, then words only) and its peer (bench/peers_retrieve.py, rank_bm25) on StackFAQ and
//! AFQMC, in one run; the table goes into BENCHMARKS.md between the retrieve markers.
//!
//! `--quick` skips the AFQMC run and the padded-index latency (a smoke test of the plumbing).

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context as _};
use serde_json::Value;

use crate::{date, last_json, machine, output, prepare};

const BEGIN: &str = "<!-- retrieve:begin -->";
const END: &str = "<!-- retrieve:end -->";
const HEADING: &str = "## Knowledge retrieval";
const LATENCY_ENTRIES: usize = 100_000;

/// One column of the table: how it is run and what it printed.
struct Column {
    title: &'static str,
    report: Option<Value>,
}

pub fn bench_retrieve(root: &Path, rest: &[&str]) -> anyhow::Result<()> {
    let (data, quick) = crate::bench_args(root, rest)?;
    let command = format!("cargo xtask bench retrieve {}", rest.join(" ")).trim_end().to_string();
    let stackfaq = data.join("stackfaq/stackExchange-FAQ.json");
    let afqmc = data.join("afqmc");
    let oppo = data.join("oppo-xiaobu");
    for path in if quick { vec![&stackfaq] } else { vec![&stackfaq, &afqmc, &oppo] } {
        if !path.exists() {
            bail!("{} is missing (pass --data DIR)", path.display());
        }
    }

    let python = prepare(root)?;
    let seatmate = root.join("target/release/seatmate");
    let (stackfaq, afqmc, oppo) = (stackfaq.display().to_string(), afqmc.display().to_string(), oppo.display().to_string());
    let latency = LATENCY_ENTRIES.to_string();
    // every engine: the padded latency and the Chinese FAQ sets built from question pairs
    let full: &[&str] = if quick { &[] } else { &["--latency-entries", &latency, "--pairs-faq", &afqmc, "--pairs-faq", &oppo] };
    let afqmc: &[&str] = if quick { &[] } else { &["--afqmc", &afqmc] };
    // (column title, raw report file, program, arguments)
    let runs = [
        ("Seatmate (words+meaning)", "seatmate", &seatmate, [&["eval", "retrieve"], afqmc].concat()),
        ("Seatmate (words only)", "seatmate-lexical", &seatmate, vec!["eval", "retrieve", "--lexical"]),
        ("rank_bm25", "rank_bm25", &python, [&["bench/peers_retrieve.py"], afqmc].concat()),
    ];
    // The raw reports, kept for a closer look.
    let raw = root.join("target/bench-data/retrieve");
    std::fs::create_dir_all(&raw).with_context(|| format!("cannot create {}", raw.display()))?;
    let mut columns = Vec::new();
    let mut notes = Vec::new();
    for (title, file, program, args) in runs {
        let mut cmd = Command::new(program);
        cmd.args(args).args(["--stackfaq", &stackfaq]).args(full).arg("--json").current_dir(root);
        eprintln!("== {title}: {cmd:?}");
        let report = match output(&mut cmd).and_then(|out| last_json(&out)) {
            Ok(report) => {
                let file = raw.join(format!("{file}.json"));
                std::fs::write(&file, format!("{report:#}\n")).with_context(|| format!("cannot write {}", file.display()))?;
                Some(report)
            }
            Err(error) => {
                eprintln!("{title} failed: {error:#}");
                // The error names the whole command line; keep how it ended.
                let error = format!("{error:#}");
                let last = error.lines().last().unwrap_or("");
                notes.push(format!(
                    "{title}: failed{}",
                    last.rfind(" failed (").map_or(format!(": {last}"), |i| last[i + 7..].to_string())
                ));
                None
            }
        };
        columns.push(Column { title, report });
    }

    let block = render(&columns, &notes, quick, &command);
    println!("{block}");
    write_benchmarks(&root.join("BENCHMARKS.md"), &block)
}

/// `report.stackfaq.<path>`, `report.afqmc.<path>`…: a value by JSON pointer, or nothing.
fn at<'a>(report: &'a Option<Value>, pointer: &str) -> Option<&'a Value> {
    report.as_ref()?.pointer(pointer).filter(|v| !v.is_null())
}

fn f64_at(report: &Option<Value>, pointer: &str) -> Option<f64> {
    at(report, pointer).and_then(Value::as_f64)
}

fn four_metrics(report: &Option<Value>, setting: &str) -> String {
    four_metrics_at(report, &format!("/stackfaq/{setting}"))
}

fn four_metrics_at(report: &Option<Value>, prefix: &str) -> String {
    let values: Option<Vec<f64>> = ["ndcg@3", "map", "mrr@10", "recall@5"]
        .iter()
        .map(|m| f64_at(report, &format!("{prefix}/{}", m.replace('/', "~1"))))
        .collect();
    values.map_or("–".into(), |v| v.iter().map(|x| format!("{x:.3}")).collect::<Vec<_>>().join(" / "))
}

fn p50_p99(report: &Option<Value>, prefix: &str) -> String {
    match (f64_at(report, &format!("{prefix}/p50_ms")), f64_at(report, &format!("{prefix}/p99_ms"))) {
        (Some(p50), Some(p99)) => format!("{p50:.2} / {p99:.2}"),
        _ => "–".into(),
    }
}

/// 100000 → "100,000".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn render(columns: &[Column], failures: &[String], quick: bool, command: &str) -> String {
    // Counts for the row labels, from whichever run reported them.
    let count = |pointer: &str| columns.iter().find_map(|c| at(&c.report, pointer).and_then(Value::as_u64));
    let queries = count("/stackfaq/queries").unwrap_or(1249);
    let placeholders = count("/stackfaq/placeholder_rephrasings").unwrap_or(126);
    let documents = count("/stackfaq/documents").unwrap_or(719);
    let folds = count("/stackfaq/folds").unwrap_or(5);
    let entries = count("/stackfaq/padded/entries").unwrap_or(LATENCY_ENTRIES as u64);
    let train_pairs = count("/afqmc/train_pairs").unwrap_or(10_000);
    let majority = columns.iter().find_map(|c| f64_at(&c.report, "/afqmc/dev_majority_class_accuracy"));
    let all = queries + placeholders;
    let metrics = "NDCG@3 / MAP@10 / MRR@10 / recall@5";

    type Cell = Box<dyn Fn(&Option<Value>) -> String>;
    let rows: Vec<(String, Cell)> = vec![
        (
            format!("StackFAQ questions only, {} queries with text: {metrics}", thousands(queries)),
            Box::new(|r| four_metrics(r, "questions_only")),
        ),
        (
            format!("StackFAQ questions only, all {} rephrasings (placeholders count as misses)", thousands(all)),
            Box::new(|r| four_metrics(r, "questions_only_all_1375")),
        ),
        (
            format!("StackFAQ with other folds' phrasings, {} queries with text", thousands(queries)),
            Box::new(|r| four_metrics(r, "with_other_folds_phrasings")),
        ),
        (
            format!("StackFAQ with other folds' phrasings, all {}", thousands(all)),
            Box::new(|r| four_metrics(r, "with_other_folds_phrasings_all_1375")),
        ),
        (
            format!(
                "AFQMC dev accuracy, % (threshold from {} train pairs; majority class {})",
                thousands(train_pairs),
                majority.map_or("–".into(), |m| format!("{:.1}", m * 100.0))
            ),
            Box::new(|r| match (f64_at(r, "/afqmc/dev_accuracy"), f64_at(r, "/afqmc/train_accuracy")) {
                (Some(dev), Some(train)) => format!("{:.1} (train {:.1})", dev * 100.0, train * 100.0),
                _ => "–".into(),
            }),
        ),
    ];
    let mut rows = rows;
    for (i, set) in ["AFQMC", "OPPO Xiaobu"].iter().enumerate() {
        let faqs = count(&format!("/pairs_faq/{i}/faqs"));
        let Some(queries) = count(&format!("/pairs_faq/{i}/queries")) else { continue };
        let prefix = format!("/pairs_faq/{i}/cross_validated");
        rows.push((
            format!(
                "Chinese FAQ from {set} dev's paraphrase clusters ({} FAQs, {} queries): {metrics}",
                thousands(faqs.unwrap_or(0)),
                thousands(queries)
            ),
            Box::new(move |r| four_metrics_at(r, &prefix)),
        ));
    }
    for (what, key) in
        [("fused probability", "top_card"), ("with the top-card calibration, fitted on the other folds", "top_card_calibrated")]
    {
        rows.push((
            format!("Top card's expected calibration error, {what} (StackFAQ / AFQMC FAQ / OPPO FAQ)"),
            Box::new(move |r| {
                ["/stackfaq", "/pairs_faq/0", "/pairs_faq/1"]
                    .iter()
                    .map(|p| f64_at(r, &format!("{p}/calibration/{key}/ece")).map_or("–".into(), |e| format!("{e:.3}")))
                    .collect::<Vec<_>>()
                    .join(" / ")
            }),
        ));
    }
    rows.push((
        "Top card's expected calibration error, the product's score as search returns it (`Calibrations::SEMANTIC`) \
         (StackFAQ / AFQMC FAQ / OPPO FAQ)"
            .to_string(),
        Box::new(|r| {
            ["/stackfaq", "/pairs_faq/0", "/pairs_faq/1"]
                .iter()
                .map(|p| f64_at(r, &format!("{p}/shipped_top_card/ece")).map_or("–".into(), |e| format!("{e:.3}")))
                .collect::<Vec<_>>()
                .join(" / ")
        }),
    ));
    let more: Vec<(String, Cell)> = vec![
        (format!("Query p50 / p99 ms, {} documents", thousands(documents)), Box::new(|r| p50_p99(r, "/stackfaq"))),
        (format!("Query p50 / p99 ms, {} entries", thousands(entries)), Box::new(|r| p50_p99(r, "/stackfaq/padded"))),
        (
            format!("Index build, {} documents: every text encoded (empty vector cache) / vectors cached", thousands(documents)),
            Box::new(|r| {
                let warm = f64_at(r, "/stackfaq/index_ms").map_or("–".into(), |ms| format!("{ms:.0} ms"));
                match f64_at(r, "/stackfaq/index_cold_ms") {
                    Some(cold) => format!("{:.1} s / {warm}", cold / 1000.0),
                    None => format!("– / {warm}"),
                }
            }),
        ),
        (
            format!("Index build, {} entries", thousands(entries)),
            Box::new(|r| f64_at(r, "/stackfaq/padded/index_s").map_or("–".into(), |s| format!("{s:.1} s"))),
        ),
    ];
    rows.extend(more);

    let mut out = format!("Machine: {}. Date: {}. Command: `{command}`.\n\n", machine(), date());
    out += "| | ";
    out += &columns.iter().map(|c| c.title).collect::<Vec<_>>().join(" | ");
    out += " |\n|---|";
    out += &"---|".repeat(columns.len());
    out += "\n";
    for (label, cell) in &rows {
        out += &format!("| {label} | {} |\n", columns.iter().map(|c| cell(&c.report)).collect::<Vec<_>>().join(" | "));
    }
    out += "\n";

    let mut notes: Vec<String> = failures.to_vec();
    if quick {
        notes.push(format!(
            "`--quick`: AFQMC and the {}-entry latency run were skipped; run without it for the full table.",
            thousands(LATENCY_ENTRIES as u64)
        ));
    }
    for c in columns {
        if let Some(engine) = at(&c.report, "/engine").and_then(Value::as_str) {
            notes.push(format!("{}: {engine}.", c.title));
        }
    }
    let all = thousands(all);
    notes.push(format!(
        "Protocol (Karan & Šnajder 2018, as in `seatmate eval retrieve`): each of the {documents} (question, answer) pairs \
         of a StackFAQ thread is one document; each human rephrasing is a query whose relevant documents are the pairs of \
         its own thread (binary relevance, top 10 retrieved). {placeholders} of the {all} rephrasings are placeholders \
         (`*`, empty) with no text: they are not run, and count as misses in the \"all {all}\" rows. MAP@10 uses \
         trec_eval's denominator (all relevant documents); NDCG@3 is against the ideal ranking of all relevant pairs."
    ));
    notes.push(format!(
        "Questions only: the FAQ as published, one question per thread; rephrasings are queries only, never indexed. \
         With other folds' phrasings: the queries are dealt into {folds} folds (seeded shuffle, round-robin; the same \
         folds for every engine) and each fold's queries are searched against FAQs that also hold the other folds' \
         rephrasings of the same thread as phrasings (a knowledge base that has collected its customers' wordings); a \
         query never sees its own text."
    ));
    let mut fusion = format!(
        "Seatmate (words+meaning) fuses BM25 and multilingual-e5-small features with a logistic model; its weights are \
         cross-validated over the same {folds} query folds (fitted on four, scored on the fifth), so no query ranks with \
         weights fitted on it."
    );
    if at(&columns[0].report, "/stackfaq/default_weights").is_some() {
        fusion += &format!(
            " With the engine's built-in weights instead, questions only: {} (in-sample, not in the table: the built-in \
             weights, `Fusion::SEMANTIC`, were themselves fitted on all StackFAQ queries).",
            four_metrics(&columns[0].report, "default_weights")
        );
    }
    if let Some(weights) = at(&columns[0].report, "/stackfaq/calibration_fitted_on_all/fusion/weights").and_then(Value::as_array)
    {
        let weights: Vec<String> = weights.iter().map(|w| w.as_f64().map_or("?".into(), |w| format!("{w:.2}"))).collect();
        fusion += &format!(
            " Weights fitted on all queries (bias, BM25 relative, BM25 absolute, question cosine, passage cosine): [{}].",
            weights.join(", ")
        );
    }
    notes.push(fusion);
    let clusters: Vec<String> = (0..2)
        .filter_map(|i| {
            let report = columns.iter().find_map(|c| at(&c.report, &format!("/pairs_faq/{i}")))?;
            Some(format!(
                "{}: {} positive dev pairs → {} clusters, sizes {}, the largest {}",
                report.get("set")?.as_str()?,
                report.get("positive_pairs")?,
                report.get("faqs")?,
                report.get("cluster_sizes")?.as_object()?.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", "),
                report.get("largest_cluster")?,
            ))
        })
        .collect();
    if !clusters.is_empty() {
        notes.push(format!(
            "Chinese FAQ sets (`--pairs-faq DIR`): the sentences of DIR/dev.txt joined by positive pairs form clusters \
             (connected components); the best-linked sentence of each cluster of two or more (the first in the file on a \
             tie) is an FAQ question with no answer, every other sentence a query whose one relevant document it is, so no \
             query is an indexed question. Seatmate's fusion is cross-validated over {folds} query folds as on StackFAQ; \
             rank_bm25 ranks the questions' jieba words and fits nothing. {}.",
            clusters.join("; ")
        ));
    }
    notes.push(
        "Calibration: the fused score is a probability that the card answers the query; the expected calibration \
         error is over ten equal bins of the top card's held-out probability against whether it was right (the \
         reports in target/bench-data/retrieve hold the reliability tables, and the same for every candidate). The \
         top-card calibration (`TopCard`) is a logistic model over the top card's log-odds and its lead over the next \
         card, fitted on the other folds' top cards of the same set (so per language). Per-language weights fitted on \
         StackFAQ and AFQMC train's clusters (`Calibrations::FITTED_SEMANTIC`) are measured but not yet used by \
         search."
            .into(),
    );
    notes.push(format!(
        "AFQMC: do two customer questions (Chinese) ask the same thing? Seatmate: cosine of the two e5 vectors; \
         rank_bm25: BM25Okapi over the jieba words of every distinct train and dev sentence, the score of the second \
         question as a query against the first divided by the first's score against itself. Each picks the threshold \
         most accurate on the same seeded sample of {} train pairs (seed 42) and is scored on the{} labelled dev pairs. \
         Words only has no encoder, so no AFQMC figure.",
        thousands(train_pairs),
        count("/afqmc/dev_pairs").map_or(String::new(), |n| format!(" {}", thousands(n))),
    ));
    let thresholds: Vec<String> = columns
        .iter()
        .filter_map(|c| {
            let threshold = f64_at(&c.report, "/afqmc/threshold")?;
            let mut text = format!("{} {threshold:.3}", c.title);
            let same = at(&c.report, "/afqmc/dev_called_same").and_then(Value::as_u64);
            if let (Some(same), Some(pairs)) = (same, at(&c.report, "/afqmc/dev_pairs").and_then(Value::as_u64)) {
                text += &format!(" (calls {} of {} dev pairs the same", thousands(same), thousands(pairs));
                // Under 1% called the same: the threshold sits above almost every pair.
                text += if same * 100 < pairs { ": in effect the majority class)" } else { ")" };
            }
            Some(text)
        })
        .collect();
    if !thresholds.is_empty() {
        notes.push(format!("AFQMC thresholds chosen on train: {}.", thresholds.join("; ")));
    }
    notes.push(format!(
        "Latency: one query at a time, tokenising and search (rank_bm25: get_scores and the top 10) over the {documents} \
         documents, then over {} entries: the documents and copies of them. Copies' texts are the originals', so \
         Seatmate's vectors for them come from the embedding cache (~/.cache/seatmate/vectors.bin) and the padded index \
         time is mostly BM25 indexing and vector storage, not encoding; rank_bm25 tokenises the {documents} texts once \
         and builds BM25Okapi over the copies' token lists. Index build at {documents} documents: first with an empty \
         vector cache, so every text is encoded (rank_bm25 has nothing to encode: its one figure sits in the second \
         place), then with the vectors cached. Timings are taken as the machine is: a concurrent \
         job inflates p99 first.",
        thousands(entries),
    ));
    notes.push(
        "Published references: on StackFAQ, BM25 NDCG@3 0.76 / MAP 0.64 and the best BERT re-ranker 0.97 / 0.96 (as \
         reported with BERT-FAQ, Mass et al. 2020, whose metric code is probably more lenient than the NDCG@3 here: \
         compare with care); on AFQMC dev, RoBERTa-wwm-ext-large 76.2 accuracy (CLUE, fine-tuned). Targets: StackFAQ \
         NDCG@3 ≥ 0.95, AFQMC dev ≥ 76, query p99 < 20 ms at 100k entries."
            .into(),
    );
    for note in notes {
        out += &format!("- {note}\n");
    }
    out
}

/// Replaces the block between the retrieve markers; without them, replaces the body of the
/// "Knowledge retrieval" section, or adds that section after the classification one.
fn write_benchmarks(path: &Path, table: &str) -> anyhow::Result<()> {
    let old = std::fs::read_to_string(path).unwrap_or_else(|_| "# Benchmarks\n".into());
    std::fs::write(path, splice(&old, table)).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// BENCHMARKS.md's text with the retrieve block replaced or added.
fn splice(old: &str, table: &str) -> String {
    let block = format!("{BEGIN}\n{table}{END}");
    let section = format!("{HEADING}\n\nMeasured by `cargo xtask bench retrieve`; data from `../shared/data`.\n\n{block}\n");
    // Start of the next "## " heading at or after `from`, or the end.
    let next_heading = |from: usize| old[from..].find("\n## ").map_or(old.len(), |i| from + i + 1);
    match (old.find(BEGIN), old.find(END)) {
        (Some(b), Some(e)) if b < e => format!("{}{block}{}", &old[..b], &old[e + END.len()..]),
        _ => match old.find(&format!("\n{HEADING}")) {
            Some(h) => {
                let end = next_heading(h + 1);
                let gap = if end < old.len() { "\n" } else { "" };
                format!("{}{section}{gap}{}", &old[..h + 1], &old[end..])
            }
            None => {
                let at = old.find("<!-- classify:end -->").map_or(old.len(), next_heading);
                let (before, after) = old.split_at(at);
                let lead = if before.ends_with("\n\n") || before.is_empty() {
                    ""
                } else if before.ends_with('\n') {
                    "\n"
                } else {
                    "\n\n"
                };
                let gap = if after.is_empty() { "" } else { "\n" };
                format!("{before}{lead}{section}{gap}{after}")
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(1375), "1,375");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn the_block_goes_in_its_own_section() {
        let classify = "# B\n\n## Ticket classification\n\n<!-- classify:begin -->\nC\n<!-- classify:end -->\n";
        // No section yet: after the classification section, before the next one.
        let added = splice(&format!("{classify}\n## Large taxonomies\n\nL\n"), "T\n");
        let want = format!("{classify}\n{HEADING}\n\nMeasured by `cargo xtask bench retrieve`; data from `../shared/data`.\n\n{BEGIN}\nT\n{END}\n\n## Large taxonomies\n\nL\n");
        assert_eq!(added, want);
        // Markers: only the block changes.
        assert_eq!(splice(&added, "U\n"), want.replace("\nT\n", "\nU\n"));
        // An older section without markers: its body is replaced, the sections around it kept.
        let old = format!("{classify}\n{HEADING} (groundwork)\n\nold text\n\n## Targets\n\nX\n");
        let replaced = splice(&old, "T\n");
        assert!(
            replaced.starts_with(classify) && replaced.ends_with("{END}\n\n## Targets\n\nX\n".replace("{END}", END).as_str())
        );
        assert!(!replaced.contains("old text") && replaced.contains(&format!("{BEGIN}\nT\n{END}")));
        // At the end of the file.
        let last = splice(&format!("{classify}\n{HEADING}\n\nold\n"), "T\n");
        assert!(last.ends_with(&format!("{END}\n")) && !last.contains("old"));
    }
}
