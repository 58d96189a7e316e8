//! Similar solved cases: conversations whose ticket a person confirmed or closed, found by what
//! their customer said, shown with how they were resolved.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use seatmate_core::{KnowledgeBody, KnowledgeItem, Speaker};
use seatmate_embed::CachedEncoder;
use seatmate_retrieve::KnowledgeIndex;
use seatmate_store::{Scope, Store};
use serde::Serialize;

use crate::{AssistError, Result};

/// What the customer said first, as much as describes the problem.
const OPENING_CHARS: usize = 300;
/// Cases scoring below this are not shown: chosen on train folds by `seatmate eval cases` (the cut
/// of most use when a case of the ticket's kind is worth one and another costs
/// [`crate::WRONG_CARD_COST`]). With the fitted calibration BANKING77 chose 0.0017; that
/// calibration is not switched on yet, so the cut stays 0.2 (BENCHMARKS.md, "Similar solved cases").
pub const MIN_CASE_SCORE: f32 = 0.2;

/// A conversation with its resolution.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SolvedCase {
    pub conversation_id: String,
    pub ticket_id: String,
    /// Who handled the conversation (decides who may read the customer's words).
    pub agent: Option<String>,
    /// The team of that agent when the index was built (team leads read their team's cases).
    #[serde(skip)]
    pub agent_team: Option<String>,
    pub title: String,
    pub category: Option<String>,
    pub team: Option<String>,
    pub summary: String,
    /// The customer's opening turns.
    pub problem: String,
    /// What resolved it: the confirmed summary's actions and outcome (or the whole summary when it
    /// has no parts), else the agent's turn that says most (never a greeting or a goodbye).
    pub resolution: String,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseHit {
    #[serde(flatten)]
    pub case: SolvedCase,
    /// Calibrated, as knowledge results are.
    pub score: f32,
    /// The part of the problem text that matched, as plain text.
    pub passage: String,
    /// Matched words in `passage`, as character offsets.
    pub highlights: Vec<[usize; 2]>,
}

/// A similar case as one caller may see it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisibleCase {
    /// Whether the caller may read the case's words. When not, only its category, team and score
    /// are given: a summary, the customer's words and the agent's words can hold personal data.
    pub visible: bool,
    pub case: CaseHit,
}

impl CaseHit {
    /// Whether a caller with `scope` may read this case: everyone with the whole view, an agent
    /// their own cases, a team lead the cases of their team's agents.
    pub fn visible_to(&self, scope: &Scope) -> bool {
        match scope {
            Scope::All => true,
            Scope::Agent(name) => self.case.agent.as_deref() == Some(name.as_str()),
            Scope::Team(team) => self.case.agent_team.as_deref() == Some(team.as_str()),
        }
    }

    /// The case as `scope` may see it.
    pub fn for_viewer(self, scope: &Scope) -> VisibleCase {
        if self.visible_to(scope) {
            return VisibleCase { visible: true, case: self };
        }
        let case = SolvedCase {
            conversation_id: String::new(),
            ticket_id: String::new(),
            agent: None,
            agent_team: None,
            title: String::new(),
            category: self.case.category,
            team: self.case.team,
            summary: String::new(),
            problem: String::new(),
            resolution: String::new(),
        };
        VisibleCase { visible: false, case: CaseHit { case, score: self.score, passage: String::new(), highlights: Vec::new() } }
    }
}

/// The solved cases, searchable by how their problem was put (`seatmate eval cases` measures it).
pub struct CaseIndex {
    index: KnowledgeIndex,
    cases: RwLock<HashMap<String, SolvedCase>>,
}

impl CaseIndex {
    pub fn new(encoder: Option<Arc<CachedEncoder>>) -> Result<CaseIndex> {
        Self::with_min_score(encoder, MIN_CASE_SCORE)
    }

    /// An index that shows cases from `min_score` up (evaluation: 0 shows every case).
    pub fn with_min_score(encoder: Option<Arc<CachedEncoder>>, min_score: f32) -> Result<CaseIndex> {
        let index = KnowledgeIndex::in_memory()?;
        let index = match encoder {
            Some(encoder) => index.with_encoder(encoder),
            None => index,
        };
        Ok(CaseIndex { index: index.with_min_score(min_score), cases: RwLock::new(HashMap::new()) })
    }

    pub(crate) fn len(&self) -> u64 {
        self.index.len()
    }

    pub fn replace(&self, cases: &[SolvedCase], progress: &mut dyn FnMut(usize, usize)) -> Result<()> {
        let items: Vec<KnowledgeItem> = cases.iter().map(as_item).collect();
        self.index.clear()?;
        self.index.upsert_with_progress(&items, progress)?;
        self.index.commit()?;
        if let Ok(mut map) = self.cases.write() {
            *map = cases.iter().map(|c| (c.conversation_id.clone(), c.clone())).collect();
        }
        Ok(())
    }

