//! The simulated customer for role-play training, with no language model: every reply is a real
//! customer turn from a corpus of dialogues.
//!
//! A [`Session`] opens with the case's own first customer turns, then answers each trainee turn
//! with the most fitting customer turn of other dialogues:
//! - *Goal mode* (the corpus has dialogue acts and the case a [`Goal`]): what of the goal has been
//!   said is tracked from the acts so far; the corpus turns whose context (the agent's acts, what
//!   is still open) is most like this one vote, each with its delexicalised shape filled in with
//!   this case's values ([`Token`](state::Token)s), and the shape that agrees best with the others
//!   wins (minimum Bayes risk on act F1). A real turn with exactly those (intent, domain, slot)s is
//!   then said with the case's values put in place of its own (relexicalised).
//! - *Text mode* (no acts or no goal): the turn whose preceding agent and customer turns read most
//!   like this dialogue's (TF-IDF cosines over `seatmate-text` features), of the same intent, near
//!   the same point of its dialogue.
//!
//! The customer's [`Mood`] follows the trainee (empathy and a real answer calm it, ignoring the
//! problem raises it) and, where turns carry a valence, picks words of a matching feeling.

mod index;
mod state;

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

pub use seatmate_core::Speaker;

use index::{dot, TextIndex};
use state::{Context, GoalState, Slots, Token};

/// A dialogue act: `(intent, domain, slot, value)`, as CrossWOZ and ConvLab-2 write them.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Act {
    pub intent: String,
    pub domain: String,
    pub slot: String,
    pub value: String,
}

impl Act {
    /// An act from its four parts.
    pub fn new(intent: &str, domain: &str, slot: &str, value: &str) -> Act {
        Act { intent: intent.into(), domain: domain.into(), slot: slot.into(), value: value.into() }
    }

    /// What an act is matched on when its value can be put in: intent, domain, slot, and the value
    /// only for `General` and `Select` acts, whose value is part of their meaning.
    fn key(&self) -> Act {
        let value = if self.intent == "General" || self.intent == "Select" { self.value.as_str() } else { "" };
        Act::new(&self.intent, &self.domain, &self.slot, value)
    }
}

/// The intent of a turn: its acts' intents (a general act by its kind), sorted, joined by `+`.
pub fn turn_intent(acts: &[Act]) -> String {
    let mut labels: Vec<&str> =
        acts.iter().map(|a| if a.intent == "General" { a.domain.as_str() } else { a.intent.as_str() }).collect();
    labels.sort_unstable();
    labels.dedup();
    labels.join("+")
}

/// One turn of a dialogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimTurn {
    pub speaker: Speaker,
    pub text: String,
    /// Its dialogue acts; empty when unknown.
    pub acts: Vec<Act>,
    /// Its feeling in [-1, 1], when known.
    pub valence: Option<f32>,
}

/// One item of a goal: a constraint (values, or the entity of another sub-goal) or a requirement
/// (neither: something the customer wants to be told).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoalItem {
    /// The sub-goal it belongs to; sub-goals are worked through in increasing order.
    pub group: u32,
    pub domain: String,
    pub slot: String,
    /// The constraint's values (several for a list); empty for a requirement.
    pub values: Vec<String>,
    /// A constraint whose value is the entity found for sub-goal `n` (CrossWOZ's `id=n`).
    pub refers_to: Option<u32>,
}

/// What the customer wants, as structured constraints and requirements.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub items: Vec<GoalItem>,
}

/// A real dialogue: a case to play, or a source of replies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimDialogue {
    pub id: String,
    /// Its category or domain, when known.
    pub intent: Option<String>,
    pub goal: Option<Goal>,
    pub turns: Vec<SimTurn>,
}

/// The dialogues replies are chosen from.
#[derive(Debug)]
pub struct Corpus {
    dialogues: Vec<SimDialogue>,
    /// Index of every turn's text; document = `offsets[d] + turn`.
    index: TextIndex,
    offsets: Vec<usize>,
}

impl Corpus {
    /// Indexes the dialogues' texts.
    pub fn new(dialogues: Vec<SimDialogue>) -> Corpus {
        let mut offsets = Vec::with_capacity(dialogues.len());
        let mut texts = Vec::new();
        for d in &dialogues {
            offsets.push(texts.len());
            texts.extend(d.turns.iter().map(|t| t.text.as_str()));
        }
        let index = TextIndex::build(&texts);
        Corpus { dialogues, index, offsets }
    }

