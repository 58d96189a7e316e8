//! The learning service on a real store: mining the history, curation, a role-play session
//! scored turn by turn, and who may do what.

use std::sync::Arc;

use seatmate_core::{Channel, Clock, Conversation, Millis, Role, Speaker, Turn, User};
use seatmate_inspect::Inspector;
use seatmate_learn::{Coach, LearnError};
use seatmate_store::prelude::*;
use seatmate_store::{CaseFilter, SqlStore};

struct FixedClock;
impl Clock for FixedClock {
    fn now_millis(&self) -> Millis {
        1_800_000_000_000
    }
}

fn conversation(id: &str, agent: &str, turns: &[(&str, &str)]) -> Conversation {
    Conversation {
        id: id.into(),
        external_id: id.into(),
        source: "test".into(),
        channel: Channel::Chat,
        queue: None,
        agent: Some(agent.into()),
        customer_id: None,
        language: Some("zh".into()),
        started_at: 1,
        ended_at: Some(2),
        audio_ref: None,
        attributes: Default::default(),
        turns: turns
            .iter()
            .map(|(speaker, text)| Turn {
                speaker: if *speaker == "c" { Speaker::Customer } else { Speaker::Agent },
                text: (*text).into(),
                start_ms: None,
                end_ms: None,
                audio_ref: None,
            })
            .collect(),
    }
}

pub(crate) fn user(username: &str, role: Role) -> User {
    User {
        id: username.into(),
        username: username.into(),
        display_name: username.into(),
        role,
        team: Some("T1".into()),
        active: true,
    }
}

const CARD: &str = "id: card\nname: Card\nsections:\n  - name: S\n    items:\n      - id: greeting\n        name: Greeting\n        points: 5\n        must: {phrases: [您好], speaker: agent}\n      - id: forbidden\n        name: Forbidden words\n        points: 5\n        must_not: {phrases: [不知道, 不归我管], speaker: agent}\n";

/// A store with four finished conversations (c1 and c4 solved broadband outages, c2 and c3 badly
/// handled), a published scorecard, two agents, and a coach on it.
pub(crate) async fn setup() -> (tempfile::TempDir, Arc<dyn Store>, Coach) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("s.db").display());
    let store: Arc<dyn Store> = Arc::new(SqlStore::open(&url).await.unwrap());
    let history = vec![
        conversation(
            "c1",
            "agent01",
            &[
                ("c", "我家宽带又断了，已经第三次了"),
                ("a", "您好，非常抱歉给您带来不便，我马上帮您查一下线路"),
                ("c", "好的，麻烦快一点"),
                ("a", "线路已经恢复，请您重启一下光猫"),
                ("c", "好了，可以上网了，谢谢"),
            ],
        ),
        conversation(
            "c2",
            "agent02",
            &[("c", "你们再不处理我就去12315投诉"), ("a", "这个不归我管"), ("c", "太差劲了，我要投诉你们")],
        ),
        conversation("c3", "agent02", &[("c", "我的话费怎么多扣了"), ("a", "喂，我不知道"), ("c", "那谁知道？")]),
        conversation(
            "c4",
            "agent01",
            &[
                ("c", "宽带连不上了"),
                ("a", "您好，请问光猫的灯是红色的吗"),
                ("c", "是红色的，一直在闪"),
                ("a", "您好，我给您派维修师傅上门"),
                ("c", "好的谢谢"),
            ],
        ),
        conversation(
            "c5",
            "agent01",
            &[
                ("a", "您好，请问有什么可以帮您"),
                ("c", "我想查一下这个月的话费"),
                ("a", "好的，您这个月话费是58元"),
                ("c", "好的谢谢"),
            ],
        ),
    ];
    store.import_conversations(&history, &|_| {}).await.unwrap();
    let saved = store.save_scorecard("card", "Card", CARD, "qa01", 1).await.unwrap();
    store.publish_scorecard("card", saved.version).await.unwrap();
    let inspector = Arc::new(Inspector::new(store.clone(), Arc::new(FixedClock)));
    inspector.load().await.unwrap();
    for c in &history {
        inspector.inspect_conversation(&c.id).await.unwrap();
    }
    for u in ["agent01", "agent02"] {
        let new = seatmate_store::NewUser {
            username: u.into(),
            display_name: u.into(),
            role: Role::Agent,
            team: Some("T1".into()),
            password_hash: "x".into(),
        };
        store.create_user(&new, 1).await.unwrap();
    }
    let coach = Coach::new(store.clone(), Arc::new(FixedClock), inspector);
    (dir, store, coach)
}

