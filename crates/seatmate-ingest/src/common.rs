//! What every format shares: errors, the context, the file checks, ids, times and CSV tables.

use std::collections::HashMap;
use std::fmt;
use std::io::BufRead;

use seatmate_core::Millis;
use sha2::{Digest, Sha256};

/// The longest line any text format may hold, in bytes.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Why a file cannot be imported: where (file, 1-based line, field) and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    pub line: Option<u64>,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ImportError {}

impl ImportError {
    pub fn kind(&self) -> seatmate_core::ErrorKind {
        seatmate_core::ErrorKind::InvalidInput
    }
}

/// What a parser knows besides the bytes: the file's display name and the import time.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// Name used in errors, e.g. `tickets.csv`.
    pub file: &'a str,
    /// Import time, the default for missing timestamps.
    pub now: Millis,
}

impl<'a> Context<'a> {
    pub fn new(file: &'a str, now: Millis) -> Self {
        Context { file, now }
    }

    pub(crate) fn err(&self, line: Option<u64>, field: Option<&str>, message: impl Into<String>) -> ImportError {
        ImportError { file: self.file.to_string(), line, field: field.map(str::to_string), message: message.into() }
    }
}

/// The checks every text format runs first: not empty, no line over [`MAX_LINE_BYTES`], UTF-8.
/// Returns the text without a byte-order mark.
pub fn check_text<'b>(ctx: &Context<'_>, bytes: &'b [u8]) -> Result<&'b str, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ctx.err(None, None, "the file is empty"));
    }
    // Length first, so a huge line is refused before anything looks inside it.
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.len() > MAX_LINE_BYTES {
            let msg = format!("line is {} bytes long; the limit is {MAX_LINE_BYTES} (1 MiB)", line.len());
            return Err(ctx.err(Some(i as u64 + 1), None, msg));
        }
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1;
        let column = at - bytes[..at].iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1) + 1;
        ctx.err(Some(line), None, format!("invalid UTF-8 at byte {column} of the line; the file must be UTF-8"))
    })
}

/// Where a streamed parser sends each record as soon as it is read; an error stops the parse.
pub type Emit<'e, T> = &'e mut dyn FnMut(T) -> Result<(), ImportError>;

/// A file read a line at a time with [`check_text`]'s checks, so a parser can stream it: each line
/// is at most [`MAX_LINE_BYTES`] and UTF-8 (a leading byte-order mark is dropped). As a
/// [`std::io::Read`] it hands the checked lines on; when a check fails, the read fails and
/// [`CheckedText::error`] says why, with the line.
pub struct CheckedText<'c, R> {
    ctx: Context<'c>,
    input: R,
    line: Vec<u8>,
    /// How much of `line` the reader has handed on.
    pos: usize,
    line_no: u64,
    blank_so_far: bool,
    error: Option<ImportError>,
}

impl<'c, R: std::io::BufRead> CheckedText<'c, R> {
    pub fn new(ctx: &Context<'c>, input: R) -> Self {
        CheckedText { ctx: *ctx, input, line: Vec::new(), pos: 0, line_no: 0, blank_so_far: true, error: None }
    }

    /// The next line (with its number, 1-based, and without its line break), or `None` at the end.
    pub fn next_line(&mut self) -> Result<Option<(u64, &str)>, ImportError> {
        if !self.advance()? {
            return Ok(None);
        }
        let text = std::str::from_utf8(&self.line).unwrap_or_default();
        self.pos = self.line.len();
        Ok(Some((self.line_no, text.trim_end_matches(['\n', '\r']))))
    }

    /// Why the last read failed, when a check (not the parser) stopped it.
    pub fn error(&self) -> Option<ImportError> {
        self.error.clone()
    }

    /// Whether every line so far was blank (at the end: the file is empty).
    pub fn blank_so_far(&self) -> bool {
        self.blank_so_far
    }

    /// The error for a file that had nothing in it.
    pub fn empty_error(&self) -> ImportError {
        self.ctx.err(None, None, "the file is empty")
    }

    /// The check's own error when it stopped the parse, the parser's otherwise.
    pub(crate) fn explain(&self, parser: ImportError) -> ImportError {
        if let Some(error) = self.error() {
            return error;
        }
        if self.blank_so_far {
            return self.empty_error();
        }
        parser
    }

