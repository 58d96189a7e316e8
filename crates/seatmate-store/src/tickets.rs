//! Tickets, their history, and what they teach: labelled texts and resolved cases.

use async_trait::async_trait;
use seatmate_core::{Conversation, Millis, Priority, TaxonomyNode, Ticket, TicketEvent, TicketStatus};

use crate::{ImportCounts, Page, Progress, Result, Scope};

#[derive(Clone, Debug, Default)]
pub struct TicketFilter {
    pub conversation_id: Option<String>,
    pub status: Option<TicketStatus>,
    /// Categories whose code starts with this text (a node and the codes built on it).
    pub category_prefix: Option<String>,
    pub text: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// What a confirmation or correction sets; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct TicketChanges {
    pub category: Option<String>,
    pub team: Option<String>,
    pub priority: Option<Priority>,
    pub summary: Option<String>,
    pub status: Option<TicketStatus>,
}

/// A training example: what the classifier reads and the category a person gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelledText {
    pub text: String,
    pub category: String,
    pub team: Option<String>,
    /// When the ticket last changed: a model trained before then has not learned it as it is.
    pub updated_at: Millis,
}

/// A resolved ticket ([`Ticket::is_resolved`]) with the conversation it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedTicket {
    pub ticket: Ticket,
    pub conversation: Conversation,
}

#[async_trait]
pub trait TicketStore: Send + Sync {
    /// Inserts tickets and any taxonomy nodes they need, in one transaction.
    async fn import_tickets(
        &self,
        new_nodes: &[TaxonomyNode],
        tickets: &[Ticket],
        progress: Progress<'_>,
    ) -> Result<ImportCounts>;
    /// Tickets are visible through their conversation's scope.
    async fn list_tickets(&self, scope: &Scope, filter: &TicketFilter) -> Result<Page<Ticket>>;
    async fn ticket(&self, scope: &Scope, id: &str) -> Result<Option<(Ticket, Vec<TicketEvent>)>>;
    /// Inserts a ticket created in Seatmate (not imported), with a `created` event.
    async fn create_ticket(&self, ticket: &Ticket, actor: &str) -> Result<()>;
    /// Applies `changes` to a ticket in one transaction and records one event per changed field
    /// (`corrected`; `summary_added` for a summary where there was none, or one that keeps the old
    /// and adds to it), led by a `confirmed`
    /// event when nothing was corrected; sets the status.
    async fn update_ticket(&self, id: &str, changes: &TicketChanges, actor: &str, now: Millis) -> Result<Ticket>;
    /// Every resolved ticket ([`Ticket::is_resolved`]) as a training example, in ticket id order:
    /// the text is its conversation's [`Conversation::classifier_text`], or the ticket's own
    /// [`Ticket::classifier_text`] when it has no conversation (or an empty one). So the model
    /// never learns from its own unconfirmed pre-fills, and trains on what it will be asked.
    async fn labelled_texts(&self) -> Result<Vec<LabelledText>>;
    /// Every resolved ticket that belongs to a conversation, with that conversation, in ticket id
    /// order — the solved cases. A fixed number of queries, however many tickets there are.
    async fn resolved_tickets_with_conversations(&self) -> Result<Vec<ResolvedTicket>>;
    /// How many tickets bring the classifier new information after `since`: confirmed for the
    /// first time, or given another category. Confirming a ticket again does not count.
    async fn confirmations_since(&self, since: Millis) -> Result<i64>;
}
