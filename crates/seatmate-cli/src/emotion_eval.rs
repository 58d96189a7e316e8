//! `seatmate eval emotion`: the emotion model of `seatmate-signals` on GoEmotions (English; 28
//! labels, Ekman 7, sentiment 4) and SMP2020-EWECT (Chinese Weibo, 6 classes; the virus and the
//! usual sets), or on any labelled CSV/JSONL pair, beside peers whose scores were written into the
//! same prepared splits (`bench/peers_emotion.py`), all judged by the same metric code.
//!
//! Protocol (settings are chosen on held-out data, never on test):
//! - GoEmotions: train → test, settings chosen on the official dev split. Multi-label: a text
//!   carries every label whose score reaches that label's threshold (chosen on dev to maximise
//!   that label's F1, as for every peer), or else its closest label. Macro-F1 is label-based
//!   (F1 of each label over the test texts, averaged over labels); accuracy is exact match of the
//!   predicted label set.
//! - SMP2020 virus: virus_train → virus_test_labeled, settings chosen on virus_eval_labeled.
//! - SMP2020 usual: the official usual train file is not available here, so the usual model
//!   trains on what is: virus_train, virus_eval_labeled and three quarters of usual_eval_labeled
//!   (stratified, seed 42); the other quarter chooses the settings; judged on usual_test_labeled.
//! - `--train/--test`: a stratified sixth of train (seed 42) chooses the settings.
//!   Single-label sets: accuracy and macro-F1 of the best label.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context as _};
use seatmate_classify::Rng;
use seatmate_embed::{CachedEncoder, EmbeddingCache, Encoder, Role};
use seatmate_signals::metrics::{argmax, decide_multi, exact_match, f1_thresholds, macro_f1};
use seatmate_signals::{EmotionConfig, EmotionModel, Example};
use serde_json::{json, Value};

use crate::eval::{Columns, DataFormat, Split};

#[derive(Debug, clap::Args)]
pub struct EmotionArgs {
    /// GoEmotions folder (original/, ekman/, group/ with train/dev/test.tsv and labels.txt)
    #[arg(long)]
    goemotions: Option<PathBuf>,
    /// SMP2020-EWECT folder (raw/virus_train.txt, raw/virus_eval_labeled.txt, …)
    #[arg(long)]
    smp2020: Option<PathBuf>,
    /// Any other labelled set: training file (CSV or JSONL, as `eval classify` reads them)
    #[arg(long, requires = "test")]
    train: Option<PathBuf>,
    /// … and its test file
    #[arg(long, requires = "train")]
    test: Option<PathBuf>,
    /// CSV column / JSONL key with the text
    #[arg(long, default_value = "text")]
    text_column: String,
    /// CSV column / JSONL key with the label (default: category for CSV, label for JSONL)
    #[arg(long)]
    label_column: Option<String>,
    /// Words only: no sentence encoder
    #[arg(long)]
    lexical: bool,
    /// Embedding cache file (default: ~/.cache/seatmate/vectors.bin, shared with `eval retrieve`)
    #[arg(long)]
    cache: Option<PathBuf>,
    /// Sentence vectors for the first N training texts of each set only (file order; the others
    /// teach the word block only): bounds the encoding time on a slow machine. 0 = all
    #[arg(long, default_value_t = 0)]
    embed_train: usize,
    /// Only these sets (goemotions-28, goemotions-ekman, goemotions-sentiment, smp2020-virus,
    /// smp2020-usual; repeatable; default: all that were given)
    #[arg(long = "set")]
    sets: Vec<String>,
    /// Train on at most this many examples per set (a seeded sample; 0 = all)
    #[arg(long, default_value_t = 0)]
    max_train: usize,
    /// Write the prepared splits (JSONL per set) into this folder for the peers, and stop
    #[arg(long)]
    write_splits: Option<PathBuf>,
    /// A folder of prepared splits holding peers' scores (`<set>/<peer>.scores.json`) to judge beside Seatmate
    #[arg(long)]
    peers: Option<PathBuf>,
    /// Print one JSON object instead of the readable report
    #[arg(long)]
    json: bool,
}