#[tokio::test]
async fn mining_finds_exemplary_and_problem_cases_and_keeps_curation() {
    let (_dir, store, coach) = setup().await;
    let report = coach.mine().await.unwrap();
    assert_eq!(report.conversations, 5);
    let cases = coach.cases(&CaseFilter { limit: 50, ..CaseFilter::default() }).await.unwrap();
    let kinds: Vec<(String, String)> = cases.items.iter().map(|c| (c.id.clone(), c.kind.clone())).collect();
    assert!(kinds.contains(&("c2".into(), "problem".into())), "{kinds:?}");
    assert!(kinds.contains(&("c3".into(), "problem".into())), "{kinds:?}");
    assert!(kinds.contains(&("c1".into(), "exemplary".into())), "{kinds:?}");
    let c2 = cases.items.iter().find(|c| c.id == "c2").unwrap();
    let reasons = c2.mined["reasons"].as_array().unwrap();
    assert!(reasons.iter().any(|r| r == "escalated"), "{reasons:?}");
    assert!(c2.mined["features"]["failed_items"].as_array().unwrap().iter().any(|i| i == "forbidden"));
    let c3 = cases.items.iter().find(|c| c.id == "c3").unwrap();
    assert!(c3.mined["reasons"].as_array().unwrap().iter().any(|r| r == "low_score"));
    assert!(!c3.mined["features"]["keywords"].as_array().unwrap().is_empty());

    coach.curate("c1", "accepted", vec!["greeting".into()], "先致歉，再解决", "trainer01").await.unwrap();
    assert!(matches!(coach.curate("c1", "maybe", vec![], "", "trainer01").await, Err(LearnError::InvalidInput(_))));
    coach.mine().await.unwrap();
    let c1 = store.case("c1").await.unwrap().unwrap();
    assert_eq!((c1.status.as_str(), c1.teaching_point.as_str()), ("accepted", "先致歉，再解决"), "a new run keeps the curation");
}

#[tokio::test]
async fn a_role_play_answers_every_turn_with_feedback_and_ends_with_a_summary() {
    let (_dir, _store, coach) = setup().await;
    coach.mine().await.unwrap();
    coach.curate("c1", "accepted", vec!["greeting".into()], "", "trainer01").await.unwrap();
    let trainee = user("agent01", Role::Agent);
    // a case not yet in the library is not for agents
    assert!(matches!(coach.start_session(&trainee, "c3", None).await, Err(LearnError::Forbidden(_))));

    let session = coach.start_session(&trainee, "c1", None).await.unwrap();
    assert_eq!(session.state.turns.len(), 1);
    assert_eq!(session.state.turns[0].text, "我家宽带又断了，已经第三次了", "it opens with the case's real customer turn");

    let after = coach.answer(&trainee, &session.id, "您好，非常抱歉给您带来不便，我帮您查一下线路").await.unwrap();
    let turns = &after.state.turns;
    assert_eq!(turns.len(), 3, "{turns:?}");
    let feedback = turns[1].feedback.as_ref().unwrap();
    assert!(feedback.empathy && feedback.answered, "{feedback:?}");
    assert!(feedback.closeness > 0.5, "close to the real agent's turn: {feedback:?}");
    assert_eq!(turns[2].speaker, "customer");
    assert!(!turns[2].text.is_empty() && turns[2].mood.is_some());

    let rude = coach.answer(&trainee, &session.id, "这个我不知道").await.unwrap();
    let feedback = rude.state.turns.iter().rev().find_map(|t| t.feedback.clone()).unwrap();
    assert!(!feedback.empathy);
    assert!(feedback.failed_items.iter().any(|i| i.starts_with("card/forbidden")), "{feedback:?}");

    // each answer rebuilds the customer from the store: it never says the same real line twice
    let sources: Vec<_> = rude.state.turns.iter().filter_map(|t| t.source.clone()).collect();
    let mut distinct = sources.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(sources.len(), distinct.len(), "{sources:?}");

    // another user cannot answer in this session
    let other = user("agent02", Role::Agent);
    assert!(matches!(coach.answer(&other, &session.id, "您好").await, Err(LearnError::NotFound(_))));
    assert!(matches!(coach.session(&other, &session.id).await, Err(LearnError::NotFound(_))));
    assert!(matches!(coach.answer(&trainee, &session.id, "  ").await, Err(LearnError::InvalidInput(_))));

    // the customer may have finished by itself (the case's customer had nothing more to say)
    let done = if rude.ended_at.is_some() { rude } else { coach.finish(&trainee, &session.id).await.unwrap() };
    let summary = done.state.summary.clone().unwrap();
    assert_eq!(summary.trainee_turns, 2);
    assert_eq!(summary.empathy_turns, 1);
    assert!(summary.failed_items.iter().any(|i| i.starts_with("card/forbidden")), "{summary:?}");
    assert!(summary.passed_items.iter().any(|i| i.starts_with("card/greeting")), "{summary:?}");
    assert_eq!(done.score, Some(summary.score));
    assert!(summary.score < 100.0);
    assert!(matches!(coach.answer(&trainee, &session.id, "还在吗").await, Err(LearnError::Conflict(_))));

    let progress = coach.progress(&trainee, None).await.unwrap();
    assert_eq!(progress.sessions.len(), 1);
    // a trainer sees the session, a stranger agent does not list it
    assert_eq!(coach.sessions(&user("trainer01", Role::Trainer), None).await.unwrap().len(), 1);
    assert_eq!(coach.sessions(&other, None).await.unwrap().len(), 0);

    // a call the agent opened starts, in the training room, with the problem the customer brought
    let greeted = coach.start_session(&user("trainer01", Role::Trainer), "c5", None).await.unwrap();
    assert_eq!(greeted.state.turns[0].text, "我想查一下这个月的话费");
}
