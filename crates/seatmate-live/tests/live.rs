//! The live protocol end to end on an embedded store: fields named in errors, sequence numbers
//! that make replays harmless, events in order to the desks that may see them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use seatmate_core::{Clock, LiveMessage, LiveReply, Millis, Role, Speaker, User};
use seatmate_live::{parse_messages, Live, LiveEvent, LiveEventKind, LocalBus};
use seatmate_store::prelude::*;
use seatmate_store::{NewUser, Scope, SqlStore};

struct FixedClock;

impl Clock for FixedClock {
    fn now_millis(&self) -> Millis {
        1_750_000_000_000
    }
}

async fn live() -> (Live, Arc<SqlStore>) {
    let store = Arc::new(SqlStore::open("sqlite::memory:").await.unwrap());
    for (name, role, team) in [("agent01", Role::Agent, "T1"), ("lead01", Role::TeamLead, "T1"), ("lead02", Role::TeamLead, "T2")]
    {
        let user = NewUser {
            username: name.into(),
            display_name: name.into(),
            role,
            team: Some(team.into()),
            password_hash: "x".into(),
        };
        store.create_user(&user, 0).await.unwrap();
    }
    (Live::new(store.clone(), Arc::new(FixedClock), Arc::new(LocalBus::default())), store)
}

fn messages(text: &str) -> Vec<LiveMessage> {
    parse_messages(text).into_iter().map(|m| m.unwrap()).collect()
}

async fn user(store: &SqlStore, name: &str) -> User {
    store.user_by_username(name).await.unwrap().unwrap().0
}

