//! Speech rate per transcript turn, aligned with the speech the detector heard.

use seatmate_core::{Speaker, Turn};
use serde::{Deserialize, Serialize};

use crate::spans::{covered_ms, Span};
use crate::VoiceFeatures;

/// What a rate counts: Chinese is measured in characters, other languages in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RateUnit {
    /// Han characters make up most of the turn's units (characters per minute).
    Characters,
    /// Words per minute.
    Words,
}

/// Which time a rate divides by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RateBasis {
    /// The speech the detector found on the speaker's channel inside the turn's span (pauses
    /// inside the turn do not lower the rate).
    Speech,
    /// The turn's own span: the speaker has no channel of their own (a system turn on a stereo
    /// call) or the detector heard no speech there.
    TurnSpan,
}

/// The rate of one transcript turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TurnRate {
    /// Index of the turn in the transcript.
    pub turn: usize,
    pub speaker: Speaker,
    /// Words and Han characters, counted as `seatmate_text::spoken_units` does.
    pub units: usize,
    pub unit: RateUnit,
    /// The time divided by, in milliseconds.
    pub speech_ms: i64,
    pub basis: RateBasis,
    /// Units per minute; `None` when the turn has no timestamps or no duration.
    pub per_minute: Option<f64>,
}

/// A speaker's rate over all their timed turns: all their units over all their speech time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpeakerRate {
    pub speaker: Speaker,
    pub units: usize,
    pub speech_ms: i64,
    pub turns: usize,
    pub per_minute: Option<f64>,
}

/// Rates per turn and per speaker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpeechRates {
    /// One per timed turn with text, in transcript order.
    pub turns: Vec<TurnRate>,
    /// One per speaker with a measured turn, agent first.
    pub speakers: Vec<SpeakerRate>,
}

fn han_units(text: &str) -> usize {
    text.chars().filter(|&c| seatmate_text::is_han(c)).count()
}

fn per_minute(units: usize, ms: i64) -> Option<f64> {
    (ms > 0).then(|| units as f64 * 60_000.0 / ms as f64)
}

/// Words (or characters) per minute for every turn with timestamps, using the turn's own span
/// clipped to the speech on the speaker's channel, plus per-speaker averages.
pub fn speech_rate(features: &VoiceFeatures, turns: &[Turn]) -> SpeechRates {
    let mut out = Vec::new();
    for (index, turn) in turns.iter().enumerate() {
        let (Some(start), Some(end)) = (turn.start_ms, turn.end_ms) else { continue };
        let units = seatmate_text::spoken_units(&turn.text);
        if units == 0 || end <= start {
            continue;
        }
        let span = Span::new(start, end);
        let heard = features.channel_of(turn.speaker).map_or(0, |c| covered_ms(&c.speech, &span));
        let (speech_ms, basis) = if heard > 0 { (heard, RateBasis::Speech) } else { (span.duration_ms(), RateBasis::TurnSpan) };
        let han = han_units(&turn.text);
        out.push(TurnRate {
            turn: index,
            speaker: turn.speaker,
            units,
            unit: if 2 * han >= units { RateUnit::Characters } else { RateUnit::Words },
            speech_ms,
            basis,
            per_minute: per_minute(units, speech_ms),
        });
    }
    let mut speakers: Vec<SpeakerRate> = Vec::new();
    for speaker in Speaker::ALL {
        let mine: Vec<&TurnRate> = out.iter().filter(|t| t.speaker == *speaker).collect();
        if mine.is_empty() {
            continue;
        }
        let units = mine.iter().map(|t| t.units).sum();
        let speech_ms = mine.iter().map(|t| t.speech_ms).sum();
        speakers.push(SpeakerRate {
            speaker: *speaker,
            units,
            speech_ms,
            turns: mine.len(),
            per_minute: per_minute(units, speech_ms),
        });
    }
    SpeechRates { turns: out, speakers }
}
