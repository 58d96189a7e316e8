//! Texts to sparse TF-IDF vectors over a vocabulary learned from the training texts. Features are
//! kept as 64-bit hashes of their strings, not the strings: a million tickets' worth of vocabulary
//! fits in memory, and a prediction names its features from the text it was given.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::FeatureSettings;

/// A sparse, L2-normalised vector: sorted feature ids and their values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SparseVec {
    pub ids: Vec<u32>,
    pub values: Vec<f32>,
}

/// Training sets at least this large drop features seen in only one text.
const PRUNE_SINGLETONS_FROM: usize = 50_000;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Vectorizer {
    pub settings: FeatureSettings,
    /// Feature hashes, by id (ascending, so ids do not depend on the order texts came in).
    pub hashes: Vec<u64>,
    pub idf: Vec<f32>,
    #[serde(skip)]
    index: HashMap<u64, u32>,
}

/// FNV-1a: a fast, stable 64-bit hash of a feature string.
pub fn feature_hash(feature: &str) -> u64 {
    feature.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

impl Vectorizer {
    /// Learns the vocabulary and inverse document frequencies from `texts`.
    pub fn fit(texts: &[&str], settings: &FeatureSettings) -> (Vectorizer, Vec<SparseVec>) {
        let config = settings.text_config();
        let mut df: HashMap<u64, u32> = HashMap::new();
        let mut seen: Vec<u64> = Vec::new();
        for text in texts {
            seen.clear();
            seen.extend(seatmate_text::features(text, &config).iter().map(|f| feature_hash(f)));
            seen.sort_unstable();
            seen.dedup();
            for &h in &seen {
                *df.entry(h).or_insert(0) += 1;
            }
        }
        let min_df = if texts.len() >= PRUNE_SINGLETONS_FROM { 2 } else { 1 };
        let mut hashes: Vec<u64> = df.iter().filter(|(_, &d)| d >= min_df).map(|(&h, _)| h).collect();
        hashes.sort_unstable();
        let n = texts.len() as f32;
        let idf: Vec<f32> = hashes.iter().map(|h| ((1.0 + n) / (1.0 + df[h] as f32)).ln() + 1.0).collect();
        drop(df);
        let index = hashes.iter().enumerate().map(|(i, &h)| (h, i as u32)).collect();
        let vectorizer = Vectorizer { settings: settings.clone(), hashes, idf, index };
        let vectors = texts.iter().map(|t| vectorizer.transform(t)).collect();
        (vectorizer, vectors)
    }

    /// Rebuilds the lookup index after loading.
    pub fn reindex(&mut self) {
        self.index = self.hashes.iter().enumerate().map(|(i, &h)| (h, i as u32)).collect();
    }

    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// The vector of a text; features never seen in training are dropped.
    pub fn transform(&self, text: &str) -> SparseVec {
        self.transform_named(text).0
    }

    /// The vector of a text and, for each of its ids, the feature string it came from.
    pub fn transform_named(&self, text: &str) -> (SparseVec, HashMap<u32, String>) {
        let mut counts: HashMap<u32, u32> = HashMap::new();
        let mut names: HashMap<u32, String> = HashMap::new();
        for feature in seatmate_text::features(text, &self.settings.text_config()) {
            if let Some(&id) = self.index.get(&feature_hash(&feature)) {
                *counts.entry(id).or_insert(0) += 1;
                names.entry(id).or_insert(feature);
            }
        }
        (self.weigh(counts.into_iter().collect()), names)
    }

    /// Sublinear term frequency times IDF, L2-normalised.
    fn weigh(&self, mut counts: Vec<(u32, u32)>) -> SparseVec {
        counts.sort_unstable_by_key(|(id, _)| *id);
        let mut values: Vec<f32> = counts.iter().map(|&(id, tf)| (1.0 + (tf as f32).ln()) * self.idf[id as usize]).collect();
        let norm = values.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            values.iter_mut().for_each(|v| *v /= norm);
        }
        SparseVec { ids: counts.into_iter().map(|(id, _)| id).collect(), values }
    }
}
