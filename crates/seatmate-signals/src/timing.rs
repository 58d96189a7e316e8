//! What the timestamps say about a turn: the silence before it, how long it talked over the
//! other side, and how fast it was spoken (Chinese characters, or words of other scripts, per
//! minute). Turns without times give nothing.

use seatmate_core::{Speaker, Turn};
use serde::{Deserialize, Serialize};

/// A silence at least this long is worth showing.
pub const LONG_SILENCE_MS: i64 = 5_000;
/// An overlap at least this long is talk-over.
pub const TALK_OVER_MS: i64 = 500;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Timing {
    /// The gap between the previous turn's end and this turn's start, when it is long.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub silence_ms: Option<i64>,
    /// How long this turn started before the other speaker's previous turn ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub talk_over_ms: Option<i64>,
    /// Characters (Han) or words per minute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_minute: Option<u32>,
}

/// The timing of `turn` after `previous` (the conversation's turn before it, if any).
pub fn timing(previous: Option<&Turn>, turn: &Turn) -> Timing {
    let mut timing = Timing::default();
    if let (Some(before), Some(start)) = (previous, turn.start_ms) {
        if let Some(end) = before.end_ms {
            let gap = start - end;
            if gap >= LONG_SILENCE_MS {
                timing.silence_ms = Some(gap);
            }
            if before.speaker != turn.speaker && before.speaker != Speaker::System && -gap >= TALK_OVER_MS {
                timing.talk_over_ms = Some(-gap);
            }
        }
    }
    if let (Some(start), Some(end)) = (turn.start_ms, turn.end_ms) {
        let spoken = seatmate_text::spoken_units(&turn.text);
        if end - start >= 1_000 && spoken > 0 {
            timing.per_minute = Some((spoken as i64 * 60_000 / (end - start)) as u32);
        }
    }
    timing
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(speaker: Speaker, text: &str, start: i64, end: i64) -> Turn {
        Turn { speaker, text: text.into(), start_ms: Some(start), end_ms: Some(end), audio_ref: None }
    }

    #[test]
    fn silence_talk_over_and_rate_come_from_the_times() {
        let agent = turn(Speaker::Agent, "请稍等，我查一下", 0, 2_000);
        let after_silence = turn(Speaker::Customer, "还在吗", 9_000, 10_000);
        assert_eq!(timing(Some(&agent), &after_silence).silence_ms, Some(7_000));
        let interrupting = turn(Speaker::Customer, "我不要听这些", 1_200, 3_000);
        assert_eq!(timing(Some(&agent), &interrupting).talk_over_ms, Some(800));
        // 10 Han characters in 2 s: 300 a minute; 4 English words in 2 s: 120 a minute
        assert_eq!(timing(None, &turn(Speaker::Customer, "我家的宽带又断了三次", 0, 2_000)).per_minute, Some(300));
        assert_eq!(timing(None, &turn(Speaker::Customer, "my line is down", 0, 2_000)).per_minute, Some(120));
        let untimed = Turn { speaker: Speaker::Customer, text: "hi".into(), start_ms: None, end_ms: None, audio_ref: None };
        assert_eq!(timing(Some(&agent), &untimed), Timing::default());
    }
}
