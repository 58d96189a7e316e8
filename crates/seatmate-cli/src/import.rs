//! Reads import files, parses them with `seatmate-ingest`, checks them against what the store holds,
//! and writes each file (or set of files) in one transaction, with progress and a summary.

mod files;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context as _};
use indicatif::{ProgressBar, ProgressStyle};
use seatmate_core::{Conversation, KnowledgeItem, Millis, TaxonomyNode, PATH_SEPARATOR};
use seatmate_ingest::{AbcdFile, Context, Emit, ImportError, SpeakerMap, TicketColumns};
use tokio::sync::mpsc;

pub use files::{set_encoding, FileEncoding};
use seatmate_store::{ImportCounts, Store};

/// The shapes conversations come in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ConversationFormat {
    /// Seatmate's native JSON Lines (docs/formats.md)
    Jsonl,
    /// NTCIR-14 STC-3 DCH-1 helpdesk dialogues (JSON array)
    Stc3,
    /// ASR JSON segments, one call per file
    AsrJson,
    /// SubRip subtitles with speaker labels, one call per file
    Srt,
    /// WebVTT with voice tags or speaker labels, one call per file
    Vtt,
    /// CSV of start,end,speaker,text, one call per file
    AsrCsv,
}

impl ConversationFormat {
    /// Guesses the format from a file name.
    pub fn from_path(path: &Path) -> Option<ConversationFormat> {
        let name = path.file_name()?.to_str()?.to_lowercase();
        let ext = name.rsplit('.').next()?;
        Some(match ext {
            "jsonl" | "ndjson" => ConversationFormat::Jsonl,
            "srt" => ConversationFormat::Srt,
            "vtt" => ConversationFormat::Vtt,
            "csv" => ConversationFormat::AsrCsv,
            "json" if name.contains("train_data") || name.contains("test_data") => ConversationFormat::Stc3,
            "json" => ConversationFormat::AsrJson,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, Default)]
pub struct ConversationOptions {
    pub format: Option<ConversationFormat>,
    pub speakers: SpeakerMap,
    pub external_id: Option<String>,
    /// Sets the handling agent (username) on every conversation that has none.
    pub agent: Option<String>,
    pub queue: Option<String>,
    /// Where the records come from (default: `import`, or `stc3` for that format); an external id is unique per source.
    pub source: Option<String>,
}

/// What one import did, for the summary line.
pub struct Summary {
    pub what: &'static str,
    pub files: String,
    pub read: u64,
    pub counts: ImportCounts,
    pub seconds: f64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} from {}: {} read, {} new, {} updated, {} already present ({:.1} s)",
            self.what, self.files, self.read, self.counts.inserted, self.counts.updated, self.counts.unchanged, self.seconds
        )
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

pub(crate) fn bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta})") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(format!("writing {what}"));
    bar
}

/// For the killed-import test: `SEATMATE_FAILPOINT=import-after-rows:N` stops an import once it
/// has written N records, inside its open transaction.
const FAILPOINT: &str = "SEATMATE_FAILPOINT";
const AFTER_ROWS: &str = "import-after-rows:";
/// What the failpoint prints on stderr before it waits to be killed.
const FAILPOINT_MARKER: &str = "failpoint import-after-rows reached";

/// Where an import stands: records written so far (and the failpoint, checked at each batch).
struct Written {
    records: u64,
    stop_after: Option<u64>,
}

impl Written {
    fn new() -> anyhow::Result<Written> {
        let value = std::env::var(FAILPOINT).unwrap_or_default();
        let stop_after = match value.as_str() {
            "" => None,
            _ => Some(
                value
                    .strip_prefix(AFTER_ROWS)
                    .and_then(|n| n.parse().ok())
                    .with_context(|| format!("{FAILPOINT}={value:?}: expected {AFTER_ROWS}N"))?,
            ),
        };
        Ok(Written { records: 0, stop_after })
    }

