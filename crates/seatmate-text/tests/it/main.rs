//! Property tests of the text pipeline: it never panics, folds Traditional/Simplified, full-width/
//! half-width and case alike, is idempotent, and every token and offset lies inside the text.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod props;
mod spellings;
