//! Telephone numbers: Chinese mobiles and landlines, Hong Kong and Taiwan numbers, North American
//! numbers and other international numbers written with `+`. Service hotlines (400/800 and
//! toll-free numbers) are not personal data and are left alone.

use std::sync::LazyLock;

use regex::Regex;

use crate::context::{
    ascii_digits, compile, matches, not_personal_context, not_personal_unless_mobile, phone_context, standalone_number,
};

/// `13912345678`, `139 1234 5678`, `139-1234-5678`, with `+86`, `0086`, `86` or `(+86)` in front.
static CN_MOBILE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?:(?:\+|00)86[ -]?|\(\+?86\)[ -]?|86[ -]?)?1[3-9][0-9](?:[0-9]{8}|[ -][0-9]{4}[ -][0-9]{4})"));
/// `010-85126633`, `0755 8620 1234`, `(020) 8765 4321`, `(02)2345-6789`, with an extension
/// after `转`, `分机`, `ext`, `x` or a hyphen.
static CN_LANDLINE: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"(?:\(0[0-9]{1,3}\)|0[1-9][0-9]{1,2})[ -]?[0-9]{3,4}[ -]?[0-9]{4}",
        r"(?:(?:转|轉|分机|分機|-|[ ]?ext\.?|[ ]?x)[ ]?[0-9]{1,5})?",
    ))
});
/// `0912-345-678`, `+886 912 345 678`.
static TW_MOBILE: LazyLock<Regex> = LazyLock::new(|| compile(r"(?:\+886[ -]?|0)9[0-9]{2}[ -]?[0-9]{3}[ -]?[0-9]{3}"));
/// `(555) 010-4477`, `555-012-3388`, `555.019.7766`, `+1 555 013 2290`.
static NORTH_AMERICA: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?:\+?1[ .-]?)?(?:\([2-9][0-9]{2}\)|[2-9][0-9]{2})[ .-]?[0-9]{3}[ .-][0-9]{4}"));
/// `+44 20 7946 0958`, `+852 9123 4567`, `+49 (0)30 1234567`.
static INTERNATIONAL: LazyLock<Regex> =
    LazyLock::new(|| compile(r"\+[1-9][0-9]{0,2}[ -]?(?:\(0\)[ -]?)?[0-9]{1,4}(?:[ -]?[0-9]{2,4}){1,4}"));
/// `9123 4567`: eight digits in two fours, a Hong Kong number or a local number without its area
/// code; only taken after words about phones.
static EIGHT_DIGITS: LazyLock<Regex> = LazyLock::new(|| compile(r"[2-9][0-9]{3} [0-9]{4}"));

/// North American toll-free area codes, and the 400/800 prefixes of Chinese service hotlines.
const HOTLINE_AREAS: &[&str] = &["400", "800", "833", "844", "855", "866", "877", "888"];

/// Byte ranges of phone numbers in normalised text, possibly overlapping (the caller keeps the
/// longest).
pub(crate) fn find(text: &str) -> Vec<(usize, usize)> {
    let usable = |s: usize, e: usize| standalone_number(text, s, e) && !not_personal_context(text, s);
    let mobile = |s: usize, e: usize| standalone_number(text, s, e) && !not_personal_unless_mobile(text, s);
    let mut found = matches(&CN_MOBILE, text, mobile);
    found.extend(matches(&CN_LANDLINE, text, |s, e| landline(&text[s..e]) && usable(s, e)));
    found.extend(matches(&TW_MOBILE, text, usable));
    found.extend(matches(&NORTH_AMERICA, text, |s, e| north_american(&text[s..e]) && usable(s, e)));
    found.extend(matches(&INTERNATIONAL, text, |s, e| (8..=15).contains(&ascii_digits(&text[s..e]).len()) && usable(s, e)));
    found.extend(matches(&EIGHT_DIGITS, text, |s, e| usable(s, e) && phone_context(text, s)));
    found
}

/// An area code (`010`, `02x`, or four digits; any in parentheses) and a seven- or eight-digit number.
fn landline(candidate: &str) -> bool {
    let main = candidate.split(['转', '轉', '分', 'e', 'x']).next().unwrap_or(candidate);
    let (area, local) = match main.strip_prefix('(').and_then(|rest| rest.split_once(')')) {
        Some((area, local)) => (area.to_string(), ascii_digits(local)),
        None => {
            // a hyphen after the eighth local digit starts an extension
            let digits = ascii_digits(main);
            let area_len = if digits.starts_with("010") || digits.starts_with("02") { 3 } else { 4 };
            let area = digits.get(..area_len).unwrap_or_default().to_string();
            let local = digits.get(area_len..).unwrap_or_default().to_string();
            if local.len() > 8 {
                return main.matches('-').count() >= 2 && local_with_extension(main, area_len);
            }
            (area, local)
        }
    };
    area.len() >= 2 && (7..=8).contains(&local.len())
}

/// `010-59876543-8021`: area, eight digits, extension.
fn local_with_extension(main: &str, area_len: usize) -> bool {
    let parts: Vec<&str> = main.split(['-', ' ']).collect();
    parts.len() >= 3 && parts[0].len() == area_len && (7..=8).contains(&parts[1].len())
}

fn north_american(candidate: &str) -> bool {
    let digits = ascii_digits(candidate);
    let national = if digits.len() == 11 { &digits[1..] } else { &digits[..] };
    national.len() == 10 && !HOTLINE_AREAS.contains(&&national[..3])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut spans = find(text);
        spans.sort();
        spans.dedup();
        spans.into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn chinese_mobiles() {
        assert_eq!(found("手机13912345678"), ["13912345678"]);
        assert_eq!(found("打 139 1234 5678 找我"), ["139 1234 5678"]);
        assert_eq!(found("联系 +86 139-1234-5678"), ["+86 139-1234-5678"]);
        assert_eq!(found("0086 139 1234 5678"), ["0086 139 1234 5678"]);
    }

    #[test]
    fn landlines() {
        assert_eq!(found("座机010-85126633"), ["010-85126633"]);
        assert_eq!(found("电话0755-26718899转8012"), ["0755-26718899转8012"]);
        assert_eq!(found("分机010-59876543-8021"), ["010-59876543-8021"]);
        assert_eq!(found("(020) 8765 4321"), ["(020) 8765 4321"]);
    }

    #[test]
    fn english_numbers() {
        assert_eq!(found("call (555) 010-4477 now"), ["(555) 010-4477"]);
        assert_eq!(found("on +1 555 013 2290."), ["+1 555 013 2290"]);
        assert!(found("on +44 20 7946 0958").contains(&"+44 20 7946 0958"));
    }

    #[test]
    fn not_phones() {
        assert!(found("热线400-820-8820").is_empty());
        assert!(found("call 1-800-555-0199").is_empty());
        assert!(found("日期2024-05-06 14:30").is_empty());
        assert!(found("金额¥1,234.56").is_empty());
        assert!(found("订单号13912345678").is_empty());
        assert!(found("139123456789").is_empty());
        assert!(found("SF13912345678").is_empty());
        assert!(found("宽带账号051288776655").is_empty());
        assert_eq!(found("支付宝账号是13812345678"), ["13812345678"], "an account that is a mobile number");
    }
}
