//! Quality inspection as a service: scorecard versions (saved as drafts, tried on a sample,
//! published), the inspection of every finished conversation by every published scorecard — on
//! its end, and over the history in resumable background batches — the review queue, inspectors'
//! overrides, agents' disputes, the agreement of each rule with people, and weakness profiles.
//!
//! Invariant: calls the quality engine and the store; no HTTP or SQL. CPU work runs on the
//! blocking pool.

mod profile;
mod review;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};

use seatmate_core::{Clock, Conversation, ErrorKind, KnowledgeBody, Millis, TicketStatus};
use seatmate_quality::{Compiled, Encode, Inspection, Scorecard, ScorecardError, Subject, WalkedFlow};
use seatmate_signals::emotion::EmotionModel;
use seatmate_store::{InspectionBatch, Scope, ScorecardVersion, Store, StoreError, StoredInspection, TicketFilter};
use serde::{Deserialize, Serialize};

pub use profile::{ItemProfile, LearningLink, Profile, WeekPoint};
pub use review::{Agreement, DisputeView, InspectionView, ItemRef, QueueEntry, ReviewView, ReviewedItem};

/// Conversations a batch reads and inspects at a time.
pub const BATCH_SIZE: i64 = 128;
/// A pre-filled ticket still a draft this long after its conversation ended counts as not
/// confirmed; before that the agent may still confirm it, and the item waits (not applicable).
pub const CONFIRM_GRACE_MS: Millis = 60 * 60 * 1000;
/// Who the store names for scorecards Seatmate installs itself.
pub const SYSTEM_ACTOR: &str = "seatmate";
/// The store's model kind of the emotion model (`seatmate train emotion`).
const EMOTION_MODEL: &str = "emotion";

#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Scorecard(#[from] ScorecardError),
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Internal(String),
}

impl InspectError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            InspectError::Store(e) => e.kind(),
            InspectError::Scorecard(_) | InspectError::InvalidInput(_) => ErrorKind::InvalidInput,
            InspectError::NotFound(_) => ErrorKind::NotFound,
            InspectError::Forbidden(_) => ErrorKind::Forbidden,
            InspectError::Internal(_) => ErrorKind::Internal,
        }
    }
}

pub type Result<T, E = InspectError> = std::result::Result<T, E>;

/// A published scorecard version, compiled.
struct Card {
    version: i64,
    compiled: Compiled,
}

