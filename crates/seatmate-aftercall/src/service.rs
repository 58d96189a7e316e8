use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use seatmate_classify::{back_off, likely, siblings, Example, Model, Prediction, TrainConfig, Trained, CANDIDATE_FLOOR};
use seatmate_core::{Conversation, ErrorKind, Millis, Priority, TaxonomyNode, Ticket, TicketStatus};
use seatmate_store::{LabelledText, ModelRecord, Scope, Store, StoreError, TicketChanges, TicketFilter};
use serde::{Deserialize, Serialize};

use crate::dispatch::{dispatch, DispatchDecision, DispatchInput, DispatchRule};
use crate::summary::{summarize, Summary};

/// The model kind under which ticket classifiers are stored.
pub const CLASSIFY_MODEL: &str = "classify";
/// Retrain in the background after this many confirmations or corrections.
pub const RETRAIN_EVERY: i64 = 20;
/// ...but not sooner than this after the active model was trained, so a burst of confirmations
/// (or one agent confirming the same tickets again and again) cannot keep the machine training
/// and fill the store with versions.
pub const MIN_RETRAIN_INTERVAL_MS: Millis = 10 * 60 * 1000;
/// Held-out tickets a new version must be compared on before it can replace the active one by
/// itself: fewer tell too little, and it waits as a candidate for the admin.
pub const MIN_COMPARED_TICKETS: usize = 20;
/// Siblings of the best candidate shown, at most.
const SIBLINGS: usize = 6;
/// Classifier versions kept besides the active one, unless the admin chooses another number.
pub const DEFAULT_VERSIONS_KEPT: usize = 3;
const VERSIONS_KEPT_SETTING: &str = "model_versions_kept";
const SUGGESTIONS: usize = 5;
const PRECISION_SETTING: &str = "auto_accept_precision";
const DEFAULT_PRECISION: f32 = 0.95;
const UTC_OFFSET_SETTING: &str = "utc_offset_minutes";
const DEFAULT_UTC_OFFSET_MINUTES: i64 = 8 * 60;
/// Held-out tickets at or above the auto-accept threshold needed before auto-accept turns on: with
/// fewer, the measured precision is too uncertain to file tickets without a person (at 95 %
/// measured on 100 tickets, the true precision can still be 89 %).
pub const MIN_AUTO_ACCEPT_SUPPORT: usize = 100;
/// How long settings and dispatch rules read from the store are reused. Changes made through this
/// process apply at once; another replica's changes within this time.
const SETTINGS_TTL: Duration = Duration::from_secs(5);

/// Sentence vectors for the classifier's meaning block, one per text, in order. Blocking (called
/// off the async workers); `progress` is told the texts done so far. Training texts go through a
/// cache (`cached`), so retraining does not encode them again; a suggestion's text does not.
pub trait Encode: Send + Sync {
    fn encode(&self, texts: &[&str], cached: bool, progress: &mut dyn FnMut(usize))
        -> std::result::Result<Vec<Vec<f32>>, String>;

    /// Starts noting which cached vectors are used; [`Encode::forget_unused`] then drops the rest
    /// (erased tickets' vectors leave the disk at the next training).
    fn begin_sweep(&self) {}
    fn forget_unused(&self) {}
}

/// Progress is logged each time this many more texts are encoded.
const ENCODE_LOG_EVERY: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum AfterCallError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    NotReady(String),
    #[error("training failed: {0}")]
    Training(String),
}

impl AfterCallError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            AfterCallError::Store(e) => e.kind(),
            AfterCallError::InvalidInput(_) => ErrorKind::InvalidInput,
            AfterCallError::NotReady(_) => ErrorKind::Unavailable,
            AfterCallError::Training(_) => ErrorKind::Internal,
        }
    }
}

type Result<T, E = AfterCallError> = std::result::Result<T, E>;

/// One suggested category with its full path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Candidate {
    pub category: String,
    pub path: Vec<TaxonomyNode>,
    pub probability: f32,
}

/// Why auto-accept is off, for the admin and the agent to see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum AutoAcceptOff {
    /// No model has been trained yet.
    NoModel,
    /// The held-out tickets do not reach the wanted precision at any threshold.
    PrecisionUnreachable,
    /// Too few held-out tickets clear the threshold for its precision to be trusted.
    TooFewHeldOut { have: usize, need: usize },
}

/// The threshold at which the best suggestion is accepted without asking, when the held-out
/// tickets support it.
fn supported_threshold(model: &Model, precision: f32, with_vector: bool) -> std::result::Result<f32, AutoAcceptOff> {
    let threshold = model.threshold_for_precision_with(precision, with_vector).ok_or(AutoAcceptOff::PrecisionUnreachable)?;
    let have = model.reliability_with(with_vector).iter().filter(|p| p.0 >= threshold).count();
    if have < MIN_AUTO_ACCEPT_SUPPORT {
        return Err(AutoAcceptOff::TooFewHeldOut { have, need: MIN_AUTO_ACCEPT_SUPPORT });
    }
    Ok(threshold)
}

