//! Speech-like audio made in memory, for the demo's recordings and the tests: a voiced source at a
//! known pitch (harmonics with a glottal-like −6 dB/octave tilt), shaped by vowel formants that
//! change every syllable, with a syllable-rate (≈4 Hz) envelope, a short noise burst for each
//! consonant, and a quiet noise floor. Not a voice anyone would listen to: a signal whose speech,
//! silences, overlaps and pitch are known.

use std::f32::consts::PI;
use std::io::Cursor;

/// A deterministic noise source (xorshift), values in [-1, 1].
pub struct Noise(u64);

impl Noise {
    pub fn new(seed: u64) -> Noise {
        Noise(seed.max(1))
    }
    pub fn sample(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 40) as f32 / (1u64 << 23) as f32 - 1.0
    }
}

/// Formants (F1, F2, F3) of a few vowels, Hz.
const VOWELS: [[f32; 3]; 5] =
    [[730.0, 1090.0, 2440.0], [270.0, 2290.0, 3010.0], [570.0, 840.0, 2410.0], [530.0, 1840.0, 2480.0], [300.0, 870.0, 2240.0]];

fn formant_gain(f: f32, formants: &[f32; 3]) -> f32 {
    // a sum of resonance peaks (bandwidth ~ 80–120 Hz), as a vocal tract gives
    formants
        .iter()
        .enumerate()
        .map(|(k, &fc)| {
            let bw = 80.0 + 20.0 * k as f32;
            1.0 / (1.0 + ((f - fc) / bw).powi(2))
        })
        .sum::<f32>()
        + 0.05
}

/// Adds speech at pitch `f0` to `out` (at `rate`) from `start_s` for `dur_s` seconds.
pub fn add_voice(out: &mut [f32], rate: u32, start_s: f32, dur_s: f32, f0: f32, seed: u64) {
    let mut noise = Noise::new(seed);
    let sr = rate as f32;
    let first = (start_s * sr) as usize;
    let n = (dur_s * sr) as usize;
    let syllable = 0.24; // seconds: ~4 syllables a second
    let nyquist = sr / 2.0 - 300.0;
    let mut phase = 0.0f32;
    // harmonic amplitudes per vowel, computed once
    let harmonics = (nyquist / (f0 * 0.95)) as usize;
    let gains: Vec<Vec<f32>> =
        VOWELS.iter().map(|v| (1..=harmonics).map(|h| formant_gain(h as f32 * f0, v) / h as f32).collect()).collect();
    for i in 0..n {
        let t = i as f32 / sr;
        let syl = (t / syllable) as usize;
        let within = (t % syllable) / syllable;
        // intonation: a slow ±4 % wave around f0, so the mean pitch stays f0
        let f = f0 * (1.0 + 0.04 * (2.0 * PI * 0.8 * t + seed as f32).sin());
        phase += 2.0 * PI * f / sr;
        if phase > 2.0 * PI * 1000.0 {
            phase -= 2.0 * PI * 1000.0;
        }
        let g = &gains[(syl + seed as usize) % VOWELS.len()];
        let mut voiced = 0.0;
        for (h, &a) in g.iter().enumerate() {
            let hf = (h + 1) as f32 * f;
            if hf < nyquist {
                voiced += a * ((h + 1) as f32 * phase).sin();
            }
        }
        // syllable envelope: consonant burst (first 12 %), vowel nucleus rising and falling
        let (v_env, c_env) = if within < 0.12 {
            (0.0, 0.25 * (PI * within / 0.12).sin())
        } else {
            let x = (within - 0.12) / 0.88;
            ((PI * x).sin().powf(0.6), 0.0)
        };
        if let Some(slot) = out.get_mut(first + i) {
            *slot += 0.18 * v_env * voiced + c_env * 0.3 * noise.sample();
        }
    }
}

/// A quiet noise floor (about −60 dBFS), as a line has.
pub fn add_floor(out: &mut [f32], seed: u64) {
    let mut noise = Noise::new(seed);
    for s in out.iter_mut() {
        *s += 0.001 * noise.sample();
    }
}

/// A 16-bit PCM WAV of the given channels (all the same length), in memory.
pub fn wav(rate: u32, channels: &[Vec<f32>]) -> Result<Vec<u8>, hound::Error> {
    let spec = hound::WavSpec {
        channels: channels.len() as u16,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut cursor = Cursor::new(Vec::new());
    {
        let mut writer = hound::WavWriter::new(&mut cursor, spec)?;
        let frames = channels.first().map_or(0, Vec::len);
        for i in 0..frames {
            for ch in channels {
                let sample = ch.get(i).copied().unwrap_or(0.0);
                writer.write_sample((sample.clamp(-1.0, 1.0) * 32767.0) as i16)?;
            }
        }
        writer.finalize()?;
    }
    Ok(cursor.into_inner())
}

/// A stereo call (agent on channel 0, customer on channel 1) at `rate`, `secs` long, with speech
/// where each side's (start, end) spans in milliseconds say: a lower voice for the agent.
pub fn call(rate: u32, secs: f32, agent: &[(i64, i64)], customer: &[(i64, i64)]) -> Result<Vec<u8>, hound::Error> {
    let spans = |side: &[(i64, i64)]| -> Vec<(f32, f32)> {
        side.iter().map(|&(s, e)| (s as f32 / 1000.0, (e - s).max(0) as f32 / 1000.0)).collect()
    };
    wav(rate, &[track(rate, secs, 120.0, &spans(agent), 1), track(rate, secs, 220.0, &spans(customer), 1_000)])
}

/// A track of `secs` seconds at `rate` with the given (start, duration) speech at pitch `f0`.
pub fn track(rate: u32, secs: f32, f0: f32, speech: &[(f32, f32)], seed: u64) -> Vec<f32> {
    let mut out = vec![0.0; (secs * rate as f32) as usize];
    for (k, &(start, dur)) in speech.iter().enumerate() {
        add_voice(&mut out, rate, start, dur, f0, seed + k as u64);
    }
    add_floor(&mut out, seed + 100);
    out
}
