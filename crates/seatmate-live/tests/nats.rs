//! The NATS JetStream bus between replicas (needs `SEATMATE_TEST_NATS`, which CI sets): what one
//! replica publishes reaches every replica's subscribers, in order, once, with its audience.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use seatmate_core::Millis;
use seatmate_live::{Audience, EventBus, LiveEvent, LiveEventKind, NatsBus};

fn ended(seq: u64) -> LiveEvent {
    LiveEvent {
        id: "conversation:live:nats-test".into(),
        conversation: "nats-test".into(),
        seq,
        audience: Audience { agent: Some("agent01".into()), team: Some("T1".into()) },
        kind: LiveEventKind::Ended { ended_at: seq as Millis },
    }
}

#[tokio::test]
async fn events_published_on_one_replica_reach_both_in_order_and_once() {
    let Ok(url) = std::env::var("SEATMATE_TEST_NATS") else {
        println!("skipped: events_published_on_one_replica_reach_both_in_order_and_once (SEATMATE_TEST_NATS not set)");
        return;
    };
    let (a, b) = (NatsBus::connect(&url).await.unwrap(), NatsBus::connect(&url).await.unwrap());
    let (mut on_a, mut on_b) = (a.subscribe(), b.subscribe());
    // other tests may share the stream: follow this test's own conversation id, made unique per run
    let run = format!("{}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos());
    let mine = |seq| LiveEvent { conversation: run.clone(), ..ended(seq) };
    for seq in 1..=500 {
        a.publish(mine(seq));
    }
    for receiver in [&mut on_a, &mut on_b] {
        let mut seen = Vec::new();
        while seen.len() < 500 {
            let event = tokio::time::timeout(std::time::Duration::from_secs(20), receiver.recv()).await.unwrap().unwrap();
            if event.conversation == run {
                assert_eq!(event.audience.team.as_deref(), Some("T1"), "the team crosses NATS");
                seen.push(event.seq);
            }
        }
        assert_eq!(seen, (1..=500).collect::<Vec<_>>(), "in order, each once");
    }
}