/// The pre-filled after-call work for one conversation or text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestion {
    /// The model version that answered; `None` while no model has been trained.
    pub model_version: Option<i64>,
    /// The best category, then the runner-ups at or above the probability floor
    /// ([`seatmate_classify::CANDIDATE_FLOOR`]), at most five, best first.
    pub candidates: Vec<Candidate>,
    /// The top candidate is confident enough to accept without asking (the admin's precision).
    pub auto_accept: bool,
    /// The auto-accept threshold; `None` when auto-accept is off.
    pub threshold: Option<f32>,
    /// Why auto-accept is off, when it is.
    pub auto_accept_off: Option<AutoAcceptOff>,
    /// No candidate, nor any ancestor of the best one, is likely enough: "none of these".
    pub none_of_these: bool,
    /// The deepest ancestor of the best candidate that is confident, when the best one is not.
    pub back_off: Option<Candidate>,
    /// The best candidate's siblings in the taxonomy (the other children of its parent) that the
    /// model gives any probability, each with its subtree's probability, most likely first.
    pub siblings: Vec<Candidate>,
    /// The words that weighed most for the best candidate.
    pub explanation: Vec<(String, f32)>,
    pub dispatch: Option<DispatchDecision>,
    pub priority: Priority,
}

/// The after-call work of a finished conversation, as [`AfterCall::prefill`] gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct Prefilled {
    /// The conversation's ticket: the existing one, or the one just pre-filled.
    pub ticket: Ticket,
    pub suggestion: Suggestion,
    /// The conversation's summary, each sentence linked to its turn.
    pub summary: Summary,
}

/// The precision the admin wants for auto-accept, and what it means on held-out data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AutoAcceptPolicy {
    pub precision: f32,
    /// `None` when auto-accept is off.
    pub threshold: Option<f32>,
    /// Share of held-out tickets accepted at that threshold.
    pub share: f32,
    pub model_version: Option<i64>,
    /// Why auto-accept is off, when it is.
    pub off: Option<AutoAcceptOff>,
}

struct Active {
    record: ModelRecord,
    model: Model,
    /// category → the team most past tickets of it went to
    learned_team: HashMap<String, String>,
}

/// Settings and dispatch rules as last read from the store.
struct Settings {
    precision: f32,
    utc_offset_minutes: i64,
    rules: Vec<DispatchRule>,
    redaction: seatmate_redact::Policy,
    read_at: Instant,
}

/// The whole taxonomy by code, so paths and ancestors need no store query per suggestion.
type Taxonomy = HashMap<String, TaxonomyNode>;

/// The after-call pipeline, shared by the API handlers.
pub struct AfterCall {
    store: Arc<dyn Store>,
    active: RwLock<Option<Arc<Active>>>,
    /// Held for the whole of a training run, from the moment it is claimed.
    training: Arc<tokio::sync::Mutex<()>>,
    settings: RwLock<Option<Arc<Settings>>>,
    taxonomy: RwLock<Arc<Taxonomy>>,
    encoder: RwLock<Option<Arc<dyn Encode>>>,
}

impl AfterCall {
    /// Loads the active model, if any.
    pub async fn start(store: Arc<dyn Store>) -> Result<Arc<AfterCall>> {
        let service = Arc::new(AfterCall {
            store,
            active: RwLock::new(None),
            training: Arc::new(tokio::sync::Mutex::new(())),
            settings: RwLock::new(None),
            taxonomy: RwLock::new(Arc::new(HashMap::new())),
            encoder: RwLock::new(None),
        });
        service.reload().await?;
        Ok(service)
    }

    /// Re-reads the active model version, the taxonomy and the settings from the store (after a
    /// rollback, an import, or on another replica).
    pub async fn reload(&self) -> Result<()> {
        self.reload_taxonomy().await?;
        self.invalidate_settings();
        let loaded = match self.store.active_model(CLASSIFY_MODEL).await? {
            Some((record, bytes)) => {
                let model = tokio::task::spawn_blocking(move || Model::from_bytes(&bytes))
                    .await
                    .map_err(|e| AfterCallError::Training(e.to_string()))?
                    .map_err(|e| AfterCallError::Training(e.to_string()))?;
                let learned_team = self.learned_teams().await?;
                Some(Arc::new(Active { record, model, learned_team }))
            }
            None => None,
        };
        if let Ok(mut active) = self.active.write() {
            *active = loaded;
        }
        Ok(())
    }

    /// Gives the classifier sentence vectors: later trainings fit a meaning block beside the
    /// words, and suggestions use it when the active version has one.
    pub fn set_encoder(&self, encoder: Arc<dyn Encode>) {
        if let Ok(mut slot) = self.encoder.write() {
            *slot = Some(encoder);
        }
    }

    fn encoder(&self) -> Option<Arc<dyn Encode>> {
        self.encoder.read().ok().and_then(|e| e.clone())
    }

