//! Live signals read from a conversation's turns, for the agent's assist panel: the customer's
//! emotion now ([`emotion`]); risk and opportunity cues will join it as modules of their own.
//!
//! Invariant: pure computation. Texts (and their sentence vectors, computed once by the caller
//! with `seatmate-embed` and shared with knowledge search) in, plain data out; a model is bytes
//! in and bytes out. No store, HTTP, clock or files.

pub mod emotion;
pub mod metrics;

pub use emotion::{valence_of, Chosen, Emotion, EmotionConfig, EmotionModel, Example};

#[derive(Debug, thiserror::Error)]
pub enum SignalsError {
    #[error("{0}")]
    InvalidInput(String),
    #[error("model file: {0}")]
    Corrupt(String),
}
