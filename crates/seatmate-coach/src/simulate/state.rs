//! What of a goal has been said, derived from the dialogue's acts so far; the delexicalised shape
//! of a customer turn relative to that state (`Token`s), and a shape filled in with a goal's own
//! values.

use std::collections::HashMap;

use super::{Act, Goal, GoalItem};

/// One act of a customer turn, told by its role towards the goal rather than by its values.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Token {
    /// A general act (greet, thank, bye), by its kind.
    General(String),
    /// A constraint of the current sub-goal not said yet.
    Constraint,
    /// A requirement of the current sub-goal not asked yet.
    Request,
    /// A requirement asked before and still unanswered.
    Rerequest,
    /// The choice of one of the entities the agent offered.
    Pick,
    /// The name of the current entity, said again.
    Name,
    /// Anything else (intent, slot): kept in the shape, never filled in.
    Other(String, String),
}

/// The slot names the state reads.
#[derive(Clone, Debug)]
pub(crate) struct Slots {
    pub name: String,
    pub source: String,
}

/// A goal and how far the dialogue has gone through it.
#[derive(Clone, Debug)]
pub(crate) struct GoalState {
    items: Vec<GoalItem>,
    mentioned: Vec<bool>,
    requested: Vec<bool>,
    filled: Vec<bool>,
    answered: Vec<bool>,
    names: HashMap<u32, String>,
    offers: Vec<(String, String)>,
    groups: Vec<u32>,
    last_user: usize,
    slots: Slots,
}

/// What the next customer turn is decided on (all categorical, compared for equality).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Context {
    pub done: bool,
    pub intents: String,
    pub fresh: bool,
    pub constraints: usize,
    pub requests: usize,
    pub rerequests: usize,
    pub offers: usize,
    pub cross: bool,
    pub last: usize,
}

/// The work-list of the current sub-goal: its group and the item indices still open.
struct Pending {
    group: Option<u32>,
    constraints: Vec<usize>,
    requests: Vec<usize>,
    rerequests: Vec<usize>,
}

fn is_constraint(item: &GoalItem) -> bool {
    !item.values.is_empty() || item.refers_to.is_some()
}

impl GoalState {
    pub(crate) fn new(goal: &Goal, slots: Slots) -> GoalState {
        let n = goal.items.len();
        let mut groups: Vec<u32> = goal.items.iter().map(|i| i.group).collect();
        groups.sort_unstable();
        groups.dedup();
        GoalState {
            items: goal.items.clone(),
            mentioned: vec![false; n],
            requested: vec![false; n],
            filled: vec![false; n],
            answered: vec![false; n],
            names: HashMap::new(),
            offers: Vec::new(),
            groups,
            last_user: 0,
            slots,
        }
    }

    fn group_done(&self, group: u32) -> bool {
        self.items.iter().enumerate().filter(|(_, it)| it.group == group).all(|(i, it)| {
            if is_constraint(it) {
                self.mentioned[i]
            } else {
                self.filled[i] || self.answered[i]
            }
        })
    }

    /// The first sub-goal not finished, if any.
    pub(crate) fn current(&self) -> Option<u32> {
        self.groups.iter().copied().find(|&g| !self.group_done(g))
    }

    /// Whether every sub-goal is finished.
    pub(crate) fn exhausted(&self) -> bool {
        self.current().is_none()
    }

    /// The domain of the current sub-goal.
    pub(crate) fn current_domain(&self) -> Option<&str> {
        self.current().and_then(|g| self.domain_of(g))
    }

    fn domain_of(&self, group: u32) -> Option<&str> {
        self.items.iter().find(|i| i.group == group).map(|i| i.domain.as_str())
    }

    /// Whether the current sub-goal's domain has an item with this slot.
    pub(crate) fn current_has_slot(&self, slot: &str) -> bool {
        let current = self.current();
        self.items.iter().any(|i| Some(i.group) == current && i.slot == slot)
    }

