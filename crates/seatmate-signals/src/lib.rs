//! Signals read from a conversation's turns, for the agent's assist panel and the case library:
//! the customer's emotion now ([`emotion`]), the escalation risk so far ([`risk`]), and what the
//! timestamps say about a turn ([`timing`]).
//!
//! Invariant: pure computation. Texts (and their sentence vectors, computed once by the caller
//! with `seatmate-embed` and shared with knowledge search) in, plain data out; a model is bytes
//! in and bytes out. No store, HTTP, clock or files.

pub mod emotion;
pub mod metrics;
pub mod risk;
pub mod timing;

pub use emotion::{valence_of, Chosen, Emotion, EmotionConfig, EmotionModel, Example};
pub use risk::{ReasonKind, Risk, RiskLevel, RiskReason, RiskTracker};
pub use timing::{timing, Timing, LONG_SILENCE_MS, TALK_OVER_MS};

#[derive(Debug, thiserror::Error)]
pub enum SignalsError {
    #[error("{0}")]
    InvalidInput(String),
    #[error("model file: {0}")]
    Corrupt(String),
}