    /// When the active version reads words only and an encoder is set, trains a version with the
    /// meaning block in the background (encoding every ticket once, progress in the log); the
    /// words-only version answers until the new one is ready, and is replaced only if the new one
    /// is more accurate cross-validated on the same tickets.
    pub fn add_meaning_in_background(self: &Arc<Self>, now: Millis) {
        let words_only = self.current().is_some_and(|a| a.model.vector_dim().is_none());
        if !words_only || self.encoder().is_none() {
            return;
        }
        let service = Arc::clone(self);
        tokio::spawn(async move {
            let claim = service.training.clone().lock_owned().await;
            // another training may have added it meanwhile
            if service.current().is_some_and(|a| a.model.vector_dim().is_some()) {
                return;
            }
            match service.train_claimed(claim, "meaning", now).await {
                Ok(record) => {
                    tracing::info!(version = record.version, active = record.active, "classifier with meaning block trained")
                }
                Err(error) => tracing::warn!(%error, "training the classifier's meaning block failed"),
            }
        });
    }

    fn current(&self) -> Option<Arc<Active>> {
        self.active.read().ok().and_then(|a| a.clone())
    }

    async fn reload_taxonomy(&self) -> Result<()> {
        let mut nodes = HashMap::new();
        let mut pending = vec![None];
        while let Some(parent) = pending.pop() {
            for child in self.store.taxonomy_children(parent.as_deref()).await? {
                if child.child_count > 0 {
                    pending.push(Some(child.node.code.clone()));
                }
                nodes.insert(child.node.code.clone(), child.node);
            }
        }
        if let Ok(mut taxonomy) = self.taxonomy.write() {
            *taxonomy = Arc::new(nodes);
        }
        Ok(())
    }

    fn taxonomy(&self) -> Arc<Taxonomy> {
        self.taxonomy.read().map(|t| t.clone()).unwrap_or_default()
    }

    /// The path from the root to `code`; the taxonomy is read again once when `code` is new.
    async fn path(&self, code: &str) -> Result<Vec<TaxonomyNode>> {
        if !self.taxonomy().contains_key(code) {
            self.reload_taxonomy().await?;
        }
        let taxonomy = self.taxonomy();
        let mut path = Vec::new();
        let mut next = taxonomy.get(code);
        while let Some(node) = next {
            if path.len() > taxonomy.len() {
                break; // a cycle cannot come from the store, but never loop on one
            }
            path.push(node.clone());
            next = node.parent.as_deref().and_then(|p| taxonomy.get(p));
        }
        if path.is_empty() {
            return Err(AfterCallError::InvalidInput(format!("unknown taxonomy path {code:?}")));
        }
        path.reverse();
        Ok(path)
    }

    fn invalidate_settings(&self) {
        if let Ok(mut settings) = self.settings.write() {
            *settings = None;
        }
    }

