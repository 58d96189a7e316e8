//! Voice features of a recorded call, for the case timeline and for quality rules.
//!
//! [`analyze`] takes the bytes of a WAV file (mono, or stereo with the agent and the customer on
//! separate channels) and gives, per channel, the speech found by a voice-activity detector
//! (`earshot`), a pitch contour (`pitch-detection`, McLeod) and an energy contour at a fixed hop,
//! plus the silences where nobody speaks and — on stereo calls — the overlaps where both do.
//! [`speech_rate`] aligns those features with the transcript's turns and gives words (English) or
//! characters (Chinese) per minute of speech.
//!
//! Pure computation: bytes in, plain (serde-serialisable) data out; no files, store, HTTP or clock.

mod contour;
mod rate;
mod spans;
pub mod synth;
mod vad;
mod wav;

use seatmate_core::Speaker;
use serde::{Deserialize, Serialize};

pub use rate::{speech_rate, RateBasis, RateUnit, SpeakerRate, SpeechRates, TurnRate};
pub use spans::Span;

/// The rate speech activity is found at: the voice-activity detector's own rate. Files at other
/// rates (8 kHz telephone audio above all) are resampled to it first.
pub const ANALYSIS_RATE: u32 = 16_000;
/// The rate pitch and energy are measured at: the telephone band, so 8 kHz and wide-band
/// recordings of the same voice give the same contours (and pitch costs half as much).
pub const CONTOUR_RATE: u32 = 8_000;
/// The lowest sample rate accepted (narrow-band telephone audio).
pub const MIN_SAMPLE_RATE: u32 = 8_000;
/// The highest sample rate accepted.
pub const MAX_SAMPLE_RATE: u32 = 48_000;

/// Why a recording could not be analysed.
#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    #[error("not a WAV file: {0}")]
    NotWav(String),
    #[error("unsupported WAV encoding: {0} (PCM 8/16/24/32-bit integers or 32-bit floats are read; convert µ-law/A-law telephone audio to PCM first)")]
    UnsupportedFormat(String),
    #[error("unsupported sample rate {rate} Hz (from {MIN_SAMPLE_RATE} to {MAX_SAMPLE_RATE} Hz are read)")]
    UnsupportedSampleRate { rate: u32 },
    #[error("{channels} channels: only mono (a mixed call) or stereo (agent and customer on separate channels) is read")]
    TooManyChannels { channels: u16 },
    #[error("the recording has no samples")]
    Empty,
    #[error("invalid voice configuration: {0}")]
    InvalidConfig(String),
    #[error("resampling failed: {0}")]
    Resample(String),
}

/// How a recording is read and what counts as speech, silence and talk-over.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VoiceConfig {
    /// Who is on channel 0 and channel 1 of a stereo file.
    pub stereo_speakers: [Speaker; 2],
    /// Spacing of the pitch and energy contours, in milliseconds (10–1000).
    pub hop_ms: u32,
    /// The voice-activity detector's score (0–1) above which a 16 ms frame is speech.
    pub vad_threshold: f32,
    /// A segment that reaches `vad_threshold` starts back at the first of the frames leading up
    /// to it that score at least `vad_threshold - vad_hysteresis`.
    pub vad_hysteresis: f32,
    /// Pauses inside speech shorter than this are bridged (hangover), in milliseconds.
    pub bridge_gap_ms: u32,
    /// Speech segments shorter than this (after bridging) are dropped, in milliseconds.
    pub min_speech_ms: u32,
    /// A silence is every channel quiet for at least this long, in milliseconds.
    pub min_silence_ms: u32,
    /// Talk-over is both channels speaking for at least this long, in milliseconds.
    pub min_overlap_ms: u32,
    /// The pitch range searched, in Hz.
    pub pitch_min_hz: f32,
    pub pitch_max_hz: f32,
    /// The McLeod clarity (0–1) a pitch estimate needs; below it the frame counts as unvoiced.
    pub pitch_clarity: f32,
    /// Frames quieter than this (dBFS) get no pitch.
    pub pitch_min_db: f32,
}

