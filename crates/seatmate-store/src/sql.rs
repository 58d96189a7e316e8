use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use seatmate_core::{
    Conversation, ConversationSummary, KnowledgeItem, Millis, Role, Speaker, TaxonomyNode, Team, Ticket, TicketEvent, Turn, User,
};
use sqlx::any::{AnyArguments, AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Arguments, Executor, Row};

use crate::migrations::{for_backend, MIGRATIONS};
use crate::{
    ApiToken, ConversationFilter, Counts, FeedbackCounts, ImportCounts, KnowledgeFeedback, KnowledgeFilter, LabelledText,
    ModelRecord, NewUser, NodeWithChildren, Page, Progress, Result, Scope, Store, StoreError, TicketChanges, TicketFilter,
};

/// The SQL store, on SQLite or PostgreSQL depending on the URL it is opened with.
pub struct SqlStore {
    pool: AnyPool,
    backend: &'static str,
}

const PREVIEW_CHARS: usize = 80;

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
        let store = SqlStore { pool, backend };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the migrations not applied yet; opening does this, and running it again changes nothing.
    pub async fn migrate(&self) -> Result<()> {
        let mut tx = self.pool.begin().await?;
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

/// A value bound into a dynamic query.
#[derive(Clone)]
enum Bind {
    Text(String),
    Int(i64),
}

impl From<String> for Bind {
    fn from(value: String) -> Bind {
        Bind::Text(value)
    }
}

impl From<i64> for Bind {
    fn from(value: i64) -> Bind {
        Bind::Int(value)
    }
}

/// Builds a WHERE clause with numbered `$n` placeholders, which both SQLite and PostgreSQL accept.
#[derive(Default)]
struct Where {
    clauses: Vec<String>,
    binds: Vec<Bind>,
}

impl Where {
    fn new() -> Where {
        Where::default()
    }

    /// Adds `clause`, in which each `?` is replaced by the next placeholder, bound to `values` in order.
    fn and<T: Clone + Into<Bind>>(&mut self, clause: &str, values: &[T]) -> Result<()> {
        let mut text = String::new();
        let mut values = values.iter();
        for (i, part) in clause.split('?').enumerate() {
            if i > 0 {
                let value = values.next().ok_or_else(|| StoreError::InvalidInput("too few values for query".into()))?;
                self.binds.push(value.clone().into());
                text.push_str(&format!("${}", self.binds.len()));
            }
            text.push_str(part);
        }
        self.clauses.push(text);
        Ok(())
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    fn args(&self) -> Result<AnyArguments<'static>> {
        let mut args = AnyArguments::default();
        for bind in &self.binds {
            let added = match bind {
                Bind::Text(text) => args.add(text.clone()),
                Bind::Int(n) => args.add(*n),
            };
            added.map_err(|e| StoreError::InvalidInput(e.to_string()))?;
        }
        Ok(args)
    }

    fn scope(&mut self, scope: &Scope, agent_column: &str) -> Result<()> {
        match scope {
            Scope::All => Ok(()),
            Scope::Agent(username) => self.and(&format!("{agent_column} = ?"), std::slice::from_ref(username)),
            Scope::Team(team) => {
                self.and(&format!("{agent_column} IN (SELECT username FROM users WHERE team = ?)"), std::slice::from_ref(team))
            }
        }
    }
}

/// `%text%` for LIKE, lower-cased, with LIKE's wildcards taken literally.
fn like_pattern(text: &str) -> String {
    let escaped = text.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

fn parse<T: FromStr>(value: &str, what: &str) -> Result<T> {
    value.parse().map_err(|_| StoreError::Corrupt(format!("bad {what} {value:?}")))
}

fn json_map(text: &str) -> Result<serde_json::Map<String, serde_json::Value>> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("attributes: {e}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::InvalidInput(e.to_string()))
}

fn user_from_row(row: &AnyRow) -> Result<User> {
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: parse::<Role>(&row.try_get::<String, _>("role")?, "role")?,
        team: row.try_get("team")?,
        active: row.try_get::<i64, _>("active")? != 0,
    })
}

