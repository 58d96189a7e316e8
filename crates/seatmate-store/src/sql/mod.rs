//! `SqlStore`: every store trait on SQLite or PostgreSQL through `sqlx::Any`, one module per area.

mod conversations;
mod import;
mod knowledge;
mod learning;
mod live;
mod models;
mod privacy;
mod quality;
mod taxonomy;
mod tickets;
mod users;

use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use seatmate_core::{Speaker, Turn};
use sqlx::any::{AnyArguments, AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Execute, Executor, QueryBuilder, Row};

use crate::migrations::{after, for_backend, MIGRATIONS};
use crate::{Counts, Result, Scope, StatusStore, StoreError, TicketFilter, TicketStore};

/// The SQL store, on SQLite or PostgreSQL depending on the URL it is opened with.
pub struct SqlStore {
    pool: AnyPool,
    backend: &'static str,
    /// SQLite has one writer at a time, and a transaction that reads and then writes fails with
    /// "database is locked" when another writes first (its busy timeout cannot help there). So on
    /// SQLite this process's write transactions queue here for their turn instead.
    writer: Option<std::sync::Arc<tokio::sync::Mutex<()>>>,
    /// Live messages waiting to be committed in groups (`live.rs`); started on the first one.
    live: live::LiveQueue,
}

/// A write transaction, holding the writer's turn (SQLite) until it ends.
type WriteTx = (Option<tokio::sync::OwnedMutexGuard<()>>, sqlx::Transaction<'static, Any>);

impl SqlStore {
    /// Opens (creating if needed) and migrates the database at `url`:
    /// `sqlite:///path/seatmate.db`, `sqlite::memory:` or `postgres://…`.
    pub async fn open(url: &str) -> Result<SqlStore> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            "sqlite"
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            "postgres"
        } else {
            return Err(StoreError::InvalidInput(format!(
                "unsupported database url {:?}: use sqlite://PATH or postgres://…",
                redact_url(url)
            )));
        };
        let url = if backend == "sqlite" && !url.contains("mode=") && !url.contains(":memory:") {
            format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
        } else {
            url.to_string()
        };
        let mut options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        if backend == "sqlite" {
            // one in-memory database must be one connection; files get a few readers beside the writer
            let max = if url.contains(":memory:") { 1 } else { 4 };
            options = options.max_connections(max).after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
                    )
                    .await?;
                    Ok(())
                })
            });
        } else {
            options = options.max_connections(8);
        }
        let pool = options.connect(&url).await.map_err(|e| match e {
            sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::Tls(_) => {
                StoreError::Unavailable(format!("cannot connect to {}: {e}", redact_url(&url)))
            }
            other => StoreError::Database(other),
        })?;
        let writer = (backend == "sqlite").then(|| std::sync::Arc::new(tokio::sync::Mutex::new(())));
        let store = SqlStore { pool, backend, writer, live: live::LiveQueue::new() };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the migrations not applied yet; opening does this, and running it again changes nothing.
    pub async fn migrate(&self) -> Result<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        if self.backend == "postgres" {
            // replicas starting together migrate one at a time
            tx.execute("SELECT pg_advisory_xact_lock(7130115)").await?;
        }
        tx.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)")
            .await?;
        let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations").fetch_all(&mut *tx).await?;
        for (version, ddl) in MIGRATIONS {
            if applied.contains(version) {
                continue;
            }
            let ddl = for_backend(ddl, self.backend);
            for statement in ddl.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                tx.execute(statement).await?;
            }
            if *version == 4 {
                users::fill_username_keys(&mut tx).await?;
            }
            for statement in after(*version, self.backend) {
                tx.execute(statement).await?;
            }
            sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
                .bind(*version)
                .bind(0_i64)
                .execute(&mut *tx)
                .await?;
            tracing::info!(version, backend = self.backend, "applied migration");
        }
        tx.commit().await?;
        Ok(())
    }

    /// Begins a transaction that may write: on SQLite, after this process's previous writer ended,
    /// and `IMMEDIATE`, so it holds the database's write lock from its first statement. (A deferred
    /// transaction that reads and then writes fails with "database is locked" at once, without
    /// waiting, when another connection wrote in between; an immediate one waits its turn.)
    async fn begin_write(&self) -> Result<WriteTx> {
        match &self.writer {
            Some(writer) => {
                let turn = writer.clone().lock_owned().await;
                Ok((Some(turn), self.pool.begin_with("BEGIN IMMEDIATE").await?))
            }
            None => Ok((None, self.pool.begin().await?)),
        }
    }

    /// The same database for a background writer: the pool and the writer's turn are shared.
    fn clone_for_writer(&self) -> SqlStore {
        SqlStore { pool: self.pool.clone(), backend: self.backend, writer: self.writer.clone(), live: live::LiveQueue::new() }
    }

    /// The connection pool, for the conformance suite's clean-up.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

