//! Tickets from CSV, with the columns named by the caller.

use seatmate_core::{Priority, Ticket, TicketStatus, PATH_SEPARATOR};
use serde_json::{Map, Value};

use std::io::BufRead;

use crate::common::{cell, cut, parse_time_text, record_id, ContentIds, Context, CsvRows, Emit, ImportError, SeenIds};

/// Record kind used in ticket ids.
pub const TICKET: &str = "ticket";

/// Longest title, in characters.
pub const TITLE_MAX_CHARS: usize = 120;

/// Which CSV columns hold what (`--text`, `--label`, `--id`, `--priority`, `--team`, `--conversation`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TicketColumns {
    /// Joined into the body; the first non-empty one is the title.
    pub text: Vec<String>,
    /// One column per taxonomy level, top first.
    pub labels: Vec<String>,
    pub id: Option<String>,
    pub priority: Option<String>,
    pub team: Option<String>,
    pub conversation: Option<String>,
}

/// A ticket and its taxonomy path, for the store to resolve (or create) the category.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedTicket {
    /// `category` is the path joined with `/` when the path is not empty.
    pub ticket: Ticket,
    /// The label of each level, top first, trailing empty levels dropped.
    pub path: Vec<String>,
    /// The line the row starts on.
    pub line: u64,
}

/// `low`, `normal`, `high`, `urgent`, or 0–3 (0 = urgent … 3 = low).
pub fn parse_priority(s: &str) -> Option<Priority> {
    match s.trim() {
        "0" => Some(Priority::Urgent),
        "1" => Some(Priority::High),
        "2" => Some(Priority::Normal),
        "3" => Some(Priority::Low),
        other => other.parse().ok(),
    }
}

/// Tickets CSV: status open, priority normal unless given, times the import time unless a
/// `created_at` / `updated_at` column gives them; every other column goes into `attributes`.
pub fn tickets_csv(
    ctx: &Context<'_>,
    bytes: &[u8],
    cols: &TicketColumns,
    source: &str,
) -> Result<Vec<ParsedTicket>, ImportError> {
    let mut out = Vec::new();
    read_tickets_csv(ctx, bytes, cols, source, &mut |t| {
        out.push(t);
        Ok(())
    })?;
    Ok(out)
}

/// [`tickets_csv`] streamed: each ticket goes to `emit` as soon as its row is read, so memory holds
/// one row at a time. Returns how many were read.
pub fn read_tickets_csv(
    ctx: &Context<'_>,
    input: impl BufRead,
    cols: &TicketColumns,
    source: &str,
    emit: Emit<'_, ParsedTicket>,
) -> Result<u64, ImportError> {
    let mut table = CsvRows::open(ctx, input)?;
    if cols.text.is_empty() {
        return Err(ctx.err(None, None, "name at least one text column (--text)"));
    }
    let many = |names: &[String]| names.iter().map(|n| table.require(n)).collect::<Result<Vec<_>, _>>();
    let one = |name: &Option<String>| name.as_deref().map(|n| table.require(n)).transpose();
    let (text, labels) = (many(&cols.text)?, many(&cols.labels)?);
    let (id, priority, team, conversation) = (one(&cols.id)?, one(&cols.priority)?, one(&cols.team)?, one(&cols.conversation)?);
    let mut used: Vec<usize> =
        text.iter().chain(&labels).copied().chain([id, priority, team, conversation].into_iter().flatten()).collect();
    let time_col = |name| table.find(name).filter(|c| !used.contains(c));
    let (created, updated) = (time_col("created_at"), time_col("updated_at"));
    used.extend([created, updated].into_iter().flatten());

    let mut hashes = ContentIds::default();
    let mut seen = SeenIds::default();
    let headers = table.headers.clone();
    let mut read = 0;
    while let Some((line, rec)) = table.next_row()? {
        let err = |col: usize, msg: String| ctx.err(Some(line), Some(&headers[col]), msg);
        let external_id = match id {
            Some(c) if cell(rec, id).is_empty() => return Err(err(c, "is empty".into())),
            Some(_) => cell(rec, id).to_string(),
            None => hashes.next(&rec.iter().collect::<Vec<_>>().join("\u{1f}")),
        };
        if let Some(c) = id {
            seen.check(&external_id, format!("line {line}")).map_err(|m| err(c, m))?;
        }
        let texts: Vec<&str> = text.iter().map(|c| cell(rec, Some(*c))).filter(|t| !t.is_empty()).collect();
        let Some(title) = texts.first() else {
            let msg = format!("every text column ({}) is empty", cols.text.join(", "));
            return Err(ctx.err(Some(line), Some(&headers[text[0]]), msg));
        };
        let mut path: Vec<String> = labels.iter().map(|c| cell(rec, Some(*c)).to_string()).collect();
        while path.last().is_some_and(String::is_empty) {
            path.pop();
        }
        for (level, label) in path.iter().enumerate() {
            if label.is_empty() {
                return Err(err(labels[level], "is empty but a lower level is not".into()));
            }
            if label.contains(PATH_SEPARATOR) {
                return Err(err(labels[level], format!("{label:?} contains `{PATH_SEPARATOR}`, which separates levels")));
            }
        }
        let priority = match priority {
            Some(c) if !cell(rec, priority).is_empty() => parse_priority(cell(rec, priority)).ok_or_else(|| {
                err(
                    c,
                    format!(
                        "{:?} is not a priority; expected low, normal, high, urgent or 0–3 (0 = urgent)",
                        cell(rec, priority)
                    ),
                )
            })?,
            _ => Priority::Normal,
        };
        let time = |col: Option<usize>| -> Result<Option<i64>, ImportError> {
            match col {
                Some(c) if !cell(rec, col).is_empty() => parse_time_text(cell(rec, col))
                    .map(Some)
                    .ok_or_else(|| err(c, format!("{:?} is not RFC 3339 or epoch milliseconds", cell(rec, col)))),
                _ => Ok(None),
            }
        };
        let created_at = time(created)?.unwrap_or(ctx.now);
        let updated_at = time(updated)?.unwrap_or(created_at);
        let some = |col: Option<usize>| Some(cell(rec, col).to_string()).filter(|v| !v.is_empty());
        let attributes: Map<String, Value> = (0..headers.len())
            .filter(|c| !used.contains(c) && !cell(rec, Some(*c)).is_empty())
            .map(|c| (headers[c].clone(), Value::String(cell(rec, Some(c)).to_string())))
            .collect();
        let ticket = Ticket {
            id: record_id(TICKET, source, &external_id),
            external_id,
            source: source.to_string(),
            conversation_id: some(conversation),
            title: cut(&title.split_whitespace().collect::<Vec<_>>().join(" "), TITLE_MAX_CHARS),
            body: texts.join("\n"),
            category: (!path.is_empty()).then(|| path.join(PATH_SEPARATOR)),
            team: some(team),
            priority,
            summary: String::new(),
            status: TicketStatus::Open,
            created_at,
            updated_at,
            attributes,
        };
        read += 1;
        emit(ParsedTicket { ticket, path, line })?;
    }
    Ok(read)
}
