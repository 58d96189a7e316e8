//! People on top of the automatic verdicts: the review queue, inspectors' overrides (kept with
//! who, when and why), agents' disputes and their answers, and how well each rule agrees with
//! the people who checked it.

use std::collections::{HashMap, HashSet};

use seatmate_core::User;
use seatmate_quality::{Inspection, ItemResult, Outcome};
use seatmate_store::{Dispute, InspectionFilter, ItemReview, Scope, StoredInspection};
use serde::{Deserialize, Serialize};

use crate::{InspectError, Inspector, Result};

/// How many recent inspections the queue and the agreement figures read.
const RECENT: usize = 2_000;
/// An agent with fewer inspected conversations than this is new, and reviewed sooner.
const NEW_AGENT_BELOW: usize = 10;
/// One in this many of the inspections nothing flags joins the queue, for calibration.
const CALIBRATION_ONE_IN: u64 = 10;

/// An inspection waiting for a person, and why it is where it is in the queue.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueEntry {
    pub conversation_id: String,
    pub scorecard_id: String,
    pub version: i64,
    pub agent: Option<String>,
    pub score: f64,
    pub critical_failed: bool,
    /// The names of the items that failed.
    pub failed: Vec<String>,
    /// Higher is reviewed sooner.
    pub priority: f64,
    /// `low_score`, `critical`, `customer_upset`, `new_agent`, `calibration`.
    pub reasons: Vec<String>,
    pub started_at: i64,
}

/// An item's verdict after people: the engine's, an inspector's override, an open dispute.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewedItem {
    #[serde(flatten)]
    pub result: ItemResult,
    /// The outcome that counts: the newest review's, else the engine's.
    pub effective: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewView>,
    /// Every review of this item, oldest first.
    pub history: Vec<ReviewView>,
    pub disputes: Vec<DisputeView>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewView {
    pub outcome: Outcome,
    pub automatic: Outcome,
    pub reason: String,
    pub reviewer: String,
    pub at: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeView {
    pub id: String,
    pub conversation_id: String,
    pub scorecard_id: String,
    pub version: i64,
    pub item_id: String,
    pub agent: String,
    pub reason: String,
    pub created_at: i64,
    /// `open`, `upheld` or `rejected`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answered_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<i64>,
}

impl From<Dispute> for DisputeView {
    fn from(d: Dispute) -> Self {
        DisputeView {
            id: d.id,
            conversation_id: d.conversation_id,
            scorecard_id: d.scorecard_id,
            version: d.version,
            item_id: d.item_id,
            agent: d.agent,
            reason: d.reason,
            created_at: d.created_at,
            status: d.status,
            answer: d.answer,
            answered_by: d.answered_by,
            answered_at: d.answered_at,
        }
    }
}

/// A conversation's inspection by one scorecard version, with people's verdicts applied.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionView {
    pub conversation_id: String,
    pub scorecard_id: String,
    pub scorecard_name: String,
    pub version: i64,
    pub agent: Option<String>,
    /// The score after reviews (out of 100).
    pub score: f64,
    /// The engine's score.
    pub automatic_score: f64,
    pub critical_failed: bool,
    pub inspected_at: i64,
    pub items: Vec<ReviewedItem>,
}

/// How often a rule's automatic verdict matched the people who reviewed it; a failure is the
/// positive class (a deduction).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agreement {
    pub scorecard_id: String,
    pub item_id: String,
    pub name: String,
    pub reviewed: usize,
    /// Automatic fail, human fail.
    pub both_fail: usize,
    /// Automatic fail, human pass.
    pub false_fail: usize,
    /// Automatic pass, human fail.
    pub missed_fail: usize,
    pub both_pass: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recall: Option<f64>,
    /// Cohen's κ between the engine and the reviewers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kappa: Option<f64>,
}

/// One item of one conversation's inspection by one scorecard version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRef {
    pub conversation_id: String,
    pub scorecard_id: String,
    pub version: i64,
    pub item_id: String,
}

pub(crate) fn outcome_of(text: &str) -> Option<Outcome> {
    match text {
        "pass" => Some(Outcome::Pass),
        "fail" => Some(Outcome::Fail),
        "not_applicable" => Some(Outcome::NotApplicable),
        _ => None,
    }
}

pub(crate) fn outcome_text(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Fail => "fail",
        Outcome::NotApplicable => "not_applicable",
    }
}

pub(crate) fn parsed(inspection: &StoredInspection) -> Result<Inspection> {
    serde_json::from_value(inspection.result.clone()).map_err(|e| InspectError::Internal(format!("stored inspection: {e}")))
}

type ItemKey = (String, String, i64, String);

fn key(review: &ItemReview) -> ItemKey {
    (review.conversation_id.clone(), review.scorecard_id.clone(), review.version, review.item_id.clone())
}