    /// Counts a written batch. At the failpoint it says so and waits, the transaction open, to be
    /// killed; without a kill it aborts (nothing commits).
    fn add(&mut self, records: usize) {
        self.records += records as u64;
        if self.stop_after.is_some_and(|rows| self.records >= rows) {
            eprintln!("{FAILPOINT_MARKER}: {} records written, transaction open", self.records);
            std::thread::sleep(std::time::Duration::from_secs(60));
            std::process::abort();
        }
    }
}

/// Records per store batch.
const BATCH: usize = 256;

/// Runs a streamed parser on a blocking thread. Its records come back in batches over a channel
/// of two, so memory holds a few batches whatever the file's size; dropping the receiver stops it.
fn parse_in_background<T: Send + 'static>(
    parse: impl FnOnce(Emit<'_, T>) -> Result<u64, ImportError> + Send + 'static,
) -> (mpsc::Receiver<Vec<T>>, tokio::task::JoinHandle<Result<u64, ImportError>>) {
    let (sender, receiver) = mpsc::channel(2);
    let parser = tokio::task::spawn_blocking(move || {
        let stopped = || ImportError { file: String::new(), line: None, field: None, message: "the import stopped".into() };
        let mut batch = Vec::with_capacity(BATCH);
        let read = parse(&mut |record| {
            batch.push(record);
            if batch.len() == BATCH {
                sender.blocking_send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).map_err(|_| stopped())?;
            }
            Ok(())
        })?;
        if !batch.is_empty() {
            sender.blocking_send(batch).map_err(|_| stopped())?;
        }
        Ok(read)
    });
    (receiver, parser)
}

/// A progress bar over the bytes of `paths`.
fn bytes_bar(paths: &[PathBuf], what: &str) -> (ProgressBar, Arc<AtomicU64>) {
    let total = paths.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} ({eta})") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(format!("importing {what}"));
    (bar, Arc::default())
}

fn ingest_error(error: ImportError) -> anyhow::Error {
    anyhow::anyhow!("{error}")
}

pub async fn conversations(
    store: &dyn Store,
    paths: &[PathBuf],
    options: &ConversationOptions,
    now: Millis,
) -> anyhow::Result<Summary> {
    let start = Instant::now();
    if paths.is_empty() {
        bail!("name at least one file to import");
    }
    let mask = redaction(store).await?.masks_on_store();
    let (agent, queue) = (options.agent.clone(), options.queue.clone());
    let prepare = move |conversation: &mut Conversation| {
        if conversation.agent.is_none() {
            conversation.agent.clone_from(&agent);
        }
        if conversation.queue.is_none() {
            conversation.queue.clone_from(&queue);
        }
        if mask {
            seatmate_redact::mask_conversation(conversation);
        }
    };
    let (bar, bytes_read) = bytes_bar(paths, "conversations");
    let mut import = store.begin_import().await?;
    let mut counts = ImportCounts::default();
    let mut written = Written::new()?;
    for path in paths {
        let format = options
            .format
            .or_else(|| ConversationFormat::from_path(path))
            .with_context(|| format!("{}: cannot tell the format from the name; pass --format", path.display()))?;
        let name = display(path);
        let streamed = match format {
            ConversationFormat::Jsonl => {
                let (input, source) = (files::open(path, bytes_read.clone())?, options.source.clone());
                let (prepare, name) = (prepare.clone(), name.clone());
                Some(parse_in_background(move |emit| {
                    let source = source.as_deref().unwrap_or("import");
                    seatmate_ingest::read_conversations_jsonl(&Context::new(&name, now), input, source, &mut |mut c| {
                        prepare(&mut c);
                        emit(c)
                    })
                }))
            }
            ConversationFormat::Stc3 => {
                let input = files::open_seekable(path, bytes_read.clone())?;
                let (prepare, name) = (prepare.clone(), name.clone());
                Some(parse_in_background(move |emit| {
                    seatmate_ingest::read_conversations_stc3(&Context::new(&name, now), input, &mut |mut c| {
                        prepare(&mut c);
                        emit(c)
                    })
                }))
            }
            _ => None,
        };
        if let Some((mut batches, parser)) = streamed {
            while let Some(batch) = batches.recv().await {
                counts.merge(import.conversations(&batch).await?);
                written.add(batch.len());
                bar.set_position(bytes_read.load(Ordering::Relaxed));
            }
            parser.await?.map_err(ingest_error)?;
            continue;
        }
        // one conversation per file: the file is the record
        let bytes = files::read(path)?;
        bar.inc(bytes.len() as u64);
        let ctx = Context::new(&name, now);
        let external_id = options.external_id.as_deref().filter(|_| paths.len() == 1);
        let speakers = &options.speakers;
        let mut conversation = match format {
            ConversationFormat::AsrJson => seatmate_ingest::conversation_asr_json(&ctx, &bytes, speakers, external_id),
            ConversationFormat::Srt => seatmate_ingest::conversation_srt(&ctx, &bytes, speakers, external_id),
            ConversationFormat::Vtt => seatmate_ingest::conversation_vtt(&ctx, &bytes, speakers, external_id),
            _ => seatmate_ingest::conversation_asr_csv(&ctx, &bytes, speakers, external_id),
        }
        .map_err(ingest_error)?;
        prepare(&mut conversation);
        counts.merge(import.conversations(std::slice::from_ref(&conversation)).await?);
        written.add(1);
    }
    import.commit().await?;
    bar.finish_and_clear();
    Ok(Summary {
        what: "conversations",
        files: paths.iter().map(|p| display(p)).collect::<Vec<_>>().join(", "),
        read: written.records,
        counts,
        seconds: start.elapsed().as_secs_f64(),
    })
}

