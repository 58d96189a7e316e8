//! Scoring a trainee's turn in the training room, beside the scorecard: empathy, how much of the
//! knowledge item's points (an FAQ answer's sentences, a guided flow's steps) the trainee has
//! covered, and how close a turn is to what the exemplary agent said.

use std::collections::HashMap;

use seatmate_text::FeatureConfig;

/// Words that show empathy or an apology, folded (Simplified, lower case).
const EMPATHY: &[&str] = &[
    "抱歉",
    "对不起",
    "不好意思",
    "理解您",
    "理解你",
    "明白您",
    "明白你",
    "给您带来",
    "给你带来",
    "辛苦",
    "感谢您的耐心",
    "请您放心",
    "别着急",
    "您别急",
    "非常理解",
    "sorry",
    "apolog",
    "i understand",
    "i can understand",
    "understand how",
    "that must be",
    "i hear you",
    "frustrat",
    "inconvenien",
    "thank you for your patience",
    "i know how",
];

/// Whether the turn shows empathy (an apology, understanding, reassurance).
pub fn shows_empathy(text: &str) -> bool {
    let folded = seatmate_text::normalize(text);
    EMPATHY.iter().any(|cue| folded.contains(cue))
}

/// Whether a turn ends with a goodbye (Simplified, Traditional, English).
pub fn says_goodbye(text: &str) -> bool {
    let folded = seatmate_text::normalize(text);
    let end = folded.trim_end_matches(|c: char| !c.is_alphanumeric());
    ["再见", "拜拜", "bye"].iter().any(|w| end.ends_with(w))
}

/// A text's profile (words, Han characters and character pairs), for [`similarity`].
#[derive(Clone, Debug, Default)]
pub struct Profile {
    counts: HashMap<String, f32>,
    norm: f32,
}

impl Profile {
    pub fn new(text: &str) -> Profile {
        let mut counts: HashMap<String, f32> = HashMap::new();
        let config = FeatureConfig { word_ngrams: 1, han_chars: (1, 2), word_chars: (0, 0) };
        for feature in seatmate_text::features(text, &config) {
            *counts.entry(feature).or_default() += 1.0;
        }
        let norm = counts.values().map(|c| c * c).sum::<f32>().sqrt();
        Profile { counts, norm }
    }

    fn is_empty(&self) -> bool {
        self.norm == 0.0
    }
}

/// Cosine of two texts' n-gram profiles, in [0, 1].
pub fn similarity(a: &Profile, b: &Profile) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (small, large) = if a.counts.len() <= b.counts.len() { (a, b) } else { (b, a) };
    let dot: f32 = small.counts.iter().filter_map(|(k, v)| large.counts.get(k).map(|w| v * w)).sum();
    dot / (a.norm * b.norm)
}

/// A point the trainee should make: one sentence of an answer, or one step of a guided flow.
#[derive(Clone, Debug)]
pub struct Point {
    pub text: String,
    profile: Profile,
}

/// A point counts as covered when a trainee turn is at least this similar to it.
pub const COVERED: f32 = 0.3;

/// The points of an answer: its sentences (split at Chinese and English sentence ends), or the
/// texts of a flow's steps as given.
pub fn points(texts: &[String]) -> Vec<Point> {
    texts
        .iter()
        .flat_map(|t| t.split(['。', '！', '？', '；', '\n', '!', '?', ';']).flat_map(|s| s.split(". ")))
        .map(str::trim)
        .filter(|s| seatmate_text::spoken_units(s) >= 3)
        .map(|s| Point { text: s.to_string(), profile: Profile::new(s) })
        .collect()
}

/// Which points `said` covers.
pub fn covered(points: &[Point], said: &str) -> Vec<bool> {
    let profile = Profile::new(said);
    points.iter().map(|p| similarity(&p.profile, &profile) >= COVERED).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empathy_is_found_in_chinese_traditional_and_english() {
        assert!(shows_empathy("非常抱歉给您带来不便"));
        assert!(shows_empathy("對不起，讓您久等了"));
        assert!(shows_empathy("I'm so sorry about that"));
        assert!(!shows_empathy("请提供您的账号"));
    }

    #[test]
    fn goodbyes_end_a_turn_in_any_script() {
        assert!(says_goodbye("好的，谢谢，再见！"));
        assert!(says_goodbye("好的，謝謝，再見。"));
        assert!(says_goodbye("Thanks, goodbye."));
        assert!(!says_goodbye("再见之前我还想问一下话费"));
    }

    #[test]
    fn a_paraphrase_is_closer_than_an_unrelated_turn() {
        let reference = Profile::new("您的宽带已经恢复，请重启一下光猫");
        let close = similarity(&reference, &Profile::new("宽带恢复了，麻烦您重启光猫试试"));
        let far = similarity(&reference, &Profile::new("请问还有什么可以帮您"));
        assert!(close > 0.3 && far < close / 2.0, "{close} {far}");
    }

    #[test]
    fn points_are_covered_one_by_one() {
        let answer = points(&["请先重启光猫。如果仍然无法上网，请拨打10000报修。".to_string()]);
        assert_eq!(answer.len(), 2);
        assert_eq!(covered(&answer, "您先把光猫重启一下吧"), [true, false]);
    }
}
