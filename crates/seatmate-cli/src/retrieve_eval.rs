//! `seatmate eval retrieve`: FAQ retrieval on StackFAQ (Karan & Šnajder 2018) with
//! `seatmate-retrieve`, and the figures (readable, or one JSON object).
//!
//! Protocol: every (question, answer) pair of a thread is one FAQ document; every human rephrasing
//! is a query, and its relevant documents are the pairs of its own thread. Rephrasings are queries
//! only, never indexed. Placeholder rephrasings (`*`, empty) carry no text and are skipped.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context as _};
use seatmate_core::{KnowledgeBody, KnowledgeItem};
use seatmate_embed::{CachedEncoder, EmbeddingCache, Encoder};
use seatmate_retrieve::{Calibration, Features, Fusion, KnowledgeIndex, TopCard};

#[derive(Debug, clap::Args)]
pub struct RetrieveArgs {
    /// StackFAQ's stackExchange-FAQ.json
    #[arg(long)]
    stackfaq: Option<PathBuf>,
    /// AFQMC folder (train.txt, dev.txt): question-pair matching, threshold chosen on train
    #[arg(long)]
    afqmc: Option<PathBuf>,
    /// AFQMC train pairs used to choose the threshold (a seeded sample; 0 = all 34,334)
    #[arg(long, default_value_t = 10_000)]
    afqmc_train_pairs: usize,
    /// A folder of labelled question pairs (dev.txt: question, question, 0/1, as in AFQMC): dev's
    /// paraphrase clusters become FAQs and their other sentences queries. May be repeated
    #[arg(long)]
    pairs_faq: Vec<PathBuf>,
    /// Words only: no sentence encoder
    #[arg(long)]
    lexical: bool,
    /// Folds for cross-validating the fusion weights (and for lending rephrasings as phrasings)
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Embedding cache file (default: ~/.cache/seatmate/vectors.bin)
    #[arg(long)]
    cache: Option<PathBuf>,
    /// Also time queries over the StackFAQ documents padded with copies to this many entries
    #[arg(long, default_value_t = 0)]
    latency_entries: usize,
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

pub(crate) fn comparable(text: &str) -> String {
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

fn encoder(args: &RetrieveArgs) -> anyhow::Result<Option<Arc<CachedEncoder>>> {
    if args.lexical {
        return Ok(None);
    }
    open_encoder(args.cache.as_deref()).map(Some)
}

/// The sentence encoder with its vector cache (`cache`, else ~/.cache/seatmate/vectors.bin).
pub(crate) fn open_encoder(cache: Option<&Path>) -> anyhow::Result<Arc<CachedEncoder>> {
    let encoder = Encoder::load_default(None)?;
    let path = match cache {
        Some(path) => path.to_path_buf(),
        None => {
            let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
            home.join(".cache").join("seatmate").join("vectors.bin")
        }
    };
    let cache = EmbeddingCache::open(&path, encoder.dim())?;
    Ok(Arc::new(CachedEncoder { encoder, cache }))
}

pub(crate) fn index_of(items: &[KnowledgeItem], encoder: &Option<Arc<CachedEncoder>>) -> anyhow::Result<KnowledgeIndex> {
    let mut index = KnowledgeIndex::in_memory()?.with_min_score(0.0);
    if let Some(encoder) = encoder {
        index = index.with_encoder(encoder.clone()).with_min_score(0.0);
    }
    let progress = crate::import::bar(0, "embedding");
    index.upsert_with_progress(items, &mut |done, total| {
        progress.set_length(total as u64);
        progress.set_position(done as u64);
    })?;
    progress.finish_and_clear();
    index.commit()?;
    Ok(index)
}

/// Fold of each query: a seeded shuffle dealt round-robin.
pub(crate) fn folds(n: usize, folds: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = seatmate_classify::Rng::new(42);
    for i in (1..n).rev() {
        order.swap(i, (rng.next_u64() % (i as u64 + 1)) as usize);
    }
    let mut fold = vec![0; n];
    for (rank, &query) in order.iter().enumerate() {
        fold[query] = rank % folds;
    }
    fold
}

/// The metrics of `candidates` ranked by `fusion`'s probability.
fn ranked(fusion: &Fusion, candidates: &[(Features, bool)], k: usize, total_relevant: usize) -> QueryMetrics {
    let mut scored: Vec<(f32, bool)> = candidates.iter().map(|(f, r)| (fusion.probability(f), *r)).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let relevant: Vec<bool> = scored.iter().take(k).map(|(_, r)| *r).collect();
    query_metrics(&relevant, total_relevant)
}

/// Fusion weights cross-validated over query folds: each fold's queries ranked by weights fitted on
/// the other folds' candidates. Also the reliability of the held-out probabilities: of every
/// candidate, of the top card alone (what the panel shows), and of the top card through a
/// [`TopCard`] calibration fitted on the other folds' top cards, in ten equal bins.
pub(crate) fn cross_validate(
    candidates: &[Vec<(Features, bool)>],
    fold: &[usize],
    folds: usize,
    k: usize,
    total_relevant: impl Fn(usize) -> usize,
) -> (Totals, serde_json::Value, Vec<Fusion>) {
    let mut fusions = Vec::with_capacity(folds);
    let mut totals = Totals::default();
    let (mut every, mut top, mut top_calibrated) = (Vec::new(), Vec::new(), Vec::new());
    let mut top_cards = Vec::with_capacity(folds);
    for held_out in 0..folds {
        let train: Vec<(Features, bool)> =
            candidates.iter().zip(fold).filter(|(_, f)| **f != held_out).flat_map(|(c, _)| c.iter().copied()).collect();
        let fusion = Fusion::fit(&train);
        let top_card_train: Vec<(f32, Option<f32>, bool)> =
            candidates.iter().zip(fold).filter(|(_, f)| **f != held_out).filter_map(|(c, _)| fusion.top_two(c)).collect();
        let top_card = TopCard::fit(&top_card_train);
        for (i, cands) in candidates.iter().enumerate().filter(|(i, _)| fold[*i] == held_out) {
            totals.add(ranked(&fusion, cands, k, total_relevant(i)));
            every.extend(cands.iter().map(|(f, r)| (fusion.probability(f), *r)));
            if let Some((first, second, right)) = fusion.top_two(cands) {
                top.push((first, right));
                top_calibrated.push((top_card.probability(first, second), right));
            }
        }
        fusions.push(fusion);
        top_cards.push(top_card);
    }
    let calibration = serde_json::json!({
        "every_candidate": reliability(&every),
        "top_card": reliability(&top),
        "top_card_calibrated": reliability(&top_calibrated),
        "top_card_weights": top_cards,
    });
    (totals, calibration, fusions)
}

/// Expected calibration error over ten equal-width bins, and the bins (count, mean probability,
/// share relevant).
pub(crate) fn reliability(scored: &[(f32, bool)]) -> serde_json::Value {
    let mut bins = [(0usize, 0.0f64, 0usize); 10];
    for (p, relevant) in scored {
        let bin = &mut bins[((p * 10.0) as usize).min(9)];
        bin.0 += 1;
        bin.1 += f64::from(*p);
        bin.2 += usize::from(*relevant);
    }
    let n = scored.len().max(1) as f64;
    let ece: f64 = bins.iter().filter(|b| b.0 > 0).map(|(_, p, r)| (p - *r as f64).abs() / n).sum();
    let table: Vec<serde_json::Value> = bins
        .iter()
        .enumerate()
        .filter(|(_, b)| b.0 > 0)
        .map(|(i, (c, p, r))| {
            serde_json::json!({ "bin": format!("{:.1}-{:.1}", i as f64 / 10.0, (i + 1) as f64 / 10.0), "count": c,
                "mean_probability": p / *c as f64, "share_relevant": *r as f64 / *c as f64 })
        })
        .collect();
    serde_json::json!({ "ece": ece, "n": scored.len(), "bins": table })
}

/// Sums of per-query metrics.
#[derive(Default)]
pub(crate) struct Totals {
    sum: QueryMetrics,
    queries: usize,
}

impl Totals {
    pub(crate) fn add(&mut self, m: QueryMetrics) {
        self.sum.ndcg3 += m.ndcg3;
        self.sum.ap += m.ap;
        self.sum.rr10 += m.rr10;
        self.sum.recall5 += m.recall5;
        self.queries += 1;
    }

    /// Means over `over` queries (more than were run: the rest count as failures).
    pub(crate) fn json(&self, over: usize) -> serde_json::Value {
        let n = over.max(1) as f64;
        serde_json::json!({
            "ndcg@3": self.sum.ndcg3 / n, "map": self.sum.ap / n, "mrr@10": self.sum.rr10 / n, "recall@5": self.sum.recall5 / n,
        })
    }
}

pub fn retrieve(args: &RetrieveArgs) -> anyhow::Result<()> {
    if args.k == 0 || args.folds < 2 {
        bail!("--k must be at least 1 and --folds at least 2");
    }
    if args.stackfaq.is_none() && args.afqmc.is_none() && args.pairs_faq.is_empty() {
        bail!("name a data set: --stackfaq FILE, --afqmc DIR and/or --pairs-faq DIR");
    }
    let encoder = encoder(args)?;
    let mut report = serde_json::json!({
        "engine": if encoder.is_some() { "seatmate-retrieve (tantivy BM25 + multilingual-e5-small, fused)" } else { "seatmate-retrieve (tantivy BM25, lexical)" },
    });
    if let Some(path) = &args.stackfaq {
        report["stackfaq"] = stackfaq(args, path, &encoder)?;
    }
    if !args.pairs_faq.is_empty() {
        let sets: Vec<serde_json::Value> = args
            .pairs_faq
            .iter()
            .map(|dir| crate::pairs_faq::evaluate(dir, &encoder, args.k, args.folds))
            .collect::<anyhow::Result<_>>()?;
        report["pairs_faq"] = sets.into();
    }
    if let Some(dir) = &args.afqmc {
        let Some(encoder) = &encoder else { bail!("--afqmc needs the sentence encoder (drop --lexical)") };
        report["afqmc"] = crate::pair_eval::afqmc(dir, encoder, args.afqmc_train_pairs)?;
    }
    if args.json {
        println!("{report}");
    } else {
        println!("{}", serde_json::to_string_pretty(&report)?);
    }
    Ok(())
}

/// Query latency over `--latency-entries` items: the StackFAQ documents and copies of them (the
/// copies' texts are the originals', so their vectors come from the cache).
fn padded_latency(
    args: &RetrieveArgs,
    data: &StackFaq,
    encoder: &Option<Arc<CachedEncoder>>,
) -> anyhow::Result<serde_json::Value> {
    let mut items = data.items.clone();
    let mut i = 0;
    while items.len() < args.latency_entries {
        let mut copy = data.items[i % data.items.len()].clone();
        copy.id = format!("pad-{i}");
        copy.key = copy.id.clone();
        items.push(copy);
        i += 1;
    }
    let started = Instant::now();
    let index = index_of(&items, encoder)?;
    let index_s = started.elapsed().as_secs_f64();
    let mut latencies = Vec::with_capacity(data.queries.len());
    for (query, _) in &data.queries {
        let started = Instant::now();
        index.search(query, args.k)?;
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    latencies.sort_by(f64::total_cmp);
    Ok(serde_json::json!({
        "entries": items.len(),
        "queries": latencies.len(),
        "p50_ms": percentile(&latencies, 0.50),
        "p99_ms": percentile(&latencies, 0.99),
        "index_s": index_s,
    }))
}

fn stackfaq(args: &RetrieveArgs, path: &Path, encoder: &Option<Arc<CachedEncoder>>) -> anyhow::Result<serde_json::Value> {
    let data = load_stackfaq(path)?;
    if data.queries_equal_to_a_question > 0 {
        bail!("{} queries are also indexed as questions", data.queries_equal_to_a_question);
    }
    let thread_of: HashMap<&str, usize> =
        data.items.iter().zip(&data.item_thread).map(|(item, thread)| (item.id.as_str(), *thread)).collect();
    let mut per_thread = HashMap::new();
    for thread in &data.item_thread {
        *per_thread.entry(*thread).or_insert(0usize) += 1;
    }
    let fold = folds(data.queries.len(), args.folds);
    let all_queries = data.queries.len() + data.placeholders;

    // Setting A: the FAQ as published (one question per thread). The build is timed twice: with
    // an empty vector cache (every text encoded), then with the cache the run keeps.
    let index_cold_ms = match encoder {
        Some(_) => {
            let cold_cache = std::env::temp_dir().join(format!("seatmate-cold-vectors-{}.bin", std::process::id()));
            let _ = std::fs::remove_file(&cold_cache);
            let cold = Some(open_encoder(Some(&cold_cache))?);
            let started = Instant::now();
            let built = index_of(&data.items, &cold);
            let elapsed = started.elapsed().as_secs_f64() * 1000.0;
            drop(cold);
            let _ = std::fs::remove_file(&cold_cache);
            built?;
            Some(elapsed)
        }
        None => None,
    };
    index_of(&data.items, encoder)?; // the run's cache holds every vector from here on
    let started = Instant::now();
    let index = index_of(&data.items, encoder)?;
    let index_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut latencies = Vec::with_capacity(data.queries.len());
    let mut default_totals = Totals::default();
    let mut shipped_top = Vec::with_capacity(data.queries.len());
    for (query, thread) in &data.queries {
        let started = Instant::now();
        let hits = index.search(query, args.k)?;
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
        let relevant: Vec<bool> = hits.iter().map(|h| thread_of.get(h.id.as_str()) == Some(thread)).collect();
        shipped_top.extend(hits.first().map(|h| (h.score, relevant[0])));
        default_totals.add(query_metrics(&relevant, per_thread.get(thread).copied().unwrap_or(0)));
    }
    latencies.sort_by(f64::total_cmp);
    let labelled = |index: &KnowledgeIndex, query: &str, thread: usize| -> anyhow::Result<Vec<(Features, bool)>> {
        Ok(index
            .candidates(query, args.k)?
            .into_iter()
            .map(|(id, features)| (features, thread_of.get(id.as_str()) == Some(&thread)))
            .collect())
    };
    let mut candidates = Vec::with_capacity(data.queries.len());
    for (query, thread) in &data.queries {
        candidates.push(labelled(&index, query, *thread)?);
    }
    drop(index);
    let total_relevant = |i: usize| per_thread.get(&data.queries[i].1).copied().unwrap_or(0);
    let (cross_validated, calibration, fusions) = cross_validate(&candidates, &fold, args.folds, args.k, total_relevant);
    let fitted_on_all = Calibration::fit(&candidates);

    // Setting B: each FAQ also knows the rephrasings of the other folds as phrasings, as a
    // knowledge base that has collected its customers' wordings does.
    let mut with_phrasings = Totals::default();
    for (k, fusion) in fusions.iter().enumerate() {
        let mut items = data.items.clone();
        for (item, thread) in items.iter_mut().zip(&data.item_thread) {
            if let KnowledgeBody::Faq { questions, .. } = &mut item.body {
                let lent = data.queries.iter().zip(&fold).filter(|((_, t), f)| t == thread && **f != k);
                questions.extend(lent.map(|((query, _), _)| query.clone()));
            }
        }
        let index = index_of(&items, encoder)?;
        for ((query, thread), _) in data.queries.iter().zip(&fold).filter(|(_, f)| **f == k) {
            let total = per_thread.get(thread).copied().unwrap_or(0);
            with_phrasings.add(ranked(fusion, &labelled(&index, query, *thread)?, args.k, total));
        }
    }

    let padded = if args.latency_entries > 0 { Some(padded_latency(args, &data, encoder)?) } else { None };

    let n = data.queries.len();
    Ok(serde_json::json!({
        "padded": padded,
        "queries": n,
        "placeholder_rephrasings": data.placeholders,
        "documents": data.items.len(),
        "k": args.k,
        "folds": args.folds,
        "default_weights": default_totals.json(n),
        "questions_only": cross_validated.json(n),
        "questions_only_all_1375": cross_validated.json(all_queries),
        "with_other_folds_phrasings": with_phrasings.json(n),
        "with_other_folds_phrasings_all_1375": with_phrasings.json(all_queries),
        "calibration_fitted_on_all": fitted_on_all,
        "shipped_top_card": reliability(&shipped_top),
        "calibration": calibration,
        "p50_ms": percentile(&latencies, 0.50),
        "p99_ms": percentile(&latencies, 0.99),
        "index_ms": index_ms,
        "index_cold_ms": index_cold_ms,
    }))
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
