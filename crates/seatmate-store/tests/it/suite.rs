use seatmate_core::{
    AuditAction, AuditEntry, Channel, KnowledgeBody, KnowledgeKind, Role, Speaker, Team, TicketStatus, TokenScope, Turn,
};
use seatmate_store::prelude::*;
use seatmate_store::{
    AuditFilter, ConversationFilter, ImportCounts, KnowledgeFilter, NewApiToken, Scope, SqlStore, StoreError, TicketChanges,
    TicketFilter,
};

use crate::{conversation, faq, filter, no_progress, node, ticket, user};

pub async fn migrations_are_idempotent(store: &SqlStore) {
    // opening ran the migrations; running them again neither fails nor touches the data
    store.upsert_taxonomy(&[node("BB", None, "宽带", 1)], &no_progress).await.unwrap();
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    let counts = store.counts(&Scope::All).await.unwrap();
    assert_eq!((counts.taxonomy_nodes, counts.conversations), (1, 0));
}

pub async fn users_sessions_and_tokens(store: &SqlStore) {
    let alice = store.create_user(&user("alice", Role::Agent, Some("T1")), 1).await.unwrap();
    assert!(matches!(store.create_user(&user("alice", Role::Admin, None), 2).await, Err(StoreError::Conflict(_))));
    let (found, hash) = store.user_by_username("alice").await.unwrap().unwrap();
    assert_eq!((found.role, hash.as_str()), (Role::Agent, "hash"));

    store.create_session("s1", &alice.id, 10, 100).await.unwrap();
    assert_eq!(store.session_user("s1", 50).await.unwrap().unwrap().username, "alice");
    assert!(store.session_user("s1", 100).await.unwrap().is_none(), "expired sessions are refused");
    store.delete_session("s1").await.unwrap();
    assert!(store.session_user("s1", 50).await.unwrap().is_none());

    store.create_session("s2", &alice.id, 10, 100).await.unwrap();
    store.set_password("alice", "new").await.unwrap();
    assert!(store.session_user("s2", 50).await.unwrap().is_none(), "a new password ends sessions");

    let token = |name: &'static str, hash: &'static str, scope, expires_at| NewApiToken {
        name,
        user_id: &alice.id,
        token_hash: hash,
        scope,
        expires_at,
    };
    let crm = store.create_api_token(&token("crm", "th", TokenScope::Write, None), 5).await.unwrap();
    let (user, scope) = store.api_token_user("th", 6).await.unwrap().unwrap();
    assert_eq!((user.username.as_str(), scope), ("alice", TokenScope::Write));
    assert_eq!(store.list_api_tokens().await.unwrap()[0].last_used_at, Some(6));
    store.revoke_api_token(&crm.id, 7).await.unwrap();
    assert!(store.api_token_user("th", 8).await.unwrap().is_none());
    assert!(store.list_api_tokens().await.unwrap().is_empty());

    store.create_api_token(&token("report", "tr", TokenScope::Read, Some(100)), 5).await.unwrap();
    assert_eq!(store.api_token_user("tr", 99).await.unwrap().unwrap().1, TokenScope::Read);
    assert!(store.api_token_user("tr", 100).await.unwrap().is_none(), "expired tokens are refused");
}

pub async fn usernames_are_unique_by_case_and_width(store: &SqlStore) {
    store.create_user(&user("Admin", Role::Admin, None), 1).await.unwrap();
    for twin in ["admin", "ＡＤＭＩＮ", " ADMIN "] {
        assert!(matches!(store.create_user(&user(twin, Role::Agent, None), 2).await, Err(StoreError::Conflict(_))), "{twin}");
    }
    let (found, _) = store.user_by_username("ａｄｍｉｎ").await.unwrap().unwrap();
    assert_eq!(found.username, "Admin", "the name keeps the spelling it was created with");
    store.set_password("ADMIN", "new").await.unwrap();
    assert_eq!(store.user_by_username("admin").await.unwrap().unwrap().1, "new");
}

pub async fn deactivated_users_lose_sessions_and_tokens(store: &SqlStore) {
    let bob = store.create_user(&user("bob", Role::Agent, Some("T1")), 1).await.unwrap();
    store.create_session("s", &bob.id, 1, 1_000).await.unwrap();
    let token = NewApiToken { name: "t", user_id: &bob.id, token_hash: "tb", scope: TokenScope::Read, expires_at: None };
    store.create_api_token(&token, 1).await.unwrap();
    assert!(!store.set_user_active("BOB", false).await.unwrap().active);
    assert!(store.session_user("s", 2).await.unwrap().is_none());
    assert!(store.api_token_user("tb", 2).await.unwrap().is_none());
    assert!(store.set_user_active("bob", true).await.unwrap().active);
    assert!(store.api_token_user("tb", 3).await.unwrap().is_some(), "tokens work again once reactivated");
    assert!(matches!(store.set_user_active("nobody", false).await, Err(StoreError::NotFound(_))));
}

pub async fn the_audit_log_only_grows(store: &SqlStore) {
    let entry = |at: i64, action: AuditAction| AuditEntry {
        seq: 0,
        at,
        actor: "alice".into(),
        action,
        target: "c1".into(),
        detail: String::new(),
        client: "10.0.0.1".into(),
    };
    store.append_audit(&entry(1, AuditAction::Login)).await.unwrap();
    store.append_audit(&entry(2, AuditAction::ConversationRead)).await.unwrap();
    store.append_audit(&entry(3, AuditAction::ConversationRead)).await.unwrap();
    let all = store.audit_log(&AuditFilter { limit: 10, ..AuditFilter::default() }).await.unwrap();
    assert_eq!(all.iter().map(|e| e.at).collect::<Vec<_>>(), [3, 2, 1], "newest first");
    assert!(all[0].seq > all[1].seq);
    let reads = AuditFilter { action: Some(AuditAction::ConversationRead), limit: 1, ..AuditFilter::default() };
    let page = store.audit_log(&reads).await.unwrap();
    assert_eq!(page[0].at, 3);
    let next = store.audit_log(&AuditFilter { before_seq: Some(page[0].seq), ..reads }).await.unwrap();
    assert_eq!(next[0].at, 2);
    // the database itself refuses to change or remove an entry
    assert!(sqlx::query("UPDATE audit_log SET actor = 'mallory'").execute(store.pool()).await.is_err());
    assert!(sqlx::query("DELETE FROM audit_log").execute(store.pool()).await.is_err());
    assert_eq!(store.audit_log(&AuditFilter { limit: 10, ..AuditFilter::default() }).await.unwrap().len(), 3);
}