#[derive(Clone, Debug, Default)]
pub struct TicketOptions {
    pub columns: TicketColumns,
    pub source: Option<String>,
    /// Create the taxonomy nodes a ticket names that do not exist yet.
    pub create_taxonomy: bool,
}

/// The workspace's redaction policy (personal data is masked before storage unless an admin
/// chose otherwise).
pub async fn redaction(store: &dyn Store) -> anyhow::Result<seatmate_redact::Policy> {
    Ok(seatmate_redact::Policy::from_setting(store.setting(seatmate_redact::POLICY_SETTING).await?.as_deref()))
}

pub async fn tickets(store: &dyn Store, path: &Path, options: &TicketOptions, now: Millis) -> anyhow::Result<Summary> {
    let start = Instant::now();
    let name = display(path);
    let mask = redaction(store).await?.masks_on_store();
    let mut known: HashSet<String> = store.taxonomy_codes().await?.into_iter().collect();
    let (bar, bytes_read) = bytes_bar(std::slice::from_ref(&path.to_path_buf()), "tickets");
    let input = files::open(path, bytes_read.clone())?;
    let (columns, source, parser_name) = (options.columns.clone(), options.source.clone(), name.clone());
    let (mut batches, parser) = parse_in_background(move |emit| {
        let source = source.as_deref().unwrap_or("import");
        seatmate_ingest::read_tickets_csv(&Context::new(&parser_name, now), input, &columns, source, &mut |mut t| {
            if mask {
                seatmate_redact::mask_ticket(&mut t.ticket);
            }
            emit(t)
        })
    });
    let mut import = store.begin_import().await?;
    let mut counts = ImportCounts::default();
    let mut written = Written::new()?;
    let mut conversation_ids: HashMap<String, Option<String>> = HashMap::new();
    let mut nodes_created = 0;
    while let Some(batch) = batches.recv().await {
        let mut new_nodes: Vec<TaxonomyNode> = Vec::new();
        let mut tickets = Vec::with_capacity(batch.len());
        for item in batch {
            let mut ticket = item.ticket;
            if let Some(code) = &ticket.category {
                if !known.contains(code) {
                    if !options.create_taxonomy {
                        bail!(
                            "{name}:{}: field `{}`: unknown taxonomy path {code:?} (import the taxonomy first, or pass --create-taxonomy)",
                            item.line,
                            options.columns.labels.join(",")
                        );
                    }
                    // create every missing level, each coded by its path so far
                    let mut parent: Option<String> = None;
                    for depth in 1..=item.path.len() {
                        let code = item.path[..depth].join(PATH_SEPARATOR);
                        if known.insert(code.clone()) {
                            let label = item.path[depth - 1].clone();
                            new_nodes.push(TaxonomyNode {
                                code: code.clone(),
                                parent: parent.clone(),
                                name_zh: label.clone(),
                                name_en: label,
                                depth: depth as i64,
                                team: None,
                            });
                        }
                        parent = Some(code);
                    }
                }
            }
            if let Some(external) = ticket.conversation_id.take() {
                if !conversation_ids.contains_key(&external) {
                    let id = import.conversation_id_by_external(&external).await?;
                    conversation_ids.insert(external.clone(), id);
                }
                match conversation_ids.get(&external).cloned().flatten() {
                    Some(id) => ticket.conversation_id = Some(id),
                    None => bail!(
                        "{name}:{}: field `{}`: no conversation with external id {external:?}",
                        item.line,
                        options.columns.conversation.as_deref().unwrap_or("conversation")
                    ),
                }
            }
            tickets.push(ticket);
        }
        import.taxonomy_nodes(&new_nodes).await?;
        nodes_created += new_nodes.len();
        counts.merge(import.tickets(&tickets).await?);
        written.add(tickets.len());
        bar.set_position(bytes_read.load(Ordering::Relaxed));
    }
    parser.await?.map_err(ingest_error)?;
    import.commit().await?;
    bar.finish_and_clear();
    if nodes_created > 0 {
        eprintln!("created {nodes_created} taxonomy nodes from the ticket labels");
    }
    Ok(Summary { what: "tickets", files: name, read: written.records, counts, seconds: start.elapsed().as_secs_f64() })
}

