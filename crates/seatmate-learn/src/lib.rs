//! Learning as a service: the case library mined from the history (`mine`, curation), role-play
//! training sessions where Seatmate plays a real case's customer and scores every trainee turn
//! (`training`), and assignments that follow each agent's weakness profile (`assign`).
//!
//! The engines are `seatmate-coach`'s (mining, the simulated customer, turn scoring) and
//! `seatmate-quality`'s scorecards through the `Inspector`. Cases shown for training are masked
//! (`seatmate-redact`) whatever the workspace's redaction policy: they leave their conversation's
//! audience.

mod assign;
mod llm;
mod training;
mod voice;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use seatmate_coach::mine::{self, MineConfig, MineInput, QualityReading};
use seatmate_coach::simulate::{Config as SimConfig, Corpus, SimDialogue, SimTurn, Simulator};
use seatmate_core::{Clock, Conversation, ErrorKind, Millis, Speaker};
use seatmate_inspect::Inspector;
use seatmate_store::{CaseFilter, Curation, InspectionFilter, Page, Scope, Store, StoreError, StoredCase, TicketFilter};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

pub use assign::{Progress, SessionPoint};
pub use llm::{CaseBrief, LlmConfig, LlmCustomer, LlmError};
pub use training::{SessionState, SessionSummary, SessionTurn, SessionView, TurnFeedback};
pub use voice::{CaseVoice, MAX_AUDIO_BYTES};

/// The most conversations one mining run reads (the newest are not preferred: id order).
pub const MINE_LIMIT: usize = 20_000;
/// The most conversations the simulated customer chooses its replies from.
pub const CORPUS_LIMIT: usize = 5_000;

#[derive(Debug, thiserror::Error)]
pub enum LearnError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Inspect(#[from] seatmate_inspect::InspectError),
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Internal(String),
}

impl LearnError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            LearnError::Store(e) => e.kind(),
            LearnError::Inspect(e) => e.kind(),
            LearnError::InvalidInput(_) => ErrorKind::InvalidInput,
            LearnError::NotFound(_) => ErrorKind::NotFound,
            LearnError::Forbidden(_) => ErrorKind::Forbidden,
            LearnError::Conflict(_) => ErrorKind::Conflict,
            LearnError::Internal(_) => ErrorKind::Internal,
        }
    }
}

pub type Result<T, E = LearnError> = std::result::Result<T, E>;

fn joined(e: tokio::task::JoinError) -> LearnError {
    LearnError::Internal(e.to_string())
}

/// What one mining run did.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MineReport {
    pub conversations: usize,
    /// Clusters found (one case each).
    pub cases: usize,
    /// Cases in the library now (curated ones stay when a run no longer finds them).
    pub library: i64,
    pub at: Millis,
}

/// A case with its conversation, as the library and the training room show it (masked).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseView {
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub case: StoredCase,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub conversation: Option<Conversation>,
}

pub struct Coach {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    inspector: Arc<Inspector>,
    assist: Option<Arc<seatmate_assist::Assist>>,
    simulator: RwLock<Option<Arc<Simulator>>>,
    mining: AtomicBool,
    /// Writes the simulated customer's lines when configured (real turns otherwise).
    llm: Option<LlmCustomer>,
    /// Where recordings (`audio_ref`) are found.
    audio_dir: Option<std::path::PathBuf>,
}

