//! Knowledge assist: what the agent sees beside a conversation. The knowledge base and the solved
//! cases are kept searchable (built from the store at start, updated on every edit, rebuilt on
//! demand with progress); the live cards are queried from the customer's recent turns; agents'
//! verdicts on cards are stored and weigh in later rankings.
//!
//! Invariant: the store is the source of truth; the indices here can always be rebuilt from it.

mod cases;
pub mod walk;

use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use seatmate_core::{
    Clock, Conversation, ErrorKind, FlowWalk, KnowledgeBody, KnowledgeItem, KnowledgeKind, Millis, Speaker, WalkedStep,
};
use seatmate_embed::{CachedEncoder, EmbeddingCache, Encoder};
use seatmate_retrieve::{Hit, KnowledgeIndex};
use seatmate_store::{KnowledgeFeedback, KnowledgeFilter, Scope, Store, StoreError};
use serde::{Deserialize, Serialize};

pub use cases::{CaseHit, CaseIndex, SolvedCase, VisibleCase, MIN_CASE_SCORE};

/// Customer turns the live cards are queried from at most (the most recent ones).
pub const LIVE_TURNS: usize = 3;
/// The latest customer turn alone makes the query when it is at least this long; shorter ones
/// ("好的", "yes") are read with the turns before them.
const LIVE_MIN_CHARS: usize = 12;
/// Knowledge results below this calibrated score are not shown: nineteen in twenty such are wrong.
const MIN_SCORE: f32 = 0.05;
/// What showing a wrong card costs, against one for a right card: a glance and a dismissal.
pub const WRONG_CARD_COST: f64 = 1.0 / 3.0;
/// Live cards below this calibrated score are not shown: the panel says "nothing relevant"
/// instead of guessing. Chosen on Chinese customer questions (`seatmate eval abstain --afqmc`,
/// train: the highest threshold keeping 80 % of the right top cards, 0.288; BENCHMARKS.md).
pub const LIVE_MIN_SCORE: f32 = 0.29;
/// Knowledge results searched for the live cards' flow (the cards show fewer).
const FLOW_SEARCH_DEPTH: usize = 20;
/// A flow is proposed by request type when the classifier puts at least this much probability on
/// it: more likely than not, the customer needs it.
pub const FLOW_MIN_PROBABILITY: f32 = 0.5;
/// Longest walk of a guided flow (a loop walked again and again ends here).
const MAX_WALK_STEPS: usize = 200;
/// Longest live query, in characters (older text is cut first).
const LIVE_QUERY_CHARS: usize = 300;

#[derive(Debug, thiserror::Error)]
pub enum AssistError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Retrieve(#[from] seatmate_retrieve::RetrieveError),
    #[error("a rebuild is already running")]
    Busy,
    #[error("{0}")]
    Invalid(String),
    #[error("index work stopped: {0}")]
    Join(String),
}

impl AssistError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            AssistError::Store(e) => e.kind(),
            AssistError::Retrieve(e) => e.kind(),
            AssistError::Busy => ErrorKind::Conflict,
            AssistError::Invalid(_) => ErrorKind::InvalidInput,
            AssistError::Join(_) => ErrorKind::Internal,
        }
    }
}

pub type Result<T> = std::result::Result<T, AssistError>;

/// Where a rebuild is.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RebuildStatus {
    /// `idle`, `running`, `done` or `failed`.
    pub state: &'static str,
    /// `reading`, `embedding`, `indexing` while running.
    pub phase: &'static str,
    pub done: usize,
    pub total: usize,
    pub started_at: Option<Millis>,
    pub finished_at: Option<Millis>,
    pub error: Option<String>,
}

/// What the index holds and how it searches.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndexInfo {
    pub items: u64,
    pub cases: u64,
    /// The sentence encoder; `None` when search runs on words alone.
    pub encoder: Option<String>,
    /// Why there is no encoder.
    pub encoder_unavailable: Option<String>,
    pub rebuild: RebuildStatus,
}