pub async fn a_customer_is_erased_everywhere_in_the_store(store: &SqlStore) {
    store.upsert_taxonomy(&[node("BB", None, "宽带", 1)], &no_progress).await.unwrap();
    let mut mine = conversation("c1", "agent01", &[("customer", "我的身份证号是110101199003077777")]);
    mine.customer_id = Some("cust-9".into());
    let mut other = conversation("c2", "agent01", &[("customer", "网断了")]);
    other.customer_id = Some("cust-1".into());
    store.import_conversations(&[mine, other], &no_progress).await.unwrap();
    store
        .import_tickets(&[], &[ticket("t1", Some("id-c1"), Some("BB")), ticket("t2", Some("id-c2"), Some("BB"))], &no_progress)
        .await
        .unwrap();
    store
        .update_ticket("t-t1", &TicketChanges { summary: Some("客户地址…".into()), ..TicketChanges::default() }, "agent01", 5)
        .await
        .unwrap();
    let vote = seatmate_store::KnowledgeFeedback {
        id: "f1".into(),
        item_id: "faq-a".into(),
        user_id: "u1".into(),
        verdict: "used".into(),
        query: "身份证".into(),
        conversation_id: Some("id-c1".into()),
        created_at: 1,
    };
    store.add_knowledge_feedback(&vote).await.unwrap();
    let draft = |key: &str, conversation: &str| seatmate_store::Draft {
        key: key.into(),
        conversation_id: Some(conversation.into()),
        body: serde_json::json!({ "summary": "客户地址…" }),
        updated_at: 1,
    };
    store.save_draft("u1", &draft("ticket:t-t1", "id-c1")).await.unwrap();
    store.save_draft("u1", &draft("ticket:t-t2", "id-c2")).await.unwrap();
    for conversation in ["id-c1", "id-c2"] {
        store.save_flow_walk(&walk(conversation, 0, &["s1"])).await.unwrap();
    }

    let removed = store.erase_customer("cust-9").await.unwrap();
    assert!(store.flow_walks("id-c1").await.unwrap().is_empty(), "a walk goes with its conversation");
    assert_eq!(store.flow_walks("id-c2").await.unwrap().len(), 1);
    assert!(store.draft("u1", "ticket:t-t1").await.unwrap().is_none(), "a draft goes with its conversation");
    assert!(store.draft("u1", "ticket:t-t2").await.unwrap().is_some());
    assert_eq!((removed.conversations, removed.tickets, removed.feedback), (1, 1, 1));
    assert!(store.conversation(&Scope::All, "id-c1").await.unwrap().is_none());
    assert!(store.ticket(&Scope::All, "t-t1").await.unwrap().is_none());
    assert!(store.knowledge_feedback_counts().await.unwrap().is_empty());
    assert!(store.conversation(&Scope::All, "id-c2").await.unwrap().is_some(), "other customers stay");
    let again = store.erase_customer("cust-9").await.unwrap();
    assert_eq!((again.conversations, again.tickets), (0, 0));
}

pub async fn retention_removes_old_records_only(store: &SqlStore) {
    store.upsert_taxonomy(&[node("BB", None, "宽带", 1)], &no_progress).await.unwrap();
    let mut old = conversation("c1", "agent01", &[("customer", "旧的")]);
    old.started_at = 100;
    let mut new = conversation("c2", "agent01", &[("customer", "新的")]);
    new.started_at = 10_000;
    store.import_conversations(&[old, new], &no_progress).await.unwrap();
    let mut loose = ticket("t3", None, Some("BB"));
    loose.updated_at = 50;
    let mut recent = ticket("t2", Some("id-c2"), Some("BB"));
    recent.updated_at = 10_000;
    store.import_tickets(&[], &[ticket("t1", Some("id-c1"), Some("BB")), recent, loose], &no_progress).await.unwrap();
    let removed = store.remove_older_than(Some(5_000), None).await.unwrap();
    assert_eq!((removed.conversations, removed.tickets), (1, 1), "a conversation goes with its ticket");
    assert!(store.ticket(&Scope::All, "t-t3").await.unwrap().is_some(), "tickets stay without a ticket limit");
    let removed = store.remove_older_than(None, Some(60)).await.unwrap();
    assert_eq!((removed.conversations, removed.tickets), (0, 1));
    assert!(store.conversation(&Scope::All, "id-c2").await.unwrap().is_some());
}

pub async fn taxonomy_tree_and_unknown_parent(store: &SqlStore) {
    let nodes = vec![
        node("BB", None, "宽带", 1),
        node("BB.FAULT", Some("BB"), "故障报修", 2),
        node("BB.FAULT.LOS", Some("BB.FAULT"), "光信号中断", 3),
    ];
    let counts = store.upsert_taxonomy(&nodes, &no_progress).await.unwrap();
    assert_eq!(counts, ImportCounts { inserted: 3, updated: 0, unchanged: 0 });
    let again = store.upsert_taxonomy(&nodes, &no_progress).await.unwrap();
    assert_eq!(again.unchanged, 3);
    let mut renamed = nodes.clone();
    renamed[1].name_en = "Faults".into();
    let counts = store.upsert_taxonomy(&renamed, &no_progress).await.unwrap();
    assert_eq!(counts, ImportCounts { inserted: 0, updated: 1, unchanged: 2 });
    assert_eq!(store.taxonomy_node("BB.FAULT").await.unwrap().unwrap().name_en, "Faults");

    let roots = store.taxonomy_children(None).await.unwrap();
    assert_eq!((roots.len(), roots[0].child_count), (1, 1));
    let path = store.taxonomy_path("BB.FAULT.LOS").await.unwrap();
    assert_eq!(path.iter().map(|n| n.code.as_str()).collect::<Vec<_>>(), ["BB", "BB.FAULT", "BB.FAULT.LOS"]);
    assert_eq!(store.search_taxonomy("光信号", 10).await.unwrap()[0].code, "BB.FAULT.LOS");

    // a node under a parent that does not exist fails, and the nodes before it in the batch are not kept
    let bad = vec![node("MOB", None, "移动业务", 1), node("X.Y", Some("X"), "无父节点", 2)];
    let err = store.upsert_taxonomy(&bad, &no_progress).await.unwrap_err();
    assert!(err.to_string().contains("unknown parent"), "{err}");
    assert!(store.taxonomy_node("MOB").await.unwrap().is_none());
}

pub async fn conversations_import_once_and_respect_scope(store: &SqlStore) {
    store.create_user(&user("agent01", Role::Agent, Some("T1")), 1).await.unwrap();
    store.create_user(&user("agent05", Role::Agent, Some("T2")), 1).await.unwrap();
    store.create_user(&user("lead01", Role::TeamLead, Some("T1")), 1).await.unwrap();
    let batch = vec![
        conversation("c1", "agent01", &[("agent", "您好"), ("customer", "我家宽带断了")]),
        conversation("c22", "agent05", &[("customer", "My bill is wrong")]),
    ];
    let counts = store.import_conversations(&batch, &no_progress).await.unwrap();
    assert_eq!(counts.inserted, 2);
    let again = store.import_conversations(&batch, &no_progress).await.unwrap();
    assert_eq!((again.inserted, again.unchanged), (0, 2));

    let agent = Scope::Agent("agent01".into());
    let mine = store.list_conversations(&agent, &filter()).await.unwrap();
    assert_eq!(mine.total, 1);
    assert_eq!(mine.items[0].preview, "我家宽带断了");
    assert!(store.conversation(&agent, "id-c22").await.unwrap().is_none(), "another agent's conversation is invisible");
    let own = store.conversation(&agent, "id-c1").await.unwrap().unwrap();
    assert_eq!(own.turns.len(), 2);
    assert_eq!(own, batch[0]);

    let team = Scope::Team("T1".into());
    assert_eq!(store.list_conversations(&team, &filter()).await.unwrap().total, 1);
    assert_eq!(store.list_conversations(&Scope::All, &filter()).await.unwrap().total, 2);
    let exported = store.conversations_batch(None, 10).await.unwrap();
    assert_eq!(exported.len(), 2);
    assert!(store.conversations_batch(Some(&exported[1].id), 10).await.unwrap().is_empty());
}

pub async fn conversation_search_finds_chinese_and_english(store: &SqlStore) {
    let batch = vec![
        conversation("s1", "a", &[("customer", "我的 5G 套餐 DATA 用完了")]),
        conversation("s2", "a", &[("customer", "100% sure_thing")]),
    ];
    store.import_conversations(&batch, &no_progress).await.unwrap();
    let find = |text: &str| {
        let text = text.to_string();
        async move {
            store
                .list_conversations(&Scope::All, &seatmate_store::ConversationFilter { text: Some(text), ..filter() })
                .await
                .unwrap()
                .total
        }
    };
    assert_eq!(find("套餐").await, 1);
    assert_eq!(find("data").await, 1, "search ignores case");
    assert_eq!(find("%").await, 1, "wildcards are literal");
    assert_eq!(find("1_0").await, 0, "an underscore is literal too");
    let by_channel = store
        .list_conversations(&Scope::All, &seatmate_store::ConversationFilter { channel: Some(Channel::Voice), ..filter() })
        .await
        .unwrap();
    assert_eq!(by_channel.total, 0);
}

