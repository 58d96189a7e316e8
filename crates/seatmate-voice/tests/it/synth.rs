//! The test recordings come from `seatmate_voice::synth` (the demo's voice too).

pub use seatmate_voice::synth::track;

/// A 16-bit PCM WAV of the given channels, in memory.
pub fn wav(rate: u32, channels: &[Vec<f32>]) -> Vec<u8> {
    seatmate_voice::synth::wav(rate, channels).unwrap()
}
