//! Texts to sparse TF-IDF vectors over a vocabulary learned from the training texts.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::FeatureSettings;

/// A sparse, L2-normalised vector: sorted feature ids and their values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SparseVec {
    pub ids: Vec<u32>,
    pub values: Vec<f32>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Vectorizer {
    pub settings: FeatureSettings,
    /// Feature strings, by id.
    pub features: Vec<String>,
    pub idf: Vec<f32>,
    #[serde(skip)]
    index: HashMap<String, u32>,
}

impl Vectorizer {
    /// Learns the vocabulary and inverse document frequencies from `texts`.
    pub fn fit(texts: &[&str], settings: &FeatureSettings) -> (Vectorizer, Vec<SparseVec>) {
        let config = settings.text_config();
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut df: Vec<u32> = Vec::new();
        let mut counted: Vec<Vec<(u32, u32)>> = Vec::with_capacity(texts.len());
        for text in texts {
            let mut counts: HashMap<u32, u32> = HashMap::new();
            for feature in seatmate_text::features(text, &config) {
                let next = index.len() as u32;
                let id = *index.entry(feature).or_insert(next);
                if id as usize == df.len() {
                    df.push(0);
                }
                *counts.entry(id).or_insert(0) += 1;
            }
            for id in counts.keys() {
                df[*id as usize] += 1;
            }
            counted.push(counts.into_iter().collect());
        }
        let n = texts.len() as f32;
        let idf: Vec<f32> = df.iter().map(|&d| ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0).collect();
        let mut features = vec![String::new(); index.len()];
        for (feature, id) in &index {
            features[*id as usize] = feature.clone();
        }
        let vectorizer = Vectorizer { settings: settings.clone(), features, idf, index };
        let vectors = counted.into_iter().map(|counts| vectorizer.weigh(counts)).collect();
        (vectorizer, vectors)
    }

    /// Rebuilds the lookup index after loading.
    pub fn reindex(&mut self) {
        self.index = self.features.iter().enumerate().map(|(i, f)| (f.clone(), i as u32)).collect();
    }

    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// The vector of a text; features never seen in training are dropped.
    pub fn transform(&self, text: &str) -> SparseVec {
        let mut counts: HashMap<u32, u32> = HashMap::new();
        for feature in seatmate_text::features(text, &self.settings.text_config()) {
            if let Some(&id) = self.index.get(&feature) {
                *counts.entry(id).or_insert(0) += 1;
            }
        }
        self.weigh(counts.into_iter().collect())
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