    async fn settings(&self) -> Result<Arc<Settings>> {
        let cached = self.settings.read().ok().and_then(|s| s.clone());
        if let Some(settings) = cached.filter(|s| s.read_at.elapsed() < SETTINGS_TTL) {
            return Ok(settings);
        }
        let precision = self.store.setting(PRECISION_SETTING).await?.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_PRECISION);
        let utc_offset_minutes =
            self.store.setting(UTC_OFFSET_SETTING).await?.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_UTC_OFFSET_MINUTES);
        let rules = self
            .store
            .dispatch_rules()
            .await?
            .iter()
            .map(|json| {
                serde_json::from_str(json).map_err(|e| AfterCallError::InvalidInput(format!("stored dispatch rule: {e}")))
            })
            .collect::<Result<Vec<DispatchRule>>>()?;
        let redaction =
            seatmate_redact::Policy::from_setting(self.store.setting(seatmate_redact::POLICY_SETTING).await?.as_deref());
        let settings = Arc::new(Settings { precision, utc_offset_minutes, rules, redaction, read_at: Instant::now() });
        if let Ok(mut slot) = self.settings.write() {
            *slot = Some(settings.clone());
        }
        Ok(settings)
    }

    async fn learned_teams(&self) -> Result<HashMap<String, String>> {
        let mut counts: HashMap<String, HashMap<String, usize>> = HashMap::new();
        for labelled in self.store.labelled_texts().await? {
            if let Some(team) = labelled.team {
                *counts.entry(labelled.category).or_default().entry(team).or_default() += 1;
            }
        }
        Ok(counts
            .into_iter()
            .filter_map(|(category, teams)| {
                teams.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(t, _)| (category, t))
            })
            .collect())
    }

    /// Trains a new version from every labelled ticket in the store and keeps it with its
    /// cross-validated figures. It becomes active at once only when there is no active version,
    /// or when it is better on the same held-out tickets ([`compare`]); otherwise it stays a
    /// candidate for the admin to activate. One training runs at a time; a second call waits.
    pub async fn train(&self, actor: &str, now: Millis) -> Result<ModelRecord> {
        let guard = self.training.clone().lock_owned().await;
        self.train_claimed(guard, actor, now).await
    }

    /// Waits until no training runs (a background one included).
    pub async fn training_idle(&self) {
        drop(self.training.lock().await);
    }

    async fn train_claimed(&self, _claim: tokio::sync::OwnedMutexGuard<()>, actor: &str, now: Millis) -> Result<ModelRecord> {
        let texts: Vec<LabelledText> =
            self.store.labelled_texts().await?.into_iter().filter(|t| !t.text.trim().is_empty()).collect();
        let examples: Vec<Example> = texts.iter().map(|t| Example { text: t.text.clone(), label: t.category.clone() }).collect();
        let n = examples.len();
        let encoder = self.encoder();
        let (trained, vectors, meaning_off) = tokio::task::spawn_blocking(move || {
            let (vectors, meaning_off) = match encoder {
                Some(encoder) => match encode_examples(encoder.as_ref(), &examples) {
                    Ok(vectors) => (Some(vectors), None),
                    Err(why) => (None, Some(format!("the sentence encoder failed: {why}"))),
                },
                None => (None, Some("no sentence encoder".to_string())),
            };
            let trained = Model::train_with_vectors(&examples, vectors.as_deref(), &TrainConfig::for_examples(n));
            (trained, vectors, meaning_off)
        })
        .await
        .map_err(|e| AfterCallError::Training(e.to_string()))?;
        let trained = trained.map_err(|e| AfterCallError::InvalidInput(format!("cannot train yet: {e}")))?;
        let Trained { model, out_of_fold } = trained;
        let active = self.current();
        let comparison = match &active {
            Some(active) => Some(compare(active.clone(), texts, out_of_fold, vectors).await?),
            None => None,
        };
        // the rule: a first model is activated; a later one only when it is better on the same
        // held-out tickets — or, trained on the very tickets a words-only active version was, when
        // its meaning block made it more accurate cross-validated; otherwise it waits as a
        // candidate beside the active one
        let adds_meaning = active.as_ref().is_some_and(|a| {
            a.model.vector_dim().is_none()
                && a.record.examples == n as i64
                && comparison.as_ref().is_some_and(|c| c.tickets == 0)
                && model.dense_choice().is_some_and(|d| d.accuracy_mixed > d.accuracy_words)
        });
        let activate = comparison.as_ref().is_none_or(|c| c.better) || adds_meaning;
        let precision = self.settings().await?.precision;
        let with_vector = model.vector_dim().is_some();
        let supported = supported_threshold(&model, precision, with_vector);
        let held_out = model.reliability_with(with_vector);
        let meaning_off = match (model.dense_choice(), meaning_off) {
            (Some(_), _) => None,
            (None, Some(why)) => Some(why),
            (None, None) => Some("the meaning block did not beat the words cross-validated".to_string()),
        };
        let metrics = serde_json::json!({
            "cross_validation": model.cross_validation(),
            "meaning": model.dense_choice(),
            "meaning_off": meaning_off,
            "labels": model.labels().len(),
            "held_out_examples": held_out.len(),
            "auto_accept_precision": precision,
            "auto_accept_threshold": supported.as_ref().ok(),
            "auto_accept_share": share_at(held_out, supported.as_ref().ok().copied()),
            "auto_accept_off": supported.as_ref().err(),
            "comparison": comparison,
        });
        let version = self.store.list_models(CLASSIFY_MODEL).await?.first().map_or(1, |m| m.version + 1);
        let record = ModelRecord {
            id: uuid::Uuid::new_v4().simple().to_string(),
            kind: CLASSIFY_MODEL.into(),
            version,
            created_at: now,
            created_by: actor.into(),
            examples: n as i64,
            metrics,
            active: activate,
            bytes: 0,
            activated_at: activate.then_some(now),
        };
        let bytes = model.to_bytes();
        // everything the new active version needs is read first, so it answers here the moment the
        // store lists it as active
        let learned_team = match activate {
            true => {
                self.reload_taxonomy().await?;
                Some(self.learned_teams().await?)
            }
            false => None,
        };
        // the new active version answers before the store lists it (never the other way round: a
        // caller that saw it listed must get its answers); a failed save puts the old one back
        let stored = ModelRecord { bytes: bytes.len() as i64, ..record.clone() };
        let replaced = learned_team.and_then(|learned_team| {
            let mut active = self.active.write().ok()?;
            Some(active.replace(Arc::new(Active { record: stored.clone(), model, learned_team })))
        });
        if let Err(error) = self.store.save_model(&record, &bytes).await {
            if let (Some(previous), Ok(mut active)) = (replaced, self.active.write()) {
                *active = previous;
            }
            return Err(error.into());
        }
        let record = stored;
        self.prune().await?;
        tracing::info!(version, examples = n, activated = activate, "trained ticket classifier");
        Ok(record)
    }

    /// Versions kept besides the active one, for rollback: the `model_versions_kept` setting, or
    /// [`DEFAULT_VERSIONS_KEPT`].
    pub async fn versions_kept(&self) -> Result<usize> {
        let setting = self.store.setting(VERSIONS_KEPT_SETTING).await?;
        Ok(setting.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_VERSIONS_KEPT))
    }

    pub async fn set_versions_kept(&self, kept: usize) -> Result<()> {
        if !(1..=100).contains(&kept) {
            return Err(AfterCallError::InvalidInput("versions kept must be 1 to 100".into()));
        }
        self.store.set_setting(VERSIONS_KEPT_SETTING, &kept.to_string()).await?;
        self.prune().await?;
        Ok(())
    }

    /// Deletes the versions beyond the active one and the number kept.
    async fn prune(&self) -> Result<()> {
        let kept = self.versions_kept().await?;
        let pruned = self.store.prune_models(CLASSIFY_MODEL, kept).await?;
        if !pruned.is_empty() {
            let bytes: i64 = pruned.iter().map(|m| m.bytes).sum();
            tracing::info!(versions = pruned.len(), bytes, "pruned old classifier versions");
        }
        Ok(())
    }

    /// Makes a version active: a candidate, or an earlier (or later) version again.
    pub async fn activate(&self, model_id: &str, now: Millis) -> Result<()> {
        self.store.activate_model(model_id, now).await?;
        self.reload().await
    }

    pub async fn auto_accept_policy(&self) -> Result<AutoAcceptPolicy> {
        let precision = self.settings().await?.precision;
        let active = self.current();
        let with_vector = self.reads_meaning(active.as_deref());
        let supported = match &active {
            Some(a) => supported_threshold(&a.model, precision, with_vector),
            None => Err(AutoAcceptOff::NoModel),
        };
        let threshold = supported.as_ref().ok().copied();
        let share = active.as_ref().map_or(0.0, |a| share_at(a.model.reliability_with(with_vector), threshold) as f32);
        Ok(AutoAcceptPolicy {
            precision,
            threshold,
            share,
            model_version: active.map(|a| a.record.version),
            off: supported.err(),
        })
    }

    pub async fn set_auto_accept_precision(&self, precision: f32) -> Result<AutoAcceptPolicy> {
        if !(0.5..=1.0).contains(&precision) {
            return Err(AfterCallError::InvalidInput("precision must be between 0.5 and 1.0".into()));
        }
        self.store.set_setting(PRECISION_SETTING, &precision.to_string()).await?;
        self.invalidate_settings();
        self.auto_accept_policy().await
    }

    /// The workspace's redaction policy (cached with the other settings).
    pub async fn redaction_policy(&self) -> Result<seatmate_redact::Policy> {
        Ok(self.settings().await?.redaction)
    }

    pub async fn set_redaction_policy(&self, policy: seatmate_redact::Policy) -> Result<()> {
        self.store.set_setting(seatmate_redact::POLICY_SETTING, policy.as_str()).await?;
        self.invalidate_settings();
        Ok(())
    }

    pub async fn dispatch_rules(&self) -> Result<Vec<DispatchRule>> {
        Ok(self.settings().await?.rules.clone())
    }

    pub async fn set_dispatch_rules(&self, rules: &[DispatchRule]) -> Result<()> {
        for rule in rules {
            if rule.team.trim().is_empty() {
                return Err(AfterCallError::InvalidInput(format!("rule {:?} names no team", rule.name)));
            }
            if let Some(code) = &rule.category {
                if self.path(code).await.is_err() {
                    return Err(AfterCallError::InvalidInput(format!("rule {:?}: unknown taxonomy path {code:?}", rule.name)));
                }
            }
        }
        let json = rules
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<Vec<String>, _>>()
            .map_err(|e| AfterCallError::InvalidInput(e.to_string()))?;
        self.store.set_dispatch_rules(&json).await?;
        self.invalidate_settings();
        Ok(())
    }

    /// Whether suggestions read the text's meaning: the active version has a meaning block and
    /// an encoder is set.
    fn reads_meaning(&self, active: Option<&Active>) -> bool {
        active.is_some_and(|a| a.model.vector_dim().is_some()) && self.encoder().is_some()
    }

    /// Runs the classifier off the async workers: the top candidates, every label's probability
    /// (the back-off and the best candidate's siblings need them), and whether the text's
    /// sentence vector was used (an encoder failure falls back to words).
    /// The prediction, every label's probability worth showing, whether the text's vector took
    /// part, and whether the text is unlike every training example (see
    /// [`seatmate_classify::Model::is_unfamiliar`]).
    async fn predict(&self, active: &Arc<Active>, text: &str) -> Result<(Prediction, Vec<(String, f32)>, bool, bool)> {
        let active = active.clone();
        let text = text.to_string();
        let encoder = self.encoder().filter(|_| active.model.vector_dim().is_some());
        tokio::task::spawn_blocking(move || {
            let model = &active.model;
            let vector = encoder.and_then(|e| match e.encode(&[text.as_str()], false, &mut |_| {}) {
                Ok(mut v) => v.pop(),
                Err(error) => {
                    tracing::warn!(%error, "the sentence encoder failed: suggesting from words only");
                    None
                }
            });
            // every label ranked in one scoring (the nearest examples' scan is the costly part),
            // the candidates the first of them
            let mut prediction = model.predict_with(&text, vector.as_deref(), model.labels().len());
            // labels with next to no probability cannot lift an ancestor nor be a real sibling:
            // leave them out
            let all: Vec<(String, f32)> = prediction.top.iter().filter(|(_, p)| *p > 1e-4).cloned().collect();
            prediction.top.truncate(SUGGESTIONS);
            let unfamiliar = model.is_unfamiliar(vector.as_deref());
            (prediction, all, vector.is_some(), unfamiliar)
        })
        .await
        .map_err(|e| AfterCallError::Training(e.to_string()))
    }

    /// Suggests category, team and priority for a free text.
    pub async fn suggest(&self, text: &str) -> Result<Suggestion> {
        self.suggest_with(text, None).await
    }

    /// The suggestion for ticket `id`, if `scope` may see it: from its conversation's classifier
    /// text, or from its title and body.
    pub async fn suggestion_for_ticket(&self, scope: &Scope, id: &str) -> Result<Suggestion> {
        let (ticket, _) = self.store.ticket(scope, id).await?.ok_or_else(|| not_found("ticket"))?;
        let conversation = match &ticket.conversation_id {
            Some(conversation) => self.store.conversation(scope, conversation).await?,
            None => None,
        };
        match &conversation {
            Some(c) => self.suggest_with(&c.classifier_text(), Some(c)).await,
            None => self.suggest_with(&ticket.classifier_text(), None).await,
        }
    }

    async fn suggest_with(&self, text: &str, conversation: Option<&Conversation>) -> Result<Suggestion> {
        let lowered = text.to_lowercase();
        let Some(active) = self.current() else {
            return Ok(Suggestion {
                model_version: None,
                candidates: vec![],
                auto_accept: false,
                threshold: None,
                auto_accept_off: Some(AutoAcceptOff::NoModel),
                none_of_these: false,
                back_off: None,
                siblings: vec![],
                explanation: vec![],
                dispatch: None,
                priority: Priority::Normal,
            });
        };
        let model = &active.model;
        let settings = self.settings().await?;
        let (prediction, all, with_vector, unfamiliar) = self.predict(&active, text).await?;
        let supported = supported_threshold(model, settings.precision, with_vector);
        let threshold = supported.as_ref().ok().copied();
        // the best, then only runner-ups with real probability: no zero-probability fillers
        let mut candidates = Vec::with_capacity(prediction.top.len());
        for (category, probability) in likely(&prediction.top, CANDIDATE_FLOOR) {
            let path = self.path(&category).await.unwrap_or_default();
            candidates.push(Candidate { category, path, probability });
        }
        let mut sibling_candidates = Vec::new();
        if let Some(best) = candidates.first() {
            let taxonomy = self.taxonomy();
            for (category, probability) in
                siblings(&all, &best.category, |code| taxonomy.get(code).and_then(|n| n.parent.clone()))
                    .into_iter()
                    .take(SIBLINGS)
            {
                let path = self.path(&category).await.unwrap_or_default();
                sibling_candidates.push(Candidate { category, path, probability });
            }
        }
        let best = prediction.top.first().map_or(0.0, |t| t.1);
        let auto_accept = threshold.is_some_and(|t| best >= t) && !unfamiliar;

        // back off along the taxonomy when the leaf is not sure enough
        let mut back_off_candidate = None;
        let mut none_of_these = false;
        if !auto_accept {
            // the back-off's floor is the precision's threshold, trusted or not: it only narrows
            let floor = model.threshold_for_precision_with(settings.precision, with_vector).unwrap_or(0.5);
            let taxonomy = self.taxonomy();
            match back_off(&all, |code| taxonomy.get(code).and_then(|n| n.parent.clone()), floor) {
                Some((code, probability)) if Some(code.as_str()) != candidates.first().map(|c| c.category.as_str()) => {
                    let path = self.path(&code).await.unwrap_or_default();
                    back_off_candidate = Some(Candidate { category: code, path, probability });
                }
                Some(_) => {}
                None => none_of_these = best < floor / 2.0,
            }
            // unlike every example it learned from: not a category it knows, however it scores
            if unfamiliar {
                (none_of_these, back_off_candidate) = (true, None);
            }
        }

        let priority = suggested_priority(&lowered);
        let dispatch = match candidates.first() {
            Some(best) => self.dispatch_path(&best.path, &lowered, conversation, priority, &active.learned_team).await?,
            None => None,
        };
        Ok(Suggestion {
            model_version: Some(active.record.version),
            candidates,
            auto_accept,
            threshold,
            auto_accept_off: supported.err(),
            none_of_these,
            back_off: back_off_candidate,
            siblings: sibling_candidates,
            explanation: prediction.explanation,
            dispatch,
            priority,
        })
    }

    /// Where a ticket of `category` goes, for the agent who picked another category than the
    /// suggested one (in conversation `conversation_id`, if `scope` may see it).
    pub async fn dispatch_for(
        &self,
        scope: &Scope,
        category: &str,
        conversation_id: Option<&str>,
        priority: Option<Priority>,
    ) -> Result<Option<DispatchDecision>> {
        let conversation = match conversation_id {
            Some(id) => Some(self.store.conversation(scope, id).await?.ok_or_else(|| not_found("conversation"))?),
            None => None,
        };
        let conversation = conversation.as_ref();
        let path = self.path(category).await?;
        let text = conversation.map(|c| c.classifier_text().to_lowercase()).unwrap_or_default();
        let priority = priority.unwrap_or_else(|| suggested_priority(&text));
        let learned = self.current().map(|a| a.learned_team.clone()).unwrap_or_default();
        self.dispatch_path(&path, &text, conversation, priority, &learned).await
    }

    async fn dispatch_path(
        &self,
        path: &[TaxonomyNode],
        lowered: &str,
        conversation: Option<&Conversation>,
        priority: Priority,
        learned: &HashMap<String, String>,
    ) -> Result<Option<DispatchDecision>> {
        let settings = self.settings().await?;
        let offset = settings.utc_offset_minutes;
        let local_hour = conversation.map(|c| ((c.started_at / 60_000 + offset).rem_euclid(24 * 60) / 60) as u8);
        let tier = conversation.and_then(|c| c.attributes.get("customer_tier")).and_then(|v| v.as_str());
        let input = DispatchInput {
            category_path: path,
            priority: Some(priority),
            text: lowered,
            channel: conversation.map(|c| c.channel),
            local_hour,
            customer_tier: tier,
        };
        Ok(dispatch(&settings.rules, &input, learned))
    }

    /// The ticket of finished conversation `conversation_id` (if `scope` may see it), with the
    /// suggestion and the summary: the existing ticket, or a new one pre-filled from them (status
    /// `open` when auto-accepted, else `draft` for the agent to confirm).
    pub async fn prefill(&self, scope: &Scope, conversation_id: &str, actor: &str, now: Millis) -> Result<Prefilled> {
        let conversation = self.store.conversation(scope, conversation_id).await?.ok_or_else(|| not_found("conversation"))?;
        // word segmentation is CPU work: off the async threads, while the suggestion is made
        let summary = tokio::task::spawn_blocking({
            let conversation = conversation.clone();
            move || summarize(&conversation)
        });
        let conversation = &conversation;
        let text = conversation.classifier_text();
        let suggestion = self.suggest_with(&text, Some(conversation)).await?;
        let mut summary = summary.await.unwrap_or_else(|error| {
            // the ticket matters more than its summary
            tracing::warn!(%error, "summarizing the conversation failed");
            Summary::default()
        });
        if self.settings().await?.redaction.masks_on_store() {
            for line in summary.problem.iter_mut().chain(&mut summary.actions).chain(&mut summary.outcome) {
                line.text = seatmate_redact::mask(&line.text);
            }
        }
        // the ticket is the conversation's, whoever may see it
        let filter = TicketFilter { conversation_id: Some(conversation.id.clone()), limit: 1, ..Default::default() };
        let existing = self.store.list_tickets(&Scope::All, &filter).await?;
        if let Some(ticket) = existing.items.into_iter().next() {
            return Ok(Prefilled { ticket, suggestion, summary });
        }
        let best = suggestion.candidates.first();
        let title: String = text.lines().next().unwrap_or_default().chars().take(60).collect();
        let ticket = Ticket {
            id: uuid::Uuid::new_v4().simple().to_string(),
            external_id: format!("conversation:{}", conversation.id),
            source: "seatmate".into(),
            conversation_id: Some(conversation.id.clone()),
            title,
            body: text.chars().take(2000).collect(),
            category: if suggestion.none_of_these { None } else { best.map(|c| c.category.clone()) },
            team: suggestion.dispatch.as_ref().map(|d| d.team.clone()),
            priority: suggestion.priority,
            summary: summary.to_text(conversation),
            status: if suggestion.auto_accept { TicketStatus::Open } else { TicketStatus::Draft },
            created_at: now,
            updated_at: now,
            attributes: serde_json::Map::from_iter([
                ("suggested_by_model".to_string(), serde_json::json!(suggestion.model_version)),
                ("suggested_probability".to_string(), serde_json::json!(best.map(|c| c.probability))),
            ]),
        };
        self.store.create_ticket(&ticket, actor).await?;
        Ok(Prefilled { ticket, suggestion, summary })
    }

    /// Confirms ticket `ticket_id` (if `scope` may see it) as it is, or with corrections; every
    /// confirmation counts toward the next training, which starts in the background every
    /// [`RETRAIN_EVERY`] confirmations (one at a time, at most once per
    /// [`MIN_RETRAIN_INTERVAL_MS`]).
    pub async fn confirm(
        self: &Arc<Self>,
        scope: &Scope,
        ticket_id: &str,
        changes: TicketChanges,
        actor: &str,
        now: Millis,
    ) -> Result<Ticket> {
        self.store.ticket(scope, ticket_id).await?.ok_or_else(|| not_found("ticket"))?;
        if let Some(code) = &changes.category {
            self.path(code).await?;
        }
        // a ticket goes to a team that exists and takes tickets; empty clears the team
        if let Some(team) = changes.team.as_deref().filter(|t| !t.is_empty()) {
            let teams = self.store.list_teams().await?;
            if !teams.iter().any(|t| t.code == team && t.dispatch) {
                return Err(AfterCallError::InvalidInput(format!("team {team:?} does not exist or does not take tickets")));
            }
        }
        let mut changes = TicketChanges { status: Some(TicketStatus::Confirmed), ..changes };
        if self.settings().await?.redaction.masks_on_store() {
            changes.summary = changes.summary.map(|s| seatmate_redact::mask(&s));
        }
        let ticket = self.store.update_ticket(ticket_id, &changes, actor, now).await?;
        // new information counts from the newest version trained, a candidate included: a
        // candidate left waiting must not make every later confirmation train again
        let since = self.store.list_models(CLASSIFY_MODEL).await?.first().map_or(0, |m| m.created_at);
        let due = since == 0 || now - since >= MIN_RETRAIN_INTERVAL_MS;
        if due && self.store.confirmations_since(since).await? >= RETRAIN_EVERY {
            // claimed here and held until the training ends, so two cannot start together
            if let Ok(claim) = self.training.clone().try_lock_owned() {
                let service = Arc::clone(self);
                tokio::spawn(async move {
                    if let Err(error) = service.train_claimed(claim, "auto", now).await {
                        tracing::warn!(%error, "background retraining failed");
                    }
                });
            }
        }
        Ok(ticket)
    }
}

