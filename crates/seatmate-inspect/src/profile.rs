//! Weakness profiles: the items an agent (or a team) fails more often than their peers — judged by
//! a one-sided two-proportion z-test, not a raw difference — with the trend over weeks, the
//! spread of scores, and the knowledge articles and flows that teach each weak item.

use std::collections::HashMap;

use seatmate_core::{Role, User};
use seatmate_quality::Outcome;
use seatmate_store::{Scope, StoredInspection};
use serde::{Deserialize, Serialize};

use crate::review::{outcome_of, parsed};
use crate::{InspectError, Inspector, Result};

/// How many inspections a profile reads at most (newest first).
const READ_AT_MOST: usize = 20_000;
/// An item is a weak spot when the subject fails it more than the peers with p below this…
pub const SIGNIFICANCE: f64 = 0.05;
/// …over at least this many conversations where it applied.
pub const MIN_APPLICABLE: usize = 5;
const WEEK_MS: i64 = 7 * 24 * 60 * 60 * 1000;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    /// The agent profiled, or none for a team.
    pub agent: Option<String>,
    pub team: Option<String>,
    /// Who the subject is compared with: `team` (the agent's teammates) or `centre` (everyone else).
    pub compared_with: String,
    pub conversations: usize,
    pub mean_score: f64,
    pub peer_mean_score: f64,
    /// Items, weak spots first, then by how much more often the subject fails them.
    pub items: Vec<ItemProfile>,
    /// Mean score per week the conversations started in, oldest first.
    pub weeks: Vec<WeekPoint>,
    /// How many conversations scored 0–9, 10–19, … 90–100.
    pub histogram: Vec<usize>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemProfile {
    pub scorecard_id: String,
    pub item_id: String,
    pub name: String,
    pub section: String,
    pub applicable: usize,
    pub failed: usize,
    pub fail_rate: f64,
    pub peer_applicable: usize,
    pub peer_fail_rate: f64,
    /// One-sided p-value that the subject fails it no more often than the peers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_value: Option<f64>,
    pub weak: bool,
    pub guidance: String,
    /// What to learn from, for weak items.
    pub learning: Vec<LearningLink>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LearningLink {
    pub id: String,
    pub title: String,
    /// `faq`, `article` or `flow`.
    pub kind: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekPoint {
    pub week_start: i64,
    pub conversations: usize,
    pub mean_score: f64,
}

/// Fail counts per (scorecard, item): (applicable, failed).
type Tally = HashMap<(String, String), (usize, usize)>;

impl Inspector {
    /// The weakness profile of an agent (compared with their teammates) or a team (compared with
    /// the rest of the centre). An agent sees only their own; a team lead their team and its agents.
    pub async fn profile(&self, viewer: &User, agent: Option<&str>, team: Option<&str>) -> Result<Profile> {
        let mut profile = self.weakness(viewer, agent, team).await?;
        if let Some(assist) = &self.assist {
            for item in profile.items.iter_mut().filter(|i| i.weak || i.failed > 0).take(5) {
                let query = format!("{} {}", item.name, item.guidance);
                if let Ok(hits) = assist.search(query, 3).await {
                    item.learning = hits
                        .into_iter()
                        .map(|h| LearningLink { id: h.id, title: h.title, kind: h.kind.as_str().to_string() })
                        .collect();
                }
            }
        }
        Ok(profile)
    }

    /// The profile without its learning links: no knowledge search, so it stays cheap when
    /// every agent's weak items are wanted at once.
    pub async fn weakness(&self, viewer: &User, agent: Option<&str>, team: Option<&str>) -> Result<Profile> {
        let (agent, team) = match viewer.role {
            Role::Agent => (Some(viewer.username.clone()), None),
            Role::TeamLead => {
                let own = viewer.team.clone().unwrap_or_default();
                if team.is_some_and(|t| t != own) {
                    return Err(InspectError::NotFound(format!("team {}", team.unwrap_or_default())));
                }
                (agent.map(str::to_string), Some(own))
            }
            _ => (agent.map(str::to_string), team.map(str::to_string)),
        };
        let (subject_scope, peer_scope, compared_with, team) = match &agent {
            Some(agent) => {
                let found = self.store.user_by_username(agent).await?.map(|(u, _)| u);
                let agent_team = found.and_then(|u| u.team);
                if viewer.role == Role::TeamLead && agent_team != team {
                    return Err(InspectError::NotFound(format!("agent {agent}")));
                }
                let peers = agent_team.clone().map_or(Scope::All, Scope::Team);
                let compared = if agent_team.is_some() { "team" } else { "centre" };
                (Scope::Agent(agent.clone()), peers, compared, agent_team)
            }
            None => match &team {
                Some(team) => (Scope::Team(team.clone()), Scope::All, "centre", Some(team.clone())),
                None => (Scope::All, Scope::All, "centre", None),
            },
        };
        let subject = self.recent(&subject_scope, READ_AT_MOST).await?;
        let subject_ids: std::collections::HashSet<&str> = subject.iter().map(|i| i.conversation_id.as_str()).collect();
        let peers: Vec<StoredInspection> = self
            .recent(&peer_scope, READ_AT_MOST)
            .await?
            .into_iter()
            .filter(|i| !subject_ids.contains(i.conversation_id.as_str()))
            .collect();
        let reviews = self.latest_reviews(&Scope::All, None).await?;
        let (mine, my_scores) = tally(&subject, &reviews)?;
        let (theirs, peer_scores) = tally(&peers, &reviews)?;

        let mut items = Vec::new();
        for (card_id, card) in self.published() {
            for (section, item) in card.compiled.card.items() {
                let key = (card_id.clone(), item.id.clone());
                let (applicable, failed) = mine.get(&key).copied().unwrap_or_default();
                let (peer_applicable, peer_failed) = theirs.get(&key).copied().unwrap_or_default();
                if applicable == 0 {
                    continue;
                }
                let p_value = one_sided_p(failed, applicable, peer_failed, peer_applicable);
                let fail_rate = failed as f64 / applicable as f64;
                let peer_fail_rate = if peer_applicable == 0 { 0.0 } else { peer_failed as f64 / peer_applicable as f64 };
                let weak =
                    applicable >= MIN_APPLICABLE && fail_rate > peer_fail_rate && p_value.is_some_and(|p| p < SIGNIFICANCE);
                items.push(ItemProfile {
                    scorecard_id: card_id.clone(),
                    item_id: item.id.clone(),
                    name: item.name.clone(),
                    section: section.name.clone(),
                    applicable,
                    failed,
                    fail_rate: round3(fail_rate),
                    peer_applicable,
                    peer_fail_rate: round3(peer_fail_rate),
                    p_value: p_value.map(round3),
                    weak,
                    guidance: item.guidance.clone(),
                    learning: Vec::new(),
                });
            }
        }
        items.sort_by(|a, b| {
            b.weak
                .cmp(&a.weak)
                .then((b.fail_rate - b.peer_fail_rate).total_cmp(&(a.fail_rate - a.peer_fail_rate)))
                .then(a.item_id.cmp(&b.item_id))
        });
        let mut weeks: std::collections::BTreeMap<i64, (usize, f64)> = std::collections::BTreeMap::new();
        let mut histogram = vec![0usize; 10];
        for (started_at, score) in &my_scores {
            let week = started_at.div_euclid(WEEK_MS) * WEEK_MS;
            let entry = weeks.entry(week).or_default();
            entry.0 += 1;
            entry.1 += score;
            histogram[((score / 10.0).floor() as usize).min(9)] += 1;
        }
        let mean = |scores: &[(i64, f64)]| {
            if scores.is_empty() {
                0.0
            } else {
                scores.iter().map(|s| s.1).sum::<f64>() / scores.len() as f64
            }
        };
        Ok(Profile {
            agent,
            team,
            compared_with: compared_with.into(),
            conversations: my_scores.len(),
            mean_score: round3(mean(&my_scores)),
            peer_mean_score: round3(mean(&peer_scores)),
            items,
            weeks: weeks
                .into_iter()
                .map(|(week_start, (n, sum))| WeekPoint { week_start, conversations: n, mean_score: round3(sum / n as f64) })
                .collect(),
            histogram,
        })
    }
}

/// Applicable and failed counts per item after reviews, and each inspection's (start, score).
fn tally(
    inspections: &[StoredInspection],
    reviews: &HashMap<(String, String, i64, String), seatmate_store::ItemReview>,
) -> Result<(Tally, Vec<(i64, f64)>)> {
    let mut counts: Tally = HashMap::new();
    let mut scores = Vec::new();
    for stored in inspections {
        let inspection = parsed(stored)?;
        if !inspection.applies {
            continue;
        }
        let mut effective = Vec::new();
        for result in inspection.items {
            let key = (stored.conversation_id.clone(), stored.scorecard_id.clone(), stored.version, result.item.clone());
            let outcome = reviews.get(&key).and_then(|r| outcome_of(&r.outcome)).unwrap_or(result.outcome);
            if outcome != Outcome::NotApplicable {
                let entry = counts.entry((stored.scorecard_id.clone(), result.item.clone())).or_default();
                entry.0 += 1;
                entry.1 += usize::from(outcome == Outcome::Fail);
            }
            effective.push((result, outcome));
        }
        scores.push((stored.started_at, crate::review::score_of(&effective).0));
    }
    Ok((counts, scores))
}

/// One-sided two-proportion z-test (pooled): p of seeing the subject fail this much more often
/// than the peers if both failed alike. None without peers or without any variation.
pub fn one_sided_p(failed: usize, applicable: usize, peer_failed: usize, peer_applicable: usize) -> Option<f64> {
    if applicable == 0 || peer_applicable == 0 {
        return None;
    }
    let (n1, n2) = (applicable as f64, peer_applicable as f64);
    let (p1, p2) = (failed as f64 / n1, peer_failed as f64 / n2);
    let pooled = (failed + peer_failed) as f64 / (n1 + n2);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    if se == 0.0 {
        return None;
    }
    Some(upper_tail((p1 - p2) / se))
}

/// P(Z > z) for a standard normal Z (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7).
fn upper_tail(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t * (0.254_829_592 + t * (-0.284_496_736 + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erfc = poly * (-x * x).exp();
    if z >= 0.0 {
        erfc / 2.0
    } else {
        1.0 - erfc / 2.0
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normal_tail_matches_known_values() {
        assert!((upper_tail(0.0) - 0.5).abs() < 1e-6);
        assert!((upper_tail(1.644_853_6) - 0.05).abs() < 1e-5);
        assert!((upper_tail(-1.959_964) - 0.975).abs() < 1e-5);
    }

    #[test]
    fn a_real_difference_is_significant_and_a_small_sample_is_not() {
        assert!(one_sided_p(12, 20, 20, 200).is_some_and(|p| p < 0.001));
        assert!(one_sided_p(1, 3, 20, 200).is_some_and(|p| p > 0.05));
        assert_eq!(one_sided_p(0, 10, 0, 10), None);
    }
}
