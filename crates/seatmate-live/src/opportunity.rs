//! Sales and retention opportunities in what the customer says: interest in an upgrade, a
//! renewal, or a product of the workspace's list (`live.opportunities` setting, edited by admins
//! through `PUT /api/v1/live/opportunities`). A cue fires on one of its phrases (words, folded:
//! Traditional → Simplified, full-width, case) or, with the sentence encoder, on a turn whose
//! meaning is close to one of its example sentences. Each cue fires once per conversation.

use serde::{Deserialize, Serialize};

/// The store setting that holds the workspace's cues (JSON, [`OpportunityCues`]).
pub const OPPORTUNITY_SETTING: &str = "live.opportunities";

/// The cues an admin configures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpportunityCues {
    pub cues: Vec<OpportunityCue>,
    /// Cosine similarity (sentence vectors) from which a turn matches an example sentence.
    #[serde(default = "default_similarity")]
    pub min_similarity: f32,
}

/// One product or kind of opportunity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpportunityCue {
    /// What the agent sees, e.g. "千兆宽带升级".
    pub name: String,
    /// Words that name it or ask for it (any language; matched after folding).
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Sentences a customer might say when interested, matched by meaning.
    #[serde(default)]
    pub examples: Vec<String>,
}

/// A cue found in a customer turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Opportunity {
    pub name: String,
    /// The phrase, or the example sentence whose meaning matched.
    pub evidence: String,
    /// `words` or `meaning`.
    pub matched_by: String,
}

/// e5 cosines run high: on a handful of hand-written telecom sentences, paraphrases of an example
/// scored 0.91–0.96 and same-topic sentences that were not (a broken line against "a faster
/// line?") up to 0.914. 0.94 keeps those out, at the price of missing looser paraphrases.
fn default_similarity() -> f32 {
    0.94
}

impl Default for OpportunityCues {
    /// A telecom contact centre's usual cues, until an admin sets the workspace's own.
    fn default() -> Self {
        let cue = |name: &str, phrases: &[&str], examples: &[&str]| OpportunityCue {
            name: name.into(),
            phrases: phrases.iter().map(|p| p.to_string()).collect(),
            examples: examples.iter().map(|e| e.to_string()).collect(),
        };
        OpportunityCues {
            cues: vec![
                cue(
                    "升级 / Upgrade",
                    &["升级", "提速", "更快的网", "更大的套餐", "换个套餐", "upgrade", "faster plan", "bigger plan"],
                    &["有没有更快一点的宽带", "我想换一个流量多一点的套餐", "is there a plan with more data"],
                ),
                cue(
                    "续约 / Renewal",
                    &["续约", "续费", "合约到期", "快到期", "renew", "renewal", "contract ends"],
                    &["我的合约下个月就到期了", "my contract is ending soon, what are my options"],
                ),
                cue(
                    "副卡与加装 / Add-on",
                    &["副卡", "加一张卡", "加装", "家庭套餐", "add a line", "family plan"],
                    &["我想给家里人也办一张卡", "can I add my wife to my plan"],
                ),
            ],
            min_similarity: default_similarity(),
        }
    }
}

impl OpportunityCues {
    /// The cues in the setting, or the defaults when it is not set (or unreadable, logged).
    pub fn from_setting(setting: Option<&str>) -> OpportunityCues {
        match setting {
            None => OpportunityCues::default(),
            Some(json) => serde_json::from_str(json).unwrap_or_else(|error| {
                tracing::warn!(%error, "the opportunity cues setting is unreadable: using the defaults");
                OpportunityCues::default()
            }),
        }
    }

    /// What is wrong with these cues, for an admin who edits them.
    pub fn problem(&self) -> Option<(String, String)> {
        if !(0.0..=1.0).contains(&self.min_similarity) {
            return Some(("min_similarity".into(), "must be between 0 and 1".into()));
        }
        if self.cues.len() > 200 {
            return Some(("cues".into(), "at most 200 cues".into()));
        }
        for (i, cue) in self.cues.iter().enumerate() {
            if cue.name.trim().is_empty() {
                return Some((format!("cues[{i}].name"), "a cue needs a name".into()));
            }
            if cue.phrases.iter().all(|p| p.trim().is_empty()) && cue.examples.iter().all(|e| e.trim().is_empty()) {
                return Some((format!("cues[{i}]"), "a cue needs phrases or example sentences".into()));
            }
            if cue.phrases.len() + cue.examples.len() > 100 {
                return Some((format!("cues[{i}]"), "at most 100 phrases and examples per cue".into()));
            }
        }
        None
    }
}