    /// The dialogues, in the order given.
    pub fn dialogues(&self) -> &[SimDialogue] {
        &self.dialogues
    }

    fn doc(&self, d: usize, t: usize) -> usize {
        self.offsets.get(d).copied().unwrap_or(0) + t
    }
}

/// How much each part of the context counts when corpus turns are compared (goal mode).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContextWeights {
    /// The goal is exhausted (or not).
    pub done: f32,
    /// The agent's act intents.
    pub intents: f32,
    /// The current sub-goal has not been touched yet.
    pub fresh: f32,
    /// Constraints still to say (0, 1, 2, 3+).
    pub constraints: f32,
    /// Requirements still to ask (0, 1, 2, 3+).
    pub requests: f32,
    /// Requirements asked and unanswered (0, 1, 2, 3+).
    pub rerequests: f32,
    /// Entities the agent offered to choose from (0, 1, 2+).
    pub offers: f32,
    /// A constraint on another sub-goal's entity is open.
    pub cross: f32,
    /// How many acts the customer's last turn had.
    pub last: f32,
}

/// How much each part counts when a reply is chosen by its words (text mode).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TextWeights {
    /// Cosine of the trainee's turn with the agent turn before the candidate.
    pub agent: f32,
    /// Cosine of the customer's last turn with the customer turn before the candidate.
    pub customer: f32,
    /// The candidate's dialogue has the case's intent.
    pub intent: f32,
    /// Overlap of the trainee's acts with those of the agent turn before the candidate.
    pub acts: f32,
    /// The candidate comes at the same point of its dialogue.
    pub position: f32,
    /// The candidate's valence matches the mood.
    pub mood: f32,
}

/// The simulator's settings. Defaults were chosen on CrossWOZ's validation split
/// (leave-one-dialogue-out), never on test data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// The slot that names an entity (`名称` in CrossWOZ, `name` in MultiWOZ).
    pub name_slot: String,
    /// The slot of a `Select` act that names the domain a constraint refers to (`源领域`).
    pub source_slot: String,
    /// How many corpus turns vote on the next turn's shape.
    pub neighbours: usize,
    pub context: ContextWeights,
    pub text: TextWeights,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            name_slot: "名称".into(),
            source_slot: "源领域".into(),
            neighbours: 40,
            context: ContextWeights {
                done: 8.0,
                intents: 1.0,
                fresh: 4.0,
                constraints: 2.0,
                requests: 3.0,
                rerequests: 1.0,
                offers: 2.0,
                cross: 1.0,
                last: 1.0,
            },
            text: TextWeights { agent: 1.0, customer: 0.5, intent: 0.3, acts: 0.5, position: 0.2, mood: 0.3 },
        }
    }
}

/// Why a simulator cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the corpus has no customer turn to reply with")]
    EmptyCorpus,
}

/// A corpus customer turn that can be a reply, with its context in its own dialogue.
#[derive(Debug)]
struct Example {
    dialogue: usize,
    turn: usize,
    /// The agent turn before it, if any.
    agent: Option<usize>,
    /// The customer turn before that, if any.
    customer: Option<usize>,
    /// Goal mode: its context and shape in its own dialogue.
    context: Option<Context>,
    shape: Vec<Token>,
    /// Its acts' keys, sorted.
    keys: Vec<Act>,
    /// Its inform values all appear in its text, so they can be replaced.
    relexable: bool,
    /// Where it comes in its dialogue, 0..=1.
    position: f32,
}

/// The simulated customer: a corpus, and how to choose from it.
#[derive(Debug)]
pub struct Simulator {
    corpus: Corpus,
    config: Config,
    examples: Vec<Example>,
    /// Examples by their sorted act keys.
    by_keys: HashMap<Vec<Act>, Vec<usize>>,
    /// Agent turns with acts (dialogue, turn), for reading an agent's text as acts.
    agent_turns: Vec<(usize, usize)>,
}

fn sorted_keys(acts: &[Act]) -> Vec<Act> {
    let mut keys: Vec<Act> = acts.iter().map(Act::key).collect();
    keys.sort();
    keys
}

