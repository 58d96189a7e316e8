//! `seatmate eval classify`: loads labelled texts from a data set's files, trains and evaluates the
//! classifier with `seatmate-classify`, and prints the figures (readable, or one JSON object).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use seatmate_classify::{EvalReport, Example, TrainConfig};

/// The shapes labelled data sets come in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DataFormat {
    /// CSV with a header; quoted fields may span lines
    Csv,
    /// One JSON object per line
    Jsonl,
    /// CLINC150's data_full.json (train/val/test plus oos_* lists of [text, label])
    Clinc,
    /// A folder with `seq.in` (one text a line) and `label` (one label a line)
    Seqin,
}

impl DataFormat {
    /// Guesses the format from a path: a folder is `seq.in`/`label`, else the extension.
    pub fn from_path(path: &Path) -> Option<DataFormat> {
        if path.is_dir() {
            return Some(DataFormat::Seqin);
        }
        let name = path.file_name()?.to_str()?.to_lowercase();
        Some(match name.rsplit('.').next()? {
            "csv" => DataFormat::Csv,
            "jsonl" | "ndjson" => DataFormat::Jsonl,
            "json" => DataFormat::Clinc,
            _ => return None,
        })
    }
}

/// Which part of the data set a file is loaded as (matters for CLINC150's single file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    Train,
    Val,
    Test,
}

/// Column (CSV) or key (JSONL) names.
#[derive(Clone, Debug)]
pub struct Columns {
    pub text: String,
    pub label: String,
}

#[derive(Debug, clap::Args)]
pub struct ClassifyArgs {
    /// Training data
    #[arg(long)]
    train: PathBuf,
    /// Test data
    #[arg(long)]
    test: PathBuf,
    /// Validation data (out-of-scope threshold)
    #[arg(long)]
    val: Option<PathBuf>,
    /// The format (default: from the extension; a folder is seqin)
    #[arg(long, value_enum)]
    format: Option<DataFormat>,
    /// CSV column / JSONL key with the text
    #[arg(long, default_value = "text")]
    text_column: String,
    /// CSV column / JSONL key with the label (default: category for CSV, label for JSONL)
    #[arg(long)]
    label_column: Option<String>,
    /// The label of out-of-scope examples (default: oos for clinc, none otherwise)
    #[arg(long)]
    oos_label: Option<String>,
    /// Print one JSON object instead of the readable report
    #[arg(long)]
    json: bool,
    /// SVM regularisation
    #[arg(long)]
    c: Option<f32>,
    /// Training epochs
    #[arg(long)]
    epochs: Option<usize>,
    /// Add the meaning block: multilingual-e5 sentence vectors beside the words (the model file
    /// from `cargo xtask fetch-model`; vectors cached by text)
    #[arg(long)]
    meaning: bool,
    /// Embedding cache file (default: ~/.cache/seatmate/vectors.bin, shared with the other evals)
    #[arg(long)]
    cache: Option<PathBuf>,
}

/// Every distinct text's sentence vector (read from the cache, or embedded with a progress bar);
/// the seconds spent and how many texts were embedded rather than read.
fn embed_texts(
    sets: &[&[Example]],
    cache: Option<PathBuf>,
) -> anyhow::Result<(std::collections::HashMap<String, Vec<f32>>, f64, usize)> {
    let encoder = crate::emotion_eval::cached_encoder(cache)?;
    let mut seen = std::collections::HashSet::new();
    let texts: Vec<&str> = sets.iter().flat_map(|set| set.iter().map(|e| e.text.as_str())).filter(|t| seen.insert(*t)).collect();
    crate::emotion_eval::embed_distinct(&encoder, &texts)
}

