//! Schema versions, applied in order at start, written once for both databases (`for_backend`
//! spells the one type that differs). Never edit an applied entry: add a new one.

pub(crate) const MIGRATIONS: &[(i64, &str)] =
    &[(1, V1), (2, V2), (3, V3), (4, V4), (5, V5), (6, V6), (7, V7), (8, V8), (9, V9), (10, V10)];

/// The type names the two dialects spell differently: PostgreSQL calls a BLOB a BYTEA, and each
/// has its own counter column.
pub(crate) fn for_backend(ddl: &str, backend: &str) -> String {
    if backend == "postgres" {
        ddl.replace(" BLOB ", " BYTEA ").replace(" COUNTER_KEY", " BIGSERIAL PRIMARY KEY")
    } else {
        ddl.replace(" COUNTER_KEY", " INTEGER PRIMARY KEY AUTOINCREMENT")
    }
}

/// Statements a migration runs after its DDL (and after [`crate::sql`] filled in what SQL cannot
/// compute), whole: trigger bodies hold semicolons.
pub(crate) fn after(version: i64, backend: &str) -> Vec<&'static str> {
    match (version, backend) {
        (4, "postgres") => vec![
            "CREATE UNIQUE INDEX users_by_username_key ON users (username_key)",
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$",
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log \
             FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
        ],
        (4, _) => vec![
            "CREATE UNIQUE INDEX users_by_username_key ON users (username_key)",
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log \
             BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
             BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        ],
        _ => Vec::new(),
    }
}

/// Guided flows as walked in a conversation (one row per conversation and flow, the walk as
/// JSON); erased with the conversation.
const V10: &str = r#"
CREATE TABLE flow_walks (
    conversation_id TEXT NOT NULL,
    flow_id TEXT NOT NULL,
    revision BIGINT NOT NULL,
    walk TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, flow_id)
)
"#;

