//! `seatmate eval retrieve`: FAQ retrieval on StackFAQ (Karan & Šnajder 2018) with
//! `seatmate-retrieve`, and the figures (readable, or one JSON object).
//!
//! Protocol: every (question, answer) pair of a thread is one FAQ document; every human rephrasing
//! is a query, and its relevant documents are the pairs of its own thread. Rephrasings are queries
//! only, never indexed. Placeholder rephrasings (`*`, empty) carry no text and are skipped.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context as _};
use seatmate_core::{KnowledgeBody, KnowledgeItem};
use seatmate_retrieve::KnowledgeIndex;

#[derive(Debug, clap::Args)]
pub struct RetrieveArgs {
    /// StackFAQ's stackExchange-FAQ.json
    #[arg(long)]
    stackfaq: PathBuf,
    /// Print one JSON object instead of the readable report
    #[arg(long)]
    json: bool,
    /// Results retrieved per query (MAP is computed over these)
    #[arg(long, default_value_t = 10)]
    k: usize,
}

/// StackFAQ loaded: the documents to index and the queries with their thread.
pub struct StackFaq {
    pub items: Vec<KnowledgeItem>,
    /// Thread of each item, parallel to `items`.
    pub item_thread: Vec<usize>,
    /// (query text, thread)
    pub queries: Vec<(String, usize)>,
    /// Rephrasings that were placeholders (`*`, empty, null).
    pub placeholders: usize,
    /// Queries whose text is also a thread's original question (must be zero).
    pub queries_equal_to_a_question: usize,
}

/// A JSON value that is one string or a list of them (the XML→JSON conversion collapses lists of
/// one).
fn strings(value: Option<&serde_json::Value>) -> Vec<Option<String>> {
    match value {
        Some(serde_json::Value::Array(values)) => values.iter().map(|v| v.as_str().map(str::to_string)).collect(),
        Some(serde_json::Value::String(s)) => vec![Some(s.clone())],
        _ => Vec::new(),
    }
}

pub fn load_stackfaq(path: &Path) -> anyhow::Result<StackFaq> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let Some(threads) = json.pointer("/root/qapair").and_then(|v| v.as_array()) else {
        bail!("{} has no root.qapair list: not StackFAQ's stackExchange-FAQ.json", path.display());
    };
    let mut data = StackFaq {
        items: Vec::new(),
        item_thread: Vec::new(),
        queries: Vec::new(),
        placeholders: 0,
        queries_equal_to_a_question: 0,
    };
    let mut questions = std::collections::HashSet::new();
    for (thread, value) in threads.iter().enumerate() {
        let question = value.get("question").and_then(|q| q.as_str()).unwrap_or_default().to_string();
        questions.insert(comparable(&question));
        for (j, answer) in strings(value.get("answer")).into_iter().flatten().enumerate() {
            data.items.push(KnowledgeItem {
                id: format!("t{thread}-a{j}"),
                key: format!("t{thread}-a{j}"),
                title: question.clone(),
                category: None,
                language: Some("en".into()),
                tags: Vec::new(),
                version: 1,
                updated_at: 0,
                updated_by: String::new(),
                body: KnowledgeBody::Faq { questions: vec![question.clone()], answer },
            });
            data.item_thread.push(thread);
        }
        for rephrasing in strings(value.get("rephr")) {
            match rephrasing {
                Some(r) if !r.trim().is_empty() && r.trim() != "*" => data.queries.push((r, thread)),
                _ => data.placeholders += 1,
            }
        }
    }
    data.queries_equal_to_a_question = data.queries.iter().filter(|(q, _)| questions.contains(&comparable(q))).count();
    Ok(data)
}

fn comparable(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Ranking metrics for one query, given the relevance of each retrieved result (best first) and
/// the number of relevant documents.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct QueryMetrics {
    pub ndcg3: f64,
    pub ap: f64,
    pub rr10: f64,
    pub recall5: f64,
}

