//! The training room: a trainee plays the agent of a case, Seatmate plays its customer. Every
//! trainee turn gets feedback (empathy, the knowledge points covered, closeness to what the
//! real agent said, scorecard items the words already fail); the end gets a summary with the
//! scorecard's verdict on the whole role-play. A session is stored after every turn and rebuilt
//! from the store for the next one, so a restart loses nothing.

use seatmate_coach::score::{self, Profile};
use seatmate_coach::simulate::{Mood, SimDialogue, SimTurn, TraineeTurn};
use seatmate_core::{Channel, Conversation, KnowledgeBody, Role, Speaker, Turn, User};
use seatmate_quality::Outcome;
use seatmate_store::{Scope, TrainingSession};
use serde::{Deserialize, Serialize};

use crate::{masked, sim_dialogue, CaseBrief, Coach, LearnError, Result};

/// The longest trainee turn taken.
pub const MAX_TURN_CHARS: usize = 2_000;
/// A session ends by itself after this many trainee turns.
pub const MAX_TRAINEE_TURNS: usize = 30;
/// A turn this close to one of the real agent's turns counts as a real answer.
const ANSWERED_CLOSENESS: f32 = 0.35;

/// One turn of a session.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionTurn {
    /// `customer` (Seatmate) or `trainee`.
    pub speaker: String,
    pub text: String,
    /// The customer's mood after this turn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub mood: Option<Mood>,
    /// The real turn a customer line was taken from: (conversation id, turn index).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<(String, usize)>,
    /// A customer line written by the language model (no real turn behind it).
    #[serde(default)]
    pub generated: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<TurnFeedback>,
}

/// What a trainee turn did.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TurnFeedback {
    pub empathy: bool,
    /// It answered the customer (covered a knowledge point, or was close to the real agent).
    pub answered: bool,
    /// Similarity to the closest of the real agent's turns, 0 to 1.
    pub closeness: f32,
    /// The knowledge points this turn covered first (indexes into the session's points).
    pub covered: Vec<usize>,
    /// Share of the knowledge points covered so far.
    pub coverage: f32,
    /// Scorecard items the words so far fail, with evidence in the trainee's turns.
    pub failed_items: Vec<String>,
}

/// The end of a session.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionSummary {
    /// The scorecards' mean score of the role-play, out of 100.
    pub score: f64,
    pub coverage: f32,
    pub mean_closeness: f32,
    pub empathy_turns: usize,
    pub trainee_turns: usize,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub final_mood: Option<Mood>,
    /// Items failed, as `scorecard/item: name`.
    pub failed_items: Vec<String>,
    /// Items passed.
    pub passed_items: Vec<String>,
}

/// What is stored of a session besides its row.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionState {
    pub turns: Vec<SessionTurn>,
    /// The knowledge item the case needs (id, title), and the points to cover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub knowledge: Option<(String, String)>,
    pub points: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<SessionSummary>,
    /// The case's category, for the scorecards' `applies`.
    #[serde(default)]
    pub category: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub id: String,
    pub trainee: String,
    pub case_id: String,
    pub assignment_id: Option<String>,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub score: Option<f64>,
    pub state: SessionState,
}

impl SessionView {
    fn of(session: &TrainingSession) -> Result<SessionView> {
        let state: SessionState =
            serde_json::from_value(session.state.clone()).map_err(|e| LearnError::Internal(format!("session state: {e}")))?;
        Ok(SessionView {
            id: session.id.clone(),
            trainee: session.trainee.clone(),
            case_id: session.case_id.clone(),
            assignment_id: session.assignment_id.clone(),
            started_at: session.started_at,
            ended_at: session.ended_at,
            score: session.score,
            state,
        })
    }
}

