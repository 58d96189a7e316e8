//! The business taxonomy (CSV of paths, CSV of nodes, JSON tree) and teams.

use std::collections::HashMap;

use seatmate_core::{TaxonomyNode, Team, PATH_SEPARATOR};
use serde::Deserialize;

use crate::common::{cell, check_text, from_json, Context, ImportError, Table};

/// Taxonomy nodes, parents before children, each code once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaxonomyImport {
    /// Nodes under a parent that is not in the file have `depth` 0: the store knows the parent's depth.
    pub nodes: Vec<TaxonomyNode>,
    /// Parents named but never defined in the file, with the first line naming each; the store must
    /// find them among the existing nodes.
    pub external_parents: Vec<(String, u64)>,
}

/// Taxonomy CSV, either layout, told apart by the header: a `path` column (CSV of paths) or
/// `code` and `parent` columns (CSV of nodes).
pub fn taxonomy_csv(ctx: &Context<'_>, bytes: &[u8]) -> Result<TaxonomyImport, ImportError> {
    let table = Table::parse(ctx, check_text(ctx, bytes)?)?;
    if table.find("path").is_some() {
        from_paths(ctx, &table)
    } else if table.find("code").is_some() && table.find("parent").is_some() {
        from_nodes(ctx, &table)
    } else {
        let msg = format!(
            "expected a `path` column (CSV of paths) or `code`, `parent`, `name_zh` columns (CSV of nodes); the header has: {}",
            table.headers.join(", ")
        );
        Err(ctx.err(Some(1), None, msg))
    }
}

fn split_path(path: &str) -> Vec<&str> {
    path.split(PATH_SEPARATOR).map(str::trim).collect()
}

/// CSV of paths: missing ancestors are created; a node's code defaults to its path.
fn from_paths(ctx: &Context<'_>, table: &Table) -> Result<TaxonomyImport, ImportError> {
    let path_col = table.find("path");
    let (code_col, en_col, team_col) = (table.find("code"), table.find("name_en"), table.find("team"));
    struct Row<'r> {
        line: u64,
        levels: Vec<&'r str>,
        en: Vec<&'r str>,
        team: &'r str,
    }
    // Pass 1: check rows and collect the codes they give, so the order of rows does not matter.
    let mut codes: HashMap<String, (String, u64)> = HashMap::new();
    let mut rows = Vec::new();
    for (line, rec) in &table.rows {
        let err = |field: &str, msg: String| ctx.err(Some(*line), Some(field), msg);
        let levels = split_path(cell(rec, path_col));
        if levels.iter().any(|l| l.is_empty()) {
            return Err(err("path", format!("{:?} has an empty level", cell(rec, path_col))));
        }
        let en = match cell(rec, en_col) {
            "" => Vec::new(),
            en => split_path(en),
        };
        if !en.is_empty() && en.len() != levels.len() {
            return Err(err("name_en", format!("has {} levels but `path` has {}", en.len(), levels.len())));
        }
        let key = levels.join(PATH_SEPARATOR);
        let code = match cell(rec, code_col) {
            "" => key.clone(),
            code => code.to_string(),
        };
        if let Some((_, first)) = codes.insert(key.clone(), (code, *line)) {
            return Err(err("path", format!("{key:?} appears twice, first on line {first}")));
        }
        rows.push(Row { line: *line, levels, en, team: cell(rec, team_col) });
    }
    // Pass 2: create each path's ancestors, then the node itself.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut owner: HashMap<String, (String, u64)> = HashMap::new();
    let mut nodes: Vec<TaxonomyNode> = Vec::new();
    for row in &rows {
        let mut parent: Option<String> = None;
        for depth in 0..row.levels.len() {
            let key = row.levels[..=depth].join(PATH_SEPARATOR);
            let last = depth + 1 == row.levels.len();
            let name_en = row.en.get(depth).map_or("", |s| s);
            let i = match index.get(&key) {
                Some(&i) => i,
                None => {
                    let (code, line) = codes.get(&key).cloned().unwrap_or((key.clone(), row.line));
                    if let Some((other, first)) = owner.insert(code.clone(), (key.clone(), line)) {
                        let msg = format!("code {code:?} is used by {other:?} (line {first}) and by {key:?}");
                        return Err(ctx.err(Some(line), Some("code"), msg));
                    }
                    nodes.push(TaxonomyNode {
                        code,
                        parent: parent.clone(),
                        name_zh: row.levels[depth].to_string(),
                        name_en: String::new(),
                        depth: depth as i64 + 1,
                        team: None,
                    });
                    index.insert(key, nodes.len() - 1);
                    nodes.len() - 1
                }
            };
            let node = &mut nodes[i];
            if node.name_en.is_empty() || (last && !name_en.is_empty()) {
                node.name_en = name_en.to_string();
            }
            if last && !row.team.is_empty() {
                node.team = Some(row.team.to_string());
            }
            parent = Some(node.code.clone());
        }
    }
    Ok(TaxonomyImport { nodes, external_parents: Vec::new() })
}

