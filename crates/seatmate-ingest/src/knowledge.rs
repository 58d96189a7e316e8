//! Knowledge: FAQ CSV, Markdown articles and guided flows (JSON).

use seatmate_core::{FlowStep, GuidedFlow, KnowledgeBody, KnowledgeItem, KnowledgeKind};
use serde::Deserialize;

use crate::common::{cell, check_text, from_json, record_id, Context, ImportError, SeenIds, Table};

/// Who imported knowledge items.
pub const IMPORT_USER: &str = "import";

/// A knowledge item's id: `record_id("knowledge", kind, key)`.
pub fn knowledge_id(kind: KnowledgeKind, key: &str) -> String {
    record_id("knowledge", kind.as_str(), key)
}

fn item(ctx: &Context<'_>, key: String, title: String, body: KnowledgeBody) -> KnowledgeItem {
    let mut item = KnowledgeItem {
        id: String::new(),
        key,
        title,
        category: None,
        language: None,
        tags: Vec::new(),
        version: 1,
        updated_at: ctx.now,
        updated_by: IMPORT_USER.into(),
        body,
    };
    item.id = knowledge_id(item.kind(), &item.key);
    item
}

fn list(s: &str) -> Vec<String> {
    s.split('|').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

fn non_empty(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// FAQ CSV: `id,question,alternates,answer` and optional `category`, `language`, `tags`
/// (`alternates` and `tags` separate entries with `|`).
pub fn faqs_csv(ctx: &Context<'_>, bytes: &[u8]) -> Result<Vec<KnowledgeItem>, ImportError> {
    let table = Table::parse(ctx, check_text(ctx, bytes)?)?;
    let (id, question, answer) =
        (Some(table.require(ctx, "id")?), Some(table.require(ctx, "question")?), Some(table.require(ctx, "answer")?));
    let [alternates, category, language, tags] = ["alternates", "category", "language", "tags"].map(|c| table.find(c));
    let mut seen = SeenIds::default();
    let mut out = Vec::with_capacity(table.rows.len());
    for (line, rec) in &table.rows {
        let err = |field: &str, msg: String| ctx.err(Some(*line), Some(field), msg);
        let key = cell(rec, id);
        for (name, col) in [("id", id), ("question", question), ("answer", answer)] {
            if cell(rec, col).is_empty() {
                return Err(err(name, "is empty".into()));
            }
        }
        seen.check(key, format!("line {line}")).map_err(|m| err("id", m))?;
        let mut questions = vec![cell(rec, question).to_string()];
        questions.extend(list(cell(rec, alternates)));
        let body = KnowledgeBody::Faq { questions, answer: cell(rec, answer).to_string() };
        let mut faq = item(ctx, key.into(), cell(rec, question).into(), body);
        faq.category = non_empty(cell(rec, category));
        faq.language = non_empty(cell(rec, language));
        faq.tags = list(cell(rec, tags));
        out.push(faq);
    }
    Ok(out)
}

/// One Markdown article. `key` is its path without `.md`; the title is the first `# ` heading
/// (outside code fences), or else the file name.
pub fn article_markdown(ctx: &Context<'_>, key: &str, bytes: &[u8]) -> Result<KnowledgeItem, ImportError> {
    let text = check_text(ctx, bytes)?;
    let key = key.trim().replace('\\', "/");
    let key = key.strip_suffix(".md").unwrap_or(&key).trim_matches('/').to_string();
    if key.is_empty() {
        return Err(ctx.err(None, Some("key"), "the article key is empty"));
    }
    let mut fenced = false;
    let mut heading = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
        } else if !fenced {
            if let Some(h) = line.strip_prefix("# ") {
                heading = non_empty(h.trim().trim_end_matches('#'));
                if heading.is_some() {
                    break;
                }
            }
        }
    }
    let title = heading.unwrap_or_else(|| key.rsplit('/').next().unwrap_or(&key).to_string());
    Ok(item(ctx, key, title, KnowledgeBody::Article { markdown: text.to_string() }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlowIn {
    key: String,
    title: String,
    category: Option<String>,
    language: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    description: String,
    start: String,
    steps: Vec<FlowStep>,
    #[serde(default)]
    required: Vec<String>,
}

/// A flow checked inside deserialisation, so errors carry its line.
#[derive(Deserialize)]
#[serde(try_from = "FlowIn")]
struct CheckedFlow(FlowIn);

impl TryFrom<FlowIn> for CheckedFlow {
    type Error = String;
    fn try_from(f: FlowIn) -> Result<Self, String> {
        if f.key.trim().is_empty() {
            return Err("flow has an empty `key`".into());
        }
        if f.title.trim().is_empty() {
            return Err(format!("flow {:?} has an empty `title`", f.key));
        }
        let flow = GuidedFlow {
            description: String::new(),
            start: f.start.clone(),
            steps: f.steps.clone(),
            required: f.required.clone(),
        };
        flow.validate().map_err(|m| format!("flow {:?}: {m}", f.key))?;
        Ok(CheckedFlow(f))
    }
}

/// Guided flows: one flow object or an array of them; each is checked with [`GuidedFlow::validate`].
pub fn flows_json(ctx: &Context<'_>, bytes: &[u8]) -> Result<Vec<KnowledgeItem>, ImportError> {
    let text = check_text(ctx, bytes)?;
    let flows: Vec<CheckedFlow> =
        if text.trim_start().starts_with('[') { from_json(ctx, text, 0)? } else { vec![from_json(ctx, text, 0)?] };
    let mut seen = SeenIds::default();
    let mut out = Vec::with_capacity(flows.len());
    for (i, CheckedFlow(f)) in flows.into_iter().enumerate() {
        let key = f.key.trim().to_string();
        seen.check(&key, format!("[{i}]")).map_err(|m| ctx.err(None, Some(&format!("[{i}].key")), m))?;
        let body =
            KnowledgeBody::Flow(GuidedFlow { description: f.description, start: f.start, steps: f.steps, required: f.required });
        let mut flow = item(ctx, key, f.title.trim().to_string(), body);
        flow.category = f.category.as_deref().and_then(non_empty);
        flow.language = f.language.as_deref().and_then(non_empty);
        flow.tags = f.tags.iter().filter_map(|t| non_empty(t)).collect();
        out.push(flow);
    }
    Ok(out)
}
