//! Span-level precision, recall and F1 of [`crate::find`] against labelled examples, for
//! `seatmate eval redact`. A found span is correct when its kind and its exact text match a
//! labelled one; the same text labelled twice must be found twice.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Kind;

/// One labelled text: the personal data in it, each given by its exact text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    pub spans: Vec<LabelledSpan>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledSpan {
    pub kind: Kind,
    pub text: String,
}

/// Scores of one kind, or of all kinds together (micro-averaged).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KindScore {
    /// A [`Kind`] in snake case, or `overall`.
    pub kind: String,
    /// `correct / found`; 1 when nothing was found.
    pub precision: f64,
    /// `correct / expected`; 1 when nothing was expected.
    pub recall: f64,
    /// Harmonic mean of precision and recall; 0 when both are 0.
    pub f1: f64,
    pub expected: usize,
    pub found: usize,
    pub correct: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// One score per [`Kind`], in the order of [`Kind::ALL`].
    pub per_kind: Vec<KindScore>,
    pub overall: KindScore,
}

/// Reads a fixture: one JSON object per line, `{"text": …, "spans": [{"kind": …, "text": …}]}`.
/// Blank lines are skipped. Every span text must occur in its text, as many times as it is listed.
pub fn parse_fixture(jsonl: &str) -> Result<Vec<Example>, String> {
    let mut examples = Vec::new();
    for (i, line) in jsonl.lines().enumerate() {
        let number = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let example: Example = serde_json::from_str(line).map_err(|e| format!("line {number}: {e}"))?;
        let mut listed: HashMap<&str, usize> = HashMap::new();
        for span in &example.spans {
            *listed.entry(span.text.as_str()).or_default() += 1;
        }
        for (text, times) in listed {
            if text.is_empty() {
                return Err(format!("line {number}: empty span text"));
            }
            let occurs = example.text.matches(text).count();
            if occurs < times {
                return Err(format!("line {number}: span {text:?} listed {times} times, occurs {occurs} times in the text"));
            }
        }
        examples.push(example);
    }
    Ok(examples)
}

#[derive(Default, Clone, Copy)]
struct Counts {
    expected: usize,
    found: usize,
    correct: usize,
}

impl Counts {
    fn score(self, kind: &str) -> KindScore {
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        let precision = ratio(self.correct, self.found);
        let recall = ratio(self.correct, self.expected);
        let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        KindScore {
            kind: kind.to_string(),
            precision,
            recall,
            f1,
            expected: self.expected,
            found: self.found,
            correct: self.correct,
        }
    }
}

/// What [`crate::find`] finds in `text`, as labelled spans.
fn found_spans(text: &str) -> Vec<LabelledSpan> {
    crate::find(text).into_iter().map(|s| LabelledSpan { kind: s.kind, text: text[s.start..s.end].to_string() }).collect()
}

/// Scores [`crate::find`] on `examples`.
pub fn evaluate(examples: &[Example]) -> Report {
    evaluate_with(examples, crate::find)
}

/// [`evaluate`] for another detector (a baseline measured beside Seatmate's).
pub fn evaluate_with(examples: &[Example], detector: impl Fn(&str) -> Vec<crate::Span>) -> Report {
    let mut counts: HashMap<Kind, Counts> = HashMap::new();
    for example in examples {
        let found: Vec<LabelledSpan> = detector(&example.text)
            .into_iter()
            .map(|s| LabelledSpan { kind: s.kind, text: example.text[s.start..s.end].to_string() })
            .collect();
        let mut expected: HashMap<&LabelledSpan, usize> = HashMap::new();
        for span in &example.spans {
            *expected.entry(span).or_default() += 1;
            counts.entry(span.kind).or_default().expected += 1;
        }
        for span in &found {
            let c = counts.entry(span.kind).or_default();
            c.found += 1;
            if let Some(left) = expected.get_mut(span).filter(|left| **left > 0) {
                *left -= 1;
                c.correct += 1;
            }
        }
    }
    let mut total = Counts::default();
    let per_kind = Kind::ALL
        .iter()
        .map(|kind| {
            let c = counts.get(kind).copied().unwrap_or_default();
            total.expected += c.expected;
            total.found += c.found;
            total.correct += c.correct;
            c.score(kind.as_str())
        })
        .collect();
    Report { per_kind, overall: total.score("overall") }
}

/// The labelled spans [`crate::find`] missed and the ones it found that were not labelled, per
/// example (examples it got exactly right are left out): what to read when a score drops.
pub fn disagreements(examples: &[Example]) -> Vec<Disagreement> {
    let mut out = Vec::new();
    for (index, example) in examples.iter().enumerate() {
        let mut missed = example.spans.clone();
        let mut spurious = Vec::new();
        for span in found_spans(&example.text) {
            match missed.iter().position(|m| *m == span) {
                Some(i) => {
                    missed.remove(i);
                }
                None => spurious.push(span),
            }
        }
        if !missed.is_empty() || !spurious.is_empty() {
            out.push(Disagreement { index, text: example.text.clone(), missed, spurious });
        }
    }
    out
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disagreement {
    /// Position of the example in the slice given (0-based).
    pub index: usize,
    pub text: String,
    pub missed: Vec<LabelledSpan>,
    pub spurious: Vec<LabelledSpan>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<10} {:>9} {:>7} {:>5} {:>8} {:>6} {:>8}",
            "kind", "precision", "recall", "f1", "expected", "found", "correct"
        )?;
        for s in self.per_kind.iter().chain(std::iter::once(&self.overall)) {
            writeln!(
                f,
                "{:<10} {:>9.3} {:>7.3} {:>5.3} {:>8} {:>6} {:>8}",
                s.kind, s.precision, s.recall, s.f1, s.expected, s.found, s.correct
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_name_the_line() {
        let jsonl =
            "{\"text\": \"手机13912345678\", \"spans\": [{\"kind\": \"phone\", \"text\": \"13912345678\"}]}\n\n{\"text\": 1}";
        assert_eq!(parse_fixture(jsonl).unwrap_err().split(':').next(), Some("line 3"));
        let missing = r#"{"text": "a", "spans": [{"kind": "phone", "text": "b"}]}"#;
        assert!(parse_fixture(missing).unwrap_err().starts_with("line 1: span \"b\""));
        let unknown_kind = r#"{"text": "a", "spans": [{"kind": "passport", "text": "a"}]}"#;
        assert!(parse_fixture(unknown_kind).unwrap_err().starts_with("line 1:"));
    }

    #[test]
    fn counts_duplicates_and_kinds() {
        let jsonl = concat!(
            r#"{"text": "手机13912345678，对，13912345678", "spans": [{"kind": "phone", "text": "13912345678"}, {"kind": "phone", "text": "13912345678"}]}"#,
            "\n",
            r#"{"text": "我叫王建国，邮箱 wang at example dot com", "spans": [{"kind": "name", "text": "王建国"}, {"kind": "email", "text": "wang at example dot com"}]}"#,
        );
        let report = evaluate(&parse_fixture(jsonl).unwrap());
        let phone = &report.per_kind[1];
        assert_eq!((phone.kind.as_str(), phone.expected, phone.found, phone.correct), ("phone", 2, 2, 2));
        let email = &report.per_kind[3];
        assert_eq!((email.expected, email.found, email.correct, email.recall, email.precision), (1, 0, 0, 0.0, 1.0));
        assert_eq!((report.overall.expected, report.overall.found, report.overall.correct), (4, 3, 3));
        assert!((report.overall.recall - 0.75).abs() < 1e-9);
        assert!(report.to_string().contains("overall"));
    }
}
