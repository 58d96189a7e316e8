use seatmate_core::Speaker;
use seatmate_voice::{analyze, Span, VoiceConfig, VoiceFeatures};

use crate::synth;

/// Asserts `got` is within `tol_ms` of `want` at both ends.
fn near(got: &Span, want: (i64, i64), tol_ms: i64) {
    assert!(
        (got.start_ms - want.0).abs() <= tol_ms && (got.end_ms - want.1).abs() <= tol_ms,
        "span {got:?} is not within {tol_ms} ms of {want:?}"
    );
}

fn show(f: &VoiceFeatures) {
    for c in &f.channels {
        println!(
            "{:?}: speech {:?} ratio {:.3} pitch {:?} energy {:?}",
            c.speaker, c.speech, c.speech_ratio, c.pitch, c.mean_speech_energy_db
        );
    }
    println!("silences {:?}\noverlaps {:?}", f.silences, f.overlaps);
}

/// The stereo 8 kHz call: agent (120 Hz) 0.5–4.0 s and 10.0–12.0 s; customer (220 Hz) 4.4–7.0 s
/// and 11.2–13.5 s. So 7.0–10.0 s is a 3.0 s silence, 11.2–12.0 s a 0.8 s overlap in which the
/// customer interrupts, and the 0.4 s hand-over at 4.0 s is no silence.
pub fn stereo_call(rate: u32) -> Vec<u8> {
    let agent = synth::track(rate, 14.0, 120.0, &[(0.5, 3.5), (10.0, 2.0)], 1);
    let customer = synth::track(rate, 14.0, 220.0, &[(4.4, 2.6), (11.2, 2.3)], 7);
    synth::wav(rate, &[agent, customer])
}

#[test]
fn stereo_call_silence_overlap_and_pitch() {
    let f = analyze(&stereo_call(8000), &VoiceConfig::default()).unwrap();
    show(&f);
    assert_eq!(f.sample_rate, 8000);
    assert_eq!(f.duration_ms, 14_000);
    assert_eq!(f.channels.len(), 2);
    assert_eq!(f.channels[0].speaker, Some(Speaker::Agent));
    assert_eq!(f.channels[1].speaker, Some(Speaker::Customer));

    let agent = &f.channels[0];
    let customer = &f.channels[1];
    assert_eq!(agent.speech.len(), 2, "agent speech {:?}", agent.speech);
    near(&agent.speech[0], (500, 4000), 150);
    near(&agent.speech[1], (10_000, 12_000), 150);
    assert_eq!(customer.speech.len(), 2, "customer speech {:?}", customer.speech);
    near(&customer.speech[0], (4400, 7000), 150);
    near(&customer.speech[1], (11_200, 13_500), 150);

    assert_eq!(f.silences.len(), 1, "silences {:?}", f.silences);
    near(&f.silences[0], (7000, 10_000), 150);

    let overlaps = f.overlaps.as_ref().unwrap();
    assert_eq!(overlaps.len(), 1, "overlaps {overlaps:?}");
    near(&Span::new(overlaps[0].start_ms, overlaps[0].end_ms), (11_200, 12_000), 150);
    assert_eq!(overlaps[0].interrupter, Speaker::Customer);

    let pa = agent.pitch.as_ref().unwrap();
    let pc = customer.pitch.as_ref().unwrap();
    assert!((pa.median_hz / 120.0 - 1.0).abs() < 0.04, "agent pitch {pa:?}");
    assert!((pc.median_hz / 220.0 - 1.0).abs() < 0.04, "customer pitch {pc:?}");
    assert!((pa.mean_hz / 120.0 - 1.0).abs() < 0.05, "agent pitch {pa:?}");
    assert!((pc.mean_hz / 220.0 - 1.0).abs() < 0.05, "customer pitch {pc:?}");

    // contours: one value per 20 ms hop; no pitch in the silence, pitch where the agent speaks
    assert_eq!(agent.pitch_hz.len(), 700);
    assert_eq!(agent.energy_db.len(), 700);
    assert!(agent.pitch_hz[375..475].iter().all(Option::is_none));
    let voiced = agent.pitch_hz[50..180].iter().flatten().count();
    assert!(voiced > 85, "only {voiced} of 130 agent hops voiced");
    assert!(
        agent.energy_db[400] < -50.0 && agent.energy_db[100] > -35.0,
        "energy {} {}",
        agent.energy_db[400],
        agent.energy_db[100]
    );
}

