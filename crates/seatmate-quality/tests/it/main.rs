mod dialogue;
mod scorecard;