    /// The goal item an act about (domain, slot) refers to: the current sub-goal's, else the first
    /// unfinished sub-goal's, else the last.
    fn find(&self, domain: &str, slot: &str) -> Option<usize> {
        let current = self.current();
        let hits: Vec<usize> =
            self.items.iter().enumerate().filter(|(_, it)| it.domain == domain && it.slot == slot).map(|(i, _)| i).collect();
        hits.iter()
            .copied()
            .find(|&i| Some(self.items[i].group) == current)
            .or_else(|| hits.iter().copied().find(|&i| !self.group_done(self.items[i].group)))
            .or_else(|| hits.last().copied())
    }

    /// Takes in a customer turn's acts.
    pub(crate) fn customer(&mut self, acts: &[Act]) {
        for act in acts {
            match act.intent.as_str() {
                "Select" => {
                    if let Some(i) = self.find(&act.domain, &self.slots.name.clone()) {
                        self.mentioned[i] = true;
                    }
                }
                "Inform" => {
                    if let Some(i) = self.find(&act.domain, &act.slot) {
                        if is_constraint(&self.items[i]) {
                            self.mentioned[i] = true;
                        } else if act.slot == self.slots.name {
                            self.filled[i] = true;
                            self.mentioned[i] = true;
                            self.names.insert(self.items[i].group, act.value.clone());
                        }
                    }
                }
                "Request" => {
                    if let Some(i) = self.find(&act.domain, &act.slot) {
                        self.requested[i] = true;
                    }
                }
                _ => {}
            }
        }
        self.last_user = acts.len();
    }

    /// Takes in an agent turn's acts.
    pub(crate) fn agent(&mut self, acts: &[Act]) {
        self.offers.clear();
        for act in acts {
            if act.intent != "Inform" && act.intent != "Recommend" {
                continue;
            }
            if act.intent == "Recommend" && act.slot == self.slots.name {
                self.offers.push((act.domain.clone(), act.value.clone()));
                continue;
            }
            if let Some(i) = self.find(&act.domain, &act.slot) {
                if !is_constraint(&self.items[i]) {
                    self.filled[i] = true;
                }
                if act.slot == self.slots.name && !act.value.is_empty() {
                    self.names.insert(self.items[i].group, act.value.clone());
                }
            }
        }
        for i in 0..self.items.len() {
            if self.requested[i] {
                self.answered[i] = true;
            }
        }
    }

    fn pending(&self) -> Pending {
        let group = self.current();
        let (mut constraints, mut requests, mut rerequests) = (Vec::new(), Vec::new(), Vec::new());
        for (i, it) in self.items.iter().enumerate() {
            if Some(it.group) != group {
                continue;
            }
            if is_constraint(it) {
                if !self.mentioned[i] {
                    constraints.push(i);
                }
            } else if !self.filled[i] {
                if self.requested[i] {
                    rerequests.push(i);
                } else {
                    requests.push(i);
                }
            }
        }
        Pending { group, constraints, requests, rerequests }
    }

    /// The context of the next customer turn, after the agent's `acts`.
    pub(crate) fn context(&self, agent_acts: &[Act]) -> Context {
        let p = self.pending();
        let mut intents: Vec<&str> = agent_acts.iter().map(|a| a.intent.as_str()).collect();
        intents.sort_unstable();
        intents.dedup();
        let fresh = p.group.is_some_and(|g| {
            !self.items.iter().enumerate().any(|(i, it)| it.group == g && (self.mentioned[i] || self.requested[i]))
        });
        Context {
            done: p.group.is_none(),
            intents: intents.join("+"),
            fresh,
            constraints: p.constraints.len().min(3),
            requests: p.requests.len().min(3),
            rerequests: p.rerequests.len().min(3),
            offers: self.offers.len().min(2),
            cross: p.constraints.iter().any(|&i| self.items[i].refers_to.is_some()),
            last: self.last_user.min(6),
        }
    }

