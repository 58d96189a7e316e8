//! Dialogue quality as annotators judge it (STC-3 DCH-1).