pub async fn taxonomy(store: &dyn Store, path: &Path, now: Millis) -> anyhow::Result<Summary> {
    let start = Instant::now();
    let bytes = files::read(path)?;
    let name = display(path);
    let ctx = Context::new(&name, now);
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let mut parsed =
        if is_json { seatmate_ingest::taxonomy_json(&ctx, &bytes) } else { seatmate_ingest::taxonomy_csv(&ctx, &bytes) }
            .map_err(ingest_error)?;
    // nodes under parents that already exist in the store
    let mut depths: HashMap<String, i64> = HashMap::new();
    for (parent, line) in &parsed.external_parents {
        match store.taxonomy_node(parent).await? {
            Some(node) => {
                depths.insert(node.code.clone(), node.depth);
            }
            None => bail!("{name}:{line}: field `parent`: unknown taxonomy code {parent:?}"),
        }
    }
    for node in &mut parsed.nodes {
        if node.depth == 0 {
            node.depth = node.parent.as_ref().and_then(|p| depths.get(p)).map_or(1, |d| d + 1);
        }
        depths.insert(node.code.clone(), node.depth);
    }
    let bar = bar(parsed.nodes.len() as u64, "taxonomy");
    let counts = store.upsert_taxonomy(&parsed.nodes, &|written| bar.set_position(written)).await?;
    bar.finish_and_clear();
    Ok(Summary {
        what: "taxonomy nodes",
        files: name,
        read: parsed.nodes.len() as u64,
        counts,
        seconds: start.elapsed().as_secs_f64(),
    })
}

