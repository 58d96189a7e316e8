use serde::{Deserialize, Serialize};

use crate::{string_enum, Millis};

string_enum! {
    /// The three shapes of knowledge.
    KnowledgeKind { Faq = "faq", Article = "article", Flow = "flow" }
}

/// A versioned piece of knowledge: an FAQ, an article or a guided flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KnowledgeItem {
    pub id: String,
    /// Stable key from the source (FAQ id, article slug, flow code); unique per kind.
    pub key: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub version: i64,
    pub updated_at: Millis,
    #[serde(default)]
    pub updated_by: String,
    pub body: KnowledgeBody,
}

impl KnowledgeItem {
    pub fn kind(&self) -> KnowledgeKind {
        match self.body {
            KnowledgeBody::Faq { .. } => KnowledgeKind::Faq,
            KnowledgeBody::Article { .. } => KnowledgeKind::Article,
            KnowledgeBody::Flow(_) => KnowledgeKind::Flow,
        }
    }

    /// Everything a search should see, as one text.
    pub fn search_text(&self) -> String {
        match &self.body {
            KnowledgeBody::Faq { questions, answer } => format!("{}\n{}\n{}", self.title, questions.join("\n"), answer),
            KnowledgeBody::Article { markdown } => format!("{}\n{}", self.title, markdown),
            KnowledgeBody::Flow(flow) => {
                let steps: Vec<&str> = flow.steps.iter().map(|s| s.text.as_str()).collect();
                format!("{}\n{}\n{}", self.title, flow.description, steps.join("\n"))
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum KnowledgeBody {
    /// Several phrasings of one question (the first is the main one) and its answer.
    Faq {
        questions: Vec<String>,
        answer: String,
    },
    Article {
        markdown: String,
    },
    Flow(GuidedFlow),
}

/// Guided steps for one kind of request: a decision tree the agent walks through.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuidedFlow {
    #[serde(default)]
    pub description: String,
    /// Id of the first step.
    pub start: String,
    pub steps: Vec<FlowStep>,
    /// Action codes that must be done, in this order (`verify-identity`, `offer-refund`…);
    /// quality inspection checks a conversation's path against them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
}

string_enum! {
    /// What a step asks of the agent.
    FlowStepKind { Say = "say", Ask = "ask", Action = "action", End = "end" }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowStep {
    pub id: String,
    pub kind: FlowStepKind,
    pub text: String,
    /// Answers to an `ask` step, each leading to another step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<FlowOption>,
    /// The step after this one, when it does not branch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// The action code this step performs, checked off when the step is done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Words or phrases that show in a conversation's turns that this step was done.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cues: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowOption {
    pub label: String,
    pub next: String,
    /// Words in the customer's answer that choose this option (its label's words count too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cues: Vec<String>,
}

impl GuidedFlow {
    /// Checks that the start and every `next` name a step, so a flow never leads nowhere.
    pub fn validate(&self) -> Result<(), String> {
        let ids: std::collections::HashSet<&str> = self.steps.iter().map(|s| s.id.as_str()).collect();
        if ids.len() != self.steps.len() {
            return Err("two steps share an id".into());
        }
        if !ids.contains(self.start.as_str()) {
            return Err(format!("start step {:?} does not exist", self.start));
        }
        for step in &self.steps {
            let targets = step.next.iter().chain(step.options.iter().map(|o| &o.next));
            for target in targets {
                if !ids.contains(target.as_str()) {
                    return Err(format!("step {:?} leads to missing step {:?}", step.id, target));
                }
            }
            if step.kind == FlowStepKind::Ask && step.options.is_empty() {
                return Err(format!("ask step {:?} has no options", step.id));
            }
        }
        Ok(())
    }
}

/// A guided flow as walked in one conversation: the steps taken, in order. Quality inspection
/// checks it against the flow's required actions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowWalk {
    pub conversation_id: String,
    pub flow_id: String,
    /// The flow's version when the walk started.
    pub flow_version: i64,
    pub steps: Vec<WalkedStep>,
    /// True once the walk reached an end step.
    pub finished: bool,
    pub updated_by: String,
    pub updated_at: Millis,
    /// Counts saves: a save must name the revision it read, so a stale tab cannot overwrite.
    pub revision: i64,
}

/// One step of a walk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalkedStep {
    pub step: String,
    /// The option taken at an `ask` step (its index).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<usize>,
    /// The action the step performed, checked off by the agent or recognised from the turns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// The turn that showed the step done, when it was recognised from the conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn: Option<usize>,
}
