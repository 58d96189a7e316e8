//! Similar solved cases: conversations whose ticket a person confirmed or closed, found by what
//! their customer said, shown with how they were resolved.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use seatmate_core::{KnowledgeBody, KnowledgeItem, Speaker, Ticket, TicketStatus};
use seatmate_embed::CachedEncoder;
use seatmate_retrieve::KnowledgeIndex;
use seatmate_store::{Scope, Store, TicketFilter};
use serde::Serialize;

use crate::{AssistError, Result};

/// The `source` of tickets Seatmate pre-filled itself.
const SEATMATE_SOURCE: &str = "seatmate";
/// What the customer said first, as much as describes the problem.
const OPENING_CHARS: usize = 300;
/// Cases scoring below this are not shown.
const MIN_CASE_SCORE: f32 = 0.2;

/// A conversation with its resolution.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SolvedCase {
    pub conversation_id: String,
    pub ticket_id: String,
    /// Who handled the conversation (decides who may read the customer's words).
    pub agent: Option<String>,
    pub title: String,
    pub category: Option<String>,
    pub team: Option<String>,
    pub summary: String,
    /// The customer's opening turns.
    pub problem: String,
    /// The agent's last words.
    pub resolution: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CaseHit {
    #[serde(flatten)]
    pub case: SolvedCase,
    /// Calibrated, as knowledge results are.
    pub score: f32,
    /// The problem text with the matching words marked.
    pub passage: String,
}

pub(crate) struct CaseIndex {
    index: KnowledgeIndex,
    cases: RwLock<HashMap<String, SolvedCase>>,
}

impl CaseIndex {
    pub(crate) fn new(encoder: Option<Arc<CachedEncoder>>) -> Result<CaseIndex> {
        let index = KnowledgeIndex::in_memory()?;
        let index = match encoder {
            Some(encoder) => index.with_encoder(encoder),
            None => index,
        };
        Ok(CaseIndex { index: index.with_min_score(MIN_CASE_SCORE), cases: RwLock::new(HashMap::new()) })
    }

    pub(crate) fn len(&self) -> u64 {
        self.index.len()
    }

    pub(crate) fn replace(&self, cases: &[SolvedCase], progress: &mut dyn FnMut(usize, usize)) -> Result<()> {
        let items: Vec<KnowledgeItem> = cases.iter().map(as_item).collect();
        self.index.clear()?;
        self.index.upsert_with_progress(&items, progress)?;
        self.index.commit()?;
        if let Ok(mut map) = self.cases.write() {
            *map = cases.iter().map(|c| (c.conversation_id.clone(), c.clone())).collect();
        }
        Ok(())
    }

    pub(crate) fn search(&self, text: &str, except: Option<&str>, k: usize) -> Result<Vec<CaseHit>> {
        let hits = self.index.search(text, k + 1)?;
        let cases = self.cases.read().map_err(|_| AssistError::Join("case map poisoned".into()))?;
        Ok(hits
            .into_iter()
            .filter(|h| Some(h.id.as_str()) != except)
            .filter_map(|h| Some(CaseHit { case: cases.get(&h.id)?.clone(), score: h.score, passage: h.passage }))
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

/// Whether a ticket records how its conversation was resolved: a person confirmed or closed it,
/// or it came from the contact centre's own ticket history (the same rule that decides which
/// tickets teach the classifier).
fn is_resolved(ticket: &Ticket) -> bool {
    ticket.category.is_some()
        && (ticket.source != SEATMATE_SOURCE || matches!(ticket.status, TicketStatus::Confirmed | TicketStatus::Closed))
}

/// Every conversation with a resolved ticket.
pub(crate) async fn solved_cases(store: &dyn Store) -> Result<Vec<SolvedCase>> {
    let mut cases = Vec::new();
    let mut offset = 0;
    loop {
        let filter = TicketFilter { limit: 500, offset, ..TicketFilter::default() };
        let page = store.list_tickets(&Scope::All, &filter).await?;
        if page.items.is_empty() {
            break;
        }
        offset += page.items.len() as i64;
        for ticket in page.items.into_iter().filter(is_resolved) {
            let Some(conversation_id) = ticket.conversation_id.clone() else { continue };
            let Some(conversation) = store.conversation(&Scope::All, &conversation_id).await? else { continue };
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
            let resolution =
                conversation.turns.iter().rev().find(|t| t.speaker == Speaker::Agent).map(|t| t.text.clone()).unwrap_or_default();
            if problem.is_empty() {
                continue;
            }
            cases.push(SolvedCase {
                conversation_id,
                ticket_id: ticket.id,
                agent: conversation.agent.clone(),
                title: ticket.title,
                category: ticket.category,
                team: ticket.team,
                summary: if ticket.summary.trim().is_empty() { ticket.body } else { ticket.summary },
                problem: problem.chars().take(OPENING_CHARS * 2).collect(),
                resolution,
            });
        }
    }
    Ok(cases)
}
