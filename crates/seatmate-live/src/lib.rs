//! Live conversations: what a CTI/ASR pipeline or a chat system pushes while a conversation
//! happens (`LiveMessage`, docs/live-protocol.md), applied in sequence and exactly once through
//! the store, and published as [`LiveEvent`]s to the desks that may see them.
//!
//! Invariant: the store decides what is applied (a compare-and-set on the sequence number, in one
//! transaction), so replays after a reconnect or a crash, and two replicas receiving the same
//! message, apply it once. Events go out only after the write is durable. Text is masked under the
//! workspace's `store` redaction policy before it is stored or published.

mod after_call;
mod bus;
mod emotion;
mod event;
mod guidance;
mod nats;
mod opportunity;
mod parse;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use seatmate_core::{
    Clock, Conversation, LiveEnd, LiveMessage, LivePartial, LiveReply, LiveStart, LiveState, LiveTurn, Millis, Speaker, Turn,
};
use seatmate_store::{LiveOutcome, LiveWrite, Scope, Store};

pub use after_call::{AfterCallReady, AfterEnd, LiveIntent, PrefillOnEnd};
pub use bus::{EventBus, LocalBus};
pub use emotion::{EmotionStage, TurnEmotion, ValencePoint, EMOTION_MODEL};
pub use event::{Audience, LiveEvent, LiveEventKind, NextStep, Signals, WallEntry};
pub use guidance::KnowledgeGuidance;
pub use nats::NatsBus;
pub use opportunity::{Opportunity, OpportunityCue, OpportunityCues, OpportunityMatcher, OPPORTUNITY_SETTING};
pub use parse::{parse_messages, MAX_TEXT_BYTES};
pub use seatmate_signals::risk::{ReasonKind, Risk, RiskLevel, RiskReason, RiskTracker};
pub use seatmate_signals::timing::{self, timing, Timing, LONG_SILENCE_MS, TALK_OVER_MS};

/// The source of conversations that arrive live; their ids derive from it and the sender's id.
pub const LIVE_SOURCE: &str = "live";

/// How long the redaction policy is trusted before it is read again.
const POLICY_TTL_MS: Millis = 10_000;

/// Where the next step for a risky conversation comes from (the knowledge base, in the server).
#[async_trait::async_trait]
pub trait Guidance: Send + Sync {
    /// The item that tells the agent what to do about `risk`, given the customer's latest words.
    async fn next_step(&self, risk: &Risk, customer_said: &str) -> Option<NextStep>;
}

pub struct Live {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    bus: Arc<dyn EventBus>,
    guidance: Option<Arc<dyn Guidance>>,
    after_end: Option<Arc<dyn AfterEnd>>,
    /// Encodes each customer turn once, for the emotion model and the opportunity cues.
    encoder: Option<Arc<seatmate_embed::CachedEncoder>>,
    emotion: Option<Arc<EmotionStage>>,
    opportunities: Arc<std::sync::RwLock<Arc<OpportunityMatcher>>>,
    /// Each ongoing conversation's customer valence so far, and the opportunities found.
    read_so_far: Arc<Mutex<HashMap<String, ReadSoFar>>>,
    reading: Arc<ReadingGate>,
    audiences: Mutex<HashMap<String, Audience>>,
    /// Each ongoing conversation's risk so far (rebuilt from its stored turns when missing).
    trackers: Arc<Mutex<HashMap<String, RiskTracker>>>,
    /// Each ongoing conversation's latest turn, for the timing of the next.
    last_turns: Mutex<HashMap<String, Turn>>,
    policy: Mutex<(Millis, seatmate_redact::Policy)>,
}

/// Seatmate's id of the live conversation the sender calls `conversation`.
pub fn live_id(conversation: &str) -> String {
    seatmate_ingest::record_id(seatmate_ingest::CONVERSATION, LIVE_SOURCE, conversation)
}