/// The cues ready to match: phrases folded, example sentences encoded.
#[derive(Debug, Default)]
pub struct OpportunityMatcher {
    cues: Vec<ReadyCue>,
    min_similarity: f32,
}

#[derive(Debug)]
struct ReadyCue {
    name: String,
    /// (folded, as written)
    phrases: Vec<(String, String)>,
    /// (sentence, its vector)
    examples: Vec<(String, Vec<f32>)>,
}

impl OpportunityMatcher {
    /// `encode` gives an example sentence's vector (`None` without an encoder: words only).
    pub fn new(config: &OpportunityCues, mut encode: impl FnMut(&str) -> Option<Vec<f32>>) -> OpportunityMatcher {
        let cues = config
            .cues
            .iter()
            .map(|cue| {
                let phrases = cue
                    .phrases
                    .iter()
                    .filter(|p| !p.trim().is_empty())
                    .map(|p| (seatmate_text::normalize(p), p.clone()))
                    .collect();
                let examples =
                    cue.examples.iter().filter(|e| !e.trim().is_empty()).filter_map(|e| Some((e.clone(), encode(e)?))).collect();
                ReadyCue { name: cue.name.clone(), phrases, examples }
            })
            .collect();
        OpportunityMatcher { cues, min_similarity: config.min_similarity }
    }

    pub fn is_empty(&self) -> bool {
        self.cues.is_empty()
    }

    /// Whether any cue needs the turn's sentence vector.
    pub fn reads_meaning(&self) -> bool {
        self.cues.iter().any(|cue| !cue.examples.is_empty())
    }

    /// The cues `text` (with its sentence vector, empty without one) shows, except those in `found`.
    pub fn find(&self, text: &str, vector: &[f32], found: &[String]) -> Vec<Opportunity> {
        let folded = seatmate_text::normalize(text);
        let mut out = Vec::new();
        for ReadyCue { name, phrases, examples } in &self.cues {
            if found.contains(name) {
                continue;
            }
            if let Some((_, said)) = phrases.iter().find(|(p, _)| folded.contains(p.as_str())) {
                out.push(Opportunity { name: name.clone(), evidence: said.clone(), matched_by: "words".into() });
                continue;
            }
            if vector.is_empty() {
                continue;
            }
            let closest = examples
                .iter()
                .filter(|(_, v)| v.len() == vector.len())
                .map(|(example, v)| (seatmate_embed::cosine(vector, v), example))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((similarity, example)) = closest.filter(|(s, _)| *s >= self.min_similarity) {
                tracing::debug!(similarity, "opportunity by meaning");
                out.push(Opportunity { name: name.clone(), evidence: example.clone(), matched_by: "meaning".into() });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_in_simplified_traditional_and_english_once_each() {
        let matcher = OpportunityMatcher::new(&OpportunityCues::default(), |_| None);
        let found = matcher.find("我的合約快到期了，想升級一下", &[], &[]);
        let names: Vec<&str> = found.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["升级 / Upgrade", "续约 / Renewal"]);
        assert!(found.iter().all(|o| o.matched_by == "words"));
        assert!(matcher.find("Can I UPGRADE my plan?", &[], &["升级 / Upgrade".to_string()]).is_empty(), "once per conversation");
        assert!(matcher.find("宽带又断了", &[], &[]).is_empty());
    }

    #[test]
    fn example_sentences_match_by_meaning_from_the_threshold() {
        let cues = OpportunityCues {
            cues: vec![OpportunityCue { name: "Fibre".into(), phrases: vec![], examples: vec!["faster internet".into()] }],
            min_similarity: 0.9,
        };
        let matcher = OpportunityMatcher::new(&cues, |_| Some(vec![1.0, 0.0]));
        assert!(matcher.reads_meaning());
        assert_eq!(matcher.find("quicker broadband?", &[0.95, 0.31], &[]).len(), 1);
        assert!(matcher.find("my bill is wrong", &[0.5, 0.87], &[]).is_empty());
        let bad = OpportunityCues { min_similarity: 1.5, ..cues };
        assert_eq!(bad.problem().map(|p| p.0).as_deref(), Some("min_similarity"));
    }
}
