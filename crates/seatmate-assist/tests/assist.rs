#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Knowledge assist on a real store: live cards follow the customer, feedback moves rankings,
//! similar cases come from resolved tickets and never the conversation itself, rebuilds report
//! progress, and an edit is searchable by the next query.

use std::sync::Arc;

use seatmate_assist::{live_query, Assist, KnowledgeEdit, LiveQuery, Verdict};
use seatmate_core::{
    Channel, Clock, Conversation, KnowledgeBody, KnowledgeItem, Millis, Priority, Speaker, Ticket, TicketStatus, Turn,
};
use seatmate_store::{prelude::*, NewUser, Scope, SqlStore};

struct FixedClock;
impl Clock for FixedClock {
    fn now_millis(&self) -> Millis {
        1_700_000_000_000
    }
}

fn faq(id: &str, questions: &[&str], answer: &str) -> KnowledgeItem {
    KnowledgeItem {
        id: id.into(),
        key: id.into(),
        title: questions[0].into(),
        category: None,
        language: Some("zh".into()),
        tags: vec![],
        version: 1,
        updated_at: 0,
        updated_by: "test".into(),
        body: KnowledgeBody::Faq { questions: questions.iter().map(|q| q.to_string()).collect(), answer: answer.into() },
    }
}

fn turn(speaker: Speaker, text: &str) -> Turn {
    Turn { speaker, text: text.into(), start_ms: None, end_ms: None, audio_ref: None }
}

fn conversation(id: &str, turns: Vec<Turn>) -> Conversation {
    Conversation {
        id: id.into(),
        external_id: id.into(),
        source: "test".into(),
        channel: Channel::Chat,
        queue: None,
        agent: Some("agent01".into()),
        customer_id: None,
        language: Some("zh".into()),
        started_at: 0,
        ended_at: Some(1),
        audio_ref: None,
        attributes: Default::default(),
        turns,
    }
}

fn ticket(id: &str, conversation: &str, title: &str, status: TicketStatus, source: &str) -> Ticket {
    Ticket {
        id: id.into(),
        external_id: id.into(),
        source: source.into(),
        conversation_id: Some(conversation.into()),
        title: title.into(),
        body: title.into(),
        category: Some("BILL".into()),
        team: None,
        priority: Priority::Normal,
        summary: String::new(),
        status,
        created_at: 0,
        updated_at: 0,
        attributes: Default::default(),
    }
}

/// Whether the sentence encoder's model file is there; without it a test that needs it says it
/// was skipped and returns.
fn has_model(test: &str) -> bool {
    seatmate_embed::model_for_test(test).unwrap().is_some()
}

async fn setup() -> (Arc<dyn Store>, Arc<Assist>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqlStore::open(&format!("sqlite://{}", dir.path().join("s.db").display())).await.unwrap();
    store
        .upsert_knowledge(&[
            faq("roaming", &["出国怎么开通国际漫游？", "国际漫游怎么开"], "发送 KTMY 到 10086 即可开通。"),
            faq("suspend", &["欠费停机了怎么恢复？"], "充值到账后 30 分钟内自动复机。"),
            faq("port", &["携号转网怎么办理？"], "发送 CXXZ 查询资格，再到营业厅办理。"),
        ])
        .await
        .unwrap();
    let taxonomy = vec![seatmate_core::TaxonomyNode {
        code: "BILL".into(),
        parent: None,
        name_zh: "账单".into(),
        name_en: "Billing".into(),
        depth: 1,
        team: None,
    }];
    store.upsert_taxonomy(&taxonomy, &|_| {}).await.unwrap();
    store
        .import_conversations(
            &[
                conversation(
                    "c-solved",
                    vec![turn(Speaker::Customer, "我手机欠费停机了，怎么恢复"), turn(Speaker::Agent, "已为您充值，半小时内复机")],
                ),
                conversation(
                    "c-draft",
                    vec![turn(Speaker::Customer, "欠费停机了能不能先开机"), turn(Speaker::Agent, "请先充值")],
                ),
                conversation(
                    "c-live",
                    vec![
                        turn(Speaker::Customer, "你好"),
                        turn(Speaker::Agent, "您好，请问有什么可以帮您？"),
                        turn(Speaker::Customer, "我下周去日本，想开通国际漫游"),
                        turn(Speaker::Agent, "好的"),
                        turn(Speaker::Customer, "另外我的手机欠费停机了怎么办"),
                    ],
                ),
            ],
            &|_| {},
        )
        .await
        .unwrap();
    store.create_ticket(&ticket("t1", "c-solved", "欠费停机复机", TicketStatus::Confirmed, "seatmate"), "agent01").await.unwrap();
    store.create_ticket(&ticket("t2", "c-draft", "欠费停机", TicketStatus::Draft, "seatmate"), "agent01").await.unwrap();
    for (name, team) in [("agent01", "T1"), ("agent02", "T2")] {
        let user = NewUser {
            username: name.into(),
            display_name: name.into(),
            role: seatmate_core::Role::Agent,
            team: Some(team.into()),
            password_hash: String::new(),
        };
        store.create_user(&user, 0).await.unwrap();
    }
    let store: Arc<dyn Store> = Arc::new(store);
    let assist = Assist::start(store.clone(), Arc::new(FixedClock), Some(dir.path())).await.unwrap();
    (store, assist, dir)
}

