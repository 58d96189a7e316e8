//! `seatmate eval qa`: how closely Seatmate's dialogue-quality model
//! (`seatmate_quality::dialogue::QualityModel`) predicts what a panel of annotators says about a
//! customer–helpdesk dialogue — the distribution of their A (task accomplishment), S (customer
//! satisfaction) and E (efficiency) scores, and per turn the distribution of their nugget types —
//! on STC-3 DCH-1 (real Weibo dialogues, each judged by the same 19 annotators), beside the
//! organisers' baselines, a trained prior and a lengths-only model, in the same run.
//!
//! Protocol:
//! - Data: `train_data_{cn,en}.json` (the test files carry no annotations), Chinese and English
//!   judged apart (`--lang zh|en` picks one; both by default). A turn is its utterances joined with
//!   newlines; turns with no text (uncrawled emoji, photos) are kept, empty, since every turn has
//!   nugget annotations.
//! - Gold: per dialogue and score, the annotators' counts over the bins 2, 1, 0, −1, −2
//!   normalised; per turn, the counts over its speaker's nugget types (customer CNUG0, CNUG, CNUG*,
//!   CNaN; helpdesk HNUG, HNUG*, HNaN) normalised — `eval.py`'s `_truth2prob`.
//! - Measures, exactly as the organisers' `eval.py` defines them: NMD and RSNOD of A, S and E,
//!   means over dialogues; for nuggets JSD and RNSS, a dialogue's score being the mean over its
//!   customer turns × α + the mean over its helpdesk turns × (1 − α), α = 0.5, then the mean over
//!   dialogues. Lower is better.
//! - 5-fold cross-validation (`--folds`), dialogues shuffled with `--seed` and dealt round the
//!   folds; every scorer is fitted on the four training folds and judged on the held-out one;
//!   mean ± sd over the folds.
//! - Scorers: `uniform` (every bin and type equally likely); `popularity` (the organisers'
//!   baseline: probability 1 on the bin most often the majority bin of a training dialogue, per
//!   score, and on the type most often a training turn's majority, per speaker); `prior` (the mean
//!   training distribution, per score and per speaker); `lengths` (soft-label multinomial logistic
//!   regression over turns, customer and helpdesk turns and characters only; per turn, its
//!   position, rank, the dialogue's turns and characters); `seatmate` (the same regression over
//!   TF-IDF blocks of the whole dialogue, the customer's last turn and the last turn, plus
//!   lengths, structure, who speaks last, cue-word counts and, with `--emotion-model`, the
//!   customer's valence arc; per turn, the words of the turn and, at half weight, of its
//!   neighbours, with its position, lengths and cues — see `seatmate_quality::dialogue`).
//! - Settings: every L2 strength (per score, per speaker) is chosen from {1e-3, 3e-4, 1e-4, 3e-5, 1e-5}
//!   by 3-fold cross-validation inside the four training folds (NMD for a score, JSD for
//!   nuggets), never on the held-out fold; the vocabularies and IDF are fitted on the training
//!   folds. The feature blocks, their fixed weights and the text features were settled while
//!   developing on the Chinese train data (one fold of it), so they are not independent of it.
//! - Reference, printed beside and not measured here: the organisers' BiLSTM on the 390 test
//!   dialogues (another set of dialogues: the figures compare only roughly).
//! - With `--emotion-model FILE` (`seatmate train emotion --out FILE`), each customer turn's
//!   valence from the live emotion model feeds the `seatmate` features.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context as _};
use seatmate_classify::Rng;
use seatmate_quality::dialogue::{
    evaluate, Annotation, Baseline, BaselineModel, Chosen, Dialogue, Figures, FitSettings, Gold, Inputs, Prediction,
    QualityModel, Sender, Turn,
};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, clap::Args)]
pub struct QaArgs {
    /// STC-3 DCH-1 folder (train_data_cn.json, train_data_en.json)
    #[arg(long)]
    stc3: PathBuf,
    /// One language: zh (train_data_cn.json) or en; both by default
    #[arg(long, value_parser = ["zh", "cn", "en"])]
    lang: Option<String>,
    /// Cross-validation folds
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Seed of the fold assignment (and of the inner folds)
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The live emotion model (`seatmate train emotion --out FILE`): its valence of each customer turn joins the features
    #[arg(long)]
    emotion_model: Option<PathBuf>,
    /// Embedding cache file (default: ~/.cache/seatmate/vectors.bin)
    #[arg(long)]
    cache: Option<PathBuf>,
    /// Words only: leave out the `seatmate + e5` scorer, which reads every turn's sentence vector
    #[arg(long)]
    lexical: bool,
    /// Worker threads (0 = all cores)
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Print one JSON object instead of the readable report
    #[arg(long)]
    json: bool,
}