impl Live {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, bus: Arc<dyn EventBus>) -> Live {
        Live {
            store,
            clock,
            bus,
            guidance: None,
            after_end: None,
            encoder: None,
            emotion: None,
            opportunities: Arc::default(),
            read_so_far: Arc::default(),
            reading: Arc::new(ReadingGate::for_this_machine()),
            audiences: Mutex::default(),
            trackers: Arc::default(),
            last_turns: Mutex::default(),
            policy: Mutex::new((Millis::MIN, seatmate_redact::Policy::default())),
        }
    }

    /// Looks up next steps for risky conversations with `guidance`.
    pub fn with_guidance(mut self, guidance: Arc<dyn Guidance>) -> Live {
        self.guidance = Some(guidance);
        self
    }

    /// Starts the after-call work of each conversation that ends with `after_end`.
    pub fn with_after_end(mut self, after_end: Arc<dyn AfterEnd>) -> Live {
        self.after_end = Some(after_end);
        self
    }

    /// Reads the emotion of every customer turn with `stage`.
    pub fn with_emotion(mut self, stage: Arc<EmotionStage>) -> Live {
        self.emotion = Some(stage);
        self
    }

    /// Encodes customer turns (once each) with `encoder` for what reads their meaning.
    pub fn with_encoder(mut self, encoder: Arc<seatmate_embed::CachedEncoder>) -> Live {
        self.encoder = Some(encoder);
        self
    }

    /// Whether the emotion model reads each turn's meaning (its vectors) or its words alone.
    pub fn emotion_reads_meaning(&self) -> bool {
        matches!((&self.emotion, &self.encoder), (Some(stage), Some(encoder)) if stage.vector_dim() == Some(encoder.dim()))
    }

    /// Looks for `cues` in customer turns from now on (their example sentences are encoded here:
    /// CPU work, call it off the async executor).
    pub fn set_opportunities(&self, cues: &OpportunityCues) {
        let encoder = self.encoder.clone();
        let encode = |text: &str| encoder.as_ref().and_then(|e| e.encoder.embed(text, seatmate_embed::Role::Query).ok());
        let matcher = Arc::new(OpportunityMatcher::new(cues, encode));
        *self.opportunities.write().unwrap_or_else(std::sync::PoisonError::into_inner) = matcher;
    }

    /// Every event of every live conversation from now on; callers filter by [`LiveEvent::visible_to`].
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<LiveEvent> {
        self.bus.subscribe()
    }

    /// Every live conversation still going on that `scope` may see, with its risk now, the
    /// riskiest first (then the most recently started).
    pub async fn wall(&self, scope: &Scope) -> Result<Vec<WallEntry>, seatmate_store::StoreError> {
        let filter = seatmate_store::ConversationFilter { ongoing: true, limit: 500, ..Default::default() };
        let page = self.store.list_conversations(scope, &filter).await?;
        let mut wall = Vec::with_capacity(page.items.len());
        for summary in page.items {
            let Some(conversation) = self.store.conversation(scope, &summary.id).await? else { continue };
            let known =
                self.trackers.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&summary.id).map(RiskTracker::risk);
            let risk = match known {
                Some(risk) => risk,
                None => {
                    let mut tracker = RiskTracker::default();
                    for turn in &conversation.turns {
                        tracker.observe(turn.speaker, &turn.text);
                    }
                    tracker.risk()
                }
            };
            wall.push(WallEntry {
                id: conversation.id,
                conversation: conversation.external_id,
                agent: conversation.agent,
                channel: conversation.channel,
                started_at: conversation.started_at,
                turns: conversation.turns.len() as u64,
                last: conversation.turns.last().cloned(),
                risk,
            });
        }
        wall.sort_by(|a, b| b.risk.score.total_cmp(&a.risk.score).then(b.started_at.cmp(&a.started_at)));
        Ok(wall)
    }

    /// Where a live conversation stands, for a client that resumes.
    pub async fn state(&self, conversation: &str) -> Result<Option<LiveState>, seatmate_store::StoreError> {
        let id = live_id(conversation);
        Ok(self.store.live_state(&id).await?.map(|(last_seq, ended)| LiveState {
            conversation: conversation.to_string(),
            id,
            last_seq,
            ended,
        }))
    }

    /// Applies one message. A final message gets its acknowledgement (sent only once it is
    /// durable) or an error; a partial gets nothing back.
    pub async fn apply(&self, message: LiveMessage) -> Option<LiveReply> {
        let (conversation, seq) = (message.conversation().to_string(), message.seq());
        match self.apply_checked(message).await {
            Ok(reply) => reply,
            Err(error) => Some(error.reply(&conversation, seq)),
        }
    }

    async fn apply_checked(&self, message: LiveMessage) -> Result<Option<LiveReply>, Refusal> {
        let id = live_id(message.conversation());
        let mask = self.masks_on_store().await?;
        let masked = |text: String| if mask { seatmate_redact::mask(&text) } else { text };
        let (conversation, seq) = (message.conversation().to_string(), message.seq());
        // what follows a turn's event once it is out: its emotion, and the next step if it raised the risk
        let mut follow_up = None;
        let (outcome, kind) = match message {
            LiveMessage::Start(LiveStart { channel, agent, queue, customer_id, language, started_at, .. }) => {
                let team = match &agent {
                    Some(name) => match self.store.user_by_username(name).await? {
                        Some((user, _)) => user.team,
                        None => return Err(Refusal::field("agent", "unknown_agent", format!("no user {name:?}"))),
                    },
                    None => None,
                };
                let started_at = started_at.unwrap_or_else(|| self.clock.now_millis());
                let record = Conversation {
                    id: id.clone(),
                    source: LIVE_SOURCE.into(),
                    external_id: conversation.clone(),
                    channel,
                    queue,
                    agent: agent.clone(),
                    customer_id: customer_id.map(|c| if mask { seatmate_redact::mask(&c) } else { c }),
                    language,
                    started_at,
                    ended_at: None,
                    audio_ref: None,
                    attributes: Default::default(),
                    turns: Vec::new(),
                };
                let outcome = self.store.live_write(&id, seq, LiveWrite::Start(&record)).await?;
                if matches!(outcome, LiveOutcome::Applied { .. }) {
                    self.remember(&id, Audience { agent, team });
                }
                (outcome, LiveEventKind::Started { channel, started_at })
            }
            LiveMessage::Partial(LivePartial { speaker, text, .. }) => {
                let Some((last, ended)) = self.store.live_state(&id).await? else {
                    return Err(Refusal::not_started());
                };
                if ended || seq <= last {
                    return Ok(None); // late: its final turn is already there
                }
                let event = LiveEvent {
                    id: id.clone(),
                    conversation,
                    seq,
                    audience: self.audience(&id).await?,
                    kind: LiveEventKind::Partial { speaker, text: masked(text) },
                };
                self.bus.publish(event);
                return Ok(None);
            }
            LiveMessage::Turn(LiveTurn { speaker, text, start_ms, end_ms, .. }) => {
                let turn = Turn { speaker, text: masked(text), start_ms, end_ms, audio_ref: None };
                let outcome = self.store.live_write(&id, seq, LiveWrite::Turn(&turn)).await?;
                let LiveOutcome::Applied { turn_index } = outcome else {
                    return self.refused(conversation, seq, outcome);
                };
                let index = turn_index.unwrap_or_default();
                let (signals, raised) = self.signals(&id, index as usize, &turn).await?;
                follow_up = Some((index, turn.speaker, turn.text.clone(), raised.then(|| signals.risk.clone())));
                (outcome, LiveEventKind::Turn { index, turn, signals })
            }
            LiveMessage::End(LiveEnd { ended_at, .. }) => {
                let ended_at = ended_at.unwrap_or_else(|| self.clock.now_millis());
                let outcome = self.store.live_write(&id, seq, LiveWrite::End { ended_at }).await?;
                (outcome, LiveEventKind::Ended { ended_at })
            }
        };
        match outcome {
            LiveOutcome::Applied { .. } => {
                let audience = self.audience(&id).await?;
                if matches!(kind, LiveEventKind::Ended { .. }) {
                    self.forget(&id);
                }
                let ended = matches!(kind, LiveEventKind::Ended { .. });
                let event = LiveEvent { id, conversation: conversation.clone(), seq, audience, kind };
                self.bus.publish(event.clone());
                if ended {
                    self.start_after_call(event.clone());
                }
                if let Some((index, speaker, text, raised)) = follow_up {
                    if let Some(risk) = raised {
                        self.look_up_next_step(&event, &risk, &text);
                    }
                    if speaker == Speaker::Customer {
                        self.read_intent(event.clone(), index);
                        self.read_turn(event, index, text);
                    }
                }
                Ok(Some(LiveReply::Ack { conversation, seq, duplicate: false }))
            }
            other => self.refused(conversation, seq, other),
        }
    }

    /// The reply to a message the store did not apply.
    fn refused(&self, conversation: String, seq: u64, outcome: LiveOutcome) -> Result<Option<LiveReply>, Refusal> {
        match outcome {
            LiveOutcome::Applied { .. } => Ok(Some(LiveReply::Ack { conversation, seq, duplicate: false })),
            LiveOutcome::Duplicate => Ok(Some(LiveReply::Ack { conversation, seq, duplicate: true })),
            LiveOutcome::Expected(0) => Err(Refusal::not_started()),
            LiveOutcome::Expected(next) => Err(Refusal {
                field: Some("seq".into()),
                code: "out_of_order",
                message: format!("expected sequence number {next}: resend from there"),
                expected: Some(next),
            }),
            LiveOutcome::Ended => {
                Err(Refusal { field: None, code: "ended", message: "the conversation has ended".into(), expected: None })
            }
        }
    }

    async fn masks_on_store(&self) -> Result<bool, Refusal> {
        let now = self.clock.now_millis();
        let cached = *self.policy.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if now.saturating_sub(cached.0) < POLICY_TTL_MS {
            return Ok(cached.1.masks_on_store());
        }
        let setting = self.store.setting(seatmate_redact::POLICY_SETTING).await?;
        let policy = seatmate_redact::Policy::from_setting(setting.as_deref());
        *self.policy.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = (now, policy);
        Ok(policy.masks_on_store())
    }

    fn remember(&self, id: &str, audience: Audience) {
        self.audiences.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(id.to_string(), audience);
    }

    fn forget(&self, id: &str) {
        self.audiences.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(id);
        self.trackers.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(id);
        self.last_turns.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(id);
        self.read_so_far.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(id);
    }

    /// Asks the guidance, in the background, what to do about `risk`, and publishes the answer
    /// as a `next_step` event of the turn that raised it (`turn`: that turn's event).
    fn look_up_next_step(&self, turn: &LiveEvent, risk: &Risk, said: &str) {
        look_up_next_step(self.guidance.clone(), self.bus.clone(), turn.clone(), risk.clone(), said.to_string());
    }

    /// Starts the after-call work of an ended conversation in the background and publishes what
    /// it made as an `after_call` event (`ended`: the conversation's `ended` event).
    fn start_after_call(&self, ended: LiveEvent) {
        let Some(after_end) = self.after_end.clone() else { return };
        let bus = self.bus.clone();
        tokio::spawn(async move {
            if let Some(ready) = after_end.after_end(&ended.id).await {
                bus.publish(LiveEvent { kind: LiveEventKind::AfterCall { after_call: ready }, ..ended });
            }
        });
    }

    /// Asks the ticket classifier, in the background, what the customer has said so far is about,
    /// and publishes it as an `intent` event of turn `index` (after every customer turn, so a desk
    /// that opens the conversation late has it at the next one).
    fn read_intent(&self, turn: LiveEvent, index: u64) {
        let Some(after_end) = self.after_end.clone() else { return };
        let (store, bus) = (self.store.clone(), self.bus.clone());
        tokio::spawn(async move {
            let Ok(Some(conversation)) = store.conversation(&Scope::All, &turn.id).await else { return };
            let said: Vec<&str> = conversation
                .turns
                .iter()
                .take(index as usize + 1)
                .filter(|t| t.speaker == Speaker::Customer)
                .map(|t| t.text.as_str())
                .collect();
            if let Some(intent) = after_end.intent(&said.join("\n")).await {
                bus.publish(LiveEvent { kind: LiveEventKind::Intent { index, intent }, ..turn });
            }
        });
    }

    /// Reads customer turn `index` in the background (encoded once when anything reads its
    /// meaning) and publishes what it shows as events of that turn: its emotion with the
    /// trajectory so far, and the opportunities it names.
    fn read_turn(&self, turn: LiveEvent, index: u64, text: String) {
        let opportunities = self.opportunities.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        let emotion = self.emotion.clone();
        if emotion.is_none() && opportunities.is_empty() {
            return;
        }
        let encoder = self.encoder.clone().filter(|e| {
            opportunities.reads_meaning() || emotion.as_ref().is_some_and(|stage| stage.vector_dim() == Some(e.dim()))
        });
        let (bus, read_so_far, trackers, guidance) =
            (self.bus.clone(), self.read_so_far.clone(), self.trackers.clone(), self.guidance.clone());
        let found = {
            let mut all = read_so_far.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            all.entry(turn.id.clone()).or_default().opportunities.clone()
        };
        let gate = self.reading.clone();
        tokio::spawn(async move {
            // the encoder's work waits its turn; past a backlog the turn is read by its words alone
            let (encoder, _permit) = gate.admit(encoder).await;
            let read = tokio::task::spawn_blocking(move || {
                let vector = encoder.and_then(|e| e.encoder.embed(&text, seatmate_embed::Role::Query).ok()).unwrap_or_default();
                let emotion = emotion.map(|stage| stage.read(&text, &vector));
                (emotion, opportunities.find(&text, &vector, &found), text)
            });
            let Ok((emotion, mut opportunities, text)) = read.await else { return };
            // the feeling feeds the risk: the event carries the risk when it changed it
            let felt = emotion.as_ref().and_then(|emotion| {
                let mut all = trackers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                let tracker = all.get_mut(&turn.id)?;
                let before = tracker.risk();
                let after = tracker.feel(index as usize, emotion.valence, &emotion.label);
                (after != before).then(|| (after.level > RiskLevel::Low && after.level > before.level, after))
            });
            if let Some((true, risk)) = &felt {
                look_up_next_step(guidance, bus.clone(), turn.clone(), risk.clone(), text);
            }
            let risk = felt.map(|(_, risk)| risk);
            let trajectory = {
                let mut all = read_so_far.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                // absent: the conversation ended meanwhile
                let mut ended = ReadSoFar::default();
                let so_far = all.get_mut(&turn.id).unwrap_or(&mut ended);
                // a turn read at the same time may have found the same cue first
                opportunities.retain(|o| !so_far.opportunities.contains(&o.name));
                so_far.opportunities.extend(opportunities.iter().map(|o| o.name.clone()));
                emotion.as_ref().map(|emotion| {
                    let at = so_far.trajectory.partition_point(|p| p.turn < index);
                    so_far.trajectory.insert(at, ValencePoint { turn: index, valence: emotion.valence });
                    so_far.trajectory.clone()
                })
            };
            if let (Some(emotion), Some(trajectory)) = (emotion, trajectory) {
                bus.publish(LiveEvent { kind: LiveEventKind::Emotion { index, emotion, trajectory, risk }, ..turn.clone() });
            }
            if !opportunities.is_empty() {
                bus.publish(LiveEvent { kind: LiveEventKind::Opportunity { index, opportunities }, ..turn });
            }
        });
    }

    /// The pipeline after turn `index`: the risk so far, and whether this turn raised it to a
    /// level worth acting on (`low` to `medium`, or to `high`). A conversation this process has
    /// not followed from its start (a restart, another replica) is caught up from its stored
    /// turns first.
    async fn signals(&self, id: &str, index: usize, turn: &Turn) -> Result<(Signals, bool), Refusal> {
        let remembered =
            self.last_turns.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(id.to_string(), turn.clone());
        // the tracker stays in the map (the emotion read in the background feeds it too)
        let observe = |tracker: &mut RiskTracker| (tracker.risk().level, tracker.observe(turn.speaker, &turn.text));
        let observed = self.trackers.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get_mut(id).map(observe);
        let ((before, risk), previous) = match (observed, remembered) {
            (Some(observed), Some(previous)) => (observed, Some(previous)),
            (observed, remembered) => {
                // not followed from the start here (a restart, another replica): one read of the
                // stored turns catches up both the risk and the previous turn
                let stored = match index {
                    0 => Vec::new(),
                    _ => self.store.conversation(&Scope::All, id).await?.map(|c| c.turns).unwrap_or_default(),
                };
                let previous = remembered.or_else(|| index.checked_sub(1).and_then(|i| stored.get(i).cloned()));
                let observed = observed.unwrap_or_else(|| {
                    let mut tracker = RiskTracker::default();
                    for earlier in stored.iter().take(index) {
                        tracker.observe(earlier.speaker, &earlier.text);
                    }
                    let observed = observe(&mut tracker);
                    self.trackers.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(id.to_string(), tracker);
                    observed
                });
                (observed, previous)
            }
        };
        let raised = risk.level > RiskLevel::Low && risk.level > before;
        Ok((Signals { risk, timing: timing::timing(previous.as_ref(), turn) }, raised))
    }

    /// The conversation's agent and team, from memory or (after a restart, or on another replica)
    /// from the store.
    async fn audience(&self, id: &str) -> Result<Audience, Refusal> {
        let known = self.audiences.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(id).cloned();
        let audience = match known {
            Some(audience) => audience,
            None => {
                let agent = self.store.conversation(&Scope::All, id).await?.and_then(|c| c.agent);
                let team = match &agent {
                    Some(name) => self.store.user_by_username(name).await?.and_then(|(user, _)| user.team),
                    None => None,
                };
                let audience = Audience { agent, team };
                self.remember(id, audience.clone());
                audience
            }
        };
        Ok(audience)
    }
}