pub fn classify(args: &ClassifyArgs) -> anyhow::Result<()> {
    let format = match args.format {
        Some(format) => format,
        None => DataFormat::from_path(&args.train)
            .with_context(|| format!("cannot tell the format of {}: give --format", args.train.display()))?,
    };
    let default_label = if format == DataFormat::Jsonl { "label" } else { "category" };
    let columns = Columns { text: args.text_column.clone(), label: args.label_column.clone().unwrap_or(default_label.into()) };
    let oos_label = args.oos_label.clone().or((format == DataFormat::Clinc).then(|| "oos".to_string()));
    let oos = oos_label.as_deref().unwrap_or("oos");
    let train = load(&args.train, format, Split::Train, &columns, oos)?;
    let test = load(&args.test, format, Split::Test, &columns, oos)?;
    let val = args.val.as_ref().map(|path| load(path, format, Split::Val, &columns, oos)).transpose()?;
    let mut config = TrainConfig::default();
    config.c = args.c.unwrap_or(config.c);
    config.epochs = args.epochs.unwrap_or(config.epochs);
    let embedded = if args.meaning {
        let mut sets: Vec<&[Example]> = vec![&train, &test];
        sets.extend(val.as_deref());
        Some(embed_texts(&sets, args.cache.clone())?)
    } else {
        None
    };
    let vectors = embedded.as_ref().map(|(v, _, _)| v);
    let report = seatmate_classify::evaluate(&train, val.as_deref(), &test, oos_label.as_deref(), &config, vectors)
        .map_err(|e| anyhow::anyhow!("evaluation failed: {e}"))?;
    let peak = peak_rss_mb();
    let dataset = args.train.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if args.json {
        let mut value = serde_json::to_value(&report)?;
        if let Some(object) = value.as_object_mut() {
            object.insert("peak_rss_mb".into(), serde_json::json!(peak));
            object.insert("dataset".into(), dataset.into());
            object.insert("engine".into(), if args.meaning { "seatmate+e5" } else { "seatmate" }.into());
            if let Some((_, seconds, embedded)) = &embedded {
                object.insert("encode_seconds".into(), serde_json::json!(seconds));
                object.insert("texts_embedded".into(), serde_json::json!(embedded));
            }
        }
        println!("{value}");
    } else {
        print!("{}", render(&report, &dataset, peak));
        if let Some((vectors, seconds, embedded)) = &embedded {
            println!(
                "sentence vectors: {} texts, {embedded} embedded now in {seconds:.1} s (the rest from the cache)",
                vectors.len()
            );
        }
    }
    Ok(())
}

/// Reads one file (or seq.in folder) as examples of `split`.
pub fn load(path: &Path, format: DataFormat, split: Split, columns: &Columns, oos_label: &str) -> anyhow::Result<Vec<Example>> {
    let read = |path: &Path| std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()));
    let name = path.display().to_string();
    let examples = match format {
        DataFormat::Csv => parse_csv(&read(path)?, &name, columns)?,
        DataFormat::Jsonl => parse_jsonl(&read(path)?, &name, columns)?,
        DataFormat::Clinc => parse_clinc(&read(path)?, &name, split, oos_label)?,
        DataFormat::Seqin => {
            let (texts, labels) = (path.join("seq.in"), path.join("label"));
            parse_seqin(&read(&texts)?, &read(&labels)?, &texts.display().to_string())?
        }
    };
    if examples.is_empty() {
        bail!("{name}: no examples");
    }
    Ok(examples)
}

/// CSV with a header naming the text and label columns.
pub fn parse_csv(content: &str, file: &str, columns: &Columns) -> anyhow::Result<Vec<Example>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(content.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().with_context(|| format!("{file} line 1: cannot read the header"))?.clone();
    let find = |column: &str| {
        header.iter().position(|h| h.trim() == column).with_context(|| format!("{file} line 1: no column {column:?}"))
    };
    let (text_at, label_at) = (find(&columns.text)?, find(&columns.label)?);
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.with_context(|| format!("{file}: bad CSV"))?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |at: usize, column: &str| record.get(at).with_context(|| format!("{file} line {line}: no field {column:?}"));
        let (text, label) = (field(text_at, &columns.text)?, field(label_at, &columns.label)?);
        if label.trim().is_empty() {
            bail!("{file} line {line}: empty label in {:?}", columns.label);
        }
        out.push(Example { text: text.to_string(), label: label.trim().to_string() });
    }
    Ok(out)
}