/// An admin's edit of a knowledge item: the new title, body, category and tags.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KnowledgeEdit {
    pub title: String,
    pub body: KnowledgeBody,
    pub category: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// An agent's verdict on a card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Verdict {
    Used,
    Unhelpful,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Used => "used",
            Verdict::Unhelpful => "unhelpful",
        }
    }
}

/// A free question's answer: knowledge items, and solved cases as the caller may see them.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    pub items: Vec<Hit>,
    pub cases: Vec<VisibleCase>,
}

/// The live cards for a conversation at its latest customer turns.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveCards {
    /// What was asked: the recent customer turns.
    pub query: String,
    /// `latest` (what the customer said last) or `opening` (what they came for: an ended
    /// conversation viewed as a whole).
    pub basis: &'static str,
    /// Index of the last turn the query includes.
    pub upto_turn: Option<usize>,
    /// Index of the customer turn that opened the current topic; cards may stay pinned while it
    /// does not change.
    pub topic_turn: Option<usize>,
    pub knowledge: Vec<Hit>,
    pub cases: Vec<VisibleCase>,
    /// The guided flow for the customer's need: one the search found above [`LIVE_MIN_SCORE`],
    /// else (filled in by the caller, see [`Assist::flow_for_categories`]) the one whose request
    /// type the classifier finds likely.
    pub flow: Option<ProposedFlow>,
}

/// A guided flow proposed for the customer's need, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposedFlow {
    pub id: String,
    pub title: String,
    pub category: Option<String>,
    /// `words`: the search matched the customer's words; `category`: the classifier gives the
    /// flow's request type (its category and those below it) this much probability.
    pub basis: &'static str,
    /// The search's calibrated score, or the request type's probability.
    pub score: f32,
}

/// A guided flow in a conversation: the flow, its walk so far and what the turns show.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowGuide {
    pub flow: KnowledgeItem,
    /// The walk saved so far (none before the agent starts it).
    pub walk: Option<FlowWalk>,
    /// Steps the turns show done, each at its first turn.
    pub recognised: Vec<walk::RecognisedStep>,
    /// At a question step (the walk's last step), the option the customer's answer picks.
    pub answer: Option<walk::RecognisedAnswer>,
}

/// A walk as the agent saves it: every step so far, and the revision it was read at.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalkEdit {
    pub steps: Vec<WalkedStep>,
    /// The revision of the walk this edit read (0: a new walk).
    pub revision: i64,
}

pub struct Assist {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    encoder: std::result::Result<Arc<CachedEncoder>, String>,
    knowledge: RwLock<Arc<KnowledgeIndex>>,
    cases: RwLock<Arc<cases::CaseIndex>>,
    rebuild: Mutex<RebuildStatus>,
    /// Items edited while a rebuild runs (`Some` from before it reads the store until its swap):
    /// replayed into the new index before it replaces the old one, so no edit is lost. Edits
    /// hold this lock while they index, so none slips between the replay and the swap.
    edits_during_rebuild: Mutex<Option<Vec<KnowledgeItem>>>,
    /// Held while feedback counts are read and applied, so a newer count is never overwritten
    /// by an older one.
    feedback_refresh: tokio::sync::Mutex<()>,
}

impl Assist {
    /// Loads the sentence encoder (its vector cache in `workspace`, when given) and builds both
    /// indices from the store. Without the encoder's model file, search works on words alone and
    /// [`Assist::info`] says why.
    pub async fn start(store: Arc<dyn Store>, clock: Arc<dyn Clock>, workspace: Option<&Path>) -> Result<Arc<Assist>> {
        let assist = Assist::open(store, clock, workspace).await?;
        assist.rebuild_now().await?;
        Ok(assist)
    }

    /// [`Assist::start`] without waiting for the indices: they build in the background (the
    /// vector cache makes that quick after a restart) while the server already answers, and
    /// [`Assist::info`] shows the progress.
    pub async fn start_in_background(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        workspace: Option<&Path>,
    ) -> Result<Arc<Assist>> {
        let assist = Assist::open(store, clock, workspace).await?;
        assist.start_rebuild()?;
        Ok(assist)
    }