impl Simulator {
    /// Prepares a corpus: each customer turn after the first agent turn becomes a candidate reply.
    pub fn new(corpus: Corpus, config: Config) -> Result<Simulator, Error> {
        let slots = Slots { name: config.name_slot.clone(), source: config.source_slot.clone() };
        let mut examples = Vec::new();
        let mut agent_turns = Vec::new();
        for (d, dialogue) in corpus.dialogues.iter().enumerate() {
            let mut state = dialogue.goal.as_ref().map(|g| GoalState::new(g, slots.clone()));
            let (mut last_agent, mut last_customer, mut last_agent_acts): (Option<usize>, Option<usize>, &[Act]) =
                (None, None, &[]);
            let n = dialogue.turns.len().max(1) as f32;
            for (t, turn) in dialogue.turns.iter().enumerate() {
                if turn.speaker != Speaker::Customer {
                    if !turn.acts.is_empty() {
                        agent_turns.push((d, t));
                    }
                    if let Some(s) = state.as_mut() {
                        s.agent(&turn.acts);
                    }
                    last_agent = Some(t);
                    last_agent_acts = &turn.acts;
                    continue;
                }
                if last_agent.is_some() {
                    let has_acts = !turn.acts.is_empty();
                    let (context, shape) = match (&state, has_acts) {
                        (Some(s), true) => (Some(s.context(last_agent_acts)), s.shape(&turn.acts)),
                        _ => (None, Vec::new()),
                    };
                    let relexable = turn.acts.iter().all(|a| a.intent != "Inform" || find_folded(&turn.text, &a.value).is_some());
                    examples.push(Example {
                        dialogue: d,
                        turn: t,
                        agent: last_agent,
                        customer: last_customer.filter(|&c| last_agent.is_some_and(|a| c < a)),
                        context,
                        shape,
                        keys: sorted_keys(&turn.acts),
                        relexable,
                        position: t as f32 / n,
                    });
                }
                if let Some(s) = state.as_mut() {
                    s.customer(&turn.acts);
                }
                last_customer = Some(t);
            }
        }
        if examples.is_empty() {
            return Err(Error::EmptyCorpus);
        }
        let mut by_keys: HashMap<Vec<Act>, Vec<usize>> = HashMap::new();
        for (i, e) in examples.iter().enumerate() {
            if !e.keys.is_empty() {
                by_keys.entry(e.keys.clone()).or_default().push(i);
            }
        }
        Ok(Simulator { corpus, config, examples, by_keys, agent_turns })
    }

    /// The corpus replies come from.
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// Starts playing `case`: its customer opens with its own first turns. Turns of the case's own
    /// dialogue (same id) are never used as replies.
    pub fn session(&self, case: &SimDialogue) -> Session<'_> {
        let opening: Vec<SimTurn> = case.turns.iter().take_while(|t| t.speaker == Speaker::Customer).cloned().collect();
        let slots = Slots { name: self.config.name_slot.clone(), source: self.config.source_slot.clone() };
        let mut goal = case.goal.as_ref().map(|g| GoalState::new(g, slots));
        let valences: Vec<f32> = opening.iter().filter_map(|t| t.valence).collect();
        let mood = if valences.is_empty() {
            Mood::from_anger(0.35)
        } else {
            Mood::from_anger(0.4 - 0.4 * valences.iter().sum::<f32>() / valences.len() as f32)
        };
        for t in &opening {
            if let Some(g) = goal.as_mut() {
                g.customer(&t.acts);
            }
        }
        Session {
            sim: self,
            case_id: case.id.clone(),
            intent: case.intent.clone(),
            goal,
            history: opening.clone(),
            opening,
            used: HashSet::new(),
            mood,
            ended: false,
        }
    }

    /// Reads an agent's text as acts: those of the most similar corpus agent turn, moved to the
    /// current sub-goal's domain where it has the slot, with an entity name taken from the text
    /// where the similar turn's name sits between the same words.
    fn read_agent(&self, text: &str, goal: Option<&GoalState>) -> Vec<Act> {
        let query = self.corpus.index.vector(text);
        let mut near: Vec<(f32, &SimTurn)> = self
            .agent_turns
            .iter()
            .filter_map(|&(d, t)| {
                let turn = self.corpus.dialogues.get(d)?.turns.get(t)?;
                Some((dot(&query, self.corpus.index.document(self.corpus.doc(d, t))), turn))
            })
            .collect();
        near.sort_by(|a, b| b.0.total_cmp(&a.0));
        near.truncate(8);
        let Some(&(_, best)) = near.first() else { return Vec::new() };
        // a name: where a similar turn's name sits between the same words
        let name = near.iter().find_map(|(_, turn)| {
            turn.acts.iter().filter(|a| a.slot == self.config.name_slot).find_map(|a| align(&turn.text, &a.value, text))
        });
        let mut acts = Vec::new();
        for act in &best.acts {
            let mut act = act.clone();
            if let Some(g) = goal {
                if let Some(domain) = g.current_domain() {
                    if g.current_has_slot(&act.slot) {
                        act.domain = domain.to_string();
                    }
                }
            }
            if act.slot == self.config.name_slot {
                act.value = name.clone().unwrap_or_default();
            }
            acts.push(act);
        }
        acts
    }
}