impl Coach {
    /// Starts a role-play on a case. Agents train on accepted cases or the ones assigned to them.
    pub async fn start_session(&self, trainee: &User, case_id: &str, assignment_id: Option<&str>) -> Result<SessionView> {
        let case = self.store.case(case_id).await?.ok_or_else(|| LearnError::NotFound(format!("case {case_id}")))?;
        if let Some(id) = assignment_id {
            let assignment = self.store.assignment(id).await?.ok_or_else(|| LearnError::NotFound(format!("assignment {id}")))?;
            if assignment.agent != trainee.username || assignment.case_id != case_id {
                return Err(LearnError::Forbidden("that assignment is someone else's, or for another case".into()));
            }
        } else if trainee.role == Role::Agent && case.status != "accepted" {
            return Err(LearnError::Forbidden("this case is not in the library yet".into()));
        }
        let conversation = self.case_conversation(case_id).await?;
        let sim = self.simulator().await?;
        let dialogue = case_dialogue(&conversation, case.category.clone());
        let opening: Vec<SimTurn> = sim.session(&dialogue).opening().to_vec();
        let (knowledge, points) = self.knowledge_points(&opening).await;
        let mut turns: Vec<SessionTurn> = opening
            .iter()
            .map(|t| SessionTurn {
                speaker: "customer".into(),
                text: t.text.clone(),
                mood: None,
                source: None,
                generated: false,
                feedback: None,
            })
            .collect();
        if let Some(first) = turns.last_mut() {
            first.mood = Some(sim.session(&dialogue).mood());
        }
        let state = SessionState { turns, knowledge, points, summary: None, category: case.category.clone() };
        let session = TrainingSession {
            id: uuid::Uuid::new_v4().to_string(),
            trainee: trainee.username.clone(),
            case_id: case_id.to_string(),
            assignment_id: assignment_id.map(str::to_string),
            started_at: self.clock.now_millis(),
            ended_at: None,
            turn_count: 0,
            score: None,
            state: to_value(&state)?,
        };
        self.store.save_session(&session, None).await?;
        SessionView::of(&session)
    }

    /// A session as `viewer` may see it: their own, their team's (team lead), any (trainer, QA, admin).
    pub async fn session(&self, viewer: &User, id: &str) -> Result<SessionView> {
        let session = self.visible_session(viewer, id).await?;
        SessionView::of(&session)
    }

    async fn visible_session(&self, viewer: &User, id: &str) -> Result<TrainingSession> {
        let session = self.store.session(id).await?.ok_or_else(|| LearnError::NotFound(format!("training session {id}")))?;
        let visible = match Scope::for_user(viewer) {
            Scope::All => true,
            Scope::Agent(username) => session.trainee == username,
            Scope::Team(team) => {
                session.trainee == viewer.username
                    || self
                        .store
                        .list_users()
                        .await?
                        .iter()
                        .any(|u| u.username == session.trainee && u.team.as_deref() == Some(team.as_str()))
            }
        };
        if !visible {
            return Err(LearnError::NotFound(format!("training session {id}")));
        }
        Ok(session)
    }

    /// Sessions the viewer may see (of one trainee when given), newest first.
    pub async fn sessions(&self, viewer: &User, trainee: Option<&str>) -> Result<Vec<SessionView>> {
        let sessions = self.store.sessions(&Scope::for_user(viewer), trainee, 200).await?;
        sessions.iter().map(SessionView::of).collect()
    }

