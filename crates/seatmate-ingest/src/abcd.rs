//! ABCD agent guidelines (Action-Based Conversations Dataset, Chen et al. 2021, MIT licence) as
//! guided flows: one knowledge item per subflow.
//!
//! Three files work together. `guidelines.json` holds the flows by display name
//! (`"Product Defect"`), each with its subflows (`"Initiate Refund"`) and their ordered actions.
//! `kb.json` maps subflow codes (`refund_initiate`) to the actions they require. Only
//! `ontology.json` ties the two: `intents.subflows.<flow code>` lists the codes of a flow's subflows
//! in the order `guidelines.json` lists them, so the i-th subflow pairs with the i-th code; each
//! pair must share a word (`Shipping Status` / `status`, `Reset Two-Factor Auth` / `reset_2fa`), so a
//! reordered file is refused rather than silently mislabelled.

use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;

use seatmate_core::{FlowOption, FlowStep, FlowStepKind, GuidedFlow, KnowledgeBody, KnowledgeItem, KnowledgeKind};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::common::{check_text, from_json, Context, ImportError, SeenIds};
use crate::knowledge::{knowledge_id, IMPORT_USER};

/// The id of the last step of every ABCD flow.
const END: &str = "end";
/// ABCD's guidelines close every conversation the same way; the flow's last step says so.
const WRAP_UP: &str = "Wrap up: ask whether the customer needs anything else, then end the conversation.";

/// One of the ABCD files: its context (display name and import time) and its bytes.
#[derive(Clone, Copy, Debug)]
pub struct AbcdFile<'a> {
    pub ctx: Context<'a>,
    pub bytes: &'a [u8],
}

/// What [`abcd_flows`] read.
#[derive(Clone, Debug)]
pub struct AbcdImport {
    /// One guided flow per subflow, keyed `abcd/<subflow code>`.
    pub items: Vec<KnowledgeItem>,
    /// Flows in `guidelines.json` (each holds several subflows).
    pub flows: usize,
    /// Keys of imported subflows that `kb.json` lists no required actions for.
    pub without_actions: Vec<String>,
    /// `kb.json` codes that no subflow of `guidelines.json` maps to (nothing imported for them).
    pub unused_actions: Vec<String>,
}

/// A JSON object with its keys in file order (subflow order is what pairs names with codes);
/// a key that appears twice is an error rather than a silent overwrite.
struct Ordered<T>(Vec<(String, T)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for OrderedVisitor<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered<T>, A::Error> {
                let mut seen = HashSet::new();
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if !seen.insert(key.clone()) {
                        return Err(de::Error::custom(format!("key {key:?} appears twice")));
                    }
                    let value = map.next_value()?;
                    entries.push((key, value));
                }
                Ok(Ordered(entries))
            }
        }
        deserializer.deserialize_map(OrderedVisitor(PhantomData))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, try_from = "FlowRaw")]