/// CSV of nodes: a parent must come before its children or be outside the file.
fn from_nodes(ctx: &Context<'_>, table: &Table) -> Result<TaxonomyImport, ImportError> {
    let (code_col, parent_col, zh_col) = (table.find("code"), table.find("parent"), Some(table.require(ctx, "name_zh")?));
    let (en_col, team_col) = (table.find("name_en"), table.find("team"));
    let mut defined: HashMap<&str, u64> = HashMap::new();
    for (line, rec) in &table.rows {
        defined.entry(cell(rec, code_col)).or_insert(*line);
    }
    let mut index: HashMap<String, (usize, u64)> = HashMap::new();
    let mut out = TaxonomyImport::default();
    for (line, rec) in &table.rows {
        let line = *line;
        let err = |field: &str, msg: String| ctx.err(Some(line), Some(field), msg);
        let (code, parent) = (cell(rec, code_col), cell(rec, parent_col));
        if code.is_empty() {
            return Err(err("code", "is empty".into()));
        }
        let name_zh = cell(rec, zh_col);
        if name_zh.is_empty() {
            return Err(err("name_zh", "is empty".into()));
        }
        if parent == code {
            return Err(err("parent", format!("node {code:?} cannot be its own parent")));
        }
        let depth = match parent {
            "" => 1,
            p => match (index.get(p), defined.get(p)) {
                (Some(&(i, _)), _) => match out.nodes[i].depth {
                    0 => 0,
                    d => d + 1,
                },
                (None, Some(at)) => {
                    return Err(err(
                        "parent",
                        format!("{p:?} is defined later, on line {at}; a parent must come before its children"),
                    ))
                }
                (None, None) => {
                    if !out.external_parents.iter().any(|(e, _)| e == p) {
                        out.external_parents.push((p.to_string(), line));
                    }
                    0
                }
            },
        };
        let node = TaxonomyNode {
            code: code.to_string(),
            parent: Some(parent.to_string()).filter(|p| !p.is_empty()),
            name_zh: name_zh.to_string(),
            name_en: cell(rec, en_col).to_string(),
            depth,
            team: Some(cell(rec, team_col).to_string()).filter(|t| !t.is_empty()),
        };
        match index.get(code) {
            Some(&(i, _)) if out.nodes[i] == node => continue,
            Some(&(_, first)) => return Err(err("code", format!("{code:?} is defined differently on line {first}"))),
            None => {
                index.insert(code.to_string(), (out.nodes.len(), line));
                out.nodes.push(node);
            }
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TreeNode {
    code: String,
    name_zh: String,
    #[serde(default)]
    name_en: String,
    team: Option<String>,
    #[serde(default)]
    children: Vec<TreeNode>,
}

/// Taxonomy JSON tree: `[{"code":…,"name_zh":…,"name_en":…,"team":…,"children":[…]}]`.
pub fn taxonomy_json(ctx: &Context<'_>, bytes: &[u8]) -> Result<TaxonomyImport, ImportError> {
    let text = check_text(ctx, bytes)?;
    let roots: Vec<TreeNode> = from_json(ctx, text, 0)?;
    let mut out = TaxonomyImport::default();
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut stack: Vec<(TreeNode, Option<String>, i64, String)> =
        roots.into_iter().enumerate().rev().map(|(i, n)| (n, None, 1, format!("[{i}]"))).collect();
    while let Some((node, parent, depth, path)) = stack.pop() {
        let code = node.code.trim().to_string();
        if code.is_empty() {
            return Err(ctx.err(None, Some(&format!("{path}.code")), "is empty"));
        }
        if node.name_zh.trim().is_empty() {
            return Err(ctx.err(None, Some(&format!("{path}.name_zh")), "is empty"));
        }
        if let Some(first) = seen.insert(code.clone(), path.clone()) {
            return Err(ctx.err(None, Some(&format!("{path}.code")), format!("{code:?} is already used at {first}")));
        }
        for (i, child) in node.children.into_iter().enumerate().rev() {
            stack.push((child, Some(code.clone()), depth + 1, format!("{path}.children[{i}]")));
        }
        out.nodes.push(TaxonomyNode {
            code,
            parent,
            name_zh: node.name_zh.trim().to_string(),
            name_en: node.name_en.trim().to_string(),
            depth,
            team: node.team.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()),
        });
    }
    Ok(out)
}

/// Teams CSV: `code,name_zh,name_en,dispatch` (`dispatch` is `true`/`false`; `name_en` may be left out).
pub fn teams_csv(ctx: &Context<'_>, bytes: &[u8]) -> Result<Vec<Team>, ImportError> {
    let table = Table::parse(ctx, check_text(ctx, bytes)?)?;
    let (code, zh, dispatch) =
        (Some(table.require(ctx, "code")?), Some(table.require(ctx, "name_zh")?), Some(table.require(ctx, "dispatch")?));
    let en = table.find("name_en");
    let mut first: HashMap<String, u64> = HashMap::new();
    let mut out = Vec::with_capacity(table.rows.len());
    for (line, rec) in &table.rows {
        let err = |field: &str, msg: String| ctx.err(Some(*line), Some(field), msg);
        let c = cell(rec, code);
        if c.is_empty() {
            return Err(err("code", "is empty".into()));
        }
        if let Some(at) = first.insert(c.to_string(), *line) {
            return Err(err("code", format!("{c:?} appears twice, first on line {at}")));
        }
        if cell(rec, zh).is_empty() {
            return Err(err("name_zh", "is empty".into()));
        }
        let d = cell(rec, dispatch);
        let dispatch = match d.to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            _ => return Err(err("dispatch", format!("{d:?} is not `true` or `false`"))),
        };
        out.push(Team { code: c.into(), name_zh: cell(rec, zh).into(), name_en: cell(rec, en).into(), dispatch });
    }
    Ok(out)
}
