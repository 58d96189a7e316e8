//! Bank card numbers: 13 to 19 digits, plain or in groups of four (4-6-5 for American Express),
//! passing the Luhn check and starting like a card issuer's number.

use std::sync::LazyLock;

use regex::Regex;

use crate::checks::{card_issuer_prefix, luhn};
use crate::context::{ascii_digits, compile, matches, not_personal_context, standalone_number};
use crate::id::looks_like_mistyped_id;

static CARD: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"[0-9]{4}(?:[ -][0-9]{4}){2,3}(?:[ -][0-9]{1,3})?",
        r"|[0-9]{4}[ -][0-9]{6}[ -][0-9]{4,5}",
        r"|[0-9]{13,19}",
    ))
});

/// Byte ranges of bank card numbers in normalised text.
pub(crate) fn find(text: &str) -> Vec<(usize, usize)> {
    matches(&CARD, text, |s, e| {
        let candidate = &text[s..e];
        let digits = ascii_digits(candidate);
        let one_separator = !(candidate.contains(' ') && candidate.contains('-'));
        (13..=19).contains(&digits.len())
            && one_separator
            && card_issuer_prefix(&digits)
            && luhn(&digits)
            && !looks_like_mistyped_id(&digits)
            && standalone_number(text, s, e)
            && !not_personal_context(text, s)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        find(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn cards() {
        assert_eq!(found("卡号4111111111111111，"), ["4111111111111111"]);
        assert_eq!(found("Card 4111 1111 1111 1111, exp 12/27"), ["4111 1111 1111 1111"]);
        assert_eq!(found("卡号5555-5555-5555-4444"), ["5555-5555-5555-4444"]);
        assert_eq!(found("Amex 3782 822463 10005"), ["3782 822463 10005"]);
    }

    #[test]
    fn not_cards() {
        assert!(found("卡号4111111111111112").is_empty(), "fails Luhn");
        assert!(found("订单号4111111111111111").is_empty(), "an order number");
        assert!(found("密码8825 3361 0094 7712").is_empty(), "no issuer starts with 8");
        assert!(found("流水42000012342024050612345678901").is_empty());
        assert!(found("4111 1111 1111 1111 2222").is_empty(), "more groups follow");
    }
}
