//! `seatmate eval inspect-speed`: how fast quality inspection runs — the engine alone, and the
//! service end to end through the store, first over a history and again after a scorecard change.
//! Synthetic data: the figures are about time, not about the verdicts.
//!
//! Protocol:
//! - Conversations: the 300 demo conversations (`demo/conversations.jsonl`) replicated to N, each
//!   copy with its own external id (`QA-0000001`…, source `bench-qa`), id (`record_id`, as an
//!   import makes it), agent (one of 200) and start time (one a minute from 2026-01-01), turns and
//!   durations as in the demo (12.8 turns on average; 261 Chinese, 24 English, 15 without a
//!   language). No tickets, no emotion model: the ticket and emotion items do not apply, as in a
//!   fresh workspace.
//! - Engine: the starter pack (`seatmate_quality::starter_pack()`, both scorecards) compiled once;
//!   every conversation inspected by both, as the service does (a scorecard whose `applies` does
//!   not cover the conversation still answers "does not apply"). The N conversations are in memory
//!   before the clock starts; split in equal contiguous shares over 1 and over 2 threads
//!   (`std::thread::scope`). conversations/s = N / wall time; inspections/s counts both scorecards.
//! - Meaning: a copy of the starter pack with a `meaning` item in each scorecard (the agent states
//!   when the customer will hear back; two example sentences each, the default similarity of 0.9). On the first `--meaning-sample`
//!   conversations (the distinct demo ones) each conversation's turns are encoded in one
//!   `embed_batch` (e5, `Role::Query`, on the encoder's own thread team) and then inspected by both
//!   scorecards, one conversation after the other; the time covers encoding and inspection, and
//!   the encoding share is shown. Skipped, saying why, when the model file is absent.
//! - Service and store: a fresh store (a SQLite file in a new temporary folder, removed after;
//!   or `--database URL`, which must hold no conversation and no scorecard); the N conversations
//!   imported with `import_conversations`, 1,000 per call; the starter pack installed
//!   (`Inspector::install_starter_pack`); the first inspection of the history timed from
//!   `catch_up` of both scorecards until both batches are `finished`; then a new version of the
//!   Chinese scorecard (one phrase more) saved and published (`Inspector::publish`, which starts
//!   its batch) and timed until that batch is finished — every conversation is inspected by the
//!   new version. Each stored inspection is counted after; the size on disk is the SQLite file
//!   with its WAL (PostgreSQL: `cargo xtask bench qa` measures the schema).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use seatmate_core::{Clock, Conversation, Millis};
use seatmate_inspect::Inspector;
use seatmate_quality::{Compiled, Inspection, Outcome, Scorecard, Subject};
use seatmate_server::SystemClock;
use seatmate_store::{InspectionFilter, Scope, SqlStore, Store};
use serde_json::{json, Value};

#[derive(Debug, clap::Args)]
pub struct InspectSpeedArgs {
    /// Conversations in the history (the demo's 300 replicated)
    #[arg(long, default_value_t = 100_000)]
    pub conversations: usize,
    /// Conversations of the meaning-match row (each turn encoded); 0 skips it
    #[arg(long, default_value_t = 300)]
    pub meaning_sample: usize,
    /// Skip the engine rows (measure the service and the store only)
    #[arg(long)]
    pub no_engine: bool,
    /// Skip the service and store rows (measure the engine only)
    #[arg(long)]
    pub no_store: bool,
    /// Print one JSON object instead of the readable report
    #[arg(long)]
    pub json: bool,
}

/// Where the synthetic conversations say they come from.
const SOURCE: &str = "bench-qa";
/// Conversations per `import_conversations` call.
const IMPORT_BATCH: usize = 1_000;
/// Distinct agents the copies are spread over.
const AGENTS: usize = 200;
/// 2026-01-01T00:00:00Z: the first copy's start; one more a minute.
const FIRST_START: Millis = 1_767_225_600_000;
/// A batch that has not moved for this long has stopped (the inspector logs why).
const STALL: Duration = Duration::from_secs(300);

