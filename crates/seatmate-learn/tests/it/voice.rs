//! A case's recording: found under the audio directory, analysed for the timeline, and never
//! read from outside it.

use std::sync::Arc;

use seatmate_core::{Channel, Clock, Conversation, Millis, Speaker, Turn};
use seatmate_inspect::Inspector;
use seatmate_learn::{Coach, LearnError};
use seatmate_store::prelude::*;
use seatmate_store::{SqlStore, StoredCase};

struct FixedClock;
impl Clock for FixedClock {
    fn now_millis(&self) -> Millis {
        1_800_000_000_000
    }
}

fn call(id: &str, audio_ref: &str) -> Conversation {
    let turn = |speaker, text: &str, start, end| Turn {
        speaker,
        text: text.into(),
        start_ms: Some(start),
        end_ms: Some(end),
        audio_ref: None,
    };
    Conversation {
        id: id.into(),
        external_id: id.into(),
        source: "test".into(),
        channel: Channel::Voice,
        queue: None,
        agent: Some("agent01".into()),
        customer_id: None,
        language: Some("zh".into()),
        started_at: 1,
        ended_at: Some(2),
        audio_ref: Some(audio_ref.into()),
        attributes: Default::default(),
        turns: vec![
            turn(Speaker::Agent, "您好，请问有什么可以帮您", 500, 3_500),
            turn(Speaker::Customer, "我家宽带又断了，已经第三次了，你们到底管不管", 6_000, 9_000),
            // the agent starts before the customer has finished: talk-over
            turn(Speaker::Agent, "非常抱歉，我马上帮您查", 8_200, 11_000),
        ],
    }
}

fn case(id: &str) -> StoredCase {
    StoredCase {
        id: id.into(),
        kind: "problem".into(),
        category: None,
        strength: 1.0,
        cluster_size: 1,
        mined: serde_json::json!({}),
        mined_at: 1,
        status: "accepted".into(),
        items: vec![],
        teaching_point: String::new(),
        curated_by: None,
        curated_at: None,
    }
}

#[tokio::test]
async fn a_cases_recording_is_analysed_for_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqlStore::open(&format!("sqlite://{}", dir.path().join("s.db").display())).await.unwrap());
    store
        .import_conversations(
            &[call("c1", "calls/c1.wav"), call("c2", "../outside.wav"), call("c3", "calls/missing.wav")],
            &|_| {},
        )
        .await
        .unwrap();
    store.save_mined_cases(&[case("c1"), case("c2"), case("c3")], 1).await.unwrap();
    let audio = dir.path().join("audio");
    std::fs::create_dir_all(audio.join("calls")).unwrap();
    let wav = seatmate_voice::synth::call(8_000, 12.0, &[(500, 3_500), (8_200, 11_000)], &[(6_000, 9_000)]).unwrap();
    std::fs::write(audio.join("calls/c1.wav"), &wav).unwrap();
    let inspector = Arc::new(Inspector::new(store.clone(), Arc::new(FixedClock)));
    let coach = Coach::new(store.clone(), Arc::new(FixedClock), inspector).with_audio_dir(audio);

    assert_eq!(coach.case_audio("c1").await.unwrap(), wav);
    let voice = coach.case_voice("c1").await.unwrap();
    assert_eq!(voice.features.channels.len(), 2);
    let overlaps = voice.features.overlaps.clone().unwrap();
    assert_eq!(overlaps.len(), 1, "{overlaps:?}");
    assert!((overlaps[0].start_ms - 8_200).abs() <= 150 && (overlaps[0].end_ms - 9_000).abs() <= 150, "{overlaps:?}");
    // both sides quiet from 3.5 s to 6 s
    assert!(
        voice.features.silences.iter().any(|s| (s.start_ms - 3_500).abs() <= 150 && (s.end_ms - 6_000).abs() <= 150),
        "{:?}",
        voice.features.silences
    );
    assert_eq!(voice.rates.turns.len(), 3);

    assert!(matches!(coach.case_audio("c2").await, Err(LearnError::InvalidInput(_))), "a reference never leaves the directory");
    assert!(matches!(coach.case_voice("c3").await, Err(LearnError::NotFound(_))));
    assert!(matches!(coach.case_voice("nope").await, Err(LearnError::NotFound(_))));
}
