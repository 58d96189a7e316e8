//! `seatmate`: one binary to run, feed and administer Seatmate.

mod abstain_eval;
mod cases_eval;
mod config;
mod demo;
mod emotion_eval;
mod emotion_train;
mod eval;
mod import;
mod inspect_speed;
mod pair_eval;
mod pairs_faq;
mod qa_eval;
mod redact_eval;
mod retrieve_eval;
mod risk_eval;
mod scale;
mod simulate_eval;

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context as _};
use clap::{Parser, Subcommand};
use seatmate_core::{AuditAction, Clock, Role};
use seatmate_ingest::{SpeakerMap, TicketColumns};
use seatmate_server::{AppState, ServerOptions, SystemClock};
use seatmate_store::{NewUser, SqlStore, Store};

use crate::config::{Config, Overrides};
use crate::import::{ConversationFormat, ConversationOptions, KnowledgeFormat, TicketOptions};

#[derive(Parser)]
#[command(name = "seatmate", version, about = "Seatmate: AI beside the contact-centre agent")]
struct Cli {
    #[command(flatten)]
    overrides: Overrides,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a demo workspace (a telecom contact centre) on first start, then serve it
    Demo,
    /// Serve the web UI and the API
    Serve,
    /// Import data; each file applies whole or not at all, and re-importing adds nothing
    Import {
        /// The files' character encoding (Chinese spreadsheets often save GBK or Big5)
        #[arg(long, global = true, value_enum, default_value = "utf8")]
        encoding: import::FileEncoding,
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Export data
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Manage users
    User {
        #[command(subcommand)]
        action: UserCommand,
    },
    /// Manage API tokens for integrations
    Token {
        #[command(subcommand)]
        action: TokenCommand,
    },
    /// Measure an engine on a labelled data set
    Eval {
        #[command(subcommand)]
        what: EvalCommand,
    },
    /// Train a model Seatmate runs (the ticket classifier trains itself from confirmed tickets)
    Train {
        #[command(subcommand)]
        what: TrainCommand,
    },
    /// Show what the store holds
    Status,
    /// Print the effective configuration, or with --default a commented default file
    Config {
        #[arg(long)]
        default: bool,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Conversations: native JSONL, STC-3 dialogues, or ASR output (JSON, SRT, WebVTT, CSV)
    Conversations {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The format (default: from the file extension)
        #[arg(long, value_enum)]
        format: Option<ConversationFormat>,
        /// ASR: the speaker label that is the agent (default: the agent labels, else the first speaker)
        #[arg(long)]
        agent_speaker: Option<String>,
        /// ASR: the audio channel that is the agent
        #[arg(long, default_value_t = 0)]
        agent_channel: u32,
        /// ASR: the conversation's external id (default: the file name)
        #[arg(long)]
        external_id: Option<String>,
        /// The agent's username, for conversations that name none
        #[arg(long)]
        agent: Option<String>,
        /// The queue, for conversations that name none
        #[arg(long)]
        queue: Option<String>,
        /// Source name; external ids are unique per source
        #[arg(long)]
        source: Option<String>,
    },
    /// Tickets from CSV, with the columns named here
    Tickets {
        file: PathBuf,
        /// Columns joined into the ticket text, e.g. title,body
        #[arg(long, value_delimiter = ',', required = true)]
        text: Vec<String>,
        /// One column per taxonomy level, top first, e.g. category,sub_category1,sub_category2
        #[arg(long, value_delimiter = ',')]
        label: Vec<String>,
        #[arg(long)]
        id: Option<String>,
        #[arg(long)]
        priority: Option<String>,
        #[arg(long)]
        team: Option<String>,
        /// Column with the external id of the ticket's conversation
        #[arg(long)]
        conversation: Option<String>,
        /// Create taxonomy nodes for label paths that do not exist yet
        #[arg(long)]
        create_taxonomy: bool,
        #[arg(long)]
        source: Option<String>,
    },
    /// Taxonomy: CSV of paths, CSV of nodes, or a JSON tree
    Taxonomy { file: PathBuf },
    /// Teams: CSV code,name_zh,name_en,dispatch
    Teams { file: PathBuf },
    /// FAQ pairs from CSV
    Faqs { file: PathBuf },
    /// A folder of Markdown articles
    Articles { dir: PathBuf },
    /// Guided flows from JSON
    Flows { file: PathBuf },
    /// ABCD agent guidelines as guided flows: guidelines.json, kb.json and ontology.json in DIR
    Abcd { dir: PathBuf },
}

#[derive(Subcommand)]
enum TrainCommand {
    /// The live emotion model, from GoEmotions (English) and SMP2020-EWECT (Chinese)
    Emotion(emotion_train::TrainEmotionArgs),
}

#[derive(Subcommand)]
enum EvalCommand {
    /// Train the ticket classifier on one file and evaluate it on another
    Classify(eval::ClassifyArgs),
    /// Time training and prediction on a generated taxonomy (20,000 categories, 1M tickets by default)
    Scale(scale::ScaleArgs),
    /// Evaluate knowledge retrieval on StackFAQ (NDCG@3, MAP, MRR@10, recall@5, latency)
    Retrieve(retrieve_eval::RetrieveArgs),
    /// When the live cards should say "nothing relevant": the score threshold, chosen on AFQMC train, judged on dev
    Abstain(abstain_eval::AbstainArgs),
    /// Similar solved cases by proxy: past tickets as cases, precision@5 of same-category cases for each test ticket
    Cases(cases_eval::CasesArgs),
    /// Precision and recall of personal-data masking, beside a shape-only baseline
    Redact(redact_eval::RedactArgs),
    /// Emotion macro-F1 and accuracy on GoEmotions and SMP2020-EWECT (or any labelled set), beside peers
    Emotion(emotion_eval::EmotionArgs),
    /// Escalation-risk ROC AUC per customer turn on STC-3 DCH-1, beside learned weights and a lexicon baseline
    Risk(risk_eval::RiskArgs),
    /// Quality-inspection speed: the engine alone, and first inspection and re-inspection of a synthetic history through the store
    InspectSpeed(inspect_speed::InspectSpeedArgs),
    /// Dialogue-quality (A/S/E) and nugget distributions on STC-3 DCH-1 by cross-validation, beside the organisers' baselines
    Qa(qa_eval::QaArgs),
    /// The simulated customer (role-play): act F1 and intent accuracy of its replies against the real next customer turn on CrossWOZ, MultiWOZ and STC-3, beside a random-turn baseline
    Simulate(simulate_eval::SimulateArgs),
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Every conversation as native JSONL
    Conversations {
        /// Output file (default: standard output)
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user; the password is read from standard input (one line)
    Add {
        username: String,
        #[arg(long)]
        role: Role,
        #[arg(long)]
        team: Option<String>,
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Set a user's password from standard input; ends their sessions
    Password { username: String },
    /// Deactivate a user: their sessions end and their API tokens stop working
    Deactivate { username: String },
    /// Reactivate a deactivated user
    Reactivate { username: String },
    /// List users
    List,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token acting as USER; it is printed once
    Create {
        #[arg(long)]
        user: String,
        #[arg(long)]
        name: String,
        /// `read` (GET only) or `write` (all the user may)
        #[arg(long, default_value = "read")]
        scope: seatmate_core::TokenScope,
        /// Days until it stops working (1–365)
        #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(i64).range(1..=365))]
        days: i64,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = (|| {
        let config = Config::load(&cli.overrides, |key| std::env::var(key).ok())?;
        init_logging(&config);
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
        runtime.block_on(run(cli.command, config))
    })();
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("{},sqlx=warn", config.log_level)));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if config.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    if config.database.is_empty() {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("cannot create data dir {}", config.data_dir.display()))?;
    }
    let store = SqlStore::open(&config.database_url()).await?;
    Ok(Arc::new(store))
}

async fn serve(store: Arc<dyn Store>, config: &Config) -> anyhow::Result<()> {
    let aftercall = seatmate_aftercall::AfterCall::start(store.clone()).await?;
    let clock: Arc<dyn seatmate_core::Clock> = Arc::new(SystemClock);
    eprintln!("Indexing the knowledge base and solved cases…");
    std::fs::create_dir_all(&config.data_dir).with_context(|| format!("cannot create {}", config.data_dir.display()))?;
    // the indices build in the background: the server answers at once after a restart
    let assist = seatmate_assist::Assist::start_in_background(store.clone(), clock.clone(), Some(&config.data_dir)).await?;
    let info = assist.info();
    match (&info.encoder, &info.encoder_unavailable) {
        (Some(model), _) => eprintln!("Knowledge: words + meaning ({model}); the index is building in the background"),
        (None, why) => eprintln!(
            "Knowledge: words only ({}); the index is building in the background",
            why.as_deref().unwrap_or("no sentence encoder")
        ),
    }
    let guidance = Arc::new(seatmate_live::KnowledgeGuidance(assist.clone()));
    let bus: Arc<dyn seatmate_live::EventBus> = if config.nats.is_empty() {
        Arc::new(seatmate_live::LocalBus::default())
    } else {
        let url = seatmate_store::redact_url(&config.nats);
        let bus = seatmate_live::NatsBus::connect(&config.nats)
            .await
            .map_err(|error| anyhow::anyhow!("cannot use NATS at {url} for live events: {error}"))?;
        eprintln!("Live events: through NATS JetStream at {url}");
        Arc::new(bus)
    };
    let after_end = Arc::new(seatmate_live::PrefillOnEnd { after_call: aftercall.clone(), clock: clock.clone() });
    classifier_meaning(&aftercall, &assist, &config.data_dir, clock.now_millis());
    let (live, encoder) = live_pipeline(store.clone(), clock.clone(), bus, guidance, after_end, &assist).await?;
    let inspector = quality_inspection(store.clone(), clock.clone(), encoder, assist.clone(), &live).await?;
    let coach = seatmate_learn::Coach::new(store.clone(), clock.clone(), inspector.clone())
        .with_assist(assist.clone())
        .with_audio_dir(config.data_dir.join("audio"));
    let coach = match config.llm() {
        Some(llm) => {
            let llm = seatmate_learn::LlmCustomer::new(llm)?;
            eprintln!("Training: the simulated customer's lines from {} at {}", llm.model(), llm.endpoint());
            coach.with_llm(llm)
        }
        None => coach,
    };
    let coach = Arc::new(coach);
    spawn_case_mining(coach.clone());
    let state = AppState {
        store,
        aftercall,
        assist,
        live,
        inspector,
        coach,
        clock,
        options: ServerOptions { session_hours: config.session_hours, secure_cookies: config.secure_cookies },
        limits: Arc::new(seatmate_server::Limits::for_this_machine()),
    };
    eprintln!("Seatmate is running: open http://{} in a browser", config.listen);
    seatmate_server::serve(state, config.listen, config.metrics_listen)
        .await
        .with_context(|| format!("cannot serve on {}", config.listen))
}

/// The live pipeline: the emotion model from the store, the sentence encoder (each customer turn
/// encoded once, for emotion and opportunity cues), and the workspace's opportunity cues.
async fn live_pipeline(
    store: Arc<dyn Store>,
    clock: Arc<dyn seatmate_core::Clock>,
    bus: Arc<dyn seatmate_live::EventBus>,
    guidance: Arc<seatmate_live::KnowledgeGuidance>,
    after_end: Arc<seatmate_live::PrefillOnEnd>,
    assist: &seatmate_assist::Assist,
) -> anyhow::Result<(Arc<seatmate_live::Live>, Option<Arc<seatmate_embed::CachedEncoder>>)> {
    let mut live = seatmate_live::Live::new(store.clone(), clock, bus).with_guidance(guidance).with_after_end(after_end);
    // the encoder knowledge search loaded: one model in memory, one engine on the cores
    let encoder = assist.encoder();
    if let Some(encoder) = &encoder {
        live = live.with_encoder(encoder.clone());
    }
    match seatmate_live::EmotionStage::load(store.as_ref()).await {
        Ok(stage) => {
            live = live.with_emotion(Arc::new(stage));
            let reads = if live.emotion_reads_meaning() { "words + meaning" } else { "words only" };
            eprintln!("Live emotion: the model trained by `seatmate train emotion` ({reads})");
        }
        Err(why) => eprintln!("Live emotion: off ({why})"),
    }
    let setting = store.setting(seatmate_live::OPPORTUNITY_SETTING).await?;
    let cues = seatmate_live::OpportunityCues::from_setting(setting.as_deref());
    let live = Arc::new(live);
    let encoding = live.clone();
    tokio::task::spawn_blocking(move || encoding.set_opportunities(&cues)).await?;
    Ok((live, encoder))
}

/// The ticket classifier's meaning block: the knowledge encoder's engine with a cache of the
/// classifier's own, and — once the knowledge index is built, so the two do not queue for the
/// engine at start — a version with the meaning block trained in the background when the active
/// one reads words only. Without the model file the classifier stays words only, and says so.
fn classifier_meaning(
    aftercall: &Arc<seatmate_aftercall::AfterCall>,
    assist: &Arc<seatmate_assist::Assist>,
    data_dir: &std::path::Path,
    now: seatmate_core::Millis,
) {
    let Some(encoder) = assist.encoder() else {
        eprintln!("Ticket classifier: words only (no sentence encoder)");
        return;
    };
    let cache = match seatmate_embed::EmbeddingCache::open(&data_dir.join("classifier-vectors.bin"), encoder.dim()) {
        Ok(cache) => cache,
        Err(error) => {
            eprintln!("Ticket classifier: words only ({error})");
            return;
        }
    };
    aftercall.set_encoder(Arc::new(TicketVectors { encoder, cache }));
    eprintln!("Ticket classifier: words + meaning ({})", seatmate_embed::MODEL_NAME);
    let (aftercall, assist) = (aftercall.clone(), assist.clone());
    tokio::spawn(async move {
        while assist.rebuild_status().state == "running" {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        }
        aftercall.add_meaning_in_background(now);
    });
}

/// Sentence vectors of tickets for the classifier (see [`classifier_meaning`]).
struct TicketVectors {
    encoder: Arc<seatmate_embed::CachedEncoder>,
    cache: seatmate_embed::EmbeddingCache,
}

impl seatmate_aftercall::Encode for TicketVectors {
    fn encode(&self, texts: &[&str], cached: bool, progress: &mut dyn FnMut(usize)) -> Result<Vec<Vec<f32>>, String> {
        let engine = &self.encoder.encoder;
        let role = seatmate_embed::Role::Query;
        let vectors = if cached {
            seatmate_embed::embed_through(engine, &self.cache, texts, role, progress)
        } else {
            engine.embed_batch(texts, role)
        };
        vectors.map_err(|e| e.to_string())
    }

    fn begin_sweep(&self) {
        self.cache.begin_sweep();
    }

    fn forget_unused(&self) {
        if let Err(error) = self.cache.finish_sweep() {
            tracing::warn!(%error, "cannot rewrite the classifier's vector cache");
        }
    }
}

/// Sentence vectors for scorecards' `meaning` rules: from the encoder knowledge search loaded, or
/// from a bare encoder. Turns are not cached (the cache holds the knowledge's texts).
pub(crate) struct MeaningEncoder<E>(pub Arc<E>);

impl seatmate_quality::Encode for MeaningEncoder<seatmate_embed::CachedEncoder> {
    fn encode(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, String> {
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        self.0.encoder.embed_batch(&texts, seatmate_embed::Role::Query).map_err(|e| e.to_string())
    }
}

impl seatmate_quality::Encode for MeaningEncoder<seatmate_embed::Encoder> {
    fn encode(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, String> {
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        self.0.embed_batch(&texts, seatmate_embed::Role::Query).map_err(|e| e.to_string())
    }
}

/// Case mining runs this long after start (once the history's inspection is under way), then
/// every [`CASE_MINING_EVERY`].
const CASE_MINING_FIRST: std::time::Duration = std::time::Duration::from_secs(15);
const CASE_MINING_EVERY: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// Mines the history for teaching cases in the background, now and then.
fn spawn_case_mining(coach: Arc<seatmate_learn::Coach>) {
    tokio::spawn(async move {
        tokio::time::sleep(CASE_MINING_FIRST).await;
        loop {
            match coach.mine().await {
                Ok(report) => tracing::info!(cases = report.cases, library = report.library, "case library mined"),
                Err(error) => tracing::warn!(%error, "case mining failed"),
            }
            tokio::time::sleep(CASE_MINING_EVERY).await;
        }
    });
}

/// How often the inspector looks for finished conversations no scorecard inspected yet (an
/// import by another process, a batch stopped by an error).
const INSPECTION_SWEEP: std::time::Duration = std::time::Duration::from_secs(30);

/// Quality inspection: the starter scorecards in a workspace that has none, every finished
/// conversation inspected in the background, and each live conversation as it ends.
async fn quality_inspection(
    store: Arc<dyn Store>,
    clock: Arc<dyn seatmate_core::Clock>,
    encoder: Option<Arc<seatmate_embed::CachedEncoder>>,
    assist: Arc<seatmate_assist::Assist>,
    live: &seatmate_live::Live,
) -> anyhow::Result<Arc<seatmate_inspect::Inspector>> {
    let mut inspector = seatmate_inspect::Inspector::new(store, clock).with_assist(assist);
    if let Some(encoder) = encoder {
        inspector = inspector.with_encoder(Arc::new(MeaningEncoder(encoder)));
    }
    let inspector = Arc::new(inspector);
    let installed = inspector.install_starter_pack().await?;
    if installed > 0 {
        eprintln!("Quality inspection: installed the {installed} starter scorecards");
    }
    inspector.spawn_sweeper(INSPECTION_SWEEP);
    let mut events = live.subscribe();
    let on_end = inspector.clone();
    tokio::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) if matches!(event.kind, seatmate_live::LiveEventKind::Ended { .. }) => {
                    let inspector = on_end.clone();
                    tokio::spawn(async move {
                        // the after-call pre-fill runs first, so the ticket is there to inspect
                        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                        if let Err(error) = inspector.inspect_conversation(&event.id).await {
                            tracing::warn!(conversation = %event.id, %error, "cannot inspect the ended conversation; the sweep will");
                        }
                    });
                }
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });
    Ok(inspector)
}

/// A new file only its owner may read (exports hold customers' words).
fn private_file(path: &std::path::Path) -> anyhow::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).with_context(|| format!("cannot create {}", path.display()))
}