    async fn open(store: Arc<dyn Store>, clock: Arc<dyn Clock>, workspace: Option<&Path>) -> Result<Arc<Assist>> {
        let workspace = workspace.map(Path::to_path_buf);
        let encoder = tokio::task::spawn_blocking(move || load_encoder(workspace.as_deref()))
            .await
            .map_err(|e| AssistError::Join(e.to_string()))?;
        if let Err(why) = &encoder {
            tracing::warn!("knowledge search on words only: {why}");
        }
        let assist = Arc::new(Assist {
            store,
            clock,
            knowledge: RwLock::new(Arc::new(KnowledgeIndex::in_memory()?)),
            cases: RwLock::new(Arc::new(cases::CaseIndex::new(None)?)),
            encoder,
            rebuild: Mutex::new(RebuildStatus { state: "idle", ..RebuildStatus::default() }),
            edits_during_rebuild: Mutex::new(None),
            feedback_refresh: tokio::sync::Mutex::new(()),
        });
        Ok(assist)
    }

    fn new_index(&self) -> Result<KnowledgeIndex> {
        let index = KnowledgeIndex::in_memory()?.with_min_score(MIN_SCORE);
        Ok(match &self.encoder {
            Ok(encoder) => index.with_encoder(encoder.clone()),
            Err(_) => index,
        })
    }

    pub fn knowledge(&self) -> Arc<KnowledgeIndex> {
        self.knowledge.read().map(|k| k.clone()).unwrap_or_else(|p| p.into_inner().clone())
    }

    fn case_index(&self) -> Arc<cases::CaseIndex> {
        self.cases.read().map(|k| k.clone()).unwrap_or_else(|p| p.into_inner().clone())
    }

    /// The sentence encoder knowledge search loaded (with its vector cache), for the other
    /// pipelines to share: one model in memory, one engine on the cores.
    pub fn encoder(&self) -> Option<Arc<CachedEncoder>> {
        self.encoder.as_ref().ok().cloned()
    }

    pub fn info(&self) -> IndexInfo {
        IndexInfo {
            items: self.knowledge().len(),
            cases: self.case_index().len(),
            encoder: self.encoder.as_ref().ok().map(|_| seatmate_embed::MODEL_NAME.to_string()),
            encoder_unavailable: self.encoder.as_ref().err().cloned(),
            rebuild: self.rebuild_status(),
        }
    }