pub async fn conversation_search_matches_any_spelling(store: &SqlStore) {
    let batch = vec![
        conversation("t1", "a", &[("customer", "我要開通國際漫遊")]),
        conversation("t2", "a", &[("customer", "漫游费太贵了")]),
        conversation("t3", "a", &[("customer", "请帮我查话费")]),
    ];
    store.import_conversations(&batch, &no_progress).await.unwrap();
    let find = |text: &str, spellings: &[&str]| {
        let filter = seatmate_store::ConversationFilter {
            text: Some(text.to_string()),
            text_spellings: spellings.iter().map(|s| s.to_string()).collect(),
            ..filter()
        };
        async move { store.list_conversations(&Scope::All, &filter).await.unwrap().total }
    };
    assert_eq!(find("漫游", &[]).await, 1, "without spellings only the text as typed");
    assert_eq!(find("漫游", &["漫遊"]).await, 2, "any spelling matches");
    assert_eq!(find("漫遊", &["漫游", "漫遊"]).await, 2, "a repeated spelling counts once");
    assert_eq!(find("开通", &["開通", "%"]).await, 1, "each spelling's wildcards are literal");
    let scoped = seatmate_store::ConversationFilter {
        text: Some("漫游".into()),
        text_spellings: vec!["漫遊".into()],
        agent: Some("nobody".into()),
        ..filter()
    };
    assert_eq!(
        store.list_conversations(&Scope::All, &scoped).await.unwrap().total,
        0,
        "the spellings stay inside the other conditions"
    );
}

pub async fn ticket_with_unknown_category_leaves_store_unchanged(store: &SqlStore) {
    store.upsert_taxonomy(&[node("BB", None, "宽带", 1)], &no_progress).await.unwrap();
    let tickets = vec![ticket("t1", None, Some("BB")), ticket("t2", None, Some("NOPE"))];
    let err = store.import_tickets(&[], &tickets, &no_progress).await.unwrap_err();
    assert!(err.to_string().contains("unknown taxonomy path"), "{err}");
    assert_eq!(store.list_tickets(&Scope::All, &TicketFilter { limit: 10, ..Default::default() }).await.unwrap().total, 0);

    // with the missing node created in the same call, the batch goes in whole, once
    let counts = store.import_tickets(&[node("NOPE", None, "新建", 1)], &tickets, &no_progress).await.unwrap();
    assert_eq!(counts.inserted, 2);
    assert_eq!(store.import_tickets(&[], &tickets, &no_progress).await.unwrap().unchanged, 2);
    let (_, events) = store.ticket(&Scope::All, "t-t1").await.unwrap().unwrap();
    assert_eq!(events[0].action, "created");
}