    /// Reads and checks the next line into `line`; `false` at the end of the input.
    fn advance(&mut self) -> Result<bool, ImportError> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        self.line.clear();
        self.pos = 0;
        let limit = MAX_LINE_BYTES as u64 + 1;
        let read = std::io::Read::take(&mut self.input, limit).read_until(b'\n', &mut self.line);
        let result = match read {
            Ok(0) => return Ok(false),
            Ok(_) => self.check_line(),
            Err(e) => Err(self.ctx.err(Some(self.line_no + 1), None, format!("cannot read: {e}"))),
        };
        result.map(|()| true).inspect_err(|e| self.error = Some(e.clone()))
    }

    fn check_line(&mut self) -> Result<(), ImportError> {
        self.line_no += 1;
        if self.line.len() as u64 > MAX_LINE_BYTES as u64 && self.line.last() != Some(&b'\n') {
            let mut rest = 0_u64;
            loop {
                let chunk = self.input.fill_buf().map_err(|e| self.ctx.err(Some(self.line_no), None, e.to_string()))?;
                let (take, end) = match chunk.iter().position(|b| *b == b'\n') {
                    Some(at) => (at, true),
                    None => (chunk.len(), chunk.is_empty()),
                };
                rest += take as u64;
                self.input.consume(take);
                if end {
                    break;
                }
            }
            let length = self.line.len() as u64 + rest;
            let msg = format!("line is {length} bytes long; the limit is {MAX_LINE_BYTES} (1 MiB)");
            return Err(self.ctx.err(Some(self.line_no), None, msg));
        }
        if self.line_no == 1 && self.line.starts_with(b"\xEF\xBB\xBF") {
            self.line.drain(..3);
        }
        if let Err(e) = std::str::from_utf8(&self.line) {
            let msg = format!("invalid UTF-8 at byte {} of the line; the file must be UTF-8", e.valid_up_to() + 1);
            return Err(self.ctx.err(Some(self.line_no), None, msg));
        }
        if self.blank_so_far && !self.line.iter().all(u8::is_ascii_whitespace) {
            self.blank_so_far = false;
        }
        Ok(())
    }
}

impl<R: std::io::BufRead> std::io::Read for CheckedText<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let available = std::io::BufRead::fill_buf(self)?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        std::io::BufRead::consume(self, n);
        Ok(n)
    }
}

impl<R: std::io::BufRead> std::io::BufRead for CheckedText<'_, R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.pos == self.line.len() && !self.advance().map_err(std::io::Error::other)? {
            return Ok(&[]);
        }
        Ok(&self.line[self.pos..])
    }

    fn consume(&mut self, amount: usize) {
        self.pos = (self.pos + amount).min(self.line.len());
    }
}