/// Appends an audit entry for something done on the command line.
pub(crate) async fn audit(store: &dyn Store, action: AuditAction, target: &str, detail: &str) -> anyhow::Result<()> {
    let entry = seatmate_core::AuditEntry {
        seq: 0,
        at: SystemClock.now_millis(),
        actor: "cli".into(),
        action,
        target: target.into(),
        detail: detail.into(),
        client: "cli".into(),
    };
    store.append_audit(&entry).await.context("cannot write the audit log")
}

fn read_password() -> anyhow::Result<String> {
    eprint!("password: ");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.chars().count() < 8 {
        bail!("the password must have at least 8 characters");
    }
    Ok(password)
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    let now = SystemClock.now_millis();
    match command {
        Command::Config { default } => {
            if default {
                print!("{}", config::DEFAULT_FILE);
            } else {
                println!("{}", toml::to_string_pretty(&config.redacted())?);
            }
            Ok(())
        }
        Command::Eval { what: EvalCommand::Classify(args) } => eval::classify(&args),
        Command::Eval { what: EvalCommand::Scale(args) } => scale::scale(&args),
        Command::Eval { what: EvalCommand::Retrieve(args) } => retrieve_eval::retrieve(&args),
        Command::Eval { what: EvalCommand::Abstain(args) } => abstain_eval::abstain(&args),
        Command::Eval { what: EvalCommand::Cases(args) } => cases_eval::cases(&args),
        Command::Eval { what: EvalCommand::Redact(args) } => redact_eval::redact(&args),
        Command::Eval { what: EvalCommand::Emotion(args) } => emotion_eval::emotion(&args),
        Command::Train { what: TrainCommand::Emotion(args) } => emotion_train::train(open_store(&config).await?, &args).await,
        Command::Eval { what: EvalCommand::Risk(args) } => risk_eval::risk(&args),
        Command::Eval { what: EvalCommand::InspectSpeed(args) } => inspect_speed::inspect_speed(&args, &config.database).await,
        Command::Eval { what: EvalCommand::Qa(args) } => qa_eval::qa(&args),
        Command::Eval { what: EvalCommand::Simulate(args) } => simulate_eval::simulate(&args),
        Command::Status => {
            let store = open_store(&config).await?;
            let counts = store.counts(&seatmate_store::Scope::All).await?;
            println!("store: {} ({})", store.backend(), seatmate_store::redact_url(&config.database_url()));
            println!("conversations: {}", counts.conversations);
            println!("tickets: {}", counts.tickets);
            println!("taxonomy nodes: {}", counts.taxonomy_nodes);
            println!("knowledge items: {}", counts.knowledge_items);
            println!("users: {}", counts.users);
            Ok(())
        }
        Command::Demo => {
            let store = open_store(&config).await?;
            if demo::load(store.as_ref(), &config.data_dir, now).await? {
                let aftercall = seatmate_aftercall::AfterCall::start(store.clone()).await?;
                let model = aftercall.train("demo", now).await?;
                eprintln!("trained ticket classifier v{} on {} labelled tickets", model.version, model.examples);
                eprintln!("demo workspace ready in {}", config.data_dir.display());
            }
            eprintln!("log in as admin, lead01, qa01, trainer01 or agent01…agent08, password {:?}", demo::DEMO_PASSWORD);
            serve(store, &config).await
        }
        Command::Serve => {
            let store = open_store(&config).await?;
            serve(store, &config).await
        }
        Command::Import { what, encoding } => {
            import::set_encoding(encoding);
            let store = open_store(&config).await?;
            let store = store.as_ref();
            let summary = match what {
                ImportCommand::Conversations {
                    files,
                    format,
                    agent_speaker,
                    agent_channel,
                    external_id,
                    agent,
                    queue,
                    source,
                } => {
                    let options = ConversationOptions {
                        format,
                        speakers: SpeakerMap { agent_speaker, agent_channel },
                        external_id,
                        agent,
                        queue,
                        source,
                    };
                    import::conversations(store, &files, &options, now).await?
                }
                ImportCommand::Tickets { file, text, label, id, priority, team, conversation, create_taxonomy, source } => {
                    let columns = TicketColumns { text, labels: label, id, priority, team, conversation };
                    import::tickets(store, &file, &TicketOptions { columns, source, create_taxonomy }, now).await?
                }
                ImportCommand::Taxonomy { file } => import::taxonomy(store, &file, now).await?,
                ImportCommand::Teams { file } => import::teams(store, &file, now).await?,
                ImportCommand::Faqs { file } => import::knowledge(store, &file, KnowledgeFormat::Faqs, now).await?,
                ImportCommand::Articles { dir } => import::knowledge(store, &dir, KnowledgeFormat::Articles, now).await?,
                ImportCommand::Flows { file } => import::knowledge(store, &file, KnowledgeFormat::Flows, now).await?,
                ImportCommand::Abcd { dir } => import::abcd(store, &dir, now).await?,
            };
            println!("{summary}");
            Ok(())
        }
        Command::Export { what: ExportCommand::Conversations { out } } => {
            let store = open_store(&config).await?;
            let mut writer: Box<dyn Write> = match &out {
                Some(path) => Box::new(std::io::BufWriter::new(private_file(path)?)),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            let mut after: Option<String> = None;
            let mut count = 0u64;
            loop {
                let batch = store.conversations_batch(after.as_deref(), 500).await?;
                let Some(last) = batch.last() else { break };
                after = Some(last.id.clone());
                for conversation in &batch {
                    // exports leave Seatmate: personal data is always masked in them
                    let mut conversation = conversation.clone();
                    seatmate_redact::mask_conversation(&mut conversation);
                    serde_json::to_writer(&mut writer, &conversation)?;
                    writer.write_all(b"\n")?;
                    count += 1;
                }
            }
            writer.flush()?;
            let target = out.as_ref().map_or("stdout".to_string(), |p| p.display().to_string());
            audit(&*store, AuditAction::Export, &target, &format!("conversations={count}")).await?;
            eprintln!("exported {count} conversations (personal data masked)");
            Ok(())
        }
        Command::User { action } => {
            let store = open_store(&config).await?;
            match action {
                UserCommand::Add { username, role, team, display_name } => {
                    let password = read_password()?;
                    seatmate_server::check_password(&username, &password).map_err(anyhow::Error::msg)?;
                    let password_hash = seatmate_server::hash_password(&password).map_err(anyhow::Error::msg)?;
                    let user = NewUser {
                        display_name: display_name.unwrap_or_else(|| username.clone()),
                        username,
                        role,
                        team,
                        password_hash,
                    };
                    let created = store.create_user(&user, now).await?;
                    audit(&*store, AuditAction::UserCreated, &created.username, created.role.as_str()).await?;
                    println!("created user {} ({})", created.username, created.role);
                }
                UserCommand::Password { username } => {
                    let password = read_password()?;
                    seatmate_server::check_password(&username, &password).map_err(anyhow::Error::msg)?;
                    let password_hash = seatmate_server::hash_password(&password).map_err(anyhow::Error::msg)?;
                    store.set_password(&username, &password_hash).await?;
                    audit(&*store, AuditAction::PasswordChanged, &username, "").await?;
                    println!("password changed for {username}; their sessions have ended");
                }
                UserCommand::Deactivate { username } => {
                    let user = store.set_user_active(&username, false).await?;
                    audit(&*store, AuditAction::UserDeactivated, &user.username, "").await?;
                    println!("deactivated {}; their sessions have ended and their API tokens stop working", user.username);
                }
                UserCommand::Reactivate { username } => {
                    let user = store.set_user_active(&username, true).await?;
                    audit(&*store, AuditAction::UserReactivated, &user.username, "").await?;
                    println!("reactivated {}", user.username);
                }
                UserCommand::List => {
                    for user in store.list_users().await? {
                        let state = if user.active { "active" } else { "deactivated" };
                        println!(
                            "{}\t{}\t{}\t{}\t{state}",
                            user.username,
                            user.role,
                            user.team.unwrap_or_default(),
                            user.display_name
                        );
                    }
                }
            }
            Ok(())
        }
        Command::Token { action: TokenCommand::Create { user, name, scope, days } } => {
            let store = open_store(&config).await?;
            let (found, _) = store.user_by_username(&user).await?.with_context(|| format!("no user {user:?}"))?;
            let token = seatmate_server::new_api_token();
            let new = seatmate_store::NewApiToken {
                name: &name,
                user_id: &found.id,
                token_hash: &seatmate_server::hash_secret(&token),
                scope,
                expires_at: Some(now + days * 24 * 3600 * 1000),
            };
            let created = store.create_api_token(&new, now).await?;
            audit(&*store, AuditAction::TokenCreated, &created.id, &format!("scope={} days={days}", scope.as_str())).await?;
            println!("{token}");
            eprintln!(
                "this token acts as {user} ({}), may {}, for {days} days; it is shown only now",
                found.role,
                match scope {
                    seatmate_core::TokenScope::Read => "only read",
                    seatmate_core::TokenScope::Write => "read and write",
                }
            );
            Ok(())
        }
    }
}