const SCORERS: [&str; 6] = ["uniform", "popularity", "prior", "lengths", "seatmate", "seatmate + e5"];
const MEASURES: [&str; 8] = ["nmd_a", "nmd_s", "nmd_e", "rsnod_a", "rsnod_s", "rsnod_e", "nd_jsd", "nd_rnss"];
/// Sentence vectors by text.
type Vectors = std::collections::HashMap<String, Vec<f32>>;
const REFERENCE_LABEL: &str = "organisers' BiLSTM on the 390 test dialogues, not this run";

/// The organisers' BiLSTM baseline on the test dialogues, per language (`None`: not known here).
/// Its ND figures came without a language and are shown with Chinese.
fn reference(language: &str) -> [Option<f64>; 8] {
    match language {
        "cn" => [Some(0.070), Some(0.063), Some(0.058), Some(0.120), Some(0.110), Some(0.085), Some(0.023), Some(0.078)],
        _ => [Some(0.071), Some(0.060), Some(0.050), None, None, None, None, None],
    }
}

#[derive(Deserialize)]
struct RawDialogue {
    #[serde(default)]
    id: String,
    turns: Vec<RawTurn>,
    #[serde(default)]
    annotations: Vec<RawAnnotation>,
}

#[derive(Deserialize)]
struct RawTurn {
    sender: String,
    #[serde(default)]
    utterances: Vec<String>,
}

#[derive(Deserialize)]
struct RawAnnotation {
    quality: RawQuality,
    #[serde(default)]
    nugget: Vec<String>,
}

#[derive(Deserialize)]
#[allow(non_snake_case)]
struct RawQuality {
    A: f64,
    S: f64,
    E: f64,
}

/// The emotion model and the sentence vector of every customer turn it reads.
struct EmotionReader {
    model: seatmate_signals::EmotionModel,
    vectors: std::collections::HashMap<String, Vec<f32>>,
}

impl EmotionReader {
    fn valence(&self, text: &str) -> f32 {
        let vector = self.vectors.get(text).map(Vec::as_slice).unwrap_or(&[]);
        self.model.predict(text, vector).valence
    }
}

fn score(value: f64, what: &str) -> anyhow::Result<i8> {
    if value.fract() != 0.0 || !(-2.0..=2.0).contains(&value) {
        bail!("{what} score {value} is not an integer in −2..2");
    }
    Ok(value as i8)
}

/// One STC-3 dialogue as the model reads it, and its gold (`None` without annotations).
fn convert(
    raw: RawDialogue,
    emotion: Option<&EmotionReader>,
    vectors: Option<&Vectors>,
) -> anyhow::Result<(Dialogue, Option<Gold>)> {
    let mut turns = Vec::with_capacity(raw.turns.len());
    for turn in &raw.turns {
        let sender = match turn.sender.as_str() {
            "customer" => Sender::Customer,
            "helpdesk" => Sender::Helpdesk,
            other => bail!("dialogue {}: unknown sender {other:?}", raw.id),
        };
        let text = turn_text(turn);
        let valence = match (emotion, sender) {
            (Some(reader), Sender::Customer) if !text.is_empty() => Some(reader.valence(&text)),
            _ => None,
        };
        let vector = vectors.and_then(|v| v.get(&text)).cloned();
        turns.push(Turn { sender, text, utterances: turn.utterances.len(), valence, vector });
    }
    let dialogue = Dialogue { turns };
    if raw.annotations.is_empty() {
        return Ok((dialogue, None));
    }
    let annotations = raw
        .annotations
        .into_iter()
        .map(|a| {
            let q = &a.quality;
            Ok(Annotation { quality: [score(q.A, "A")?, score(q.S, "S")?, score(q.E, "E")?], nuggets: a.nugget })
        })
        .collect::<anyhow::Result<Vec<_>>>()
        .with_context(|| format!("dialogue {}", raw.id))?;
    let gold = Gold::from_annotations(&dialogue, &annotations).with_context(|| format!("dialogue {}", raw.id))?;
    Ok((dialogue, Some(gold)))
}