/// The text of `target` that sits where `value` sits in `source`: between the same two characters
/// before it and the same character after it.
fn align(source: &str, value: &str, target: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    let at = source.find(value)?;
    let before: String = source[..at].chars().rev().take(2).collect::<Vec<char>>().into_iter().rev().collect();
    let after: String = source[at + value.len()..].chars().take(1).collect();
    if before.is_empty() || after.is_empty() {
        return None;
    }
    let start = target.find(&before)? + before.len();
    let end = start + target[start..].find(&after)?;
    let found = target[start..end].trim();
    (found.chars().count() >= 2 && found.chars().count() <= 30).then(|| found.to_string())
}

/// How the customer feels: `anger` in [0, 1] and its band.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mood {
    pub level: MoodLevel,
    pub anger: f32,
}

/// The bands of [`Mood::anger`]: below 0.25, 0.5, 0.75, and above.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoodLevel {
    Calm,
    Neutral,
    Upset,
    Angry,
}

impl Mood {
    /// The mood of an anger level (clamped to [0, 1]).
    pub fn from_anger(anger: f32) -> Mood {
        let anger = anger.clamp(0.0, 1.0);
        let level = match anger {
            a if a < 0.25 => MoodLevel::Calm,
            a if a < 0.5 => MoodLevel::Neutral,
            a if a < 0.75 => MoodLevel::Upset,
            _ => MoodLevel::Angry,
        };
        Mood { level, anger }
    }

    /// After a trainee turn: a real answer lowers anger by 0.2 and empathy by 0.15; a turn that
    /// does not answer (ignores the problem, or answers wrongly) raises it by 0.2.
    pub fn after(self, empathy: bool, answered: bool) -> Mood {
        let mut delta = if answered { -0.2 } else { 0.2 };
        if empathy {
            delta -= 0.15;
        }
        Mood::from_anger(self.anger + delta)
    }

    /// The valence a customer in this mood speaks with: +1 calm … −1 angry.
    pub fn valence(self) -> f32 {
        1.0 - 2.0 * self.anger
    }
}

/// What the trainee (playing the agent) said, and the caller's judgement of it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TraineeTurn {
    pub text: String,
    /// Its acts, when the caller knows them; otherwise read from the text.
    pub acts: Option<Vec<Act>>,
    /// It showed empathy.
    pub empathy: bool,
    /// It answered the customer's problem correctly.
    pub answered: bool,
}

/// The simulated customer's reply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub text: String,
    /// Its acts (with the case's values where relexicalised); the source turn's acts otherwise.
    pub acts: Vec<Act>,
    pub mood: Mood,
    /// The real turn it was taken from: (dialogue id, turn index).
    pub source: (String, usize),
    /// The customer has nothing left to ask: the session ends with this turn.
    pub ends: bool,
}

/// One role-play: the case, the dialogue so far, the customer's mood.
#[derive(Clone, Debug)]
pub struct Session<'a> {
    sim: &'a Simulator,
    case_id: String,
    intent: Option<String>,
    goal: Option<GoalState>,
    history: Vec<SimTurn>,
    opening: Vec<SimTurn>,
    used: HashSet<usize>,
    mood: Mood,
    ended: bool,
}

