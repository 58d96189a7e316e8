//! The audit log, erasure by customer and retention by age.

use async_trait::async_trait;
use seatmate_core::{AuditAction, AuditEntry, Millis};
use sqlx::{Any, Row, Transaction};

use super::{parse, SqlStore, Statement};
use crate::{AuditFilter, PrivacyStore, Removed, Result};

/// Ids per statement when removing many records.
const CHUNK: usize = 400;

#[async_trait]
impl PrivacyStore for SqlStore {
    async fn append_audit(&self, entry: &AuditEntry) -> Result<()> {
        sqlx::query("INSERT INTO audit_log (at, actor, action, target, detail, client) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(entry.at)
            .bind(&entry.actor)
            .bind(entry.action.as_str())
            .bind(&entry.target)
            .bind(&entry.detail)
            .bind(&entry.client)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut statement = Statement::new("SELECT seq, at, actor, action, target, detail, client FROM audit_log");
        if let Some(actor) = &filter.actor {
            statement.and("actor = ").bind(actor.clone());
        }
        if let Some(action) = filter.action {
            statement.and("action = ").bind(action.as_str().to_string());
        }
        if let Some(before) = filter.before_seq {
            statement.and("seq < ").bind(before);
        }
        if let Some(since) = filter.since {
            statement.and("at >= ").bind(since);
        }
        statement.push(" ORDER BY seq DESC LIMIT ").bind(filter.limit.clamp(1, 10_000));
        let rows = statement.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                Ok(AuditEntry {
                    seq: row.try_get("seq")?,
                    at: row.try_get("at")?,
                    actor: row.try_get("actor")?,
                    action: parse::<AuditAction>(&row.try_get::<String, _>("action")?, "action")?,
                    target: row.try_get("target")?,
                    detail: row.try_get("detail")?,
                    client: row.try_get("client")?,
                })
            })
            .collect()
    }

    async fn erase_customer(&self, customer_id: &str) -> Result<Removed> {
        let (_turn, mut tx) = self.begin_write().await?;
        let conversations: Vec<String> = sqlx::query_scalar("SELECT id FROM conversations WHERE customer_id = $1")
            .bind(customer_id)
            .fetch_all(&mut *tx)
            .await?;
        let removed = remove(&mut tx, conversations, Vec::new()).await?;
        tx.commit().await?;
        Ok(removed)
    }

    async fn remove_older_than(&self, conversations_before: Option<Millis>, tickets_before: Option<Millis>) -> Result<Removed> {
        let (_turn, mut tx) = self.begin_write().await?;
        let conversations: Vec<String> = match conversations_before {
            Some(before) => {
                sqlx::query_scalar("SELECT id FROM conversations WHERE started_at < $1").bind(before).fetch_all(&mut *tx).await?
            }
            None => Vec::new(),
        };
        let tickets: Vec<String> = match tickets_before {
            Some(before) => {
                sqlx::query_scalar("SELECT id FROM tickets WHERE updated_at < $1").bind(before).fetch_all(&mut *tx).await?
            }
            None => Vec::new(),
        };
        let removed = remove(&mut tx, conversations, tickets).await?;
        tx.commit().await?;
        Ok(removed)
    }
}

/// Removes `conversations` with their turns and tickets, and `tickets` with their conversations'
/// feedback, each with its history; reports how many of each went. (Indices and the vector cache
/// forget them at the next rebuild, which keeps only what the store holds.)
async fn remove(tx: &mut Transaction<'static, Any>, conversations: Vec<String>, mut tickets: Vec<String>) -> Result<Removed> {
    let mut removed = Removed::default();
    for chunk in conversations.chunks(CHUNK) {
        let rows = Statement::new("SELECT id FROM tickets").and("conversation_id").in_list(chunk).fetch_all(&mut **tx).await?;
        for row in rows {
            tickets.push(row.try_get("id")?);
        }
    }
    tickets.sort();
    tickets.dedup();
    // feedback given during the removed conversations, or those of the removed tickets
    let mut feedback_conversations = conversations.clone();
    for chunk in tickets.chunks(CHUNK) {
        let rows = Statement::new("SELECT conversation_id FROM tickets")
            .and("conversation_id IS NOT NULL")
            .and("id")
            .in_list(chunk)
            .fetch_all(&mut **tx)
            .await?;
        for row in rows {
            feedback_conversations.push(row.try_get("conversation_id")?);
        }
    }
    for chunk in feedback_conversations.chunks(CHUNK) {
        let deleted =
            Statement::new("DELETE FROM knowledge_feedback").and("conversation_id").in_list(chunk).execute(&mut **tx).await?;
        removed.feedback += deleted as i64;
    }
    for chunk in tickets.chunks(CHUNK) {
        Statement::new("DELETE FROM ticket_events").and("ticket_id").in_list(chunk).execute(&mut **tx).await?;
        removed.tickets += Statement::new("DELETE FROM tickets").and("id").in_list(chunk).execute(&mut **tx).await? as i64;
    }
    for chunk in conversations.chunks(CHUNK) {
        for table in ["inspections", "inspection_reviews", "inspection_disputes", "drafts", "flow_walks"] {
            Statement::new(format!("DELETE FROM {table}")).and("conversation_id").in_list(chunk).execute(&mut **tx).await?;
        }
        // a case is its conversation: the case, its assignments and the sessions played on it go
        for (table, column) in [("training_sessions", "case_id"), ("training_assignments", "case_id"), ("cases", "id")] {
            Statement::new(format!("DELETE FROM {table}")).and(column).in_list(chunk).execute(&mut **tx).await?;
        }
        Statement::new("DELETE FROM turns").and("conversation_id").in_list(chunk).execute(&mut **tx).await?;
        removed.conversations +=
            Statement::new("DELETE FROM conversations").and("id").in_list(chunk).execute(&mut **tx).await? as i64;
    }
    Ok(removed)
}