    pub fn search(&self, text: &str, except: Option<&str>, k: usize) -> Result<Vec<CaseHit>> {
        let hits = self.index.search(text, k + 1)?;
        let cases = self.cases.read().map_err(|_| AssistError::Join("case map poisoned".into()))?;
        Ok(hits
            .into_iter()
            .filter(|h| Some(h.id.as_str()) != except)
            .filter_map(|h| {
                Some(CaseHit { case: cases.get(&h.id)?.clone(), score: h.score, passage: h.passage, highlights: h.highlights })
            })
            .take(k)
            .collect())
    }
}

/// A case as the search index sees it: the problem is how it was asked, the resolution answers.
fn as_item(case: &SolvedCase) -> KnowledgeItem {
    KnowledgeItem {
        id: case.conversation_id.clone(),
        key: case.ticket_id.clone(),
        title: case.title.clone(),
        category: case.category.clone(),
        language: None,
        tags: Vec::new(),
        version: 1,
        updated_at: 0,
        updated_by: String::new(),
        body: KnowledgeBody::Faq {
            questions: vec![case.problem.clone()],
            answer: format!("{}\n{}", case.summary, case.resolution),
        },
    }
}

/// Every conversation with a resolved ticket ([`seatmate_core::Ticket::is_resolved`]: the rule
/// that also decides which tickets teach the classifier).
pub(crate) async fn solved_cases(store: &dyn Store) -> Result<Vec<SolvedCase>> {
    let teams: HashMap<String, String> =
        store.list_users().await?.into_iter().filter_map(|u| Some((u.username, u.team?))).collect();
    let mut cases = Vec::new();
    for resolved in store.resolved_tickets_with_conversations().await? {
        let (ticket, conversation) = (resolved.ticket, resolved.conversation);
        let mut problem = String::new();
        for turn in conversation.turns.iter().filter(|t| t.speaker == Speaker::Customer) {
            if problem.chars().count() >= OPENING_CHARS {
                break;
            }
            if !problem.is_empty() {
                problem.push(' ');
            }
            problem.push_str(turn.text.trim());
        }
        if problem.is_empty() {
            continue;
        }
        let summary = if ticket.summary.trim().is_empty() { ticket.body } else { ticket.summary };
        let resolution = resolution(&summary, &conversation);
        // cases are shown beside other customers' conversations: personal data is always masked
        let problem: String = problem.chars().take(OPENING_CHARS * 2).collect();
        cases.push(SolvedCase {
            conversation_id: conversation.id.clone(),
            ticket_id: ticket.id,
            agent_team: conversation.agent.as_ref().and_then(|a| teams.get(a).cloned()),
            agent: conversation.agent.clone(),
            title: seatmate_redact::mask(&ticket.title),
            category: ticket.category,
            team: ticket.team,
            summary: seatmate_redact::mask(&summary),
            problem: seatmate_redact::mask(&problem),
            resolution: seatmate_redact::mask(&resolution),
        });
    }
    Ok(cases)
}

/// Labels the after-call summary gives its action and outcome lines, in each language.
const RESOLUTION_LABELS: &[&str] = &["处理：", "结果：", "處理：", "結果：", "Actions: ", "Outcome: "];

/// What resolved a case: the action and outcome lines of its ticket's summary when it has them,
/// else the summary a person confirmed, else the agent turn with the most content words, leaving out the agent's first turn (the
/// greeting) — so never a greeting or a goodbye.
fn resolution(summary: &str, conversation: &seatmate_core::Conversation) -> String {
    let from_summary: Vec<&str> = summary
        .lines()
        .filter_map(|line| RESOLUTION_LABELS.iter().find_map(|label| line.trim().strip_prefix(label)))
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .collect();
    if !from_summary.is_empty() {
        return from_summary.join(" ");
    }
    if !summary.trim().is_empty() {
        return summary.trim().to_string();
    }
    let content_words = |text: &str| {
        seatmate_text::tokens(&seatmate_text::normalize(text)).iter().filter(|t| seatmate_text::is_content_word(&t.text)).count()
    };
    conversation
        .turns
        .iter()
        .filter(|t| t.speaker == Speaker::Agent)
        .skip(1)
        .map(|t| (content_words(&t.text), t))
        .filter(|(words, _)| *words >= 2)
        // the earliest of the weightiest: later turns repeat and close
        .fold(None::<(usize, &seatmate_core::Turn)>, |best, (words, turn)| match best {
            Some((most, _)) if most >= words => best,
            _ => Some((words, turn)),
        })
        .map(|(_, turn)| turn.text.trim().to_string())
        .unwrap_or_default()
}