    /// The trainee's turn: judged, answered by the simulated customer, stored. The session ends
    /// when the customer has nothing more to say (or says goodbye) or after [`MAX_TRAINEE_TURNS`].
    /// With a language model, it writes the customer's line in the mood the retrieval session
    /// keeps; when it fails, a real customer turn answers instead.
    pub async fn answer(&self, trainee: &User, id: &str, text: &str) -> Result<SessionView> {
        let text = text.trim();
        if text.is_empty() {
            return Err(LearnError::InvalidInput("text: say something to the customer".into()));
        }
        if text.chars().count() > MAX_TURN_CHARS {
            return Err(LearnError::InvalidInput(format!("text: at most {MAX_TURN_CHARS} characters")));
        }
        let mut session = self.own_open_session(trainee, id).await?;
        let previous = session.turn_count;
        let mut state: SessionState =
            serde_json::from_value(session.state.clone()).map_err(|e| LearnError::Internal(format!("session state: {e}")))?;
        let conversation = self.case_conversation(&session.case_id).await?;
        let sim = self.simulator().await?;
        let dialogue = case_dialogue(&conversation, state.category.clone());

        // judge the turn
        let real_agent: Vec<Profile> =
            conversation.turns.iter().filter(|t| t.speaker == Speaker::Agent).map(|t| Profile::new(&t.text)).collect();
        let said = Profile::new(text);
        let closeness = real_agent.iter().map(|p| score::similarity(p, &said)).fold(0.0, f32::max);
        let points = score::points(&state.points);
        let before = covered_so_far(&state, points.len());
        let now = score::covered(&points, text);
        let covered: Vec<usize> = (0..points.len()).filter(|&i| now[i] && !before[i]).collect();
        let total_covered = (0..points.len()).filter(|&i| now[i] || before[i]).count();
        let empathy = score::shows_empathy(text);
        let answered = !covered.is_empty() || closeness >= ANSWERED_CLOSENESS;
        let mut feedback = TurnFeedback {
            empathy,
            answered,
            closeness,
            covered,
            coverage: if points.is_empty() { 0.0 } else { total_covered as f32 / points.len() as f32 },
            failed_items: Vec::new(),
        };

        // rebuild the simulated customer and let it answer
        let mut sim_session = sim.session(&dialogue);
        let opening = sim_session.opening().len();
        for pair in state.turns[opening.min(state.turns.len())..].chunks(2) {
            if let [trainee_turn, customer] = pair {
                let judged = trainee_turn.feedback.clone().unwrap_or_default();
                let heard = TraineeTurn {
                    text: trainee_turn.text.clone(),
                    acts: None,
                    empathy: judged.empathy,
                    answered: judged.answered,
                };
                let said = SimTurn { speaker: Speaker::Customer, text: customer.text.clone(), acts: Vec::new(), valence: None };
                match &customer.source {
                    Some((dialogue, turn)) => sim_session.resume(&heard, &said, (dialogue, *turn)),
                    None => sim_session.replay(&heard, &said),
                }
            }
        }
        let generated = match &self.llm {
            Some(llm) => {
                let mood = sim_session.mood().after(empathy, answered);
                let mut case = CaseBrief {
                    category: None,
                    customer_turns: conversation
                        .turns
                        .iter()
                        .filter(|t| t.speaker == Speaker::Customer)
                        .map(|t| t.text.clone())
                        .collect(),
                };
                case.category = self.category_name(&state, case.chinese()).await;
                let mut history: Vec<(Speaker, String)> = state
                    .turns
                    .iter()
                    .map(|t| (if t.speaker == "trainee" { Speaker::Agent } else { Speaker::Customer }, t.text.clone()))
                    .collect();
                history.push((Speaker::Agent, text.to_string()));
                match llm.reply(&case, &history, mood).await {
                    Ok(line) => Some((line, mood)),
                    Err(error) => {
                        tracing::warn!(session = %session.id, %error, "the language model gave no customer line: a real one answers");
                        None
                    }
                }
            }
            None => None,
        };
        let trainee_turns = state.turns.iter().filter(|t| t.speaker == "trainee").count() + 1;
        state.turns.push(SessionTurn {
            speaker: "trainee".into(),
            text: text.to_string(),
            mood: None,
            source: None,
            generated: false,
            feedback: None,
        });
        let mut ends = trainee_turns >= MAX_TRAINEE_TURNS;
        match generated {
            Some((line, mood)) => {
                ends |= score::says_goodbye(&line);
                state.turns.push(SessionTurn {
                    speaker: "customer".into(),
                    text: seatmate_redact::mask(&line),
                    mood: Some(mood),
                    source: None,
                    generated: true,
                    feedback: None,
                });
            }
            None => {
                let reply = sim_session.reply(&TraineeTurn { text: text.to_string(), acts: None, empathy, answered });
                ends |= reply.as_ref().is_none_or(|r| r.ends);
                if let Some(reply) = &reply {
                    state.turns.push(SessionTurn {
                        speaker: "customer".into(),
                        text: seatmate_redact::mask(&reply.text),
                        mood: Some(reply.mood),
                        source: Some(reply.source.clone()),
                        generated: false,
                        feedback: None,
                    });
                }
            }
        }
        let inspections =
            self.inspector.inspect_transcript(transcript(&session.id, &state), self.category_path(&state).await).await?;
        feedback.failed_items = inspections
            .iter()
            .flat_map(|(card, inspection)| {
                inspection
                    .items
                    .iter()
                    .filter(|i| i.outcome == Outcome::Fail && i.evidence.iter().any(|e| is_trainee_turn(&state, e.turn)))
                    .map(move |i| format!("{card}/{}: {}", i.item, i.name))
            })
            .collect();
        let index = state.turns.iter().rposition(|t| t.speaker == "trainee").unwrap_or(0);
        state.turns[index].feedback = Some(feedback);
        if score::says_goodbye(text) {
            ends = true;
        }
        session.turn_count = state.turns.len() as i64;
        if ends {
            self.finish_state(&mut session, &mut state, &inspections);
        }
        session.state = to_value(&state)?;
        self.store.save_session(&session, Some(previous)).await?;
        if ends {
            self.assignment_done(&session).await?;
        }
        SessionView::of(&session)
    }