/// Hides a password in a database URL before it is shown.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}://{user}:***{}", &url[..scheme_end], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// `%text%` for LIKE, lower-cased, with LIKE's wildcards taken literally.
pub(crate) fn like_pattern(text: &str) -> String {
    format!("%{}%", like_literal(&text.trim().to_lowercase()))
}

/// `text` with LIKE's wildcards (and its escape character) escaped, for `LIKE … ESCAPE '\'`.
pub(crate) fn like_literal(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

pub(crate) fn parse<T: FromStr>(value: &str, what: &str) -> Result<T> {
    value.parse().map_err(|_| StoreError::Corrupt(format!("bad {what} {value:?}")))
}

pub(crate) fn json_map(text: &str) -> Result<serde_json::Map<String, serde_json::Value>> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("attributes: {e}")))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::InvalidInput(e.to_string()))
}

/// A query assembled with `sqlx::QueryBuilder` — fixed SQL pushed as text, every value bound —
/// and run on either backend. `QueryBuilder<Any>` writes `?` placeholders, which PostgreSQL does
/// not read, so they are numbered `$1, $2, …` (which SQLite reads too) just before running.
pub(crate) struct Statement {
    builder: QueryBuilder<'static, Any>,
    has_where: bool,
}

impl Statement {
    pub(crate) fn new(sql: impl Into<String>) -> Statement {
        Statement { builder: QueryBuilder::new(sql), has_where: false }
    }

    /// Appends SQL text; never a value (bind those).
    pub(crate) fn push(&mut self, sql: &str) -> &mut Statement {
        self.builder.push(sql);
        self
    }

    pub(crate) fn bind<T>(&mut self, value: T) -> &mut Statement
    where
        T: 'static + sqlx::Encode<'static, Any> + sqlx::Type<Any> + Send,
    {
        self.builder.push_bind(value);
        self
    }

    /// Starts the next condition of the WHERE clause (` WHERE ` first, ` AND ` after).
    pub(crate) fn and(&mut self, sql: &str) -> &mut Statement {
        self.builder.push(if self.has_where { " AND " } else { " WHERE " });
        self.has_where = true;
        self.push(sql)
    }

    /// Limits rows to the conversations `scope` may see, by the column naming their agent.
    pub(crate) fn scope(&mut self, scope: &Scope, agent_column: &str) -> &mut Statement {
        match scope {
            Scope::All => self,
            Scope::Agent(username) => self.and(agent_column).push(" = ").bind(username.clone()),
            Scope::Team(team) => {
                self.and(agent_column).push(" IN (SELECT username FROM users WHERE team = ").bind(team.clone()).push(")")
            }
        }
    }

    /// Limits rows to those whose `conversation_column` names a conversation `scope` may see.
    pub(crate) fn conversation_scope(&mut self, scope: &Scope, conversation_column: &str) -> &mut Statement {
        if *scope == Scope::All {
            return self;
        }
        self.and(conversation_column).push(" IN ").subquery("SELECT id FROM conversations", |q| {
            q.scope(scope, "agent");
        })
    }

    /// Appends `(select …)`, with `conditions` building the subquery's own WHERE clause.
    pub(crate) fn subquery(&mut self, select: &str, conditions: impl FnOnce(&mut Statement)) -> &mut Statement {
        self.push("(").push(select);
        let outer = std::mem::replace(&mut self.has_where, false);
        conditions(self);
        self.has_where = outer;
        self.push(")")
    }

    /// ` LIMIT n OFFSET m`, clamped to a sane page.
    pub(crate) fn page(&mut self, limit: i64, offset: i64) -> &mut Statement {
        self.push(" LIMIT ").bind(limit.clamp(1, 500)).push(" OFFSET ").bind(offset.max(0))
    }

