#![allow(clippy::unwrap_used, clippy::expect_used)]

mod analyze;
mod errors;
mod rate;
mod synth;