fn read_raw(dir: &Path, language: &str) -> anyhow::Result<Vec<RawDialogue>> {
    let path = dir.join(format!("train_data_{language}.json"));
    let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("{} is not an STC-3 dialogue file", path.display()))
}

/// A turn's text as the model reads it: its utterances trimmed and joined with newlines.
fn turn_text(turn: &RawTurn) -> String {
    turn.utterances.iter().map(|u| u.trim()).filter(|u| !u.is_empty()).collect::<Vec<_>>().join("\n")
}

/// The sentence vector of every turn with text in the languages' train files (embedded once,
/// cached).
fn sentence_vectors(stc3: &Path, languages: &[&str], cache: Option<PathBuf>) -> anyhow::Result<Vectors> {
    let mut texts = Vec::new();
    for language in languages {
        texts.extend(read_raw(stc3, language)?.iter().flat_map(|d| &d.turns).map(turn_text).filter(|t| !t.is_empty()));
    }
    crate::emotion_train::embed_texts(&texts, cache)
}

/// The annotated dialogues of `train_data_{language}.json`.
fn load(
    dir: &Path,
    language: &str,
    emotion: Option<&EmotionReader>,
    vectors: Option<&Vectors>,
) -> anyhow::Result<(Vec<Dialogue>, Vec<Gold>)> {
    let (mut dialogues, mut gold) = (Vec::new(), Vec::new());
    for d in read_raw(dir, language)? {
        if let (dialogue, Some(g)) = convert(d, emotion, vectors)? {
            dialogues.push(dialogue);
            gold.push(g);
        }
    }
    Ok((dialogues, gold))
}

/// The fold of each dialogue: shuffled (seeded) and dealt round.
fn assign_folds(n: usize, folds: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    Rng::new(seed).shuffle(&mut order);
    let mut fold = vec![0; n];
    for (rank, i) in order.into_iter().enumerate() {
        fold[i] = rank % folds;
    }
    fold
}

fn as_row(f: &Figures) -> [f64; 8] {
    [f.nmd[0], f.nmd[1], f.nmd[2], f.rsnod[0], f.rsnod[1], f.rsnod[2], f.jsd, f.rnss]
}

