//! Times the analysis of a five-minute stereo 8 kHz call (made in memory, as the tests make
//! theirs): `cargo run -p seatmate-voice --example five_minutes --release`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/it/synth.rs"]
mod synth;

use std::time::Instant;

use seatmate_voice::{analyze, VoiceConfig};

/// This thread's time on a CPU (Linux), so a busy machine does not inflate the figure.
fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat").ok()?.split_whitespace().next()?.parse().ok()
}

fn main() {
    let rate = 8000;
    let (mut agent, mut customer) = (Vec::new(), Vec::new());
    for k in 0..30 {
        let at = k as f32 * 10.0;
        agent.push((at, 4.0));
        customer.push((at + 4.5, 4.0));
    }
    let wav = synth::wav(rate, &[synth::track(rate, 300.0, 110.0, &agent, 11), synth::track(rate, 300.0, 210.0, &customer, 12)]);
    let config = VoiceConfig::default();
    let (mut wall, mut cpu) = (f64::MAX, f64::MAX);
    for _ in 0..5 {
        let (started, cpu_started) = (Instant::now(), cpu_ns());
        let features = analyze(&wav, &config).unwrap();
        wall = wall.min(started.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu_started, cpu_ns()) {
            cpu = cpu.min((b - a) as f64 / 1e9);
        }
        assert_eq!(features.channels[0].speech.len(), 30);
    }
    let json = serde_json::to_string(&analyze(&wav, &config).unwrap()).unwrap();
    println!(
        "five-minute stereo 8 kHz call, one thread, best of 5: {:.0} ms wall, {:.0} ms on the CPU; JSON {} kB",
        wall * 1000.0,
        cpu * 1000.0,
        json.len() / 1000
    );
}
