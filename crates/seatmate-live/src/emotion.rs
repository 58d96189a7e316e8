//! The emotion of each customer turn and its trajectory over the conversation, from the model
//! `seatmate train emotion` saved in the store. It reads the turn's words and, when the model was
//! trained with them, the turn's sentence vector (encoded once per turn, shared with the
//! opportunity cues).

use seatmate_signals::EmotionModel;
use seatmate_store::Store;
use serde::{Deserialize, Serialize};

/// The kind of the emotion model in the store.
pub const EMOTION_MODEL: &str = "emotion";

/// What the model makes of one turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TurnEmotion {
    /// anger, disgust, fear, joy, neutral, sadness or surprise (the model's labels).
    pub label: String,
    pub probability: f32,
    /// -1 (negative) … 1 (positive).
    pub valence: f32,
}

/// One customer turn's valence, for the trajectory.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ValencePoint {
    pub turn: u64,
    pub valence: f32,
}

pub struct EmotionStage {
    model: EmotionModel,
    pub version: i64,
}

impl EmotionStage {
    /// The store's active emotion model, or why there is none to use.
    pub async fn load(store: &dyn Store) -> Result<EmotionStage, String> {
        let (record, bytes) = match store.active_model(EMOTION_MODEL).await {
            Ok(Some(found)) => found,
            Ok(None) => return Err("no emotion model: run `seatmate train emotion`".into()),
            Err(error) => return Err(format!("cannot read the emotion model: {error}")),
        };
        let model =
            EmotionModel::from_bytes(&bytes).map_err(|e| format!("cannot read emotion model v{}: {e}", record.version))?;
        Ok(EmotionStage { model, version: record.version })
    }

    /// The size of the sentence vectors the model reads, if it reads them.
    pub fn vector_dim(&self) -> Option<usize> {
        self.model.vector_dim()
    }

    /// The emotion of `text` with its sentence vector (empty without one: the words decide).
    pub fn read(&self, text: &str, vector: &[f32]) -> TurnEmotion {
        let emotion = self.model.predict(text, vector);
        TurnEmotion {
            label: self.model.labels()[emotion.top].clone(),
            probability: emotion.probabilities[emotion.top],
            valence: emotion.valence,
        }
    }
}