fn summary(per_fold: &[f64]) -> Value {
    let n = per_fold.len();
    let mean = per_fold.iter().sum::<f64>() / n.max(1) as f64;
    let sd = if n > 1 { (per_fold.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt() } else { f64::NAN };
    let round = |v: f64| if v.is_finite() { json!((v * 100_000.0).round() / 100_000.0) } else { Value::Null };
    json!({ "mean": round(mean), "sd": round(sd), "folds": per_fold.iter().map(|v| round(*v)).collect::<Vec<_>>() })
}

fn chosen_json(chosen: &Chosen) -> Value {
    json!({
        "lambda_a_s_e": chosen.quality_lambda,
        "lambda_customer_nuggets": chosen.customer_lambda,
        "lambda_helpdesk_nuggets": chosen.helpdesk_lambda,
        "dialogue_features": chosen.dialogue_features,
        "turn_features": chosen.turn_features,
    })
}

fn evaluate_language(language: &str, dialogues: &[Dialogue], gold: &[Gold], args: &QaArgs, threads: usize) -> Value {
    let folds = args.folds.max(2);
    let fold = assign_folds(dialogues.len(), folds, args.seed);
    let mut figures: Vec<Vec<[f64; 8]>> = vec![Vec::new(); SCORERS.len()];
    let mut chosen = Vec::new();
    let started = Instant::now();
    for held in 0..folds {
        let pick = |keep: &dyn Fn(usize) -> bool| -> (Vec<&Dialogue>, Vec<&Gold>) {
            (0..dialogues.len()).filter(|&i| keep(fold[i])).map(|i| (&dialogues[i], &gold[i])).unzip()
        };
        let (train_d, train_g) = pick(&|f| f != held);
        let (test_d, test_g) = pick(&|f| f == held);
        let judge = |predict: &dyn Fn(&Dialogue) -> Prediction| {
            let predictions: Vec<Prediction> = test_d.iter().map(|d| predict(d)).collect();
            as_row(&evaluate(&test_d, &test_g, &predictions))
        };
        for (s, kind) in [Baseline::Uniform, Baseline::Popularity, Baseline::Prior].into_iter().enumerate() {
            let model = BaselineModel::fit(kind, &train_d, &train_g);
            figures[s].push(judge(&|d| model.predict(d)));
        }
        let mut fold_chosen = json!({});
        let mut fits = vec![(3, Inputs::Lengths), (4, Inputs::Full)];
        if !args.lexical {
            fits.push((5, Inputs::WithVectors));
        }
        for (s, inputs) in fits {
            let name = SCORERS[s];
            let settings = FitSettings { seed: args.seed ^ (held as u64 + 1), threads, ..FitSettings::new(inputs) };
            let progress = |message: &str| {
                eprintln!("[{language} fold {}/{folds} {name} {:>4.0}s] {message}", held + 1, started.elapsed().as_secs_f64())
            };
            let model = QualityModel::fit(&train_d, &train_g, &settings, &progress);
            figures[s].push(judge(&|d| model.predict(d)));
            fold_chosen[name] = chosen_json(&model.chosen);
            if inputs != Inputs::Lengths {
                fold_chosen[format!("{name} inner_cv")] = json!({
                    "lambdas": settings.lambdas,
                    "nmd_a_s_e": model.chosen.inner_nmd,
                    "jsd_customer_helpdesk": model.chosen.inner_jsd,
                });
            }
        }
        for s in 4..SCORERS.len() {
            let Some(row) = figures[s].get(held) else { continue };
            eprintln!(
                "[{language} fold {}/{folds} {:>4.0}s] {} NMD A/S/E {:.4}/{:.4}/{:.4}, ND JSD {:.4}",
                held + 1,
                started.elapsed().as_secs_f64(),
                SCORERS[s],
                row[0],
                row[1],
                row[2],
                row[6]
            );
        }
        chosen.push(fold_chosen);
    }
    let mut scorers = json!({});
    for (s, scorer) in SCORERS.iter().enumerate() {
        if figures[s].is_empty() {
            continue;
        }
        let mut out = json!({});
        for (m, measure) in MEASURES.iter().enumerate() {
            out[*measure] = summary(&figures[s].iter().map(|r| r[m]).collect::<Vec<_>>());
        }
        scorers[*scorer] = out;
    }
    let reference: serde_json::Map<String, Value> =
        MEASURES.iter().zip(reference(language)).map(|(m, v)| (m.to_string(), json!(v))).collect();
    json!({
        "language": language,
        "file": format!("train_data_{language}.json"),
        "n": dialogues.len(),
        "turns": dialogues.iter().map(|d| d.turns.len()).sum::<usize>(),
        "folds": folds,
        "scorers": scorers,
        "chosen_per_fold": chosen,
        "reference": { "label": REFERENCE_LABEL, "figures": reference },
        "seconds": (started.elapsed().as_secs_f64() * 10.0).round() / 10.0,
    })
}

/// The emotion model in `path`, with the sentence vectors of every customer turn of the train
/// files when the model reads them (embedded once, cached).
fn emotion_reader(stc3: &Path, path: &Path, languages: &[&str], cache: Option<PathBuf>) -> anyhow::Result<EmotionReader> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let model = seatmate_signals::EmotionModel::from_bytes(&bytes)
        .with_context(|| format!("{} is not an emotion model", path.display()))?;
    let mut vectors = std::collections::HashMap::new();
    if model.vector_dim().is_some() {
        let mut texts = Vec::new();
        for language in languages {
            texts.extend(
                read_raw(stc3, language)?
                    .iter()
                    .flat_map(|d| &d.turns)
                    .filter(|t| t.sender == "customer")
                    .map(turn_text)
                    .filter(|t| !t.is_empty()),
            );
        }
        vectors = crate::emotion_train::embed_texts(&texts, cache)?;
    }
    Ok(EmotionReader { model, vectors })
}

