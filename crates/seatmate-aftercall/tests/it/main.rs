//! The after-call pipeline on a small workspace written here: train, pre-fill, confirm, correct,
//! retrain, roll back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use seatmate_aftercall::{
    AfterCall, AutoAcceptOff, DispatchRule, DispatchSource, Prefilled, MIN_AUTO_ACCEPT_SUPPORT, MIN_COMPARED_TICKETS,
    MIN_RETRAIN_INTERVAL_MS, RETRAIN_EVERY,
};
use seatmate_core::{Channel, Conversation, Priority, Speaker, TaxonomyNode, Ticket, TicketStatus, Turn};
use seatmate_store::{prelude::*, Scope, SqlStore, TicketChanges};

fn node(code: &str, parent: Option<&str>, team: Option<&str>) -> TaxonomyNode {
    let depth = code.matches('.').count() as i64 + 1;
    TaxonomyNode {
        code: code.into(),
        parent: parent.map(Into::into),
        name_zh: code.into(),
        name_en: code.into(),
        depth,
        team: team.map(Into::into),
    }
}

fn conversation(id: &str, customer: &str) -> Conversation {
    Conversation {
        id: id.into(),
        external_id: id.into(),
        source: "test".into(),
        channel: Channel::Chat,
        queue: None,
        agent: Some("agent01".into()),
        customer_id: None,
        language: None,
        started_at: 1_700_000_000_000,
        ended_at: None,
        audio_ref: None,
        attributes: Default::default(),
        turns: vec![
            Turn { speaker: Speaker::Agent, text: "您好".into(), start_ms: None, end_ms: None, audio_ref: None },
            Turn { speaker: Speaker::Customer, text: customer.into(), start_ms: None, end_ms: None, audio_ref: None },
        ],
    }
}

fn ticket(id: &str, conversation: &str, category: &str, team: &str) -> Ticket {
    Ticket {
        id: id.into(),
        external_id: id.into(),
        source: "test".into(),
        conversation_id: Some(conversation.into()),
        title: String::new(),
        body: String::new(),
        category: Some(category.into()),
        team: Some(team.into()),
        priority: Priority::Normal,
        summary: String::new(),
        status: TicketStatus::Confirmed,
        created_at: 1,
        updated_at: 1,
        attributes: Default::default(),
    }
}

const HISTORY: &[(&str, &str)] = &[
    ("BB.FAULT", "我家宽带断了"),
    ("BB.FAULT", "宽带连不上网"),
    ("BB.FAULT", "光猫红灯上不了网"),
    ("BB.FAULT", "家里网络断线"),
    ("BB.FAULT", "路由器没有网络"),
    ("BB.FAULT", "宽带一直掉线"),
    ("BB.FAULT", "网断了好几次"),
    ("BB.FAULT", "上网很慢还断"),
    ("BILL.QUERY", "这个月话费怎么这么多"),
    ("BILL.QUERY", "账单多扣了钱"),
    ("BILL.QUERY", "我要查话费账单"),
    ("BILL.QUERY", "为什么扣我五十块"),
    ("BILL.QUERY", "话费余额不对"),
    ("BILL.QUERY", "扣费有问题"),
    ("BILL.QUERY", "账单金额错了"),
    ("BILL.QUERY", "乱扣费"),
    ("ROAM.OPEN", "出国怎么开通漫游"),
    ("ROAM.OPEN", "在日本手机没信号"),
    ("ROAM.OPEN", "国际漫游资费多少"),
    ("ROAM.OPEN", "去泰国要开漫游吗"),
    ("ROAM.OPEN", "漫游流量包怎么买"),
    ("ROAM.OPEN", "境外上不了网"),
    ("ROAM.OPEN", "出境用手机"),
    ("ROAM.OPEN", "海外漫游开通"),
];