#[test]
fn mono_16k_speech_silence_and_no_talk_over() {
    // one mixed track: 150 Hz speech 0.3–2.5 s and 5.0–7.2 s, so 2.5–5.0 s is a 2.5 s silence
    let track = synth::track(16_000, 8.0, 150.0, &[(0.3, 2.2), (5.0, 2.2)], 21);
    let f = analyze(&synth::wav(16_000, &[track]), &VoiceConfig::default()).unwrap();
    show(&f);
    assert_eq!(f.sample_rate, 16_000);
    assert_eq!(f.duration_ms, 8000);
    assert_eq!(f.channels.len(), 1);
    let c = &f.channels[0];
    assert_eq!(c.speaker, None);
    assert_eq!(c.speech.len(), 2, "speech {:?}", c.speech);
    near(&c.speech[0], (300, 2500), 150);
    near(&c.speech[1], (5000, 7200), 150);
    assert_eq!(f.silences.len(), 1, "silences {:?}", f.silences);
    near(&f.silences[0], (2500, 5000), 150);
    assert_eq!(f.overlaps, None, "a mono track cannot show talk-over");
    assert_eq!(f.talk_over_ms(), None);
    let p = c.pitch.as_ref().unwrap();
    assert!((p.median_hz / 150.0 - 1.0).abs() < 0.04, "pitch {p:?}");
    assert!((c.speech_ratio - 4.4 / 8.0).abs() < 0.04, "speech ratio {}", c.speech_ratio);
    // the channel of either speaker is the mixed one
    assert!(f.channel_of(Speaker::Agent).is_some() && f.channel_of(Speaker::Customer).is_some());
}

#[test]
fn stereo_16k_with_swapped_channels() {
    let config = VoiceConfig { stereo_speakers: [Speaker::Customer, Speaker::Agent], ..VoiceConfig::default() };
    let f = analyze(&stereo_call(16_000), &config).unwrap();
    show(&f);
    assert_eq!(f.sample_rate, 16_000);
    assert_eq!(f.channels[0].speaker, Some(Speaker::Customer));
    assert_eq!(f.channel_of(Speaker::Agent).unwrap().speech.len(), 2);
    let pitch = f.channel_of(Speaker::Customer).unwrap().pitch.as_ref().unwrap().median_hz;
    assert!((pitch / 120.0 - 1.0).abs() < 0.04, "channel 0 pitch {pitch}");
    assert_eq!(f.silences.len(), 1);
    near(&f.silences[0], (7000, 10_000), 150);
    let overlaps = f.overlaps.as_ref().unwrap();
    assert_eq!(overlaps.len(), 1);
    // channel 1 (now the agent's) started later, so the agent interrupted
    assert_eq!(overlaps[0].interrupter, Speaker::Agent);
    let talk_over = f.talk_over_ms().unwrap();
    assert!((talk_over - 800).abs() <= 150, "talk-over {talk_over} ms");
}

#[test]
fn other_rates_are_resampled() {
    let track = synth::track(22_050, 4.0, 200.0, &[(1.0, 2.0)], 5);
    let f = analyze(&synth::wav(22_050, &[track]), &VoiceConfig::default()).unwrap();
    assert_eq!(f.sample_rate, 22_050);
    assert_eq!(f.duration_ms, 4000);
    assert_eq!(f.channels[0].speech.len(), 1);
    near(&f.channels[0].speech[0], (1000, 3000), 150);
    let p = f.channels[0].pitch.as_ref().unwrap();
    assert!((p.median_hz / 200.0 - 1.0).abs() < 0.04, "pitch {p:?}");
}