/// What a draft scorecard made of a sample of conversations, before it is published.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trial {
    pub conversations: usize,
    pub mean_score: f64,
    pub critical_failed: usize,
    /// Per item: how often it passed, failed and did not apply.
    pub items: Vec<TrialItem>,
    /// The sample's conversations with their scores, lowest first.
    pub samples: Vec<TrialSample>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrialItem {
    pub item: String,
    pub name: String,
    pub pass: usize,
    pub fail: usize,
    pub not_applicable: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrialSample {
    pub conversation_id: String,
    pub score: f32,
    pub critical_failed: bool,
}

/// A turn-level reading the engine needs and the store does not keep.
#[derive(Clone)]
struct Readings {
    category_path: Vec<String>,
    ticket_confirmed: Option<bool>,
    valence: Vec<Option<f32>>,
    vectors: Vec<Option<Vec<f32>>>,
    walks: Vec<WalkedFlow>,
}

pub struct Inspector {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    encoder: Option<Arc<dyn Encode + Send + Sync>>,
    assist: Option<Arc<seatmate_assist::Assist>>,
    cards: RwLock<HashMap<String, Arc<Card>>>,
    emotion: RwLock<Option<Arc<EmotionModel>>>,
    /// Scorecard versions whose history batch is running in this process.
    running: Mutex<HashSet<(String, i64)>>,
    /// Category code → the codes from the root down to it; emptied by `load`.
    paths: Mutex<HashMap<String, Vec<String>>>,
}

impl Inspector {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Inspector {
        Inspector {
            store,
            clock,
            encoder: None,
            assist: None,
            cards: RwLock::new(HashMap::new()),
            emotion: RwLock::new(None),
            running: Mutex::new(HashSet::new()),
            paths: Mutex::new(HashMap::new()),
        }
    }

    /// Sentence vectors for `meaning` rules; without an encoder those rules do not apply.
    pub fn with_encoder(mut self, encoder: Arc<dyn Encode + Send + Sync>) -> Inspector {
        self.encoder = Some(encoder);
        self
    }

    /// Knowledge search, which links a weak item to the articles and flows to learn from.
    pub fn with_assist(mut self, assist: Arc<seatmate_assist::Assist>) -> Inspector {
        self.assist = Some(assist);
        self
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Reads the published scorecards and the emotion model. Call at start and after changes.
    pub async fn load(&self) -> Result<()> {
        let published: Vec<ScorecardVersion> =
            self.store.scorecards().await?.into_iter().filter(|c| c.status == "published").collect();
        let mut fresh = HashMap::new();
        for version in published {
            let existing = self.cards.read().ok().and_then(|cards| cards.get(&version.id).cloned());
            if let Some(card) = existing.filter(|c| c.version == version.version) {
                fresh.insert(version.id.clone(), card);
                continue;
            }
            match self.compile(&version.source).await {
                Ok(compiled) => {
                    fresh.insert(version.id.clone(), Arc::new(Card { version: version.version, compiled }));
                }
                Err(error) => {
                    tracing::warn!(scorecard = %version.id, version = version.version, %error, "published scorecard does not compile")
                }
            }
        }
        if let Ok(mut cards) = self.cards.write() {
            *cards = fresh;
        }
        let model = match self.store.active_model(EMOTION_MODEL).await? {
            Some((_, bytes)) => EmotionModel::from_bytes(&bytes).ok().map(Arc::new),
            None => None,
        };
        if let Ok(mut emotion) = self.emotion.write() {
            *emotion = model;
        }
        if let Ok(mut paths) = self.paths.lock() {
            paths.clear();
        }
        Ok(())
    }

    async fn compile(&self, source: &str) -> Result<Compiled> {
        let card = Scorecard::parse(source)?;
        let encoder = self.encoder.clone();
        tokio::task::spawn_blocking(move || Compiled::new(card, encoder.as_deref().map(|e| e as &dyn Encode)))
            .await
            .map_err(|e| InspectError::Internal(e.to_string()))?
            .map_err(InspectError::from)
    }

    /// Checks a scorecard's text without storing it.
    pub fn validate(source: &str) -> Result<Scorecard> {
        Ok(Scorecard::parse(source)?)
    }

    /// Stores a new draft version of the scorecard the text defines.
    pub async fn save(&self, source: &str, actor: &str) -> Result<ScorecardVersion> {
        let card = Scorecard::parse(source)?;
        Ok(self.store.save_scorecard(&card.id, &card.name, source, actor, self.clock.now_millis()).await?)
    }

    /// Publishes a version: it replaces the scorecard's published one, and inspects the history
    /// in the background.
    pub async fn publish(self: &Arc<Self>, id: &str, version: i64) -> Result<()> {
        let stored = self
            .store
            .scorecard(id, version)
            .await?
            .ok_or_else(|| InspectError::NotFound(format!("scorecard {id} version {version}")))?;
        self.compile(&stored.source).await?;
        self.store.publish_scorecard(id, version).await?;
        self.load().await?;
        self.catch_up(id.to_string(), version);
        Ok(())
    }

    pub async fn retire(&self, id: &str) -> Result<()> {
        self.store.retire_scorecard(id).await?;
        self.load().await
    }

    /// Stores and publishes the starter pack when no scorecard exists yet; how many it installed.
    pub async fn install_starter_pack(self: &Arc<Self>) -> Result<usize> {
        if !self.store.scorecards().await?.is_empty() {
            return Ok(0);
        }
        let mut installed = 0;
        for card in seatmate_quality::starter_pack() {
            let saved =
                self.store.save_scorecard(&card.id, &card.name, &card.to_yaml(), SYSTEM_ACTOR, self.clock.now_millis()).await?;
            self.store.publish_scorecard(&saved.id, saved.version).await?;
            installed += 1;
        }
        self.load().await?;
        Ok(installed)
    }

    /// Tries a draft scorecard on the `sample` most recent finished conversations; stores nothing.
    pub async fn trial(&self, source: &str, sample: usize) -> Result<Trial> {
        let compiled = Arc::new(self.compile(source).await?);
        let filter = seatmate_store::ConversationFilter { limit: sample.clamp(1, 500) as i64, ..Default::default() };
        let mut conversations = Vec::new();
        for summary in self.store.list_conversations(&Scope::All, &filter).await?.items {
            if let Some(conversation) = self.store.conversation(&Scope::All, &summary.id).await? {
                conversations.push(conversation);
            }
        }
        let mut readings = Vec::new();
        for conversation in &conversations {
            readings.push(self.readings(conversation).await?);
        }
        let emotion = self.emotion();
        let encoder = self.encoder.clone();
        let inspections = tokio::task::spawn_blocking(move || {
            conversations
                .iter()
                .zip(readings)
                .map(|(c, r)| (c.id.clone(), run(&compiled, c, r, emotion.as_deref(), encoder.as_deref())))
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| InspectError::Internal(e.to_string()))?;
        Ok(trial_of(&inspections))
    }

    /// The emotion model `load` read, if the workspace has one.
    pub fn emotion(&self) -> Option<Arc<EmotionModel>> {
        self.emotion.read().ok().and_then(|e| e.clone())
    }

    /// Inspects a transcript that is not stored (a training session's, so far) by every published
    /// scorecard, with `category_path` standing in for its ticket's; nothing is saved.
    pub async fn inspect_transcript(
        &self,
        conversation: Conversation,
        category_path: Vec<String>,
    ) -> Result<Vec<(String, Inspection)>> {
        let cards = self.published();
        let emotion = self.emotion();
        let encoder = self.encoder.clone();
        tokio::task::spawn_blocking(move || {
            let mut out: Vec<(String, Inspection)> = cards
                .into_iter()
                .map(|(id, card)| {
                    let readings = Readings {
                        category_path: category_path.clone(),
                        ticket_confirmed: None,
                        valence: Vec::new(),
                        vectors: Vec::new(),
                        walks: Vec::new(),
                    };
                    (id, run(&card.compiled, &conversation, readings, emotion.as_deref(), encoder.as_deref()))
                })
                .collect();
            out.sort_by(|a, b| a.0.cmp(&b.0));
            out
        })
        .await
        .map_err(|e| InspectError::Internal(e.to_string()))
    }

    fn published(&self) -> Vec<(String, Arc<Card>)> {
        self.cards.read().map(|cards| cards.iter().map(|(id, card)| (id.clone(), card.clone())).collect()).unwrap_or_default()
    }

    /// What the engine needs beside the conversation: its ticket, category path, and — when the
    /// scorecard reads them — feelings (the emotion model, words only) and sentence vectors.
    async fn readings(&self, conversation: &Conversation) -> Result<Readings> {
        let filter = TicketFilter { conversation_id: Some(conversation.id.clone()), limit: 1, ..TicketFilter::default() };
        let ticket = self.store.list_tickets(&Scope::All, &filter).await?.items.into_iter().next();
        let mut category_path = Vec::new();
        if let Some(code) = ticket.as_ref().and_then(|t| t.category.clone()) {
            let known = self.paths.lock().ok().and_then(|paths| paths.get(&code).cloned());
            category_path = match known {
                Some(path) => path,
                None => {
                    let path: Vec<String> = self.store.taxonomy_path(&code).await?.into_iter().map(|n| n.code).collect();
                    if let Ok(mut paths) = self.paths.lock() {
                        paths.insert(code, path.clone());
                    }
                    path
                }
            };
        }
        let now = self.clock.now_millis();
        let ended = conversation.ended_at.unwrap_or(conversation.started_at);
        let ticket_confirmed = ticket.map(|t| t.is_resolved() || t.status == TicketStatus::Open).and_then(|confirmed| {
            // a fresh pre-fill may still be confirmed: wait before calling it unconfirmed
            (confirmed || now - ended >= CONFIRM_GRACE_MS).then_some(confirmed)
        });
        let walks = self.walks(&conversation.id).await?;
        Ok(Readings { category_path, ticket_confirmed, valence: Vec::new(), vectors: Vec::new(), walks })
    }

    /// The guided flows walked in a conversation, each with the required actions of the version
    /// it was walked in.
    async fn walks(&self, conversation_id: &str) -> Result<Vec<WalkedFlow>> {
        let mut out = Vec::new();
        for walk in self.store.flow_walks(conversation_id).await? {
            let versions = self.store.knowledge_history(&walk.flow_id).await?;
            let Some(item) = versions.iter().find(|v| v.version == walk.flow_version).or(versions.first()) else {
                continue;
            };
            let KnowledgeBody::Flow(flow) = &item.body else { continue };
            let done = walk.steps.iter().filter_map(|s| Some((s.action.clone()?, s.turn))).collect();
            out.push(WalkedFlow { title: item.title.clone(), required: flow.required.clone(), done });
        }
        Ok(out)
    }

    /// Inspects one finished conversation by every published scorecard it has no inspection by
    /// yet; how many inspections it stored.
    pub async fn inspect_conversation(&self, id: &str) -> Result<usize> {
        let Some(conversation) = self.store.conversation(&Scope::All, id).await? else {
            return Err(InspectError::NotFound(format!("conversation {id}")));
        };
        let mut stored = 0;
        for (card_id, card) in self.published() {
            stored += self.inspect_batch(&card_id, &card, vec![conversation.clone()]).await?;
        }
        Ok(stored)
    }

    /// Inspects a finished conversation again by every published scorecard, replacing what they
    /// found before: it gained something they read (a guided flow's walk). Does nothing to a
    /// conversation that has not ended.
    pub async fn reinspect_conversation(&self, id: &str) -> Result<()> {
        let Some(conversation) = self.store.conversation(&Scope::All, id).await? else {
            return Err(InspectError::NotFound(format!("conversation {id}")));
        };
        if conversation.ended_at.is_none() {
            return Ok(());
        }
        let readings = self.readings(&conversation).await?;
        for (card_id, card) in self.published() {
            let readings = readings.clone();
            let (emotion, encoder, job) = (self.emotion(), self.encoder.clone(), card.clone());
            let (now, version, conversation) = (self.clock.now_millis(), card.version, conversation.clone());
            let card_id = card_id.clone();
            let inspection = tokio::task::spawn_blocking(move || {
                let inspection = run(&job.compiled, &conversation, readings, emotion.as_deref(), encoder.as_deref());
                stored_inspection(&card_id, version, &conversation, &inspection, now)
            })
            .await
            .map_err(|e| InspectError::Internal(e.to_string()))??;
            self.store.replace_inspection(&inspection).await?;
        }
        Ok(())
    }

    /// Inspects conversations by one scorecard version and stores the results; how many new.
    async fn inspect_batch(&self, card_id: &str, card: &Arc<Card>, conversations: Vec<Conversation>) -> Result<usize> {
        let mut readings = Vec::with_capacity(conversations.len());
        for conversation in &conversations {
            readings.push(self.readings(conversation).await?);
        }
        let emotion = self.emotion();
        let encoder = self.encoder.clone();
        let job = card.clone();
        let now = self.clock.now_millis();
        let (card_id, version) = (card_id.to_string(), card.version);
        let results = tokio::task::spawn_blocking(move || {
            conversations
                .into_iter()
                .zip(readings)
                .map(|(c, r)| {
                    let inspection = run(&job.compiled, &c, r, emotion.as_deref(), encoder.as_deref());
                    stored_inspection(&card_id, version, &c, &inspection, now)
                })
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| InspectError::Internal(e.to_string()))?;
        let mut stored = 0;
        for inspection in results {
            stored += usize::from(self.store.save_inspection(&inspection?).await?);
        }
        Ok(stored)
    }

    /// Inspects, in the background, every finished conversation the scorecard version has not
    /// inspected yet, recording progress in its batch; one run per version at a time. A restart
    /// resumes where the store says it stopped (conversations already inspected are skipped).
    pub fn catch_up(self: &Arc<Self>, card_id: String, version: i64) {
        let key = (card_id.clone(), version);
        if let Ok(mut running) = self.running.lock() {
            if !running.insert(key.clone()) {
                return;
            }
        }
        let this = self.clone();
        tokio::spawn(async move {
            if let Err(error) = this.run_batch(&card_id, version).await {
                tracing::warn!(scorecard = %card_id, version, %error, "inspection batch stopped; it resumes on the next sweep");
            }
            if let Ok(mut running) = this.running.lock() {
                running.remove(&key);
            }
        });
    }

    async fn run_batch(&self, card_id: &str, version: i64) -> Result<()> {
        let Some(card) = self.published().into_iter().find(|(id, c)| id == card_id && c.version == version).map(|(_, c)| c)
        else {
            return Ok(());
        };
        let previous = self.store.batches().await?.into_iter().find(|b| b.scorecard_id == card_id && b.version == version);
        let total = self.store.finished_conversations().await?;
        let mut batch = match previous {
            Some(b) if b.status == "running" => InspectionBatch { total, ..b },
            Some(b) if b.total == total && b.done >= total => return Ok(()),
            Some(b) => InspectionBatch { after: None, total, status: "running".into(), finished_at: None, ..b },
            None => InspectionBatch {
                scorecard_id: card_id.to_string(),
                version,
                after: None,
                done: 0,
                total,
                status: "running".into(),
                started_at: self.clock.now_millis(),
                finished_at: None,
            },
        };
        batch.done = self.inspected_count(card_id, version).await?;
        self.store.save_batch(&batch).await?;
        loop {
            let conversations = self.store.uninspected(card_id, version, batch.after.as_deref(), BATCH_SIZE).await?;
            let Some(last) = conversations.last().map(|c| c.id.clone()) else { break };
            // counted, not re-read: a count over every stored inspection grows with the history
            batch.done += self.inspect_batch(card_id, &card, conversations).await? as i64;
            batch.after = Some(last);
            self.store.save_batch(&batch).await?;
            tokio::task::yield_now().await;
        }
        batch.done = self.inspected_count(card_id, version).await?;
        batch.total = batch.total.max(batch.done);
        batch.status = "finished".into();
        batch.finished_at = Some(self.clock.now_millis());
        self.store.save_batch(&batch).await?;
        Ok(())
    }

    async fn inspected_count(&self, card_id: &str, version: i64) -> Result<i64> {
        let filter = seatmate_store::InspectionFilter {
            scorecard_id: Some(card_id.to_string()),
            version: Some(version),
            limit: 1,
            ..Default::default()
        };
        Ok(self.store.inspections(&Scope::All, &filter).await?.total)
    }

    /// Catches every published scorecard up with the finished conversations: at start, after an
    /// import, and every `every` in the background (what another process imported, or a batch
    /// stopped by an error).
    pub fn spawn_sweeper(self: &Arc<Self>, every: std::time::Duration) {
        let this = self.clone();
        tokio::spawn(async move {
            loop {
                if let Err(error) = this.load().await {
                    tracing::warn!(%error, "cannot read the scorecards");
                }
                for (id, card) in this.published() {
                    this.catch_up(id, card.version);
                }
                tokio::time::sleep(every).await;
            }
        });
    }

    /// The batches, newest first, with their progress.
    pub async fn batches(&self) -> Result<Vec<InspectionBatch>> {
        Ok(self.store.batches().await?)
    }
}

/// Inspects one conversation: reads feelings and vectors when the scorecard needs them.
fn run(
    compiled: &Compiled,
    conversation: &Conversation,
    mut readings: Readings,
    emotion: Option<&EmotionModel>,
    encoder: Option<&(dyn Encode + Send + Sync)>,
) -> Inspection {
    if compiled.needs_valence() {
        if let Some(model) = emotion {
            readings.valence = conversation.turns.iter().map(|t| Some(model.predict(&t.text, &[]).valence)).collect();
        }
    }
    if compiled.needs_vectors() {
        if let Some(encoder) = encoder {
            let texts: Vec<String> = conversation.turns.iter().map(|t| t.text.clone()).collect();
            if let Ok(vectors) = encoder.encode(&texts) {
                readings.vectors = vectors.into_iter().map(Some).collect();
            }
        }
    }
    let subject = Subject {
        conversation,
        category_path: &readings.category_path,
        ticket_confirmed: readings.ticket_confirmed,
        valence: &readings.valence,
        vectors: &readings.vectors,
        walks: &readings.walks,
    };
    let mut inspection = compiled.inspect(&subject);
    inspection.customer_valence = readings
        .valence
        .iter()
        .zip(&conversation.turns)
        .filter(|(_, t)| t.speaker == seatmate_core::Speaker::Customer)
        .filter_map(|(v, _)| *v)
        .next_back();
    inspection
}

fn stored_inspection(
    card_id: &str,
    version: i64,
    c: &Conversation,
    inspection: &Inspection,
    now: Millis,
) -> Result<StoredInspection> {
    Ok(StoredInspection {
        conversation_id: c.id.clone(),
        scorecard_id: card_id.to_string(),
        version,
        agent: c.agent.clone(),
        started_at: c.started_at,
        score: f64::from(inspection.score),
        critical_failed: inspection.critical_failed,
        inspected_at: now,
        result: serde_json::to_value(inspection).map_err(|e| InspectError::Internal(e.to_string()))?,
    })
}

fn trial_of(inspections: &[(String, Inspection)]) -> Trial {
    let inspections: Vec<&(String, Inspection)> = inspections.iter().filter(|(_, i)| i.applies).collect();
    let mut items: Vec<TrialItem> = Vec::new();
    for (_, inspection) in &inspections {
        for (i, result) in inspection.items.iter().enumerate() {
            if items.len() <= i {
                items.push(TrialItem {
                    item: result.item.clone(),
                    name: result.name.clone(),
                    pass: 0,
                    fail: 0,
                    not_applicable: 0,
                });
            }
            match result.outcome {
                seatmate_quality::Outcome::Pass => items[i].pass += 1,
                seatmate_quality::Outcome::Fail => items[i].fail += 1,
                seatmate_quality::Outcome::NotApplicable => items[i].not_applicable += 1,
            }
        }
    }
    let mut samples: Vec<TrialSample> = inspections
        .iter()
        .map(|(id, i)| TrialSample { conversation_id: id.clone(), score: i.score, critical_failed: i.critical_failed })
        .collect();
    samples.sort_by(|a, b| a.score.total_cmp(&b.score));
    let n = inspections.len();
    Trial {
        conversations: n,
        mean_score: if n == 0 { 0.0 } else { inspections.iter().map(|(_, i)| f64::from(i.score)).sum::<f64>() / n as f64 },
        critical_failed: inspections.iter().filter(|(_, i)| i.critical_failed).count(),
        items,
        samples,
    }
}