async fn workspace() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqlStore::open(&format!("sqlite://{}", dir.path().join("s.db").display())).await.unwrap();
    let nodes = vec![
        node("BB", None, Some("NET")),
        node("BB.FAULT", Some("BB"), None),
        node("BILL", None, None),
        node("BILL.QUERY", Some("BILL"), None),
        node("ROAM", None, Some("ROAM")),
        node("ROAM.OPEN", Some("ROAM"), None),
    ];
    store.upsert_taxonomy(&nodes, &|_| {}).await.unwrap();
    let conversations: Vec<Conversation> =
        HISTORY.iter().enumerate().map(|(i, (_, text))| conversation(&format!("h{i}"), text)).collect();
    store.import_conversations(&conversations, &|_| {}).await.unwrap();
    let tickets: Vec<Ticket> = HISTORY
        .iter()
        .enumerate()
        .map(|(i, (category, _))| ticket(&format!("t{i}"), &format!("h{i}"), category, "BILLING"))
        .collect();
    store.import_tickets(&[], &tickets, &|_| {}).await.unwrap();
    (Arc::new(store), dir)
}

#[tokio::test]
async fn suggests_nothing_before_the_first_model() {
    let (store, _dir) = workspace().await;
    let service = AfterCall::start(store).await.unwrap();
    let suggestion = service.suggest("宽带断了").await.unwrap();
    assert_eq!((suggestion.model_version, suggestion.candidates.len()), (None, 0));
}

#[tokio::test]
async fn prefills_confirms_corrects_and_learns_from_corrections() {
    let (store, _dir) = workspace().await;
    let service = AfterCall::start(store.clone()).await.unwrap();
    let v1 = service.train("admin", 10).await.unwrap();
    assert_eq!((v1.version, v1.examples), (1, 24));

    let call = conversation("new1", "家里宽带又断了，我要投诉");
    store.import_conversations(std::slice::from_ref(&call), &|_| {}).await.unwrap();
    let Prefilled { ticket, suggestion, summary } = service.prefill(&Scope::All, &call.id, "agent01", 20).await.unwrap();
    assert_eq!(suggestion.candidates[0].category, "BB.FAULT");
    assert_eq!(suggestion.candidates[0].path.iter().map(|n| n.code.as_str()).collect::<Vec<_>>(), ["BB", "BB.FAULT"]);
    assert_eq!(suggestion.priority, Priority::High, "a complaint is high priority");
    let decision = suggestion.dispatch.clone().unwrap();
    assert_eq!((decision.team.as_str(), decision.source), ("NET", DispatchSource::Taxonomy));
    assert_eq!(ticket.category.as_deref(), Some("BB.FAULT"));
    // the summary quotes the customer's turn, not the agent's greeting, and fills the ticket's
    let problem: Vec<_> = summary.problem.iter().map(|l| (l.turn, l.text.as_str())).collect();
    assert_eq!(problem, [(1, "家里宽带又断了，我要投诉")]);
    assert_eq!(ticket.summary, "问题：家里宽带又断了，我要投诉");
    let again = service.prefill(&Scope::All, &call.id, "agent01", 21).await.unwrap().ticket;
    assert_eq!(again.id, ticket.id, "one ticket per conversation");

    // the agent corrects the category: history records it
    let changes = TicketChanges { category: Some("BILL.QUERY".into()), ..Default::default() };
    let confirmed = service.confirm(&Scope::All, &ticket.id, changes, "agent01", 30).await.unwrap();
    assert_eq!(confirmed.status, TicketStatus::Confirmed);
    let (_, events) = store.ticket(&Scope::All, &ticket.id).await.unwrap().unwrap();
    assert!(events.iter().any(|e| e.action == "corrected" && e.new_value.as_deref() == Some("BILL.QUERY")));

    // a distinctive phrasing, corrected a few times, changes what the next model says
    let odd = "光猫冒烟了";
    let before = service.suggest(odd).await.unwrap().candidates[0].category.clone();
    assert_ne!(before, "ROAM.OPEN");
    for i in 0..4 {
        let c = conversation(&format!("odd{i}"), odd);
        store.import_conversations(std::slice::from_ref(&c), &|_| {}).await.unwrap();
        let t = service.prefill(&Scope::All, &c.id, "agent01", 40).await.unwrap().ticket;
        service
            .confirm(
                &Scope::All,
                &t.id,
                TicketChanges { category: Some("ROAM.OPEN".into()), ..Default::default() },
                "agent01",
                41,
            )
            .await
            .unwrap();
    }
    let v2 = service.train("admin", 50).await.unwrap();
    assert_eq!(v2.version, 2);
    // five changed tickets are too few to show v2 better: it waits as a candidate
    assert!(!v2.active && v2.activated_at.is_none(), "{v2:?}");
    assert_eq!(v2.metrics["comparison"]["tickets"], 5, "{}", v2.metrics);
    assert_eq!(v2.metrics["comparison"]["better"], false);
    assert_eq!(v2.metrics["cross_validation"]["examples"], 29, "every ticket predicted out of fold: {}", v2.metrics);
    assert_eq!(service.suggest(odd).await.unwrap().model_version, Some(1), "the active version answers meanwhile");
    service.activate(&v2.id, 55).await.unwrap();
    assert_eq!(service.suggest(odd).await.unwrap().candidates[0].category, "ROAM.OPEN", "the corrections taught the model");

    // roll back to version 1
    service.activate(&v1.id, 60).await.unwrap();
    let after = service.suggest(odd).await.unwrap();
    assert_eq!((after.model_version, after.candidates[0].category.clone()), (Some(1), before));
}

