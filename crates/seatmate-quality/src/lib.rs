//! Quality inspection: a centre's scorecards (sections and items, each a rule over a finished
//! conversation), their validation, and the inspection of a conversation against one, with the
//! evidence of every deduction; the starter pack the project writes; and dialogue-quality
//! prediction (STC-3's A/S/E distributions).
//!
//! Invariant: pure computation: conversations, signals and vectors in, plain data out; no store,
//! HTTP, clock or files.

pub mod dialogue;
pub mod inspect;
pub mod scorecard;

pub use inspect::{Compiled, Encode, Evidence, Inspection, ItemResult, Outcome, Subject, WalkedFlow, Why};
pub use scorecard::{Scorecard, ScorecardError};

/// The starter scorecards' texts (a Chinese and an English centre's), written by the project.
pub const STARTER_PACK: [&str; 2] = [include_str!("../starter/service-zh.yaml"), include_str!("../starter/service-en.yaml")];

/// The starter scorecards (a test checks that every one is valid).
pub fn starter_pack() -> Vec<Scorecard> {
    STARTER_PACK.into_iter().filter_map(|text| Scorecard::parse(text).ok()).collect()
}
