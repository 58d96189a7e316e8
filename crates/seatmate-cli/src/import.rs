//! Reads import files, parses them with `seatmate-ingest`, checks them against what the store holds,
//! and writes each file (or set of files) in one transaction, with progress and a summary.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context as _};
use indicatif::{ProgressBar, ProgressStyle};
use seatmate_core::{Conversation, KnowledgeItem, Millis, TaxonomyNode, PATH_SEPARATOR};
use seatmate_ingest::{AbcdFile, Context, ImportError, SpeakerMap, TicketColumns};
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

/// The character encodings import files may come in besides UTF-8: Chinese CSV files saved by
/// spreadsheet programs are often GBK/GB18030 (Simplified) or Big5 (Traditional).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FileEncoding {
    Utf8,
    /// GBK, read as GB18030 (its superset)
    Gbk,
    Gb18030,
    Big5,
}

impl FileEncoding {
    fn decoder(self) -> &'static encoding_rs::Encoding {
        match self {
            FileEncoding::Utf8 => encoding_rs::UTF_8,
            FileEncoding::Gbk | FileEncoding::Gb18030 => encoding_rs::GB18030,
            FileEncoding::Big5 => encoding_rs::BIG5,
        }
    }
}

/// The encoding this run's import files are in (`import --encoding`); UTF-8 when not set.
static ENCODING: std::sync::OnceLock<FileEncoding> = std::sync::OnceLock::new();

pub fn set_encoding(encoding: FileEncoding) {
    let _ = ENCODING.set(encoding);
}

/// A file's bytes as UTF-8. A file in another encoding is converted when `--encoding` names it;
/// otherwise a file that is not UTF-8 is refused with its line, and the encoding it reads
/// cleanly in, when it is one of the usual Chinese ones.
fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let encoding = ENCODING.get().copied().unwrap_or(FileEncoding::Utf8);
    if encoding != FileEncoding::Utf8 {
        let (text, had_errors) = encoding.decoder().decode_without_bom_handling(&bytes);
        if had_errors {
            bail!("{}: not valid {encoding:?}; check --encoding", path.display());
        }
        return Ok(text.into_owned().into_bytes());
    }
    if let Err(error) = std::str::from_utf8(&bytes) {
        let at = error.valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let fits = [FileEncoding::Gb18030, FileEncoding::Big5]
            .into_iter()
            .find(|e| e.decoder().decode_without_bom_handling_and_without_replacement(&bytes).is_some());
        let hint = match fits {
            Some(encoding) => format!(
                "; it reads cleanly as {}: add --encoding {}, or save it as UTF-8",
                format!("{encoding:?}").to_uppercase(),
                format!("{encoding:?}").to_lowercase()
            ),
            None => "; save it as UTF-8, or name its encoding with --encoding gbk|gb18030|big5".into(),
        };
        bail!("{}:{line}: the file is not UTF-8{hint}", path.display());
    }
    Ok(bytes)
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
/// has written N records, inside its open transaction (the store reports progress only there).
const FAILPOINT: &str = "SEATMATE_FAILPOINT";
const AFTER_ROWS: &str = "import-after-rows:";
/// What the failpoint prints on stderr before it waits to be killed.
const FAILPOINT_MARKER: &str = "failpoint import-after-rows reached";

fn failpoint_after_rows() -> anyhow::Result<Option<u64>> {
    let value = std::env::var(FAILPOINT).unwrap_or_default();
    if value.is_empty() {
        return Ok(None);
    }
    let rows = value.strip_prefix(AFTER_ROWS).and_then(|n| n.parse().ok());
    rows.map(Some).with_context(|| format!("{FAILPOINT}={value:?}: expected {AFTER_ROWS}N"))
}