struct FlowIn {
    description: String,
    subflows: Vec<(String, SubflowIn)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlowRaw {
    #[serde(default)]
    description: String,
    subflows: Ordered<SubflowIn>,
}

impl TryFrom<FlowRaw> for FlowIn {
    type Error = String;
    fn try_from(raw: FlowRaw) -> Result<Self, String> {
        if raw.subflows.0.is_empty() {
            return Err("`subflows` is empty".into());
        }
        if let Some((name, _)) = raw.subflows.0.iter().find(|(name, _)| name.trim().is_empty()) {
            return Err(format!("subflow name {name:?} is empty"));
        }
        Ok(FlowIn { description: raw.description.trim().to_string(), subflows: raw.subflows.0 })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, try_from = "SubflowRaw")]
struct SubflowIn {
    actions: Vec<ActionIn>,
    instructions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubflowRaw {
    actions: Vec<ActionIn>,
    #[serde(default)]
    instructions: Vec<String>,
}

impl TryFrom<SubflowRaw> for SubflowIn {
    type Error = String;
    fn try_from(raw: SubflowRaw) -> Result<Self, String> {
        if raw.actions.is_empty() {
            return Err("`actions` is empty".into());
        }
        Ok(SubflowIn { actions: raw.actions, instructions: raw.instructions })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, try_from = "ActionRaw")]
struct ActionIn {
    /// The agent-console button (`Pull up Account`); `None` for `N/A`.
    button: Option<String>,
    text: String,
    subtext: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionRaw {
    /// `interaction`, `kb query`, `faq/policy` or `communication`; the button says more.
    #[serde(rename = "type", default)]
    _kind: Option<String>,
    #[serde(default)]
    button: String,
    text: String,
    #[serde(default)]
    subtext: Vec<String>,
}

impl TryFrom<ActionRaw> for ActionIn {
    type Error = String;
    fn try_from(raw: ActionRaw) -> Result<Self, String> {
        let text = raw.text.trim().to_string();
        if text.is_empty() {
            return Err("`text` is empty".into());
        }
        let button = Some(raw.button.trim().to_string()).filter(|b| !b.is_empty() && !b.eq_ignore_ascii_case("n/a"));
        let subtext = raw.subtext.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        Ok(ActionIn { button, text, subtext })
    }
}

#[derive(Deserialize)]
struct OntologyIn {
    intents: IntentsIn,
}

#[derive(Deserialize)]
struct IntentsIn {
    subflows: Ordered<Vec<String>>,
}

/// Reads ABCD's `guidelines.json`, `kb.json` and `ontology.json` into guided flows, one per
/// subflow: title `<Flow> / <Subflow>`, key `abcd/<subflow code>`, category the flow, language
/// `en`, the required actions of `kb.json` in the description and as tags. All or nothing: the
/// first problem is returned, naming its file and JSON path.
pub fn abcd_flows(guidelines: AbcdFile<'_>, kb: AbcdFile<'_>, ontology: AbcdFile<'_>) -> Result<AbcdImport, ImportError> {
    let (g_ctx, kb_ctx, o_ctx) = (&guidelines.ctx, &kb.ctx, &ontology.ctx);
    let flows: Ordered<FlowIn> = from_json(g_ctx, check_text(g_ctx, guidelines.bytes)?, 0)?;
    let required: Ordered<Vec<String>> = from_json(kb_ctx, check_text(kb_ctx, kb.bytes)?, 0)?;
    let intents: OntologyIn = from_json(o_ctx, check_text(o_ctx, ontology.bytes)?, 0)?;
    if flows.0.is_empty() {
        return Err(g_ctx.err(None, None, "the file holds no flows"));
    }
    for (code, actions) in &required.0 {
        if code.trim().is_empty() {
            return Err(kb_ctx.err(None, None, "a subflow code is empty"));
        }
        if let Some(i) = actions.iter().position(|a| a.trim().is_empty()) {
            return Err(kb_ctx.err(None, Some(&format!("{code}[{i}]")), "the action name is empty"));
        }
    }

    let mut used: HashSet<&str> = HashSet::new();
    let mut seen = SeenIds::default();
    let mut out = AbcdImport { items: Vec::new(), flows: flows.0.len(), without_actions: Vec::new(), unused_actions: Vec::new() };
    for (flow_name, flow) in &flows.0 {
        let flow_name = flow_name.trim();
        let flow_code = snake(flow_name);
        let Some((_, codes)) = intents.intents.subflows.0.iter().find(|(code, _)| *code == flow_code) else {
            let msg = format!("no entry {flow_code:?} for the flow {flow_name:?} of {}", g_ctx.file);
            return Err(o_ctx.err(None, Some("intents.subflows"), msg));
        };
        let field = format!("intents.subflows.{flow_code}");
        if codes.len() != flow.subflows.len() {
            let msg = format!(
                "lists {} subflow codes but {} has {} subflows under {flow_name:?}",
                codes.len(),
                g_ctx.file,
                flow.subflows.len()
            );
            return Err(o_ctx.err(None, Some(&field), msg));
        }
        for (i, ((subflow_name, subflow), code)) in flow.subflows.iter().zip(codes).enumerate() {
            let subflow_name = subflow_name.trim();
            let code = code.trim();
            let field = format!("{field}[{i}]");
            if !shares_a_word(subflow_name, code) {
                let msg = format!(
                    "code {code:?} shares no word with {subflow_name:?}, subflow {} of {flow_name:?} in {}; \
                     the lists must be in the same order",
                    i + 1,
                    g_ctx.file
                );
                return Err(o_ctx.err(None, Some(&field), msg));
            }
            let key = format!("abcd/{code}");
            seen.check(&key, field.clone()).map_err(|m| o_ctx.err(None, Some(&field), m))?;
            let actions = required.0.iter().find(|(c, _)| c == code).map(|(c, a)| {
                used.insert(c.as_str());
                a.iter().map(|a| a.trim().to_string()).collect::<Vec<_>>()
            });
            if actions.is_none() {
                out.without_actions.push(key.clone());
            }
            let item = subflow_item(g_ctx, key, (flow_name, flow), subflow_name, subflow, actions.as_deref(), kb_ctx.file);
            if let KnowledgeBody::Flow(f) = &item.body {
                // A bug here, not in the file: the steps are built to be valid.
                f.validate().map_err(|m| g_ctx.err(None, Some(&format!("{flow_name}.subflows.{subflow_name}")), m))?;
            }
            out.items.push(item);
        }
    }
    out.unused_actions = required.0.iter().filter(|(c, _)| !used.contains(c.as_str())).map(|(c, _)| c.clone()).collect();
    Ok(out)
}

fn subflow_item(
    ctx: &Context<'_>,
    key: String,
    (flow_name, flow): (&str, &FlowIn),
    subflow_name: &str,
    subflow: &SubflowIn,
    required: Option<&[String]>,
    kb_file: &str,
) -> KnowledgeItem {
    let mut description: Vec<String> =
        subflow.instructions.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).map(str::to_string).collect();
    description.push(match required {
        Some(actions) if !actions.is_empty() => format!("Required actions: {}", actions.join(" → ")),
        _ => format!("Required actions: none listed in {kb_file}"),
    });
    if !flow.description.is_empty() {
        description.push(format!("Flow: {flow_name} ({})", flow.description));
    }
    let required = required.unwrap_or_default();
    let mut tags: Vec<String> = Vec::new();
    for action in required {
        if !tags.contains(action) {
            tags.push(action.clone());
        }
    }
    let body = KnowledgeBody::Flow(GuidedFlow {
        description: description.join("\n\n"),
        start: "s1".into(),
        steps: steps(&subflow.actions, required),
        required: required.to_vec(),
    });
    KnowledgeItem {
        id: knowledge_id(KnowledgeKind::Flow, &key),
        key,
        title: format!("{flow_name} / {subflow_name}"),
        category: Some(flow_name.to_string()),
        language: Some("en".into()),
        tags,
        version: 1,
        updated_at: ctx.now,
        updated_by: IMPORT_USER.into(),
        body,
    }
}

/// One step per guideline action, in order (`s1`, `s2`, …), then the wrap-up step `end`.
///
/// A step with a button is an `action`, one without is a `say`; its bullets join its text. A step
/// whose button is none of the subflow's required actions and whose bullets are all `If …`
/// alternatives becomes an `ask`, each bullet an option: one that ends the conversation leads to
/// `end`, the others to the next step.
fn steps(actions: &[ActionIn], required: &[String]) -> Vec<FlowStep> {
    let mut steps = Vec::with_capacity(actions.len() + 1);
    for (i, action) in actions.iter().enumerate() {
        let next = if i + 1 < actions.len() { format!("s{}", i + 2) } else { END.to_string() };
        let required_action = action.button.as_deref().and_then(|b| action_code(b, required));
        let choice = required_action.is_none()
            && action.subtext.len() >= 2
            && action.subtext.iter().all(|b| b.get(..3).is_some_and(|w| w.eq_ignore_ascii_case("if ")));
        let mut text = action.text.clone();
        if let Some(button) = &action.button {
            let mark = format!("[{button}]").to_lowercase();
            let named = std::iter::once(&action.text).chain(&action.subtext).any(|t| t.to_lowercase().contains(&mark));
            if !named {
                text = format!("[{button}] {text}");
            }
        }
        let step = if choice {
            let options = action
                .subtext
                .iter()
                .map(|b| FlowOption {
                    label: b.split(" > ").map(str::trim).collect::<Vec<_>>().join(" — "),
                    next: if ends_conversation(b) { END.to_string() } else { next.clone() },
                    cues: Vec::new(),
                })
                .collect();
            FlowStep {
                id: format!("s{}", i + 1),
                kind: FlowStepKind::Ask,
                text,
                options,
                next: None,
                action: None,
                cues: Vec::new(),
            }
        } else {
            for bullet in &action.subtext {
                let mut parts = bullet.split(" > ").map(str::trim).filter(|p| !p.is_empty());
                if let Some(first) = parts.next() {
                    text.push_str(&format!("\n• {first}"));
                }
                for part in parts {
                    text.push_str(&format!("\n   – {part}"));
                }
            }
            let kind = if action.button.is_some() { FlowStepKind::Action } else { FlowStepKind::Say };
            FlowStep {
                id: format!("s{}", i + 1),
                kind,
                text,
                options: Vec::new(),
                next: Some(next),
                action: required_action.map(str::to_string),
                cues: Vec::new(),
            }
        };
        steps.push(step);
    }
    steps.push(FlowStep {
        id: END.into(),
        kind: FlowStepKind::End,
        text: WRAP_UP.into(),
        options: Vec::new(),
        next: None,
        action: None,
        cues: Vec::new(),
    });
    steps
}

/// The `kb.json` action a console button performs, when it is one of `required`: the button's
/// name in kebab case (`Pull up Account` → `pull-up-account`), four renamed buttons, or the
/// `search-` action of a single-item or storewide FAQ toggle (`Boots` → `search-boots`).
fn action_code<'r>(button: &str, required: &'r [String]) -> Option<&'r str> {
    let slug = kebab(button);
    let name = match slug.as_str() {
        "enter-detail" => "enter-details",
        "notify-internal-team" => "notify-team",
        "membership-privileges" => "membership",
        "select-answer" => "select-faq",
        other => other,
    };
    let search = format!("search-{name}");
    required.iter().find(|r| *r == name || **r == search).map(String::as_str)
}