impl Session<'_> {
    /// The case's real customer turns before its first agent turn.
    pub fn opening(&self) -> &[SimTurn] {
        &self.opening
    }

    /// The dialogue so far (opening, then agent and customer turns).
    pub fn history(&self) -> &[SimTurn] {
        &self.history
    }

    /// The customer's mood now.
    pub fn mood(&self) -> Mood {
        self.mood
    }

    /// Whether the customer has finished (nothing more will be said).
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// Answers a trainee turn; `None` once the session has ended or no unused turn is left.
    pub fn reply(&mut self, turn: &TraineeTurn) -> Option<Reply> {
        if self.ended {
            return None;
        }
        let agent_acts = self.hear(turn);
        let goal_mode = self.sim.examples.iter().any(|e| e.context.is_some());
        let reply = match self.goal.clone().filter(|_| goal_mode) {
            Some(goal) => self.by_goal(&goal, turn, &agent_acts),
            None => self.by_text(turn, &agent_acts),
        }?;
        self.say(&reply.text, &reply.acts, None, Some(&reply));
        Some(reply)
    }

    /// Continues with a known customer turn instead of choosing one (a stored session resumed, or
    /// an evaluation following a real dialogue).
    pub fn replay(&mut self, turn: &TraineeTurn, customer: &SimTurn) {
        self.hear(turn);
        self.say(&customer.text, &customer.acts, customer.valence, None);
    }

    /// Continues with a customer line this simulator said before — a stored session resumed —
    /// taken from `source` (dialogue id, turn index): that turn counts as used, so it is not said
    /// again.
    pub fn resume(&mut self, turn: &TraineeTurn, customer: &SimTurn, source: (&str, usize)) {
        let corpus = &self.sim.corpus;
        let said = self
            .sim
            .examples
            .iter()
            .position(|e| e.turn == source.1 && corpus.dialogues.get(e.dialogue).is_some_and(|d| d.id == source.0));
        if let Some(e) = said {
            self.used.insert(e);
        }
        self.replay(turn, customer);
    }

    fn hear(&mut self, turn: &TraineeTurn) -> Vec<Act> {
        let acts = match &turn.acts {
            Some(acts) => acts.clone(),
            None if !self.sim.agent_turns.is_empty() => self.sim.read_agent(&turn.text, self.goal.as_ref()),
            None => Vec::new(),
        };
        self.mood = self.mood.after(turn.empathy, turn.answered);
        if let Some(g) = self.goal.as_mut() {
            g.agent(&acts);
        }
        self.history.push(SimTurn { speaker: Speaker::Agent, text: turn.text.clone(), acts: acts.clone(), valence: None });
        acts
    }

    fn say(&mut self, text: &str, acts: &[Act], valence: Option<f32>, reply: Option<&Reply>) {
        if let Some(g) = self.goal.as_mut() {
            g.customer(acts);
        }
        if let Some(r) = reply {
            self.ended = r.ends;
        } else if self.goal.as_ref().is_some_and(GoalState::exhausted) && acts.iter().all(|a| a.intent == "General") {
            self.ended = !acts.is_empty();
        }
        self.history.push(SimTurn { speaker: Speaker::Customer, text: text.to_string(), acts: acts.to_vec(), valence });
    }

    fn usable(&self, e: usize) -> bool {
        let Some(ex) = self.sim.examples.get(e) else { return false };
        !self.used.contains(&e) && self.sim.corpus.dialogues.get(ex.dialogue).is_some_and(|d| d.id != self.case_id)
    }

    /// Goal mode: the shape the nearest contexts agree on, filled in with the case's values, said
    /// by a real turn with the same acts.
    fn by_goal(&mut self, goal: &GoalState, turn: &TraineeTurn, agent_acts: &[Act]) -> Option<Reply> {
        let context = goal.context(agent_acts);
        let w = &self.sim.config.context;
        let mut scored: Vec<(f32, usize)> = Vec::new();
        for (i, e) in self.sim.examples.iter().enumerate() {
            let Some(c) = &e.context else { continue };
            if self.sim.corpus.dialogues.get(e.dialogue).is_none_or(|d| d.id == self.case_id) {
                continue;
            }
            let s = w.done * f32::from(u8::from(c.done == context.done))
                + w.intents * f32::from(u8::from(c.intents == context.intents))
                + w.fresh * f32::from(u8::from(c.fresh == context.fresh))
                + w.constraints * f32::from(u8::from(c.constraints == context.constraints))
                + w.requests * f32::from(u8::from(c.requests == context.requests))
                + w.rerequests * f32::from(u8::from(c.rerequests == context.rerequests))
                + w.offers * f32::from(u8::from(c.offers == context.offers))
                + w.cross * f32::from(u8::from(c.cross == context.cross))
                + w.last * f32::from(u8::from(c.last == context.last));
            scored.push((s, i));
        }
        // stable: ties keep corpus order
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored.truncate(self.sim.config.neighbours.max(1));
        let top = scored.first().map(|s| s.0).unwrap_or(0.0);
        let mut shapes: Vec<(&[Token], f32)> = Vec::new();
        for &(s, i) in &scored {
            let shape = self.sim.examples[i].shape.as_slice();
            let weight = (s - top).exp2();
            match shapes.iter_mut().find(|(sh, _)| *sh == shape) {
                Some(entry) => entry.1 += weight,
                None => shapes.push((shape, weight)),
            }
        }
        let filled: Vec<(Vec<Act>, f32)> = shapes.iter().map(|(sh, w)| (goal.fill(sh), *w)).collect();
        let mut best: Option<(f32, &Vec<Act>)> = None;
        for (candidate, _) in &filled {
            let value: f32 = filled.iter().map(|(other, w)| w * dice(candidate, other)).sum();
            if best.is_none_or(|(b, _)| value > b) {
                best = Some((value, candidate));
            }
        }
        let plan = best.map(|(_, p)| p.clone()).unwrap_or_default();
        let ends = goal.exhausted() && plan.iter().all(|a| a.intent == "General");
        self.realise(&plan, turn, ends)
    }

    /// Says `plan` with a real turn: one with exactly its act keys if any is unused, else the one
    /// sharing most; its values replaced by the plan's.
    fn realise(&mut self, plan: &[Act], turn: &TraineeTurn, ends: bool) -> Option<Reply> {
        let keys = sorted_keys(plan);
        let exact: Vec<usize> =
            self.sim.by_keys.get(&keys).map(|v| v.iter().copied().filter(|&e| self.usable(e)).collect()).unwrap_or_default();
        let candidates: Vec<usize> = if exact.is_empty() {
            let scored: Vec<(f32, usize)> = (0..self.sim.examples.len())
                .filter(|&e| self.usable(e) && !self.sim.examples[e].keys.is_empty())
                .map(|e| (dice(&keys, &self.sim.examples[e].keys), e))
                .collect();
            let top = scored.iter().map(|s| s.0).fold(0.0_f32, f32::max);
            scored.into_iter().filter(|s| s.0 >= top && top > 0.0).map(|s| s.1).collect()
        } else {
            exact
        };
        let query = self.sim.corpus.index.vector(&turn.text);
        let target = self.mood.valence();
        let tw = &self.sim.config.text;
        let chosen = candidates.into_iter().max_by(|&a, &b| {
            let score = |e: usize| {
                let ex = &self.sim.examples[e];
                let text =
                    ex.agent.map_or(0.0, |t| dot(&query, self.sim.corpus.index.document(self.sim.corpus.doc(ex.dialogue, t))));
                let valence = self.turn(e).and_then(|t| t.valence);
                let mood = valence.map_or(0.0, |v| 1.0 - (v - target).abs() / 2.0);
                f32::from(u8::from(ex.relexable)) * 2.0 + tw.agent * text + tw.mood * 4.0 * mood
            };
            score(a).total_cmp(&score(b)).then(b.cmp(&a))
        })?;
        let source = self.turn(chosen)?.clone();
        let (text, acts) = relexicalise(&source, plan);
        self.used.insert(chosen);
        let ex = &self.sim.examples[chosen];
        let id = self.sim.corpus.dialogues.get(ex.dialogue).map(|d| d.id.clone()).unwrap_or_default();
        Some(Reply { text, acts, mood: self.mood, source: (id, ex.turn), ends })
    }

    fn turn(&self, e: usize) -> Option<&SimTurn> {
        let ex = self.sim.examples.get(e)?;
        self.sim.corpus.dialogues.get(ex.dialogue)?.turns.get(ex.turn)
    }

    /// Text mode: the turn whose context reads most like this dialogue's.
    fn by_text(&mut self, turn: &TraineeTurn, agent_acts: &[Act]) -> Option<Reply> {
        let index = &self.sim.corpus.index;
        let mut agent_cos = Vec::new();
        index.cosines(&index.vector(&turn.text), &mut agent_cos);
        let last_customer = self.history.iter().rev().skip(1).find(|t| t.speaker == Speaker::Customer);
        let mut customer_cos = Vec::new();
        index.cosines(&index.vector(last_customer.map_or("", |t| t.text.as_str())), &mut customer_cos);
        let agent_keys: HashSet<Act> = agent_acts.iter().map(Act::key).collect();
        let position = {
            let n = self.history.len() as f32;
            n / (n + 4.0)
        };
        let target = self.mood.valence();
        let tw = &self.sim.config.text;
        let mut best: Option<(f32, usize)> = None;
        for (e, ex) in self.sim.examples.iter().enumerate() {
            if !self.usable(e) {
                continue;
            }
            let Some(dialogue) = self.sim.corpus.dialogues.get(ex.dialogue) else { continue };
            let mut s = 0.0;
            if let Some(a) = ex.agent {
                s += tw.agent * agent_cos.get(self.sim.corpus.doc(ex.dialogue, a)).copied().unwrap_or(0.0);
                if !agent_keys.is_empty() {
                    let theirs: HashSet<Act> = dialogue.turns[a].acts.iter().map(Act::key).collect();
                    let union = agent_keys.union(&theirs).count().max(1) as f32;
                    s += tw.acts * agent_keys.intersection(&theirs).count() as f32 / union;
                }
            }
            if let Some(c) = ex.customer {
                s += tw.customer * customer_cos.get(self.sim.corpus.doc(ex.dialogue, c)).copied().unwrap_or(0.0);
            }
            if self.intent.is_some() && dialogue.intent == self.intent {
                s += tw.intent;
            }
            s += tw.position * (1.0 - (ex.position - position).abs());
            if let Some(v) = dialogue.turns.get(ex.turn).and_then(|t| t.valence) {
                s += tw.mood * (1.0 - (v - target).abs() / 2.0);
            }
            if best.is_none_or(|(b, _)| s > b) {
                best = Some((s, e));
            }
        }
        let (_, chosen) = best?;
        let source = self.turn(chosen)?.clone();
        self.used.insert(chosen);
        let ex = &self.sim.examples[chosen];
        let dialogue = self.sim.corpus.dialogues.get(ex.dialogue)?;
        let last = dialogue.turns.iter().rposition(|t| t.speaker == Speaker::Customer) == Some(ex.turn);
        Some(Reply { text: source.text, acts: source.acts, mood: self.mood, source: (dialogue.id.clone(), ex.turn), ends: last })
    }
}