pub fn query_metrics(relevant: &[bool], total_relevant: usize) -> QueryMetrics {
    if total_relevant == 0 {
        return QueryMetrics::default();
    }
    let discount = |i: usize| 1.0 / ((i + 2) as f64).log2();
    let dcg: f64 = relevant.iter().take(3).enumerate().filter(|(_, r)| **r).map(|(i, _)| discount(i)).sum();
    let idcg: f64 = (0..total_relevant.min(3)).map(discount).sum();
    let mut found = 0;
    let mut precision_sum = 0.0;
    for (i, _) in relevant.iter().enumerate().filter(|(_, r)| **r) {
        found += 1;
        precision_sum += found as f64 / (i + 1) as f64;
    }
    QueryMetrics {
        ndcg3: dcg / idcg,
        ap: precision_sum / total_relevant as f64,
        rr10: relevant.iter().take(10).position(|r| *r).map_or(0.0, |i| 1.0 / (i + 1) as f64),
        recall5: relevant.iter().take(5).filter(|r| **r).count() as f64 / total_relevant as f64,
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub fn retrieve(args: &RetrieveArgs) -> anyhow::Result<()> {
    if args.k == 0 {
        bail!("--k must be at least 1");
    }
    let data = load_stackfaq(&args.stackfaq)?;
    if data.queries_equal_to_a_question > 0 {
        bail!("{} queries are also indexed as questions", data.queries_equal_to_a_question);
    }
    let started = Instant::now();
    let index = KnowledgeIndex::in_memory()?;
    index.upsert(&data.items)?;
    index.commit()?;
    let index_ms = started.elapsed().as_secs_f64() * 1000.0;

    let thread_of: std::collections::HashMap<&str, usize> =
        data.items.iter().zip(&data.item_thread).map(|(item, thread)| (item.id.as_str(), *thread)).collect();
    let mut per_thread = std::collections::HashMap::new();
    for thread in &data.item_thread {
        *per_thread.entry(*thread).or_insert(0usize) += 1;
    }
    let mut sum = QueryMetrics::default();
    let mut latencies = Vec::with_capacity(data.queries.len());
    for (query, thread) in &data.queries {
        let started = Instant::now();
        let hits = index.search(query, args.k)?;
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
        let relevant: Vec<bool> = hits.iter().map(|h| thread_of.get(h.id.as_str()) == Some(thread)).collect();
        let m = query_metrics(&relevant, per_thread.get(thread).copied().unwrap_or(0));
        sum.ndcg3 += m.ndcg3;
        sum.ap += m.ap;
        sum.rr10 += m.rr10;
        sum.recall5 += m.recall5;
    }
    latencies.sort_by(f64::total_cmp);
    let n = data.queries.len().max(1) as f64;
    let report = serde_json::json!({
        "engine": "seatmate-retrieve (tantivy BM25, lexical)",
        "dataset": "stackfaq",
        "queries": data.queries.len(),
        "placeholder_rephrasings_skipped": data.placeholders,
        "documents": data.items.len(),
        "k": args.k,
        "ndcg@3": sum.ndcg3 / n,
        "map": sum.ap / n,
        "mrr@10": sum.rr10 / n,
        "recall@5": sum.recall5 / n,
        "p50_ms": percentile(&latencies, 0.50),
        "p99_ms": percentile(&latencies, 0.99),
        "index_ms": index_ms,
    });
    if args.json {
        println!("{report}");
        return Ok(());
    }
    println!(
        "stackfaq: {} queries ({} placeholder rephrasings skipped), {} question-answer documents, top {}",
        data.queries.len(),
        data.placeholders,
        data.items.len(),
        args.k
    );
    println!("  ndcg@3    {:.4}", sum.ndcg3 / n);
    println!("  map@{:<5} {:.4}", args.k, sum.ap / n);
    println!("  mrr@10    {:.4}", sum.rr10 / n);
    println!("  recall@5  {:.4}", sum.recall5 / n);
    println!(
        "  latency   p50 {:.2} ms, p99 {:.2} ms per query (with passages); indexing {:.0} ms",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        index_ms
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_of_a_ranking() {
        let m = query_metrics(&[false, true, true, false, false], 2);
        let ideal = 1.0 + 1.0 / 3f64.log2();
        assert!((m.ndcg3 - (1.0 / 3f64.log2() + 0.5) / ideal).abs() < 1e-9);
        assert!((m.ap - (0.5 + 2.0 / 3.0) / 2.0).abs() < 1e-9);
        assert!((m.rr10 - 0.5).abs() < 1e-9);
        assert!((m.recall5 - 1.0).abs() < 1e-9);
        assert_eq!(query_metrics(&[false; 10], 3), QueryMetrics::default());
    }
}