/// The whole evaluation as one JSON object.
fn run(args: &QaArgs) -> anyhow::Result<Value> {
    let languages: Vec<&str> = match args.lang.as_deref() {
        Some("zh" | "cn") => vec!["cn"],
        Some(_) => vec!["en"],
        None => vec!["cn", "en"],
    };
    let threads = if args.threads == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { args.threads };
    let emotion =
        args.emotion_model.as_deref().map(|path| emotion_reader(&args.stc3, path, &languages, args.cache.clone())).transpose()?;
    let vectors = (!args.lexical).then(|| sentence_vectors(&args.stc3, &languages, args.cache.clone())).transpose()?;
    let started = Instant::now();
    let mut out = Vec::new();
    for language in &languages {
        let (dialogues, gold) = load(&args.stc3, language, emotion.as_ref(), vectors.as_ref())?;
        if dialogues.len() < args.folds.max(2) {
            bail!(
                "train_data_{language}.json in {} has {} annotated dialogues: too few to cross-validate",
                args.stc3.display(),
                dialogues.len()
            );
        }
        eprintln!("[{language}] {} annotated dialogues; {}-fold cross-validation", dialogues.len(), args.folds.max(2));
        out.push(evaluate_language(language, &dialogues, &gold, args, threads));
    }
    Ok(json!({
        "data": args.stc3.display().to_string(),
        "protocol": format!(
            "{}-fold cross-validation on each language's train file (seed {}), mean ± sd over held-out folds; \
             L2 strengths chosen by 3-fold cross-validation inside the training folds",
            args.folds.max(2),
            args.seed
        ),
        "measures": "eval.py's NMD and RSNOD of A, S, E and, for nuggets, JSD and RNSS (customer turns weighted α = 0.5), \
                     means over dialogues; lower is better",
        "scorers": {
            "uniform": "every bin and nugget type equally likely",
            "popularity": "the organisers' baseline: one-hot on the training folds' most frequent majority bin (per score) \
                           and majority nugget type (per speaker)",
            "prior": "the mean training distribution, per score and per speaker",
            "lengths": "soft-label multinomial logistic regression over turn counts and characters only",
            "seatmate": "seatmate_quality::dialogue::QualityModel: soft-label multinomial logistic regression over TF-IDF \
                         blocks (whole dialogue, customer's last turn, last turn), lengths, structure and cue words; \
                         per-turn nugget regressions over the turn's and its neighbours' words, position, lengths and cues",
            "seatmate + e5": "the same, with the multilingual-e5 sentence vectors of the customer's turns (mean), the \
                              customer's last turn and the last turn; per turn, its own and its neighbours' (left out with --lexical)",
        },
        "emotion_model": args.emotion_model.as_ref().map(|p| p.display().to_string()),
        "threads": threads,
        "seconds": (started.elapsed().as_secs_f64() * 10.0).round() / 10.0,
        "languages": out,
    }))
}

pub fn qa(args: &QaArgs) -> anyhow::Result<()> {
    let report = run(args)?;
    if args.json {
        println!("{report}");
    } else {
        print!("{}", render(&report));
    }
    Ok(())
}

