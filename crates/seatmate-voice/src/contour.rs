//! Energy and pitch contours at a fixed hop; pitch by `pitch-detection`'s McLeod detector.

use pitch_detection::detector::mcleod::McLeodDetector;
use pitch_detection::detector::PitchDetector;

use crate::spans::Span;
use crate::{PitchStats, VoiceConfig, CONTOUR_RATE};

/// Energy of digital silence, in dBFS.
const FLOOR_DB: f32 = -100.0;

pub(crate) struct Contours {
    pub pitch_hz: Vec<Option<f32>>,
    pub energy_db: Vec<f32>,
    pub mean_speech_energy_db: Option<f32>,
}

fn db(mean_square: f64) -> f32 {
    if mean_square <= 1e-10 {
        FLOOR_DB
    } else {
        ((10.0 * mean_square.log10()) as f32).max(FLOOR_DB)
    }
}

fn mean_square(samples: &[f32]) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>() / samples.len() as f64
}

fn round1(x: f32) -> f32 {
    (x * 10.0).round() / 10.0
}

/// One energy value and one pitch value per hop of an 8 kHz `track`; pitch only inside `speech`.
pub(crate) fn contours(track: &[f32], speech: &[Span], duration_ms: i64, config: &VoiceConfig) -> Contours {
    let rate = CONTOUR_RATE as usize;
    let hop_ms = i64::from(config.hop_ms);
    let hops = ((duration_ms + hop_ms - 1) / hop_ms).max(0) as usize;
    let hop_samples = rate * config.hop_ms as usize / 1000;

    // at least two periods of the lowest pitch searched; window plus padding (which must hold the
    // longest lag, one period) a power of two, as pitch-detection plans its FFT on every call
    let period = (CONTOUR_RATE as f32 / config.pitch_min_hz).ceil() as usize;
    let fft = (3 * period).next_power_of_two();
    let padding = period.max(fft / 4);
    let window = fft - padding;
    let mut detector = McLeodDetector::<f32>::new(window, padding);
    let mut frame = vec![0.0f32; window];

    let mut energy_db = Vec::with_capacity(hops);
    let mut pitch_hz = Vec::with_capacity(hops);
    let mut speech_energy = (0.0f64, 0usize);
    let mut next_speech = 0;
    for i in 0..hops {
        let start = (i * hop_samples).min(track.len());
        let end = (start + hop_samples).min(track.len());
        let energy = db(mean_square(&track[start..end]));
        energy_db.push(round1(energy));

        let centre_ms = i as i64 * hop_ms + hop_ms / 2;
        while speech.get(next_speech).is_some_and(|s| s.end_ms <= centre_ms) {
            next_speech += 1;
        }
        let in_speech = speech.get(next_speech).is_some_and(|s| s.start_ms <= centre_ms);
        if !in_speech {
            pitch_hz.push(None);
            continue;
        }
        speech_energy.0 += f64::from(energy);
        speech_energy.1 += 1;

        // the analysis window, centred on the hop's centre, zero beyond the track's ends
        let centre = start + hop_samples / 2;
        let first = centre as i64 - (window / 2) as i64;
        for (k, slot) in frame.iter_mut().enumerate() {
            let at = first + k as i64;
            *slot = if at >= 0 { track.get(at as usize).copied().unwrap_or(0.0) } else { 0.0 };
        }
        if db(mean_square(&frame)) < config.pitch_min_db {
            pitch_hz.push(None);
            continue;
        }
        let pitch = detector
            .get_pitch(&frame, rate, 0.0, config.pitch_clarity)
            .map(|p| p.frequency)
            .filter(|f| f.is_finite() && *f >= config.pitch_min_hz && *f <= config.pitch_max_hz)
            .map(round1);
        pitch_hz.push(pitch);
    }
    let mean_speech_energy_db = (speech_energy.1 > 0).then(|| round1((speech_energy.0 / speech_energy.1 as f64) as f32));
    Contours { pitch_hz, energy_db, mean_speech_energy_db }
}

fn percentile(sorted: &[f32], q: f32) -> f32 {
    let at = ((sorted.len() - 1) as f32 * q).round() as usize;
    sorted.get(at).copied().unwrap_or(0.0)
}

pub(crate) fn pitch_stats(contour: &[Option<f32>]) -> Option<PitchStats> {
    let mut voiced: Vec<f32> = contour.iter().flatten().copied().collect();
    if voiced.is_empty() {
        return None;
    }
    voiced.sort_by(f32::total_cmp);
    let mean = voiced.iter().sum::<f32>() / voiced.len() as f32;
    let p10 = percentile(&voiced, 0.1);
    let p90 = percentile(&voiced, 0.9);
    Some(PitchStats {
        mean_hz: round1(mean),
        median_hz: percentile(&voiced, 0.5),
        p10_hz: p10,
        p90_hz: p90,
        range_semitones: round1(12.0 * (p90 / p10).log2()),
        voiced_frames: voiced.len(),
    })
}