#[test]
fn quiet_line_has_no_speech_and_one_long_silence() {
    let track = synth::track(8000, 5.0, 120.0, &[], 3);
    let f = analyze(&synth::wav(8000, &[track.clone(), track]), &VoiceConfig::default()).unwrap();
    for c in &f.channels {
        assert!(c.speech.is_empty(), "speech on a quiet line: {:?}", c.speech);
        assert_eq!(c.pitch, None);
        assert_eq!(c.speech_ratio, 0.0);
        assert!(c.pitch_hz.iter().all(Option::is_none));
        assert!(c.energy_db.iter().all(|&e| e < -55.0));
    }
    assert_eq!(f.silences, vec![Span::new(0, 5000)]);
    assert_eq!(f.overlaps, Some(vec![]));
}

#[test]
fn minimums_are_configurable() {
    let strict = VoiceConfig { min_silence_ms: 3500, min_overlap_ms: 1000, ..VoiceConfig::default() };
    let f = analyze(&stereo_call(8000), &strict).unwrap();
    assert!(f.silences.is_empty(), "{:?}", f.silences);
    assert_eq!(f.overlaps, Some(vec![]));
}

#[test]
fn features_serialise_as_json() {
    let f = analyze(&stereo_call(8000), &VoiceConfig::default()).unwrap();
    let json = serde_json::to_value(&f).unwrap();
    assert_eq!(json["channels"][0]["speaker"], "agent");
    assert_eq!(json["overlaps"][0]["interrupter"], "customer");
    assert!(json["channels"][0]["pitch_hz"][0].is_null());
    let back: VoiceFeatures = serde_json::from_value(json).unwrap();
    assert_eq!(back, f);
    let config: VoiceConfig = serde_json::from_str(r#"{"min_silence_ms": 5000}"#).unwrap();
    assert_eq!(config.min_silence_ms, 5000);
    assert_eq!(config.hop_ms, 20);
    assert!(serde_json::from_str::<VoiceConfig>(r#"{"min_silense_ms": 5000}"#).is_err());
}

#[test]
fn contours_follow_the_hop() {
    let config = VoiceConfig { hop_ms: 50, ..VoiceConfig::default() };
    let f = analyze(&stereo_call(8000), &config).unwrap();
    assert_eq!(f.hop_ms, 50);
    assert_eq!(f.channels[1].pitch_hz.len(), 280);
    assert_eq!(f.channels[1].energy_db.len(), 280);
}

/// Not a benchmark (see `examples/five_minutes.rs` for the timing): a five-minute call is
/// analysed whole, and its structure comes out right.
#[test]
fn five_minute_call() {
    let rate = 8000;
    let mut agent = Vec::new();
    let mut customer = Vec::new();
    // 30 exchanges of 10 s: agent 0–4 s, customer 4.5–8.5 s, 1.5 s of quiet
    for k in 0..30 {
        let at = k as f32 * 10.0;
        agent.push((at, 4.0));
        customer.push((at + 4.5, 4.0));
    }
    let a = synth::track(rate, 300.0, 110.0, &agent, 11);
    let c = synth::track(rate, 300.0, 210.0, &customer, 12);
    let started = std::time::Instant::now();
    let f = analyze(&synth::wav(rate, &[a, c]), &VoiceConfig::default()).unwrap();
    println!("five-minute stereo 8 kHz call analysed in {:?} (test profile)", started.elapsed());
    assert_eq!(f.duration_ms, 300_000);
    assert_eq!(f.channels[0].speech.len(), 30);
    assert_eq!(f.channels[1].speech.len(), 30);
    assert!(f.silences.is_empty(), "1.5 s pauses are not silences: {:?}", f.silences);
    assert_eq!(f.overlaps, Some(vec![]));
}

#[test]
fn a_reader_gives_what_bytes_give() {
    let bytes = stereo_call(8000);
    let from_bytes = analyze(&bytes, &VoiceConfig::default()).unwrap();
    let from_reader = seatmate_voice::analyze_reader(&mut bytes.as_slice(), &VoiceConfig::default()).unwrap();
    assert_eq!(from_bytes, from_reader);
}