impl Coach {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, inspector: Arc<Inspector>) -> Coach {
        Coach {
            store,
            clock,
            inspector,
            assist: None,
            simulator: RwLock::new(None),
            mining: AtomicBool::new(false),
            audio_dir: None,
            llm: None,
        }
    }

    /// A language model writes the simulated customer's lines from the case and a persona; the
    /// real customer turns stay the fallback when it fails.
    pub fn with_llm(mut self, llm: LlmCustomer) -> Coach {
        self.llm = Some(llm);
        self
    }

    /// Knowledge search, which finds the answer or guided flow a training case needs.
    pub fn with_assist(mut self, assist: Arc<seatmate_assist::Assist>) -> Coach {
        self.assist = Some(assist);
        self
    }

    /// Mines the history for teaching cases and stores them (curation kept). One run at a time.
    pub async fn mine(&self) -> Result<MineReport> {
        if self.mining.swap(true, Ordering::SeqCst) {
            return Err(LearnError::Conflict("case mining is already running".into()));
        }
        let result = self.mine_now().await;
        self.mining.store(false, Ordering::SeqCst);
        result
    }

    async fn mine_now(&self) -> Result<MineReport> {
        let conversations = self.finished_conversations(MINE_LIMIT, true).await?;
        let categories = self.categories().await?;
        let quality = self.quality_readings().await?;
        let emotion = self.inspector.emotion();
        let at = self.clock.now_millis();
        let count = conversations.len();
        let mined = tokio::task::spawn_blocking(move || {
            let valences: Vec<Vec<Option<f32>>> = conversations.iter().map(|c| valences(c, emotion.as_deref())).collect();
            let inputs: Vec<MineInput<'_>> = conversations
                .iter()
                .zip(valences)
                .map(|(c, valences)| MineInput {
                    conversation: c,
                    category: categories.get(&c.id).cloned(),
                    quality: quality.get(&c.id).cloned(),
                    valences,
                    vector: None,
                })
                .collect();
            mine::mine(&inputs, &MineConfig::default())
        })
        .await
        .map_err(joined)?;
        let cases: Vec<StoredCase> = mined
            .iter()
            .map(|m| StoredCase {
                id: m.conversation_id.clone(),
                kind: m.kind.as_str().to_string(),
                category: m.category.clone(),
                strength: m.strength,
                cluster_size: m.cluster_size as i64,
                mined: serde_json::json!({ "reasons": m.reasons, "features": m.features, "members": m.members }),
                mined_at: at,
                status: "suggested".into(),
                items: Vec::new(),
                teaching_point: String::new(),
                curated_by: None,
                curated_at: None,
            })
            .collect();
        let library = self.store.save_mined_cases(&cases, at).await?;
        *self.simulator.write().await = None;
        tracing::info!(conversations = count, cases = cases.len(), library, "cases mined");
        Ok(MineReport { conversations: count, cases: cases.len(), library, at })
    }

    /// Finished conversations with a customer turn (and an agent turn, with `with_agent`), in id order.
    async fn finished_conversations(&self, limit: usize, with_agent: bool) -> Result<Vec<Conversation>> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        while out.len() < limit {
            let batch = self.store.conversations_batch(after.as_deref(), 500).await?;
            let Some(last) = batch.last() else { break };
            after = Some(last.id.clone());
            out.extend(batch.into_iter().filter(|c| {
                let ongoing = c.ended_at.is_none() && c.source == "live";
                let customer = c.turns.iter().any(|t| t.speaker == Speaker::Customer);
                let agent = !with_agent || c.turns.iter().any(|t| t.speaker == Speaker::Agent);
                !ongoing && customer && agent
            }));
        }
        out.truncate(limit);
        Ok(out)
    }

    /// Each conversation's ticket category.
    async fn categories(&self) -> Result<HashMap<String, String>> {
        let mut out = HashMap::new();
        let mut offset = 0;
        loop {
            let filter = TicketFilter { limit: 500, offset, ..TicketFilter::default() };
            let page = self.store.list_tickets(&Scope::All, &filter).await?;
            let n = page.items.len() as i64;
            for ticket in page.items {
                if let (Some(conversation), Some(category)) = (ticket.conversation_id, ticket.category) {
                    out.insert(conversation, category);
                }
            }
            offset += n;
            if n < 500 {
                break;
            }
        }
        Ok(out)
    }

    /// Each conversation's inspection by a published scorecard (the lowest score when several).
    async fn quality_readings(&self) -> Result<HashMap<String, QualityReading>> {
        let mut out: HashMap<String, QualityReading> = HashMap::new();
        let mut offset = 0;
        loop {
            let filter = InspectionFilter { published_only: true, limit: 500, offset, ..InspectionFilter::default() };
            let page = self.store.inspections(&Scope::All, &filter).await?;
            let n = page.items.len() as i64;
            for inspection in page.items {
                let failed = failed_items(&inspection.result);
                let reading =
                    QualityReading { score: inspection.score, critical_failed: inspection.critical_failed, failed_items: failed };
                match out.get_mut(&inspection.conversation_id) {
                    Some(existing) => {
                        existing.critical_failed |= reading.critical_failed;
                        existing.score = existing.score.min(reading.score);
                        existing.failed_items.extend(reading.failed_items);
                    }
                    None => {
                        out.insert(inspection.conversation_id, reading);
                    }
                }
            }
            offset += n;
            if n < 500 {
                break;
            }
        }
        Ok(out)
    }

    /// The library, strongest cases first.
    pub async fn cases(&self, filter: &CaseFilter) -> Result<Page<StoredCase>> {
        Ok(self.store.cases(filter).await?)
    }

    /// One case with its conversation, masked.
    pub async fn case(&self, id: &str) -> Result<CaseView> {
        let case = self.store.case(id).await?.ok_or_else(|| LearnError::NotFound(format!("case {id}")))?;
        let conversation = self.store.conversation(&Scope::All, id).await?.map(masked);
        Ok(CaseView { case, conversation })
    }

    /// A trainer's verdict on a case: accept or reject it, tag it with scorecard items, write the
    /// teaching point.
    pub async fn curate(&self, id: &str, status: &str, items: Vec<String>, teaching_point: &str, by: &str) -> Result<StoredCase> {
        if !matches!(status, "accepted" | "rejected" | "suggested") {
            return Err(LearnError::InvalidInput(format!("status must be accepted, rejected or suggested, not {status:?}")));
        }
        if teaching_point.chars().count() > 4_000 {
            return Err(LearnError::InvalidInput("teaching_point: at most 4,000 characters".into()));
        }
        let items: Vec<String> = items.into_iter().map(|i| i.trim().to_string()).filter(|i| !i.is_empty()).collect();
        let curation = Curation {
            status: status.into(),
            items,
            teaching_point: teaching_point.trim().into(),
            by: by.into(),
            at: self.clock.now_millis(),
        };
        Ok(self.store.curate_case(id, &curation).await?)
    }

    /// The simulated customer, built from the history on first use (and after each mining run).
    async fn simulator(&self) -> Result<Arc<Simulator>> {
        if let Some(sim) = self.simulator.read().await.clone() {
            return Ok(sim);
        }
        let mut slot = self.simulator.write().await;
        if let Some(sim) = slot.clone() {
            return Ok(sim);
        }
        let conversations = self.finished_conversations(CORPUS_LIMIT, false).await?;
        let categories = self.categories().await?;
        let emotion = self.inspector.emotion();
        let sim = tokio::task::spawn_blocking(move || {
            let dialogues: Vec<SimDialogue> =
                conversations.iter().map(|c| sim_dialogue(c, categories.get(&c.id).cloned(), emotion.as_deref())).collect();
            Simulator::new(Corpus::new(dialogues), SimConfig::default())
        })
        .await
        .map_err(joined)?
        .map_err(|seatmate_coach::simulate::Error::EmptyCorpus| {
            LearnError::Conflict("the history has no customer replies to play a customer from: import conversations first".into())
        })?;
        let sim = Arc::new(sim);
        *slot = Some(sim.clone());
        Ok(sim)
    }
}

