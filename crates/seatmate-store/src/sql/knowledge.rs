//! The knowledge base, every version kept, and agents' verdicts on it.

use async_trait::async_trait;
use seatmate_core::{FlowWalk, KnowledgeItem};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{like_pattern, to_json, SqlStore, Statement};
use crate::{
    FeedbackCounts, ImportCounts, KnowledgeFeedback, KnowledgeFilter, KnowledgeStore, Page, Result, StoreError, Written,
};

fn knowledge_from_row(row: &AnyRow) -> Result<KnowledgeItem> {
    let text: String = row.try_get("item")?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("knowledge item: {e}")))
}

/// The conditions of a knowledge list, for its count and its page alike.
fn filtered(select: &str, filter: &KnowledgeFilter) -> Statement {
    let mut query = Statement::new(select);
    if let Some(kind) = filter.kind {
        query.and("kind = ").bind(kind.as_str());
    }
    if let Some(text) = filter.text.as_deref().filter(|t| !t.trim().is_empty()) {
        query.and("search_text LIKE ").bind(like_pattern(text)).push(" ESCAPE '\\'");
    }
    query
}

#[async_trait]
impl KnowledgeStore for SqlStore {
    async fn upsert_knowledge(&self, items: &[KnowledgeItem]) -> Result<ImportCounts> {
        let (_turn, mut tx) = self.begin_write().await?;
        let mut counts = ImportCounts::default();
        // the row stays locked until the commit: two edits at once make two versions, in turn
        let lock = if self.backend == "postgres" { " FOR UPDATE" } else { "" };
        for item in items {
            let kind = item.kind().as_str();
            let existing = sqlx::query(&format!("SELECT id, version, body FROM knowledge WHERE kind = $1 AND key = $2{lock}"))
                .bind(kind)
                .bind(&item.key)
                .fetch_optional(&mut *tx)
                .await?;
            let mut stored = item.clone();
            match &existing {
                Some(row) => {
                    let old_item_json: String = row.try_get("body")?;
                    let old: KnowledgeItem =
                        serde_json::from_str(&old_item_json).map_err(|e| StoreError::Corrupt(format!("knowledge item: {e}")))?;
                    let same = old.title == item.title
                        && old.body == item.body
                        && old.category == item.category
                        && old.tags == item.tags
                        && old.language == item.language;
                    if same {
                        counts.add(Written::Unchanged);
                        continue;
                    }
                    stored.id = old.id.clone();
                    stored.version = old.version + 1;
                    counts.add(Written::Updated);
                }
                None => {
                    stored.version = 1;
                    counts.add(Written::Inserted);
                }
            }
            let json = to_json(&stored)?;
            sqlx::query(
                "INSERT INTO knowledge (id, kind, key, title, category, language, tags, version, updated_at, updated_by, body, search_text) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                 ON CONFLICT (id) DO UPDATE SET title = excluded.title, category = excluded.category, language = excluded.language, \
                 tags = excluded.tags, version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by, \
                 body = excluded.body, search_text = excluded.search_text",
            )
            .bind(&stored.id)
            .bind(kind)
            .bind(&stored.key)
            .bind(&stored.title)
            .bind(&stored.category)
            .bind(&stored.language)
            .bind(to_json(&stored.tags)?)
            .bind(stored.version)
            .bind(stored.updated_at)
            .bind(&stored.updated_by)
            .bind(&json)
            .bind(stored.search_text().to_lowercase())
            .execute(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO knowledge_versions (id, version, item) VALUES ($1, $2, $3)")
                .bind(&stored.id)
                .bind(stored.version)
                .bind(&json)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(counts)
    }

    async fn list_knowledge(&self, filter: &KnowledgeFilter) -> Result<Page<KnowledgeItem>> {
        let total = filtered("SELECT COUNT(*) FROM knowledge", filter).fetch_count(&self.pool).await?;
        let rows = filtered("SELECT body AS item FROM knowledge", filter)
            .push(" ORDER BY kind, key")
            .page(filter.limit, filter.offset)
            .fetch_all(&self.pool)
            .await?;
        Ok(Page { items: rows.iter().map(knowledge_from_row).collect::<Result<_>>()?, total })
    }

    async fn knowledge_item(&self, id: &str) -> Result<Option<KnowledgeItem>> {
        let row = sqlx::query("SELECT body AS item FROM knowledge WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(knowledge_from_row).transpose()
    }

    async fn knowledge_history(&self, id: &str) -> Result<Vec<KnowledgeItem>> {
        let rows = sqlx::query("SELECT item FROM knowledge_versions WHERE id = $1 ORDER BY version DESC")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(knowledge_from_row).collect()
    }

    async fn add_knowledge_feedback(&self, feedback: &KnowledgeFeedback) -> Result<()> {
        sqlx::query(
            "INSERT INTO knowledge_feedback (id, item_id, user_id, verdict, query, conversation_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (item_id, user_id) DO UPDATE SET verdict = excluded.verdict, query = excluded.query, \
             conversation_id = excluded.conversation_id, created_at = excluded.created_at",
        )
        .bind(&feedback.id)
        .bind(&feedback.item_id)
        .bind(&feedback.user_id)
        .bind(&feedback.verdict)
        .bind(&feedback.query)
        .bind(feedback.conversation_id.as_deref())
        .bind(feedback.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn knowledge_feedback_counts(&self) -> Result<Vec<FeedbackCounts>> {
        let rows = sqlx::query(
            "SELECT item_id, \
                    SUM(CASE WHEN verdict = 'used' THEN 1 ELSE 0 END) AS used, \
                    SUM(CASE WHEN verdict = 'unhelpful' THEN 1 ELSE 0 END) AS unhelpful \
             FROM knowledge_feedback GROUP BY item_id ORDER BY item_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(FeedbackCounts {
                    item_id: row.try_get("item_id")?,
                    used: row.try_get::<i64, _>("used")?.try_into().unwrap_or(u32::MAX),
                    unhelpful: row.try_get::<i64, _>("unhelpful")?.try_into().unwrap_or(u32::MAX),
                })
            })
            .collect()
    }

    async fn flow_walks(&self, conversation_id: &str) -> Result<Vec<FlowWalk>> {
        let rows = sqlx::query("SELECT walk FROM flow_walks WHERE conversation_id = $1 ORDER BY updated_at, flow_id")
            .bind(conversation_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let text: String = row.try_get("walk")?;
                serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("flow walk: {e}")))
            })
            .collect()
    }

    async fn save_flow_walk(&self, walk: &FlowWalk) -> Result<FlowWalk> {
        let (_turn, mut tx) = self.begin_write().await?;
        let mut stored = walk.clone();
        stored.revision = walk.revision + 1;
        let json = to_json(&stored)?;
        let written = if walk.revision == 0 {
            sqlx::query(
                "INSERT INTO flow_walks (conversation_id, flow_id, revision, walk, updated_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (conversation_id, flow_id) DO NOTHING",
            )
            .bind(&walk.conversation_id)
            .bind(&walk.flow_id)
            .bind(stored.revision)
            .bind(&json)
            .bind(walk.updated_at)
            .execute(&mut *tx)
            .await?
            .rows_affected()
        } else {
            sqlx::query(
                "UPDATE flow_walks SET revision = $1, walk = $2, updated_at = $3 \
                 WHERE conversation_id = $4 AND flow_id = $5 AND revision = $6",
            )
            .bind(stored.revision)
            .bind(&json)
            .bind(walk.updated_at)
            .bind(&walk.conversation_id)
            .bind(&walk.flow_id)
            .bind(walk.revision)
            .execute(&mut *tx)
            .await?
            .rows_affected()
        };
        if written == 0 {
            return Err(StoreError::Conflict(format!(
                "the walk of flow {} in conversation {} changed since revision {}",
                walk.flow_id, walk.conversation_id, walk.revision
            )));
        }
        tx.commit().await?;
        Ok(stored)
    }
}
