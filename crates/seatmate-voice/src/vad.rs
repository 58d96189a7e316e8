//! Speech activity: `earshot`'s detector on 16 ms frames at 16 kHz, then smoothing.

use crate::spans::Span;
use crate::VoiceConfig;

/// Samples per detector frame at the analysis rate (16 ms at 16 kHz), fixed by `earshot`.
const FRAME: usize = 256;
const FRAME_MS: i64 = 16;
/// `earshot` scores a frame on features of the last three frames (48 ms), so its speech runs on
/// that long after the voice stops; every raw segment's end is moved back by as much.
const LOOKBACK_MS: i64 = 48;

/// The detector's score (0–1) for every 16 ms frame of `track` (16 kHz); the last frame is padded
/// with silence.
pub(crate) fn frame_scores(track: &[f32]) -> Vec<f32> {
    let mut detector = earshot::Detector::default();
    let mut frame = [0i16; FRAME];
    let mut scores = Vec::with_capacity(track.len() / FRAME + 1);
    for chunk in track.chunks(FRAME) {
        for (slot, s) in frame.iter_mut().zip(chunk.iter().chain(std::iter::repeat(&0.0))) {
            // the i16 path: earshot's f32 path checks the range only in debug builds
            *slot = (s.clamp(-1.0, 1.0) * 32767.0) as i16;
        }
        scores.push(detector.predict_i16(&frame));
    }
    scores
}

/// Smoothed speech segments of one 16 kHz track, in milliseconds, clipped to `duration_ms`.
pub(crate) fn speech_spans(track: &[f32], duration_ms: i64, config: &VoiceConfig) -> Vec<Span> {
    let scores = frame_scores(track);
    // Hysteresis at the onset only: a segment starts where the frames leading up to a frame at
    // the threshold first rose above the lower threshold (the detector needs a few frames of
    // context to be sure), and ends at the last frame at the threshold (its look-back already
    // stretches ends).
    let low = config.vad_threshold - config.vad_hysteresis;
    let mut raw: Vec<Span> = Vec::new();
    let mut rising: Option<usize> = None; // first frame of the current run above `low`
    let mut speaking: Option<usize> = None; // first frame of the current segment
    for (i, &score) in scores.iter().chain(std::iter::once(&-1.0)).enumerate() {
        if score < low {
            rising = None;
        } else if rising.is_none() {
            rising = Some(i);
        }
        match speaking {
            Some(first) if score < config.vad_threshold => {
                raw.push(Span::new(first as i64 * FRAME_MS, i as i64 * FRAME_MS));
                speaking = None;
            }
            None if score >= config.vad_threshold => speaking = Some(rising.unwrap_or(i)),
            _ => {}
        }
    }
    for s in &mut raw {
        s.end_ms = (s.end_ms - LOOKBACK_MS).max(s.start_ms + FRAME_MS);
    }
    smooth(raw, i64::from(config.bridge_gap_ms), i64::from(config.min_speech_ms), duration_ms)
}

/// Bridges pauses shorter than `bridge_ms`, then drops segments shorter than `min_ms`.
pub(crate) fn smooth(raw: Vec<Span>, bridge_ms: i64, min_ms: i64, duration_ms: i64) -> Vec<Span> {
    let mut bridged: Vec<Span> = Vec::with_capacity(raw.len());
    for s in raw {
        match bridged.last_mut() {
            Some(last) if s.start_ms - last.end_ms < bridge_ms => last.end_ms = s.end_ms,
            _ => bridged.push(s),
        }
    }
    bridged
        .into_iter()
        .map(|s| Span::new(s.start_ms.min(duration_ms), s.end_ms.min(duration_ms)))
        .filter(|s| s.duration_ms() >= min_ms.max(1))
        .collect()
}
