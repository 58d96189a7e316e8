//! After-call work: when a conversation ends, Seatmate fills in the ticket (category path with
//! calibrated confidence, dispatch team, priority, and an extractive summary whose sentences link
//! to their turns) for the agent to confirm or correct in one action, and every confirmation feeds
//! the next model.
//!
//! This is a pipeline: it calls the classify engine and the dispatch rules, and keeps its state
//! (model versions, settings, tickets) in the store. Invariant: no HTTP, no HTML, no SQL.

pub mod dispatch;
mod service;
mod summary;

pub use dispatch::{dispatch, DispatchDecision, DispatchInput, DispatchRule, DispatchSource};
pub use service::{
    AfterCall, AfterCallError, AutoAcceptOff, AutoAcceptPolicy, Candidate, Comparison, Encode, Prefilled, Suggestion,
    CLASSIFY_MODEL, DEFAULT_VERSIONS_KEPT, MIN_AUTO_ACCEPT_SUPPORT, MIN_COMPARED_TICKETS, MIN_RETRAIN_INTERVAL_MS, RETRAIN_EVERY,
};
pub use summary::{summarize, Summary, SummaryLine};