fn node_from_row(row: &AnyRow) -> Result<TaxonomyNode> {
    Ok(TaxonomyNode {
        code: row.try_get("code")?,
        parent: row.try_get("parent")?,
        name_zh: row.try_get("name_zh")?,
        name_en: row.try_get("name_en")?,
        depth: row.try_get("depth")?,
        team: row.try_get("team")?,
    })
}

const SUMMARY_COLUMNS: &str =
    "id, external_id, source, channel, queue, agent, customer_id, language, started_at, ended_at, turn_count, preview";
const CONVERSATION_COLUMNS: &str =
    "id, external_id, source, channel, queue, agent, customer_id, language, started_at, ended_at, audio_ref, attributes";
const TICKET_COLUMNS: &str =
    "id, external_id, source, conversation_id, title, body, category, team, priority, summary, status, created_at, updated_at, attributes";
const USER_COLUMNS: &str = "id, username, display_name, role, team, active";
const MODEL_COLUMNS: &str = "id, kind, version, created_at, created_by, examples, metrics, active";

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
    })
}

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

fn conversation_from_row(row: &AnyRow, turns: Vec<Turn>) -> Result<Conversation> {
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

fn knowledge_from_row(row: &AnyRow) -> Result<KnowledgeItem> {
    let text: String = row.try_get("item")?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("knowledge item: {e}")))
}

