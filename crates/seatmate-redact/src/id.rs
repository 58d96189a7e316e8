//! Identity card numbers: mainland resident IDs (18 characters with a MOD 11-2 check character,
//! or the old 15 digits), Hong Kong identity cards and Taiwan national IDs, each with its check.

use std::sync::LazyLock;

use regex::Regex;

use crate::checks::{id18_shaped, valid_hong_kong_id, valid_id15, valid_id18, valid_taiwan_id};
use crate::context::{compile, matches, not_personal_context, standalone_number};

/// 18 characters, the same read out in 6-8-4 groups, or 15 digits.
static MAINLAND: LazyLock<Regex> = LazyLock::new(|| compile(r"[0-9]{17}[0-9Xx]|[0-9]{6} [0-9]{8} [0-9]{3}[0-9Xx]|[0-9]{15}"));
/// `A123456(7)`: the parentheses are required, bare letter-and-digit codes are too often models.
static HONG_KONG: LazyLock<Regex> = LazyLock::new(|| compile(r"[A-Z]{1,2}[0-9]{6}\([0-9A]\)"));
static TAIWAN: LazyLock<Regex> = LazyLock::new(|| compile(r"[A-Z][12][0-9]{8}"));

/// Byte ranges of identity card numbers in normalised text.
pub(crate) fn find(text: &str) -> Vec<(usize, usize)> {
    let mut found = matches(&MAINLAND, text, |s, e| {
        let compact: String = text[s..e].chars().filter(|c| *c != ' ').collect();
        let valid = match compact.len() {
            18 => valid_id18(&compact),
            _ => valid_id15(&compact),
        };
        valid && standalone_number(text, s, e) && !not_personal_context(text, s)
    });
    found.extend(matches(&HONG_KONG, text, |s, e| {
        valid_hong_kong_id(&text[s..e]) && standalone_number(text, s, e) && !not_personal_context(text, s)
    }));
    found.extend(matches(&TAIWAN, text, |s, e| {
        valid_taiwan_id(&text[s..e]) && standalone_number(text, s, e) && !not_personal_context(text, s)
    }));
    found
}

/// 18 digits shaped like an ID number but failing its check: a typo or an order number, which
/// [`crate::card`] must not take for a card number either.
pub(crate) fn looks_like_mistyped_id(digits: &str) -> bool {
    id18_shaped(digits) && !valid_id18(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        find(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn mainland_ids() {
        assert_eq!(found("身份证号是11010519491231002X，谢谢"), ["11010519491231002X"]);
        assert_eq!(found("身份证号是11010519491231002x"), ["11010519491231002x"]);
        assert_eq!(found("号码 110105 19491231 002X"), ["110105 19491231 002X"]);
        assert_eq!(found("老身份证510107731026969。"), ["510107731026969"]);
    }

    #[test]
    fn not_ids() {
        assert!(found("身份证号是110105194912310021").is_empty(), "wrong check digit");
        assert!(found("订单号11010519491231002X").is_empty(), "an order number, whatever its digits");
        assert!(found("1234511010519491231002X").is_empty(), "inside a longer run");
        assert!(found("订单号是202405061234567890").is_empty());
        assert!(found("快递单号773012345678901").is_empty());
    }

    #[test]
    fn hong_kong_and_taiwan() {
        assert_eq!(found("香港身份證A123456(3)"), ["A123456(3)"]);
        assert_eq!(found("身分證字號A123456789，"), ["A123456789"]);
        assert!(found("型號A123456788").is_empty());
    }
}
