//! TF-IDF vectors over `seatmate-text` features, with an inverted index for one-query-all-documents
//! cosines.

use std::collections::HashMap;

use seatmate_text::{features, FeatureConfig};

/// A sparse, L2-normalised vector: (feature id, weight), sorted by id.
pub(crate) type Sparse = Vec<(u32, f32)>;

/// The TF-IDF index of a fixed list of texts.
#[derive(Debug, Default)]
pub(crate) struct TextIndex {
    vocabulary: HashMap<String, u32>,
    idf: Vec<f32>,
    documents: Vec<Sparse>,
    postings: Vec<Vec<(u32, f32)>>,
}

fn config() -> FeatureConfig {
    FeatureConfig { word_ngrams: 1, han_chars: (1, 2), word_chars: (3, 4) }
}

/// Term counts of a text's features, by feature string.
fn counts(text: &str) -> HashMap<String, f32> {
    let mut out = HashMap::new();
    for f in features(text, &config()) {
        *out.entry(f).or_insert(0.0) += 1.0;
    }
    out
}

fn normalise(mut v: Sparse) -> Sparse {
    v.sort_by_key(|&(id, _)| id);
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in &mut v {
            *w /= norm;
        }
    }
    v
}

impl TextIndex {
    /// Indexes `texts`; document `i` is `texts[i]`.
    pub(crate) fn build(texts: &[&str]) -> TextIndex {
        let mut vocabulary: HashMap<String, u32> = HashMap::new();
        let mut df: Vec<f32> = Vec::new();
        let mut raw: Vec<Vec<(u32, f32)>> = Vec::with_capacity(texts.len());
        for text in texts {
            let mut doc = Vec::new();
            for (feature, count) in counts(text) {
                let next = vocabulary.len() as u32;
                let id = *vocabulary.entry(feature).or_insert(next);
                if id as usize == df.len() {
                    df.push(0.0);
                }
                df[id as usize] += 1.0;
                doc.push((id, count));
            }
            raw.push(doc);
        }
        let n = texts.len().max(1) as f32;
        let idf: Vec<f32> = df.iter().map(|d| ((1.0 + n) / (1.0 + d)).ln() + 1.0).collect();
        let documents: Vec<Sparse> = raw
            .into_iter()
            .map(|doc| normalise(doc.into_iter().map(|(id, c)| (id, (1.0 + c.ln()) * idf[id as usize])).collect()))
            .collect();
        let mut postings = vec![Vec::new(); idf.len()];
        for (d, doc) in documents.iter().enumerate() {
            for &(id, w) in doc {
                postings[id as usize].push((d as u32, w));
            }
        }
        TextIndex { vocabulary, idf, documents, postings }
    }

    /// The vector of any text (features the index never saw are left out).
    pub(crate) fn vector(&self, text: &str) -> Sparse {
        let v = counts(text)
            .into_iter()
            .filter_map(|(f, c)| self.vocabulary.get(&f).map(|&id| (id, (1.0 + c.ln()) * self.idf[id as usize])))
            .collect();
        normalise(v)
    }

    /// Document `i`'s vector (empty for an unknown document).
    pub(crate) fn document(&self, i: usize) -> &[(u32, f32)] {
        self.documents.get(i).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The cosine of `query` with every document, into `out` (resized to the document count).
    pub(crate) fn cosines(&self, query: &[(u32, f32)], out: &mut Vec<f32>) {
        out.clear();
        out.resize(self.documents.len(), 0.0);
        for &(id, w) in query {
            if let Some(list) = self.postings.get(id as usize) {
                for &(d, dw) in list {
                    out[d as usize] += w * dw;
                }
            }
        }
    }
}

/// The dot product of two sorted sparse vectors (their cosine, as both are normalised).
pub(crate) fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}