/// The `meaning` items added to the starter scorecards, by scorecard id.
const MEANING_ITEMS: [(&str, &str); 2] = [
    (
        "service-zh",
        "  - name: 语义
    items:
      - id: states_timeline
        name: 说明回复时限
        points: 5
        must:
          meaning: [工程师会在 24 小时内联系您, 我们会在三个工作日内给您回复处理结果]
          speaker: agent
",
    ),
    (
        "service-en",
        "  - name: Meaning
    items:
      - id: states_timeline
        name: Says when the customer will hear back
        points: 5
        must:
          meaning: [An engineer will contact you within 24 hours, You will hear back from us within three working days]
          speaker: agent
",
    ),
];

pub async fn inspect_speed(args: &InspectSpeedArgs, database: &str) -> anyhow::Result<()> {
    if args.conversations == 0 {
        bail!("--conversations must be at least 1");
    }
    let base = demo_conversations()?;
    let mut report = json!({
        "conversations": args.conversations,
        "cores": std::thread::available_parallelism().map_or(0, std::num::NonZeroUsize::get),
        "load_average": load_average(),
    });
    if !args.no_engine {
        let engine = tokio::task::block_in_place(|| engine(args, &base))?;
        report["engine"] = engine;
    }
    if !args.no_store {
        report["store"] = service(args, &base, database).await?;
    }
    if args.json {
        println!("{report}");
    } else {
        print!("{}", render(&report));
    }
    Ok(())
}

/// The machine's 1-minute load average at the start (other work on the cores slows every figure).
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg").ok()?.split_whitespace().next()?.parse().ok()
}

/// The demo conversations, parsed as `seatmate demo` imports them.
fn demo_conversations() -> anyhow::Result<Vec<Conversation>> {
    let text = include_str!("../../../demo/conversations.jsonl");
    let ctx = seatmate_ingest::Context::new("conversations.jsonl", FIRST_START);
    let conversations = seatmate_ingest::conversations_jsonl(&ctx, text.as_bytes(), SOURCE)?;
    if conversations.is_empty() {
        bail!("the demo has no conversations");
    }
    Ok(conversations)
}

/// The `k`-th synthetic conversation: a demo conversation with a new identity and start time.
fn synthetic(base: &[Conversation], k: usize) -> Conversation {
    let mut c = base[k % base.len()].clone();
    let duration = c.ended_at.map(|end| end - c.started_at);
    c.external_id = format!("QA-{k:07}");
    c.source = SOURCE.into();
    c.id = seatmate_ingest::record_id(seatmate_ingest::CONVERSATION, SOURCE, &c.external_id);
    c.agent = Some(format!("qa-agent{:03}", k % AGENTS));
    c.started_at = FIRST_START + k as Millis * 60_000;
    c.ended_at = Some(c.started_at + duration.unwrap_or(0).max(0));
    c
}

fn compile(cards: Vec<Scorecard>, encoder: Option<&dyn seatmate_quality::Encode>) -> anyhow::Result<Vec<Compiled>> {
    cards
        .into_iter()
        .map(|card| {
            let id = card.id.clone();
            Compiled::new(card, encoder).map_err(|e| anyhow::anyhow!("scorecard {id}: {e}"))
        })
        .collect()
}

/// One conversation's subject as the service builds it without a ticket, emotion model or vectors.
fn subject<'a>(conversation: &'a Conversation, vectors: &'a [Option<Vec<f32>>]) -> Subject<'a> {
    Subject { conversation, category_path: &[], ticket_confirmed: None, valence: &[], vectors, walks: &[] }
}

