//! Learning: the case library, assignments and role-play sessions.

use async_trait::async_trait;
use seatmate_core::Millis;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{like_literal, to_json, SqlStore, Statement};
use crate::{Assignment, CaseFilter, Curation, LearningStore, Page, Result, Scope, StoreError, StoredCase, TrainingSession};

const CASE_COLUMNS: &str =
    "id, kind, category, strength_milli, cluster_size, mined, mined_at, status, items, teaching_point, curated_by, curated_at";
const ASSIGNMENT_COLUMNS: &str = "id, agent, case_id, item_id, reason, status, created_by, created_at, updated_at";
const SESSION_COLUMNS: &str = "id, trainee, case_id, assignment_id, started_at, ended_at, turn_count, score_tenths, state";

fn json<T: serde::de::DeserializeOwned>(row: &AnyRow, column: &str) -> Result<T> {
    serde_json::from_str(&row.try_get::<String, _>(column)?).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

fn case_from_row(row: &AnyRow) -> Result<StoredCase> {
    Ok(StoredCase {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        category: row.try_get("category")?,
        strength: row.try_get::<i64, _>("strength_milli")? as f64 / 1000.0,
        cluster_size: row.try_get("cluster_size")?,
        mined: json(row, "mined")?,
        mined_at: row.try_get("mined_at")?,
        status: row.try_get("status")?,
        items: json(row, "items")?,
        teaching_point: row.try_get("teaching_point")?,
        curated_by: row.try_get("curated_by")?,
        curated_at: row.try_get("curated_at")?,
    })
}

fn assignment_from_row(row: &AnyRow) -> Result<Assignment> {
    Ok(Assignment {
        id: row.try_get("id")?,
        agent: row.try_get("agent")?,
        case_id: row.try_get("case_id")?,
        item_id: row.try_get("item_id")?,
        reason: row.try_get("reason")?,
        status: row.try_get("status")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn session_from_row(row: &AnyRow) -> Result<TrainingSession> {
    Ok(TrainingSession {
        id: row.try_get("id")?,
        trainee: row.try_get("trainee")?,
        case_id: row.try_get("case_id")?,
        assignment_id: row.try_get("assignment_id")?,
        started_at: row.try_get("started_at")?,
        ended_at: row.try_get("ended_at")?,
        turn_count: row.try_get("turn_count")?,
        score: row.try_get::<Option<i64>, _>("score_tenths")?.map(|s| s as f64 / 10.0),
        state: json(row, "state")?,
    })
}

#[async_trait]
impl LearningStore for SqlStore {
    async fn save_mined_cases(&self, cases: &[StoredCase], run_at: Millis) -> Result<i64> {
        let (_turn, mut tx) = self.begin_write().await?;
        for case in cases {
            sqlx::query(&format!(
                "INSERT INTO cases ({CASE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, 'suggested', '[]', '', NULL, NULL) \
                 ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, category = excluded.category, \
                 strength_milli = excluded.strength_milli, cluster_size = excluded.cluster_size, mined = excluded.mined, \
                 mined_at = excluded.mined_at"
            ))
            .bind(&case.id)
            .bind(&case.kind)
            .bind(&case.category)
            .bind((case.strength * 1000.0).round() as i64)
            .bind(case.cluster_size)
            .bind(to_json(&case.mined)?)
            .bind(run_at)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM cases WHERE status = 'suggested' AND mined_at < $1").bind(run_at).execute(&mut *tx).await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok(total)
    }

    async fn cases(&self, filter: &CaseFilter) -> Result<Page<StoredCase>> {
        let build = |select: &str| {
            let mut query = Statement::new(select);
            if let Some(status) = filter.status.as_deref().filter(|s| !s.is_empty()) {
                query.and("status = ").bind(status.to_string());
            }
            if let Some(kind) = filter.kind.as_deref().filter(|s| !s.is_empty()) {
                query.and("kind = ").bind(kind.to_string());
            }
            if let Some(category) = filter.category.as_deref().filter(|s| !s.is_empty()) {
                query.and("category = ").bind(category.to_string());
            }
            if let Some(item) = filter.item.as_deref().filter(|s| !s.is_empty()) {
                // items is a JSON array of strings: match the quoted id, its characters literally
                let quoted = serde_json::Value::from(item).to_string();
                query.and("items LIKE ").bind(format!("%{}%", like_literal(&quoted))).push(" ESCAPE '\\'");
            }
            query
        };
        let total = build("SELECT COUNT(*) FROM cases").fetch_count(&self.pool).await?;
        let rows = build(&format!("SELECT {CASE_COLUMNS} FROM cases"))
            .push(" ORDER BY strength_milli DESC, id")
            .page(filter.limit, filter.offset)
            .fetch_all(&self.pool)
            .await?;
        Ok(Page { items: rows.iter().map(case_from_row).collect::<Result<_>>()?, total })
    }

    async fn case(&self, id: &str) -> Result<Option<StoredCase>> {
        let row =
            sqlx::query(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1")).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(case_from_row).transpose()
    }

    async fn curate_case(&self, id: &str, curation: &Curation) -> Result<StoredCase> {
        let (_turn, mut tx) = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE cases SET status = $1, items = $2, teaching_point = $3, curated_by = $4, curated_at = $5 WHERE id = $6",
        )
        .bind(&curation.status)
        .bind(to_json(&curation.items)?)
        .bind(&curation.teaching_point)
        .bind(&curation.by)
        .bind(curation.at)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound(format!("case {id}")));
        }
        let row = sqlx::query(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1")).bind(id).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        case_from_row(&row)
    }

    async fn save_assignment(&self, a: &Assignment) -> Result<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        sqlx::query(&format!(
            "INSERT INTO training_assignments ({ASSIGNMENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (id) DO UPDATE SET agent = excluded.agent, case_id = excluded.case_id, item_id = excluded.item_id, \
             reason = excluded.reason, status = excluded.status, updated_at = excluded.updated_at"
        ))
        .bind(&a.id)
        .bind(&a.agent)
        .bind(&a.case_id)
        .bind(&a.item_id)
        .bind(&a.reason)
        .bind(&a.status)
        .bind(&a.created_by)
        .bind(a.created_at)
        .bind(a.updated_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn assignments(&self, scope: &Scope, status: Option<&str>) -> Result<Vec<Assignment>> {
        let mut query = Statement::new(format!("SELECT {ASSIGNMENT_COLUMNS} FROM training_assignments"));
        query.scope(scope, "agent");
        if let Some(status) = status.filter(|s| !s.is_empty()) {
            query.and("status = ").bind(status.to_string());
        }
        let rows = query.push(" ORDER BY created_at DESC, id").fetch_all(&self.pool).await?;
        rows.iter().map(assignment_from_row).collect()
    }

    async fn assignment(&self, id: &str) -> Result<Option<Assignment>> {
        let row = sqlx::query(&format!("SELECT {ASSIGNMENT_COLUMNS} FROM training_assignments WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(assignment_from_row).transpose()
    }

    async fn save_session(&self, s: &TrainingSession, previous_turns: Option<i64>) -> Result<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        let score = s.score.map(|v| (v * 10.0).round() as i64);
        let state = to_json(&s.state)?;
        match previous_turns {
            None => {
                sqlx::query(&format!(
                    "INSERT INTO training_sessions ({SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                ))
                .bind(&s.id)
                .bind(&s.trainee)
                .bind(&s.case_id)
                .bind(&s.assignment_id)
                .bind(s.started_at)
                .bind(s.ended_at)
                .bind(s.turn_count)
                .bind(score)
                .bind(state)
                .execute(&mut *tx)
                .await
                .map_err(|e| match e {
                    sqlx::Error::Database(db) if db.is_unique_violation() => {
                        StoreError::Conflict(format!("training session {} exists", s.id))
                    }
                    other => other.into(),
                })?;
            }
            Some(previous) => {
                let changed = sqlx::query(
                    "UPDATE training_sessions SET ended_at = $1, turn_count = $2, score_tenths = $3, state = $4 \
                     WHERE id = $5 AND turn_count = $6 AND ended_at IS NULL",
                )
                .bind(s.ended_at)
                .bind(s.turn_count)
                .bind(score)
                .bind(state)
                .bind(&s.id)
                .bind(previous)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Err(StoreError::Conflict(format!(
                        "training session {} changed meanwhile (another tab?) or has ended: reload it",
                        s.id
                    )));
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn session(&self, id: &str) -> Result<Option<TrainingSession>> {
        let row = sqlx::query(&format!("SELECT {SESSION_COLUMNS} FROM training_sessions WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    async fn sessions(&self, scope: &Scope, trainee: Option<&str>, limit: i64) -> Result<Vec<TrainingSession>> {
        let mut query = Statement::new(format!("SELECT {SESSION_COLUMNS} FROM training_sessions"));
        query.scope(scope, "trainee");
        if let Some(trainee) = trainee.filter(|t| !t.is_empty()) {
            query.and("trainee = ").bind(trainee.to_string());
        }
        let rows = query.push(" ORDER BY started_at DESC, id").page(limit, 0).fetch_all(&self.pool).await?;
        rows.iter().map(session_from_row).collect()
    }
}
