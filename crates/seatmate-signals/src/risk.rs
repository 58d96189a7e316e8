//! Escalation risk as a conversation unfolds, from the customer's words so far. Each reason
//! carries its evidence and turn.
//!
//! The cues are phrase lists in Simplified Chinese and English. Text is folded by
//! `seatmate-text` first (full-width, case, Traditional → Simplified). The cues are:
//! - threats to complain to a regulator (12315, 工信部, 银保监…);
//! - threats to complain, to cancel or leave, or to go to the media;
//! - anger and frustration;
//! - the same problem raised again.
//!
//! Threats persist for the rest of the conversation; anger fades over the customer's later calm
//! turns. The score is `1 - exp(-evidence)`; `high` at 0.6, `medium` at 0.3.
//!
//! The weights are set by hand. `seatmate eval risk --stc3 ../shared/data/stc3-dch1-helpdesk`
//! measures the score (BENCHMARKS.md, "Escalation risk"): weights fitted by logistic regression on
//! the same units ranked the STC-3 dialogues no better (ROC AUC +0.001 Chinese, +0.002 English,
//! ± 0.004 over folds), so these stay.

use seatmate_core::Speaker;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    Regulator,
    Complaint,
    Cancel,
    Media,
    Repeated,
    Anger,
    /// The emotion model reads the customer's feeling going down (see [`RiskTracker::feel`]).
    Rising,
}

impl ReasonKind {
    /// Every kind, in a fixed order.
    pub const ALL: [ReasonKind; 7] = [
        ReasonKind::Regulator,
        ReasonKind::Complaint,
        ReasonKind::Cancel,
        ReasonKind::Media,
        ReasonKind::Repeated,
        ReasonKind::Anger,
        ReasonKind::Rising,
    ];