impl Default for VoiceConfig {
    fn default() -> Self {
        VoiceConfig {
            stereo_speakers: [Speaker::Agent, Speaker::Customer],
            hop_ms: 20,
            vad_threshold: 0.5,
            vad_hysteresis: 0.15,
            bridge_gap_ms: 300,
            min_speech_ms: 120,
            min_silence_ms: 2_000,
            min_overlap_ms: 300,
            pitch_min_hz: 60.0,
            pitch_max_hz: 450.0,
            pitch_clarity: 0.7,
            pitch_min_db: -50.0,
        }
    }
}

impl VoiceConfig {
    fn validate(&self) -> Result<(), VoiceError> {
        let bad = |what: &str| Err(VoiceError::InvalidConfig(what.to_string()));
        if !(10..=1000).contains(&self.hop_ms) {
            return bad("hop_ms must be from 10 to 1000");
        }
        if !(0.0..=1.0).contains(&self.vad_threshold) {
            return bad("vad_threshold must be from 0 to 1");
        }
        if !(0.0..=self.vad_threshold).contains(&self.vad_hysteresis) {
            return bad("vad_hysteresis must be from 0 to vad_threshold");
        }
        if !(0.0..=1.0).contains(&self.pitch_clarity) {
            return bad("pitch_clarity must be from 0 to 1");
        }
        if !(self.pitch_min_hz >= 40.0 && self.pitch_min_hz < self.pitch_max_hz && self.pitch_max_hz <= 1000.0) {
            return bad("pitch range must satisfy 40 <= pitch_min_hz < pitch_max_hz <= 1000");
        }
        if !self.pitch_min_db.is_finite() {
            return bad("pitch_min_db must be a number");
        }
        if self.stereo_speakers[0] == self.stereo_speakers[1] {
            return bad("stereo_speakers must name two different speakers");
        }
        Ok(())
    }
}

/// What the analysis found in one recording.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoiceFeatures {
    /// The file's own sample rate (speech activity is found at [`ANALYSIS_RATE`], pitch and
    /// energy measured at [`CONTOUR_RATE`]).
    pub sample_rate: u32,
    pub duration_ms: i64,
    /// Spacing of every contour: value `i` describes `[i * hop_ms, (i + 1) * hop_ms)`.
    pub hop_ms: u32,
    /// One per channel of the file, in channel order.
    pub channels: Vec<ChannelFeatures>,
    /// Stretches where no channel has speech, at least `min_silence_ms` long (including any at
    /// the start or end of the recording).
    pub silences: Vec<Span>,
    /// Stretches where both channels speak, at least `min_overlap_ms` long. `None` for a mono
    /// recording: with both voices on one track, talk-over cannot be measured.
    pub overlaps: Option<Vec<Overlap>>,
}

/// One channel's features.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelFeatures {
    /// Who speaks on this channel; `None` for a mono recording (both voices mixed).
    pub speaker: Option<Speaker>,
    /// Speech segments, smoothed (short pauses bridged, short blips dropped).
    pub speech: Vec<Span>,
    /// Fundamental frequency per hop, `None` where the frame is silent or unvoiced.
    pub pitch_hz: Vec<Option<f32>>,
    /// Energy per hop in dBFS (RMS; -100 for digital silence).
    pub energy_db: Vec<f32>,
    /// Share of the recording that is speech on this channel (0–1).
    pub speech_ratio: f32,
    /// Summary of the voiced frames' pitch; `None` when no frame was voiced.
    pub pitch: Option<PitchStats>,
    /// Mean energy over the hops inside speech, in dBFS; `None` without speech.
    pub mean_speech_energy_db: Option<f32>,
}

/// Summary of a channel's pitch over its voiced frames.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PitchStats {
    pub mean_hz: f32,
    pub median_hz: f32,
    /// 10th and 90th percentiles: the range, robust to stray octave errors.
    pub p10_hz: f32,
    pub p90_hz: f32,
    /// `12 · log2(p90 / p10)`: the range in semitones (flat voice ≈ 2–4, lively ≈ 8+).
    pub range_semitones: f32,
    pub voiced_frames: usize,
}

