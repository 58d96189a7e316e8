//! Seatmate's coaching engines. `mine`: the teaching cases in the history (exemplary and problem
//! ones, near-duplicates clustered, with the features a trainer reads). `simulate`: the simulated customer a trainee talks to in the
//! training room, chosen from real dialogues. Pure computation: dialogues in, replies out; no store,
//! HTTP, files or clock.

pub mod mine;
pub mod score;
pub mod simulate;
