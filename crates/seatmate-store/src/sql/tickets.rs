//! Tickets, their history, and what they teach: labelled texts and resolved cases.

use std::collections::HashMap;

use async_trait::async_trait;
use seatmate_core::{Conversation, Millis, Priority, TaxonomyNode, Ticket, TicketEvent, TicketStatus, SEATMATE_SOURCE};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::conversations::{conversations_from_rows, CONVERSATION_COLUMNS};
use super::{json_map, like_pattern, parse, to_json, SqlStore, Statement, TURN_COLUMNS};
use crate::{
    ImportCounts, ImportStore, LabelledText, Page, Progress, ResolvedTicket, Result, Scope, StoreError, TicketChanges,
    TicketFilter, TicketStore,
};

const TICKET_COLUMNS: &str =
    "id, external_id, source, conversation_id, title, body, category, team, priority, summary, status, created_at, updated_at, attributes";

fn ticket_from_row(row: &AnyRow) -> Result<Ticket> {
    Ok(Ticket {
        id: row.try_get("id")?,
        external_id: row.try_get("external_id")?,
        source: row.try_get("source")?,
        conversation_id: row.try_get("conversation_id")?,
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        category: row.try_get("category")?,
        team: row.try_get("team")?,
        priority: parse(&row.try_get::<String, _>("priority")?, "priority")?,
        summary: row.try_get("summary")?,
        status: parse(&row.try_get::<String, _>("status")?, "status")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        attributes: json_map(&row.try_get::<String, _>("attributes")?)?,
    })
}