    /// Ends a session now (the trainee hung up), with its summary.
    pub async fn finish(&self, trainee: &User, id: &str) -> Result<SessionView> {
        let mut session = self.own_open_session(trainee, id).await?;
        let previous = session.turn_count;
        let mut state: SessionState =
            serde_json::from_value(session.state.clone()).map_err(|e| LearnError::Internal(format!("session state: {e}")))?;
        let inspections =
            self.inspector.inspect_transcript(transcript(&session.id, &state), self.category_path(&state).await).await?;
        self.finish_state(&mut session, &mut state, &inspections);
        session.state = to_value(&state)?;
        self.store.save_session(&session, Some(previous)).await?;
        self.assignment_done(&session).await?;
        SessionView::of(&session)
    }

    fn finish_state(
        &self,
        session: &mut TrainingSession,
        state: &mut SessionState,
        inspections: &[(String, seatmate_quality::Inspection)],
    ) {
        let feedback: Vec<&TurnFeedback> = state.turns.iter().filter_map(|t| t.feedback.as_ref()).collect();
        let applicable: Vec<&seatmate_quality::Inspection> = inspections.iter().map(|(_, i)| i).filter(|i| i.applies).collect();
        let score = if applicable.is_empty() {
            100.0
        } else {
            applicable.iter().map(|i| f64::from(i.score)).sum::<f64>() / applicable.len() as f64
        };
        let named = |outcome: Outcome| -> Vec<String> {
            inspections
                .iter()
                .filter(|(_, i)| i.applies)
                .flat_map(|(card, i)| {
                    i.items.iter().filter(move |r| r.outcome == outcome).map(move |r| format!("{card}/{}: {}", r.item, r.name))
                })
                .collect()
        };
        let summary = SessionSummary {
            score: (score * 10.0).round() / 10.0,
            coverage: feedback.last().map(|f| f.coverage).unwrap_or(0.0),
            mean_closeness: if feedback.is_empty() {
                0.0
            } else {
                feedback.iter().map(|f| f.closeness).sum::<f32>() / feedback.len() as f32
            },
            empathy_turns: feedback.iter().filter(|f| f.empathy).count(),
            trainee_turns: feedback.len(),
            final_mood: state.turns.iter().rev().find_map(|t| t.mood),
            failed_items: named(Outcome::Fail),
            passed_items: named(Outcome::Pass),
        };
        session.score = Some(summary.score);
        session.ended_at = Some(self.clock.now_millis());
        state.summary = Some(summary);
    }

    async fn assignment_done(&self, session: &TrainingSession) -> Result<()> {
        let Some(id) = &session.assignment_id else { return Ok(()) };
        if let Some(mut assignment) = self.store.assignment(id).await? {
            if assignment.status == "assigned" {
                assignment.status = "done".into();
                assignment.updated_at = self.clock.now_millis();
                self.store.save_assignment(&assignment).await?;
            }
        }
        Ok(())
    }

    async fn own_open_session(&self, trainee: &User, id: &str) -> Result<TrainingSession> {
        let session = self.store.session(id).await?.filter(|s| s.trainee == trainee.username);
        let session = session.ok_or_else(|| LearnError::NotFound(format!("training session {id}")))?;
        if session.ended_at.is_some() {
            return Err(LearnError::Conflict("this training session has ended: start another".into()));
        }
        Ok(session)
    }

    async fn case_conversation(&self, case_id: &str) -> Result<Conversation> {
        let conversation = self.store.conversation(&Scope::All, case_id).await?;
        conversation.map(masked).ok_or_else(|| LearnError::NotFound(format!("the conversation of case {case_id}")))
    }

