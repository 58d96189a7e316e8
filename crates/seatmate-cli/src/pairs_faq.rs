//! `seatmate eval retrieve --pairs-faq DIR`: FAQ retrieval in Chinese, built from a question-pair
//! set (AFQMC, OPPO Xiaobu: `question<TAB>question<TAB>0|1`).
//!
//! Protocol: the sentences of dev.txt (compared ignoring case and spacing) joined by positive pairs
//! form clusters (connected components); in each cluster of two or more, the sentence with the most positive links (the
//! first in the file on a tie) is the FAQ's question and every other sentence is a customer's
//! query whose one relevant document is that FAQ. A query is never an indexed question. The FAQs
//! carry no answer (the pair sets have none), so the meaning features compare questions. Metrics
//! and the fusion's cross-validation are StackFAQ's (`retrieve_eval`).
//!
//! When DIR also holds train.txt, its clusters form a second FAQ set on which a calibration is
//! fitted (`calibration_fitted_on_train`; searched as bases of [`TRAIN_BASE_FAQS`]) and judged on dev's: the product's Chinese calibration
//! comes from there, so no dev or test sentence chose it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context as _};
use seatmate_core::{KnowledgeBody, KnowledgeItem};
use seatmate_embed::CachedEncoder;
use seatmate_retrieve::{Calibration, Features, KnowledgeIndex};

use crate::retrieve_eval::{comparable, cross_validate, folds, index_of, query_metrics, reliability, Totals};

/// FAQs per knowledge base when train's clusters are searched to fit a calibration: a contact
/// centre's base, as the dev sets' 1,300–2,900 are (round, not tuned).
const TRAIN_BASE_FAQS: usize = 1000;

/// The FAQ set drawn from one pair file.
#[derive(Debug)]
pub(crate) struct PairsFaq {
    /// One FAQ per cluster: its question.
    pub(crate) questions: Vec<String>,
    /// (query, index of its FAQ)
    pub(crate) queries: Vec<(String, usize)>,
    /// Cluster sizes (question and queries), one per FAQ.
    pub(crate) sizes: Vec<usize>,
    pub(crate) positive_pairs: usize,
}

/// Clusters of `path`'s positive pairs, as the module's protocol says.
pub(crate) fn load(path: &Path) -> anyhow::Result<PairsFaq> {
    let pairs = crate::pair_eval::load(path)?;
    let mut id: HashMap<String, usize> = HashMap::new();
    let mut sentences: Vec<&str> = Vec::new();
    let mut parent: Vec<usize> = Vec::new();
    let mut links: Vec<usize> = Vec::new();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut positive_pairs = 0;
    for pair in pairs.iter().filter(|p| p.same && comparable(&p.a) != comparable(&p.b)) {
        positive_pairs += 1;
        let mut ends = [0usize; 2];
        for (end, text) in ends.iter_mut().zip([pair.a.trim(), pair.b.trim()]) {
            *end = *id.entry(comparable(text)).or_insert_with(|| {
                sentences.push(text);
                parent.push(parent.len());
                links.push(0);
                parent.len() - 1
            });
        }
        let [a, b] = ends;
        links[a] += 1;
        links[b] += 1;
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        parent[ra.max(rb)] = ra.min(rb);
    }
    if positive_pairs == 0 {
        bail!("{}: no positive pairs (label 1) to form FAQ clusters from", path.display());
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); sentences.len()];
    for sentence in 0..sentences.len() {
        let r = root(&mut parent, sentence);
        members[r].push(sentence);
    }
    let mut data = PairsFaq { questions: Vec::new(), queries: Vec::new(), sizes: Vec::new(), positive_pairs };
    for cluster in members.into_iter().filter(|m| m.len() >= 2) {
        // members are in file order, so max_by_key's last-wins needs the reverse for first-wins
        let Some(&question) = cluster.iter().rev().max_by_key(|&&s| links[s]) else { continue };
        let faq = data.questions.len();
        data.questions.push(sentences[question].to_string());
        data.sizes.push(cluster.len());
        data.queries.extend(cluster.iter().filter(|&&s| s != question).map(|&s| (sentences[s].to_string(), faq)));
    }
    Ok(data)
}

/// A Chinese FAQ that is one question and no answer (the pair sets have none), under `id`.
pub(crate) fn question_only_faq(id: String, question: &str) -> KnowledgeItem {
    KnowledgeItem {
        key: id.clone(),
        id,
        title: question.to_string(),
        category: None,
        language: Some("zh".into()),
        tags: Vec::new(),
        version: 1,
        updated_at: 0,
        updated_by: String::new(),
        body: KnowledgeBody::Faq { questions: vec![question.to_string()], answer: String::new() },
    }
}

fn items_of(questions: &[String]) -> Vec<KnowledgeItem> {
    questions.iter().enumerate().map(|(i, question)| question_only_faq(format!("faq-{i}"), question)).collect()
}