/// One text and its gold labels (indices, ascending).
#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub text: String,
    pub labels: Vec<usize>,
}

/// One evaluation set: its labels, and train / held-out / test texts.
pub(crate) struct Set {
    pub name: String,
    pub labels: Vec<String>,
    pub multi_label: bool,
    pub train: Vec<Item>,
    pub dev: Vec<Item>,
    pub test: Vec<Item>,
    pub protocol: String,
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// GoEmotions TSV: text, comma-separated label ids, comment id.
fn goemotions_split(path: &Path, n_labels: usize) -> anyhow::Result<Vec<Item>> {
    let mut items = Vec::new();
    for (i, line) in read(path)?.lines().enumerate() {
        let mut fields = line.split('\t');
        let (Some(text), Some(ids)) = (fields.next(), fields.next()) else {
            bail!("{}:{}: expected text, label ids and an id, tab-separated", path.display(), i + 1)
        };
        let mut labels = Vec::new();
        for id in ids.split(',') {
            let id: usize = id.trim().parse().with_context(|| format!("{}:{}: label id {id:?}", path.display(), i + 1))?;
            if id >= n_labels {
                bail!("{}:{}: label id {id} beyond labels.txt", path.display(), i + 1);
            }
            labels.push(id);
        }
        labels.sort_unstable();
        labels.dedup();
        items.push(Item { text: text.to_string(), labels });
    }
    Ok(items)
}

pub(crate) fn goemotions(dir: &Path) -> anyhow::Result<Vec<Set>> {
    let mut sets = Vec::new();
    for (folder, name) in [("original", "goemotions-28"), ("ekman", "goemotions-ekman"), ("group", "goemotions-sentiment")] {
        let base = dir.join(folder);
        let labels: Vec<String> =
            read(&base.join("labels.txt"))?.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
        let split = |part: &str| goemotions_split(&base.join(format!("{part}.tsv")), labels.len());
        sets.push(Set {
            name: name.into(),
            multi_label: true,
            train: split("train")?,
            dev: split("dev")?,
            test: split("test")?,
            labels,
            protocol: "train → test; thresholds and settings on dev".into(),
        });
    }
    Ok(sets)
}

/// SMP2020-EWECT: a JSON array of {id, content, label}.
fn smp_file(path: &Path) -> anyhow::Result<Vec<(String, String)>> {
    #[derive(serde::Deserialize)]
    struct Row {
        content: String,
        label: String,
    }
    let rows: Vec<Row> = serde_json::from_str(&read(path)?).with_context(|| format!("{} is not SMP2020 JSON", path.display()))?;
    Ok(rows.into_iter().map(|r| (r.content, r.label)).collect())
}

fn indexed(rows: Vec<(String, String)>, labels: &[String]) -> anyhow::Result<Vec<Item>> {
    rows.into_iter()
        .map(|(text, label)| {
            let k = labels.iter().position(|l| *l == label).with_context(|| format!("unknown label {label:?}"))?;
            Ok(Item { text, labels: vec![k] })
        })
        .collect()
}

/// A stratified share of `items` (seeded): (the rest, the share).
fn stratified(items: Vec<Item>, share: f32, seed: u64) -> (Vec<Item>, Vec<Item>) {
    let mut by_label: BTreeMap<usize, Vec<Item>> = BTreeMap::new();
    for item in items {
        by_label.entry(item.labels[0]).or_default().push(item);
    }
    let mut rng = Rng::new(seed);
    let (mut rest, mut taken) = (Vec::new(), Vec::new());
    for (_, mut group) in by_label {
        rng.shuffle(&mut group);
        let take = ((group.len() as f32 * share).round() as usize).min(group.len().saturating_sub(1));
        taken.extend(group.drain(..take));
        rest.extend(group);
    }
    (rest, taken)
}

pub(crate) fn smp2020(dir: &Path) -> anyhow::Result<Vec<Set>> {
    let raw = if dir.join("raw").is_dir() { dir.join("raw") } else { dir.to_path_buf() };
    let file = |name: &str| smp_file(&raw.join(name));
    let (virus_train, virus_eval, virus_test) =
        (file("virus_train.txt")?, file("virus_eval_labeled.txt")?, file("virus_test_labeled.txt")?);
    let (usual_eval, usual_test) = (file("usual_eval_labeled.txt")?, file("usual_test_labeled.txt")?);
    let mut labels: Vec<String> = virus_train.iter().map(|(_, l)| l.clone()).collect::<HashSet<_>>().into_iter().collect();
    labels.sort();
    let virus_train = indexed(virus_train, &labels)?;
    let virus_eval = indexed(virus_eval, &labels)?;
    let (usual_rest, usual_dev) = stratified(indexed(usual_eval, &labels)?, 0.25, 42);
    let mut usual_train = virus_train.clone();
    usual_train.extend(virus_eval.iter().cloned());
    usual_train.extend(usual_rest);
    Ok(vec![
        Set {
            name: "smp2020-virus".into(),
            labels: labels.clone(),
            multi_label: false,
            train: virus_train,
            dev: virus_eval,
            test: indexed(virus_test, &labels)?,
            protocol: "virus_train → virus_test_labeled; settings on virus_eval_labeled".into(),
        },
        Set {
            name: "smp2020-usual".into(),
            labels: labels.clone(),
            multi_label: false,
            train: usual_train,
            dev: usual_dev,
            test: indexed(usual_test, &labels)?,
            protocol: "no official usual train here: virus_train + virus_eval + 3/4 of usual_eval → usual_test_labeled; \
                       settings on the other 1/4 of usual_eval (stratified, seed 42)"
                .into(),
        },
    ])
}

fn custom(args: &EmotionArgs, train: &Path, test: &Path) -> anyhow::Result<Set> {
    let format = DataFormat::from_path(train)
        .filter(|f| matches!(f, DataFormat::Csv | DataFormat::Jsonl))
        .with_context(|| format!("{}: give a .csv or .jsonl file", train.display()))?;
    let default_label = if format == DataFormat::Jsonl { "label" } else { "category" };
    let columns = Columns { text: args.text_column.clone(), label: args.label_column.clone().unwrap_or(default_label.into()) };
    let train_rows = crate::eval::load(train, format, Split::Train, &columns, "oos")?;
    let test_rows = crate::eval::load(test, format, Split::Test, &columns, "oos")?;
    let mut labels: Vec<String> = train_rows.iter().map(|e| e.label.clone()).collect::<HashSet<_>>().into_iter().collect();
    labels.sort();
    let to_items = |rows: Vec<seatmate_classify::Example>| -> anyhow::Result<Vec<Item>> {
        indexed(rows.into_iter().map(|e| (e.text, e.label)).collect(), &labels)
    };
    let (train_items, dev) = stratified(to_items(train_rows)?, 1.0 / 6.0, 42);
    let name = train.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "custom".into());
    Ok(Set {
        name,
        multi_label: false,
        train: train_items,
        dev,
        test: to_items(test_rows).context("the test file has a label the training file lacks")?,
        labels,
        protocol: "train → test; settings on a stratified sixth of train (seed 42)".into(),
    })
}