fn ends_conversation(bullet: &str) -> bool {
    let lower = bullet.to_lowercase();
    lower.contains("[end conversation]") || lower.contains("end the conversation")
}

fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

fn shares_a_word(name: &str, code: &str) -> bool {
    let code_words: HashSet<String> = words(code).collect();
    words(name).any(|w| code_words.contains(&w))
}

/// `Single-Item Query` → `single_item_query`, the flow codes of `ontology.json`.
fn snake(s: &str) -> String {
    words(s).collect::<Vec<_>>().join("_")
}

fn kebab(s: &str) -> String {
    words(s).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDELINES: &str = r#"{
  "Account Access": {
    "description": "username, password",
    "subflows": {
      "Recover Username": {
        "actions": [
          {"type": "interaction", "button": "Pull up Account", "text": "Get the full name for [Pull up Account]", "subtext": []},
          {"type": "kb query", "button": "Verify Identity", "text": "Confirm who they are:", "subtext": ["Zip code", "Phone number > or email"]}
        ],
        "instructions": ["To get their username, you must", "Wrap up as usual."]
      },
      "Reset Two-Factor Auth": {
        "actions": [
          {"type": "interaction", "button": "Send Link", "text": "Send the reset code", "subtext": []}
        ],
        "instructions": ["Let the customer know a code is coming."]
      }
    }
  },
  "Product Defect": {
    "description": "refunds and returns",
    "subflows": {
      "Return Due to Stain": {
        "actions": [
          {"type": "communication", "button": "End Conversation", "text": "Tell them whether they can return", "subtext": [
            "If the customer can return, tell them the good news",
            "If the customer cannot return, apologize. Then [End Conversation]"
          ]},
          {"type": "communication", "button": "N/A", "text": "Explain the next steps", "subtext": ["Be kind"]}
        ],
        "instructions": ["In all three cases for return, follow the same set of actions:"]
      }
    }
  }
}"#;
    const KB: &str =
        r#"{"recover_username": ["pull-up-account", "verify-identity"], "reset_2fa": ["send-link"], "unused_code": ["x"]}"#;
    const ONTOLOGY: &str = r#"{"intents": {"flows": ["account_access", "product_defect"],
      "subflows": {"account_access": ["recover_username", "reset_2fa"], "product_defect": ["return_stain"]}}}"#;

    fn parse(guidelines: &str, kb: &str, ontology: &str) -> Result<AbcdImport, ImportError> {
        let at = |name| Context::new(name, 1_700_000_000_000);
        abcd_flows(
            AbcdFile { ctx: at("guidelines.json"), bytes: guidelines.as_bytes() },
            AbcdFile { ctx: at("kb.json"), bytes: kb.as_bytes() },
            AbcdFile { ctx: at("ontology.json"), bytes: ontology.as_bytes() },
        )
    }

    fn flow(item: &KnowledgeItem) -> &GuidedFlow {
        match &item.body {
            KnowledgeBody::Flow(f) => f,
            other => panic!("not a flow: {other:?}"),
        }
    }

    #[test]
    fn subflows_become_valid_guided_flows() {
        let import = parse(GUIDELINES, KB, ONTOLOGY).unwrap();
        assert_eq!(import.flows, 2);
        let keys: Vec<&str> = import.items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(keys, ["abcd/recover_username", "abcd/reset_2fa", "abcd/return_stain"]);
        assert_eq!(import.without_actions, ["abcd/return_stain"]);
        assert_eq!(import.unused_actions, ["unused_code"]);

        let username = &import.items[0];
        assert_eq!(username.title, "Account Access / Recover Username");
        assert_eq!(username.category.as_deref(), Some("Account Access"));
        assert_eq!(username.language.as_deref(), Some("en"));
        assert_eq!(username.tags, ["pull-up-account", "verify-identity"]);
        assert_eq!(username.id, knowledge_id(KnowledgeKind::Flow, "abcd/recover_username"));
        let f = flow(username);
        assert!(f.description.contains("Required actions: pull-up-account → verify-identity"), "{}", f.description);
        assert!(f.description.starts_with("To get their username, you must"));
        let kinds: Vec<FlowStepKind> = f.steps.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [FlowStepKind::Action, FlowStepKind::Action, FlowStepKind::End]);
        assert_eq!(f.steps[0].text, "Get the full name for [Pull up Account]");
        assert_eq!(f.steps[1].text, "[Verify Identity] Confirm who they are:\n• Zip code\n• Phone number\n   – or email");
        assert_eq!(f.steps[1].next.as_deref(), Some("end"));

        // no kb entry: the guideline steps alone, an ask step for the alternatives
        let stain = &import.items[2];
        assert!(stain.tags.is_empty());
        let f = flow(stain);
        assert!(f.description.contains("Required actions: none listed in kb.json"));
        assert_eq!(f.steps[0].kind, FlowStepKind::Ask);
        let nexts: Vec<&str> = f.steps[0].options.iter().map(|o| o.next.as_str()).collect();
        assert_eq!(nexts, ["s2", "end"]);
        assert_eq!(f.steps[1].kind, FlowStepKind::Say);
        for item in &import.items {
            flow(item).validate().unwrap();
        }

        // the same files give the same ids
        let again = parse(GUIDELINES, KB, ONTOLOGY).unwrap();
        assert_eq!(again.items, import.items);
    }

    #[test]
    fn errors_name_the_file_and_the_field() {
        let bad = GUIDELINES.replace(r#""subtext": ["Zip code", "Phone number > or email"]"#, r#""subtext": "Zip code""#);
        let err = parse(&bad, KB, ONTOLOGY).unwrap_err();
        assert_eq!(err.file, "guidelines.json");
        assert_eq!(err.field.as_deref(), Some("Account Access.subflows.Recover Username.actions[1].subtext"));
        assert_eq!(err.line, Some(8));
        assert!(err.to_string().contains("expected a sequence"), "{err}");

        let bad = GUIDELINES.replace(r#""text": "Send the reset code""#, r#""text": " ""#);
        let err = parse(&bad, KB, ONTOLOGY).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("Account Access.subflows.Reset Two-Factor Auth.actions[0]"));
        assert!(err.message.contains("`text` is empty"), "{err}");

        let swapped = ONTOLOGY.replace(r#"["recover_username", "reset_2fa"]"#, r#"["reset_2fa", "recover_username"]"#);
        let err = parse(GUIDELINES, KB, &swapped).unwrap_err();
        assert_eq!((err.file.as_str(), err.field.as_deref()), ("ontology.json", Some("intents.subflows.account_access[0]")));

        let err = parse(GUIDELINES, r#"{"reset_2fa": ["send-link", ""]}"#, ONTOLOGY).unwrap_err();
        assert_eq!(err.to_string(), "kb.json: field `reset_2fa[1]`: the action name is empty");

        let err = parse(GUIDELINES, r#"{"a": [], "a": []}"#, ONTOLOGY).unwrap_err();
        assert!(err.message.contains("appears twice"), "{err}");
    }
}