/// Inserts a ticket and its `created` event; `false` when one with the same source and external
/// id is already there. A category must name an existing taxonomy node.
pub(crate) async fn insert_ticket(tx: &mut sqlx::Transaction<'_, sqlx::Any>, t: &Ticket, actor: &str) -> Result<bool> {
    if let Some(category) = &t.category {
        let known: Option<String> =
            sqlx::query_scalar("SELECT code FROM taxonomy WHERE code = $1").bind(category).fetch_optional(&mut **tx).await?;
        if known.is_none() {
            return Err(StoreError::InvalidInput(format!("ticket {:?}: unknown taxonomy path {category:?}", t.external_id)));
        }
    }
    let result = sqlx::query(&format!(
        "INSERT INTO tickets ({TICKET_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
         ON CONFLICT (source, external_id) DO NOTHING"
    ))
    .bind(&t.id)
    .bind(&t.external_id)
    .bind(&t.source)
    .bind(&t.conversation_id)
    .bind(&t.title)
    .bind(&t.body)
    .bind(&t.category)
    .bind(&t.team)
    .bind(t.priority.as_str())
    .bind(&t.summary)
    .bind(t.status.as_str())
    .bind(t.created_at)
    .bind(t.updated_at)
    .bind(to_json(&t.attributes)?)
    .execute(&mut **tx)
    .await?;
    if result.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("INSERT INTO ticket_events (ticket_id, seq, at, actor, action) VALUES ($1, 0, $2, $3, 'created')")
        .bind(&t.id)
        .bind(t.created_at)
        .bind(actor)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// The conditions of a ticket list, for its count and its page alike.
fn filtered(select: &str, scope: &Scope, filter: &TicketFilter) -> Statement {
    let mut query = Statement::new(select);
    // tickets are visible through their conversation
    query.conversation_scope(scope, "conversation_id");
    if let Some(conversation) = &filter.conversation_id {
        query.and("conversation_id = ").bind(conversation.clone());
    }
    if let Some(status) = filter.status {
        query.and("status = ").bind(status.as_str());
    }
    if let Some(prefix) = filter.category_prefix.as_deref().filter(|p| !p.is_empty()) {
        let below = format!("{}%", prefix.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        query.and("(category = ").bind(prefix.to_string()).push(" OR category LIKE ").bind(below).push(" ESCAPE '\\')");
    }
    if let Some(text) = filter.text.as_deref().filter(|t| !t.trim().is_empty()) {
        query.and("LOWER(title || ' ' || body) LIKE ").bind(like_pattern(text)).push(" ESCAPE '\\'");
    }
    query
}

/// The statuses in which a ticket Seatmate pre-filled itself counts as resolved, asked of
/// [`Ticket::is_resolved`] so that the SQL below cannot drift from the domain rule.
fn resolving_statuses() -> Vec<TicketStatus> {
    let probe = |status| Ticket {
        id: String::new(),
        external_id: String::new(),
        source: SEATMATE_SOURCE.to_string(),
        conversation_id: None,
        title: String::new(),
        body: String::new(),
        category: Some(String::new()),
        team: None,
        priority: Priority::Normal,
        summary: String::new(),
        status,
        created_at: 0,
        updated_at: 0,
        attributes: Default::default(),
    };
    TicketStatus::ALL.iter().copied().filter(|&status| probe(status).is_resolved()).collect()
}

/// Narrows a query over `tickets {table}` to resolved tickets: a category, and imported or in a
/// resolving status. Rows are still checked with [`Ticket::is_resolved`], the rule's one home.
fn resolved_only(query: &mut Statement, table: &str) {
    query.and(&format!("{table}.category IS NOT NULL"));
    query.and(&format!("({table}.source <> ")).bind(SEATMATE_SOURCE);
    let statuses = resolving_statuses();
    if !statuses.is_empty() {
        query.push(&format!(" OR {table}.status IN ("));
        for (i, status) in statuses.into_iter().enumerate() {
            query.push(if i == 0 { "" } else { ", " }).bind(status.as_str());
        }
        query.push(")");
    }
    query.push(")");
}

fn event_from_row(row: &AnyRow) -> Result<TicketEvent> {
    Ok(TicketEvent {
        ticket_id: row.try_get("ticket_id")?,
        at: row.try_get("at")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        field: row.try_get("field")?,
        old_value: row.try_get("old_value")?,
        new_value: row.try_get("new_value")?,
    })
}

impl SqlStore {
    /// Every resolved ticket in id order with its conversation (when it has one that exists), in
    /// three queries: the tickets, their conversations, and those conversations' turns.
    async fn resolved_tickets(&self, only_with_conversation: bool) -> Result<Vec<(Ticket, Option<Conversation>)>> {
        let resolved_conversation_ids = |query: &mut Statement| {
            query.subquery("SELECT t.conversation_id FROM tickets t", |q| {
                resolved_only(q, "t");
                q.and("t.conversation_id IS NOT NULL");
            });
        };
        let (_turn, mut tx) = self.begin_write().await?;
        let mut tickets = Statement::new(format!("SELECT {TICKET_COLUMNS} FROM tickets t"));
        resolved_only(&mut tickets, "t");
        if only_with_conversation {
            tickets.and("t.conversation_id IS NOT NULL");
        }
        let ticket_rows = tickets.push(" ORDER BY t.id").fetch_all(&mut *tx).await?;
        let mut conversations = Statement::new(format!("SELECT {CONVERSATION_COLUMNS} FROM conversations"));
        resolved_conversation_ids(conversations.and("id IN "));
        let conversation_rows = conversations.fetch_all(&mut *tx).await?;
        let mut turns = Statement::new(format!("SELECT {TURN_COLUMNS} FROM turns"));
        resolved_conversation_ids(turns.and("conversation_id IN "));
        let turn_rows = turns.push(" ORDER BY conversation_id, seq").fetch_all(&mut *tx).await?;
        tx.commit().await?;

        let conversations: HashMap<String, Conversation> =
            conversations_from_rows(&conversation_rows, &turn_rows)?.into_iter().map(|c| (c.id.clone(), c)).collect();
        let mut resolved = Vec::with_capacity(ticket_rows.len());
        for row in &ticket_rows {
            let ticket = ticket_from_row(row)?;
            if !ticket.is_resolved() {
                continue;
            }
            let conversation = ticket.conversation_id.as_ref().and_then(|id| conversations.get(id)).cloned();
            if conversation.is_some() || !only_with_conversation {
                resolved.push((ticket, conversation));
            }
        }
        Ok(resolved)
    }
}

#[async_trait]
impl TicketStore for SqlStore {
    async fn import_tickets(
        &self,
        new_nodes: &[TaxonomyNode],
        tickets: &[Ticket],
        progress: Progress<'_>,
    ) -> Result<ImportCounts> {
        let mut import = self.begin_import().await?;
        import.taxonomy_nodes(new_nodes).await?;
        let mut counts = ImportCounts::default();
        for (i, batch) in tickets.chunks(1000).enumerate() {
            counts.merge(import.tickets(batch).await?);
            progress((i * 1000 + batch.len()) as u64);
        }
        import.commit().await?;
        Ok(counts)
    }

    async fn list_tickets(&self, scope: &Scope, filter: &TicketFilter) -> Result<Page<Ticket>> {
        let total = filtered("SELECT COUNT(*) FROM tickets", scope, filter).fetch_count(&self.pool).await?;
        let rows = filtered(&format!("SELECT {TICKET_COLUMNS} FROM tickets"), scope, filter)
            .push(" ORDER BY created_at DESC, id")
            .page(filter.limit, filter.offset)
            .fetch_all(&self.pool)
            .await?;
        Ok(Page { items: rows.iter().map(ticket_from_row).collect::<Result<_>>()?, total })
    }

    async fn ticket(&self, scope: &Scope, id: &str) -> Result<Option<(Ticket, Vec<TicketEvent>)>> {
        let mut query = Statement::new(format!("SELECT {TICKET_COLUMNS} FROM tickets"));
        query.and("id = ").bind(id.to_string()).conversation_scope(scope, "conversation_id");
        let Some(row) = query.fetch_optional(&self.pool).await? else { return Ok(None) };
        let ticket = ticket_from_row(&row)?;
        let rows = sqlx::query(
            "SELECT ticket_id, at, actor, action, field, old_value, new_value FROM ticket_events WHERE ticket_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let events = rows.iter().map(event_from_row).collect::<Result<_>>()?;
        Ok(Some((ticket, events)))
    }

    async fn create_ticket(&self, t: &Ticket, actor: &str) -> Result<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        if !insert_ticket(&mut tx, t, actor).await? {
            return Err(StoreError::Conflict(format!("ticket {:?} already exists", t.external_id)));
        }
        tx.commit().await?;
        Ok(())
    }

    async fn update_ticket(&self, id: &str, changes: &TicketChanges, actor: &str, now: Millis) -> Result<Ticket> {
        let (_turn, mut tx) = self.begin_write().await?;
        // read, change, write: the row stays locked until the commit, so a concurrent change is
        // applied after this one instead of being overwritten by it (SQLite: one writer at a time)
        let lock = if self.backend == "postgres" { " FOR UPDATE" } else { "" };
        let row = sqlx::query(&format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = $1{lock}"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("ticket {id:?}")))?;
        let mut ticket = ticket_from_row(&row)?;
        if let Some(category) = &changes.category {
            let known: Option<String> =
                sqlx::query_scalar("SELECT code FROM taxonomy WHERE code = $1").bind(category).fetch_optional(&mut *tx).await?;
            if known.is_none() {
                return Err(StoreError::InvalidInput(format!("unknown taxonomy path {category:?}")));
            }
        }
        let mut events: Vec<(&str, Option<String>, Option<String>)> = Vec::new();
        let mut change = |field: &'static str, old: Option<String>, new: Option<String>| {
            if new.is_some() && new != old {
                events.push((field, old, new));
                true
            } else {
                false
            }
        };
        if change("category", ticket.category.clone(), changes.category.clone()) {
            ticket.category.clone_from(&changes.category);
        }
        if change("team", ticket.team.clone(), changes.team.clone()) {
            ticket.team.clone_from(&changes.team);
        }
        if change("priority", Some(ticket.priority.as_str().into()), changes.priority.map(|p| p.as_str().into())) {
            ticket.priority = changes.priority.unwrap_or(ticket.priority);
        }
        if change("summary", Some(ticket.summary.clone()), changes.summary.clone()) {
            ticket.summary = changes.summary.clone().unwrap_or_default();
        }
        if let Some(status) = changes.status {
            ticket.status = status;
        }
        ticket.updated_at = now;
        sqlx::query("UPDATE tickets SET category = $2, team = $3, priority = $4, summary = $5, status = $6, updated_at = $7 WHERE id = $1")
            .bind(id)
            .bind(&ticket.category)
            .bind(&ticket.team)
            .bind(ticket.priority.as_str())
            .bind(&ticket.summary)
            .bind(ticket.status.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let next: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), -1) + 1 FROM ticket_events WHERE ticket_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        // a summary written where there was none, or one that keeps the old text and adds to it,
        // is an addition, not a correction: its own kind, after the confirmation it came with when
        // nothing else changed
        let is_addition = |field: &str, old: &Option<String>, new: &Option<String>| {
            let (old, new) = (old.as_deref().unwrap_or("").trim(), new.as_deref().unwrap_or("").trim());
            field == "summary" && (old.is_empty() || (new.len() > old.len() && new.starts_with(old)))
        };
        let corrections = events.iter().filter(|(field, old, new)| !is_addition(field, old, new)).count();
        let mut rows: Vec<(&str, &str, Option<String>, Option<String>)> = Vec::new();
        if corrections == 0 {
            rows.push(("confirmed", "", None, None));
        }
        rows.extend(events.into_iter().map(|(field, old, new)| {
            (if is_addition(field, &old, &new) { "summary_added" } else { "corrected" }, field, old, new)
        }));
        for (i, (action, field, old, new)) in rows.into_iter().enumerate() {
            sqlx::query(
                "INSERT INTO ticket_events (ticket_id, seq, at, actor, action, field, old_value, new_value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(next + i as i64)
            .bind(now)
            .bind(actor)
            .bind(action)
            .bind(if field.is_empty() { None } else { Some(field.to_string()) })
            .bind(old)
            .bind(new)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(ticket)
    }

    async fn labelled_texts(&self) -> Result<Vec<LabelledText>> {
        let resolved = self.resolved_tickets(false).await?;
        Ok(resolved
            .into_iter()
            .filter_map(|(ticket, conversation)| {
                let text = conversation
                    .map(|c| c.classifier_text())
                    .filter(|text| !text.is_empty())
                    .unwrap_or_else(|| ticket.classifier_text());
                Some(LabelledText { text, category: ticket.category?, team: ticket.team, updated_at: ticket.updated_at })
            })
            .collect())
    }

    async fn resolved_tickets_with_conversations(&self) -> Result<Vec<ResolvedTicket>> {
        let resolved = self.resolved_tickets(true).await?;
        Ok(resolved
            .into_iter()
            .filter_map(|(ticket, conversation)| Some(ResolvedTicket { ticket, conversation: conversation? }))
            .collect())
    }

    async fn confirmations_since(&self, since: Millis) -> Result<i64> {
        // new information only: a ticket confirmed for the first time, or whose category changed;
        // confirming the same tickets again teaches nothing
        Ok(sqlx::query_scalar(
            "SELECT COUNT(DISTINCT e.ticket_id) FROM ticket_events e WHERE e.at > $1 AND ( \
               (e.action = 'corrected' AND e.field = 'category') \
               OR (e.action IN ('confirmed', 'corrected') AND NOT EXISTS ( \
                   SELECT 1 FROM ticket_events p WHERE p.ticket_id = e.ticket_id \
                   AND p.action IN ('confirmed', 'corrected') AND p.at <= $1)))",
        )
        .bind(since)
        .fetch_one(&self.pool)
        .await?)
    }
}
