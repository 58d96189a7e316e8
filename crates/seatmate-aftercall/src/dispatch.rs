//! Who handles a ticket: explicit rules first (category subtree plus conditions), then the team the
//! taxonomy gives the category (inherited down the tree), then the team past tickets of that
//! category went to. Every decision says why.

use std::collections::HashMap;

use seatmate_core::{Channel, Priority, TaxonomyNode};
use serde::{Deserialize, Serialize};

/// One dispatch rule; every condition it names must hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DispatchRule {
    pub name: String,
    /// A taxonomy code: the rule applies to this category and everything below it.
    #[serde(default)]
    pub category: Option<String>,
    /// The ticket's priority is at least this.
    #[serde(default)]
    pub min_priority: Option<Priority>,
    /// Any of these words occurs in the conversation (case-insensitive).
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub channel: Option<Channel>,
    /// Local hours [from, to) in which the rule applies, e.g. [9, 18]; wraps past midnight when from > to.
    #[serde(default)]
    pub hours: Option<(u8, u8)>,
    /// The customer's tier (from the conversation's `customer_tier` attribute).
    #[serde(default)]
    pub customer_tier: Option<String>,
    pub team: String,
}

/// What dispatch looks at.
#[derive(Clone, Debug, Default)]
pub struct DispatchInput<'a> {
    /// Root first, the ticket's category last.
    pub category_path: &'a [TaxonomyNode],
    pub priority: Option<Priority>,
    /// Already lower-cased text of the conversation or ticket.
    pub text: &'a str,
    pub channel: Option<Channel>,
    pub local_hour: Option<u8>,
    pub customer_tier: Option<&'a str>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DispatchSource {
    Rule,
    Taxonomy,
    Learned,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DispatchDecision {
    pub team: String,
    pub source: DispatchSource,
    /// Why, as an English sentence (for API clients and logs).
    pub reason: String,
    /// The rule that matched (source `rule`), for a client to say the reason in its own language.
    pub reason_rule: Option<String>,
    /// The category the reason names (source `taxonomy`: the category, or the ancestor, that carries
    /// the team; `learned`: the category whose past tickets went to the team).
    pub reason_category: Option<String>,
}

fn rule_matches(rule: &DispatchRule, input: &DispatchInput<'_>) -> bool {
    let category_ok = rule.category.as_ref().is_none_or(|code| input.category_path.iter().any(|n| &n.code == code));
    let priority_ok = rule.min_priority.is_none_or(|min| input.priority.is_some_and(|p| p >= min));
    let keywords_ok = rule.keywords.is_empty() || rule.keywords.iter().any(|k| input.text.contains(&k.to_lowercase()));
    let channel_ok = rule.channel.is_none_or(|c| input.channel == Some(c));
    let hours_ok = rule.hours.is_none_or(|(from, to)| {
        input.local_hour.is_some_and(|h| if from <= to { (from..to).contains(&h) } else { h >= from || h < to })
    });
    let tier_ok = rule.customer_tier.as_ref().is_none_or(|t| input.customer_tier.is_some_and(|c| c.eq_ignore_ascii_case(t)));
    category_ok && priority_ok && keywords_ok && channel_ok && hours_ok && tier_ok
}