/// A record's id: the first 32 hex digits of sha256("kind\0source\0external_id").
pub fn record_id(kind: &str, source: &str, external_id: &str) -> String {
    let mut hash = Sha256::new();
    for (i, part) in [kind, source, external_id].into_iter().enumerate() {
        if i > 0 {
            hash.update([0u8]);
        }
        hash.update(part.as_bytes());
    }
    hex(&hash.finalize())[..32].to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Derives external ids from content: `h:<16 hex>#<n>`, `n` counting identical records in a file,
/// so identical rows all import once and a re-import of the same file adds nothing.
#[derive(Default)]
pub(crate) struct ContentIds(HashMap<String, u32>);

impl ContentIds {
    pub(crate) fn next(&mut self, content: &str) -> String {
        let hash = hex(&Sha256::digest(content.as_bytes()))[..16].to_string();
        let n = self.0.entry(hash.clone()).or_insert(0);
        *n += 1;
        format!("h:{hash}#{n}")
    }
}

/// Remembers where each external id was first seen, to reject a second record with it in one file.
#[derive(Default)]
pub(crate) struct SeenIds(HashMap<String, String>);

impl SeenIds {
    /// `here` describes the record's place (`line 3`, `[5]`); the error message names the first one.
    pub(crate) fn check(&mut self, id: &str, here: String) -> Result<(), String> {
        match self.0.insert(id.to_string(), here) {
            Some(first) => Err(format!("duplicate id {id:?}, first seen at {first}")),
            None => Ok(()),
        }
    }
}

/// RFC 3339 (`2025-03-01T09:30:00+08:00`, `…Z`, optional fraction) to milliseconds since the epoch.
pub fn parse_rfc3339(s: &str) -> Option<Millis> {
    let b = s.trim().as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        part.iter().all(u8::is_ascii_digit).then(|| part.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let sep = |i: usize, set: &[u8]| b.get(i).is_some_and(|c| set.contains(c));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (y, mo, d, h, mi, sec) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    let mut i = 19;
    let mut ms = 0;
    if sep(i, b".") {
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let frac = format!("{:0<3}", std::str::from_utf8(&b[i + 1..i + 1 + digits.min(3)]).ok()?);
        ms = frac.parse::<i64>().ok()?;
        i += 1 + digits;
    }
    let offset_min = match b.get(i..)? {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (oh, om) = (num(i + 1..i + 3)?, num(i + 4..i + 6)?);
            if oh > 23 || om > 59 {
                return None;
            }
            (oh * 60 + om) * if *sign == b'-' { -1 } else { 1 }
        }
        _ => return None,
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&mo) || d < 1 || d > month_days[(mo - 1) as usize] || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offset_min * 60;
    Some(secs * 1000 + ms)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A time given as RFC 3339 text or as milliseconds since the epoch (a JSON number or digits).
pub(crate) fn parse_time(value: &serde_json::Value) -> Result<Millis, String> {
    let expected = "expected RFC 3339 text (2025-03-01T09:30:00+08:00) or milliseconds since the epoch";
    match value {
        serde_json::Value::Number(n) => n.as_i64().ok_or_else(|| format!("{n} is not whole milliseconds; {expected}")),
        serde_json::Value::String(s) => parse_time_text(s).ok_or_else(|| format!("{s:?} is not a time; {expected}")),
        other => Err(format!("found {other}; {expected}")),
    }
}

pub(crate) fn parse_time_text(s: &str) -> Option<Millis> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    parse_rfc3339(s)
}

/// The message of a serde_json error without its " at line L column C" suffix.
pub(crate) fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rsplit_once(" at line ") {
        Some((msg, _)) if e.line() > 0 => msg.to_string(),
        _ => text,
    }
}

/// Parses JSON into `T`, naming the failing field (`turns[2].speaker`) and its line.
/// `line_offset` is added to the JSON's own line (for JSONL, the line of the record).
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    ctx: &Context<'_>,
    text: &str,
    line_offset: u64,
) -> Result<T, ImportError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.inner();
        let mut msg = json_message(inner);
        let mut line = None;
        if inner.line() > 0 {
            let moved = record_end_line(text, inner.line(), inner.column());
            if moved.is_none() && !inner.is_eof() {
                msg.push_str(&format!(" (column {})", inner.column()));
            }
            line = Some(moved.unwrap_or(inner.line() as u64) + line_offset);
        }
        if inner.is_eof() {
            msg.push_str(" (the JSON ends too early: is the record truncated?)");
        }
        ctx.err(line, (path != "." && !path.is_empty()).then_some(path.as_str()), msg)
    })?;
    Ok(value)
}

/// The line of a serde_json error. An error raised after a whole object was read (a check in
/// `try_from`) points at the next token; this finds the line of the object's closing brace instead.
fn record_end_line(text: &str, line: usize, column: usize) -> Option<u64> {
    let start = text.split_inclusive('\n').take(line - 1).map(str::len).sum::<usize>();
    let before = text.get(..start + column.saturating_sub(1)).unwrap_or(text);
    let at = text[before.len()..].trim_start().chars().next();
    let trimmed = before.trim_end();
    if matches!(at, Some(',' | ']' | '}')) && trimmed.ends_with('}') {
        return Some(trimmed.matches('\n').count() as u64 + 1);
    }
    None
}

/// A CSV file read a row at a time: the header first, then each row with the line it starts on
/// (rows with nothing in them are skipped). Memory holds one row.
pub(crate) struct CsvRows<'c, R> {
    ctx: Context<'c>,
    reader: csv::Reader<CheckedText<'c, R>>,
    pub headers: Vec<String>,
    record: csv::StringRecord,
    rows: u64,
}