fn encoder(args: &EmotionArgs) -> anyhow::Result<Option<CachedEncoder>> {
    if args.lexical {
        return Ok(None);
    }
    cached_encoder(args.cache.clone()).map(Some)
}

/// The sentence encoder with its cache in front (`cache`, or ~/.cache/seatmate/vectors.bin,
/// shared by the eval and train commands).
pub(crate) fn cached_encoder(cache: Option<PathBuf>) -> anyhow::Result<CachedEncoder> {
    let encoder = Encoder::load_default(None)?;
    let path = cache.unwrap_or_else(|| {
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
        home.join(".cache").join("seatmate").join("vectors.bin")
    });
    let cache = EmbeddingCache::open(&path, encoder.dim())?;
    Ok(CachedEncoder { encoder, cache })
}

/// Vectors of every text of every set, each distinct text embedded once (or read from the
/// cache); the seconds and the number of texts actually embedded.
fn embed_all(
    sets: &[Set],
    encoder: &CachedEncoder,
    embed_train: usize,
) -> anyhow::Result<(HashMap<String, Vec<f32>>, f64, usize)> {
    let mut seen = HashSet::new();
    let mut texts: Vec<&str> = Vec::new();
    for set in sets {
        let limit = if embed_train == 0 { set.train.len() } else { embed_train };
        let train = set.train.iter().take(limit).map(|i| i.text.as_str());
        let held: Vec<&str> = set.dev.iter().chain(&set.test).map(|i| i.text.as_str()).collect();
        texts.extend(held.into_iter().chain(train).filter(|t| seen.insert(*t)));
    }
    embed_distinct(encoder, &texts)
}

