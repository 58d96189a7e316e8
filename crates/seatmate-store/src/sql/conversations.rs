//! Conversations and their turns.

use std::collections::HashMap;

use async_trait::async_trait;
use seatmate_core::{Conversation, ConversationSummary, Turn};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{json_map, like_pattern, parse, to_json, turns_by_conversation, SqlStore, Statement, TURN_COLUMNS};
use crate::{ConversationFilter, ConversationStore, ImportCounts, ImportStore, Page, Progress, Result, Scope, Written};

/// How much of the customer's first words a conversation list shows.
pub(crate) const PREVIEW_CHARS: usize = 80;

const SUMMARY_COLUMNS: &str =
    "id, external_id, source, channel, queue, agent, customer_id, language, started_at, ended_at, turn_count, preview";
pub(crate) const CONVERSATION_COLUMNS: &str =
    "id, external_id, source, channel, queue, agent, customer_id, language, started_at, ended_at, audio_ref, attributes";

fn summary_from_row(row: &AnyRow) -> Result<ConversationSummary> {
    Ok(ConversationSummary {
        id: row.try_get("id")?,
        external_id: row.try_get("external_id")?,
        source: row.try_get("source")?,
        channel: parse(&row.try_get::<String, _>("channel")?, "channel")?,
        queue: row.try_get("queue")?,
        agent: row.try_get("agent")?,
        customer_id: row.try_get("customer_id")?,
        language: row.try_get("language")?,
        started_at: row.try_get("started_at")?,
        ended_at: row.try_get("ended_at")?,
        turn_count: row.try_get("turn_count")?,
        preview: row.try_get("preview")?,
    })
}

pub(crate) fn conversation_from_row(row: &AnyRow, turns: Vec<Turn>) -> Result<Conversation> {
    Ok(Conversation {
        id: row.try_get("id")?,
        external_id: row.try_get("external_id")?,
        source: row.try_get("source")?,
        channel: parse(&row.try_get::<String, _>("channel")?, "channel")?,
        queue: row.try_get("queue")?,
        agent: row.try_get("agent")?,
        customer_id: row.try_get("customer_id")?,
        language: row.try_get("language")?,
        started_at: row.try_get("started_at")?,
        ended_at: row.try_get("ended_at")?,
        audio_ref: row.try_get("audio_ref")?,
        attributes: json_map(&row.try_get::<String, _>("attributes")?)?,
        turns,
    })
}

/// Conversations from their rows and the rows of their turns (see [`turns_by_conversation`]).
pub(crate) fn conversations_from_rows(rows: &[AnyRow], turn_rows: &[AnyRow]) -> Result<Vec<Conversation>> {
    let mut turns: HashMap<String, Vec<Turn>> = turns_by_conversation(turn_rows)?;
    rows.iter()
        .map(|row| {
            let id: String = row.try_get("id")?;
            conversation_from_row(row, turns.remove(&id).unwrap_or_default())
        })
        .collect()
}

/// The conditions of a conversation list, for its count and its page alike.
fn filtered(select: &str, scope: &Scope, filter: &ConversationFilter) -> Statement {
    let mut query = Statement::new(select);
    query.scope(scope, "agent");
    if let Some(text) = filter.text.as_deref().filter(|t| !t.trim().is_empty()) {
        query.and("(search_text LIKE ").bind(like_pattern(text)).push(" ESCAPE '\\'");
        for spelling in filter.text_spellings.iter().filter(|s| !s.trim().is_empty() && s.as_str() != text) {
            query.push(" OR search_text LIKE ").bind(like_pattern(spelling)).push(" ESCAPE '\\'");
        }
        query.push(")");
    }
    if let Some(channel) = filter.channel {
        query.and("channel = ").bind(channel.as_str());
    }
    if let Some(queue) = filter.queue.as_deref().filter(|q| !q.is_empty()) {
        query.and("queue = ").bind(queue.to_string());
    }
    if let Some(agent) = filter.agent.as_deref().filter(|a| !a.is_empty()) {
        query.and("agent = ").bind(agent.to_string());
    }
    if filter.ongoing {
        query.and("live_seq IS NOT NULL AND ended_at IS NULL");
    }
    if let Some(from) = filter.started_from {
        query.and("started_at >= ").bind(from);
    }
    if let Some(to) = filter.started_to {
        query.and("started_at < ").bind(to);
    }
    query
}

