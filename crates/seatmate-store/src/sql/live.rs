//! [`LiveStore`]: each message is a compare-and-set on the conversation's `live_seq`.
//!
//! Live messages arrive many per second, each small. Committing each on its own costs one disk
//! flush per turn (SQLite `synchronous=FULL`), which caps a server at the disk's flush rate. So
//! they are group-committed: one task takes every message waiting (up to [`GROUP`]), applies them
//! in order inside one transaction — each still its own compare-and-set — and answers each only
//! after the commit. If the transaction fails, every message of the group fails and is resent.

use async_trait::async_trait;
use seatmate_core::{Conversation, Millis, Turn};
use sqlx::Row;
use tokio::sync::{mpsc, oneshot};

use super::conversations::{insert_conversation, PREVIEW_CHARS};
use super::{SqlStore, WriteTx};
use crate::{LiveOutcome, LiveStore, LiveWrite, Result, StoreError, Written};

/// The most messages one transaction applies.
const GROUP: usize = 256;
/// Messages waiting for the writer before senders wait in turn.
const QUEUE: usize = 4096;

enum OwnedWrite {
    Start(Box<Conversation>),
    Turn(Turn),
    End { ended_at: Millis },
}

pub(crate) struct Pending {
    id: String,
    seq: u64,
    write: OwnedWrite,
    reply: oneshot::Sender<Result<LiveOutcome>>,
}

/// The queue of live writes and the task that commits them in groups.
pub(crate) type LiveQueue = std::sync::OnceLock<mpsc::Sender<Pending>>;

#[async_trait]
impl LiveStore for SqlStore {
    async fn live_write(&self, id: &str, seq: u64, write: LiveWrite<'_>) -> Result<LiveOutcome> {
        let write = match write {
            LiveWrite::Start(conversation) => OwnedWrite::Start(Box::new(conversation.clone())),
            LiveWrite::Turn(turn) => OwnedWrite::Turn(turn.clone()),
            LiveWrite::End { ended_at } => OwnedWrite::End { ended_at },
        };
        let queue = self.live.get_or_init(|| {
            let (sender, receiver) = mpsc::channel(QUEUE);
            tokio::spawn(commit_in_groups(self.clone_for_writer(), receiver));
            sender
        });
        let (reply, answer) = oneshot::channel();
        let gone = || StoreError::Unavailable("the live writer stopped".into());
        queue.send(Pending { id: id.to_string(), seq, write, reply }).await.map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }

    async fn live_state(&self, id: &str) -> Result<Option<(u64, bool)>> {
        let row = sqlx::query(STATE).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(state_from_row).transpose()
    }
}

async fn commit_in_groups(store: SqlStore, mut queue: mpsc::Receiver<Pending>) {
    let mut group = Vec::with_capacity(GROUP);
    while queue.recv_many(&mut group, GROUP).await > 0 {
        let (outcomes, committed) = match store.begin_write().await {
            Ok(mut tx) => {
                let mut outcomes = Vec::with_capacity(group.len());
                let mut failed = None;
                for pending in &group {
                    match apply(&mut tx, &pending.id, pending.seq, &pending.write).await {
                        Ok(outcome) => outcomes.push(outcome),
                        Err(error) => {
                            failed = Some(error);
                            break;
                        }
                    }
                }
                let committed = match failed {
                    None => tx.1.commit().await.map_err(StoreError::from),
                    Some(error) => Err(error),
                };
                (outcomes, committed)
            }
            Err(error) => (Vec::new(), Err(error)),
        };
        match committed {
            Ok(()) => {
                for (pending, outcome) in group.drain(..).zip(outcomes) {
                    let _ = pending.reply.send(Ok(outcome));
                }
            }
            Err(error) => {
                tracing::error!(%error, messages = group.len(), "live writes not committed");
                for pending in group.drain(..) {
                    let _ = pending.reply.send(Err(StoreError::Unavailable(format!("not committed: {error}"))));
                }
            }
        }
    }
}

/// One message's compare-and-set, inside the group's transaction.
async fn apply(tx: &mut WriteTx, id: &str, seq: u64, write: &OwnedWrite) -> Result<LiveOutcome> {
    let tx = &mut tx.1;
    let seq = seq as i64;
    let applied = match write {
        OwnedWrite::Start(conversation) => {
            if seq == 1 && insert_conversation(tx, conversation).await? == Written::Inserted {
                sqlx::query("UPDATE conversations SET live_seq = 1 WHERE id = $1").bind(id).execute(&mut **tx).await?;
                Some(LiveOutcome::Applied { turn_index: None })
            } else {
                None
            }
        }
        OwnedWrite::Turn(turn) => {
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
            .fetch_optional(&mut **tx)
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
                    .execute(&mut **tx)
                    .await?;
                    Some(LiveOutcome::Applied { turn_index: Some(index as u64) })
                }
                None => None,
            }
        }
        OwnedWrite::End { ended_at } => {
            let done = sqlx::query(
                "UPDATE conversations SET live_seq = $2, ended_at = $3 WHERE id = $1 AND live_seq = $4 AND ended_at IS NULL",
            )
            .bind(id)
            .bind(seq)
            .bind(*ended_at)
            .bind(seq - 1)
            .execute(&mut **tx)
            .await?;
            (done.rows_affected() > 0).then_some(LiveOutcome::Applied { turn_index: None })
        }
    };
    if let Some(applied) = applied {
        return Ok(applied);
    }
    let row = sqlx::query(STATE).bind(id).fetch_optional(&mut **tx).await?;
    Ok(match row.as_ref().map(state_from_row).transpose()? {
        None => LiveOutcome::Expected(0),
        Some((last, _)) if seq as u64 <= last => LiveOutcome::Duplicate,
        Some((_, true)) => LiveOutcome::Ended,
        Some((last, false)) => LiveOutcome::Expected(last + 1),
    })
}

const STATE: &str = "SELECT live_seq, ended_at FROM conversations WHERE id = $1 AND live_seq IS NOT NULL";

fn state_from_row(row: &sqlx::any::AnyRow) -> Result<(u64, bool)> {
    Ok((row.try_get::<i64, _>(0)? as u64, row.try_get::<Option<i64>, _>(1)?.is_some()))
}
