//! [`LiveStore`]: each message is a compare-and-set on the conversation's `live_seq`.

use async_trait::async_trait;
use sqlx::Row;

use super::conversations::{insert_conversation, PREVIEW_CHARS};
use super::SqlStore;
use crate::{LiveOutcome, LiveStore, LiveWrite, Result, Written};

#[async_trait]
impl LiveStore for SqlStore {
    async fn live_write(&self, id: &str, seq: u64, write: LiveWrite<'_>) -> Result<LiveOutcome> {
        let (_turn, mut tx) = self.begin_write().await?;
        let seq = seq as i64;
        let outcome = match write {
            LiveWrite::Start(conversation) => {
                if seq == 1 && insert_conversation(&mut tx, conversation).await? == Written::Inserted {
                    sqlx::query("UPDATE conversations SET live_seq = 1 WHERE id = $1").bind(id).execute(&mut *tx).await?;
                    Some(LiveOutcome::Applied { turn_index: None })
                } else {
                    None
                }
            }
            LiveWrite::Turn(turn) => {
                let preview: String = turn.text.chars().take(PREVIEW_CHARS).collect();
                let row = sqlx::query(
                    "UPDATE conversations SET live_seq = $2, turn_count = turn_count + 1, \
                     search_text = search_text || ' ' || $3, preview = CASE WHEN preview = '' THEN $4 ELSE preview END \
                     WHERE id = $1 AND live_seq = $5 AND ended_at IS NULL RETURNING turn_count",
                )
                .bind(id)
                .bind(seq)
                .bind(turn.text.to_lowercase())
                .bind(preview)
                .bind(seq - 1)
                .fetch_optional(&mut *tx)
                .await?;
                match row {
                    Some(row) => {
                        let index = row.try_get::<i64, _>(0)? - 1;
                        sqlx::query(
                            "INSERT INTO turns (conversation_id, seq, speaker, text, start_ms, end_ms, audio_ref) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        )
                        .bind(id)
                        .bind(index)
                        .bind(turn.speaker.as_str())
                        .bind(&turn.text)
                        .bind(turn.start_ms)
                        .bind(turn.end_ms)
                        .bind(&turn.audio_ref)
                        .execute(&mut *tx)
                        .await?;
                        Some(LiveOutcome::Applied { turn_index: Some(index as u64) })
                    }
                    None => None,
                }
            }
            LiveWrite::End { ended_at } => {
                let done = sqlx::query(
                    "UPDATE conversations SET live_seq = $2, ended_at = $3 WHERE id = $1 AND live_seq = $4 AND ended_at IS NULL",
                )
                .bind(id)
                .bind(seq)
                .bind(ended_at)
                .bind(seq - 1)
                .execute(&mut *tx)
                .await?;
                (done.rows_affected() > 0).then_some(LiveOutcome::Applied { turn_index: None })
            }
        };
        if let Some(applied) = outcome {
            tx.commit().await?;
            return Ok(applied);
        }
        let row = sqlx::query(STATE).bind(id).fetch_optional(&mut *tx).await?;
        let state = row.as_ref().map(state_from_row).transpose()?;
        Ok(match state {
            None => LiveOutcome::Expected(0),
            Some((last, _)) if seq as u64 <= last => LiveOutcome::Duplicate,
            Some((_, true)) => LiveOutcome::Ended,
            Some((last, false)) => LiveOutcome::Expected(last + 1),
        })
    }

    async fn live_state(&self, id: &str) -> Result<Option<(u64, bool)>> {
        let row = sqlx::query(STATE).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(state_from_row).transpose()
    }
}

const STATE: &str = "SELECT live_seq, ended_at FROM conversations WHERE id = $1 AND live_seq IS NOT NULL";

fn state_from_row(row: &sqlx::any::AnyRow) -> Result<(u64, bool)> {
    Ok((row.try_get::<i64, _>(0)? as u64, row.try_get::<Option<i64>, _>(1)?.is_some()))
}