/// Every conversation by every scorecard on `threads` threads: (seconds, sum of scores).
fn inspect_all(cards: &[Compiled], conversations: &[Conversation], threads: usize) -> (f64, f64) {
    let share = conversations.len().div_ceil(threads.max(1));
    let start = Instant::now();
    let total = std::thread::scope(|scope| {
        let workers: Vec<_> = conversations
            .chunks(share.max(1))
            .map(|chunk| {
                scope.spawn(move || {
                    let mut sum = 0.0f64;
                    for conversation in chunk {
                        for card in cards {
                            sum += f64::from(card.inspect(&subject(conversation, &[])).score);
                        }
                    }
                    sum
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or(f64::NAN)).sum::<f64>()
    });
    (start.elapsed().as_secs_f64(), total)
}

fn engine(args: &InspectSpeedArgs, base: &[Conversation]) -> anyhow::Result<Value> {
    let n = args.conversations;
    let cards = compile(seatmate_quality::starter_pack(), None)?;
    eprintln!("engine: generating {n} conversations…");
    let conversations: Vec<Conversation> = (0..n).map(|k| synthetic(base, k)).collect();
    let turns: usize = conversations.iter().map(|c| c.turns.len()).sum();
    let mut rows = Vec::new();
    for threads in [1, 2] {
        eprintln!("engine: inspecting {n} conversations by {} scorecards on {threads} thread(s)…", cards.len());
        let (seconds, sum) = inspect_all(&cards, &conversations, threads);
        let rate = n as f64 / seconds;
        eprintln!("engine: {threads} thread(s): {seconds:.1} s, {rate:.0} conversations/s");
        rows.push(json!({
            "rules": "starter pack (no meaning rules)",
            "threads": threads,
            "conversations": n,
            "scorecards": cards.len(),
            "seconds": seconds,
            "conversations_per_s": rate,
            "inspections_per_s": (n * cards.len()) as f64 / seconds,
            "us_per_conversation": seconds * 1e6 / n as f64,
            "mean_score": sum / (n * cards.len()) as f64,
        }));
    }
    drop(conversations);
    let meaning = match args.meaning_sample.min(n) {
        0 => json!({ "skipped": "--meaning-sample 0" }),
        sample => meaning(sample, base)?,
    };
    Ok(json!({ "turns_per_conversation": turns as f64 / n as f64, "rows": rows, "meaning": meaning }))
}

/// The starter pack with a `meaning` item at the end of each scorecard.
fn meaning_pack() -> anyhow::Result<Vec<Scorecard>> {
    seatmate_quality::STARTER_PACK
        .iter()
        .map(|text| {
            let id = Scorecard::parse(text)?.id;
            let (_, item) =
                MEANING_ITEMS.iter().find(|(card, _)| *card == id).with_context(|| format!("no meaning item for {id}"))?;
            let source = format!("{}\n{item}", text.trim_end());
            Scorecard::parse(&source).map_err(|e| anyhow::anyhow!("scorecard {id} with a meaning item: {e}"))
        })
        .collect()
}

fn meaning(sample: usize, base: &[Conversation]) -> anyhow::Result<Value> {
    let encoder = match seatmate_embed::Encoder::load_default(None) {
        Ok(encoder) => Arc::new(encoder),
        Err(error) => {
            eprintln!("meaning: skipped ({error})");
            return Ok(json!({ "skipped": error.to_string() }));
        }
    };
    let kernel = encoder.kernel().name();
    let meaning_encoder = crate::MeaningEncoder(encoder.clone());
    let cards = compile(meaning_pack()?, Some(&meaning_encoder))?;
    if !cards.iter().all(Compiled::needs_vectors) {
        bail!("the meaning scorecards read no vectors");
    }
    let conversations: Vec<Conversation> = (0..sample).map(|k| synthetic(base, k)).collect();
    eprintln!("meaning: encoding and inspecting {sample} conversations ({kernel} kernel)…");
    let (mut encode_s, mut turns, mut matched, mut judged) = (0.0f64, 0usize, 0usize, 0usize);
    let start = Instant::now();
    for conversation in &conversations {
        let texts: Vec<&str> = conversation.turns.iter().map(|t| t.text.as_str()).collect();
        let encoding = Instant::now();
        let vectors: Vec<Option<Vec<f32>>> =
            encoder.embed_batch(&texts, seatmate_embed::Role::Query)?.into_iter().map(Some).collect();
        encode_s += encoding.elapsed().as_secs_f64();
        turns += texts.len();
        for card in &cards {
            let inspection = card.inspect(&subject(conversation, &vectors));
            let (m, j) = timeline_item(&inspection);
            matched += m;
            judged += j;
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    eprintln!("meaning: {seconds:.1} s, {:.1} conversations/s", sample as f64 / seconds);
    Ok(json!({
        "rules": "starter pack + 1 meaning item per scorecard",
        "threads": 1,
        "conversations": sample,
        "scorecards": cards.len(),
        "turns": turns,
        "seconds": seconds,
        "encode_seconds": encode_s,
        "conversations_per_s": sample as f64 / seconds,
        "inspections_per_s": (sample * cards.len()) as f64 / seconds,
        "ms_per_turn_encoded": encode_s * 1000.0 / turns.max(1) as f64,
        "meaning_item_passed": matched,
        "meaning_item_judged": judged,
        "kernel": kernel,
    }))
}

/// Whether the meaning item passed (1, 1), failed (0, 1) or did not apply (0, 0).
fn timeline_item(inspection: &Inspection) -> (usize, usize) {
    match inspection.items.iter().find(|i| i.item == "states_timeline").map(|i| i.outcome) {
        Some(Outcome::Pass) => (1, 1),
        Some(Outcome::Fail) => (0, 1),
        _ => (0, 0),
    }
}

/// A temporary folder removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Bytes of the files in a folder (the SQLite file, its WAL and shared memory).
fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(Result::ok).filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0)
}

async fn service(args: &InspectSpeedArgs, base: &[Conversation], database: &str) -> anyhow::Result<Value> {
    let n = args.conversations;
    let (url, temp) = if database.is_empty() {
        let dir = std::env::temp_dir().join(format!("seatmate-inspect-speed-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        (format!("sqlite://{}", dir.join("seatmate.db").display()), Some(TempDir(dir)))
    } else {
        (database.to_string(), None)
    };
    let store: Arc<dyn Store> = Arc::new(SqlStore::open(&url).await?);
    let backend = store.backend();
    if store.counts(&Scope::All).await?.conversations > 0 || !store.scorecards().await?.is_empty() {
        bail!("{} is not empty: give a fresh database (it gets {n} synthetic conversations)", seatmate_store::redact_url(&url));
    }

    eprintln!("{backend}: importing {n} conversations…");
    let start = Instant::now();
    let mut imported = 0usize;
    let mut reported = 0usize;
    for first in (0..n).step_by(IMPORT_BATCH) {
        let batch: Vec<Conversation> = (first..(first + IMPORT_BATCH).min(n)).map(|k| synthetic(base, k)).collect();
        imported += store.import_conversations(&batch, &|_| {}).await?.inserted as usize;
        if imported - reported >= n.div_ceil(10) {
            reported = imported;
            eprintln!("{backend}: imported {imported}/{n} ({:.0} s)", start.elapsed().as_secs_f64());
        }
    }
    let import_s = start.elapsed().as_secs_f64();
    if imported != n {
        bail!("imported {imported} conversations, expected {n}");
    }
    let bytes_after_import = temp.as_ref().map(|t| folder_bytes(&t.0));

    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let inspector = Arc::new(Inspector::new(store.clone(), clock));
    inspector.install_starter_pack().await?;
    let published: Vec<(String, i64)> =
        store.scorecards().await?.into_iter().filter(|c| c.status == "published").map(|c| (c.id, c.version)).collect();
    if published.is_empty() {
        bail!("the starter pack published no scorecard");
    }

    eprintln!("{backend}: first inspection of {n} conversations by {} scorecards…", published.len());
    let start = Instant::now();
    for (id, version) in &published {
        inspector.catch_up(id.clone(), *version);
    }
    wait_for(&inspector, &published, n, backend, "first inspection").await?;
    let first_s = start.elapsed().as_secs_f64();
    let first_stored = stored(store.as_ref(), &published).await?;

    // a new version of the Chinese scorecard: one more greeting phrase
    let (changed_id, _) =
        published.iter().find(|(id, _)| id == "service-zh").or(published.first()).context("no scorecard")?.clone();
    let source = seatmate_quality::starter_pack()
        .into_iter()
        .find(|c| c.id == changed_id)
        .map(|mut card| {
            if let Some(phrases) = card
                .sections
                .iter_mut()
                .flat_map(|s| s.items.iter_mut())
                .find_map(|i| i.must.as_mut().and_then(|m| m.phrases.as_mut()))
            {
                phrases.push("早上好".into());
            }
            card.description = format!("{} (v2)", card.description);
            card.to_yaml()
        })
        .context("the changed scorecard is not in the starter pack")?;
    eprintln!("{backend}: {changed_id} changed and published; re-inspecting {n} conversations…");
    let start = Instant::now();
    let saved = inspector.save(&source, "bench").await?;
    inspector.publish(&saved.id, saved.version).await?;
    let second = [(saved.id.clone(), saved.version)];
    wait_for(&inspector, &second, n, backend, "re-inspection").await?;
    let second_s = start.elapsed().as_secs_f64();
    let second_stored = stored(store.as_ref(), &second).await?;
    let bytes = temp.as_ref().map(|t| folder_bytes(&t.0));
    drop(inspector);
    drop(store);

    let phase = |seconds: f64, scorecards: usize, stored: i64| {
        json!({
            "seconds": seconds,
            "scorecards": scorecards,
            "inspections_stored": stored,
            "conversations_per_s": n as f64 / seconds,
            "inspections_per_s": stored as f64 / seconds,
        })
    };
    Ok(json!({
        "backend": backend,
        "conversations": n,
        "import_seconds": import_s,
        "import_conversations_per_s": n as f64 / import_s,
        "first_inspection": phase(first_s, published.len(), first_stored),
        "reinspection": phase(second_s, 1, second_stored),
        "changed_scorecard": format!("{} v{}", saved.id, saved.version),
        "bytes_after_import": bytes_after_import,
        "bytes": bytes,
    }))
}

/// Waits until the batch of every (scorecard, version) is finished, printing progress.
async fn wait_for(inspector: &Inspector, cards: &[(String, i64)], n: usize, backend: &str, what: &str) -> anyhow::Result<()> {
    let start = Instant::now();
    let (mut last_done, mut moved_at, mut printed_at) = (-1i64, Instant::now(), Instant::now());
    loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let batches = inspector.batches().await?;
        let mine: Vec<_> =
            batches.iter().filter(|b| cards.iter().any(|(id, version)| *id == b.scorecard_id && *version == b.version)).collect();
        let done: i64 = mine.iter().map(|b| b.done).sum();
        if mine.len() == cards.len() && mine.iter().all(|b| b.status == "finished") {
            return Ok(());
        }
        if done != last_done {
            (last_done, moved_at) = (done, Instant::now());
        } else if moved_at.elapsed() > STALL {
            bail!("{what} stopped at {done} inspections for {} s (see the warnings above)", STALL.as_secs());
        }
        if printed_at.elapsed() >= Duration::from_secs(15) {
            printed_at = Instant::now();
            let seconds = start.elapsed().as_secs_f64();
            eprintln!(
                "{backend}: {what}: {done}/{} inspections ({seconds:.0} s, {:.0} conversations/s)",
                n * cards.len(),
                done as f64 / cards.len() as f64 / seconds
            );
        }
    }
}

/// Inspections the store holds by these scorecard versions.
async fn stored(store: &dyn Store, cards: &[(String, i64)]) -> anyhow::Result<i64> {
    let mut total = 0;
    for (id, version) in cards {
        let filter = InspectionFilter { scorecard_id: Some(id.clone()), version: Some(*version), limit: 1, ..Default::default() };
        total += store.inspections(&Scope::All, &filter).await?.total;
    }
    Ok(total)
}

fn f(v: &Value, digits: usize) -> String {
    v.as_f64().map_or("–".into(), |x| format!("{x:.digits$}"))
}

fn mb(v: &Value) -> String {
    v.as_f64().map_or("–".into(), |b| format!("{:.0} MB", b / (1024.0 * 1024.0)))
}

fn render(report: &Value) -> String {
    let mut out = String::new();
    if let Some(load) = report["load_average"].as_f64() {
        out += &format!("{} cores, load average {load:.2} at the start\n", report["cores"]);
    }
    if let Some(engine) = report.get("engine") {
        out += &format!(
            "\nEngine ({} turns per conversation on average; every conversation by both starter scorecards)\n",
            f(&engine["turns_per_conversation"], 1)
        );
        out += &format!(
            "{:<44} {:>7} {:>13} {:>9} {:>16} {:>15}\n",
            "rules", "threads", "conversations", "seconds", "conversations/s", "inspections/s"
        );
        let meaning = &engine["meaning"];
        let rows = engine["rows"].as_array().cloned().unwrap_or_default();
        for row in rows.iter().chain(std::iter::once(meaning).filter(|m| m.get("skipped").is_none())) {
            out += &format!(
                "{:<44} {:>7} {:>13} {:>9} {:>16} {:>15}\n",
                row["rules"].as_str().unwrap_or("?"),
                row["threads"].to_string(),
                row["conversations"].to_string(),
                f(&row["seconds"], 2),
                f(&row["conversations_per_s"], 0),
                f(&row["inspections_per_s"], 0),
            );
        }
        match meaning.get("skipped") {
            Some(why) => out += &format!("meaning rules: skipped ({})\n", why.as_str().unwrap_or("?")),
            None => {
                out += &format!(
                    "meaning rules: {} of the time encoding ({} ms per turn, {} kernel); the meaning item passed in {} of {} conversations it applied to\n",
                    format_args!("{:.0}%", 100.0 * meaning["encode_seconds"].as_f64().unwrap_or(0.0) / meaning["seconds"].as_f64().unwrap_or(1.0)),
                    f(&meaning["ms_per_turn_encoded"], 1),
                    meaning["kernel"].as_str().unwrap_or("?"),
                    meaning["meaning_item_passed"],
                    meaning["meaning_item_judged"],
                );
            }
        }
    }
    if let Some(store) = report.get("store") {
        if !out.is_empty() {
            out += "\n";
        }
        let (first, second) = (&store["first_inspection"], &store["reinspection"]);
        out += &format!(
            "Service and store: {} ({} conversations)\n",
            store["backend"].as_str().unwrap_or("?"),
            store["conversations"]
        );
        out += &format!(
            "import              {:>8} s  {:>6} conversations/s\n",
            f(&store["import_seconds"], 1),
            f(&store["import_conversations_per_s"], 0)
        );
        out += &format!(
            "first inspection    {:>8} s  {:>6} conversations/s  ({} scorecards, {} inspections stored)\n",
            f(&first["seconds"], 1),
            f(&first["conversations_per_s"], 0),
            first["scorecards"],
            first["inspections_stored"],
        );
        out += &format!(
            "re-inspection       {:>8} s  {:>6} conversations/s  ({}, {} inspections stored)\n",
            f(&second["seconds"], 1),
            f(&second["conversations_per_s"], 0),
            store["changed_scorecard"].as_str().unwrap_or("?"),
            second["inspections_stored"],
        );
        if !store["bytes"].is_null() {
            out += &format!(
                "size on disk        {} after import, {} after the inspections\n",
                mb(&store["bytes_after_import"]),
                mb(&store["bytes"])
            );
        }
    }
    out
}