fn render(report: &Value) -> String {
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let mut out = format!(
        "dialogue quality and nuggets on STC-3 DCH-1 ({})\nprotocol: {}\nmeasures: {}\n",
        text(&report["data"]),
        text(&report["protocol"]),
        text(&report["measures"]),
    );
    let headers = ["NMD-A", "NMD-S", "NMD-E", "RSNOD-A", "RSNOD-S", "RSNOD-E", "ND-JSD", "ND-RNSS"];
    let empty = Vec::new();
    for language in report["languages"].as_array().unwrap_or(&empty) {
        out.push_str(&format!(
            "\n{}: {}, {} dialogues, {} turns, {} folds ({} s)\n",
            text(&language["language"]),
            text(&language["file"]),
            language["n"],
            language["turns"],
            language["folds"],
            language["seconds"],
        ));
        out.push_str(&format!("{:<14}", "scorer"));
        for h in headers {
            out.push_str(&format!(" {h:>15}"));
        }
        out.push('\n');
        for scorer in SCORERS.iter().filter(|s| !language["scorers"][**s].is_null()) {
            out.push_str(&format!("{scorer:<14}"));
            for measure in MEASURES {
                let cell = &language["scorers"][scorer][measure];
                let cell = match (cell["mean"].as_f64(), cell["sd"].as_f64()) {
                    (Some(m), Some(s)) => format!("{m:.4} ± {s:.4}"),
                    (Some(m), None) => format!("{m:.4}"),
                    _ => "-".into(),
                };
                out.push_str(&format!(" {cell:>15}"));
            }
            out.push('\n');
        }
        out.push_str(&format!("{:<14}", "BiLSTM*"));
        for measure in MEASURES {
            let cell = language["reference"]["figures"][measure].as_f64().map_or("-".into(), |v| format!("{v:.3}"));
            out.push_str(&format!(" {cell:>15}"));
        }
        out.push_str(&format!("\n* {}\n", text(&language["reference"]["label"])));
        for (f, chosen) in language["chosen_per_fold"].as_array().unwrap_or(&empty).iter().enumerate() {
            let s = &chosen["seatmate"];
            out.push_str(&format!(
                "fold {}: seatmate λ A/S/E {}, customer {}, helpdesk {}; {} dialogue and {} turn features\n",
                f + 1,
                s["lambda_a_s_e"],
                s["lambda_customer_nuggets"],
                s["lambda_helpdesk_nuggets"],
                s["dialogue_features"],
                s["turn_features"],
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dialogue(id: usize, turns: &[(&str, &str)], scores: &[[i32; 3]]) -> Value {
        json!({
            "id": id.to_string(),
            "turns": turns.iter().map(|(sender, text)| json!({ "sender": sender, "utterances": [text] })).collect::<Vec<_>>(),
            "annotations": scores.iter().map(|[a, s, e]| json!({
                "quality": { "A": a, "S": s, "E": e },
                "nugget": turns.iter().map(|(sender, _)| if *sender == "customer" { "CNUG0" } else { "HNUG" }).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }

    #[test]
    fn an_stc3_folder_is_scored_per_language_and_scorer() {
        let dir = tempfile::tempdir().unwrap();
        for (language, happy, angry) in
            [("cn", "好了，谢谢", "还是不行，我要投诉"), ("en", "Fixed, thanks", "Still broken, I will complain")]
        {
            let dialogues: Vec<Value> = (0..30)
                .map(|i| {
                    let (last, scores) =
                        if i % 2 == 0 { (happy, [[2, 2, 1], [1, 2, 1]]) } else { (angry, [[-2, -2, -1], [-1, -2, -2]]) };
                    dialogue(i, &[("customer", "网络有问题"), ("helpdesk", "请重启"), ("customer", last)], &scores)
                })
                .collect();
            std::fs::write(dir.path().join(format!("train_data_{language}.json")), Value::Array(dialogues).to_string()).unwrap();
        }
        let args = QaArgs {
            stc3: dir.path().to_path_buf(),
            lang: None,
            folds: 3,
            seed: 42,
            emotion_model: None,
            cache: None,
            lexical: true,
            threads: 2,
            json: true,
        };
        let report = run(&args).unwrap();
        let languages = report["languages"].as_array().unwrap();
        assert_eq!(languages.len(), 2);
        for language in languages {
            assert_eq!(language["n"], 30);
            let nmd = |scorer: &str| language["scorers"][scorer]["nmd_a"]["mean"].as_f64().unwrap();
            // the last turn tells the two kinds apart; the prior (bimodal here) is about as bad as uniform
            assert!(nmd("seatmate") < 0.5 * nmd("prior") && nmd("seatmate") < 0.5 * nmd("uniform"), "{language}");
            assert_eq!(language["scorers"]["seatmate"]["nd_jsd"]["folds"].as_array().unwrap().len(), 3);
            assert_eq!(language["scorers"]["popularity"]["nd_jsd"]["mean"].as_f64(), Some(0.0), "every turn is unanimous");
            assert!(language["scorers"]["seatmate + e5"].is_null(), "--lexical leaves the vectors out");
        }
        let rendered = render(&report);
        assert!(rendered.contains("seatmate") && rendered.contains(REFERENCE_LABEL));

        let only = run(&QaArgs { lang: Some("zh".into()), ..args }).unwrap();
        assert_eq!(only["languages"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn a_folder_without_train_files_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let args = QaArgs {
            stc3: dir.path().to_path_buf(),
            lang: Some("en".into()),
            folds: 5,
            seed: 42,
            emotion_model: None,
            cache: None,
            lexical: true,
            threads: 1,
            json: false,
        };
        assert!(run(&args).unwrap_err().to_string().contains("train_data_en.json"));
    }
}
