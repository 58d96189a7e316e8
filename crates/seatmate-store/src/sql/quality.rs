//! Quality inspection: scorecard versions, inspections, reviews, disputes and batches.

use async_trait::async_trait;
use seatmate_core::{Conversation, Millis};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::conversations::{conversations_from_rows, CONVERSATION_COLUMNS};
use super::{to_json, SqlStore, Statement, TURN_COLUMNS};
use crate::{
    Dispute, InspectionBatch, InspectionFilter, ItemReview, Page, QualityStore, Result, Scope, ScorecardVersion, StoreError,
    StoredInspection,
};

const SCORECARD_COLUMNS: &str = "id, version, name, source, status, created_by, created_at";
const INSPECTION_COLUMNS: &str =
    "conversation_id, scorecard_id, version, agent, started_at, score_tenths, critical_failed, inspected_at, result";
const REVIEW_COLUMNS: &str = "conversation_id, scorecard_id, version, item_id, outcome, automatic, reason, reviewer, at";
const DISPUTE_COLUMNS: &str =
    "id, conversation_id, scorecard_id, version, item_id, agent, reason, created_at, status, answer, answered_by, answered_at";
const BATCH_COLUMNS: &str = "scorecard_id, version, after_id, done, total, status, started_at, finished_at";
/// A conversation is finished when it ended, or was imported (never live).
const FINISHED: &str = "(ended_at IS NOT NULL OR live_seq IS NULL)";

fn scorecard_from_row(row: &AnyRow) -> Result<ScorecardVersion> {
    Ok(ScorecardVersion {
        id: row.try_get("id")?,
        version: row.try_get("version")?,
        name: row.try_get("name")?,
        source: row.try_get("source")?,
        status: row.try_get("status")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
    })
}

fn inspection_from_row(row: &AnyRow) -> Result<StoredInspection> {
    Ok(StoredInspection {
        conversation_id: row.try_get("conversation_id")?,
        scorecard_id: row.try_get("scorecard_id")?,
        version: row.try_get("version")?,
        agent: row.try_get("agent")?,
        started_at: row.try_get("started_at")?,
        score: row.try_get::<i64, _>("score_tenths")? as f64 / 10.0,
        critical_failed: row.try_get::<i64, _>("critical_failed")? != 0,
        inspected_at: row.try_get("inspected_at")?,
        result: serde_json::from_str(&row.try_get::<String, _>("result")?)
            .map_err(|e| StoreError::Corrupt(format!("inspection result: {e}")))?,
    })
}

fn review_from_row(row: &AnyRow) -> Result<ItemReview> {
    Ok(ItemReview {
        conversation_id: row.try_get("conversation_id")?,
        scorecard_id: row.try_get("scorecard_id")?,
        version: row.try_get("version")?,
        item_id: row.try_get("item_id")?,
        outcome: row.try_get("outcome")?,
        automatic: row.try_get("automatic")?,
        reason: row.try_get("reason")?,
        reviewer: row.try_get("reviewer")?,
        at: row.try_get("at")?,
    })
}

fn dispute_from_row(row: &AnyRow) -> Result<Dispute> {
    Ok(Dispute {
        id: row.try_get("id")?,
        conversation_id: row.try_get("conversation_id")?,
        scorecard_id: row.try_get("scorecard_id")?,
        version: row.try_get("version")?,
        item_id: row.try_get("item_id")?,
        agent: row.try_get("agent")?,
        reason: row.try_get("reason")?,
        created_at: row.try_get("created_at")?,
        status: row.try_get("status")?,
        answer: row.try_get("answer")?,
        answered_by: row.try_get("answered_by")?,
        answered_at: row.try_get("answered_at")?,
    })
}

fn batch_from_row(row: &AnyRow) -> Result<InspectionBatch> {
    Ok(InspectionBatch {
        scorecard_id: row.try_get("scorecard_id")?,
        version: row.try_get("version")?,
        after: row.try_get("after_id")?,
        done: row.try_get("done")?,
        total: row.try_get("total")?,
        status: row.try_get("status")?,
        started_at: row.try_get("started_at")?,
        finished_at: row.try_get("finished_at")?,
    })
}

#[async_trait]
impl QualityStore for SqlStore {
    async fn save_scorecard(&self, id: &str, name: &str, source: &str, created_by: &str, at: Millis) -> Result<ScorecardVersion> {
        let (_turn, mut tx) = self.begin_write().await?;
        let newest: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM scorecards WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
        let card = ScorecardVersion {
            id: id.to_string(),
            version: newest.unwrap_or(0) + 1,
            name: name.to_string(),
            source: source.to_string(),
            status: "draft".into(),
            created_by: created_by.to_string(),
            created_at: at,
        };
        sqlx::query(&format!("INSERT INTO scorecards ({SCORECARD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"))
            .bind(&card.id)
            .bind(card.version)
            .bind(&card.name)
            .bind(&card.source)
            .bind(&card.status)
            .bind(&card.created_by)
            .bind(card.created_at)
            .execute(&mut *tx)
            .await
            .map_err(|e| match e {
                sqlx::Error::Database(db) if db.is_unique_violation() => {
                    StoreError::Conflict(format!("scorecard {id} was saved by someone else at the same moment: save again"))
                }
                other => other.into(),
            })?;
        tx.commit().await?;
        Ok(card)
    }