#[tokio::test]
async fn rules_and_auto_accept_policy() {
    let (store, _dir) = workspace().await;
    let service = AfterCall::start(store).await.unwrap();
    service.train("admin", 10).await.unwrap();
    let rule = DispatchRule {
        name: "漫游投诉".into(),
        category: Some("ROAM".into()),
        min_priority: Some(Priority::High),
        keywords: vec![],
        channel: None,
        hours: None,
        customer_tier: None,
        team: "COMPLAINT".into(),
    };
    service.set_dispatch_rules(std::slice::from_ref(&rule)).await.unwrap();
    let suggestion = service.suggest("在日本漫游没信号，我要投诉").await.unwrap();
    assert_eq!(suggestion.dispatch.unwrap().team, "COMPLAINT");
    let calm = service.suggest("在日本漫游没信号").await.unwrap();
    assert_eq!(calm.dispatch.unwrap().team, "ROAM");
    let picked = service.dispatch_for(&Scope::All, "ROAM.OPEN", None, Some(Priority::High)).await.unwrap().unwrap();
    assert_eq!(picked.team, "COMPLAINT", "a category the agent picked is dispatched by the same rules");
    let picked = service.dispatch_for(&Scope::All, "BB.FAULT", None, None).await.unwrap().unwrap();
    assert_eq!((picked.team.as_str(), picked.source), ("NET", DispatchSource::Taxonomy));
    assert!(service.dispatch_for(&Scope::All, "NOPE", None, None).await.is_err());
    let bad = DispatchRule { category: Some("NOPE".into()), ..rule };
    assert!(service.set_dispatch_rules(&[bad]).await.is_err());

    let hidden = service.prefill(&Scope::Agent("agent09".into()), "h0", "agent09", 60).await.unwrap_err();
    assert_eq!(hidden.kind(), seatmate_core::ErrorKind::NotFound, "another agent's conversation is not there");
    let unknown =
        service.confirm(&Scope::All, "t0", TicketChanges { category: Some("NOPE".into()), ..Default::default() }, "x", 61);
    assert_eq!(unknown.await.unwrap_err().kind(), seatmate_core::ErrorKind::InvalidInput, "a category must be in the taxonomy");

    let policy = service.set_auto_accept_precision(0.9).await.unwrap();
    assert_eq!((policy.precision, policy.model_version), (0.9, Some(1)));
    // two dozen tickets cannot vouch for any precision: auto-accept stays off and says why
    assert!(
        matches!(
            policy.off,
            Some(AutoAcceptOff::TooFewHeldOut { need: MIN_AUTO_ACCEPT_SUPPORT, .. }) | Some(AutoAcceptOff::PrecisionUnreachable)
        ),
        "{policy:?}"
    );
    assert_eq!((policy.threshold, policy.share), (None, 0.0));
    let suggestion = service.suggest("在日本漫游没信号").await.unwrap();
    assert!(!suggestion.auto_accept && suggestion.auto_accept_off.is_some(), "{suggestion:?}");
    assert!(service.set_auto_accept_precision(1.5).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confirmations_past_the_threshold_start_one_training_at_a_time() {
    let (store, _dir) = workspace().await;
    let service = AfterCall::start(store.clone()).await.unwrap();
    service.train("admin", 10).await.unwrap();
    let mut calls = Vec::new();
    for i in 0..(RETRAIN_EVERY as usize + 10) {
        let c = conversation(&format!("burst{i}"), "宽带断了");
        store.import_conversations(std::slice::from_ref(&c), &|_| {}).await.unwrap();
        let t = service.prefill(&Scope::All, &c.id, "agent01", 20).await.unwrap().ticket;
        calls.push(t.id);
    }
    // every confirmation past the threshold sees the count; only one may claim the training
    let confirms = calls.iter().map(|id| {
        let service = service.clone();
        let id = id.clone();
        let later = 10 + MIN_RETRAIN_INTERVAL_MS;
        tokio::spawn(async move { service.confirm(&Scope::All, &id, TicketChanges::default(), "agent01", later).await })
    });
    for confirm in confirms.collect::<Vec<_>>() {
        confirm.await.unwrap().unwrap();
    }
    service.training_idle().await;
    let versions: Vec<i64> =
        store.list_models(seatmate_aftercall::CLASSIFY_MODEL).await.unwrap().iter().map(|m| m.version).collect();
    let mut distinct = versions.clone();
    distinct.dedup();
    assert_eq!(distinct, versions, "no two trainings wrote the same version");
    assert!(versions.len() <= 3, "a burst of confirmations starts one training at a time, not one each: {versions:?}");
    assert!(versions.len() >= 2, "the confirmations past the threshold retrained: {versions:?}");

    // right after a training, more confirmations wait for the interval
    let newest = store.list_models(seatmate_aftercall::CLASSIFY_MODEL).await.unwrap()[0].created_at;
    for id in &calls {
        service
            .confirm(
                &Scope::All,
                id,
                TicketChanges { summary: Some("again".into()), ..Default::default() },
                "agent01",
                newest + 1,
            )
            .await
            .unwrap();
    }
    service.training_idle().await;
    let after = store.list_models(seatmate_aftercall::CLASSIFY_MODEL).await.unwrap().len();
    assert_eq!(after, versions.len(), "no training within {MIN_RETRAIN_INTERVAL_MS} ms of the last");
}

/// Confirmed tickets of `category` on conversations saying `texts` (cycled), changed at `at`.
async fn add_confirmed(store: &Arc<dyn Store>, prefix: &str, category: &str, texts: &[&str], n: usize, at: i64) {
    let conversations: Vec<Conversation> =
        (0..n).map(|i| conversation(&format!("{prefix}{i}"), texts[i % texts.len()])).collect();
    store.import_conversations(&conversations, &|_| {}).await.unwrap();
    let tickets: Vec<Ticket> = (0..n)
        .map(|i| Ticket { updated_at: at, ..ticket(&format!("t-{prefix}{i}"), &format!("{prefix}{i}"), category, "BILLING") })
        .collect();
    store.import_tickets(&[], &tickets, &|_| {}).await.unwrap();
}

#[tokio::test]
async fn a_new_version_replaces_the_active_one_only_when_better_on_the_same_tickets() {
    let (store, _dir) = workspace().await;
    let service = AfterCall::start(store.clone()).await.unwrap();
    let v1 = service.train("admin", 10).await.unwrap();
    assert!(v1.active && v1.metrics["comparison"].is_null(), "the first version is activated: nothing to compare with");
    let cv = &v1.metrics["cross_validation"];
    assert_eq!((cv["folds"].as_u64(), cv["examples"].as_u64()), (Some(2), Some(24)), "{cv}");
    assert!(cv["accuracy"].as_f64().unwrap() < 1.0 + 1e-9 && cv["macro_f1"].is_number(), "{cv}");

    // more of what v1 already files right: the new version is no better, so it stays a candidate
    let broadband = ["宽带又断了", "家里宽带连不上", "光猫红灯宽带断网", "宽带掉线了"];
    add_confirmed(&store, "same", "BB.FAULT", &broadband, MIN_COMPARED_TICKETS + 4, 20).await;
    let v2 = service.train("admin", 30).await.unwrap();
    let comparison = &v2.metrics["comparison"];
    assert_eq!(comparison["tickets"].as_u64(), Some(MIN_COMPARED_TICKETS as u64 + 4), "{comparison}");
    assert_eq!(comparison["against_version"], 1);
    assert!(comparison["candidate_right"].as_u64() <= comparison["active_right"].as_u64(), "{comparison}");
    assert!(!v2.active, "{comparison}");
    assert_eq!(service.suggest("宽带断了").await.unwrap().model_version, Some(1));
    let listed = store.list_models(seatmate_aftercall::CLASSIFY_MODEL).await.unwrap();
    assert_eq!(
        listed.iter().map(|m| (m.version, m.active, m.activated_at.is_some())).collect::<Vec<_>>(),
        [(2, false, false), (1, true, true)]
    );

    // a category v1 has never seen, confirmed often enough: the new version files those tickets
    // and v1 cannot, on the same held-out tickets, so it is activated by itself
    store.upsert_taxonomy(&[node("TV", None, Some("TV")), node("TV.BOX", Some("TV"), None)], &|_| {}).await.unwrap();
    let television = ["电视机顶盒没信号", "IPTV 频道看不了", "机顶盒遥控器没反应", "电视节目卡顿"];
    add_confirmed(&store, "tv", "TV.BOX", &television, MIN_COMPARED_TICKETS, 40).await;
    let v3 = service.train("auto", 50).await.unwrap();
    let comparison = &v3.metrics["comparison"];
    assert_eq!(comparison["better"], true, "{comparison}");
    assert!(comparison["candidate_right"].as_u64() > comparison["active_right"].as_u64(), "{comparison}");
    assert!(v3.active && v3.activated_at == Some(50));
    assert_eq!(service.suggest("机顶盒没信号").await.unwrap().model_version, Some(3));
    // the candidate it overtook stays listed, never activated
    let listed = store.list_models(seatmate_aftercall::CLASSIFY_MODEL).await.unwrap();
    assert_eq!(listed.iter().map(|m| (m.version, m.active)).collect::<Vec<_>>(), [(3, true), (2, false), (1, false)]);
}

#[tokio::test]
async fn runner_ups_carry_probability_and_the_best_comes_with_its_siblings() {
    let (store, _dir) = workspace().await;
    store.upsert_taxonomy(&[node("BB.MOVE", Some("BB"), None)], &|_| {}).await.unwrap();
    add_confirmed(&store, "move", "BB.MOVE", &["搬家宽带移机", "宽带要迁到新家", "新房子装宽带移机"], 8, 5).await;
    let service = AfterCall::start(store.clone()).await.unwrap();
    service.train("admin", 10).await.unwrap();
    for text in ["宽带断了上不了网", "话费余额不对", "今天天气怎么样"] {
        let suggestion = service.suggest(text).await.unwrap();
        assert!(!suggestion.candidates.is_empty(), "{text}");
        assert!(
            suggestion.candidates.iter().skip(1).all(|c| c.probability >= seatmate_classify::CANDIDATE_FLOOR),
            "{text}: runner-ups under the floor are fillers: {:?}",
            suggestion.candidates
        );
    }
    let suggestion = service.suggest("宽带断了上不了网").await.unwrap();
    assert_eq!(suggestion.candidates[0].category, "BB.FAULT");
    let siblings: Vec<&str> = suggestion.siblings.iter().map(|c| c.category.as_str()).collect();
    assert_eq!(siblings, ["BB.MOVE"], "the best path's sibling, with its probability");
    assert!(suggestion.siblings[0].probability > 0.0);
    assert_eq!(suggestion.siblings[0].path.iter().map(|n| n.code.as_str()).collect::<Vec<_>>(), ["BB", "BB.MOVE"]);
}

/// The real sentence encoder with a cache file, counting the texts its engine actually encodes.
struct CountingEncoder {
    encoder: seatmate_embed::Encoder,
    cache: seatmate_embed::EmbeddingCache,
    encoded: std::sync::atomic::AtomicUsize,
}

impl seatmate_aftercall::Encode for CountingEncoder {
    fn encode(&self, texts: &[&str], cached: bool, progress: &mut dyn FnMut(usize)) -> Result<Vec<Vec<f32>>, String> {
        use std::sync::atomic::Ordering;
        let role = seatmate_embed::Role::Query;
        if !cached {
            self.encoded.fetch_add(texts.len(), Ordering::SeqCst);
            return self.encoder.embed_batch(texts, role).map_err(|e| e.to_string());
        }
        let missing = texts.iter().filter(|t| self.cache.get(t, role).is_none()).count();
        self.encoded.fetch_add(missing, Ordering::SeqCst);
        seatmate_embed::embed_through(&self.encoder, &self.cache, texts, role, progress).map_err(|e| e.to_string())
    }

    fn begin_sweep(&self) {
        self.cache.begin_sweep();
    }

    fn forget_unused(&self) {
        self.cache.finish_sweep().unwrap();
    }
}

#[tokio::test]
async fn the_meaning_block_is_added_in_the_background_and_tickets_are_encoded_once() {
    use std::sync::atomic::Ordering;
    let Some(model) = seatmate_embed::model_for_test("the_meaning_block_is_added_in_the_background").unwrap() else { return };
    let (store, dir) = workspace().await;
    let service = AfterCall::start(store.clone()).await.unwrap();
    let v1 = service.train("admin", 10).await.unwrap();
    assert_eq!(v1.metrics["meaning_off"], "no sentence encoder", "{}", v1.metrics);
    assert!(v1.metrics["meaning"].is_null());

    let encoder = seatmate_embed::Encoder::load(&model).unwrap();
    let cache = seatmate_embed::EmbeddingCache::open(&dir.path().join("classifier-vectors.bin"), encoder.dim()).unwrap();
    let counting = Arc::new(CountingEncoder { encoder, cache, encoded: Default::default() });
    service.set_encoder(counting.clone());
    // the words-only version answers while the meaning block trains in the background
    service.add_meaning_in_background(20);
    assert!(service.suggest("宽带断了").await.unwrap().model_version.is_some());
    let started = std::time::Instant::now();
    let v2 = loop {
        let listed = store.list_models(seatmate_aftercall::CLASSIFY_MODEL).await.unwrap();
        if listed.len() == 2 {
            break listed[0].clone();
        }
        assert!(started.elapsed().as_secs() < 300, "no version with the meaning block after 5 minutes");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!((v2.version, v2.created_by.as_str(), v2.examples), (2, "meaning", 24));
    assert_eq!(counting.encoded.load(Ordering::SeqCst), 24, "every ticket encoded once");
    // on 24 tickets the meaning block may or may not pay: either way the version says so, and it
    // replaces the words-only one only when it is more accurate on the same tickets
    let meaning = &v2.metrics["meaning"];
    assert_eq!(meaning.is_null(), v2.metrics["meaning_off"].is_string(), "{}", v2.metrics);
    assert_eq!(v2.active, meaning.is_object(), "{}", v2.metrics);

    // retraining with one more ticket encodes that ticket only
    service.training_idle().await;
    add_confirmed(&store, "new", "ROAM.OPEN", &["去韩国旅游手机能用吗"], 1, 30).await;
    service.train("admin", 40).await.unwrap();
    assert_eq!(counting.encoded.load(Ordering::SeqCst), 25, "the cache spares the 24 encoded before");

    // a suggestion reads the text's meaning when the active version has the block
    let before = counting.encoded.load(Ordering::SeqCst);
    service.suggest("宽带断了").await.unwrap();
    let active_reads_meaning = store
        .list_models(seatmate_aftercall::CLASSIFY_MODEL)
        .await
        .unwrap()
        .iter()
        .any(|m| m.active && m.metrics["meaning"].is_object());
    assert_eq!(counting.encoded.load(Ordering::SeqCst) - before, usize::from(active_reads_meaning));
}