/// One JSON object a line; the label may be a string or a number.
pub fn parse_jsonl(content: &str, file: &str, columns: &Columns) -> anyhow::Result<Vec<Example>> {
    let mut out = Vec::new();
    for (i, line) in content.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let at = i + 1;
        let value: serde_json::Value = serde_json::from_str(line).with_context(|| format!("{file} line {at}: bad JSON"))?;
        let get = |key: &str| match value.get(key) {
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            Some(serde_json::Value::Number(n)) => Ok(n.to_string()),
            _ => Err(anyhow::anyhow!("{file} line {at}: no string field {key:?}")),
        };
        out.push(Example { text: get(&columns.text)?, label: get(&columns.label)? });
    }
    Ok(out)
}

/// CLINC150's data_full.json: `train` for training; `val`/`test` plus `oos_val`/`oos_test`,
/// the out-of-scope ones labelled `oos_label`.
pub fn parse_clinc(content: &str, file: &str, split: Split, oos_label: &str) -> anyhow::Result<Vec<Example>> {
    let data: BTreeMap<String, Vec<(String, String)>> =
        serde_json::from_str(content).with_context(|| format!("{file}: not a CLINC150 data_full.json"))?;
    let (main, oos) = match split {
        Split::Train => ("train", None),
        Split::Val => ("val", Some("oos_val")),
        Split::Test => ("test", Some("oos_test")),
    };
    let list = |key: &str| data.get(key).with_context(|| format!("{file}: no {key:?} list"));
    let mut out: Vec<Example> =
        list(main)?.iter().map(|(text, label)| Example { text: text.clone(), label: label.clone() }).collect();
    if let Some(key) = oos {
        out.extend(list(key)?.iter().map(|(text, _)| Example { text: text.clone(), label: oos_label.to_string() }));
    }
    Ok(out)
}

/// Parallel `seq.in` and `label` files, one example a line.
pub fn parse_seqin(texts: &str, labels: &str, file: &str) -> anyhow::Result<Vec<Example>> {
    let (texts, labels): (Vec<&str>, Vec<&str>) = (texts.lines().collect(), labels.lines().collect());
    if texts.len() != labels.len() {
        bail!("{file}: {} texts but {} labels", texts.len(), labels.len());
    }
    texts
        .iter()
        .zip(&labels)
        .enumerate()
        .map(|(i, (text, label))| {
            if label.trim().is_empty() {
                bail!("{file} line {}: empty label", i + 1);
            }
            Ok(Example { text: text.to_string(), label: label.trim().to_string() })
        })
        .collect()
}

/// Peak resident memory of this process in MB (VmHWM; Linux only).
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