    async fn scorecards(&self) -> Result<Vec<ScorecardVersion>> {
        let rows = sqlx::query(&format!("SELECT {SCORECARD_COLUMNS} FROM scorecards ORDER BY id, version DESC"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(scorecard_from_row).collect()
    }

    async fn scorecard(&self, id: &str, version: i64) -> Result<Option<ScorecardVersion>> {
        let row = sqlx::query(&format!("SELECT {SCORECARD_COLUMNS} FROM scorecards WHERE id = $1 AND version = $2"))
            .bind(id)
            .bind(version)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(scorecard_from_row).transpose()
    }

    async fn publish_scorecard(&self, id: &str, version: i64) -> Result<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        let found: Option<String> = sqlx::query_scalar("SELECT status FROM scorecards WHERE id = $1 AND version = $2")
            .bind(id)
            .bind(version)
            .fetch_optional(&mut *tx)
            .await?;
        if found.is_none() {
            return Err(StoreError::NotFound(format!("scorecard {id} version {version}")));
        }
        sqlx::query("UPDATE scorecards SET status = 'retired' WHERE id = $1 AND status = 'published' AND version <> $2")
            .bind(id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE scorecards SET status = 'published' WHERE id = $1 AND version = $2")
            .bind(id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn retire_scorecard(&self, id: &str) -> Result<()> {
        let changed = sqlx::query("UPDATE scorecards SET status = 'retired' WHERE id = $1 AND status = 'published'")
            .bind(id)
            .execute(&self.pool)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound(format!("a published version of scorecard {id}")));
        }
        Ok(())
    }

    async fn save_inspection(&self, inspection: &StoredInspection) -> Result<bool> {
        let inserted = sqlx::query(&format!(
            "INSERT INTO inspections ({INSPECTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (conversation_id, scorecard_id, version) DO NOTHING"
        ))
        .bind(&inspection.conversation_id)
        .bind(&inspection.scorecard_id)
        .bind(inspection.version)
        .bind(inspection.agent.clone())
        .bind(inspection.started_at)
        .bind((inspection.score * 10.0).round() as i64)
        .bind(i64::from(inspection.critical_failed))
        .bind(inspection.inspected_at)
        .bind(to_json(&inspection.result)?)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(inserted > 0)
    }

    async fn replace_inspection(&self, inspection: &StoredInspection) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO inspections ({INSPECTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (conversation_id, scorecard_id, version) DO UPDATE SET score_tenths = excluded.score_tenths, \
             critical_failed = excluded.critical_failed, inspected_at = excluded.inspected_at, result = excluded.result"
        ))
        .bind(&inspection.conversation_id)
        .bind(&inspection.scorecard_id)
        .bind(inspection.version)
        .bind(inspection.agent.clone())
        .bind(inspection.started_at)
        .bind((inspection.score * 10.0).round() as i64)
        .bind(i64::from(inspection.critical_failed))
        .bind(inspection.inspected_at)
        .bind(to_json(&inspection.result)?)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn inspections(&self, scope: &Scope, filter: &InspectionFilter) -> Result<Page<StoredInspection>> {
        let build = |select: &str| {
            let mut query = Statement::new(select);
            query.scope(scope, "agent");
            if let Some(id) = &filter.conversation_id {
                query.and("conversation_id = ").bind(id.clone());
            }
            if let Some(agent) = filter.agent.as_deref().filter(|a| !a.is_empty()) {
                query.and("agent = ").bind(agent.to_string());
            }
            if let Some(card) = filter.scorecard_id.as_deref().filter(|c| !c.is_empty()) {
                query.and("scorecard_id = ").bind(card.to_string());
            }
            if let Some(version) = filter.version {
                query.and("version = ").bind(version);
            }
            if filter.published_only {
                query.and(
                    "EXISTS (SELECT 1 FROM scorecards s WHERE s.id = inspections.scorecard_id \
                     AND s.version = inspections.version AND s.status = 'published')",
                );
            }
            if let Some(from) = filter.inspected_from {
                query.and("inspected_at >= ").bind(from);
            }
            query
        };
        let total = build("SELECT COUNT(*) FROM inspections").fetch_count(&self.pool).await?;
        let rows = build(&format!("SELECT {INSPECTION_COLUMNS} FROM inspections"))
            .push(" ORDER BY inspected_at DESC, conversation_id, scorecard_id")
            .page(filter.limit, filter.offset)
            .fetch_all(&self.pool)
            .await?;
        Ok(Page { items: rows.iter().map(inspection_from_row).collect::<Result<_>>()?, total })
    }

    async fn uninspected(&self, scorecard_id: &str, version: i64, after: Option<&str>, limit: i64) -> Result<Vec<Conversation>> {
        let rows = sqlx::query(&format!(
            "SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id > $1 AND {FINISHED} AND NOT EXISTS \
             (SELECT 1 FROM inspections i WHERE i.conversation_id = conversations.id AND i.conversation_id > $1 \
             AND i.scorecard_id = $2 AND i.version = $3) \
             ORDER BY id LIMIT $4"
        ))
        .bind(after.unwrap_or(""))
        .bind(scorecard_id)
        .bind(version)
        .bind(limit.clamp(1, 1_000))
        .fetch_all(&self.pool)
        .await?;
        let ids = rows.iter().map(|r| r.try_get::<String, _>("id")).collect::<Result<Vec<_>, _>>()?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let turn_rows = Statement::new(format!("SELECT {TURN_COLUMNS} FROM turns"))
            .and("conversation_id")
            .in_list(&ids)
            .push(" ORDER BY conversation_id, seq")
            .fetch_all(&self.pool)
            .await?;
        conversations_from_rows(&rows, &turn_rows)
    }

    async fn finished_conversations(&self) -> Result<i64> {
        Ok(sqlx::query_scalar(&format!("SELECT COUNT(*) FROM conversations WHERE {FINISHED}")).fetch_one(&self.pool).await?)
    }

    async fn add_review(&self, review: &ItemReview) -> Result<()> {
        sqlx::query(&format!("INSERT INTO inspection_reviews ({REVIEW_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
            .bind(&review.conversation_id)
            .bind(&review.scorecard_id)
            .bind(review.version)
            .bind(&review.item_id)
            .bind(&review.outcome)
            .bind(&review.automatic)
            .bind(&review.reason)
            .bind(&review.reviewer)
            .bind(review.at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn reviews(&self, scope: &Scope, conversation_id: Option<&str>) -> Result<Vec<ItemReview>> {
        let mut query = Statement::new(format!("SELECT {REVIEW_COLUMNS} FROM inspection_reviews"));
        query.conversation_scope(scope, "conversation_id");
        if let Some(id) = conversation_id {
            query.and("conversation_id = ").bind(id.to_string());
        }
        let rows = query.push(" ORDER BY seq").fetch_all(&self.pool).await?;
        rows.iter().map(review_from_row).collect()
    }

    async fn add_dispute(&self, dispute: &Dispute) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO inspection_disputes ({DISPUTE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        ))
        .bind(&dispute.id)
        .bind(&dispute.conversation_id)
        .bind(&dispute.scorecard_id)
        .bind(dispute.version)
        .bind(&dispute.item_id)
        .bind(&dispute.agent)
        .bind(&dispute.reason)
        .bind(dispute.created_at)
        .bind(&dispute.status)
        .bind(dispute.answer.clone())
        .bind(dispute.answered_by.clone())
        .bind(dispute.answered_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn answer_dispute(&self, id: &str, status: &str, answer: &str, by: &str, at: Millis) -> Result<Dispute> {
        let (_turn, mut tx) = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE inspection_disputes SET status = $1, answer = $2, answered_by = $3, answered_at = $4 \
             WHERE id = $5 AND status = 'open'",
        )
        .bind(status)
        .bind(answer)
        .bind(by)
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let row = sqlx::query(&format!("SELECT {DISPUTE_COLUMNS} FROM inspection_disputes WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else {
            return Err(StoreError::NotFound(format!("dispute {id}")));
        };
        if changed == 0 {
            return Err(StoreError::Conflict(format!("dispute {id} was already answered")));
        }
        tx.commit().await?;
        dispute_from_row(&row)
    }

    async fn disputes(&self, scope: &Scope, conversation_id: Option<&str>) -> Result<Vec<Dispute>> {
        let mut query = Statement::new(format!("SELECT {DISPUTE_COLUMNS} FROM inspection_disputes"));
        query.scope(scope, "agent");
        if let Some(id) = conversation_id {
            query.and("conversation_id = ").bind(id.to_string());
        }
        let rows = query.push(" ORDER BY created_at DESC, id").fetch_all(&self.pool).await?;
        rows.iter().map(dispute_from_row).collect()
    }

    async fn save_batch(&self, batch: &InspectionBatch) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO inspection_batches ({BATCH_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (scorecard_id, version) DO UPDATE SET after_id = excluded.after_id, done = excluded.done, \
             total = excluded.total, status = excluded.status, finished_at = excluded.finished_at"
        ))
        .bind(&batch.scorecard_id)
        .bind(batch.version)
        .bind(batch.after.clone())
        .bind(batch.done)
        .bind(batch.total)
        .bind(&batch.status)
        .bind(batch.started_at)
        .bind(batch.finished_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn batches(&self) -> Result<Vec<InspectionBatch>> {
        let rows = sqlx::query(&format!("SELECT {BATCH_COLUMNS} FROM inspection_batches ORDER BY started_at DESC, scorecard_id"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(batch_from_row).collect()
    }
}