#[test]
fn the_live_query_follows_the_customers_need_and_passes_over_procedure() {
    let c = conversation(
        "c",
        vec![
            turn(Speaker::Agent, "您好，星海通信，请问有什么可以帮您？"),
            turn(Speaker::Customer, "我家宽带从昨晚开始一直断网"),
            turn(Speaker::Agent, "请提供机主姓名和身份证后六位"),
            turn(Speaker::Customer, "是我本人，后六位是123456"),
            turn(Speaker::Agent, "好的，正在为您查询"),
            turn(Speaker::Customer, "光猫的灯一直闪红灯"),
            turn(Speaker::Customer, "好的，没有其他问题了，谢谢"),
            turn(Speaker::Customer, "另外我想开通国际漫游，下周去日本出差"),
            turn(Speaker::Customer, "嗯嗯好的"),
        ],
    );
    let at = |upto| live_query(&c, Some(upto));
    assert_eq!(at(1).text, "我家宽带从昨晚开始一直断网");
    assert_eq!(at(1).topic_turn, Some(1));
    assert_eq!(at(3), LiveQuery { upto_turn: Some(3), ..at(1) }, "an identity check does not move the cards");
    assert_eq!(at(5).text, "我家宽带从昨晚开始一直断网 光猫的灯一直闪红灯", "the need, then the latest detail");
    assert_eq!(at(6).text, at(5).text, "a closing does not move the cards");
    let roaming = at(7);
    assert_eq!(roaming.text, "另外我想开通国际漫游，下周去日本出差", "a new topic");
    assert_eq!(roaming.topic_turn, Some(7));
    assert_eq!(at(8).text, roaming.text);
    assert_eq!(live_query(&c, Some(99)).upto_turn, Some(8));
    // an ended conversation viewed whole: what the customer came for
    assert_eq!(live_query(&c, None).text, "我家宽带从昨晚开始一直断网");
    let ongoing = Conversation { ended_at: None, ..c.clone() };
    assert_eq!(live_query(&ongoing, None).text, roaming.text);
    // Traditional and English procedure is passed over too
    let t = conversation(
        "t",
        vec![
            turn(Speaker::Customer, "My home internet keeps dropping every evening"),
            turn(Speaker::Customer, "Last four digits are 1234, date of birth 1 May"),
            turn(Speaker::Customer, "是我本人，身份證後六位是654321"),
        ],
    );
    assert_eq!(live_query(&t, Some(2)).text, "My home internet keeps dropping every evening");
    let empty = live_query(&conversation("e", vec![turn(Speaker::Customer, "好的谢谢")]), None);
    assert_eq!((empty.text.as_str(), empty.topic_turn), ("", None));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_cards_follow_the_customer_and_cases_come_from_resolved_tickets() {
    if !has_model("live_cards_follow_the_customer_and_cases_come_from_resolved_tickets") {
        return;
    }
    let (store, assist, _dir) = setup().await;
    let info = assist.info();
    assert_eq!(info.items, 3);
    assert_eq!(info.cases, 1, "only the confirmed ticket's conversation is a solved case");
    assert!(info.encoder.is_some(), "{:?}", info.encoder_unavailable);

    let early = assist.live_cards(&Scope::All, "c-live", Some(2), 3).await.unwrap();
    assert_eq!(early.knowledge[0].id, "roaming", "{:?}", early.knowledge);
    let late = assist.live_cards(&Scope::All, "c-live", Some(4), 3).await.unwrap();
    assert!(late.query.contains("欠费停机"));
    assert_eq!(late.knowledge[0].id, "suspend");
    assert_eq!(late.cases.len(), 1);
    assert_eq!(late.cases[0].case.case.conversation_id, "c-solved");
    assert!(late.cases[0].case.case.resolution.contains("复机"));

    let own = assist.live_cards(&Scope::All, "c-solved", Some(0), 3).await.unwrap();
    assert!(own.cases.iter().all(|c| c.case.case.conversation_id != "c-solved"), "a conversation is not its own similar case");
    let hidden = assist.live_cards(&Scope::Agent("agent02".into()), "c-live", Some(4), 3).await.unwrap_err();
    assert_eq!(hidden.kind(), seatmate_core::ErrorKind::NotFound, "another agent's conversation is not there");
    drop(store);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_text_is_read_only_by_those_whose_scope_covers_the_case() {
    let (_store, assist, _dir) = setup().await;
    let question = "手机欠费停机了".to_string();
    let as_seen = |scope: Scope| {
        let assist = assist.clone();
        let question = question.clone();
        async move { assist.ask(&scope, question, 3).await.unwrap().cases }
    };
    let whole = as_seen(Scope::All).await;
    assert_eq!(whole.len(), 1);
    assert!(whole[0].visible && whole[0].case.case.resolution.contains("复机"));
    let own = as_seen(Scope::Agent("agent01".into())).await;
    assert!(own[0].visible, "the agent who handled it");
    let lead = as_seen(Scope::Team("T1".into())).await;
    assert!(lead[0].visible, "the lead of that agent's team");
    for scope in [Scope::Agent("agent02".into()), Scope::Team("T2".into())] {
        let other = as_seen(scope.clone()).await;
        let case = &other[0].case;
        assert!(!other[0].visible, "{scope:?}");
        assert!(
            case.case.summary.is_empty()
                && case.case.problem.is_empty()
                && case.case.resolution.is_empty()
                && case.case.title.is_empty()
                && case.passage.is_empty()
                && case.case.agent.is_none()
                && case.case.conversation_id.is_empty(),
            "{scope:?} sees only category, team and score: {case:?}"
        );
        assert_eq!(case.case.category.as_deref(), Some("BILL"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feedback_moves_later_rankings_and_bad_verdicts_are_refused() {
    if !has_model("feedback_moves_later_rankings_and_bad_verdicts_are_refused") {
        return;
    }
    let (_store, assist, _dir) = setup().await;
    let query = "手机不能用了".to_string();
    let before = assist.search(query.clone(), 3).await.unwrap();
    let target = before.last().unwrap().clone();
    for _ in 0..3 {
        assist.feedback(&Scope::All, &target.id, "u1", Verdict::Used, &query, None).await.unwrap();
    }
    let after = assist.search(query.clone(), 3).await.unwrap();
    let moved = after.iter().find(|h| h.id == target.id).unwrap();
    assert!(moved.score > target.score, "{} → {}", target.score, moved.score);
    assert!(moved.feedback > 0.0);

    let err = assist.feedback(&Scope::All, "no-such-item", "u1", Verdict::Used, &query, None).await.unwrap_err();
    assert_eq!(err.kind(), seatmate_core::ErrorKind::NotFound);
    let elsewhere = Scope::Agent("agent02".into());
    let err = assist.feedback(&elsewhere, &target.id, "u2", Verdict::Used, &query, Some("c-live")).await.unwrap_err();
    assert_eq!(err.kind(), seatmate_core::ErrorKind::NotFound, "feedback from a conversation the caller cannot see");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_and_feedback_during_a_rebuild_reach_the_new_index() {
    let (_store, assist, _dir) = setup().await;
    let query = "手机不能用了".to_string();
    let before = assist.search(query.clone(), 3).await.unwrap();
    let target = before.last().unwrap().clone();
    let during = {
        let assist = assist.clone();
        let target = target.id.clone();
        let query = query.clone();
        async move {
            // the new indices are built from what the store held before these arrived
            let mut edit = KnowledgeEdit {
                title: "携号转网".into(),
                body: KnowledgeBody::Faq {
                    questions: vec!["如何办理携号转网".into(), "换运营商号码不变怎么弄".into()],
                    answer: "带身份证到营业厅办理。".into(),
                },
                category: None,
                tags: vec![],
            };
            edit.tags.push("edited-during-rebuild".into());
            assist.edit_item("port", edit, "admin").await.unwrap();
            for _ in 0..3 {
                assist.feedback(&Scope::All, &target, "u1", Verdict::Used, &query, None).await.unwrap();
            }
        }
    };
    assist.rebuild_around(during).await.unwrap();
    let hits = assist.search("换运营商号码不变怎么弄".into(), 1).await.unwrap();
    assert_eq!(hits[0].id, "port", "the edit made during the rebuild is in the new index");
    let after = assist.search(query, 3).await.unwrap();
    let moved = after.iter().find(|h| h.id == target.id).unwrap();
    assert!(moved.feedback > 0.0, "feedback given during the rebuild weighs in the new index");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_are_checked_and_kept_as_versions() {
    let (store, assist, _dir) = setup().await;
    let faq = |title: &str, category: Option<&str>| KnowledgeEdit {
        title: title.into(),
        body: KnowledgeBody::Faq { questions: vec!["如何办理携号转网".into()], answer: "营业厅".into() },
        category: category.map(Into::into),
        tags: vec![],
    };
    let err = assist.edit_item("port", faq("  ", None), "admin").await.unwrap_err();
    assert_eq!(err.kind(), seatmate_core::ErrorKind::InvalidInput);
    let err = assist.edit_item("port", faq("携号转网", Some("NO-SUCH-CODE")), "admin").await.unwrap_err();
    assert!(err.to_string().contains("NO-SUCH-CODE"), "{err}");
    let article = KnowledgeEdit { body: KnowledgeBody::Article { markdown: "# x".into() }, ..faq("携号转网", None) };
    assert!(assist.edit_item("port", article, "admin").await.is_err(), "an FAQ stays an FAQ");
    let err = assist.edit_item("nope", faq("x", None), "admin").await.unwrap_err();
    assert_eq!(err.kind(), seatmate_core::ErrorKind::NotFound);
    let saved = assist.edit_item("port", faq("携号转网（新）", Some("BILL")), "admin").await.unwrap();
    assert_eq!(saved.version, 2);
    assert_eq!(saved.updated_by, "admin");
    assert_eq!(store.knowledge_history("port").await.unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_is_found_by_the_next_query_and_a_rebuild_reports_progress() {
    if !has_model("an_edit_is_found_by_the_next_query_and_a_rebuild_reports_progress") {
        return;
    }
    let (store, assist, _dir) = setup().await;
    let mut item = store.knowledge_item("port").await.unwrap().unwrap();
    if let KnowledgeBody::Faq { questions, .. } = &mut item.body {
        questions.push("换运营商号码不变怎么弄".into());
    }
    store.upsert_knowledge(std::slice::from_ref(&item)).await.unwrap();
    assist.index_items(vec![item]).await.unwrap();
    let hits = assist.search("换运营商号码不变怎么弄".into(), 3).await.unwrap();
    assert_eq!(hits[0].id, "port");

    let status = assist.start_rebuild().unwrap();
    assert_eq!(status.state, "running");
    assert!(assist.start_rebuild().is_err(), "one rebuild at a time");
    let mut status = assist.rebuild_status();
    for _ in 0..200 {
        if status.state != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        status = assist.rebuild_status();
    }
    assert_eq!(status.state, "done", "{status:?}");
    assert!(status.total > 0 && status.done == status.total, "{status:?}");
    assert_eq!(assist.info().items, 3);
    assert_eq!(assist.search("换运营商号码不变怎么弄".into(), 1).await.unwrap()[0].id, "port");
}
