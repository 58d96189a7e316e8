//! Semantic search: every item is one or more 8-bit vectors (an FAQ's phrasings, its answer, an
//! article's sections…). Up to [`COARSE_FROM_ROWS`] vectors every one is scored per query
//! (`seatmate_embed::scan_i8`, on every core): exact, and fast at that size. Past it the scan
//! would dominate a query (about 11 ms for 250,000 vectors, bound by memory, not arithmetic), so
//! each vector also keeps a 1-bit sketch (the signs around the vectors' mean, 48 bytes for 384
//! dimensions): the sketches are ranked by Hamming distance, and the nearest [`rescored`] share
//! is scored exactly as before. The query's background, the mean best similarity over the items,
//! then comes from a sample of [`BACKGROUND_SAMPLE`] items, picked by a hash of their slot, scored
//! exactly.

use std::collections::HashMap;

use seatmate_embed::{dot_i8, hamming_scan, quantize, scan_i8, sign_code};

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
    /// No vector of either part yet.
    const NONE: Similarity = Similarity { question: -1.0, question_ordinal: 0, passage: -1.0, passage_ordinal: 0 };

    pub fn best(&self) -> f32 {
        self.question.max(self.passage)
    }
}

/// Vectors from which queries rank 1-bit sketches first and score only the nearest exactly.
pub const COARSE_FROM_ROWS: usize = 32_768;
/// Items scored exactly for the query's background once sketches are in use.
pub const BACKGROUND_SAMPLE: usize = 1024;

/// Vectors scored exactly after the sketches' ranking: at least 2,048, and 1 % of them all.
pub fn rescored(rows: usize) -> usize {
    (rows / 100).max(2048)
}

pub struct DenseIndex {
    dim: usize,
    rows: Vec<Row>,
    values: Vec<i8>,
    /// Item id → its slot; slots of deleted items are reused by nothing (compaction renumbers).
    slots: HashMap<String, u32>,
    ids: Vec<Option<String>>,
    /// Each slot's rows: they are contiguous, `(first row, count)`.
    spans: Vec<(u32, u32)>,
    dead_rows: usize,
    /// From [`COARSE_FROM_ROWS`] rows: the centre the sketches are taken around (the rows' mean
    /// when they were last all sketched), the sketches, and the row count at that time.
    sketch: Option<Sketches>,
    coarse_from_rows: usize,
}

struct Sketches {
    center: Vec<f32>,
    codes: Vec<u64>,
    words: usize,
    sketched_at: usize,
}

impl DenseIndex {
    pub fn new(dim: usize) -> DenseIndex {
        DenseIndex::with_coarse_from(dim, COARSE_FROM_ROWS)
    }

    /// An index that sketches from `rows` vectors on (tests compare both ways on one size).
    fn with_coarse_from(dim: usize, rows: usize) -> DenseIndex {
        DenseIndex {
            dim,
            rows: Vec::new(),
            values: Vec::new(),
            slots: HashMap::new(),
            ids: Vec::new(),
            spans: Vec::new(),
            dead_rows: 0,
            sketch: None,
            coarse_from_rows: rows,
        }
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
        let first = self.rows.len();
        for (part, ordinal, vector) in vectors {
            if vector.len() != self.dim {
                continue;
            }
            let scale = quantize(vector, &mut self.values);
            self.rows.push(Row { item: slot, part: *part, ordinal: *ordinal, scale });
        }
        self.spans.push((first as u32, (self.rows.len() - first) as u32));
        self.sketch_new_rows(first);
    }

    /// Keeps the sketches in step with the rows: none below the threshold, all of them again
    /// (around the new mean) each time the rows have doubled, otherwise the new rows' only.
    fn sketch_new_rows(&mut self, first: usize) {
        if self.rows.len() < self.coarse_from_rows {
            self.sketch = None;
            return;
        }
        let from = match &self.sketch {
            Some(sketch) if self.rows.len() < 2 * sketch.sketched_at => first,
            _ => {
                self.sketch = Some(Sketches {
                    center: self.mean(),
                    codes: Vec::new(),
                    words: self.dim.div_ceil(64),
                    sketched_at: self.rows.len(),
                });
                0
            }
        };
        let mut vector = vec![0.0f32; self.dim];
        if let Some(sketch) = &mut self.sketch {
            sketch.codes.truncate(from * sketch.words);
            for (i, row) in self.rows.iter().enumerate().skip(from) {
                for (x, v) in vector.iter_mut().zip(&self.values[i * self.dim..(i + 1) * self.dim]) {
                    *x = f32::from(*v) * row.scale;
                }
                sign_code(&vector, &sketch.center, &mut sketch.codes);
            }
        }
    }

