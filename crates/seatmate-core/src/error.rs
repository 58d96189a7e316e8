/// The small set of error kinds every Seatmate crate maps its errors to; the server turns each into
/// one HTTP status, the CLI into one exit message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    InvalidInput,
    Conflict,
    Unauthorized,
    Forbidden,
    Unavailable,
    Internal,
}

/// A string that names none of an enum's values.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}, expected one of {}", expected.join(", "))]
pub struct ParseEnumError {
    pub what: &'static str,
    pub value: String,
    pub expected: &'static [&'static str],
}