/// Inserts a conversation and its turns unless one with its source and external id exists.
pub(crate) async fn insert_conversation(tx: &mut sqlx::Transaction<'_, sqlx::Any>, c: &Conversation) -> Result<Written> {
    let result = sqlx::query(
        "INSERT INTO conversations (id, source, external_id, channel, queue, agent, customer_id, language, started_at, \
         ended_at, audio_ref, attributes, turn_count, preview, search_text) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT (source, external_id) DO NOTHING",
    )
    .bind(&c.id)
    .bind(&c.source)
    .bind(&c.external_id)
    .bind(c.channel.as_str())
    .bind(&c.queue)
    .bind(&c.agent)
    .bind(&c.customer_id)
    .bind(&c.language)
    .bind(c.started_at)
    .bind(c.ended_at)
    .bind(&c.audio_ref)
    .bind(to_json(&c.attributes)?)
    .bind(c.turns.len() as i64)
    .bind(c.preview(PREVIEW_CHARS))
    .bind(c.full_text().to_lowercase())
    .execute(&mut **tx)
    .await?;
    if result.rows_affected() == 0 {
        return Ok(Written::Unchanged);
    }
    for (seq, turn) in c.turns.iter().enumerate() {
        sqlx::query("INSERT INTO turns (conversation_id, seq, speaker, text, start_ms, end_ms, audio_ref) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&c.id)
            .bind(seq as i64)
            .bind(turn.speaker.as_str())
            .bind(&turn.text)
            .bind(turn.start_ms)
            .bind(turn.end_ms)
            .bind(&turn.audio_ref)
            .execute(&mut **tx)
            .await?;
    }
    Ok(Written::Inserted)
}

#[async_trait]
impl ConversationStore for SqlStore {
    async fn import_conversations(&self, conversations: &[Conversation], progress: Progress<'_>) -> Result<ImportCounts> {
        let mut import = self.begin_import().await?;
        let mut counts = ImportCounts::default();
        for (i, batch) in conversations.chunks(500).enumerate() {
            counts.merge(import.conversations(batch).await?);
            progress((i * 500 + batch.len()) as u64);
        }
        import.commit().await?;
        Ok(counts)
    }

    async fn list_conversations(&self, scope: &Scope, filter: &ConversationFilter) -> Result<Page<ConversationSummary>> {
        let total = filtered("SELECT COUNT(*) FROM conversations", scope, filter).fetch_count(&self.pool).await?;
        let rows = filtered(&format!("SELECT {SUMMARY_COLUMNS} FROM conversations"), scope, filter)
            .push(" ORDER BY started_at DESC, id")
            .page(filter.limit, filter.offset)
            .fetch_all(&self.pool)
            .await?;
        Ok(Page { items: rows.iter().map(summary_from_row).collect::<Result<_>>()?, total })
    }

    async fn conversation(&self, scope: &Scope, id: &str) -> Result<Option<Conversation>> {
        let mut query = Statement::new(format!("SELECT {CONVERSATION_COLUMNS} FROM conversations"));
        query.and("id = ").bind(id.to_string()).scope(scope, "agent");
        let Some(row) = query.fetch_optional(&self.pool).await? else {
            return Ok(None);
        };
        let turn_rows = sqlx::query(&format!("SELECT {TURN_COLUMNS} FROM turns WHERE conversation_id = $1 ORDER BY seq"))
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let turns = turns_by_conversation(&turn_rows)?.remove(id).unwrap_or_default();
        conversation_from_row(&row, turns).map(Some)
    }

    async fn conversation_id_by_external(&self, external_id: &str) -> Result<Option<String>> {
        let id = sqlx::query_scalar("SELECT id FROM conversations WHERE external_id = $1 ORDER BY source LIMIT 1")
            .bind(external_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(id)
    }

    async fn conversations_batch(&self, after: Option<&str>, limit: i64) -> Result<Vec<Conversation>> {
        let (_turn, mut tx) = self.begin_write().await?;
        let rows = sqlx::query(&format!("SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id > $1 ORDER BY id LIMIT $2"))
            .bind(after.unwrap_or(""))
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
        let turn_rows = sqlx::query(&format!(
            "SELECT {TURN_COLUMNS} FROM turns WHERE conversation_id IN \
             (SELECT id FROM conversations WHERE id > $1 ORDER BY id LIMIT $2) ORDER BY conversation_id, seq"
        ))
        .bind(after.unwrap_or(""))
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        conversations_from_rows(&rows, &turn_rows)
    }
}