    /// The mean of every row (deleted items' rows too: they are few, compaction drops them).
    fn mean(&self) -> Vec<f32> {
        let mut sum = vec![0.0f64; self.dim];
        for (row, values) in self.rows.iter().zip(self.values.chunks_exact(self.dim)) {
            for (s, v) in sum.iter_mut().zip(values) {
                *s += f64::from(*v) * f64::from(row.scale);
            }
        }
        let n = self.rows.len().max(1) as f64;
        sum.into_iter().map(|s| (s / n) as f32).collect()
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
        let mut spans = vec![(0u32, 0u32); ids.len()];
        for (i, row) in self.rows.iter().enumerate() {
            let slot = renumber[row.item as usize];
            if slot != u32::MAX {
                let span = &mut spans[slot as usize];
                if span.1 == 0 {
                    span.0 = rows.len() as u32;
                }
                span.1 += 1;
                rows.push(Row { item: slot, ..*row });
                values.extend_from_slice(&self.values[i * self.dim..(i + 1) * self.dim]);
            }
        }
        self.slots = ids.iter().enumerate().filter_map(|(slot, id)| Some((id.clone()?, slot as u32))).collect();
        self.ids = ids;
        self.rows = rows;
        self.values = values;
        self.spans = spans;
        self.dead_rows = 0;
        self.sketch = None;
        self.sketch_new_rows(0);
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
    /// Also returns the sums and counts of the items' best similarity per part (every item's, or
    /// a sample's once sketches are in use), from which the caller forms the query's background
    /// (see `reference.rs`).
    pub fn search(&self, query: &[f32], k: usize, also: &[&str]) -> (Vec<(String, Similarity)>, SimilarityTotals) {
        if query.len() != self.dim || self.rows.is_empty() {
            return (Vec::new(), [(0.0, 0); 2]);
        }
        let mut q = Vec::with_capacity(self.dim);
        let q_scale = quantize(query, &mut q);
        let (best, background) = match &self.sketch {
            None => self.exact(&q, q_scale),
            Some(sketch) => self.coarse(sketch, query, &q, q_scale),
        };
        let mut ranked: Vec<(u32, Similarity)> =
            best.into_iter().filter(|(slot, s)| self.ids[*slot as usize].is_some() && s.best() > -1.0).collect();
        let k = k.min(ranked.len());
        if k < ranked.len() {
            ranked.select_nth_unstable_by(k, |a, b| b.1.best().total_cmp(&a.1.best()));
            ranked.truncate(k);
        }
        ranked.sort_by(|a, b| b.1.best().total_cmp(&a.1.best()).then_with(|| a.0.cmp(&b.0)));
        for slot in also.iter().filter_map(|id| self.slots.get(*id)) {
            if !ranked.iter().any(|(s, _)| s == slot) {
                ranked.push((*slot, self.best_of(*slot, &q, q_scale)));
            }
        }
        let ranked = ranked.into_iter().filter_map(|(slot, s)| Some((self.ids[slot as usize].clone()?, s))).collect();
        (ranked, background)
    }

    /// Every slot's best similarity, and the background totals over every live item.
    fn exact(&self, q: &[i8], q_scale: f32) -> (Vec<(u32, Similarity)>, SimilarityTotals) {
        let best = self.best_per_item(q, q_scale);
        let total = |pick: fn(&Similarity) -> f32| {
            best.iter()
                .enumerate()
                .filter(|(slot, s)| self.ids[*slot].is_some() && pick(s) > -1.0)
                .fold((0.0f64, 0usize), |(sum, n), (_, s)| (sum + pick(s) as f64, n + 1))
        };
        let background = [total(|s| s.question), total(|s| s.passage)];
        (best.into_iter().enumerate().map(|(slot, s)| (slot as u32, s)).collect(), background)
    }

    /// The items of the rows whose sketches lie nearest the query's, scored exactly, and the
    /// background totals over a hashed sample of the items.
    fn coarse(&self, sketch: &Sketches, query: &[f32], q: &[i8], q_scale: f32) -> (Vec<(u32, Similarity)>, SimilarityTotals) {
        let mut code = Vec::with_capacity(sketch.words);
        sign_code(query, &sketch.center, &mut code);
        let distances = hamming_scan(&code, &sketch.codes);
        // the smallest distance within which at least `rescored` rows lie
        let mut histogram = vec![0usize; sketch.words * 64 + 1];
        for d in &distances {
            histogram[*d as usize] += 1;
        }
        let wanted = rescored(self.rows.len());
        let mut within = 0;
        let mut cut = histogram.len() - 1;
        for (d, n) in histogram.iter().enumerate() {
            within += n;
            if within >= wanted {
                cut = d;
                break;
            }
        }
        // every row nearer than the cut, and rows at the cut until there are `rescored` of them
        let mut at_cut = wanted.saturating_sub(within - histogram[cut]);
        let mut best: HashMap<u32, Similarity> = HashMap::with_capacity(wanted);
        for (i, d) in distances.iter().enumerate() {
            let d = *d as usize;
            if d < cut || (d == cut && at_cut > 0) {
                at_cut -= usize::from(d == cut);
                let row = &self.rows[i];
                let score = self.score(i, q, q_scale);
                keep_best(best.entry(row.item).or_insert(Similarity::NONE), row, score);
            }
        }
        // one slot in `stride`, picked by a hash of its number so that no order the items were
        // added in (by topic, say) biases the sample
        let stride = self.slots.len().div_ceil(BACKGROUND_SAMPLE).max(1) as u64;
        let sampled = |slot: &usize| ((*slot as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32).is_multiple_of(stride);
        let mut background = [(0.0f64, 0usize); 2];
        for slot in (0..self.ids.len()).filter(|slot| self.ids[*slot].is_some() && sampled(slot)) {
            let s = best.get(&(slot as u32)).copied().unwrap_or_else(|| self.best_of(slot as u32, q, q_scale));
            for (total, value) in background.iter_mut().zip([s.question, s.passage]) {
                if value > -1.0 {
                    *total = (total.0 + f64::from(value), total.1 + 1);
                }
            }
        }
        (best.into_iter().collect(), background)
    }

    /// One slot's best similarity per part, every row of it scored exactly.
    fn best_of(&self, slot: u32, q: &[i8], q_scale: f32) -> Similarity {
        let (first, count) = self.spans[slot as usize];
        let mut best = Similarity::NONE;
        for i in first as usize..(first + count) as usize {
            keep_best(&mut best, &self.rows[i], self.score(i, q, q_scale));
        }
        best
    }

    fn score(&self, row: usize, q: &[i8], q_scale: f32) -> f32 {
        dot_i8(q, &self.values[row * self.dim..(row + 1) * self.dim]) as f32 * self.rows[row].scale * q_scale
    }

    /// Every slot's best similarity per part (-1 where it has no vector of that part).
    fn best_per_item(&self, q: &[i8], q_scale: f32) -> Vec<Similarity> {
        let scores: Vec<f32> =
            scan_i8(q, &self.values).into_iter().zip(&self.rows).map(|(dot, row)| dot as f32 * row.scale * q_scale).collect();
        let mut best = vec![Similarity::NONE; self.ids.len()];
        for (row, score) in self.rows.iter().zip(scores) {
            keep_best(&mut best[row.item as usize], row, score);
        }
        best
    }
}

fn keep_best(best: &mut Similarity, row: &Row, score: f32) {
    match row.part {
        Part::Question if score > best.question => (best.question, best.question_ordinal) = (score, row.ordinal),
        Part::Passage if score > best.passage => (best.passage, best.passage_ordinal) = (score, row.ordinal),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unit vectors shaped like sentence vectors: a large direction they all share, a topic
    /// (one of `topics`) and noise.
    struct Vectors(u64);

    impl Vectors {
        fn uniform(&mut self) -> f32 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 40) as f32 / (1u64 << 24) as f32 - 0.5
        }

        fn around(&mut self, centre: &[f32], noise: f32) -> Vec<f32> {
            let v: Vec<f32> = centre.iter().map(|c| c + noise * self.uniform()).collect();
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            v.into_iter().map(|x| x / norm).collect()
        }
    }

    const DIM: usize = 96;

    fn corpus(items: usize) -> (Vec<Vec<f32>>, Vec<Vec<f32>>, Vectors) {
        let mut rng = Vectors(0x9E37_79B9_7F4A_7C15);
        let shared: Vec<f32> = (0..DIM).map(|_| 1.0 + rng.uniform()).collect();
        let topics: Vec<Vec<f32>> = (0..200).map(|_| shared.iter().map(|s| s * 0.15 + rng.uniform()).collect()).collect();
        let vectors = (0..items).map(|i| rng.around(&topics[i % topics.len()], 0.8)).collect();
        (topics, vectors, rng)
    }

    fn index(vectors: &[Vec<f32>], coarse_from: usize) -> DenseIndex {
        let mut index = DenseIndex::with_coarse_from(DIM, coarse_from);
        for (i, v) in vectors.iter().enumerate() {
            index.upsert(&format!("item-{i}"), &[(Part::Question, 0, v.clone())]);
        }
        index
    }

    #[test]
    fn sketches_find_what_the_full_scan_finds() {
        let (topics, vectors, mut rng) = corpus(30_000);
        let exact = index(&vectors, usize::MAX);
        let coarse = index(&vectors, 1000);
        assert!(exact.sketch.is_none() && coarse.sketch.is_some());
        let (mut found, mut wanted) = (0, 0);
        for t in 0..40 {
            let query = rng.around(&topics[t * 5], 0.8);
            let (truth, truth_background) = exact.search(&query, 10, &[]);
            let (got, background) = coarse.search(&query, 10, &["item-7"]);
            let got_ids: Vec<&str> = got.iter().map(|(id, _)| id.as_str()).collect();
            wanted += truth.len();
            found += truth.iter().filter(|(id, _)| got_ids.contains(&id.as_str())).count();
            // the rescored items carry their exact similarity
            for (id, similarity) in &got {
                if let Some((_, exact_similarity)) = truth.iter().find(|(i, _)| i == id) {
                    assert_eq!(similarity, exact_similarity);
                }
            }
            // an item asked for by name comes last, with its exact similarity
            let (last_id, last) = got.last().unwrap();
            assert_eq!(last_id, "item-7");
            assert_eq!(*last, exact.search(&query, 30_000, &[]).0.into_iter().find(|(id, _)| id == "item-7").unwrap().1);
            // the background's mean, from a sample, stays near the mean over all items
            let mean = |(sum, n): (f64, usize)| sum / n as f64;
            assert!((BACKGROUND_SAMPLE * 3 / 4..=BACKGROUND_SAMPLE * 5 / 4).contains(&background[0].1), "{}", background[0].1);
            // (these synthetic similarities spread far wider than e5's, so the sample's error is
            // larger here than on real vectors; 0.01 is as far as 40 queries took it)
            let off = (mean(background[0]) - mean(truth_background[0])).abs();
            assert!(off < 0.02, "the sampled background is off by {off}");
            assert_eq!(background[1].1, 0, "no passages were indexed");
        }
        assert!(found as f64 >= 0.95 * wanted as f64, "found {found} of the exact top {wanted}");
    }

    #[test]
    fn sketches_follow_deletes_and_compaction() {
        let (_, vectors, _) = corpus(3000);
        let mut index = index(&vectors, 1000);
        for i in 0..2000 {
            index.delete(&format!("item-{i}"));
        }
        // more than half the rows were dead: compaction renumbered the rest and sketched them again
        assert!(index.rows.len() < 1500 && index.dead_rows < 500, "{} rows", index.rows.len());
        assert_eq!(index.sketch.as_ref().map(|s| s.codes.len()), Some(index.rows.len() * DIM.div_ceil(64)));
        let (hits, _) = index.search(&vectors[2500], 1, &[]);
        assert_eq!(hits[0].0, "item-2500");
        assert!((hits[0].1.question - 1.0).abs() < 0.02);
        // below the threshold again: the full scan, no sketches
        for i in 2000..2500 {
            index.delete(&format!("item-{i}"));
        }
        index.upsert("again", &[(Part::Passage, 0, vectors[0].clone())]);
        assert!(index.sketch.is_none());
        let (hits, _) = index.search(&vectors[0], 1, &[]);
        assert_eq!((hits[0].0.as_str(), hits[0].1.question), ("again", -1.0));
    }
}