/// Inserts a ticket and its `created` event; `false` when one with the same source and external
/// id is already there. A category must name an existing taxonomy node.
async fn insert_ticket(tx: &mut sqlx::Transaction<'_, sqlx::Any>, t: &Ticket, actor: &str) -> Result<bool> {
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

async fn insert_node(tx: &mut sqlx::Transaction<'_, sqlx::Any>, node: &TaxonomyNode) -> Result<bool> {
    if let Some(parent) = &node.parent {
        let exists: Option<String> =
            sqlx::query_scalar("SELECT code FROM taxonomy WHERE code = $1").bind(parent).fetch_optional(&mut **tx).await?;
        if exists.is_none() {
            return Err(StoreError::InvalidInput(format!("taxonomy node {:?} names unknown parent {parent:?}", node.code)));
        }
    }
    let search = format!("{}\n{}\n{}", node.code, node.name_zh, node.name_en).to_lowercase();
    let existing = sqlx::query("SELECT parent, name_zh, name_en, depth, team FROM taxonomy WHERE code = $1")
        .bind(&node.code)
        .fetch_optional(&mut **tx)
        .await?;
    match existing {
        None => {
            sqlx::query(
                "INSERT INTO taxonomy (code, parent, name_zh, name_en, depth, team, search_text) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&node.code)
            .bind(&node.parent)
            .bind(&node.name_zh)
            .bind(&node.name_en)
            .bind(node.depth)
            .bind(&node.team)
            .bind(search)
            .execute(&mut **tx)
            .await?;
            Ok(true)
        }
        Some(row) => {
            let same = row.try_get::<Option<String>, _>("parent")? == node.parent
                && row.try_get::<String, _>("name_zh")? == node.name_zh
                && row.try_get::<String, _>("name_en")? == node.name_en
                && row.try_get::<Option<String>, _>("team")? == node.team;
            if !same {
                sqlx::query("UPDATE taxonomy SET parent = $2, name_zh = $3, name_en = $4, depth = $5, team = $6, search_text = $7 WHERE code = $1")
                    .bind(&node.code)
                    .bind(&node.parent)
                    .bind(&node.name_zh)
                    .bind(&node.name_en)
                    .bind(node.depth)
                    .bind(&node.team)
                    .bind(search)
                    .execute(&mut **tx)
                    .await?;
                return Err(StoreError::Conflict(String::new())); // signals "updated" to the caller
            }
            Ok(false)
        }
    }
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> &'static str {
        self.backend
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn create_user(&self, user: &NewUser, now: Millis) -> Result<User> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let result = sqlx::query(
            "INSERT INTO users (id, username, display_name, role, team, password_hash, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7) ON CONFLICT (username) DO NOTHING",
        )
        .bind(&id)
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(user.role.as_str())
        .bind(&user.team)
        .bind(&user.password_hash)
        .bind(now)
        .execute(&self.pool)
        .await?;
        if result.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!("user {:?} already exists", user.username)));
        }
        Ok(User {
            id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            team: user.team.clone(),
            active: true,
        })
    }

    async fn user_by_username(&self, username: &str) -> Result<Option<(User, String)>> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = $1"))
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| Ok((user_from_row(&row)?, row.try_get("password_hash")?))).transpose()
    }

    async fn list_users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY username")).fetch_all(&self.pool).await?;
        rows.iter().map(user_from_row).collect()
    }

    async fn set_password(&self, username: &str, password_hash: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let result = sqlx::query("UPDATE users SET password_hash = $2 WHERE username = $1")
            .bind(username)
            .bind(password_hash)
            .execute(&mut *tx)
            .await?;
        if result.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {username:?}")));
        }
        // a new password ends every open session of that user
        sqlx::query("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = $1)")
            .bind(username)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_session(&self, token_hash: &str, user_id: &str, now: Millis, expires_at: Millis) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(now).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(user_id)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session_user(&self, token_hash: &str, now: Millis) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
            USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
        ))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    async fn create_api_token(&self, name: &str, user_id: &str, token_hash: &str, now: Millis) -> Result<ApiToken> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        sqlx::query("INSERT INTO api_tokens (id, name, user_id, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&id)
            .bind(name)
            .bind(user_id)
            .bind(token_hash)
            .bind(now)
            .execute(&self.pool)
            .await?;
        let username: String =
            sqlx::query_scalar("SELECT username FROM users WHERE id = $1").bind(user_id).fetch_one(&self.pool).await?;
        Ok(ApiToken { id, name: name.to_string(), username, created_at: now, last_used_at: None })
    }

    async fn api_token_user(&self, token_hash: &str, now: Millis) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1",
            USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        if row.is_some() {
            sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1")
                .bind(token_hash)
                .bind(now)
                .execute(&self.pool)
                .await?;
        }
        row.as_ref().map(user_from_row).transpose()
    }

    async fn list_api_tokens(&self) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query(
            "SELECT t.id, t.name, u.username, t.created_at, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.revoked_at IS NULL ORDER BY t.created_at",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ApiToken {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    username: row.try_get("username")?,
                    created_at: row.try_get("created_at")?,
                    last_used_at: row.try_get("last_used_at")?,
                })
            })
            .collect()
    }

    async fn revoke_api_token(&self, id: &str, now: Millis) -> Result<()> {
        let result = sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(&self.pool)
            .await?;
        if result.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("api token {id:?}")));
        }
        Ok(())
    }

    async fn upsert_teams(&self, teams: &[Team]) -> Result<ImportCounts> {
        let mut tx = self.pool.begin().await?;
        let mut counts = ImportCounts::default();
        for team in teams {
            let existing = sqlx::query("SELECT name_zh, name_en, dispatch FROM teams WHERE code = $1")
                .bind(&team.code)
                .fetch_optional(&mut *tx)
                .await?;
            let same = match &existing {
                Some(row) => {
                    row.try_get::<String, _>("name_zh")? == team.name_zh
                        && row.try_get::<String, _>("name_en")? == team.name_en
                        && (row.try_get::<i64, _>("dispatch")? != 0) == team.dispatch
                }
                None => false,
            };
            if same {
                counts.unchanged += 1;
                continue;
            }
            sqlx::query(
                "INSERT INTO teams (code, name_zh, name_en, dispatch) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, dispatch = excluded.dispatch",
            )
            .bind(&team.code)
            .bind(&team.name_zh)
            .bind(&team.name_en)
            .bind(i64::from(team.dispatch))
            .execute(&mut *tx)
            .await?;
            if existing.is_some() {
                counts.updated += 1;
            } else {
                counts.inserted += 1;
            }
        }
        tx.commit().await?;
        Ok(counts)
    }

    async fn list_teams(&self) -> Result<Vec<Team>> {
        let rows = sqlx::query("SELECT code, name_zh, name_en, dispatch FROM teams ORDER BY code").fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                Ok(Team {
                    code: row.try_get("code")?,
                    name_zh: row.try_get("name_zh")?,
                    name_en: row.try_get("name_en")?,
                    dispatch: row.try_get::<i64, _>("dispatch")? != 0,
                })
            })
            .collect()
    }

    async fn upsert_taxonomy(&self, nodes: &[TaxonomyNode], progress: Progress<'_>) -> Result<ImportCounts> {
        let mut tx = self.pool.begin().await?;
        let mut counts = ImportCounts::default();
        for (i, node) in nodes.iter().enumerate() {
            match insert_node(&mut tx, node).await {
                Ok(true) => counts.inserted += 1,
                Ok(false) => counts.unchanged += 1,
                Err(StoreError::Conflict(message)) if message.is_empty() => counts.updated += 1,
                Err(e) => return Err(e),
            }
            if i % 1000 == 999 {
                progress(i as u64 + 1);
            }
        }
        tx.commit().await?;
        progress(nodes.len() as u64);
        Ok(counts)
    }

    async fn taxonomy_children(&self, parent: Option<&str>) -> Result<Vec<NodeWithChildren>> {
        let sql = "SELECT t.code, t.parent, t.name_zh, t.name_en, t.depth, t.team, \
                   (SELECT COUNT(*) FROM taxonomy c WHERE c.parent = t.code) AS child_count FROM taxonomy t";
        let rows = match parent {
            Some(parent) => {
                sqlx::query(&format!("{sql} WHERE t.parent = $1 ORDER BY t.code")).bind(parent).fetch_all(&self.pool).await?
            }
            None => sqlx::query(&format!("{sql} WHERE t.parent IS NULL ORDER BY t.code")).fetch_all(&self.pool).await?,
        };
        rows.iter()
            .map(|row| Ok(NodeWithChildren { node: node_from_row(row)?, child_count: row.try_get("child_count")? }))
            .collect()
    }

    async fn taxonomy_node(&self, code: &str) -> Result<Option<TaxonomyNode>> {
        let row = sqlx::query("SELECT code, parent, name_zh, name_en, depth, team FROM taxonomy WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(node_from_row).transpose()
    }

    async fn taxonomy_path(&self, code: &str) -> Result<Vec<TaxonomyNode>> {
        let mut path = Vec::new();
        let mut next = Some(code.to_string());
        while let Some(code) = next {
            let node = self.taxonomy_node(&code).await?.ok_or_else(|| StoreError::NotFound(format!("taxonomy node {code:?}")))?;
            next = node.parent.clone();
            path.push(node);
            if path.len() > 64 {
                return Err(StoreError::Corrupt(format!("taxonomy cycle at {code:?}")));
            }
        }
        path.reverse();
        Ok(path)
    }

    async fn search_taxonomy(&self, text: &str, limit: i64) -> Result<Vec<TaxonomyNode>> {
        let rows = sqlx::query(
            "SELECT code, parent, name_zh, name_en, depth, team FROM taxonomy WHERE search_text LIKE $1 ESCAPE '\\' \
             ORDER BY depth, code LIMIT $2",
        )
        .bind(like_pattern(text))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(node_from_row).collect()
    }

    async fn taxonomy_codes(&self) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT code FROM taxonomy").fetch_all(&self.pool).await?)
    }

    async fn import_conversations(&self, conversations: &[Conversation], progress: Progress<'_>) -> Result<ImportCounts> {
        let mut tx = self.pool.begin().await?;
        let mut counts = ImportCounts::default();
        for (i, c) in conversations.iter().enumerate() {
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
            .execute(&mut *tx)
            .await?;
            if result.rows_affected() == 0 {
                counts.unchanged += 1;
                continue;
            }
            counts.inserted += 1;
            for (seq, turn) in c.turns.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO turns (conversation_id, seq, speaker, text, start_ms, end_ms, audio_ref) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&c.id)
                .bind(seq as i64)
                .bind(turn.speaker.as_str())
                .bind(&turn.text)
                .bind(turn.start_ms)
                .bind(turn.end_ms)
                .bind(&turn.audio_ref)
                .execute(&mut *tx)
                .await?;
            }
            if i % 500 == 499 {
                progress(i as u64 + 1);
            }
        }
        tx.commit().await?;
        progress(conversations.len() as u64);
        Ok(counts)
    }

    async fn list_conversations(&self, scope: &Scope, filter: &ConversationFilter) -> Result<Page<ConversationSummary>> {
        let mut w = Where::new();
        w.scope(scope, "agent")?;
        if let Some(text) = filter.text.as_deref().filter(|t| !t.trim().is_empty()) {
            w.and("search_text LIKE ? ESCAPE '\\'", &[like_pattern(text)])?;
        }
        if let Some(channel) = filter.channel {
            w.and("channel = ?", &[channel.as_str().to_string()])?;
        }
        if let Some(queue) = filter.queue.as_deref().filter(|q| !q.is_empty()) {
            w.and("queue = ?", &[queue.to_string()])?;
        }
        if let Some(agent) = filter.agent.as_deref().filter(|a| !a.is_empty()) {
            w.and("agent = ?", &[agent.to_string()])?;
        }
        if let Some(from) = filter.started_from {
            w.and("started_at >= ?", &[from])?;
        }
        if let Some(to) = filter.started_to {
            w.and("started_at < ?", &[to])?;
        }
        let total: i64 = sqlx::query_scalar_with(&format!("SELECT COUNT(*) FROM conversations{}", w.sql()), w.args()?)
            .fetch_one(&self.pool)
            .await?;
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM conversations{} ORDER BY started_at DESC, id LIMIT {} OFFSET {}",
            w.sql(),
            filter.limit.clamp(1, 500),
            filter.offset.max(0)
        );
        let rows = sqlx::query_with(&sql, w.args()?).fetch_all(&self.pool).await?;
        Ok(Page { items: rows.iter().map(summary_from_row).collect::<Result<_>>()?, total })
    }

    async fn conversation(&self, scope: &Scope, id: &str) -> Result<Option<Conversation>> {
        let mut w = Where::new();
        w.and("id = ?", &[id.to_string()])?;
        w.scope(scope, "agent")?;
        let sql = format!("SELECT {CONVERSATION_COLUMNS} FROM conversations{}", w.sql());
        let Some(row) = sqlx::query_with(&sql, w.args()?).fetch_optional(&self.pool).await? else {
            return Ok(None);
        };
        let turns = self.turns(id).await?;
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
        let rows = sqlx::query(&format!("SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id > $1 ORDER BY id LIMIT $2"))
            .bind(after.unwrap_or(""))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: String = row.try_get("id")?;
            out.push(conversation_from_row(row, self.turns(&id).await?)?);
        }
        Ok(out)
    }

    async fn import_tickets(
        &self,
        new_nodes: &[TaxonomyNode],
        tickets: &[Ticket],
        progress: Progress<'_>,
    ) -> Result<ImportCounts> {
        let mut tx = self.pool.begin().await?;
        for node in new_nodes {
            match insert_node(&mut tx, node).await {
                Ok(_) => {}
                Err(StoreError::Conflict(message)) if message.is_empty() => {}
                Err(e) => return Err(e),
            }
        }
        let mut counts = ImportCounts::default();
        for (i, t) in tickets.iter().enumerate() {
            if insert_ticket(&mut tx, t, &format!("import:{}", t.source)).await? {
                counts.inserted += 1;
            } else {
                counts.unchanged += 1;
            }
            if i % 1000 == 999 {
                progress(i as u64 + 1);
            }
        }
        tx.commit().await?;
        progress(tickets.len() as u64);
        Ok(counts)
    }

    async fn list_tickets(&self, scope: &Scope, filter: &TicketFilter) -> Result<Page<Ticket>> {
        let mut w = Where::new();
        if *scope != Scope::All {
            // tickets are visible through their conversation
            let mut inner = Where::new();
            inner.scope(scope, "agent")?;
            w.clauses.push(format!("conversation_id IN (SELECT id FROM conversations{})", inner.sql()));
            w.binds = inner.binds;
        }
        if let Some(conversation) = &filter.conversation_id {
            w.and("conversation_id = ?", std::slice::from_ref(conversation))?;
        }
        if let Some(status) = filter.status {
            w.and("status = ?", &[status.as_str().to_string()])?;
        }
        if let Some(prefix) = filter.category_prefix.as_deref().filter(|p| !p.is_empty()) {
            w.and(
                "(category = ? OR category LIKE ? ESCAPE '\\')",
                &[prefix.to_string(), format!("{}%", prefix.replace('%', "\\%").replace('_', "\\_"))],
            )?;
        }
        if let Some(text) = filter.text.as_deref().filter(|t| !t.trim().is_empty()) {
            w.and("LOWER(title || ' ' || body) LIKE ? ESCAPE '\\'", &[like_pattern(text)])?;
        }
        let total: i64 =
            sqlx::query_scalar_with(&format!("SELECT COUNT(*) FROM tickets{}", w.sql()), w.args()?).fetch_one(&self.pool).await?;
        let sql = format!(
            "SELECT {TICKET_COLUMNS} FROM tickets{} ORDER BY created_at DESC, id LIMIT {} OFFSET {}",
            w.sql(),
            filter.limit.clamp(1, 500),
            filter.offset.max(0)
        );
        let rows = sqlx::query_with(&sql, w.args()?).fetch_all(&self.pool).await?;
        Ok(Page { items: rows.iter().map(ticket_from_row).collect::<Result<_>>()?, total })
    }

    async fn ticket(&self, scope: &Scope, id: &str) -> Result<Option<(Ticket, Vec<TicketEvent>)>> {
        let row = sqlx::query(&format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let ticket = ticket_from_row(&row)?;
        if *scope != Scope::All {
            let visible = match &ticket.conversation_id {
                Some(conversation) => self.conversation_visible(scope, conversation).await?,
                None => false,
            };
            if !visible {
                return Ok(None);
            }
        }
        let rows = sqlx::query(
            "SELECT ticket_id, at, actor, action, field, old_value, new_value FROM ticket_events WHERE ticket_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let events = rows
            .iter()
            .map(|row| {
                Ok(TicketEvent {
                    ticket_id: row.try_get("ticket_id")?,
                    at: row.try_get("at")?,
                    actor: row.try_get("actor")?,
                    action: row.try_get("action")?,
                    field: row.try_get("field")?,
                    old_value: row.try_get("old_value")?,
                    new_value: row.try_get("new_value")?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Some((ticket, events)))
    }

    async fn upsert_knowledge(&self, items: &[KnowledgeItem]) -> Result<ImportCounts> {
        let mut tx = self.pool.begin().await?;
        let mut counts = ImportCounts::default();
        for item in items {
            let kind = item.kind().as_str();
            let existing = sqlx::query("SELECT id, version, body FROM knowledge WHERE kind = $1 AND key = $2")
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
                        counts.unchanged += 1;
                        continue;
                    }
                    stored.id = old.id.clone();
                    stored.version = old.version + 1;
                    counts.updated += 1;
                }
                None => {
                    stored.version = 1;
                    counts.inserted += 1;
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
        let mut w = Where::new();
        if let Some(kind) = filter.kind {
            w.and("kind = ?", &[kind.as_str().to_string()])?;
        }
        if let Some(text) = filter.text.as_deref().filter(|t| !t.trim().is_empty()) {
            w.and("search_text LIKE ? ESCAPE '\\'", &[like_pattern(text)])?;
        }
        let total: i64 = sqlx::query_scalar_with(&format!("SELECT COUNT(*) FROM knowledge{}", w.sql()), w.args()?)
            .fetch_one(&self.pool)
            .await?;
        let sql = format!(
            "SELECT body AS item FROM knowledge{} ORDER BY kind, key LIMIT {} OFFSET {}",
            w.sql(),
            filter.limit.clamp(1, 500),
            filter.offset.max(0)
        );
        let rows = sqlx::query_with(&sql, w.args()?).fetch_all(&self.pool).await?;
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

    async fn counts(&self, scope: &Scope) -> Result<Counts> {
        let mut w = Where::new();
        w.scope(scope, "agent")?;
        let conversations: i64 = sqlx::query_scalar_with(&format!("SELECT COUNT(*) FROM conversations{}", w.sql()), w.args()?)
            .fetch_one(&self.pool)
            .await?;
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

    async fn create_ticket(&self, t: &Ticket, actor: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        if !insert_ticket(&mut tx, t, actor).await? {
            return Err(StoreError::Conflict(format!("ticket {:?} already exists", t.external_id)));
        }
        tx.commit().await?;
        Ok(())
    }

    async fn update_ticket(&self, id: &str, changes: &TicketChanges, actor: &str, now: Millis) -> Result<Ticket> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(&format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = $1"))
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
        let rows: Vec<(&str, &str, Option<String>, Option<String>)> = if events.is_empty() {
            vec![("confirmed", "", None, None)]
        } else {
            events.into_iter().map(|(field, old, new)| ("corrected", field, old, new)).collect()
        };
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
        let rows = sqlx::query(
            "SELECT t.conversation_id, t.title, t.body, t.category, t.team FROM tickets t WHERE t.category IS NOT NULL \
             AND (t.source <> 'seatmate' OR t.status IN ('confirmed', 'closed')) ORDER BY t.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let turns = sqlx::query(
            "SELECT conversation_id, text FROM turns WHERE speaker = 'customer' \
             AND conversation_id IN (SELECT conversation_id FROM tickets WHERE category IS NOT NULL) ORDER BY conversation_id, seq",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut customer_text: std::collections::HashMap<String, String> = std::collections::HashMap::new();
        for row in &turns {
            let text = customer_text.entry(row.try_get("conversation_id")?).or_default();
            text.push_str(&row.try_get::<String, _>("text")?);
            text.push('\n');
        }
        rows.iter()
            .map(|row| {
                let conversation: Option<String> = row.try_get("conversation_id")?;
                let text = match conversation.and_then(|c| customer_text.get(&c).cloned()) {
                    Some(text) => text,
                    None => format!("{}\n{}", row.try_get::<String, _>("title")?, row.try_get::<String, _>("body")?),
                };
                Ok(LabelledText { text, category: row.try_get("category")?, team: row.try_get("team")? })
            })
            .collect()
    }

    async fn confirmations_since(&self, since: Millis) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(DISTINCT ticket_id) FROM ticket_events WHERE action IN ('confirmed', 'corrected') AND at > $1",
        )
        .bind(since)
        .fetch_one(&self.pool)
        .await?)
    }

    async fn save_model(&self, model: &ModelRecord, data: &[u8]) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        if model.active {
            sqlx::query("UPDATE models SET active = 0 WHERE kind = $1").bind(&model.kind).execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO models (id, kind, version, created_at, created_by, examples, metrics, active, data) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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

    async fn active_model(&self, kind: &str) -> Result<Option<(ModelRecord, Vec<u8>)>> {
        let row = sqlx::query(&format!("SELECT {MODEL_COLUMNS}, data FROM models WHERE kind = $1 AND active = 1"))
            .bind(kind)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| Ok((model_from_row(&row)?, row.try_get::<Vec<u8>, _>("data")?))).transpose()
    }

    async fn activate_model(&self, id: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let kind: Option<String> =
            sqlx::query_scalar("SELECT kind FROM models WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
        let kind = kind.ok_or_else(|| StoreError::NotFound(format!("model {id:?}")))?;
        sqlx::query("UPDATE models SET active = 0 WHERE kind = $1").bind(&kind).execute(&mut *tx).await?;
        sqlx::query("UPDATE models SET active = 1 WHERE id = $1").bind(id).execute(&mut *tx).await?;
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
        let mut tx = self.pool.begin().await?;
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

    async fn add_knowledge_feedback(&self, feedback: &KnowledgeFeedback) -> Result<()> {
        sqlx::query(
            "INSERT INTO knowledge_feedback (id, item_id, user_id, verdict, query, conversation_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
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
}

impl SqlStore {
    async fn turns(&self, conversation_id: &str) -> Result<Vec<Turn>> {
        let rows =
            sqlx::query("SELECT speaker, text, start_ms, end_ms, audio_ref FROM turns WHERE conversation_id = $1 ORDER BY seq")
                .bind(conversation_id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|row| {
                Ok(Turn {
                    speaker: parse::<Speaker>(&row.try_get::<String, _>("speaker")?, "speaker")?,
                    text: row.try_get("text")?,
                    start_ms: row.try_get("start_ms")?,
                    end_ms: row.try_get("end_ms")?,
                    audio_ref: row.try_get("audio_ref")?,
                })
            })
            .collect()
    }

    async fn conversation_visible(&self, scope: &Scope, id: &str) -> Result<bool> {
        let mut w = Where::new();
        w.and("id = ?", &[id.to_string()])?;
        w.scope(scope, "agent")?;
        let n: i64 = sqlx::query_scalar_with(&format!("SELECT COUNT(*) FROM conversations{}", w.sql()), w.args()?)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }
}