fn not_found(what: &str) -> AfterCallError {
    AfterCallError::Store(StoreError::NotFound(what.into()))
}

/// How a new version did against the active one on the same held-out tickets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comparison {
    /// The active version it was compared with.
    pub against_version: i64,
    /// Tickets compared: labelled or relabelled since the active version was trained (so it never
    /// learned them as they are), and held out of one of the new version's folds.
    pub tickets: usize,
    /// How many of them the new version's fold model filed right (top-1).
    pub candidate_right: usize,
    /// How many of them the active version files right (top-1).
    pub active_right: usize,
    /// Whether the new version is better: at least [`MIN_COMPARED_TICKETS`] tickets, and more of
    /// them right.
    pub better: bool,
}

/// Compares a new version with the active one on the same held-out tickets: those labelled (or
/// relabelled) after the active version was trained — it never learned them as they are — each
/// predicted by the new version's fold model that held it out (`out_of_fold`, one per text). The
/// new version is better when there are at least [`MIN_COMPARED_TICKETS`] such tickets and it
/// files strictly more of them right.
async fn compare(
    active: Arc<Active>,
    texts: Vec<LabelledText>,
    out_of_fold: Vec<Option<String>>,
    vectors: Option<Vec<Vec<f32>>>,
) -> Result<Comparison> {
    tokio::task::spawn_blocking(move || {
        let since = active.record.created_at;
        let (mut tickets, mut candidate_right, mut active_right) = (0, 0, 0);
        for (i, (text, predicted)) in texts.iter().zip(&out_of_fold).enumerate() {
            let Some(predicted) = predicted else { continue };
            if text.updated_at <= since {
                continue;
            }
            tickets += 1;
            candidate_right += usize::from(*predicted == text.category);
            let vector = vectors.as_ref().map(|v| v[i].as_slice());
            let best = active.model.predict_with(&text.text, vector, 1).top.into_iter().next().map(|t| t.0);
            active_right += usize::from(best.as_deref() == Some(text.category.as_str()));
        }
        let better = tickets >= MIN_COMPARED_TICKETS && candidate_right > active_right;
        Comparison { against_version: active.record.version, tickets, candidate_right, active_right, better }
    })
    .await
    .map_err(|e| AfterCallError::Training(e.to_string()))
}