/// The readable report.
pub fn render(r: &EvalReport, dataset: &str, peak_mb: Option<f64>) -> String {
    let mut out = format!("dataset       {dataset} ({} train, {} test, {} classes)\n", r.n_train, r.n_test, r.n_classes);
    out += &format!("accuracy      {}\nmacro-F1      {}\n", pct(r.accuracy), pct(r.macro_f1));
    out += &format!("top-1/3/5     {} / {} / {}\n", pct(r.top1), pct(r.top3), pct(r.top5));
    for (i, a) in r.auto_accept.iter().enumerate() {
        let head = if i == 0 { "auto-accept" } else { "" };
        let threshold = a.threshold.map_or("none reached".to_string(), |t| format!("threshold {t:.3}"));
        out += &format!(
            "{head:<13} at {:.0}% precision: {} of tickets, test precision {} ({threshold})\n",
            a.target_precision * 100.0,
            pct(a.share),
            pct(a.precision)
        );
    }
    if let Some(oos) = &r.oos {
        out += &format!(
            "out-of-scope  recall {}, in-scope accuracy {} (threshold {:.3})\n",
            pct(oos.recall),
            pct(oos.in_scope_accuracy),
            oos.threshold
        );
    }
    if let Some(d) = &r.dense {
        out += &format!(
            "meaning block C {}, weight {}; out of fold: words {}, vectors {}, mix {}\n",
            d.c,
            d.weight,
            pct(d.accuracy_words),
            pct(d.accuracy_vectors),
            pct(d.accuracy_mixed)
        );
    }
    out += &format!(
        "training      {:.1} s\npredict       p50 {:.3} ms, p99 {:.3} ms\n",
        r.train_seconds, r.predict_p50_ms, r.predict_p99_ms
    );
    out += &format!("peak memory   {}\n", peak_mb.map_or("n/a".to_string(), |mb| format!("{mb:.0} MB")));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn columns(text: &str, label: &str) -> Columns {
        Columns { text: text.into(), label: label.into() }
    }

    fn ex(text: &str, label: &str) -> Example {
        Example { text: text.into(), label: label.into() }
    }

    #[test]
    fn csv_with_multiline_quoted_fields() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("train.csv");
        std::fs::write(&path, "text,category\n\"two\nlines, and a comma\",card_arrival\nplain,top_up\n").unwrap();
        assert_eq!(DataFormat::from_path(&path), Some(DataFormat::Csv));
        let got = load(&path, DataFormat::Csv, Split::Train, &columns("text", "category"), "oos").unwrap();
        assert_eq!(got, vec![ex("two\nlines, and a comma", "card_arrival"), ex("plain", "top_up")]);
    }

    #[test]
    fn csv_missing_column_names_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "text,label\nhello,a\n").unwrap();
        let error = load(&path, DataFormat::Csv, Split::Train, &columns("text", "category"), "oos").unwrap_err();
        let message = format!("{error:#}");
        assert!(message.contains("\"category\"") && message.contains("t.csv") && message.contains("line 1"), "{message}");
    }

    #[test]
    fn csv_short_row_names_the_line() {
        let error = parse_csv("text,category\na,b\nonly\n", "x.csv", &columns("text", "category")).unwrap_err();
        assert!(format!("{error:#}").contains("x.csv line 3"), "{error:#}");
    }

    #[test]
    fn jsonl_with_string_and_number_labels() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.jsonl");
        std::fs::write(&path, "{\"text\":\"hi\",\"label\":\"greet\"}\n\n{\"text\":\"bye\",\"label\":3}\n").unwrap();
        assert_eq!(DataFormat::from_path(&path), Some(DataFormat::Jsonl));
        let got = load(&path, DataFormat::Jsonl, Split::Train, &columns("text", "label"), "oos").unwrap();
        assert_eq!(got, vec![ex("hi", "greet"), ex("bye", "3")]);
        let error = parse_jsonl("{\"text\":\"x\"}\n", "d.jsonl", &columns("text", "label")).unwrap_err();
        assert!(error.to_string().contains("d.jsonl line 1") && error.to_string().contains("\"label\""), "{error}");
    }

    #[test]
    fn clinc_splits_and_oos() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data_full.json");
        let json = r#"{"train":[["a","x"]],"val":[["b","y"]],"test":[["c","x"]],
            "oos_train":[["o1","oos"]],"oos_val":[["o2","oos"]],"oos_test":[["o3","oos"]]}"#;
        std::fs::write(&path, json).unwrap();
        assert_eq!(DataFormat::from_path(&path), Some(DataFormat::Clinc));
        let cols = columns("text", "category");
        assert_eq!(load(&path, DataFormat::Clinc, Split::Train, &cols, "oos").unwrap(), vec![ex("a", "x")]);
        assert_eq!(load(&path, DataFormat::Clinc, Split::Val, &cols, "none").unwrap(), vec![ex("b", "y"), ex("o2", "none")]);
        assert_eq!(load(&path, DataFormat::Clinc, Split::Test, &cols, "oos").unwrap(), vec![ex("c", "x"), ex("o3", "oos")]);
    }

    #[test]
    fn seqin_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("seq.in"), "first text\nsecond text\n").unwrap();
        std::fs::write(dir.path().join("label"), "a\nb\n").unwrap();
        assert_eq!(DataFormat::from_path(dir.path()), Some(DataFormat::Seqin));
        let got = load(dir.path(), DataFormat::Seqin, Split::Train, &columns("text", "category"), "oos").unwrap();
        assert_eq!(got, vec![ex("first text", "a"), ex("second text", "b")]);
        std::fs::write(dir.path().join("label"), "a\n").unwrap();
        let error = load(dir.path(), DataFormat::Seqin, Split::Train, &columns("text", "category"), "oos").unwrap_err();
        assert!(error.to_string().contains("2 texts but 1 labels"), "{error}");
    }

    #[test]
    fn report_renders_without_optional_parts() {
        let text = render(&EvalReport { accuracy: 0.9, ..Default::default() }, "train.csv", None);
        assert!(text.contains("accuracy      90.00%") && text.contains("peak memory   n/a"), "{text}");
    }
}