/// The score of an inspection with the given outcome per item.
pub(crate) fn score_of(items: &[(ItemResult, Outcome)]) -> (f64, bool) {
    let critical = items.iter().any(|(r, o)| r.critical && *o == Outcome::Fail);
    let possible: u32 = items.iter().filter(|(_, o)| *o != Outcome::NotApplicable).map(|(r, _)| r.points).sum();
    let earned: u32 = items.iter().filter(|(_, o)| *o == Outcome::Pass).map(|(r, _)| r.points).sum();
    let score = if critical {
        0.0
    } else if possible == 0 {
        100.0
    } else {
        (f64::from(earned) * 1000.0 / f64::from(possible)).round() / 10.0
    };
    (score, critical)
}

impl Inspector {
    /// Recent inspections by published scorecards in the scope, newest first.
    pub(crate) async fn recent(&self, scope: &Scope, limit: usize) -> Result<Vec<StoredInspection>> {
        let mut out = Vec::new();
        while out.len() < limit {
            let filter = InspectionFilter { published_only: true, limit: 500, offset: out.len() as i64, ..Default::default() };
            let page = self.store.inspections(scope, &filter).await?;
            let done = page.items.len() < 500;
            out.extend(page.items);
            if done {
                break;
            }
        }
        Ok(out)
    }

    /// The newest review of each item, in the scope.
    pub(crate) async fn latest_reviews(
        &self,
        scope: &Scope,
        conversation_id: Option<&str>,
    ) -> Result<HashMap<ItemKey, ItemReview>> {
        Ok(self.store.reviews(scope, conversation_id).await?.into_iter().map(|r| (key(&r), r)).collect())
    }

    /// The review queue: unreviewed inspections in the scope, riskiest first, with a calibration
    /// sample of the ones nothing flags.
    pub async fn queue(&self, scope: &Scope, limit: usize) -> Result<Vec<QueueEntry>> {
        let inspections = self.recent(scope, RECENT).await?;
        let reviewed: HashSet<(String, String, i64)> =
            self.store.reviews(scope, None).await?.into_iter().map(|r| (r.conversation_id, r.scorecard_id, r.version)).collect();
        let mut per_agent: HashMap<String, usize> = HashMap::new();
        for i in &inspections {
            *per_agent.entry(i.agent.clone().unwrap_or_default()).or_default() += 1;
        }
        let mut entries = Vec::new();
        for stored in &inspections {
            if reviewed.contains(&(stored.conversation_id.clone(), stored.scorecard_id.clone(), stored.version)) {
                continue;
            }
            let inspection = parsed(stored)?;
            if !inspection.applies {
                continue;
            }
            let mut reasons = Vec::new();
            let mut priority = (100.0 - stored.score) / 100.0;
            if stored.score < 80.0 {
                reasons.push("low_score".to_string());
            }
            if stored.critical_failed {
                priority += 1.0;
                reasons.push("critical".into());
            }
            if inspection.customer_valence.is_some_and(|v| v <= seatmate_quality::inspect::NEGATIVE_VALENCE) {
                priority += 0.3;
                reasons.push("customer_upset".into());
            }
            if stored.agent.as_ref().is_some_and(|a| per_agent.get(a).copied().unwrap_or(0) < NEW_AGENT_BELOW) {
                priority += 0.2;
                reasons.push("new_agent".into());
            }
            if reasons.is_empty() {
                if !sample_hash(&stored.conversation_id).is_multiple_of(CALIBRATION_ONE_IN) {
                    continue;
                }
                reasons.push("calibration".into());
            }
            entries.push(QueueEntry {
                conversation_id: stored.conversation_id.clone(),
                scorecard_id: stored.scorecard_id.clone(),
                version: stored.version,
                agent: stored.agent.clone(),
                score: stored.score,
                critical_failed: stored.critical_failed,
                failed: inspection.items.iter().filter(|r| r.outcome == Outcome::Fail).map(|r| r.name.clone()).collect(),
                priority: (priority * 1000.0).round() / 1000.0,
                reasons,
                started_at: stored.started_at,
            });
        }
        entries.sort_by(|a, b| b.priority.total_cmp(&a.priority).then(b.started_at.cmp(&a.started_at)));
        entries.truncate(limit);
        Ok(entries)
    }