/// `learned` maps a category code to the team most of its past tickets went to.
pub fn dispatch(
    rules: &[DispatchRule],
    input: &DispatchInput<'_>,
    learned: &HashMap<String, String>,
) -> Option<DispatchDecision> {
    if let Some(rule) = rules.iter().find(|r| rule_matches(r, input)) {
        return Some(DispatchDecision {
            team: rule.team.clone(),
            source: DispatchSource::Rule,
            reason: format!("rule {:?}", rule.name),
            reason_rule: Some(rule.name.clone()),
            reason_category: None,
        });
    }
    if let Some(node) = input.category_path.iter().rev().find(|n| n.team.is_some()) {
        let team = node.team.clone().unwrap_or_default();
        let reason = format!("category {} ({}) is handled by {team}", node.code, node.name_zh);
        return Some(DispatchDecision {
            team,
            source: DispatchSource::Taxonomy,
            reason,
            reason_rule: None,
            reason_category: Some(node.code.clone()),
        });
    }
    let leaf = input.category_path.last()?;
    learned.get(&leaf.code).map(|team| DispatchDecision {
        team: team.clone(),
        source: DispatchSource::Learned,
        reason: format!("most past tickets in {} went to {team}", leaf.code),
        reason_rule: None,
        reason_category: Some(leaf.code.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(code: &str, team: Option<&str>) -> TaxonomyNode {
        TaxonomyNode {
            code: code.into(),
            parent: None,
            name_zh: code.into(),
            name_en: code.into(),
            depth: 1,
            team: team.map(Into::into),
        }
    }

    fn rule(name: &str, team: &str) -> DispatchRule {
        DispatchRule {
            name: name.into(),
            category: None,
            min_priority: None,
            keywords: vec![],
            channel: None,
            hours: None,
            customer_tier: None,
            team: team.into(),
        }
    }

    #[test]
    fn rules_then_taxonomy_then_learned() {
        let path = [node("BB", Some("NET")), node("BB.FAULT", None)];
        let vip = DispatchRule { customer_tier: Some("vip".into()), ..rule("vip customers", "VIP") };
        let angry =
            DispatchRule { keywords: vec!["投诉".into()], category: Some("BB".into()), ..rule("complaints", "COMPLAINT") };
        let rules = vec![vip, angry];
        let learned = HashMap::from([("X".to_string(), "TECH".to_string())]);

        let input =
            DispatchInput { category_path: &path, text: "我要投诉", customer_tier: Some("VIP"), ..Default::default() };
        assert_eq!(dispatch(&rules, &input, &learned).unwrap().team, "VIP", "first matching rule wins");
        let input = DispatchInput { category_path: &path, text: "我要投诉", ..Default::default() };
        let decision = dispatch(&rules, &input, &learned).unwrap();
        assert_eq!(decision.team, "COMPLAINT");
        assert_eq!((decision.reason_rule.as_deref(), decision.reason_category), (Some("complaints"), None));
        let input = DispatchInput { category_path: &path, text: "网断了", ..Default::default() };
        let decision = dispatch(&rules, &input, &learned).unwrap();
        assert_eq!((decision.team.as_str(), decision.source), ("NET", DispatchSource::Taxonomy), "inherited from BB");
        assert_eq!(
            (decision.reason_rule, decision.reason_category.as_deref()),
            (None, Some("BB")),
            "the reason names the category that carries the team"
        );
        let orphan = [node("X", None)];
        let input = DispatchInput { category_path: &orphan, ..Default::default() };
        let decision = dispatch(&rules, &input, &learned).unwrap();
        assert_eq!((decision.source, decision.reason_category.as_deref()), (DispatchSource::Learned, Some("X")));
        assert_eq!(dispatch(&[], &DispatchInput::default(), &learned), None);
    }

    #[test]
    fn conditions_on_priority_channel_and_hours() {
        let path = [node("BB", None)];
        let night = DispatchRule { hours: Some((22, 8)), ..rule("night shift", "NIGHT") };
        let urgent_voice =
            DispatchRule { min_priority: Some(Priority::High), channel: Some(Channel::Voice), ..rule("urgent calls", "HOT") };
        let rules = vec![night, urgent_voice];
        let at = |hour: u8, priority: Priority, channel: Channel| {
            let input = DispatchInput {
                category_path: &path,
                priority: Some(priority),
                channel: Some(channel),
                local_hour: Some(hour),
                ..Default::default()
            };
            dispatch(&rules, &input, &HashMap::new()).map(|d| d.team)
        };
        assert_eq!(at(23, Priority::Low, Channel::Chat).as_deref(), Some("NIGHT"));
        assert_eq!(at(3, Priority::Low, Channel::Chat).as_deref(), Some("NIGHT"));
        assert_eq!(at(10, Priority::Urgent, Channel::Voice).as_deref(), Some("HOT"));
        assert_eq!(at(10, Priority::Normal, Channel::Voice), None);
    }
}
