//! Semantic search: every item is one or more 8-bit vectors (an FAQ's phrasings, its answer, an
//! article's sections…), scanned exhaustively per query (`seatmate_embed::scan_i8`, on every
//! core). Exhaustive is exact and, at 8 bits, fast enough for the knowledge bases of a contact
//! centre (see BENCHMARKS.md).

use std::collections::HashMap;

use seatmate_embed::{quantize, scan_i8};

/// Which kind of text a vector stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// A way of asking (an FAQ phrasing, a title): matched question to question.
    Question,
    /// Text that answers (an FAQ answer, an article section, a flow step).
    Passage,
}

/// Sum and count of every item's best similarity, for the question part and the passage part.
pub type SimilarityTotals = [(f64, usize); 2];

#[derive(Clone, Copy)]
struct Row {
    item: u32,
    part: Part,
    ordinal: u16,
    scale: f32,
}

/// Best similarity of one item to a query, per part, with the value that reached it.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Similarity {
    pub question: f32,
    pub question_ordinal: u16,
    pub passage: f32,
    pub passage_ordinal: u16,
}

impl Similarity {
    pub fn best(&self) -> f32 {
        self.question.max(self.passage)
    }
}

pub struct DenseIndex {
    dim: usize,
    rows: Vec<Row>,
    values: Vec<i8>,
    /// Item id → its slot; slots of deleted items are reused by nothing (compaction renumbers).
    slots: HashMap<String, u32>,
    ids: Vec<Option<String>>,
    dead_rows: usize,
}

impl DenseIndex {
    pub fn new(dim: usize) -> DenseIndex {
        DenseIndex { dim, rows: Vec::new(), values: Vec::new(), slots: HashMap::new(), ids: Vec::new(), dead_rows: 0 }
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Replaces the vectors of item `id`.
    pub fn upsert(&mut self, id: &str, vectors: &[(Part, u16, Vec<f32>)]) {
        self.delete(id);
        let slot = self.ids.len() as u32;
        self.ids.push(Some(id.to_string()));
        self.slots.insert(id.to_string(), slot);
        for (part, ordinal, vector) in vectors {
            if vector.len() != self.dim {
                continue;
            }
            let scale = quantize(vector, &mut self.values);
            self.rows.push(Row { item: slot, part: *part, ordinal: *ordinal, scale });
        }
    }

    pub fn delete(&mut self, id: &str) {
        if let Some(slot) = self.slots.remove(id) {
            self.ids[slot as usize] = None;
            self.dead_rows += self.rows.iter().filter(|r| r.item == slot).count();
            if self.dead_rows > self.rows.len() / 2 {
                self.compact();
            }
        }
    }

    fn compact(&mut self) {
        let mut renumber = vec![u32::MAX; self.ids.len()];
        let mut ids = Vec::new();
        for (slot, id) in self.ids.iter().enumerate() {
            if let Some(id) = id {
                renumber[slot] = ids.len() as u32;
                ids.push(Some(id.clone()));
            }
        }
        let mut rows = Vec::new();
        let mut values = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            let slot = renumber[row.item as usize];
            if slot != u32::MAX {
                rows.push(Row { item: slot, ..*row });
                values.extend_from_slice(&self.values[i * self.dim..(i + 1) * self.dim]);
            }
        }
        self.slots = ids.iter().enumerate().filter_map(|(slot, id)| Some((id.clone()?, slot as u32))).collect();
        self.ids = ids;
        self.rows = rows;
        self.values = values;
        self.dead_rows = 0;
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The `k` items most similar to `query` (by their best vector), best first, then the items
    /// named in `also` that are not among them (found by words, say), in that order.
    ///
    /// Also returns the sums and counts of every item's best similarity per part, from which the
    /// caller forms the query's background (see `reference.rs`).
    pub fn search(&self, query: &[f32], k: usize, also: &[&str]) -> (Vec<(String, Similarity)>, SimilarityTotals) {
        if query.len() != self.dim || self.rows.is_empty() {
            return (Vec::new(), [(0.0, 0); 2]);
        }
        let best = self.best_per_item(query);
        let total = |pick: fn(&Similarity) -> f32| {
            best.iter()
                .enumerate()
                .filter(|(slot, s)| self.ids[*slot].is_some() && pick(s) > -1.0)
                .fold((0.0f64, 0usize), |(sum, n), (_, s)| (sum + pick(s) as f64, n + 1))
        };
        let background = [total(|s| s.question), total(|s| s.passage)];
        let mut ranked: Vec<(u32, Similarity)> = best
            .iter()
            .enumerate()
            .filter(|(slot, s)| self.ids[*slot].is_some() && s.best() > -1.0)
            .map(|(slot, s)| (slot as u32, *s))
            .collect();
        let k = k.min(ranked.len());
        if k < ranked.len() {
            ranked.select_nth_unstable_by(k, |a, b| b.1.best().total_cmp(&a.1.best()));
            ranked.truncate(k);
        }
        ranked.sort_by(|a, b| b.1.best().total_cmp(&a.1.best()));
        for slot in also.iter().filter_map(|id| self.slots.get(*id)) {
            if !ranked.iter().any(|(s, _)| s == slot) {
                ranked.push((*slot, best[*slot as usize]));
            }
        }
        let ranked = ranked.into_iter().filter_map(|(slot, s)| Some((self.ids[slot as usize].clone()?, s))).collect();
        (ranked, background)
    }

    /// Every slot's best similarity per part (-1 where it has no vector of that part).
    fn best_per_item(&self, query: &[f32]) -> Vec<Similarity> {
        let mut q = Vec::with_capacity(self.dim);
        let q_scale = quantize(query, &mut q);
        let scores: Vec<f32> =
            scan_i8(&q, &self.values).into_iter().zip(&self.rows).map(|(dot, row)| dot as f32 * row.scale * q_scale).collect();
        let mut best = vec![Similarity { question: -1.0, passage: -1.0, ..Similarity::default() }; self.ids.len()];
        for (row, score) in self.rows.iter().zip(scores) {
            let b = &mut best[row.item as usize];
            match row.part {
                Part::Question if score > b.question => (b.question, b.question_ordinal) = (score, row.ordinal),
                Part::Passage if score > b.passage => (b.passage, b.passage_ordinal) = (score, row.ordinal),
                _ => {}
            }
        }
        best
    }
}