/// Both channels speaking at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overlap {
    pub start_ms: i64,
    pub end_ms: i64,
    /// Who started talking while the other was already speaking (the later speech segment).
    pub interrupter: Speaker,
}

impl Overlap {
    pub fn duration_ms(&self) -> i64 {
        self.end_ms - self.start_ms
    }
}

/// Analyses a WAV file given as bytes.
pub fn analyze(wav: &[u8], config: &VoiceConfig) -> Result<VoiceFeatures, VoiceError> {
    config.validate()?;
    analyze_audio(wav::decode(std::io::Cursor::new(wav))?, config)
}

/// Analyses a WAV file read from `reader` (read to its end; nothing is written anywhere).
pub fn analyze_reader(reader: &mut dyn std::io::Read, config: &VoiceConfig) -> Result<VoiceFeatures, VoiceError> {
    config.validate()?;
    analyze_audio(wav::decode(std::io::BufReader::new(reader))?, config)
}

fn analyze_audio(audio: wav::Audio, config: &VoiceConfig) -> Result<VoiceFeatures, VoiceError> {
    let sample_rate = audio.sample_rate;
    let frames = audio.channels.first().map_or(0, Vec::len);
    let duration_ms = (frames as i64 * 1000) / i64::from(sample_rate);
    let at = |rate: u32| if rate == sample_rate { Ok(None) } else { wav::resample(&audio.channels, sample_rate, rate).map(Some) };
    let (for_vad, for_contours) = (at(ANALYSIS_RATE)?, at(CONTOUR_RATE)?);
    let (for_vad, for_contours) = match (for_vad, for_contours) {
        (Some(v), Some(c)) => (v, c),
        (None, Some(c)) => (audio.channels, c),
        (Some(v), None) => (v, audio.channels),
        (None, None) => (audio.channels.clone(), audio.channels),
    };

    let mono = for_vad.len() == 1;
    let mut channels = Vec::with_capacity(for_vad.len());
    for (index, (vad_track, contour_track)) in for_vad.iter().zip(&for_contours).enumerate() {
        let speaker = if mono { None } else { config.stereo_speakers.get(index).copied() };
        let speech = vad::speech_spans(vad_track, duration_ms, config);
        let contours = contour::contours(contour_track, &speech, duration_ms, config);
        let speech_ms: i64 = speech.iter().map(Span::duration_ms).sum();
        let speech_ratio = if duration_ms > 0 { speech_ms as f32 / duration_ms as f32 } else { 0.0 };
        channels.push(ChannelFeatures {
            speaker,
            speech,
            pitch: contour::pitch_stats(&contours.pitch_hz),
            mean_speech_energy_db: contours.mean_speech_energy_db,
            pitch_hz: contours.pitch_hz,
            energy_db: contours.energy_db,
            speech_ratio,
        });
    }

    let all_speech: Vec<&[Span]> = channels.iter().map(|c| c.speech.as_slice()).collect();
    let silences = spans::gaps(&spans::union(&all_speech), duration_ms)
        .into_iter()
        .filter(|s| s.duration_ms() >= i64::from(config.min_silence_ms))
        .collect();
    let overlaps = match channels.as_slice() {
        [a, b] => match (a.speaker, b.speaker) {
            (Some(sa), Some(sb)) => Some(spans::overlaps(&a.speech, &b.speech, sa, sb, i64::from(config.min_overlap_ms))),
            _ => None,
        },
        _ => None,
    };

    Ok(VoiceFeatures { sample_rate, duration_ms, hop_ms: config.hop_ms, channels, silences, overlaps })
}

impl VoiceFeatures {
    /// The channel where `speaker` talks: their own on a stereo call, the mixed one on a mono one.
    pub fn channel_of(&self, speaker: Speaker) -> Option<&ChannelFeatures> {
        match self.channels.as_slice() {
            [only] => Some(only),
            many => many.iter().find(|c| c.speaker == Some(speaker)),
        }
    }

    /// Total talk-over in milliseconds; `None` for a mono recording.
    pub fn talk_over_ms(&self) -> Option<i64> {
        self.overlaps.as_ref().map(|o| o.iter().map(Overlap::duration_ms).sum())
    }
}