    /// A conversation's inspections in the scope (404 outside it), with reviews and disputes.
    pub async fn conversation_inspections(&self, scope: &Scope, conversation_id: &str) -> Result<Vec<InspectionView>> {
        if self.store.conversation(scope, conversation_id).await?.is_none() {
            return Err(InspectError::NotFound(format!("conversation {conversation_id}")));
        }
        let filter = InspectionFilter { conversation_id: Some(conversation_id.to_string()), limit: 100, ..Default::default() };
        let stored = self.store.inspections(&Scope::All, &filter).await?.items;
        let reviews = self.store.reviews(&Scope::All, Some(conversation_id)).await?;
        let disputes = self.store.disputes(&Scope::All, Some(conversation_id)).await?;
        let names: HashMap<(String, i64), String> =
            self.store.scorecards().await?.into_iter().map(|c| ((c.id, c.version), c.name)).collect();
        let mut views = Vec::new();
        for s in stored {
            let inspection = parsed(&s)?;
            if !inspection.applies {
                continue;
            }
            let mut items = Vec::new();
            for result in inspection.items {
                let mine =
                    |card: &str, version: i64, item: &str| card == s.scorecard_id && version == s.version && item == result.item;
                let history: Vec<ReviewView> = reviews
                    .iter()
                    .filter(|r| mine(&r.scorecard_id, r.version, &r.item_id))
                    .map(|r| ReviewView {
                        outcome: outcome_of(&r.outcome).unwrap_or(result.outcome),
                        automatic: outcome_of(&r.automatic).unwrap_or(result.outcome),
                        reason: r.reason.clone(),
                        reviewer: r.reviewer.clone(),
                        at: r.at,
                    })
                    .collect();
                let review = history.last().cloned();
                let effective = review.as_ref().map_or(result.outcome, |r| r.outcome);
                let disputes = disputes
                    .iter()
                    .filter(|d| mine(&d.scorecard_id, d.version, &d.item_id))
                    .cloned()
                    .map(DisputeView::from)
                    .collect();
                items.push(ReviewedItem { result, effective, review, history, disputes });
            }
            let effective: Vec<(ItemResult, Outcome)> = items.iter().map(|i| (i.result.clone(), i.effective)).collect();
            let (score, critical_failed) = score_of(&effective);
            views.push(InspectionView {
                conversation_id: s.conversation_id.clone(),
                scorecard_name: names.get(&(s.scorecard_id.clone(), s.version)).cloned().unwrap_or_default(),
                scorecard_id: s.scorecard_id,
                version: s.version,
                agent: s.agent,
                score,
                automatic_score: s.score,
                critical_failed,
                inspected_at: s.inspected_at,
                items,
            });
        }
        Ok(views)
    }