/// Every training text's sentence vector through the encoder's cache, whose vectors of texts no
/// longer trained on are forgotten; progress in the log.
fn encode_examples(encoder: &dyn Encode, examples: &[Example]) -> std::result::Result<Vec<Vec<f32>>, String> {
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let total = texts.len();
    let mut logged = 0;
    encoder.begin_sweep();
    let vectors = encoder.encode(&texts, true, &mut |done| {
        if done >= logged + ENCODE_LOG_EVERY || (done == total && logged > 0 && logged < total) {
            logged = done;
            tracing::info!(done, total, "encoding tickets for the classifier's meaning block");
        }
    })?;
    encoder.forget_unused();
    Ok(vectors)
}

fn share_at(held_out: &[(f32, bool)], threshold: Option<f32>) -> f64 {
    match threshold {
        Some(t) if !held_out.is_empty() => held_out.iter().filter(|p| p.0 >= t).count() as f64 / held_out.len() as f64,
        _ => 0.0,
    }
}

/// Words that make a ticket urgent or high priority (Simplified and Traditional both listed).
const URGENT_WORDS: &[&str] = &["工信部", "监管", "媒体", "曝光", "起诉", "律师", "regulator", "lawyer", "sue "];
const HIGH_WORDS: &[&str] =
    &["投诉", "投訴", "领导", "領導", "主管", "经理", "經理", "complain", "supervisor", "manager", "escalate"];

fn suggested_priority(lowered: &str) -> Priority {
    if URGENT_WORDS.iter().any(|w| lowered.contains(w)) {
        Priority::Urgent
    } else if HIGH_WORDS.iter().any(|w| lowered.contains(w)) {
        Priority::High
    } else {
        Priority::Normal
    }
}
