use seatmate_store::SqlStore;

/// A fresh SQLite store in its own temp dir (kept alive by the returned guard).
pub async fn sqlite() -> (SqlStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("seatmate.db").display());
    (SqlStore::open(&url).await.unwrap(), dir)
}

/// A fresh PostgreSQL store in a new schema, or `None` (the test is skipped) without a server.
pub async fn postgres(test: &str) -> Option<SqlStore> {
    let Ok(base) = std::env::var("SEATMATE_TEST_POSTGRES") else {
        println!("skipped: {test} on postgres (SEATMATE_TEST_POSTGRES not set)");
        return None;
    };
    let schema = format!("it_{}", uuid_like());
    let admin = SqlStore::open(&base).await.unwrap();
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(admin.pool()).await.unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    Some(SqlStore::open(&url).await.unwrap())
}

fn uuid_like() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("{:x}_{}", nanos, std::process::id())
}

/// Runs one suite test against every backend available.
macro_rules! conformance {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $name() { let (store, _dir) = crate::backends::sqlite().await; crate::suite::$name(&store).await; })+
        }
        mod postgres {
            $(#[tokio::test] async fn $name() {
                if let Some(store) = crate::backends::postgres(stringify!($name)).await { crate::suite::$name(&store).await; }
            })+
        }
    };
}

conformance!(
    migrations_are_idempotent,
    users_sessions_and_tokens,
    usernames_are_unique_by_case_and_width,
    deactivated_users_lose_sessions_and_tokens,
    the_audit_log_only_grows,
    a_customer_is_erased_everywhere_in_the_store,
    retention_removes_old_records_only,
    taxonomy_tree_and_unknown_parent,
    conversations_import_once_and_respect_scope,
    conversation_search_finds_chinese_and_english,
    conversation_search_matches_any_spelling,
    ticket_with_unknown_category_leaves_store_unchanged,
    tickets_are_visible_through_their_conversation,
    knowledge_keeps_versions,
    teams_upsert,
    tickets_are_confirmed_and_corrected_with_history,
    concurrent_changes_to_one_ticket_are_all_kept,
    mixed_concurrent_writes_never_fail,
    concurrent_knowledge_edits_make_versions_in_turn,
    labelled_texts_prefer_the_customers_words,
    models_keep_versions_and_roll_back,
    settings_and_dispatch_rules,
    knowledge_feedback_is_counted_per_item,
    labelled_texts_are_what_the_classifier_reads,
    labelled_texts_follow_the_resolved_rule,
    resolved_tickets_come_with_their_conversations,
    ticket_lists_filter_and_page,
    conversation_lists_filter_by_queue_agent_and_time,
    live_messages_apply_in_order_and_once,
    scorecards_inspections_reviews_and_disputes,
    case_library_assignments_and_sessions,
    drafts_are_kept_per_user_until_deleted,
    flow_walks_are_saved_in_turn,
);