    async fn category_path(&self, state: &SessionState) -> Vec<String> {
        match &state.category {
            Some(code) => {
                self.store.taxonomy_path(code).await.map(|p| p.into_iter().map(|n| n.code).collect()).unwrap_or_default()
            }
            None => Vec::new(),
        }
    }

    /// The case's category as people name it (its taxonomy path), for the language model's persona.
    async fn category_name(&self, state: &SessionState, chinese: bool) -> Option<String> {
        let code = state.category.as_ref()?;
        let path = self.store.taxonomy_path(code).await.unwrap_or_default();
        if path.is_empty() {
            return Some(code.clone());
        }
        let names: Vec<&str> = path
            .iter()
            .map(|n| match (chinese, n.name_zh.is_empty(), n.name_en.is_empty()) {
                (true, false, _) | (false, false, true) => n.name_zh.as_str(),
                (_, _, false) => n.name_en.as_str(),
                _ => n.code.as_str(),
            })
            .collect();
        Some(names.join(" / "))
    }

    /// The knowledge item the customer's opening asks for, and its points (an FAQ answer's
    /// sentences, a flow's steps); nothing when nothing answers it with some confidence.
    async fn knowledge_points(&self, opening: &[SimTurn]) -> (Option<(String, String)>, Vec<String>) {
        let Some(assist) = &self.assist else { return (None, Vec::new()) };
        let query: String = opening.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ");
        let Ok(hits) = assist.search(query, 1).await else { return (None, Vec::new()) };
        let Some(hit) = hits.into_iter().find(|h| h.score >= 0.3) else { return (None, Vec::new()) };
        let Ok(Some(item)) = self.store.knowledge_item(&hit.id).await else { return (None, Vec::new()) };
        let points = match &item.body {
            KnowledgeBody::Faq { answer, .. } => vec![answer.clone()],
            KnowledgeBody::Article { markdown } => {
                markdown.lines().filter(|l| !l.trim_start().starts_with('#')).map(str::to_string).collect()
            }
            KnowledgeBody::Flow(flow) => flow.steps.iter().map(|s| s.text.clone()).collect(),
        };
        let points = score::points(&points).into_iter().map(|p| p.text).take(12).collect();
        (Some((item.id, item.title)), points)
    }
}

/// A case as the simulator plays it: from the customer's first words. A call the agent opened
/// (a greeting, an identity check) starts with the problem the customer brought; the trainee
/// answers it.
fn case_dialogue(conversation: &Conversation, category: Option<String>) -> SimDialogue {
    let mut dialogue = sim_dialogue(conversation, category, None);
    let first = dialogue.turns.iter().position(|t| t.speaker == Speaker::Customer).unwrap_or(0);
    dialogue.turns.drain(..first);
    dialogue
}

fn to_value<T: Serialize>(value: &T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| LearnError::Internal(e.to_string()))
}

/// Which points earlier trainee turns covered.
fn covered_so_far(state: &SessionState, n: usize) -> Vec<bool> {
    let mut out = vec![false; n];
    for feedback in state.turns.iter().filter_map(|t| t.feedback.as_ref()) {
        for &i in &feedback.covered {
            if let Some(slot) = out.get_mut(i) {
                *slot = true;
            }
        }
    }
    out
}

fn is_trainee_turn(state: &SessionState, turn: usize) -> bool {
    state.turns.get(turn).is_some_and(|t| t.speaker == "trainee")
}

/// The session as a conversation the scorecards read: the trainee as the agent.
fn transcript(id: &str, state: &SessionState) -> Conversation {
    Conversation {
        id: format!("training-{id}"),
        external_id: id.to_string(),
        source: "training".into(),
        channel: Channel::Chat,
        queue: None,
        agent: None,
        customer_id: None,
        language: None,
        started_at: 0,
        ended_at: None,
        audio_ref: None,
        attributes: serde_json::Map::new(),
        turns: state
            .turns
            .iter()
            .map(|t| Turn {
                speaker: if t.speaker == "trainee" { Speaker::Agent } else { Speaker::Customer },
                text: t.text.clone(),
                start_ms: None,
                end_ms: None,
                audio_ref: None,
            })
            .collect(),
    }
}
