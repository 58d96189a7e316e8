//! Integration tests of every import format, with small inline fixtures, plus checks against the
//! real data sets in /work/shared/data when that directory exists.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod asr;
mod common;
mod conversation;
mod knowledge;
mod props_fuzz;
mod props_round_trip;
mod real_data;
mod streaming;
mod taxonomy;
mod ticket;

use seatmate_ingest::{Context, ImportError};

pub const NOW: i64 = 1_750_000_000_000;

pub fn ctx(file: &str) -> Context<'_> {
    Context::new(file, NOW)
}

/// Asserts an error's line and field, and that its message contains `needle`.
#[track_caller]
pub fn assert_err<T: std::fmt::Debug>(result: Result<T, ImportError>, line: Option<u64>, field: Option<&str>, needle: &str) {
    let e = result.expect_err("expected an import error");
    assert_eq!((e.line, e.field.as_deref()), (line, field), "{e}");
    assert!(e.message.contains(needle), "message {:?} lacks {needle:?}", e.message);
}