pub async fn tickets_are_visible_through_their_conversation(store: &SqlStore) {
    store.import_conversations(&[conversation("c1", "agent01", &[("customer", "hi")])], &no_progress).await.unwrap();
    store.import_tickets(&[], &[ticket("t1", Some("id-c1"), None), ticket("t2", None, None)], &no_progress).await.unwrap();
    let mine =
        store.list_tickets(&Scope::Agent("agent01".into()), &TicketFilter { limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(mine.total, 1);
    assert!(store.ticket(&Scope::Agent("agent02".into()), "t-t1").await.unwrap().is_none());
    assert!(store.ticket(&Scope::Agent("agent01".into()), "t-t2").await.unwrap().is_none());
    assert_eq!(store.counts(&Scope::Agent("agent01".into())).await.unwrap().tickets, 1);
}

pub async fn knowledge_keeps_versions(store: &SqlStore) {
    assert_eq!(store.upsert_knowledge(&[faq("f1", "带身份证到营业厅办理")]).await.unwrap().inserted, 1);
    assert_eq!(store.upsert_knowledge(&[faq("f1", "带身份证到营业厅办理")]).await.unwrap().unchanged, 1);
    assert_eq!(store.upsert_knowledge(&[faq("f1", "可在线上办理")]).await.unwrap().updated, 1);
    let item = store.knowledge_item("k-f1").await.unwrap().unwrap();
    assert_eq!(item.version, 2);
    assert!(matches!(&item.body, KnowledgeBody::Faq { answer, .. } if answer == "可在线上办理"));
    assert_eq!(store.knowledge_history("k-f1").await.unwrap().len(), 2);
    let found = store
        .list_knowledge(&KnowledgeFilter {
            kind: Some(KnowledgeKind::Faq), text: Some("携號轉網".into()), limit: 10, offset: 0
        })
        .await
        .unwrap();
    assert_eq!(found.total, 1);
}

pub async fn teams_upsert(store: &SqlStore) {
    let team = Team { code: "NET".into(), name_zh: "网络维护组".into(), name_en: "Network".into(), dispatch: true };
    assert_eq!(store.upsert_teams(std::slice::from_ref(&team)).await.unwrap().inserted, 1);
    assert_eq!(store.upsert_teams(std::slice::from_ref(&team)).await.unwrap().unchanged, 1);
    assert_eq!(store.list_teams().await.unwrap(), vec![team]);
}

pub async fn tickets_are_confirmed_and_corrected_with_history(store: &SqlStore) {
    use seatmate_core::{Priority, TicketStatus};
    use seatmate_store::TicketChanges;
    store.upsert_taxonomy(&[node("BB", None, "宽带", 1), node("BILL", None, "账单", 1)], &no_progress).await.unwrap();
    store.create_ticket(&ticket("n1", None, Some("BB")), "agent01").await.unwrap();
    assert!(matches!(store.create_ticket(&ticket("n1", None, Some("BB")), "agent01").await, Err(StoreError::Conflict(_))));

    let confirm = TicketChanges { category: Some("BB".into()), status: Some(TicketStatus::Confirmed), ..Default::default() };
    let t = store.update_ticket("t-n1", &confirm, "agent01", 10).await.unwrap();
    assert_eq!(t.status, TicketStatus::Confirmed);
    let correct = TicketChanges { category: Some("BILL".into()), priority: Some(Priority::Urgent), ..Default::default() };
    let t = store.update_ticket("t-n1", &correct, "lead01", 20).await.unwrap();
    assert_eq!((t.category.as_deref(), t.priority), (Some("BILL"), Priority::Urgent));
    let (_, events) = store.ticket(&Scope::All, "t-n1").await.unwrap().unwrap();
    let actions: Vec<(&str, Option<&str>)> = events.iter().map(|e| (e.action.as_str(), e.field.as_deref())).collect();
    assert_eq!(
        actions,
        [("created", None), ("confirmed", None), ("corrected", Some("category")), ("corrected", Some("priority"))]
    );
    assert_eq!(events[2].old_value.as_deref(), Some("BB"));
    assert_eq!(store.confirmations_since(15).await.unwrap(), 1);
    // confirming the same ticket again brings the classifier nothing new
    let again = TicketChanges { status: Some(TicketStatus::Confirmed), ..Default::default() };
    store.update_ticket("t-n1", &again, "agent01", 25).await.unwrap();
    store.update_ticket("t-n1", &again, "agent01", 26).await.unwrap();
    assert_eq!(store.confirmations_since(22).await.unwrap(), 0);
    // a summary written where there was none is added, not corrected; rewriting it corrects it
    let add = TicketChanges { summary: Some("客户已缴费".into()), ..Default::default() };
    store.update_ticket("t-n1", &add, "agent01", 27).await.unwrap();
    let rewrite =
        TicketChanges { summary: Some("客户已补缴话费".into()), priority: Some(Priority::Low), ..Default::default() };
    store.update_ticket("t-n1", &rewrite, "agent01", 28).await.unwrap();
    let (_, events) = store.ticket(&Scope::All, "t-n1").await.unwrap().unwrap();
    let actions: Vec<(&str, Option<&str>)> = events[6..].iter().map(|e| (e.action.as_str(), e.field.as_deref())).collect();
    assert_eq!(
        actions,
        [
            ("confirmed", None),
            ("summary_added", Some("summary")),
            ("corrected", Some("priority")),
            ("corrected", Some("summary"))
        ]
    );
    assert_eq!(events[7].new_value.as_deref(), Some("客户已缴费"));
    // kept and added to: an addition too
    let append = TicketChanges { summary: Some("客户已补缴话费。已短信告知".into()), ..Default::default() };
    store.update_ticket("t-n1", &append, "agent01", 29).await.unwrap();
    let (_, events) = store.ticket(&Scope::All, "t-n1").await.unwrap().unwrap();
    assert_eq!(events.last().map(|e| e.action.as_str()), Some("summary_added"));
    let bad = TicketChanges { category: Some("NOPE".into()), ..Default::default() };
    assert!(store.update_ticket("t-n1", &bad, "x", 30).await.is_err());
    assert!(matches!(store.update_ticket("t-zz", &confirm, "x", 30).await, Err(StoreError::NotFound(_))));
}

pub async fn labelled_texts_prefer_the_customers_words(store: &SqlStore) {
    store.upsert_taxonomy(&[node("BB", None, "宽带", 1)], &no_progress).await.unwrap();
    store
        .import_conversations(&[conversation("c1", "agent01", &[("agent", "您好"), ("customer", "网断了")])], &no_progress)
        .await
        .unwrap();
    store
        .import_tickets(&[], &[ticket("t1", Some("id-c1"), Some("BB")), ticket("t2", None, Some("BB"))], &no_progress)
        .await
        .unwrap();
    let mut draft = ticket("t3", None, Some("BB"));
    draft.source = "seatmate".into();
    draft.status = seatmate_core::TicketStatus::Draft;
    store.create_ticket(&draft, "agent01").await.unwrap();
    let texts = store.labelled_texts().await.unwrap();
    assert_eq!(texts.len(), 2, "an unconfirmed pre-fill is not training data");
    assert_eq!(texts[0].text, "网断了");
    assert_eq!(texts[1].text, "宽带断网\n客户家里宽带无法上网");
    store
        .update_ticket(
            "t-t3",
            &seatmate_store::TicketChanges { status: Some(seatmate_core::TicketStatus::Confirmed), ..Default::default() },
            "agent01",
            5,
        )
        .await
        .unwrap();
    assert_eq!(store.labelled_texts().await.unwrap().len(), 3, "once confirmed, it is");
}

pub async fn models_keep_versions_and_roll_back(store: &SqlStore) {
    use seatmate_store::ModelRecord;
    let record = |version: i64, active: bool| ModelRecord {
        id: format!("m{version}"),
        kind: "classify".into(),
        version,
        created_at: version,
        created_by: "admin".into(),
        examples: 10,
        metrics: serde_json::json!({ "accuracy": 0.9 }),
        active,
        bytes: 0,
        activated_at: None,
    };
    assert!(store.active_model("classify").await.unwrap().is_none());
    store.save_model(&record(1, true), &[1, 2, 3]).await.unwrap();
    store.save_model(&record(2, true), &[4, 5]).await.unwrap();
    let (active, bytes) = store.active_model("classify").await.unwrap().unwrap();
    assert_eq!((active.version, bytes), (2, vec![4, 5]));
    store.activate_model("m1", 100).await.unwrap();
    assert_eq!(store.active_model("classify").await.unwrap().unwrap().1, vec![1, 2, 3]);
    let versions = store.list_models("classify").await.unwrap();
    assert_eq!(versions.iter().map(|m| (m.version, m.active)).collect::<Vec<_>>(), [(2, false), (1, true)]);
    assert_eq!(
        versions.iter().map(|m| m.activated_at).collect::<Vec<_>>(),
        [Some(2), Some(100)],
        "saved active, then rolled back to"
    );
    assert!(matches!(store.activate_model("m404", 101).await, Err(StoreError::NotFound(_))));
    assert_eq!(versions[0].metrics["accuracy"], 0.9);
    assert_eq!(versions.iter().map(|m| m.bytes).collect::<Vec<_>>(), [2, 3], "sizes are shown to the admin");

    // pruning keeps the active version and the newest others
    for version in 3..=6 {
        store.save_model(&record(version, false), &[0; 10]).await.unwrap();
    }
    let pruned = store.prune_models("classify", 2).await.unwrap();
    assert_eq!(pruned.iter().map(|m| m.version).collect::<Vec<_>>(), [4, 3, 2]);
    let kept = store.list_models("classify").await.unwrap();
    assert_eq!(kept.iter().map(|m| (m.version, m.active)).collect::<Vec<_>>(), [(6, false), (5, false), (1, true)]);
    assert_eq!(kept[0].activated_at, None, "a version saved inactive is a candidate, never activated");
    store.activate_model("m6", 200).await.unwrap();
    assert_eq!(store.list_models("classify").await.unwrap()[0].activated_at, Some(200));
}

pub async fn settings_and_dispatch_rules(store: &SqlStore) {
    assert_eq!(store.setting("auto_accept_precision").await.unwrap(), None);
    store.set_setting("auto_accept_precision", "0.95").await.unwrap();
    store.set_setting("auto_accept_precision", "0.9").await.unwrap();
    assert_eq!(store.setting("auto_accept_precision").await.unwrap().as_deref(), Some("0.9"));
    store.set_dispatch_rules(&["{\"a\":1}".into(), "{\"b\":2}".into()]).await.unwrap();
    store.set_dispatch_rules(&["{\"c\":3}".into()]).await.unwrap();
    assert_eq!(store.dispatch_rules().await.unwrap(), ["{\"c\":3}"]);
}

pub async fn knowledge_feedback_is_counted_per_item(store: &SqlStore) {
    let verdict = |id: &str, item: &str, verdict: &str| seatmate_store::KnowledgeFeedback {
        id: id.into(),
        item_id: item.into(),
        user_id: "u1".into(),
        verdict: verdict.into(),
        query: "套餐".into(),
        conversation_id: None,
        created_at: 1,
    };
    assert!(store.knowledge_feedback_counts().await.unwrap().is_empty());
    store.add_knowledge_feedback(&verdict("f1", "faq-a", "used")).await.unwrap();
    store.add_knowledge_feedback(&verdict("f2", "faq-a", "used")).await.unwrap();
    store.add_knowledge_feedback(&verdict("f4", "faq-b", "unhelpful")).await.unwrap();
    store
        .add_knowledge_feedback(&seatmate_store::KnowledgeFeedback { user_id: "u2".into(), ..verdict("f5", "faq-a", "used") })
        .await
        .unwrap();
    let counts = store.knowledge_feedback_counts().await.unwrap();
    let pairs: Vec<(&str, u32, u32)> = counts.iter().map(|c| (c.item_id.as_str(), c.used, c.unhelpful)).collect();
    assert_eq!(pairs, [("faq-a", 2, 0), ("faq-b", 0, 1)], "one vote per user per item");
    // a user who changes their mind replaces their vote
    store.add_knowledge_feedback(&verdict("f6", "faq-a", "unhelpful")).await.unwrap();
    let counts = store.knowledge_feedback_counts().await.unwrap();
    assert_eq!((counts[0].used, counts[0].unhelpful), (1, 1));
}

pub async fn labelled_texts_are_what_the_classifier_reads(store: &SqlStore) {
    store.upsert_taxonomy(&[node("BB", None, "宽带", 1)], &no_progress).await.unwrap();
    let talk = conversation(
        "c1",
        "agent01",
        &[("agent", "您好"), ("customer", "  网断了 "), ("agent", "请稍等"), ("customer", "光猫红灯\n一直闪")],
    );
    let silent = conversation("c2", "agent01", &[("agent", "您好，请问还在吗"), ("agent", "稍后回访")]);
    store.import_conversations(&[talk.clone(), silent.clone()], &no_progress).await.unwrap();
    let mut own = ticket("t3", None, Some("BB"));
    own.title = " 宽带断网 ".into();
    own.body = "\n".into();
    let tickets = [ticket("t1", Some("id-c1"), Some("BB")), ticket("t2", Some("id-c2"), Some("BB")), own.clone()];
    store.import_tickets(&[], &tickets, &no_progress).await.unwrap();

    let texts: Vec<String> = store.labelled_texts().await.unwrap().into_iter().map(|t| t.text).collect();
    let first = store.conversation(&Scope::All, "id-c1").await.unwrap().unwrap();
    let second = store.conversation(&Scope::All, "id-c2").await.unwrap().unwrap();
    assert_eq!(texts, [first.classifier_text(), second.classifier_text(), own.classifier_text()]);
    assert_eq!(texts[0], talk.classifier_text());
    assert_eq!(texts[0], "网断了\n光猫红灯\n一直闪");
    assert_eq!(texts[1], silent.classifier_text(), "without the customer's words, every turn");
    assert_eq!(texts[2], "宽带断网");
}

/// Every source and status: a ticket teaches the classifier exactly when `Ticket::is_resolved`.
pub async fn labelled_texts_follow_the_resolved_rule(store: &SqlStore) {
    store.upsert_taxonomy(&[node("BB", None, "宽带", 1)], &no_progress).await.unwrap();
    let mut tickets = Vec::new();
    for source in [seatmate_core::SEATMATE_SOURCE, "import"] {
        for &status in TicketStatus::ALL {
            for category in [Some("BB"), None] {
                let mut t = ticket(&format!("{source}-{status}-{}", category.is_some()), None, category);
                t.source = source.into();
                t.status = status;
                t.title = t.external_id.clone();
                t.body = String::new();
                tickets.push(t);
            }
        }
    }
    for t in &tickets {
        store.create_ticket(t, "agent01").await.unwrap();
    }
    let mut expected: Vec<String> = tickets.iter().filter(|t| t.is_resolved()).map(|t| t.title.clone()).collect();
    expected.sort();
    let mut labelled: Vec<String> = store.labelled_texts().await.unwrap().into_iter().map(|t| t.text).collect();
    labelled.sort();
    assert_eq!(labelled, expected);
    assert_eq!(labelled.len(), TicketStatus::ALL.len() + 2, "imported ones in any status, pre-fills once confirmed or closed");
}

pub async fn resolved_tickets_come_with_their_conversations(store: &SqlStore) {
    store.upsert_taxonomy(&[node("BB", None, "宽带", 1)], &no_progress).await.unwrap();
    let batch = vec![
        conversation("c1", "agent01", &[("customer", "网断了"), ("agent", "已为您重启端口")]),
        conversation("c2", "agent02", &[("customer", "光猫红灯")]),
        conversation("c3", "agent02", &[("customer", "没人回我")]),
    ];
    store.import_conversations(&batch, &no_progress).await.unwrap();
    let mut draft = ticket("t3", Some("id-c3"), Some("BB"));
    draft.source = seatmate_core::SEATMATE_SOURCE.into();
    draft.status = TicketStatus::Draft;
    let tickets = [
        ticket("t1", Some("id-c1"), Some("BB")),
        ticket("t2", Some("id-c2"), Some("BB")),
        draft,
        ticket("t4", None, Some("BB")),
        ticket("t5", Some("id-c2"), None),
    ];
    store.import_tickets(&[], &tickets, &no_progress).await.unwrap();

    let resolved = store.resolved_tickets_with_conversations().await.unwrap();
    let pairs: Vec<(&str, &str)> = resolved.iter().map(|r| (r.ticket.id.as_str(), r.conversation.id.as_str())).collect();
    assert_eq!(pairs, [("t-t1", "id-c1"), ("t-t2", "id-c2")], "no draft, no ticket without a conversation or category");
    assert_eq!(resolved[0].conversation, batch[0], "the whole conversation, turns in order");
    assert_eq!(resolved[0].ticket, tickets[0]);

    let confirm = seatmate_store::TicketChanges { status: Some(TicketStatus::Confirmed), ..Default::default() };
    store.update_ticket("t-t3", &confirm, "agent02", 5).await.unwrap();
    let resolved = store.resolved_tickets_with_conversations().await.unwrap();
    assert_eq!(resolved.len(), 3, "a confirmed pre-fill is a solved case");
    assert_eq!(resolved[2].conversation.turns[0].text, "没人回我");
}

pub async fn ticket_lists_filter_and_page(store: &SqlStore) {
    let nodes = [node("BB", None, "宽带", 1), node("BB.X", Some("BB"), "光猫", 2), node("MOB", None, "移动", 1)];
    store.upsert_taxonomy(&nodes, &no_progress).await.unwrap();
    store.create_user(&user("agent01", Role::Agent, Some("T1")), 1).await.unwrap();
    store.import_conversations(&[conversation("c1", "agent01", &[("customer", "hi")])], &no_progress).await.unwrap();
    let mut tickets = Vec::new();
    for (i, category) in ["BB", "BB.X", "MOB", "BB", "BB"].into_iter().enumerate() {
        let mut t = ticket(&format!("t{i}"), (i < 2).then_some("id-c1"), Some(category));
        t.created_at = i as i64;
        t.title = if i == 3 { "100% Fibre_Down".into() } else { format!("标题 {i}") };
        t.status = if i == 4 { TicketStatus::Closed } else { TicketStatus::Open };
        tickets.push(t);
    }
    store.import_tickets(&[], &tickets, &no_progress).await.unwrap();
    let list = |filter: TicketFilter, scope: Scope| async move {
        let page = store.list_tickets(&scope, &TicketFilter { limit: filter.limit.max(10), ..filter }).await.unwrap();
        (page.total, page.items.into_iter().map(|t| t.external_id).collect::<Vec<_>>())
    };
    let under_bb = TicketFilter { category_prefix: Some("BB".into()), ..Default::default() };
    assert_eq!(list(under_bb.clone(), Scope::All).await, (4, vec!["t4".into(), "t3".into(), "t1".into(), "t0".into()]));
    assert_eq!(list(under_bb, Scope::Team("T1".into())).await.0, 2);
    let closed = TicketFilter { status: Some(TicketStatus::Closed), ..Default::default() };
    assert_eq!(list(closed, Scope::All).await.1, ["t4"]);
    let text = TicketFilter { text: Some("fibre_down".into()), ..Default::default() };
    assert_eq!(list(text, Scope::All).await.1, ["t3"]);
    let wildcard = TicketFilter { text: Some("1_0".into()), ..Default::default() };
    assert_eq!(list(wildcard, Scope::All).await.0, 0, "an underscore is literal");
    let by_conversation = TicketFilter { conversation_id: Some("id-c1".into()), ..Default::default() };
    assert_eq!(list(by_conversation, Scope::Agent("agent01".into())).await.1, ["t1", "t0"]);
    let page = store.list_tickets(&Scope::All, &TicketFilter { limit: 2, offset: 1, ..Default::default() }).await.unwrap();
    assert_eq!((page.total, page.items.iter().map(|t| t.external_id.as_str()).collect::<Vec<_>>()), (5, vec!["t3", "t2"]));
}

pub async fn conversation_lists_filter_by_queue_agent_and_time(store: &SqlStore) {
    let mut batch = vec![
        conversation("a", "agent01", &[("customer", "one")]),
        conversation("bb", "agent02", &[("customer", "two")]),
        conversation("ccc", "agent02", &[("customer", "three")]),
    ];
    batch[2].queue = Some("mobile".into());
    store.import_conversations(&batch, &no_progress).await.unwrap();
    let ids = |filter: seatmate_store::ConversationFilter| async move {
        let page = store.list_conversations(&Scope::All, &filter).await.unwrap();
        (page.total, page.items.into_iter().map(|c| c.external_id).collect::<Vec<_>>())
    };
    let start = batch[0].started_at;
    assert_eq!(ids(seatmate_store::ConversationFilter { agent: Some("agent02".into()), ..filter() }).await.1, ["ccc", "bb"]);
    assert_eq!(ids(seatmate_store::ConversationFilter { queue: Some("mobile".into()), ..filter() }).await.1, ["ccc"]);
    let window = seatmate_store::ConversationFilter { started_from: Some(start + 1), started_to: Some(start + 2), ..filter() };
    assert_eq!(ids(window).await.1, ["bb"]);
    let paged = seatmate_store::ConversationFilter { limit: 1, offset: 2, ..filter() };
    assert_eq!(ids(paged).await, (3, vec!["a".into()]));
}

/// Two people change different fields of one ticket at the same moment: both changes stay, and
/// the history says what the ticket says (a read-then-write without a row lock loses one).
pub async fn concurrent_changes_to_one_ticket_are_all_kept(store: &SqlStore) {
    use seatmate_store::TicketChanges;
    store.upsert_taxonomy(&[node("BB", None, "宽带", 1)], &no_progress).await.unwrap();
    for round in 0..10 {
        let id = format!("c{round}");
        store.create_ticket(&ticket(&id, None, Some("BB")), "agent01").await.unwrap();
        let id = format!("t-{id}");
        let team = TicketChanges { team: Some(format!("TEAM{round}")), ..Default::default() };
        let summary = TicketChanges { summary: Some(format!("summary {round}")), ..Default::default() };
        let (a, b) =
            tokio::join!(store.update_ticket(&id, &team, "lead01", 10), store.update_ticket(&id, &summary, "agent01", 10));
        a.unwrap();
        b.unwrap();
        let (stored, events) = store.ticket(&Scope::All, &id).await.unwrap().unwrap();
        assert_eq!(stored.team, Some(format!("TEAM{round}")), "round {round}: the team change was lost");
        assert_eq!(stored.summary, format!("summary {round}"), "round {round}: the summary change was lost");
        let last_team = events.iter().rev().find(|e| e.field.as_deref() == Some("team")).unwrap();
        assert_eq!(last_team.new_value, stored.team, "round {round}: the history agrees with the ticket");
    }
}

/// Two admins save the same item at the same moment: both versions are kept, numbered in turn.
pub async fn concurrent_knowledge_edits_make_versions_in_turn(store: &SqlStore) {
    store.upsert_knowledge(&[faq("f2", "v1")]).await.unwrap();
    for round in 0..5 {
        let (a, b) = (faq("f2", &format!("a{round}")), faq("f2", &format!("b{round}")));
        let (ra, rb) =
            tokio::join!(store.upsert_knowledge(std::slice::from_ref(&a)), store.upsert_knowledge(std::slice::from_ref(&b)));
        ra.unwrap();
        rb.unwrap();
    }
    let history = store.knowledge_history("k-f2").await.unwrap();
    let mut versions: Vec<i64> = history.iter().map(|i| i.version).collect();
    versions.sort_unstable();
    assert_eq!(versions, (1..=11).collect::<Vec<i64>>(), "every edit is a version of its own");
}

/// Ticket changes (read, then write, in one transaction) racing plain one-statement writes (audit
/// entries, feedback) from other connections: none fails with "database is locked".
pub async fn mixed_concurrent_writes_never_fail(store: &SqlStore) {
    use seatmate_store::TicketChanges;
    store.upsert_taxonomy(&[node("BB", None, "宽带", 1)], &no_progress).await.unwrap();
    for n in 0..4 {
        store.create_ticket(&ticket(&format!("m{n}"), None, Some("BB")), "agent01").await.unwrap();
    }
    let work = (0..8).map(|worker| async move {
        for step in 0..15 {
            let summary = TicketChanges { summary: Some(format!("w{worker}-{step}")), ..Default::default() };
            store.update_ticket(&format!("t-m{}", (worker + step) % 4), &summary, "agent01", step).await.unwrap();
            let entry = AuditEntry {
                seq: 0,
                at: step,
                actor: format!("u{worker}"),
                action: AuditAction::ConversationRead,
                target: "c1".into(),
                detail: String::new(),
                client: "-".into(),
            };
            store.append_audit(&entry).await.unwrap();
            let vote = seatmate_store::KnowledgeFeedback {
                id: format!("f{worker}-{step}"),
                item_id: format!("k{}", step % 3),
                user_id: format!("u{worker}"),
                verdict: "used".into(),
                query: "q".into(),
                conversation_id: None,
                created_at: step,
            };
            store.add_knowledge_feedback(&vote).await.unwrap();
        }
    });
    futures_util::future::join_all(work).await;
    assert_eq!(store.audit_log(&AuditFilter { limit: 1_000, ..AuditFilter::default() }).await.unwrap().len(), 120);
}

/// Live messages apply in sequence, once: a replay is a duplicate, a gap names the number
/// expected, concurrent senders of one number apply it once, and an ended conversation takes no
/// more turns.
pub async fn live_messages_apply_in_order_and_once(store: &SqlStore) {
    use seatmate_store::{LiveOutcome, LiveWrite};
    let turn = |text: &str| Turn { speaker: Speaker::Customer, text: text.into(), start_ms: None, end_ms: None, audio_ref: None };
    let mut live = conversation("L1", "agent01", &[]);
    live.source = "live".into();
    assert_eq!(store.live_state("id-L1").await.unwrap(), None);
    assert_eq!(store.live_write("id-L1", 2, LiveWrite::Turn(&turn("早"))).await.unwrap(), LiveOutcome::Expected(0));
    let applied = LiveOutcome::Applied { turn_index: None };
    assert_eq!(store.live_write("id-L1", 1, LiveWrite::Start(&live)).await.unwrap(), applied);
    assert_eq!(store.live_write("id-L1", 1, LiveWrite::Start(&live)).await.unwrap(), LiveOutcome::Duplicate);
    assert_eq!(store.live_write("id-L1", 3, LiveWrite::Turn(&turn("跳过"))).await.unwrap(), LiveOutcome::Expected(2));

    // eight senders race for each of the next numbers: each number is applied exactly once
    for seq in 2..=6_u64 {
        let said = turn(&format!("第{seq}句 网络断了"));
        let racers = (0..8).map(|_| store.live_write("id-L1", seq, LiveWrite::Turn(&said)));
        let outcomes = futures_util::future::join_all(racers).await;
        let applied = outcomes.iter().filter(|o| matches!(o, Ok(LiveOutcome::Applied { .. }))).count();
        let duplicates = outcomes.iter().filter(|o| matches!(o, Ok(LiveOutcome::Duplicate))).count();
        assert_eq!((applied, duplicates), (1, 7), "seq {seq}: {outcomes:?}");
    }
    assert_eq!(store.live_state("id-L1").await.unwrap(), Some((6, false)));
    let stored = store.conversation(&Scope::All, "id-L1").await.unwrap().unwrap();
    let texts: Vec<&str> = stored.turns.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(texts, ["第2句 网络断了", "第3句 网络断了", "第4句 网络断了", "第5句 网络断了", "第6句 网络断了"]);
    let found =
        store.list_conversations(&Scope::All, &ConversationFilter { text: Some("第4句".into()), ..filter() }).await.unwrap();
    assert_eq!(found.total, 1, "live turns are searchable");

    let ongoing = ConversationFilter { ongoing: true, ..filter() };
    assert_eq!(store.list_conversations(&Scope::All, &ongoing).await.unwrap().total, 1, "live and going on");
    assert_eq!(store.live_write("id-L1", 7, LiveWrite::End { ended_at: 9 }).await.unwrap(), applied);
    assert_eq!(store.list_conversations(&Scope::All, &ongoing).await.unwrap().total, 0, "ended");
    assert_eq!(store.live_write("id-L1", 8, LiveWrite::Turn(&turn("晚了"))).await.unwrap(), LiveOutcome::Ended);
    assert_eq!(store.live_write("id-L1", 7, LiveWrite::End { ended_at: 9 }).await.unwrap(), LiveOutcome::Duplicate);
    assert_eq!(store.live_state("id-L1").await.unwrap(), Some((7, true)));
    // an imported conversation is not live
    store.import_conversations(&[conversation("old", "agent01", &[("customer", "hi")])], &no_progress).await.unwrap();
    assert_eq!(store.live_state("id-old").await.unwrap(), None);
}

pub async fn scorecards_inspections_reviews_and_disputes(store: &SqlStore) {
    use seatmate_store::{Dispute, InspectionBatch, InspectionFilter, ItemReview, StoredInspection};
    store.create_user(&user("agent02", Role::Agent, Some("T2")), 1).await.unwrap();
    store
        .import_conversations(
            &[
                conversation("c1", "agent01", &[("agent", "您好")]),
                conversation("c2", "agent02", &[("agent", "喂")]),
                conversation("c3", "agent01", &[("agent", "hi")]),
            ],
            &no_progress,
        )
        .await
        .unwrap();
    let v1 = store.save_scorecard("card", "Card", "id: card", "qa01", 10).await.unwrap();
    let v2 = store.save_scorecard("card", "Card", "id: card # 2", "qa01", 11).await.unwrap();
    assert_eq!((v1.version, v2.version, v2.status.as_str()), (1, 2, "draft"));
    store.publish_scorecard("card", 1).await.unwrap();
    store.publish_scorecard("card", 2).await.unwrap();
    let statuses: Vec<_> = store.scorecards().await.unwrap().into_iter().map(|c| (c.version, c.status)).collect();
    assert_eq!(statuses, [(2, "published".to_string()), (1, "retired".to_string())]);
    assert!(matches!(store.publish_scorecard("card", 9).await, Err(StoreError::NotFound(_))));

    assert_eq!(store.finished_conversations().await.unwrap(), 3);
    let first = store.uninspected("card", 2, None, 2).await.unwrap();
    assert_eq!(first.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["id-c1", "id-c2"]);
    assert_eq!(first[0].turns[0].text, "您好");
    let inspection = |c: &str, agent: &str, score: f64| StoredInspection {
        conversation_id: c.into(),
        scorecard_id: "card".into(),
        version: 2,
        agent: Some(agent.into()),
        started_at: 5,
        score,
        critical_failed: score == 0.0,
        inspected_at: 20,
        result: serde_json::json!({"items": []}),
    };
    assert!(store.save_inspection(&inspection("id-c1", "agent01", 87.5)).await.unwrap());
    assert!(!store.save_inspection(&inspection("id-c1", "agent01", 10.0)).await.unwrap(), "one inspection per version");
    assert!(store.save_inspection(&inspection("id-c2", "agent02", 0.0)).await.unwrap());
    let left = store.uninspected("card", 2, None, 10).await.unwrap();
    assert_eq!(left.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["id-c3"]);
    assert_eq!(store.uninspected("card", 2, Some("id-c3"), 10).await.unwrap().len(), 0);

    let mine =
        store.inspections(&Scope::Agent("agent01".into()), &InspectionFilter { limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!((mine.total, mine.items[0].score), (1, 87.5));
    let team = store.inspections(&Scope::Team("T2".into()), &InspectionFilter { limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(team.items.iter().map(|i| i.conversation_id.as_str()).collect::<Vec<_>>(), ["id-c2"]);
    let published = InspectionFilter { published_only: true, version: Some(2), limit: 10, ..Default::default() };
    assert_eq!(store.inspections(&Scope::All, &published).await.unwrap().total, 2);

    let review = |outcome: &str, at| ItemReview {
        conversation_id: "id-c2".into(),
        scorecard_id: "card".into(),
        version: 2,
        item_id: "greeting".into(),
        outcome: outcome.into(),
        automatic: "fail".into(),
        reason: "heard it on the call".into(),
        reviewer: "qa01".into(),
        at,
    };
    store.add_review(&review("pass", 30)).await.unwrap();
    store.add_review(&review("fail", 31)).await.unwrap();
    let reviews = store.reviews(&Scope::All, Some("id-c2")).await.unwrap();
    assert_eq!(
        reviews.iter().map(|r| r.outcome.as_str()).collect::<Vec<_>>(),
        ["pass", "fail"],
        "every review is kept, in order"
    );
    assert!(store.reviews(&Scope::Agent("agent01".into()), None).await.unwrap().is_empty());

    let dispute = Dispute {
        id: "d1".into(),
        conversation_id: "id-c2".into(),
        scorecard_id: "card".into(),
        version: 2,
        item_id: "greeting".into(),
        agent: "agent02".into(),
        reason: "I did greet".into(),
        created_at: 40,
        status: "open".into(),
        answer: None,
        answered_by: None,
        answered_at: None,
    };
    store.add_dispute(&dispute).await.unwrap();
    assert_eq!(store.disputes(&Scope::Agent("agent02".into()), None).await.unwrap().len(), 1);
    assert!(store.disputes(&Scope::Agent("agent01".into()), None).await.unwrap().is_empty());
    let answered = store.answer_dispute("d1", "upheld", "yes", "qa01", 41).await.unwrap();
    assert_eq!((answered.status.as_str(), answered.answered_at), ("upheld", Some(41)));
    assert!(matches!(store.answer_dispute("d1", "rejected", "no", "qa01", 42).await, Err(StoreError::Conflict(_))));
    assert!(matches!(store.answer_dispute("nope", "rejected", "no", "qa01", 42).await, Err(StoreError::NotFound(_))));

    let mut batch = InspectionBatch {
        scorecard_id: "card".into(),
        version: 2,
        after: None,
        done: 0,
        total: 3,
        status: "running".into(),
        started_at: 50,
        finished_at: None,
    };
    store.save_batch(&batch).await.unwrap();
    batch.after = Some("id-c2".into());
    batch.done = 2;
    store.save_batch(&batch).await.unwrap();
    assert_eq!(store.batches().await.unwrap(), [batch]);

    // erasing a customer takes their inspections, reviews and disputes with them
    store.remove_older_than(Some(1_800_000_000_000), None).await.unwrap();
    assert_eq!(store.inspections(&Scope::All, &InspectionFilter { limit: 10, ..Default::default() }).await.unwrap().total, 0);
    assert!(store.reviews(&Scope::All, None).await.unwrap().is_empty());
    assert!(store.disputes(&Scope::All, None).await.unwrap().is_empty());
}

pub async fn case_library_assignments_and_sessions(store: &SqlStore) {
    use seatmate_store::{Assignment, CaseFilter, Curation, StoredCase, TrainingSession};
    store.create_user(&user("agent02", Role::Agent, Some("T2")), 1).await.unwrap();
    let case = |id: &str, kind: &str, strength: f64| StoredCase {
        id: id.into(),
        kind: kind.into(),
        category: Some("BILL".into()),
        strength,
        cluster_size: 2,
        mined: serde_json::json!({"reasons": ["turned_around"]}),
        mined_at: 0,
        status: "suggested".into(),
        items: Vec::new(),
        teaching_point: String::new(),
        curated_by: None,
        curated_at: None,
    };
    let first_run = [case("c1", "exemplary", 1.5), case("c2", "problem", 2.25), case("c3", "problem", 0.5)];
    assert_eq!(store.save_mined_cases(&first_run, 100).await.unwrap(), 3);
    let curated = Curation {
        status: "accepted".into(),
        items: vec!["greeting".into(), "empathy".into()],
        teaching_point: "先致歉再解释".into(),
        by: "trainer01".into(),
        at: 150,
    };
    let accepted = store.curate_case("c1", &curated).await.unwrap();
    assert_eq!((accepted.status.as_str(), accepted.items.len()), ("accepted", 2));
    assert!(matches!(store.curate_case("nope", &curated).await, Err(StoreError::NotFound(_))));
    // a second run no longer finds c1 and c3: the curated one stays, the suggested one goes; c2's findings change
    let mut again = case("c2", "problem", 3.0);
    again.mined = serde_json::json!({"reasons": ["low_score"]});
    assert_eq!(store.save_mined_cases(&[again], 200).await.unwrap(), 2);
    let all = store.cases(&CaseFilter { limit: 10, ..CaseFilter::default() }).await.unwrap();
    assert_eq!(all.items.iter().map(|c| (c.id.as_str(), c.strength)).collect::<Vec<_>>(), [("c2", 3.0), ("c1", 1.5)]);
    assert_eq!(all.items[0].mined["reasons"][0], "low_score");
    assert_eq!(all.items[1].teaching_point, "先致歉再解释");
    let tagged = store.cases(&CaseFilter { item: Some("empathy".into()), limit: 10, ..CaseFilter::default() }).await.unwrap();
    assert_eq!(tagged.total, 1);
    let wildcard = store.cases(&CaseFilter { item: Some("empath_".into()), limit: 10, ..CaseFilter::default() }).await.unwrap();
    assert_eq!(wildcard.total, 0, "an item id's characters match literally");
    let suggested =
        store.cases(&CaseFilter { status: Some("suggested".into()), limit: 10, ..CaseFilter::default() }).await.unwrap();
    assert_eq!(suggested.items.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["c2"]);

    let assignment = |id: &str, agent: &str, status: &str| Assignment {
        id: id.into(),
        agent: agent.into(),
        case_id: "c1".into(),
        item_id: Some("empathy".into()),
        reason: "fails empathy more than the team".into(),
        status: status.into(),
        created_by: "trainer01".into(),
        created_at: 300,
        updated_at: 300,
    };
    store.save_assignment(&assignment("a1", "agent01", "suggested")).await.unwrap();
    store.save_assignment(&assignment("a2", "agent02", "assigned")).await.unwrap();
    store.save_assignment(&assignment("a1", "agent01", "assigned")).await.unwrap();
    assert_eq!(store.assignment("a1").await.unwrap().unwrap().status, "assigned");
    let mine = store.assignments(&Scope::Agent("agent01".into()), None).await.unwrap();
    assert_eq!(mine.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["a1"]);
    assert_eq!(store.assignments(&Scope::Team("T2".into()), Some("assigned")).await.unwrap().len(), 1);
    assert_eq!(store.assignments(&Scope::All, Some("done")).await.unwrap().len(), 0);

    let mut session = TrainingSession {
        id: "s1".into(),
        trainee: "agent01".into(),
        case_id: "c1".into(),
        assignment_id: Some("a1".into()),
        started_at: 400,
        ended_at: None,
        turn_count: 0,
        score: None,
        state: serde_json::json!({"turns": []}),
    };
    store.save_session(&session, None).await.unwrap();
    assert!(matches!(store.save_session(&session, None).await, Err(StoreError::Conflict(_))));
    session.turn_count = 2;
    store.save_session(&session, Some(0)).await.unwrap();
    // a stale writer that still thinks there are no turns loses, with a Conflict
    let mut stale = session.clone();
    stale.turn_count = 2;
    assert!(matches!(store.save_session(&stale, Some(0)).await, Err(StoreError::Conflict(_))));
    session.turn_count = 4;
    session.ended_at = Some(500);
    session.score = Some(87.5);
    store.save_session(&session, Some(2)).await.unwrap();
    assert_eq!(store.session("s1").await.unwrap().unwrap(), session);
    assert!(matches!(store.save_session(&session, Some(4)).await, Err(StoreError::Conflict(_))), "an ended session is final");
    assert_eq!(store.sessions(&Scope::Agent("agent01".into()), None, 10).await.unwrap().len(), 1);
    assert_eq!(store.sessions(&Scope::Agent("agent02".into()), None, 10).await.unwrap().len(), 0);
}

pub async fn drafts_are_kept_per_user_until_deleted(store: &SqlStore) {
    let draft = |summary: &str, at| seatmate_store::Draft {
        key: "ticket:t1".into(),
        conversation_id: None,
        body: serde_json::json!({ "summary": summary, "category": "BB.FAULT" }),
        updated_at: at,
    };
    assert!(store.draft("u1", "ticket:t1").await.unwrap().is_none());
    store.save_draft("u1", &draft("宽带断网", 1)).await.unwrap();
    store.save_draft("u1", &draft("宽带断网，已派单", 2)).await.unwrap();
    assert_eq!(store.draft("u1", "ticket:t1").await.unwrap(), Some(draft("宽带断网，已派单", 2)), "the newest replaces");
    assert!(store.draft("u2", "ticket:t1").await.unwrap().is_none(), "another user's drafts are their own");
    store.delete_draft("u1", "ticket:t1").await.unwrap();
    store.delete_draft("u1", "ticket:t1").await.unwrap();
    assert!(store.draft("u1", "ticket:t1").await.unwrap().is_none());
}

fn walk(conversation: &str, revision: i64, steps: &[&str]) -> seatmate_core::FlowWalk {
    seatmate_core::FlowWalk {
        conversation_id: conversation.into(),
        flow_id: "flow-bb".into(),
        flow_version: 1,
        steps: steps
            .iter()
            .map(|s| seatmate_core::WalkedStep { step: s.to_string(), option: None, action: None, turn: None })
            .collect(),
        finished: false,
        updated_by: "agent01".into(),
        updated_at: 1,
        revision,
    }
}

pub async fn flow_walks_are_saved_in_turn(store: &SqlStore) {
    assert!(store.flow_walks("c1").await.unwrap().is_empty());
    let first = store.save_flow_walk(&walk("c1", 0, &["s1"])).await.unwrap();
    assert_eq!(first.revision, 1);
    let again = store.save_flow_walk(&walk("c1", 0, &["s1", "s2"])).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "a second new walk of the same flow: {again:?}");
    let second = store.save_flow_walk(&walk("c1", 1, &["s1", "s2"])).await.unwrap();
    assert_eq!(second.revision, 2);
    let stale = store.save_flow_walk(&walk("c1", 1, &["s1", "s3"])).await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "a stale tab: {stale:?}");
    assert_eq!(store.flow_walks("c1").await.unwrap(), vec![second]);
    assert!(store.flow_walks("c2").await.unwrap().is_empty());
}