/// The progress callback of a store import: moves the bar, and holds the transaction open at the
/// failpoint — it says so, then waits to be killed, and without a kill aborts (nothing commits).
fn progress(bar: &ProgressBar) -> anyhow::Result<impl Fn(u64) + Send + Sync + '_> {
    let stop_after = failpoint_after_rows()?;
    Ok(move |written: u64| {
        bar.set_position(written);
        if stop_after.is_some_and(|rows| written >= rows) {
            eprintln!("{FAILPOINT_MARKER}: {written} records written, transaction open");
            std::thread::sleep(std::time::Duration::from_secs(60));
            std::process::abort();
        }
    })
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
    let mut all: Vec<Conversation> = Vec::new();
    for path in paths {
        let format = options
            .format
            .or_else(|| ConversationFormat::from_path(path))
            .with_context(|| format!("{}: cannot tell the format from the name; pass --format", path.display()))?;
        let bytes = read(path)?;
        let name = display(path);
        let ctx = Context::new(&name, now);
        let external_id = options.external_id.as_deref().filter(|_| paths.len() == 1);
        let parsed = match format {
            ConversationFormat::Jsonl => {
                seatmate_ingest::conversations_jsonl(&ctx, &bytes, options.source.as_deref().unwrap_or("import"))
            }
            ConversationFormat::Stc3 => seatmate_ingest::conversations_stc3(&ctx, &bytes),
            ConversationFormat::AsrJson => {
                seatmate_ingest::conversation_asr_json(&ctx, &bytes, &options.speakers, external_id).map(|c| vec![c])
            }
            ConversationFormat::Srt => {
                seatmate_ingest::conversation_srt(&ctx, &bytes, &options.speakers, external_id).map(|c| vec![c])
            }
            ConversationFormat::Vtt => {
                seatmate_ingest::conversation_vtt(&ctx, &bytes, &options.speakers, external_id).map(|c| vec![c])
            }
            ConversationFormat::AsrCsv => {
                seatmate_ingest::conversation_asr_csv(&ctx, &bytes, &options.speakers, external_id).map(|c| vec![c])
            }
        };
        all.extend(parsed.map_err(ingest_error)?);
    }
    for conversation in &mut all {
        if conversation.agent.is_none() {
            conversation.agent.clone_from(&options.agent);
        }
        if conversation.queue.is_none() {
            conversation.queue.clone_from(&options.queue);
        }
    }
    if redaction(store).await?.masks_on_store() {
        all.iter_mut().for_each(seatmate_redact::mask_conversation);
    }
    let bar = bar(all.len() as u64, "conversations");
    let counts = store.import_conversations(&all, &progress(&bar)?).await?;
    bar.finish_and_clear();
    Ok(Summary {
        what: "conversations",
        files: paths.iter().map(|p| display(p)).collect::<Vec<_>>().join(", "),
        read: all.len() as u64,
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
    let bytes = read(path)?;
    let name = display(path);
    let ctx = Context::new(&name, now);
    let source = options.source.clone().unwrap_or_else(|| "import".into());
    let parsed = seatmate_ingest::tickets_csv(&ctx, &bytes, &options.columns, &source).map_err(ingest_error)?;

    let mut known: HashSet<String> = store.taxonomy_codes().await?.into_iter().collect();
    let mut new_nodes: Vec<TaxonomyNode> = Vec::new();
    let mut conversation_ids: HashMap<String, Option<String>> = HashMap::new();
    let mut tickets = Vec::with_capacity(parsed.len());
    for item in parsed {
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
                let id = store.conversation_id_by_external(&external).await?;
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
    if redaction(store).await?.masks_on_store() {
        tickets.iter_mut().for_each(seatmate_redact::mask_ticket);
    }
    let bar = bar(tickets.len() as u64, "tickets");
    let counts = store.import_tickets(&new_nodes, &tickets, &progress(&bar)?).await?;
    bar.finish_and_clear();
    if !new_nodes.is_empty() {
        eprintln!("created {} taxonomy nodes from the ticket labels", new_nodes.len());
    }
    Ok(Summary { what: "tickets", files: name, read: tickets.len() as u64, counts, seconds: start.elapsed().as_secs_f64() })
}

pub async fn taxonomy(store: &dyn Store, path: &Path, now: Millis) -> anyhow::Result<Summary> {
    let start = Instant::now();
    let bytes = read(path)?;
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
    let counts = store.upsert_taxonomy(&parsed.nodes, &progress(&bar)?).await?;
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
    let bytes = read(path)?;
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
        KnowledgeFormat::Faqs => seatmate_ingest::faqs_csv(&Context::new(&name, now), &read(path)?).map_err(ingest_error)?,
        KnowledgeFormat::Flows => seatmate_ingest::flows_json(&Context::new(&name, now), &read(path)?).map_err(ingest_error)?,
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
                    seatmate_ingest::article_markdown(&Context::new(&file_name, now), &key, &read(&file)?)
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
        bytes.push(read(path)?);
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