    /// The shape of a customer turn's `acts` in this state (sorted).
    pub(crate) fn shape(&self, acts: &[Act]) -> Vec<Token> {
        let p = self.pending();
        let mut tokens = Vec::new();
        let mut used: Vec<usize> = Vec::new();
        let mut constraint = |i: usize, tokens: &mut Vec<Token>| {
            if !used.contains(&i) {
                used.push(i);
                tokens.push(Token::Constraint);
            }
        };
        for act in acts {
            let other = || Token::Other(act.intent.clone(), act.slot.clone());
            match act.intent.as_str() {
                "General" => tokens.push(Token::General(act.domain.clone())),
                "Request" => match self.find(&act.domain, &act.slot) {
                    Some(i) if p.requests.contains(&i) => tokens.push(Token::Request),
                    Some(i) if p.rerequests.contains(&i) => tokens.push(Token::Rerequest),
                    _ => tokens.push(other()),
                },
                "Select" => match self.find(&act.domain, &self.slots.name) {
                    Some(i) if p.constraints.contains(&i) => constraint(i, &mut tokens),
                    _ => tokens.push(other()),
                },
                "Inform" => {
                    if let Some(i) = self.find(&act.domain, &act.slot).filter(|i| p.constraints.contains(i)) {
                        constraint(i, &mut tokens);
                        continue;
                    }
                    if act.slot == self.slots.name && self.offers.iter().any(|(_, v)| *v == act.value) {
                        tokens.push(Token::Pick);
                        continue;
                    }
                    let cross = p.constraints.iter().copied().find(|&j| {
                        act.slot == self.slots.name
                            && self.items[j].refers_to.and_then(|r| self.domain_of(r)) == Some(act.domain.as_str())
                    });
                    if let Some(j) = cross {
                        constraint(j, &mut tokens);
                        continue;
                    }
                    let current_name = p.group.and_then(|g| self.names.get(&g));
                    if act.slot == self.slots.name && current_name == Some(&act.value) {
                        tokens.push(Token::Name);
                        continue;
                    }
                    tokens.push(other());
                }
                _ => tokens.push(other()),
            }
        }
        tokens.sort();
        tokens
    }

    /// The acts a constraint is said with: its values, or for a constraint on another sub-goal's
    /// entity, that entity's name (with a `Select` of its domain when the constraint is on the name).
    fn constraint_acts(&self, i: usize) -> Vec<Act> {
        let it = &self.items[i];
        let Some(r) = it.refers_to else {
            return it.values.iter().map(|v| Act::new("Inform", &it.domain, &it.slot, v)).collect();
        };
        let domain = self.domain_of(r).unwrap_or_default();
        let name = self.names.get(&r).cloned().unwrap_or_default();
        if it.slot == self.slots.name {
            vec![Act::new("Select", &it.domain, &self.slots.source, domain), Act::new("Inform", domain, &self.slots.name, &name)]
        } else {
            vec![Act::new("Inform", &it.domain, &it.slot, &name)]
        }
    }

    /// A shape filled in with this goal's items, in goal order (constraints on other sub-goals
    /// first); informs whose value is unknown are left out. Sorted, without duplicates.
    pub(crate) fn fill(&self, shape: &[Token]) -> Vec<Act> {
        let p = self.pending();
        let mut acts = Vec::new();
        let (mut nc, mut nr, mut nra) = (0, 0, 0);
        for t in shape {
            match t {
                Token::General(kind) => acts.push(Act::new("General", kind, "none", "none")),
                Token::Constraint => nc += 1,
                Token::Request => nr += 1,
                Token::Rerequest => nra += 1,
                Token::Pick => {
                    if let Some((d, v)) = self.offers.first() {
                        acts.push(Act::new("Inform", d, &self.slots.name, v));
                    }
                }
                Token::Name => {
                    if let (Some(g), Some(d)) = (p.group, p.group.and_then(|g| self.domain_of(g))) {
                        let name = self.names.get(&g).cloned().unwrap_or_default();
                        acts.push(Act::new("Inform", d, &self.slots.name, &name));
                    }
                }
                Token::Other(..) => {}
            }
        }
        let mut constraints = p.constraints.clone();
        constraints.sort_by_key(|&i| (self.items[i].refers_to.is_none(), i));
        for &i in constraints.iter().take(nc) {
            acts.extend(self.constraint_acts(i));
        }
        for &i in p.requests.iter().take(nr).chain(p.rerequests.iter().take(nra)) {
            let it = &self.items[i];
            acts.push(Act::new("Request", &it.domain, &it.slot, ""));
        }
        acts.retain(|a| a.intent != "Inform" || !a.value.is_empty());
        acts.sort();
        acts.dedup();
        acts
    }
}