    fn parts(&mut self) -> Result<(String, Option<AnyArguments<'_>>)> {
        let sql = number_placeholders(self.builder.sql());
        let args = self.builder.build().take_arguments().map_err(|e| StoreError::InvalidInput(e.to_string()))?;
        Ok((sql, args))
    }

    pub(crate) async fn fetch_all<'c, E: Executor<'c, Database = Any>>(&mut self, executor: E) -> Result<Vec<AnyRow>> {
        let (sql, args) = self.parts()?;
        Ok(sqlx::query_with(&sql, args.unwrap_or_default()).fetch_all(executor).await?)
    }

    pub(crate) async fn fetch_optional<'c, E: Executor<'c, Database = Any>>(&mut self, executor: E) -> Result<Option<AnyRow>> {
        let (sql, args) = self.parts()?;
        Ok(sqlx::query_with(&sql, args.unwrap_or_default()).fetch_optional(executor).await?)
    }

    /// Runs a change; the number of rows it touched.
    pub(crate) async fn execute<'c, E: Executor<'c, Database = Any>>(&mut self, executor: E) -> Result<u64> {
        let (sql, args) = self.parts()?;
        Ok(sqlx::query_with(&sql, args.unwrap_or_default()).execute(executor).await?.rows_affected())
    }

    /// ` IN (?, ?, …)` with every value bound.
    pub(crate) fn in_list(&mut self, values: &[String]) -> &mut Statement {
        self.push(" IN (");
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(value.clone());
        }
        self.push(")")
    }

    /// The single number the query selects (a `COUNT(*)`).
    pub(crate) async fn fetch_count<'c, E: Executor<'c, Database = Any>>(&mut self, executor: E) -> Result<i64> {
        let (sql, args) = self.parts()?;
        Ok(sqlx::query_scalar_with(&sql, args.unwrap_or_default()).fetch_one(executor).await?)
    }
}

/// Rewrites `?` placeholders as `$1, $2, …`, leaving quoted literals alone.
fn number_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut in_literal = false;
    let mut n = 0;
    for c in sql.chars() {
        match c {
            '\'' => {
                in_literal = !in_literal;
                out.push(c);
            }
            '?' if !in_literal => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

/// Turns by conversation id, in order, from rows of `conversation_id, speaker, text, start_ms,
/// end_ms, audio_ref` sorted by conversation and seq.
pub(crate) fn turns_by_conversation(rows: &[AnyRow]) -> Result<HashMap<String, Vec<Turn>>> {
    let mut turns: HashMap<String, Vec<Turn>> = HashMap::new();
    for row in rows {
        turns.entry(row.try_get("conversation_id")?).or_default().push(Turn {
            speaker: parse::<Speaker>(&row.try_get::<String, _>("speaker")?, "speaker")?,
            text: row.try_get("text")?,
            start_ms: row.try_get("start_ms")?,
            end_ms: row.try_get("end_ms")?,
            audio_ref: row.try_get("audio_ref")?,
        });
    }
    Ok(turns)
}

/// The columns [`turns_by_conversation`] reads.
pub(crate) const TURN_COLUMNS: &str = "conversation_id, speaker, text, start_ms, end_ms, audio_ref";

#[async_trait]
impl StatusStore for SqlStore {
    fn backend(&self) -> &'static str {
        self.backend
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn counts(&self, scope: &Scope) -> Result<Counts> {
        let conversations =
            Statement::new("SELECT COUNT(*) FROM conversations").scope(scope, "agent").fetch_count(&self.pool).await?;
        let tickets = self.list_tickets(scope, &TicketFilter { limit: 1, ..Default::default() }).await?.total;
        let count = |table: &'static str| async move {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&self.pool).await?;
            Ok::<i64, StoreError>(n)
        };
        Ok(Counts {
            conversations,
            tickets,
            taxonomy_nodes: count("taxonomy").await?,
            knowledge_items: count("knowledge").await?,
            users: count("users").await?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::number_placeholders;

    #[test]
    fn placeholders_are_numbered_outside_literals() {
        assert_eq!(
            number_placeholders("a = ? AND b LIKE ? ESCAPE '\\' AND c = '?' AND d IN (?, ?)"),
            "a = $1 AND b LIKE $2 ESCAPE '\\' AND c = '?' AND d IN ($3, $4)"
        );
    }
}