pub async fn teams(store: &dyn Store, path: &Path, now: Millis) -> anyhow::Result<Summary> {
    let start = Instant::now();
    let bytes = files::read(path)?;
    let name = display(path);
    let teams = seatmate_ingest::teams_csv(&Context::new(&name, now), &bytes).map_err(ingest_error)?;
    let counts = store.upsert_teams(&teams).await?;
    Ok(Summary { what: "teams", files: name, read: teams.len() as u64, counts, seconds: start.elapsed().as_secs_f64() })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum KnowledgeFormat {
    /// CSV of FAQ pairs
    Faqs,
    /// A folder of Markdown articles
    Articles,
    /// JSON guided flows
    Flows,
}

pub async fn knowledge(store: &dyn Store, path: &Path, format: KnowledgeFormat, now: Millis) -> anyhow::Result<Summary> {
    let start = Instant::now();
    let name = display(path);
    let items: Vec<KnowledgeItem> = match format {
        KnowledgeFormat::Faqs => {
            seatmate_ingest::faqs_csv(&Context::new(&name, now), &files::read(path)?).map_err(ingest_error)?
        }
        KnowledgeFormat::Flows => {
            seatmate_ingest::flows_json(&Context::new(&name, now), &files::read(path)?).map_err(ingest_error)?
        }
        KnowledgeFormat::Articles => {
            let mut files = Vec::new();
            markdown_files(path, &mut files)?;
            if files.is_empty() {
                bail!("{name}: no .md files in this folder");
            }
            files.sort();
            let mut items = Vec::with_capacity(files.len());
            for file in files {
                let key = file.strip_prefix(path).unwrap_or(&file).with_extension("").to_string_lossy().replace('\\', "/");
                let file_name = display(&file);
                items.push(
                    seatmate_ingest::article_markdown(&Context::new(&file_name, now), &key, &files::read(&file)?)
                        .map_err(ingest_error)?,
                );
            }
            items
        }
    };
    let counts = store.upsert_knowledge(&items).await?;
    Ok(Summary { what: "knowledge items", files: name, read: items.len() as u64, counts, seconds: start.elapsed().as_secs_f64() })
}

/// The files `import abcd` reads from its folder: the guidelines, the required actions per
/// subflow code, and the ontology that pairs subflow names with codes.
pub const ABCD_FILES: [&str; 3] = ["guidelines.json", "kb.json", "ontology.json"];

/// ABCD agent guidelines as guided flows, one per subflow, written in one transaction.
pub async fn abcd(store: &dyn Store, dir: &Path, now: Millis) -> anyhow::Result<Summary> {
    let start = Instant::now();
    let paths = ABCD_FILES.map(|f| dir.join(f));
    let mut bytes = Vec::with_capacity(paths.len());
    for path in &paths {
        bytes.push(files::read(path)?);
    }
    let names = paths.each_ref().map(|p| display(p));
    let file = |i: usize| AbcdFile { ctx: Context::new(&names[i], now), bytes: &bytes[i] };
    let parsed = seatmate_ingest::abcd_flows(file(0), file(1), file(2)).map_err(ingest_error)?;
    let total = parsed.items.len() as u64;
    let bar = bar(total, "guided flows");
    let counts = store.upsert_knowledge(&parsed.items).await?;
    bar.set_position(total);
    bar.finish_and_clear();
    println!(
        "ABCD: {} flows, {} subflows, {} with required actions from {}",
        parsed.flows,
        total,
        total - parsed.without_actions.len() as u64,
        names[1]
    );
    if !parsed.without_actions.is_empty() {
        eprintln!("imported without required actions (no entry in {}): {}", names[1], parsed.without_actions.join(", "));
    }
    if !parsed.unused_actions.is_empty() {
        eprintln!("{} entries no subflow uses (not imported): {}", names[1], parsed.unused_actions.join(", "));
    }
    Ok(Summary { what: "guided flows", files: display(dir), read: total, counts, seconds: start.elapsed().as_secs_f64() })
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("cannot read folder {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            markdown_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")) {
            out.push(path);
        }
    }
    Ok(())
}
