//! Trained model versions, settings and dispatch rules.

use async_trait::async_trait;
use seatmate_core::Millis;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{to_json, SqlStore};
use crate::{ModelRecord, ModelStore, Result, StoreError};

const MODEL_COLUMNS: &str =
    "id, kind, version, created_at, created_by, examples, metrics, active, activated_at, CAST(LENGTH(data) AS BIGINT) AS bytes";

fn model_from_row(row: &AnyRow) -> Result<ModelRecord> {
    Ok(ModelRecord {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        created_by: row.try_get("created_by")?,
        examples: row.try_get("examples")?,
        metrics: serde_json::from_str(&row.try_get::<String, _>("metrics")?)
            .map_err(|e| StoreError::Corrupt(format!("metrics: {e}")))?,
        active: row.try_get::<i64, _>("active")? != 0,
        bytes: row.try_get("bytes")?,
        activated_at: row.try_get("activated_at")?,
    })
}

#[async_trait]
impl ModelStore for SqlStore {
    async fn save_model(&self, model: &ModelRecord, data: &[u8]) -> Result<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        if model.active {
            sqlx::query("UPDATE models SET active = 0 WHERE kind = $1").bind(&model.kind).execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO models (id, kind, version, created_at, created_by, examples, metrics, active, data, activated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&model.id)
        .bind(&model.kind)
        .bind(model.version)
        .bind(model.created_at)
        .bind(&model.created_by)
        .bind(model.examples)
        .bind(to_json(&model.metrics)?)
        .bind(i64::from(model.active))
        .bind(data.to_vec())
        .bind(model.active.then_some(model.created_at))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn list_models(&self, kind: &str) -> Result<Vec<ModelRecord>> {
        let rows = sqlx::query(&format!("SELECT {MODEL_COLUMNS} FROM models WHERE kind = $1 ORDER BY version DESC"))
            .bind(kind)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(model_from_row).collect()
    }

    async fn prune_models(&self, kind: &str, keep: usize) -> Result<Vec<ModelRecord>> {
        let (_turn, mut tx) = self.begin_write().await?;
        let rows = sqlx::query(&format!("SELECT {MODEL_COLUMNS} FROM models WHERE kind = $1 ORDER BY version DESC"))
            .bind(kind)
            .fetch_all(&mut *tx)
            .await?;
        let versions = rows.iter().map(model_from_row).collect::<Result<Vec<_>>>()?;
        let pruned: Vec<ModelRecord> = versions.into_iter().filter(|m| !m.active).skip(keep).collect();
        for model in &pruned {
            sqlx::query("DELETE FROM models WHERE id = $1").bind(&model.id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(pruned)
    }

    async fn active_model(&self, kind: &str) -> Result<Option<(ModelRecord, Vec<u8>)>> {
        let row = sqlx::query(&format!("SELECT {MODEL_COLUMNS}, data FROM models WHERE kind = $1 AND active = 1"))
            .bind(kind)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| Ok((model_from_row(&row)?, row.try_get::<Vec<u8>, _>("data")?))).transpose()
    }

    async fn activate_model(&self, id: &str, now: Millis) -> Result<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        let kind: Option<String> =
            sqlx::query_scalar("SELECT kind FROM models WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
        let kind = kind.ok_or_else(|| StoreError::NotFound(format!("model {id:?}")))?;
        sqlx::query("UPDATE models SET active = 0 WHERE kind = $1").bind(&kind).execute(&mut *tx).await?;
        sqlx::query("UPDATE models SET active = 1, activated_at = $2 WHERE id = $1").bind(id).bind(now).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = $1").bind(key).fetch_optional(&self.pool).await?)
    }

    async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn dispatch_rules(&self) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT rule FROM dispatch_rules ORDER BY position").fetch_all(&self.pool).await?)
    }

    async fn set_dispatch_rules(&self, rules: &[String]) -> Result<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        sqlx::query("DELETE FROM dispatch_rules").execute(&mut *tx).await?;
        for (i, rule) in rules.iter().enumerate() {
            sqlx::query("INSERT INTO dispatch_rules (id, position, rule) VALUES ($1, $2, $3)")
                .bind(format!("rule-{i}"))
                .bind(i as i64)
                .bind(rule)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