impl<'c, R: BufRead> CsvRows<'c, R> {
    pub(crate) fn open(ctx: &Context<'c>, input: R) -> Result<Self, ImportError> {
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(CheckedText::new(ctx, input));
        let headers: Vec<String> = match reader.headers() {
            Ok(headers) => headers.iter().map(|h| h.trim().to_string()).collect(),
            Err(e) => return Err(reader.get_ref().explain(csv_error(ctx, &e))),
        };
        if reader.get_ref().blank_so_far() {
            return Err(reader.get_ref().empty_error());
        }
        for (i, h) in headers.iter().enumerate() {
            let Some(first) = headers[..i].iter().position(|o| o.eq_ignore_ascii_case(h)) else { continue };
            if h.is_empty() {
                // Nothing to name as the field: name the columns by position.
                let msg = format!("columns {} and {} of the header have no name", first + 1, i + 1);
                return Err(ctx.err(Some(1), None, msg));
            }
            return Err(ctx.err(Some(1), Some(h), "column appears twice in the header"));
        }
        Ok(CsvRows { ctx: *ctx, reader, headers, record: csv::StringRecord::new(), rows: 0 })
    }

    /// The next row that is not blank, with its line; `None` at the end (an error when the file
    /// had no row at all).
    pub(crate) fn next_row(&mut self) -> Result<Option<(u64, &csv::StringRecord)>, ImportError> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(true) if self.record.iter().all(|f| f.trim().is_empty()) => continue,
                Ok(true) => {
                    self.rows += 1;
                    let line = self.record.position().map_or(0, csv::Position::line);
                    return Ok(Some((line, &self.record)));
                }
                Ok(false) if self.rows == 0 => return Err(self.ctx.err(None, None, "the file has a header but no rows")),
                Ok(false) => return Ok(None),
                Err(e) => return Err(self.reader.get_ref().explain(csv_error(&self.ctx, &e))),
            }
        }
    }

    /// Index of a column, by name, ignoring ASCII case.
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        find_column(&self.headers, name)
    }

    /// Index of a column that must exist; the error lists the header.
    pub(crate) fn require(&self, name: &str) -> Result<usize, ImportError> {
        require_column(&self.ctx, &self.headers, name)
    }
}

fn find_column(headers: &[String], name: &str) -> Option<usize> {
    headers.iter().position(|h| h.eq_ignore_ascii_case(name.trim()))
}

fn require_column(ctx: &Context<'_>, headers: &[String], name: &str) -> Result<usize, ImportError> {
    find_column(headers, name)
        .ok_or_else(|| ctx.err(Some(1), Some(name), format!("no such column; the header has: {}", headers.join(", "))))
}

/// A parsed CSV file: the header and every row with the line it starts on.
pub(crate) struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    pub(crate) fn parse(ctx: &Context<'_>, text: &str) -> Result<Table, ImportError> {
        let mut csv = CsvRows::open(ctx, text.as_bytes())?;
        let mut rows = Vec::new();
        while let Some((line, record)) = csv.next_row()? {
            rows.push((line, record.clone()));
        }
        Ok(Table { headers: csv.headers, rows })
    }

    /// Index of a column, by name, ignoring ASCII case.
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        find_column(&self.headers, name)
    }

    /// Index of a column that must exist; the error lists the header.
    pub(crate) fn require(&self, ctx: &Context<'_>, name: &str) -> Result<usize, ImportError> {
        require_column(ctx, &self.headers, name)
    }
}

/// A trimmed cell; empty when the column is absent.
pub(crate) fn cell(record: &csv::StringRecord, col: Option<usize>) -> &str {
    col.and_then(|c| record.get(c)).unwrap_or("").trim()
}

fn csv_error(ctx: &Context<'_>, e: &csv::Error) -> ImportError {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { pos, expected_len, len } => ctx.err(
            pos.as_ref().map(csv::Position::line),
            None,
            format!("row has {len} fields but the header has {expected_len}"),
        ),
        _ => ctx.err(e.position().map(csv::Position::line), None, format!("bad CSV: {e}")),
    }
}

/// The first `max` characters of a text.
pub(crate) fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Milliseconds from seconds, rounded.
pub(crate) fn secs_to_ms(secs: f64) -> i64 {
    (secs * 1000.0).round() as i64
}