    pub fn rebuild_status(&self) -> RebuildStatus {
        self.rebuild.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn set_status(&self, update: impl FnOnce(&mut RebuildStatus)) {
        if let Ok(mut status) = self.rebuild.lock() {
            update(&mut status);
        }
    }

    /// Starts a full rebuild in the background; [`Assist::rebuild_status`] follows it. Searches go
    /// on against the old indices until the new ones replace them.
    pub fn start_rebuild(self: &Arc<Self>) -> Result<RebuildStatus> {
        {
            // checked and claimed under one lock, so two requests cannot both start one
            let mut status = self.rebuild.lock().map_err(|_| AssistError::Join("rebuild status poisoned".into()))?;
            if status.state == "running" {
                return Err(AssistError::Busy);
            }
            *status = RebuildStatus { state: "running", phase: "reading", ..RebuildStatus::default() };
        }
        let assist = self.clone();
        tokio::spawn(async move {
            if let Err(error) = assist.rebuild_now().await {
                tracing::error!(%error, "knowledge rebuild failed");
            }
        });
        Ok(self.rebuild_status())
    }

    /// Rebuilds both indices from the store, then swaps them in.
    pub async fn rebuild_now(self: &Arc<Self>) -> Result<()> {
        self.rebuild_around(async {}).await
    }

    /// [`Assist::rebuild_now`], running `before_swap` after the new indices are built and before
    /// they replace the old ones: the window in which edits and feedback must not be lost.
    #[doc(hidden)]
    pub async fn rebuild_around(self: &Arc<Self>, before_swap: impl std::future::Future<Output = ()>) -> Result<()> {
        let now = self.clock.now_millis();
        self.set_status(|s| {
            *s = RebuildStatus { state: "running", phase: "reading", started_at: Some(now), ..RebuildStatus::default() }
        });
        self.with_edits(|edits| *edits = Some(Vec::new()));
        let result = self.rebuild_inner(before_swap).await;
        self.with_edits(|edits| *edits = None);
        let finished = self.clock.now_millis();
        self.set_status(|s| {
            s.finished_at = Some(finished);
            s.phase = "";
            match &result {
                Ok(()) => s.state = "done",
                Err(error) => {
                    s.state = "failed";
                    s.error = Some(error.to_string());
                }
            }
        });
        result
    }

    fn with_edits<T>(&self, f: impl FnOnce(&mut Option<Vec<KnowledgeItem>>) -> T) -> T {
        match self.edits_during_rebuild.lock() {
            Ok(mut edits) => f(&mut edits),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    async fn rebuild_inner(self: &Arc<Self>, before_swap: impl std::future::Future<Output = ()>) -> Result<()> {
        let mut items = Vec::new();
        loop {
            let filter = KnowledgeFilter { kind: None, text: None, limit: 500, offset: items.len() as i64 };
            let page = self.store.list_knowledge(&filter).await?;
            if page.items.is_empty() {
                break;
            }
            items.extend(page.items);
        }
        let solved = cases::solved_cases(self.store.as_ref()).await?;
        let feedback = self.store.knowledge_feedback_counts().await?;
        // vectors of texts no longer in the store (erased, expired, edited away) are forgotten
        if let Ok(encoder) = &self.encoder {
            encoder.cache.begin_sweep();
        }
        let assist = self.clone();
        let (knowledge, case_index) = tokio::task::spawn_blocking(move || -> Result<_> {
            let index = assist.new_index()?;
            index.set_feedback(feedback.into_iter().map(|c| (c.item_id, c.used, c.unhelpful)));
            assist.set_status(|s| s.phase = "embedding");
            let mut progress = |done: usize, total: usize| {
                assist.set_status(|s| {
                    s.done = done;
                    s.total = total;
                })
            };
            index.upsert_with_progress(&items, &mut progress)?;
            let case_index = cases::CaseIndex::new(assist.encoder.as_ref().ok().cloned())?;
            case_index.replace(&solved, &mut progress)?;
            assist.set_status(|s| s.phase = "indexing");
            index.commit()?;
            Ok((index, case_index))
        })
        .await
        .map_err(|e| AssistError::Join(e.to_string()))??;
        before_swap.await;
        let assist = self.clone();
        tokio::task::spawn_blocking(move || -> Result<()> {
            if let Ok(encoder) = &assist.encoder {
                let forgotten = encoder.cache.finish_sweep().map_err(|e| AssistError::Join(e.to_string()))?;
                if forgotten > 0 {
                    tracing::info!(forgotten, "forgot vectors of texts no longer kept");
                }
            }
            let mut edits = assist.edits_during_rebuild.lock().map_err(|_| AssistError::Join("edit log poisoned".into()))?;
            if let Some(edited) = edits.as_mut().filter(|e| !e.is_empty()) {
                knowledge.upsert(edited)?;
                knowledge.commit()?;
                edited.clear();
            }
            tracing::info!(items = knowledge.len(), cases = case_index.len(), "knowledge index built");
            if let Ok(mut slot) = assist.knowledge.write() {
                *slot = Arc::new(knowledge);
            }
            if let Ok(mut slot) = assist.cases.write() {
                *slot = Arc::new(case_index);
            }
            Ok(())
        })
        .await
        .map_err(|e| AssistError::Join(e.to_string()))??;
        // feedback given while the new index was built reaches it now
        self.refresh_feedback().await
    }

    async fn refresh_feedback(&self) -> Result<()> {
        let _serial = self.feedback_refresh.lock().await;
        let counts = self.store.knowledge_feedback_counts().await?;
        self.knowledge().set_feedback(counts.into_iter().map(|c| (c.item_id, c.used, c.unhelpful)));
        Ok(())
    }

    /// Makes edited or imported items searchable (by the next query), in the index that serves
    /// now and, while a rebuild runs, in the one that will replace it.
    pub async fn index_items(self: &Arc<Self>, items: Vec<KnowledgeItem>) -> Result<()> {
        let assist = self.clone();
        tokio::task::spawn_blocking(move || -> Result<()> {
            let mut edits = assist.edits_during_rebuild.lock().map_err(|_| AssistError::Join("edit log poisoned".into()))?;
            let index = assist.knowledge();
            index.upsert(&items)?;
            index.commit()?;
            if let Some(log) = edits.as_mut() {
                log.extend(items);
            }
            Ok(())
        })
        .await
        .map_err(|e| AssistError::Join(e.to_string()))?
    }

    /// An admin's edit: checked, stored as a new version (the old one kept), and searchable by the
    /// time this returns.
    pub async fn edit_item(self: &Arc<Self>, id: &str, edit: KnowledgeEdit, actor: &str) -> Result<KnowledgeItem> {
        let mut item = self.store.knowledge_item(id).await?.ok_or_else(|| not_found("knowledge item"))?;
        if edit.title.trim().is_empty() {
            return Err(AssistError::Invalid("title must not be empty".into()));
        }
        if std::mem::discriminant(&edit.body) != std::mem::discriminant(&item.body) {
            return Err(AssistError::Invalid(format!("body must stay a {}", item.kind())));
        }
        if let KnowledgeBody::Flow(flow) = &edit.body {
            flow.validate().map_err(AssistError::Invalid)?;
        }
        let category = edit.category.map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
        if let Some(code) = &category {
            if self.store.taxonomy_node(code).await?.is_none() {
                return Err(AssistError::Invalid(format!("category {code:?} is not in the taxonomy")));
            }
        }
        item.title = edit.title.trim().to_string();
        item.body = edit.body;
        item.category = category;
        item.tags = edit.tags.into_iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
        item.updated_at = self.clock.now_millis();
        item.updated_by = actor.to_string();
        self.store.upsert_knowledge(std::slice::from_ref(&item)).await?;
        let stored = self.store.knowledge_item(id).await?.ok_or_else(|| not_found("knowledge item"))?;
        self.index_items(vec![stored.clone()]).await?;
        Ok(stored)
    }

    /// Free question to the knowledge base.
    pub async fn search(&self, query: String, k: usize) -> Result<Vec<Hit>> {
        let index = self.knowledge();
        tokio::task::spawn_blocking(move || index.search(&query, k))
            .await
            .map_err(|e| AssistError::Join(e.to_string()))?
            .map_err(Into::into)
    }

    /// Solved cases like `text`, leaving out the conversation `except`, as `scope` may see them.
    pub async fn similar_cases(&self, scope: &Scope, text: String, except: Option<String>, k: usize) -> Result<Vec<VisibleCase>> {
        let cases = self.case_index();
        let hits = tokio::task::spawn_blocking(move || cases.search(&text, except.as_deref(), k))
            .await
            .map_err(|e| AssistError::Join(e.to_string()))??;
        Ok(hits.into_iter().map(|hit| hit.for_viewer(scope)).collect())
    }

    /// A free question: knowledge items and similar solved cases.
    pub async fn ask(&self, scope: &Scope, question: String, k: usize) -> Result<Answer> {
        if question.trim().is_empty() {
            return Ok(Answer { items: Vec::new(), cases: Vec::new() });
        }
        let items = self.search(question.clone(), k).await?;
        let cases = self.similar_cases(scope, question, None, 3).await?;
        Ok(Answer { items, cases })
    }

    /// The cards for conversation `id` (if `scope` may see it) as of turn `upto` (its end when
    /// `None`): knowledge and similar solved cases for what the customer said last.
    pub async fn live_cards(&self, scope: &Scope, id: &str, upto: Option<usize>, k: usize) -> Result<LiveCards> {
        let conversation = self.store.conversation(scope, id).await?.ok_or_else(|| not_found("conversation"))?;
        let conversation = &conversation;
        let LiveQuery { text: query, upto_turn, topic_turn } = live_query(conversation, upto);
        let basis = if upto.is_none() && conversation.ended_at.is_some() { "opening" } else { "latest" };
        if query.is_empty() {
            return Ok(LiveCards { query, basis, upto_turn, topic_turn, knowledge: Vec::new(), cases: Vec::new(), flow: None });
        }
        // more than k, so that the best flow is found even below the top k
        let mut knowledge = self.search(query.clone(), k.max(FLOW_SEARCH_DEPTH)).await?;
        knowledge.retain(|hit| hit.score >= LIVE_MIN_SCORE);
        let flow = knowledge.iter().find(|hit| hit.kind == KnowledgeKind::Flow).map(|hit| ProposedFlow {
            id: hit.id.clone(),
            title: hit.title.clone(),
            category: None,
            basis: "words",
            score: hit.score,
        });
        knowledge.truncate(k);
        let cases = self.similar_cases(scope, query.clone(), Some(conversation.id.clone()), k.min(3)).await?;
        Ok(LiveCards { query, basis, upto_turn, topic_turn, knowledge, cases, flow })
    }

    /// The guided flow whose request type (its category and every category below it) holds at
    /// least [`FLOW_MIN_PROBABILITY`] of a classifier's candidates, each given as its taxonomy
    /// path (codes from the root down) and probability; the most likely such flow.
    pub async fn flow_for_categories(&self, candidates: &[(Vec<String>, f32)]) -> Result<Option<ProposedFlow>> {
        let filter = KnowledgeFilter { kind: Some(KnowledgeKind::Flow), limit: 1000, ..KnowledgeFilter::default() };
        let flows = self.store.list_knowledge(&filter).await?.items;
        let mass = |category: &str| -> f32 {
            candidates.iter().filter(|(path, _)| path.iter().any(|code| code == category)).map(|(_, p)| p).sum()
        };
        let best = flows
            .into_iter()
            .filter_map(|item| {
                let score = mass(item.category.as_deref()?);
                Some(ProposedFlow { id: item.id, title: item.title, category: item.category, basis: "category", score })
            })
            .filter(|flow| flow.score >= FLOW_MIN_PROBABILITY)
            .max_by(|a, b| a.score.total_cmp(&b.score));
        Ok(best)
    }

    /// Guided flow `flow_id` in conversation `id` (if `scope` may see it), as of turn `upto`.
    pub async fn flow_guide(&self, scope: &Scope, id: &str, flow_id: &str, upto: Option<usize>) -> Result<FlowGuide> {
        let conversation = self.store.conversation(scope, id).await?.ok_or_else(|| not_found("conversation"))?;
        let flow_item = self.store.knowledge_item(flow_id).await?.ok_or_else(|| not_found("guided flow"))?;
        let KnowledgeBody::Flow(flow) = &flow_item.body else {
            return Err(AssistError::Invalid(format!("{flow_id} is a {}, not a guided flow", flow_item.kind())));
        };
        let walk = self.store.flow_walks(id).await?.into_iter().find(|w| w.flow_id == flow_id);
        let recognised = walk::recognise_steps(flow, &conversation, upto);
        let answer = walk.as_ref().and_then(|w| {
            // the answer comes after the turn the question was reached at (the agent's last turn
            // before it, as far as the walk knows)
            let at = w.steps.last()?;
            let asked_after = w.steps.iter().rev().find_map(|s| s.turn);
            walk::recognise_answer(flow, &at.step, &conversation, asked_after, upto)
        });
        Ok(FlowGuide { flow: flow_item, walk, recognised, answer })
    }

    /// Saves the agent's walk of flow `flow_id` in conversation `id` (which `scope` must see):
    /// checked against the flow, refused when another save came since `edit.revision`.
    pub async fn save_walk(&self, scope: &Scope, id: &str, flow_id: &str, edit: WalkEdit, actor: &str) -> Result<FlowWalk> {
        self.store.conversation(scope, id).await?.ok_or_else(|| not_found("conversation"))?;
        let flow_item = self.store.knowledge_item(flow_id).await?.ok_or_else(|| not_found("guided flow"))?;
        let KnowledgeBody::Flow(flow) = &flow_item.body else {
            return Err(AssistError::Invalid(format!("{flow_id} is a {}, not a guided flow", flow_item.kind())));
        };
        if edit.steps.len() > MAX_WALK_STEPS {
            return Err(AssistError::Invalid(format!("a walk has at most {MAX_WALK_STEPS} steps")));
        }
        walk::check_walk(flow, &edit.steps).map_err(AssistError::Invalid)?;
        let previous = self.store.flow_walks(id).await?.into_iter().find(|w| w.flow_id == flow_id);
        let mut walk = FlowWalk {
            conversation_id: id.to_string(),
            flow_id: flow_id.to_string(),
            flow_version: previous.as_ref().map_or(flow_item.version, |p| p.flow_version),
            steps: edit.steps,
            finished: false,
            updated_by: actor.to_string(),
            updated_at: self.clock.now_millis(),
            revision: edit.revision,
        };
        walk.finished = walk::walk_finished(flow, &walk);
        Ok(self.store.save_flow_walk(&walk).await?)
    }

    /// The guided flows walked in conversation `id` (which `scope` must see).
    pub async fn flow_walks(&self, scope: &Scope, id: &str) -> Result<Vec<FlowWalk>> {
        self.store.conversation(scope, id).await?.ok_or_else(|| not_found("conversation"))?;
        Ok(self.store.flow_walks(id).await?)
    }

    /// Records an agent's verdict on a card (given in a conversation `scope` may see) and lets it
    /// weigh in from the next query on.
    pub async fn feedback(
        &self,
        scope: &Scope,
        item_id: &str,
        user_id: &str,
        verdict: Verdict,
        query: &str,
        conversation_id: Option<&str>,
    ) -> Result<()> {
        if let Some(id) = conversation_id {
            self.store.conversation(scope, id).await?.ok_or_else(|| not_found("conversation"))?;
        }
        if self.store.knowledge_item(item_id).await?.is_none() {
            return Err(not_found("knowledge item"));
        }
        let feedback = KnowledgeFeedback {
            id: uuid::Uuid::new_v4().to_string(),
            item_id: item_id.to_string(),
            user_id: user_id.to_string(),
            verdict: verdict.as_str().to_string(),
            query: query.chars().take(1000).collect(),
            conversation_id: conversation_id.map(str::to_string),
            created_at: self.clock.now_millis(),
        };
        self.store.add_knowledge_feedback(&feedback).await?;
        self.refresh_feedback().await
    }
}

fn not_found(what: &str) -> AssistError {
    AssistError::Store(StoreError::NotFound(what.into()))
}

fn load_encoder(workspace: Option<&Path>) -> std::result::Result<Arc<CachedEncoder>, String> {
    let encoder = Encoder::load_default(workspace).map_err(|e| e.to_string())?;
    let cache = match workspace {
        Some(dir) => EmbeddingCache::open(&dir.join("vectors.bin"), encoder.dim()).map_err(|e| e.to_string())?,
        None => EmbeddingCache::in_memory(encoder.dim()),
    };
    Ok(Arc::new(CachedEncoder { encoder, cache }))
}

/// What the live cards are asked from, and where the conversation's current topic began.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LiveQuery {
    pub text: String,
    /// Index of the last turn looked at.
    pub upto_turn: Option<usize>,
    /// Index of the customer turn that opened the current topic: while it stays, so does the
    /// subject of the cards.
    pub topic_turn: Option<usize>,
}

/// Words that carry a conversation's procedure, not its topic: identity checks, courtesy,
/// closings. A customer turn made only of these (是我本人，后六位是…; 好的，没有其他问题了，谢谢)
/// never moves the cards.
const PROCEDURAL_WORDS: &[&str] = &[
    "本人",
    "机主",
    "户主",
    "身份",
    "身份证",
    "身份证号",
    "证件",
    "证件号",
    "四位",
    "六位",
    "姓名",
    "名字",
    "全名",
    "验证码",
    "验证",
    "核实",
    "生日",
    "出生",
    "问题",
    "其他",
    "别的",
    "事情",
    "再见",
    "拜拜",
    "辛苦",
    "满意",
    "评价",
    "感谢",
    "不客气",
    "没事",
    "没了",
    "明白",
    "清楚",
    "了解",
    "收到",
    "稍等",
    "等等",
    "放心",
    "行吧",
    "可以了",
    "谢了",
    "name",
    "birth",
    "date",
    "digits",
    "last",
    "four",
    "six",
    "code",
    "verify",
    "verification",
    "identity",
    "security",
    "anything",
    "else",
    "bye",
    "goodbye",
    "great",
    "perfect",
    "appreciate",
    "question",
    "questions",
    "welcome",
    "fine",
    "good",
];

/// The words of a customer turn that say what it is about: content words that are not
/// procedure.
fn topic_words(text: &str) -> std::collections::HashSet<String> {
    seatmate_text::tokens(&seatmate_text::normalize(text))
        .into_iter()
        .map(|t| t.text)
        .filter(|w| seatmate_text::is_content_word(w) && !PROCEDURAL_WORDS.contains(&w.as_str()))
        .collect()
}

/// What the cards are asked from: the customer's need, followed across the conversation.
///
/// Customer turns that carry no topic (identity checks, pleasantries, closings; see
/// [`PROCEDURAL_WORDS`]) are passed over. The rest fall into topics: a turn opens a new topic when
/// it is a full sentence (at least [`LIVE_MIN_CHARS`] characters) with two or more topic words,
/// none shared with the current topic; otherwise it adds to the current one. During a
/// conversation (or a replay up to turn `upto`) the query is the current topic's need — its
/// opening turns, read together until they make a sentence (at most [`LIVE_TURNS`]) — and its
/// latest turn. For an ended conversation viewed whole (`upto` is `None`), what the customer came
/// for: the first topic's need. Cut to [`LIVE_QUERY_CHARS`].
pub fn live_query(conversation: &Conversation, upto: Option<usize>) -> LiveQuery {
    let end = upto.map_or(conversation.turns.len(), |u| u.saturating_add(1).min(conversation.turns.len()));
    let opening = upto.is_none() && conversation.ended_at.is_some();
    let topical: Vec<(usize, &str, std::collections::HashSet<String>)> = conversation.turns[..end]
        .iter()
        .enumerate()
        .filter(|(_, t)| t.speaker == Speaker::Customer)
        .map(|(i, t)| (i, t.text.trim(), topic_words(&t.text)))
        .filter(|(_, _, words)| !words.is_empty())
        .collect();
    let upto_turn = end.checked_sub(1);
    // where each topic starts, in `topical`
    let mut starts = vec![0];
    let mut words: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (n, (_, text, turn_words)) in topical.iter().enumerate() {
        let new_topic =
            n > 0 && text.chars().count() >= LIVE_MIN_CHARS && turn_words.len() >= 2 && turn_words.is_disjoint(&words);
        if new_topic {
            starts.push(n);
            words.clear();
        }
        words.extend(turn_words.iter().cloned());
    }
    if topical.is_empty() {
        return LiveQuery { text: String::new(), upto_turn, topic_turn: None };
    }
    let from = if opening { 0 } else { starts[starts.len() - 1] };
    let until = if opening { starts.get(1).copied().unwrap_or(topical.len()) } else { topical.len() };
    let topic = &topical[from..until];
    let mut parts: Vec<&str> = Vec::new();
    let mut chars = 0;
    for (_, text, _) in topic.iter().take(LIVE_TURNS) {
        if chars >= LIVE_MIN_CHARS {
            break;
        }
        chars += text.chars().count();
        parts.push(text);
    }
    if !opening {
        let latest = topic[topic.len() - 1].1;
        if !parts.contains(&latest) {
            parts.push(latest);
        }
    }
    let text = parts.join(" ");
    let skip = text.chars().count().saturating_sub(LIVE_QUERY_CHARS);
    LiveQuery { text: text.chars().skip(skip).collect(), upto_turn, topic_turn: Some(topic[0].0) }
}