/// Each of `texts` (distinct) with its vector, through the cache with a progress bar; the seconds
/// spent and how many texts were embedded rather than read from the cache.
pub(crate) fn embed_distinct(encoder: &CachedEncoder, texts: &[&str]) -> anyhow::Result<(HashMap<String, Vec<f32>>, f64, usize)> {
    let cached = texts.iter().filter(|t| encoder.cache.get(t, Role::Query).is_some()).count();
    let bar = crate::import::bar(texts.len() as u64, "texts");
    bar.set_message("embedding (e5, cached after the first run)");
    let start = Instant::now();
    let vectors = encoder.embed_many(texts, Role::Query, &mut |done| bar.set_position(done as u64))?;
    bar.finish_and_clear();
    let seconds = start.elapsed().as_secs_f64();
    Ok((texts.iter().map(|t| t.to_string()).zip(vectors).collect(), seconds, texts.len() - cached))
}

fn subsample(items: &mut Vec<Item>, max: usize) {
    if max > 0 && items.len() > max {
        Rng::new(7).shuffle(items);
        items.truncate(max);
    }
}

/// Macro-F1 and accuracy of predicted label sets against a set's test texts.
fn figures(predicted: &[Vec<usize>], set: &Set) -> (f32, f32) {
    let gold: Vec<Vec<usize>> = set.test.iter().map(|i| i.labels.clone()).collect();
    (macro_f1(predicted, &gold, set.labels.len()), exact_match(predicted, &gold))
}

fn vector<'a>(vectors: &'a HashMap<String, Vec<f32>>, text: &str) -> &'a [f32] {
    vectors.get(text).map_or(&[][..], Vec::as_slice)
}

fn examples<'a>(items: &'a [Item], vectors: &'a HashMap<String, Vec<f32>>) -> Vec<Example<'a>> {
    items.iter().map(|i| Example { text: &i.text, vector: vector(vectors, &i.text), labels: &i.labels }).collect()
}

