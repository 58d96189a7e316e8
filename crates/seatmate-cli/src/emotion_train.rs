//! `seatmate train emotion`: the emotion model the live pipeline runs on every customer turn,
//! trained by Seatmate on real data: GoEmotions (English, Ekman labels) and SMP2020-EWECT
//! (Chinese Weibo) in one label set — anger, disgust, fear, joy, neutral, sadness, surprise (SMP's
//! angry, happy and sad are read as anger, joy and sadness; it has no disgust). GoEmotions texts
//! with several labels are left out (the live model gives one label per turn).
//!
//! Train: GoEmotions train, SMP virus_train, virus_eval and three quarters of usual_eval (stratified,
//! seed 42); the settings are chosen on GoEmotions dev and the other quarter of usual_eval. The test
//! files are never used. The model is saved in the store as the active `emotion` model.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use seatmate_core::Clock as _;
use seatmate_embed::Role;
use seatmate_server::SystemClock;
use seatmate_signals::{EmotionConfig, EmotionModel, Example};
use seatmate_store::{ModelRecord, Store};

use crate::emotion_eval::{goemotions, smp2020, Item, Set};

/// The kind of the emotion model in the store.
pub const EMOTION_MODEL: &str = seatmate_live::EMOTION_MODEL;

const LABELS: &[&str] = &["anger", "disgust", "fear", "joy", "neutral", "sadness", "surprise"];

#[derive(Debug, clap::Args)]
pub struct TrainEmotionArgs {
    /// GoEmotions folder (ekman/ with train.tsv, dev.tsv and labels.txt)
    #[arg(long)]
    goemotions: PathBuf,
    /// SMP2020-EWECT folder (raw/virus_train.txt, raw/virus_eval_labeled.txt, raw/usual_eval_labeled.txt)
    #[arg(long)]
    smp2020: PathBuf,
    /// Words only: no sentence encoder (faster to train and to run; lower figures)
    #[arg(long)]
    lexical: bool,
    /// Embedding cache file (default: ~/.cache/seatmate/vectors.bin, shared with the eval commands)
    #[arg(long)]
    cache: Option<PathBuf>,
    /// Also write the model to this file (for `seatmate eval risk --emotion-model`)
    #[arg(long)]
    out: Option<PathBuf>,
}

/// `set`'s single-label texts with their labels renamed into [`LABELS`].
fn relabelled(set: &Set, items: &[Item]) -> anyhow::Result<Vec<Item>> {
    fn rename(label: &str) -> &str {
        match label {
            "angry" => "anger",
            "happy" => "joy",
            "sad" => "sadness",
            other => other,
        }
    }
    let mut out = Vec::new();
    for item in items.iter().filter(|i| i.labels.len() == 1) {
        let name = rename(&set.labels[item.labels[0]]);
        let label = LABELS.iter().position(|l| *l == name).with_context(|| format!("{}: unknown label {name:?}", set.name))?;
        out.push(Item { text: item.text.clone(), labels: vec![label] });
    }
    Ok(out)
}

pub async fn train(store: Arc<dyn Store>, args: &TrainEmotionArgs) -> anyhow::Result<()> {
    let english = goemotions(&args.goemotions)?.into_iter().find(|s| s.name == "goemotions-ekman").context("no Ekman set")?;
    let chinese = smp2020(&args.smp2020)?.into_iter().find(|s| s.name == "smp2020-usual").context("no SMP usual set")?;
    let (mut train, mut held_out) = (Vec::new(), Vec::new());
    for set in [&english, &chinese] {
        train.extend(relabelled(set, &set.train)?);
        held_out.extend(relabelled(set, &set.dev)?);
    }
    eprintln!("emotion: {} training texts, {} held out (GoEmotions Ekman + SMP2020-EWECT)", train.len(), held_out.len());
    let lexical = args.lexical;
    let cache = args.cache.clone();
    let (model, seconds) = tokio::task::spawn_blocking(move || -> anyhow::Result<(EmotionModel, f64)> {
        let started = std::time::Instant::now();
        let vectors = if lexical {
            HashMap::new()
        } else {
            let texts: Vec<String> = held_out.iter().chain(&train).map(|i| i.text.clone()).collect();
            embed_texts(&texts, cache)?
        };
        let labels: Vec<String> = LABELS.iter().map(|l| l.to_string()).collect();
        let (train, held_out) = (examples(&train, &vectors), examples(&held_out, &vectors));
        let model = EmotionModel::train(&labels, &train, &held_out, &EmotionConfig::default())?;
        Ok((model, started.elapsed().as_secs_f64()))
    })
    .await??;
    let chosen = model.chosen().clone();
    let version = store.list_models(EMOTION_MODEL).await?.iter().map(|m| m.version).max().unwrap_or(0) + 1;
    let record = ModelRecord {
        id: format!("{EMOTION_MODEL}-v{version}"),
        kind: EMOTION_MODEL.into(),
        version,
        created_at: SystemClock.now_millis(),
        created_by: "cli".into(),
        examples: chosen.held_out_examples as i64,
        metrics: serde_json::to_value(&chosen)?,
        active: true,
        bytes: 0,
        activated_at: None,
    };
    let bytes = model.to_bytes();
    store.save_model(&record, &bytes).await?;
    if let Some(path) = &args.out {
        std::fs::write(path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    println!(
        "emotion model v{version}: held-out macro-F1 {:.1} ({}; words alone {:.1}), trained in {seconds:.0} s; \
         the live pipeline uses it from the next start",
        chosen.held_out_f1 * 100.0,
        if model.vector_dim().is_some() { "words + meaning" } else { "words only" },
        chosen.held_out_f1_words * 100.0,
    );
    Ok(())
}

fn examples<'a>(items: &'a [Item], vectors: &'a HashMap<String, Vec<f32>>) -> Vec<Example<'a>> {
    let vector = |text: &str| vectors.get(text).map(Vec::as_slice).unwrap_or(&[]);
    items.iter().map(|i| Example { text: &i.text, vector: vector(&i.text), labels: &i.labels }).collect()
}

/// Sentence vectors of every text, each distinct text embedded once (or read from the cache).
pub(crate) fn embed_texts(texts: &[String], cache: Option<PathBuf>) -> anyhow::Result<HashMap<String, Vec<f32>>> {
    let encoder = crate::emotion_eval::cached_encoder(cache)
        .context("no sentence encoder: run `cargo xtask fetch-model`, or pass --lexical")?;
    let mut seen = std::collections::HashSet::new();
    let texts: Vec<&str> = texts.iter().map(String::as_str).filter(|t| seen.insert(*t)).collect();
    let bar = crate::import::bar(texts.len() as u64, "texts");
    bar.set_message("embedding (e5, cached after the first run)");
    let vectors = encoder.embed_many(&texts, Role::Query, &mut |done| bar.set_position(done as u64))?;
    bar.finish_and_clear();
    Ok(texts.iter().map(|t| t.to_string()).zip(vectors).collect())
}