/// The figures for one folder (`dir/dev.txt`), cross-validated over `folds` query folds.
pub(crate) fn evaluate(
    dir: &Path,
    encoder: &Option<Arc<CachedEncoder>>,
    k: usize,
    fold_count: usize,
) -> anyhow::Result<serde_json::Value> {
    let path = dir.join("dev.txt");
    let data = load(&path).with_context(|| format!("--pairs-faq {}", dir.display()))?;
    let indexed: std::collections::HashSet<String> = data.questions.iter().map(|q| comparable(q)).collect();
    let equal = data.queries.iter().filter(|(q, _)| indexed.contains(&comparable(q))).count();
    if equal > 0 {
        bail!("{}: {equal} queries are also indexed as questions", path.display());
    }
    let index = index_of(&items_of(&data.questions), encoder)?;
    let mut default_totals = Totals::default();
    let mut candidates = Vec::with_capacity(data.queries.len());
    let mut shipped_top = Vec::with_capacity(data.queries.len());
    for (query, faq) in &data.queries {
        let hits = index.search(query, k)?;
        let relevant: Vec<bool> = hits.iter().map(|h| faq_of(&h.id) == Some(*faq)).collect();
        shipped_top.extend(hits.first().map(|h| (h.score, relevant[0])));
        default_totals.add(query_metrics(&relevant, 1));
        candidates.push(judged_candidates(&index, query, *faq, k)?);
    }
    let fold = folds(data.queries.len(), fold_count);
    let (cross_validated, calibration, _) = cross_validate(&candidates, &fold, fold_count, k, |_| 1);
    let mut histogram = std::collections::BTreeMap::new();
    for size in &data.sizes {
        *histogram.entry(if *size >= 5 { "5+".to_string() } else { size.to_string() }).or_insert(0usize) += 1;
    }
    // a calibration fitted on train's clusters alone, judged here on dev's
    let train_path = dir.join("train.txt");
    let fitted_on_train = if train_path.exists() {
        let train = load(&train_path).with_context(|| format!("--pairs-faq {}", dir.display()))?;
        // a top card's chance depends on how many FAQs compete: train's clusters are searched as
        // knowledge bases of a contact centre's size, not as one of ten thousand
        let mut judged: Vec<Vec<(Features, bool)>> = Vec::with_capacity(train.queries.len());
        for (chunk, questions) in train.questions.chunks(TRAIN_BASE_FAQS).enumerate() {
            let first = chunk * TRAIN_BASE_FAQS;
            let index = index_of(&items_of(questions), encoder)?;
            for (query, faq) in train.queries.iter().filter(|(_, faq)| (first..first + questions.len()).contains(faq)) {
                judged.push(judged_candidates(&index, query, faq - first, k)?);
            }
        }
        let fitted = Calibration::fit(&judged);
        let on_dev: Vec<(f32, bool)> = candidates
            .iter()
            .filter_map(|c| fitted.fusion.top_two(c))
            .map(|(first, second, right)| (fitted.top_card.probability(first, second), right))
            .collect();
        serde_json::json!({ "faqs": train.questions.len(), "queries": train.queries.len(), "base_faqs": TRAIN_BASE_FAQS, "calibration": fitted, "top_card_on_dev": reliability(&on_dev) })
    } else {
        serde_json::Value::Null
    };
    let n = data.queries.len();
    Ok(serde_json::json!({
        "set": dir.file_name().map(|n| n.to_string_lossy().to_string()),
        "positive_pairs": data.positive_pairs,
        "faqs": data.questions.len(),
        "queries": n,
        "cluster_sizes": histogram,
        "largest_cluster": data.sizes.iter().max(),
        "k": k,
        "folds": fold_count,
        "default_weights": default_totals.json(n),
        "cross_validated": cross_validated.json(n),
        "calibration": calibration,
        "calibration_fitted_on_all": Calibration::fit(&candidates),
        "calibration_fitted_on_train": fitted_on_train,
        "shipped_top_card": reliability(&shipped_top),
    }))
}

/// The FAQ id's number (`faq-7` → 7).
fn faq_of(id: &str) -> Option<usize> {
    id.strip_prefix("faq-").and_then(|n| n.parse::<usize>().ok())
}

/// `query`'s candidates in `index` with their features, each judged against the query's `faq`.
fn judged_candidates(index: &KnowledgeIndex, query: &str, faq: usize, k: usize) -> anyhow::Result<Vec<(Features, bool)>> {
    Ok(index.candidates(query, k)?.into_iter().map(|(id, features)| (features, faq_of(&id) == Some(faq))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_pairs_form_clusters_around_their_best_linked_sentence() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dev.txt");
        let lines = [
            "花呗怎么还款\t花呗如何还钱\t1",
            "花呗如何还钱\t怎么还花呗\t1",
            "借呗能提额吗\t借呗额度怎么提高\t1",
            "花呗怎么还款\t借呗能提额吗\t0",
            "余额宝收益\t余额宝怎么开通\t0",
        ];
        std::fs::write(&path, lines.join("\n")).unwrap();
        let data = load(&path).unwrap();
        assert_eq!(data.positive_pairs, 3);
        assert_eq!(data.questions, ["花呗如何还钱", "借呗能提额吗"]);
        assert_eq!(data.sizes, [3, 2]);
        let queries: Vec<(&str, usize)> = data.queries.iter().map(|(q, f)| (q.as_str(), *f)).collect();
        assert_eq!(queries, [("花呗怎么还款", 0), ("怎么还花呗", 0), ("借呗额度怎么提高", 1)]);
        std::fs::write(&path, "a\tb\t0\n").unwrap();
        assert!(load(&path).unwrap_err().to_string().contains("no positive pairs"));
        std::fs::write(&path, "a\tb\tyes\n").unwrap();
        assert!(format!("{:#}", load(&path).unwrap_err()).contains("dev.txt:1"));
    }
}
