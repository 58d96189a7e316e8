//! The inspection service on a real store: history batches that resume after a restart and never
//! inspect a conversation twice.

use std::sync::Arc;
use std::time::Duration;

use seatmate_core::{Channel, Clock, Conversation, Millis, Speaker, Turn};
use seatmate_inspect::Inspector;
use seatmate_store::prelude::*;
use seatmate_store::{InspectionBatch, InspectionFilter, Scope, SqlStore};

struct FixedClock;
impl Clock for FixedClock {
    fn now_millis(&self) -> Millis {
        1_800_000_000_000
    }
}

fn conversation(n: usize) -> Conversation {
    let turn = |speaker, text: &str| Turn { speaker, text: text.into(), start_ms: None, end_ms: None, audio_ref: None };
    Conversation {
        id: format!("c{n:04}"),
        external_id: format!("e{n}"),
        source: "test".into(),
        channel: Channel::Chat,
        queue: None,
        agent: Some(if n.is_multiple_of(2) { "agent01" } else { "agent02" }.into()),
        customer_id: None,
        language: Some("zh".into()),
        started_at: n as i64,
        ended_at: Some(n as i64 + 1),
        audio_ref: None,
        attributes: Default::default(),
        turns: vec![turn(Speaker::Agent, if n.is_multiple_of(3) { "喂" } else { "您好" }), turn(Speaker::Customer, "网断了")],
    }
}

const CARD: &str = "id: card\nname: Card\nsections:\n  - name: S\n    items:\n      - id: greeting\n        name: Greeting\n        points: 5\n        must: {phrases: [您好], speaker: agent}\n";

async fn wait_finished(inspector: &Inspector) -> InspectionBatch {
    for _ in 0..200 {
        if let Some(batch) = inspector.batches().await.unwrap().into_iter().find(|b| b.status == "finished") {
            return batch;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the batch did not finish: {:?}", inspector.batches().await.unwrap());
}

#[tokio::test]
async fn a_history_batch_resumes_after_a_restart_and_inspects_each_conversation_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("s.db").display());
    let store: Arc<dyn Store> = Arc::new(SqlStore::open(&url).await.unwrap());
    let conversations: Vec<_> = (0..300).map(conversation).collect();
    store.import_conversations(&conversations, &|_| {}).await.unwrap();
    let saved = store.save_scorecard("card", "Card", CARD, "qa01", 1).await.unwrap();
    store.publish_scorecard("card", saved.version).await.unwrap();

    // a process that stopped part-way: 100 inspected, its batch still running
    let first = Arc::new(Inspector::new(store.clone(), Arc::new(FixedClock)));
    first.load().await.unwrap();
    for c in &conversations[..100] {
        assert_eq!(first.inspect_conversation(&c.id).await.unwrap(), 1);
    }
    let stopped = InspectionBatch {
        scorecard_id: "card".into(),
        version: 1,
        after: Some(conversations[99].id.clone()),
        done: 100,
        total: 300,
        status: "running".into(),
        started_at: 5,
        finished_at: None,
    };
    store.save_batch(&stopped).await.unwrap();
    drop(first);

    // the restart: the sweeper resumes the batch
    let second = Arc::new(Inspector::new(store.clone(), Arc::new(FixedClock)));
    second.spawn_sweeper(Duration::from_secs(3600));
    let finished = wait_finished(&second).await;
    assert_eq!((finished.done, finished.total, finished.started_at), (300, 300, 5));
    let all = store.inspections(&Scope::All, &InspectionFilter { limit: 500, ..Default::default() }).await.unwrap();
    assert_eq!(all.total, 300, "each conversation once");
    let failed = all.items.iter().filter(|i| i.score == 0.0).count();
    assert_eq!(failed, 100, "every third agent said 喂");
    // running again finds nothing to do
    assert_eq!(second.inspect_conversation("c0000").await.unwrap(), 0);

    // a new version inspects the history again, beside the old one's results
    let v2 = store.save_scorecard("card", "Card", &CARD.replace("[您好]", "[您好, 喂]"), "qa01", 2).await.unwrap();
    second.publish(&v2.id, v2.version).await.unwrap();
    for _ in 0..200 {
        let batches = second.batches().await.unwrap();
        if batches.iter().any(|b| b.version == 2 && b.status == "finished") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let v2_filter = InspectionFilter { version: Some(2), limit: 500, ..Default::default() };
    let again = store.inspections(&Scope::All, &v2_filter).await.unwrap();
    assert_eq!(again.total, 300);
    assert!(again.items.iter().all(|i| i.score == 100.0));
}