#[test]
fn a_malformed_message_names_its_field() {
    let field = |text: &str| match parse_messages(text).remove(0) {
        Err(LiveReply::Error { field, .. }) => field,
        other => panic!("expected an error, got {other:?}"),
    };
    assert_eq!(field(r#"{"type":"turn","conversation":"c","seq":2,"speaker":"boss","text":"hi"}"#).as_deref(), Some("speaker"));
    assert_eq!(field(r#"{"type":"turn","conversation":"c","seq":2,"speaker":"agent"}"#).as_deref(), Some("text"));
    assert_eq!(field(r#"{"type":"turn","conversation":"c","seq":2,"speaker":"agent","text":"  "}"#).as_deref(), Some("text"));
    assert_eq!(field(r#"{"type":"start","conversation":"c","seq":3,"channel":"voice"}"#).as_deref(), Some("seq"));
    assert_eq!(field(r#"{"type":"end","conversation":"","seq":3}"#).as_deref(), Some("conversation"));
    assert_eq!(
        field(r#"{"type":"turn","conversation":"c","seq":2,"speaker":"agent","text":"a\u0000b"}"#).as_deref(),
        Some("text")
    );
    assert_eq!(field("not json"), None);
    // one bad message in an array does not stop the others
    let mixed = parse_messages(r#"[{"type":"end","conversation":"c","seq":0},{"type":"end","conversation":"c","seq":4}]"#);
    assert!(mixed[0].is_err() && mixed[1].is_ok());
}

#[tokio::test]
async fn turns_apply_once_in_order_and_reach_the_right_desks() {
    let (live, store) = live().await;
    let mut events = live.subscribe();
    let script = r#"[
        {"type":"start","conversation":"call-1","seq":1,"channel":"voice","agent":"agent01"},
        {"type":"partial","conversation":"call-1","seq":2,"speaker":"customer","text":"我的宽"},
        {"type":"turn","conversation":"call-1","seq":2,"speaker":"customer","text":"我的宽带断了，电话13812345678","start_ms":0,"end_ms":2100},
        {"type":"turn","conversation":"call-1","seq":3,"speaker":"agent","text":"马上为您查询","start_ms":2500,"end_ms":3400}
    ]"#;
    let mut replies = Vec::new();
    for message in messages(script) {
        replies.extend(live.apply(message).await);
    }
    let acked: Vec<(u64, bool)> = replies
        .iter()
        .map(|r| match r {
            LiveReply::Ack { seq, duplicate, .. } => (*seq, *duplicate),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(acked, [(1, false), (2, false), (3, false)], "a partial gets no reply");

    // a client that lost its acks resends everything: nothing is applied twice
    for message in messages(script) {
        if let Some(LiveReply::Ack { duplicate, .. }) = live.apply(message).await {
            assert!(duplicate);
        }
    }
    // a gap is refused with the number to resend from
    let gap =
        live.apply(messages(r#"{"type":"turn","conversation":"call-1","seq":9,"speaker":"agent","text":"?"}"#).remove(0)).await;
    assert!(matches!(gap, Some(LiveReply::Error { expected: Some(4), ref code, .. }) if code == "out_of_order"), "{gap:?}");
    let unknown =
        live.apply(messages(r#"{"type":"turn","conversation":"nope","seq":2,"speaker":"agent","text":"?"}"#).remove(0)).await;
    assert!(matches!(unknown, Some(LiveReply::Error { expected: Some(1), .. })), "{unknown:?}");
    let end = live.apply(messages(r#"{"type":"end","conversation":"call-1","seq":4}"#).remove(0)).await;
    assert!(matches!(end, Some(LiveReply::Ack { seq: 4, duplicate: false, .. })));

    let state = live.state("call-1").await.unwrap().unwrap();
    assert_eq!((state.last_seq, state.ended), (4, true));
    let stored = store.conversation(&Scope::All, &state.id).await.unwrap().unwrap();
    assert_eq!(stored.turns.len(), 2, "partials are not stored, replays add nothing");
    assert!(
        stored.turns[0].text.contains("[PHONE-5678]") && !stored.turns[0].text.contains("13812345678"),
        "masked before storage"
    );

    let mut seen = Vec::new();
    while let Ok(event) = events.try_recv() {
        seen.push(event);
    }
    let kinds: Vec<(&str, u64)> = seen
        .iter()
        .map(|e| {
            let kind = match &e.kind {
                LiveEventKind::Started { .. } => "started",
                LiveEventKind::Partial { .. } => "partial",
                LiveEventKind::Turn { .. } => "turn",
                LiveEventKind::Ended { .. } => "ended",
                LiveEventKind::NextStep { .. } => "next_step",
                LiveEventKind::Emotion { .. } => "emotion",
                LiveEventKind::Opportunity { .. } => "opportunity",
                LiveEventKind::AfterCall { .. } => "after_call",
                LiveEventKind::Intent { .. } => "intent",
            };
            (kind, e.seq)
        })
        .collect();
    assert_eq!(kinds, [("started", 1), ("partial", 2), ("turn", 2), ("turn", 3), ("ended", 4)], "each once, in order");
    assert!(matches!(&seen[2].kind, LiveEventKind::Turn { index: 0, turn, .. } if turn.speaker == Speaker::Customer));
    let (agent, lead, other_lead) = (user(&store, "agent01").await, user(&store, "lead01").await, user(&store, "lead02").await);
    assert!(seen.iter().all(|e| e.visible_to(&agent) && e.visible_to(&lead) && !e.visible_to(&other_lead)));
}

#[tokio::test]
async fn an_unknown_agent_is_refused_by_field() {
    let (live, _) = live().await;
    let reply =
        live.apply(messages(r#"{"type":"start","conversation":"c9","seq":1,"channel":"chat","agent":"ghost"}"#).remove(0)).await;
    assert!(matches!(reply, Some(LiveReply::Error { field: Some(ref f), .. }) if f == "agent"), "{reply:?}");
}

/// An angry customer raises the risk with its reasons, and the guidance is asked for the next
/// step once, when the risk first rises; after a restart the risk is caught up from the store.
#[tokio::test]
async fn an_angry_turn_raises_the_risk_with_reasons_and_a_next_step() {
    struct Steps(std::sync::atomic::AtomicUsize);
    #[async_trait::async_trait]
    impl seatmate_live::Guidance for Steps {
        async fn next_step(&self, _: &seatmate_live::Risk, _: &str) -> Option<seatmate_live::NextStep> {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Some(seatmate_live::NextStep {
                id: "k1".into(), title: "投诉升级处理".into(), text: "先道歉，再给出处理时限".into()
            })
        }
    }
    let (live, store) = live().await;
    let steps = Arc::new(Steps(Default::default()));
    let live = live.with_guidance(steps.clone());
    let mut events = live.subscribe();
    let script = r#"[
        {"type":"start","conversation":"angry-1","seq":1,"channel":"voice","agent":"agent01"},
        {"type":"turn","conversation":"angry-1","seq":2,"speaker":"customer","text":"我家宽带又断了"},
        {"type":"turn","conversation":"angry-1","seq":3,"speaker":"agent","text":"非常抱歉，我帮您查一下"},
        {"type":"turn","conversation":"angry-1","seq":4,"speaker":"customer","text":"这都第三次了，再不修好我就打12315投诉你们！"}
    ]"#;
    for message in messages(script) {
        live.apply(message).await;
    }
    let mut risks = Vec::new();
    let mut next_steps = Vec::new();
    // the next step follows its turn's event, from a background look-up
    while next_steps.is_empty() {
        let event = tokio::time::timeout(std::time::Duration::from_secs(10), events.recv()).await.unwrap().unwrap();
        match event.kind {
            LiveEventKind::Turn { signals, .. } => risks.push(signals),
            LiveEventKind::NextStep { next_step } => next_steps.push((event.seq, next_step)),
            _ => {}
        }
    }
    assert_eq!(risks.len(), 3);
    assert_eq!(risks[0].risk.level, seatmate_live::RiskLevel::Low);
    assert_eq!(risks[2].risk.level, seatmate_live::RiskLevel::High);
    assert_eq!(risks[2].risk.reasons[0].kind, seatmate_live::ReasonKind::Regulator);
    assert_eq!(risks[2].risk.reasons[0].turn, 2);
    assert_eq!((next_steps[0].0, next_steps[0].1.id.as_str()), (4, "k1"), "the next step of the turn that raised the risk");
    assert_eq!(steps.0.load(std::sync::atomic::Ordering::SeqCst), 1);

    // another process (a restart, a replica) catches the risk up from the stored turns
    let fresh = Live::new(store.clone(), Arc::new(FixedClock), Arc::new(LocalBus::default()));
    let mut later = fresh.subscribe();
    fresh
        .apply(messages(r#"{"type":"turn","conversation":"angry-1","seq":5,"speaker":"customer","text":"好的"}"#).remove(0))
        .await;
    let Ok(LiveEvent { kind: LiveEventKind::Turn { signals, .. }, .. }) = later.try_recv() else { panic!("no turn event") };
    assert!(signals.risk.reasons.iter().any(|r| r.kind == seatmate_live::ReasonKind::Regulator), "{signals:?}");
}

/// The emotion of a customer turn follows the turn's event, from the model in the store, with the
/// customer's valence turn by turn, and so do the opportunities it names; agent turns are not read.
#[tokio::test]
async fn customer_turns_get_their_emotion_trajectory_and_opportunities_after_the_turn() {
    use seatmate_signals::{EmotionConfig, EmotionModel, Example};
    let (live, store) = live().await;
    let labels = vec!["anger".to_string(), "joy".to_string()];
    let texts = [
        ("太气人了，你们怎么回事", 0),
        ("气死我了，再也不用了", 0),
        ("垃圾服务，太差了", 0),
        ("this is outrageous, I am furious", 0),
        ("谢谢，太好了，非常满意", 1),
        ("好开心，问题解决了", 1),
        ("非常感谢，服务很好", 1),
        ("thank you, that is great", 1),
    ];
    let label_ids: Vec<[usize; 1]> = texts.iter().map(|(_, l)| [*l]).collect();
    let examples: Vec<Example> =
        texts.iter().zip(&label_ids).map(|((text, _), labels)| Example { text, vector: &[], labels }).collect();
    let model = EmotionModel::train(&labels, &examples, &[], &EmotionConfig::default()).unwrap();
    let record = seatmate_store::ModelRecord {
        id: "emotion-v1".into(),
        kind: seatmate_live::EMOTION_MODEL.into(),
        version: 1,
        created_at: 0,
        created_by: "test".into(),
        examples: 8,
        metrics: serde_json::json!({}),
        active: true,
        bytes: 0,
        activated_at: None,
    };
    store.save_model(&record, &model.to_bytes()).await.unwrap();
    let stage = seatmate_live::EmotionStage::load(store.as_ref()).await.unwrap();
    let live = live.with_emotion(Arc::new(stage));
    live.set_opportunities(&seatmate_live::OpportunityCues::default());
    let mut events = live.subscribe();
    let script = r#"[
        {"type":"start","conversation":"feel-1","seq":1,"channel":"chat","agent":"agent01"},
        {"type":"turn","conversation":"feel-1","seq":2,"speaker":"customer","text":"谢谢，服务很好"},
        {"type":"turn","conversation":"feel-1","seq":3,"speaker":"agent","text":"不客气，要不要升级套餐"},
        {"type":"turn","conversation":"feel-1","seq":4,"speaker":"customer","text":"太气人了，垃圾服务"},
        {"type":"turn","conversation":"feel-1","seq":5,"speaker":"customer","text":"不过我的合約快到期了，續約有優惠嗎"},
        {"type":"turn","conversation":"feel-1","seq":6,"speaker":"customer","text":"续约的话要多少钱"}
    ]"#;
    for message in messages(script) {
        live.apply(message).await;
    }
    let mut order = Vec::new();
    let (mut emotions, mut opportunities, mut rising) = (Vec::new(), Vec::new(), Vec::new());
    while emotions.len() < 4 {
        let event = tokio::time::timeout(std::time::Duration::from_secs(10), events.recv()).await.unwrap().unwrap();
        match &event.kind {
            LiveEventKind::Turn { index, .. } => order.push(("turn", *index)),
            LiveEventKind::Emotion { index, emotion, trajectory, risk } => {
                assert!(order.contains(&("turn", *index)), "an emotion follows its turn");
                order.push(("emotion", *index));
                emotions.push((*index, emotion.label.clone(), trajectory.len()));
                if let Some(risk) = risk {
                    rising.extend(risk.reasons.iter().filter(|r| r.kind == seatmate_live::ReasonKind::Rising).map(|r| r.turn));
                }
            }
            LiveEventKind::Opportunity { index, opportunities: found } => {
                opportunities.extend(found.iter().map(|o| (*index, o.name.clone(), o.evidence.clone())));
            }
            _ => {}
        }
    }
    emotions.sort();
    assert_eq!(emotions[0].0, 0);
    assert_eq!(emotions[0].1, "joy");
    assert_eq!((emotions[1].0, emotions[1].1.as_str()), (2, "anger"), "the agent's turn 1 is not read");
    assert!(emotions.iter().any(|e| e.2 == 4), "the trajectory holds every customer turn");
    assert!(rising.contains(&2), "pleased, then angry: the feeling going down raises the risk ({rising:?})");
    // the last emotion event may come before the opportunity event of the same turns
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while opportunities.is_empty() && std::time::Instant::now() < deadline {
        if let Ok(Ok(event)) = tokio::time::timeout(std::time::Duration::from_secs(1), events.recv()).await {
            if let LiveEventKind::Opportunity { index, opportunities: found } = &event.kind {
                opportunities.extend(found.iter().map(|o| (*index, o.name.clone(), o.evidence.clone())));
            }
        }
    }
    assert_eq!(
        opportunities,
        [(3, "续约 / Renewal".to_string(), "续约".to_string())],
        "the renewal in Traditional Chinese, once; the agent's 升级 is not the customer's"
    );
}