    /// How much evidence one unit of this cue adds (see [`RiskTracker::units`]).
    pub const fn weight(self) -> f32 {
        weight(self)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskReason {
    pub kind: ReasonKind,
    /// The words that raised it, as the customer said them (folded).
    pub evidence: String,
    /// The turn (0-based index in the conversation) where they were said.
    pub turn: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Risk {
    /// 0 to 1.
    pub score: f32,
    pub level: RiskLevel,
    /// The strongest reasons first.
    pub reasons: Vec<RiskReason>,
}

/// Weight of each kind of cue: how much evidence one occurrence adds.
const fn weight(kind: ReasonKind) -> f32 {
    match kind {
        ReasonKind::Regulator => 1.6,
        ReasonKind::Media => 1.2,
        ReasonKind::Complaint => 0.9,
        ReasonKind::Cancel => 0.8,
        ReasonKind::Repeated => 0.3,
        ReasonKind::Anger => 0.6,
        ReasonKind::Rising => 0.6,
    }
}

/// A customer turn the emotion model reads at or below this valence is a negative one.
const NEGATIVE: f32 = -0.4;
/// A turn at or above this valence calms the rising feeling down.
const CALM: f32 = -0.2;
/// How far below the customer's earlier turns (their mean valence) a negative turn must fall.
const DROP: f32 = 0.3;

/// How much of the anger evidence is left after each later customer turn.
const ANGER_KEPT: f32 = 0.6;
const HIGH: f32 = 0.6;
const MEDIUM: f32 = 0.3;

const CUES: &[(ReasonKind, &[&str])] = &[
    (
        ReasonKind::Regulator,
        &[
            "12315",
            "工信部",
            "银保监",
            "银监会",
            "保监会",
            "消协",
            "消费者协会",
            "通信管理局",
            "通管局",
            "市场监管",
            "监管部门",
            "监管局",
            "regulator",
            "ombudsman",
            "ofcom",
            "fcc",
            "better business bureau",
        ],
    ),
    (
        ReasonKind::Media,
        &[
            "媒体",
            "曝光",
            "记者",
            "电视台",
            "发微博",
            "上微博",
            "发到网上",
            "网上说",
            "抖音",
            "报社",
            "the media",
            "journalist",
            "newspaper",
            "social media",
            "post it online",
            "go public",
            "twitter",
        ],
    ),
    (
        ReasonKind::Complaint,
        &[
            "投诉",
            "举报",
            "找你们领导",
            "叫你们领导",
            "找你们经理",
            "叫你们经理",
            "上级",
            "complain",
            "complaint",
            "escalate",
            "your supervisor",
            "your manager",
            "speak to a manager",
        ],
    ),
    (
        ReasonKind::Cancel,
        &[
            "销户",
            "注销",
            "退网",
            "携号转网",
            "转网",
            "不用你们",
            "换运营商",
            "换一家",
            "退订",
            "解约",
            "cancel",
            "terminate",
            "close my account",
            "switch provider",
            "switching to",
            "leave your",
        ],
    ),
    (
        ReasonKind::Anger,
        &[
            "太差",
            "垃圾",
            "气死",
            "骗子",
            "坑人",
            "无语",
            "什么破",
            "忍无可忍",
            "受够",
            "岂有此理",
            "搞什么",
            "离谱",
            "欺骗",
            "恶心",
            "凭什么",
            "太过分",
            "不像话",
            "有病",
            "滚",
            "ridiculous",
            "terrible",
            "unacceptable",
            "angry",
            "furious",
            "fed up",
            "worst",
            "scam",
            "useless",
            "disgusting",
            "!!!",
            "？？",
            "??",
            "！！",
        ],
    ),
    (
        ReasonKind::Repeated,
        &[
            "又",
            "再次",
            "第二次",
            "第三次",
            "好几次",
            "多少次",
            "多次",
            "一直没",
            "还是没",
            "还没",
            "again",
            "still not",
            "third time",
            "several times",
            "keeps happening",
            "every time",
        ],
    ),
];

/// The risk of one conversation, fed its turns in order.
#[derive(Clone, Debug, Default)]
pub struct RiskTracker {
    turns: usize,
    /// Threats seen so far: (kind, evidence, turn), each kind once.
    threats: Vec<RiskReason>,
    anger: f32,
    last_anger: Option<RiskReason>,
    repeated: u32,
    last_repeated: Option<RiskReason>,
    /// The emotion model's valence of each customer turn read so far: (turn, valence), by turn.
    valences: Vec<(usize, f32)>,
    rising: Option<RiskReason>,
}

impl RiskTracker {
    /// Takes the next turn and returns the risk after it. Only the customer's words count.
    pub fn observe(&mut self, speaker: Speaker, text: &str) -> Risk {
        let turn = self.turns;
        self.turns += 1;
        if speaker == Speaker::Customer {
            let folded = seatmate_text::normalize(text);
            self.anger *= ANGER_KEPT;
            for (kind, phrases) in CUES {
                let Some(phrase) = phrases.iter().find(|p| folded.contains(*p)) else { continue };
                let reason = RiskReason { kind: *kind, evidence: (*phrase).to_string(), turn };
                match kind {
                    ReasonKind::Anger => {
                        self.anger += weight(*kind);
                        self.last_anger = Some(reason);
                    }
                    ReasonKind::Repeated => {
                        self.repeated += 1;
                        self.last_repeated = Some(reason);
                    }
                    _ if self.threats.iter().any(|t| t.kind == *kind) => {}
                    _ => self.threats.push(reason),
                }
            }
        }
        self.risk()
    }

    /// Takes the emotion model's reading of customer turn `turn` (which may come after later
    /// turns: the model reads in the background) and returns the risk after it. The feeling is
    /// rising when the customer's latest turn read is negative and either falls well below their
    /// earlier turns or follows another negative one; a calm turn ends it.
    pub fn feel(&mut self, turn: usize, valence: f32, label: &str) -> Risk {
        let at = self.valences.partition_point(|(t, _)| *t < turn);
        self.valences.insert(at, (turn, valence));
        let Some(&(latest, now)) = self.valences.last() else { return self.risk() };
        let earlier = &self.valences[..self.valences.len() - 1];
        let mean = earlier.iter().map(|(_, v)| v).sum::<f32>() / earlier.len().max(1) as f32;
        let falling = !earlier.is_empty() && now <= mean - DROP;
        let again = earlier.last().is_some_and(|(_, v)| *v <= NEGATIVE);
        if now <= NEGATIVE && (falling || again) {
            if latest == turn {
                self.rising = Some(RiskReason { kind: ReasonKind::Rising, evidence: label.to_string(), turn });
            }
        } else if now >= CALM {
            self.rising = None;
        }
        self.risk()
    }

    /// The units of evidence of `kind` held now; the score is `1 - exp(-Σ weight × units)` over
    /// the kinds. A threat is 1 once said (each kind once); anger is the faded count of angry
    /// customer turns (0 once its evidence falls to 0.2); a repeated problem counts its turns, at
    /// most 3. What `seatmate eval risk` fits its learned weights on.
    pub fn units(&self, kind: ReasonKind) -> f32 {
        match kind {
            ReasonKind::Anger if self.last_anger.is_some() && self.anger > 0.2 => self.anger / weight(kind),
            ReasonKind::Anger => 0.0,
            ReasonKind::Repeated => self.repeated.min(3) as f32,
            ReasonKind::Rising => f32::from(u8::from(self.rising.is_some())),
            _ => f32::from(u8::from(self.threats.iter().any(|t| t.kind == kind))),
        }
    }

    pub fn risk(&self) -> Risk {
        let mut reasons: Vec<(f32, RiskReason)> = self.threats.iter().map(|t| (weight(t.kind), t.clone())).collect();
        if let Some(anger) = self.last_anger.clone().filter(|_| self.anger > 0.2) {
            reasons.push((self.anger, anger));
        }
        if let Some(repeated) = self.last_repeated.clone() {
            reasons.push((weight(ReasonKind::Repeated) * self.units(ReasonKind::Repeated), repeated));
        }
        if let Some(rising) = self.rising.clone() {
            reasons.push((weight(ReasonKind::Rising), rising));
        }
        let evidence: f32 = reasons.iter().map(|(w, _)| w).sum();
        let score = 1.0 - (-evidence).exp();
        reasons.sort_by(|a, b| b.0.total_cmp(&a.0));
        let level = if score >= HIGH {
            RiskLevel::High
        } else if score >= MEDIUM {
            RiskLevel::Medium
        } else {
            RiskLevel::Low
        };
        Risk { score, level, reasons: reasons.into_iter().map(|(_, r)| r).collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(turns: &[(Speaker, &str)]) -> Risk {
        let mut tracker = RiskTracker::default();
        let mut risk = tracker.risk();
        for (speaker, text) in turns {
            risk = tracker.observe(*speaker, text);
        }
        risk
    }

    #[test]
    fn a_calm_call_stays_low() {
        let risk = run(&[(Speaker::Customer, "你好，我想查一下话费余额"), (Speaker::Agent, "好的，请稍等")]);
        assert_eq!((risk.level, risk.reasons.len()), (RiskLevel::Low, 0));
    }

    #[test]
    fn a_regulator_threat_is_high_with_its_evidence_in_either_script() {
        for text in ["宽带又断了，再不修好我就打12315投诉", "寬頻又斷了，再不修好我就向工信部投訴"]
        {
            let risk = run(&[(Speaker::Customer, "网络有问题"), (Speaker::Agent, "请稍等"), (Speaker::Customer, text)]);
            assert_eq!(risk.level, RiskLevel::High, "{text}");
            assert_eq!(risk.reasons[0].kind, ReasonKind::Regulator);
            assert_eq!(risk.reasons[0].turn, 2);
        }
    }

    #[test]
    fn english_threats_count_and_the_agents_words_do_not() {
        let agent = run(&[(Speaker::Agent, "You can complain to the regulator if you wish")]);
        assert_eq!(agent.level, RiskLevel::Low);
        let customer = run(&[(Speaker::Customer, "This is ridiculous, I will cancel and go to the media")]);
        assert_eq!(customer.level, RiskLevel::High);
        let kinds: Vec<ReasonKind> = customer.reasons.iter().map(|r| r.kind).collect();
        assert!(kinds.contains(&ReasonKind::Media) && kinds.contains(&ReasonKind::Cancel) && kinds.contains(&ReasonKind::Anger));
    }

    #[test]
    fn anger_fades_when_the_customer_calms_down() {
        let angry = run(&[(Speaker::Customer, "太差了，气死我了")]);
        assert!(angry.level >= RiskLevel::Medium, "{angry:?}");
        let calmer = run(&[
            (Speaker::Customer, "太差了，气死我了"),
            (Speaker::Customer, "好的，那就这样处理吧"),
            (Speaker::Customer, "谢谢你"),
            (Speaker::Customer, "好的"),
        ]);
        assert!(calmer.score < angry.score, "{calmer:?}");
        assert_eq!(calmer.level, RiskLevel::Low);
    }

    #[test]
    fn a_feeling_that_falls_turn_after_turn_raises_the_risk_and_calm_ends_it() {
        let mut tracker = RiskTracker::default();
        for (turn, text) in ["我想问一下宽带的事", "好的", "还是不行", "嗯"].iter().enumerate() {
            tracker.observe(if turn % 2 == 0 { Speaker::Customer } else { Speaker::Agent }, text);
        }
        assert_eq!(tracker.feel(0, 0.1, "neutral").level, RiskLevel::Low);
        // read out of order: turn 2 arrives after nothing else, then a later calm turn
        let risk = tracker.feel(2, -0.8, "anger");
        assert_eq!(risk.reasons.first().map(|r| (r.kind, r.turn)), Some((ReasonKind::Rising, 2)), "{risk:?}");
        assert!(risk.level >= RiskLevel::Medium);
        assert!(tracker.feel(4, 0.3, "joy").reasons.is_empty(), "a calm turn ends it");
        let mut once = RiskTracker::default();
        assert!(once.feel(0, -0.9, "anger").reasons.is_empty(), "one negative first turn is not a trend");
    }

    #[test]
    fn the_score_is_the_weighted_units() {
        let mut tracker = RiskTracker::default();
        for text in ["又断网了，太差了", "还是没好，我要投诉", "第三次了，气死了", "好的"] {
            let risk = tracker.observe(Speaker::Customer, text);
            let evidence: f32 = ReasonKind::ALL.iter().map(|k| k.weight() * tracker.units(*k)).sum();
            assert!((risk.score - (1.0 - (-evidence).exp())).abs() < 1e-6, "{text}: {risk:?}");
        }
        assert_eq!((tracker.units(ReasonKind::Complaint), tracker.units(ReasonKind::Repeated)), (1.0, 3.0));
        assert_eq!(tracker.units(ReasonKind::Media), 0.0);
    }
}