/// Asks `guidance`, in the background, what to do about `risk`, and publishes the answer as a
/// `next_step` event of `turn` (the event of the turn that raised it).
fn look_up_next_step(guidance: Option<Arc<dyn Guidance>>, bus: Arc<dyn EventBus>, mut turn: LiveEvent, risk: Risk, said: String) {
    let Some(guidance) = guidance else { return };
    tokio::spawn(async move {
        if let Some(next_step) = guidance.next_step(&risk, &said).await {
            turn.kind = LiveEventKind::NextStep { next_step };
            bus.publish(turn);
        }
    });
}

/// How much encoding the background reading may do at once: on a busy floor (or a busy machine)
/// the readings slow down, never the turns, and past a backlog a turn is read by its words alone
/// (emotion from words, opportunities by phrase) rather than waiting seconds for the encoder.
struct ReadingGate {
    permits: Arc<tokio::sync::Semaphore>,
    waiting: std::sync::atomic::AtomicUsize,
}

/// Turns waiting for the encoder beyond which the next ones are read by their words.
const MAX_WAITING_FOR_ENCODER: usize = 32;

impl ReadingGate {
    /// One encoding at a time per two cores (at least one): the rest of the machine keeps serving.
    fn for_this_machine() -> ReadingGate {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        ReadingGate { permits: Arc::new(tokio::sync::Semaphore::new((cores / 2).max(1))), waiting: Default::default() }
    }

