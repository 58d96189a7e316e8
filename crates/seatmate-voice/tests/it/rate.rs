use seatmate_core::{Speaker, Turn};
use seatmate_voice::{analyze, speech_rate, RateBasis, RateUnit, VoiceConfig};

use crate::synth;

fn turn(speaker: Speaker, start_ms: i64, end_ms: i64, text: &str) -> Turn {
    Turn { speaker, text: text.to_string(), start_ms: Some(start_ms), end_ms: Some(end_ms), audio_ref: None }
}

fn close(got: f64, want: f64, share: f64) {
    assert!((got / want - 1.0).abs() <= share, "{got:.1} per minute is not within {:.0} % of {want:.1}", share * 100.0);
}

#[test]
fn rate_counts_speech_not_pauses() {
    // the agent speaks 1.0–3.0 s and 4.0–5.0 s (3.0 s of speech) in one turn that spans 1.0–5.0 s
    let agent = synth::track(8000, 9.0, 120.0, &[(1.0, 2.0), (4.0, 1.0)], 31);
    let customer = synth::track(8000, 9.0, 220.0, &[(5.5, 3.0)], 32);
    let f = analyze(&synth::wav(8000, &[agent, customer]), &VoiceConfig::default()).unwrap();

    // 30 Han characters (punctuation does not count)
    let zh = "您好，欢迎致电客服中心，请问有什么可以帮您的？我们会尽快为您处理好。";
    assert_eq!(seatmate_text::spoken_units(zh), 30);
    let en = "yes I would like to change the delivery address of my order please";
    assert_eq!(seatmate_text::spoken_units(en), 13);
    let turns = vec![
        turn(Speaker::Agent, 1000, 5000, zh),
        turn(Speaker::Customer, 5500, 8500, en),
        Turn { speaker: Speaker::Customer, text: "untimed".into(), start_ms: None, end_ms: None, audio_ref: None },
        turn(Speaker::System, 8600, 8900, "call recorded"),
    ];
    let rates = speech_rate(&f, &turns);
    println!("{rates:#?}");
    assert_eq!(rates.turns.len(), 3, "the untimed turn has no rate");

    let a = &rates.turns[0];
    assert_eq!((a.turn, a.speaker, a.units, a.unit, a.basis), (0, Speaker::Agent, 30, RateUnit::Characters, RateBasis::Speech));
    assert!((a.speech_ms - 3000).abs() <= 150, "agent speech {} ms", a.speech_ms);
    // 30 characters in 3 s of speech: 600 a minute (the turn's span alone would say 450)
    close(a.per_minute.unwrap(), 600.0, 0.06);

    let c = &rates.turns[1];
    assert_eq!((c.units, c.unit, c.basis), (13, RateUnit::Words, RateBasis::Speech));
    close(c.per_minute.unwrap(), 13.0 * 60.0 / 3.0, 0.06);

    // a system turn has no channel of its own: its span is used
    let s = &rates.turns[2];
    assert_eq!((s.basis, s.speech_ms), (RateBasis::TurnSpan, 300));
    close(s.per_minute.unwrap(), 400.0, 0.001);

    let speakers: Vec<Speaker> = rates.speakers.iter().map(|s| s.speaker).collect();
    assert_eq!(speakers, vec![Speaker::Agent, Speaker::Customer, Speaker::System]);
    assert_eq!(rates.speakers[1].turns, 1);
    close(rates.speakers[0].per_minute.unwrap(), 600.0, 0.06);
}

#[test]
fn turn_without_heard_speech_falls_back_to_its_span() {
    let quiet = synth::track(8000, 4.0, 120.0, &[], 41);
    let f = analyze(&synth::wav(8000, &[quiet.clone(), quiet]), &VoiceConfig::default()).unwrap();
    let rates = speech_rate(&f, &[turn(Speaker::Agent, 0, 2000, "one two three four")]);
    assert_eq!(rates.turns[0].basis, RateBasis::TurnSpan);
    close(rates.turns[0].per_minute.unwrap(), 120.0, 0.001);
}
