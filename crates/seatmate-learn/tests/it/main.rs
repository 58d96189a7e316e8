#![allow(clippy::unwrap_used, clippy::expect_used)]
mod llm;
mod service;
mod voice;