    /// The encoder to use for the next reading (none past the backlog) and the permit to hold
    /// while it runs.
    async fn admit(
        &self,
        encoder: Option<Arc<seatmate_embed::CachedEncoder>>,
    ) -> (Option<Arc<seatmate_embed::CachedEncoder>>, Option<tokio::sync::OwnedSemaphorePermit>) {
        use std::sync::atomic::Ordering;
        let Some(encoder) = encoder else { return (None, None) };
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= MAX_WAITING_FOR_ENCODER {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return (None, None);
        }
        let permit = self.permits.clone().acquire_owned().await.ok();
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        (Some(encoder), permit)
    }
}

/// What the background reading of a conversation's customer turns has found so far.
#[derive(Debug, Default)]
struct ReadSoFar {
    trajectory: Vec<ValencePoint>,
    opportunities: Vec<String>,
}

/// Why a message was refused.
#[derive(Debug)]
struct Refusal {
    field: Option<String>,
    code: &'static str,
    message: String,
    expected: Option<u64>,
}

impl Refusal {
    fn field(field: &str, code: &'static str, message: String) -> Refusal {
        Refusal { field: Some(field.into()), code, message, expected: None }
    }

    fn not_started() -> Refusal {
        Refusal {
            field: Some("conversation".into()),
            code: "not_started",
            message: "no such live conversation: send its `start` (sequence number 1) first".into(),
            expected: Some(1),
        }
    }

    fn reply(self, conversation: &str, seq: u64) -> LiveReply {
        LiveReply::Error {
            conversation: Some(conversation.to_string()),
            seq: Some(seq),
            field: self.field,
            code: self.code.into(),
            message: self.message,
            expected: self.expected,
        }
    }
}

impl From<seatmate_store::StoreError> for Refusal {
    fn from(error: seatmate_store::StoreError) -> Refusal {
        tracing::error!(%error, "live message not applied");
        Refusal { field: None, code: "unavailable", message: "not applied; send it again".into(), expected: None }
    }
}