/// The source turn said with the plan's values: each of its acts whose key the plan has takes the
/// plan's value (in the text too, where the old value appears); its other acts stay as they are.
fn relexicalise(source: &SimTurn, plan: &[Act]) -> (String, Vec<Act>) {
    let mut text = source.text.clone();
    let mut acts = Vec::with_capacity(source.acts.len());
    let mut taken = vec![false; plan.len()];
    let mut sorted = source.acts.clone();
    sorted.sort();
    for act in sorted {
        let key = act.key();
        let slot = plan.iter().enumerate().position(|(i, p)| !taken[i] && p.key() == key);
        let Some(i) = slot else {
            acts.push(act);
            continue;
        };
        taken[i] = true;
        let new = &plan[i];
        if act.intent == "Inform" && !act.value.is_empty() && act.value != new.value {
            if let Some(at) = find_folded(&text, &act.value) {
                text.replace_range(at..at + act.value.len(), &new.value);
            }
        }
        acts.push(new.clone());
    }
    acts.sort();
    (text, acts)
}

/// Where `needle` first occurs in `text`, ignoring ASCII case (values are often stored lower-cased).
fn find_folded(text: &str, needle: &str) -> Option<usize> {
    text.find(needle).or_else(|| text.to_ascii_lowercase().find(&needle.to_ascii_lowercase()))
}

/// Dice overlap of two act sets (1 when both are empty).
fn dice(a: &[Act], b: &[Act]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let common = a.iter().filter(|x| b.contains(x)).count() as f32;
    2.0 * common / (a.len() + b.len()) as f32
}