fn run_seatmate(set: &Set, vectors: &HashMap<String, Vec<f32>>) -> anyhow::Result<Value> {
    let (train, dev) = (examples(&set.train, vectors), examples(&set.dev, vectors));
    let config = EmotionConfig { multi_label: set.multi_label, ..EmotionConfig::default() };
    let spinner = crate::import::bar(0, "");
    spinner.set_message(format!("{}: training on {} texts, settings chosen on {}", set.name, train.len(), dev.len()));
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    let start = Instant::now();
    let model = EmotionModel::train(&set.labels, &train, &dev, &config).map_err(|e| anyhow::anyhow!("{}: {e}", set.name))?;
    let train_s = start.elapsed().as_secs_f64();
    spinner.finish_and_clear();
    let bytes = model.to_bytes();
    let model = EmotionModel::from_bytes(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", set.name))?;
    let start = Instant::now();
    let predicted: Vec<Vec<usize>> = set.test.iter().map(|i| model.predict(&i.text, vector(vectors, &i.text)).labels).collect();
    let predict_s = start.elapsed().as_secs_f64();
    let (f1, accuracy) = figures(&predicted, set);
    Ok(json!({
        "set": set.name,
        "engine": if model.vector_dim().is_some() { "seatmate (words + e5)" } else { "seatmate (words)" },
        "macro_f1": f1,
        "accuracy": accuracy,
        "train_s": train_s,
        "ms_per_text": predict_s * 1000.0 / set.test.len().max(1) as f64,
        "model_mb": bytes.len() as f64 / 1e6,
        "setting": serde_json::to_value(model.chosen())?,
    }))
}

/// A peer's scores (`<set>/<peer>.scores.json`): dev and test score matrices, judged here with
/// the same decision rule and metric as Seatmate (per-label thresholds on dev for multi-label
/// sets; the best label otherwise).
fn judge_peer(set: &Set, path: &Path) -> anyhow::Result<Value> {
    let report: Value = serde_json::from_str(&read(path)?).with_context(|| format!("{} is not JSON", path.display()))?;
    let matrix = |key: &str, rows: usize| -> anyhow::Result<Vec<Vec<f32>>> {
        let m: Vec<Vec<f32>> = serde_json::from_value(report.get(key).cloned().unwrap_or(Value::Null))
            .with_context(|| format!("{}: {key} is not a score matrix", path.display()))?;
        if m.len() != rows || m.iter().any(|r| r.len() != set.labels.len()) {
            bail!("{}: {key} has {} rows, expected {rows} × {} labels", path.display(), m.len(), set.labels.len());
        }
        Ok(m)
    };
    let (dev, test) = (matrix("dev", set.dev.len())?, matrix("test", set.test.len())?);
    let predicted: Vec<Vec<usize>> = if set.multi_label {
        let gold: Vec<Vec<usize>> = set.dev.iter().map(|i| i.labels.clone()).collect();
        let thresholds = f1_thresholds(&dev, &gold, set.labels.len());
        test.iter().map(|s| decide_multi(s, &thresholds)).collect()
    } else {
        test.iter().map(|s| vec![argmax(s)]).collect()
    };
    let (f1, accuracy) = figures(&predicted, set);
    let mut out = json!({ "set": set.name, "macro_f1": f1, "accuracy": accuracy });
    for key in ["engine", "train_s", "ms_per_text", "setting"] {
        out[key] = report.get(key).cloned().unwrap_or(Value::Null);
    }
    Ok(out)
}

fn write_splits(sets: &[Set], dir: &Path) -> anyhow::Result<()> {
    for set in sets {
        let folder = dir.join(&set.name);
        std::fs::create_dir_all(&folder).with_context(|| format!("cannot create {}", folder.display()))?;
        let meta = json!({ "labels": set.labels, "multi_label": set.multi_label, "protocol": set.protocol });
        std::fs::write(folder.join("meta.json"), serde_json::to_vec_pretty(&meta)?)?;
        for (part, items) in [("train", &set.train), ("dev", &set.dev), ("test", &set.test)] {
            let mut out = String::new();
            for item in items.iter() {
                out.push_str(&json!({ "text": item.text, "labels": item.labels }).to_string());
                out.push('\n');
            }
            std::fs::write(folder.join(format!("{part}.jsonl")), out)?;
        }
    }
    Ok(())
}

pub fn emotion(args: &EmotionArgs) -> anyhow::Result<()> {
    let mut sets = Vec::new();
    if let Some(dir) = &args.goemotions {
        sets.extend(goemotions(dir)?);
    }
    if let Some(dir) = &args.smp2020 {
        sets.extend(smp2020(dir)?);
    }
    if let (Some(train), Some(test)) = (&args.train, &args.test) {
        sets.push(custom(args, train, test)?);
    }
    if !args.sets.is_empty() {
        sets.retain(|s| args.sets.contains(&s.name));
    }
    if sets.is_empty() {
        bail!("nothing to evaluate: give --goemotions DIR, --smp2020 DIR, or --train FILE --test FILE");
    }
    for set in &mut sets {
        set.train.retain(|i| !i.text.trim().is_empty());
        subsample(&mut set.train, args.max_train);
    }
    if let Some(dir) = &args.write_splits {
        write_splits(&sets, dir)?;
        for set in &sets {
            eprintln!("{}: {} train, {} held-out, {} test", set.name, set.train.len(), set.dev.len(), set.test.len());
        }
        return Ok(());
    }

    let encoder = encoder(args)?;
    let (vectors, embed_s, embedded) = match &encoder {
        Some(encoder) => embed_all(&sets, encoder, args.embed_train)?,
        None => (HashMap::new(), 0.0, 0),
    };

    let mut results = Vec::new();
    for set in &sets {
        let mut row = run_seatmate(set, &vectors)?;
        row["protocol"] = set.protocol.clone().into();
        row["sizes"] =
            json!({ "train": set.train.len(), "held_out": set.dev.len(), "test": set.test.len(), "labels": set.labels.len() });
        results.push(row);
    }
    // the peers last: their score files may still be being written while Seatmate trains
    for set in sets.iter().filter(|_| args.peers.is_some()) {
        for peer in ["sklearn", "fasttext"] {
            let path = args.peers.iter().map(|dir| dir.join(&set.name).join(format!("{peer}.scores.json"))).next();
            match path.filter(|p| p.is_file()).map(|p| judge_peer(set, &p)) {
                Some(Ok(row)) => results.push(row),
                Some(Err(error)) => eprintln!("{}: {error:#}", set.name),
                None => eprintln!("{}: no {peer} scores", set.name),
            }
        }
    }
    let report = json!({
        "engine": if encoder.is_some() {
            "seatmate-signals emotion (TF-IDF SVM + multilingual-e5-small SVM, mixed)"
        } else {
            "seatmate-signals emotion (TF-IDF SVM, words only)"
        },
        "metric": "macro-F1 label-based (multi-label: per-label thresholds chosen on held-out data, for every engine); \
                   accuracy = exact match of the label set",
        "encoder": encoder.as_ref().map(|e| json!({
            "model": seatmate_embed::MODEL_NAME,
            "kernel": e.encoder.kernel().name(),
            "texts": vectors.len(),
            "embedded_now": embedded,
            "seconds": embed_s,
            "ms_per_text_embedded": if embedded > 0 { embed_s * 1000.0 / embedded as f64 } else { 0.0 },
        })),
        "results": results,
        "peak_rss_mb": crate::eval::peak_rss_mb(),
    });
    if args.json {
        println!("{report}");
    } else {
        print!("{}", render(&report));
    }
    Ok(())
}

fn render(report: &Value) -> String {
    let mut out = format!("{}\n{}\n\n", report["engine"].as_str().unwrap_or(""), report["metric"].as_str().unwrap_or(""));
    out.push_str(&format!(
        "{:<22} {:<22} {:>9} {:>9} {:>9} {:>10}\n",
        "set", "engine", "macro-F1", "accuracy", "train s", "ms/text"
    ));
    let empty = Vec::new();
    let rows = report["results"].as_array().unwrap_or(&empty);
    let mut sets: Vec<&str> = Vec::new();
    for row in rows {
        let set = row["set"].as_str().unwrap_or("");
        if !sets.contains(&set) {
            sets.push(set);
        }
    }
    for row in sets.iter().flat_map(|set| rows.iter().filter(move |r| r["set"].as_str().unwrap_or("") == *set)) {
        let pct = |k: &str| row[k].as_f64().map_or("-".into(), |v| format!("{:.1}", v * 100.0));
        let num = |k: &str, d: usize| row[k].as_f64().map_or("-".into(), |v| format!("{v:.d$}"));
        out.push_str(&format!(
            "{:<22} {:<22} {:>9} {:>9} {:>9} {:>10}\n",
            row["set"].as_str().unwrap_or(""),
            row["engine"].as_str().unwrap_or(""),
            pct("macro_f1"),
            pct("accuracy"),
            num("train_s", 1),
            num("ms_per_text", 3),
        ));
    }
    out.push('\n');
    for row in report["results"].as_array().unwrap_or(&empty).iter().filter(|r| r.get("protocol").is_some()) {
        out.push_str(&format!(
            "{}: {}; chosen: {}\n",
            row["set"].as_str().unwrap_or(""),
            row["protocol"].as_str().unwrap_or(""),
            row["setting"]
        ));
    }
    if let Some(e) = report.get("encoder").filter(|e| !e.is_null()) {
        out.push_str(&format!(
            "encoder: {} texts ({} embedded now, {:.1} ms each; the rest from the cache), kernel {}\n",
            e["texts"],
            e["embedded_now"],
            e["ms_per_text_embedded"].as_f64().unwrap_or(0.0),
            e["kernel"].as_str().unwrap_or("")
        ));
    }
    out
}