    fn item_of<'a>(views: &'a [InspectionView], scorecard_id: &str, version: i64, item_id: &str) -> Option<&'a ReviewedItem> {
        views
            .iter()
            .find(|v| v.scorecard_id == scorecard_id && v.version == version)
            .and_then(|v| v.items.iter().find(|i| i.result.item == item_id))
    }

    /// An inspector confirms or overrides an item; the review is kept beside the older ones.
    pub async fn review(&self, reviewer: &User, at: &ItemRef, outcome: Outcome, reason: &str) -> Result<Vec<InspectionView>> {
        let ItemRef { conversation_id, scorecard_id, version, item_id } = at;
        let (conversation_id, scorecard_id, version, item_id) =
            (conversation_id.as_str(), scorecard_id.as_str(), *version, item_id.as_str());
        let views = self.conversation_inspections(&Scope::All, conversation_id).await?;
        let item = Self::item_of(&views, scorecard_id, version, item_id).ok_or_else(|| {
            InspectError::NotFound(format!(
                "item {item_id} of scorecard {scorecard_id} v{version} on conversation {conversation_id}"
            ))
        })?;
        if outcome != item.result.outcome && reason.trim().is_empty() {
            return Err(InspectError::InvalidInput("reason: say why the verdict is overridden".into()));
        }
        let review = ItemReview {
            conversation_id: conversation_id.to_string(),
            scorecard_id: scorecard_id.to_string(),
            version,
            item_id: item_id.to_string(),
            outcome: outcome_text(outcome).into(),
            automatic: outcome_text(item.result.outcome).into(),
            reason: reason.trim().chars().take(2_000).collect(),
            reviewer: reviewer.username.clone(),
            at: self.clock.now_millis(),
        };
        self.store.add_review(&review).await?;
        self.conversation_inspections(&Scope::All, conversation_id).await
    }

    /// An agent disputes an item of one of their own inspections.
    pub async fn dispute(&self, agent: &User, scope: &Scope, at: &ItemRef, reason: &str) -> Result<DisputeView> {
        let ItemRef { conversation_id, scorecard_id, version, item_id } = at;
        let (conversation_id, scorecard_id, version, item_id) =
            (conversation_id.as_str(), scorecard_id.as_str(), *version, item_id.as_str());
        let views = self.conversation_inspections(scope, conversation_id).await?;
        let item = Self::item_of(&views, scorecard_id, version, item_id).ok_or_else(|| {
            InspectError::NotFound(format!(
                "item {item_id} of scorecard {scorecard_id} v{version} on conversation {conversation_id}"
            ))
        })?;
        let handled_by = views.first().and_then(|v| v.agent.clone());
        if handled_by.as_deref() != Some(agent.username.as_str()) {
            return Err(InspectError::Forbidden("only the agent who handled the conversation may dispute its inspection".into()));
        }
        if reason.trim().is_empty() {
            return Err(InspectError::InvalidInput("reason: say what the inspection got wrong".into()));
        }
        if item.disputes.iter().any(|d| d.status == "open") {
            return Err(InspectError::InvalidInput("this item already has an open dispute".into()));
        }
        let dispute = Dispute {
            id: uuid::Uuid::new_v4().to_string(),
            conversation_id: conversation_id.to_string(),
            scorecard_id: scorecard_id.to_string(),
            version,
            item_id: item_id.to_string(),
            agent: agent.username.clone(),
            reason: reason.trim().chars().take(2_000).collect(),
            created_at: self.clock.now_millis(),
            status: "open".into(),
            answer: None,
            answered_by: None,
            answered_at: None,
        };
        self.store.add_dispute(&dispute).await?;
        Ok(dispute.into())
    }

    /// An inspector answers a dispute. Upheld, the item's verdict turns to what the agent said
    /// (a pass), recorded as the inspector's review.
    pub async fn answer_dispute(&self, inspector: &User, id: &str, upheld: bool, answer: &str) -> Result<DisputeView> {
        if answer.trim().is_empty() {
            return Err(InspectError::InvalidInput("answer: say why".into()));
        }
        let status = if upheld { "upheld" } else { "rejected" };
        let dispute = self.store.answer_dispute(id, status, answer.trim(), &inspector.username, self.clock.now_millis()).await?;
        if upheld {
            let at = ItemRef {
                conversation_id: dispute.conversation_id.clone(),
                scorecard_id: dispute.scorecard_id.clone(),
                version: dispute.version,
                item_id: dispute.item_id.clone(),
            };
            self.review(inspector, &at, Outcome::Pass, answer).await?;
        }
        Ok(dispute.into())
    }

    pub async fn disputes(&self, scope: &Scope) -> Result<Vec<DisputeView>> {
        Ok(self.store.disputes(scope, None).await?.into_iter().map(DisputeView::from).collect())
    }

    /// Per rule, how the engine's verdicts compare with the reviewers' newest ones.
    pub async fn agreement(&self) -> Result<Vec<Agreement>> {
        let reviews = self.latest_reviews(&Scope::All, None).await?;
        let names: HashMap<(String, String), String> = self
            .published()
            .into_iter()
            .flat_map(|(id, card)| {
                card.compiled.card.items().map(|(_, item)| ((id.clone(), item.id.clone()), item.name.clone())).collect::<Vec<_>>()
            })
            .collect();
        let mut table: HashMap<(String, String), [usize; 4]> = HashMap::new();
        for review in reviews.values() {
            let (Some(auto), Some(human)) = (outcome_of(&review.automatic), outcome_of(&review.outcome)) else { continue };
            if auto == Outcome::NotApplicable || human == Outcome::NotApplicable {
                continue;
            }
            let cell = match (auto == Outcome::Fail, human == Outcome::Fail) {
                (true, true) => 0,
                (true, false) => 1,
                (false, true) => 2,
                (false, false) => 3,
            };
            table.entry((review.scorecard_id.clone(), review.item_id.clone())).or_default()[cell] += 1;
        }
        let mut out: Vec<Agreement> = table
            .into_iter()
            .map(|((card, item), [tp, fp, fn_, tn])| {
                let n = (tp + fp + fn_ + tn) as f64;
                let ratio = |a: usize, b: usize| (a + b > 0).then(|| a as f64 / (a + b) as f64);
                let observed = (tp + tn) as f64 / n;
                let auto_fail = (tp + fp) as f64 / n;
                let human_fail = (tp + fn_) as f64 / n;
                let chance = auto_fail * human_fail + (1.0 - auto_fail) * (1.0 - human_fail);
                let kappa = if (1.0 - chance).abs() < 1e-9 { None } else { Some((observed - chance) / (1.0 - chance)) };
                Agreement {
                    name: names.get(&(card.clone(), item.clone())).cloned().unwrap_or_else(|| item.clone()),
                    scorecard_id: card,
                    item_id: item,
                    reviewed: tp + fp + fn_ + tn,
                    both_fail: tp,
                    false_fail: fp,
                    missed_fail: fn_,
                    both_pass: tn,
                    precision: ratio(tp, fp),
                    recall: ratio(tp, fn_),
                    kappa,
                }
            })
            .collect();
        out.sort_by(|a, b| a.kappa.unwrap_or(1.0).total_cmp(&b.kappa.unwrap_or(1.0)).then(a.item_id.cmp(&b.item_id)));
        Ok(out)
    }
}

/// A stable hash of an id (FNV-1a), for the calibration sample.
fn sample_hash(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