/// The failed items of a stored inspection result.
fn failed_items(result: &serde_json::Value) -> Vec<String> {
    result["items"]
        .as_array()
        .map(|items| {
            items.iter().filter(|i| i["outcome"] == "fail").filter_map(|i| i["item"].as_str().map(str::to_string)).collect()
        })
        .unwrap_or_default()
}

/// The emotion model's valence of each customer turn (words only).
fn valences(conversation: &Conversation, emotion: Option<&seatmate_signals::EmotionModel>) -> Vec<Option<f32>> {
    conversation
        .turns
        .iter()
        .map(|t| match emotion {
            Some(model) if t.speaker == Speaker::Customer => Some(model.predict(&t.text, &[]).valence),
            _ => None,
        })
        .collect()
}

/// A stored conversation as the simulator reads it: the customer's and agent's turns.
fn sim_dialogue(
    conversation: &Conversation,
    intent: Option<String>,
    emotion: Option<&seatmate_signals::EmotionModel>,
) -> SimDialogue {
    let valence = valences(conversation, emotion);
    let turns = conversation
        .turns
        .iter()
        .zip(valence)
        .filter(|(t, _)| matches!(t.speaker, Speaker::Customer | Speaker::Agent))
        .map(|(t, valence)| SimTurn { speaker: t.speaker, text: t.text.clone(), acts: Vec::new(), valence })
        .collect();
    SimDialogue { id: conversation.id.clone(), intent, goal: None, turns }
}

/// A conversation with personal data masked in every turn.
fn masked(mut conversation: Conversation) -> Conversation {
    for turn in &mut conversation.turns {
        turn.text = seatmate_redact::mask(&turn.text);
    }
    conversation.customer_id = None;
    conversation
}