/// Drafts: a user's unsaved work (an after-call form half filled), kept across navigation and
/// devices until it is submitted; erased with the conversation it is about.
const V9: &str = r#"
CREATE TABLE drafts (
    user_id TEXT NOT NULL,
    key TEXT NOT NULL,
    conversation_id TEXT,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX drafts_conversation ON drafts (conversation_id)
"#;

/// Model candidates: when a version was last made active (`NULL`: a candidate never activated).
/// Every version before this one was activated when it was trained.
const V8: &str = r#"
ALTER TABLE models ADD COLUMN activated_at BIGINT;
UPDATE models SET activated_at = created_at
"#;

/// Learning: the case library (one case per conversation, with its curation), training
/// assignments and role-play sessions.
const V7: &str = r#"
CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    category TEXT,
    strength_milli BIGINT NOT NULL,
    cluster_size BIGINT NOT NULL,
    mined TEXT NOT NULL,
    mined_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    items TEXT NOT NULL,
    teaching_point TEXT NOT NULL,
    curated_by TEXT,
    curated_at BIGINT
);
CREATE INDEX cases_status ON cases (status, strength_milli);
CREATE TABLE training_assignments (
    id TEXT PRIMARY KEY,
    agent TEXT NOT NULL,
    case_id TEXT NOT NULL,
    item_id TEXT,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX training_assignments_agent ON training_assignments (agent);
CREATE TABLE training_sessions (
    id TEXT PRIMARY KEY,
    trainee TEXT NOT NULL,
    case_id TEXT NOT NULL,
    assignment_id TEXT,
    started_at BIGINT NOT NULL,
    ended_at BIGINT,
    turn_count BIGINT NOT NULL,
    score_tenths BIGINT,
    state TEXT NOT NULL
);
CREATE INDEX training_sessions_trainee ON training_sessions (trainee, started_at);
"#;

/// Quality inspection: scorecard versions, inspections (one per conversation and scorecard
/// version; scores in tenths), inspectors' reviews, agents' disputes, history batches.
const V6: &str = r#"
CREATE TABLE scorecards (
    id TEXT NOT NULL,
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (id, version)
);
CREATE TABLE inspections (
    conversation_id TEXT NOT NULL,
    scorecard_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    agent TEXT,
    started_at BIGINT NOT NULL,
    score_tenths BIGINT NOT NULL,
    critical_failed BIGINT NOT NULL,
    inspected_at BIGINT NOT NULL,
    result TEXT NOT NULL,
    PRIMARY KEY (conversation_id, scorecard_id, version)
);
CREATE INDEX inspections_agent ON inspections (agent);
CREATE INDEX inspections_scorecard ON inspections (scorecard_id, version);
CREATE TABLE inspection_reviews (
    seq COUNTER_KEY,
    conversation_id TEXT NOT NULL,
    scorecard_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    item_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    automatic TEXT NOT NULL,
    reason TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX inspection_reviews_conversation ON inspection_reviews (conversation_id);
CREATE TABLE inspection_disputes (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    scorecard_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    item_id TEXT NOT NULL,
    agent TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    answer TEXT,
    answered_by TEXT,
    answered_at BIGINT
);
CREATE INDEX inspection_disputes_conversation ON inspection_disputes (conversation_id);
CREATE TABLE inspection_batches (
    scorecard_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    after_id TEXT,
    done BIGINT NOT NULL,
    total BIGINT NOT NULL,
    status TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    PRIMARY KEY (scorecard_id, version)
);
"#;

/// Live conversations: the last sequence number applied (NULL for conversations that were imported).
const V5: &str = r#"
ALTER TABLE conversations ADD COLUMN live_seq BIGINT;
"#;

/// Folded unique usernames, scoped and expiring API tokens, the audit log, one vote per user per
/// knowledge item, erasure by customer.
const V4: &str = r#"
ALTER TABLE users ADD COLUMN username_key TEXT;
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'write';
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
CREATE TABLE audit_log (
    seq COUNTER_KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    client TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
DELETE FROM knowledge_feedback WHERE EXISTS (
    SELECT 1 FROM knowledge_feedback later
    WHERE later.item_id = knowledge_feedback.item_id AND later.user_id = knowledge_feedback.user_id
      AND (later.created_at > knowledge_feedback.created_at
           OR (later.created_at = knowledge_feedback.created_at AND later.id > knowledge_feedback.id))
);
CREATE UNIQUE INDEX knowledge_feedback_one_vote ON knowledge_feedback (item_id, user_id);
CREATE INDEX conversations_customer ON conversations (customer_id);
"#;

/// Agents' verdicts on knowledge cards.
const V3: &str = r#"
CREATE TABLE knowledge_feedback (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    verdict TEXT NOT NULL,
    query TEXT NOT NULL,
    conversation_id TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX knowledge_feedback_item ON knowledge_feedback (item_id);
"#;

/// Model versions, settings and dispatch rules.
const V2: &str = r#"
CREATE TABLE models (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    examples BIGINT NOT NULL,
    metrics TEXT NOT NULL,
    active BIGINT NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (kind, version)
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE dispatch_rules (
    id TEXT PRIMARY KEY,
    position BIGINT NOT NULL,
    rule TEXT NOT NULL
);
"#;

const V1: &str = r#"
CREATE TABLE teams (
    code TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    dispatch BIGINT NOT NULL
);
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    team TEXT,
    password_hash TEXT NOT NULL,
    active BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE TABLE taxonomy (
    code TEXT PRIMARY KEY,
    parent TEXT REFERENCES taxonomy(code),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    depth BIGINT NOT NULL,
    team TEXT,
    search_text TEXT NOT NULL
);
CREATE INDEX taxonomy_parent ON taxonomy(parent);
CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    external_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    queue TEXT,
    agent TEXT,
    customer_id TEXT,
    language TEXT,
    started_at BIGINT NOT NULL,
    ended_at BIGINT,
    audio_ref TEXT,
    attributes TEXT NOT NULL,
    turn_count BIGINT NOT NULL,
    preview TEXT NOT NULL,
    search_text TEXT NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX conversations_agent ON conversations(agent, started_at);
CREATE INDEX conversations_started ON conversations(started_at);
CREATE TABLE turns (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    seq BIGINT NOT NULL,
    speaker TEXT NOT NULL,
    text TEXT NOT NULL,
    start_ms BIGINT,
    end_ms BIGINT,
    audio_ref TEXT,
    PRIMARY KEY (conversation_id, seq)
);
CREATE TABLE tickets (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    external_id TEXT NOT NULL,
    conversation_id TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT REFERENCES taxonomy(code),
    team TEXT,
    priority TEXT NOT NULL,
    summary TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    attributes TEXT NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX tickets_conversation ON tickets(conversation_id);
CREATE INDEX tickets_category ON tickets(category);
CREATE TABLE ticket_events (
    ticket_id TEXT NOT NULL REFERENCES tickets(id),
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    field TEXT,
    old_value TEXT,
    new_value TEXT,
    PRIMARY KEY (ticket_id, seq)
);
CREATE TABLE knowledge (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    category TEXT,
    language TEXT,
    tags TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    body TEXT NOT NULL,
    search_text TEXT NOT NULL,
    UNIQUE (kind, key)
);
CREATE TABLE knowledge_versions (
    id TEXT NOT NULL,
    version BIGINT NOT NULL,
    item TEXT NOT NULL,
    PRIMARY KEY (id, version)
);
"#;
