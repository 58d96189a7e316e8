//! Time spans and the set operations the features are made of.

use seatmate_core::Speaker;
use serde::{Deserialize, Serialize};

use crate::Overlap;

/// A stretch of the recording, `[start_ms, end_ms)` from its start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Span {
    pub start_ms: i64,
    pub end_ms: i64,
}

impl Span {
    pub fn new(start_ms: i64, end_ms: i64) -> Span {
        Span { start_ms, end_ms }
    }

    pub fn duration_ms(&self) -> i64 {
        (self.end_ms - self.start_ms).max(0)
    }

    /// How long this span and `other` share.
    pub fn overlap_ms(&self, other: &Span) -> i64 {
        (self.end_ms.min(other.end_ms) - self.start_ms.max(other.start_ms)).max(0)
    }
}

/// Total time of `spans` (sorted, disjoint) inside `window`.
pub(crate) fn covered_ms(spans: &[Span], window: &Span) -> i64 {
    spans.iter().map(|s| s.overlap_ms(window)).sum()
}

/// The union of several sorted, disjoint span lists, sorted and disjoint.
pub(crate) fn union(lists: &[&[Span]]) -> Vec<Span> {
    let mut all: Vec<Span> = lists.iter().flat_map(|l| l.iter().copied()).collect();
    all.sort_by_key(|s| (s.start_ms, s.end_ms));
    let mut out: Vec<Span> = Vec::with_capacity(all.len());
    for s in all {
        match out.last_mut() {
            Some(last) if s.start_ms <= last.end_ms => last.end_ms = last.end_ms.max(s.end_ms),
            _ => out.push(s),
        }
    }
    out
}

/// What `[0, duration_ms)` has outside `spans` (sorted, disjoint).
pub(crate) fn gaps(spans: &[Span], duration_ms: i64) -> Vec<Span> {
    let mut out = Vec::new();
    let mut at = 0;
    for s in spans {
        if s.start_ms > at {
            out.push(Span::new(at, s.start_ms));
        }
        at = at.max(s.end_ms);
    }
    if duration_ms > at {
        out.push(Span::new(at, duration_ms));
    }
    out
}

/// Where `a` (spoken by `sa`) and `b` (by `sb`) both speak, at least `min_ms` long; the
/// interrupter is whoever's segment started later.
pub(crate) fn overlaps(a: &[Span], b: &[Span], sa: Speaker, sb: Speaker, min_ms: i64) -> Vec<Overlap> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        let start = x.start_ms.max(y.start_ms);
        let end = x.end_ms.min(y.end_ms);
        if end - start >= min_ms.max(1) {
            let interrupter = if y.start_ms > x.start_ms { sb } else { sa };
            out.push(Overlap { start_ms: start, end_ms: end, interrupter });
        }
        if x.end_ms < y.end_ms {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let a = [Span::new(0, 1000), Span::new(3000, 5000)];
        let b = [Span::new(800, 1500), Span::new(4000, 4200), Span::new(6000, 7000)];
        assert_eq!(union(&[&a, &b]), vec![Span::new(0, 1500), Span::new(3000, 5000), Span::new(6000, 7000)]);
        assert_eq!(gaps(&union(&[&a, &b]), 8000), vec![Span::new(1500, 3000), Span::new(5000, 6000), Span::new(7000, 8000)]);
        let o = overlaps(&a, &b, Speaker::Agent, Speaker::Customer, 100);
        assert_eq!(
            o,
            vec![
                Overlap { start_ms: 800, end_ms: 1000, interrupter: Speaker::Customer },
                Overlap { start_ms: 4000, end_ms: 4200, interrupter: Speaker::Customer },
            ]
        );
        assert_eq!(covered_ms(&a, &Span::new(500, 3500)), 1000);
    }
}
