//! Check digits and dates: what turns "a run of digits" into "an ID number" or "a card number".

/// ISO 7064 MOD 11-2 weights of the first 17 digits of a resident ID number.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [u8; 11] = *b"10X98765432";

/// First two digits of mainland resident ID numbers: provinces, plus 71/81/82/83 (Taiwan, Hong Kong,
/// Macao residents) and 91 (foreigners' permanent residence cards of the old scheme).
const PROVINCES: &[u32] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65,
    71, 81, 82, 83, 91,
];

/// The digits of `s` as numbers, or `None` when `s` holds anything else.
fn digits(s: &str) -> Option<Vec<u32>> {
    s.chars().map(|c| c.to_digit(10)).collect()
}

/// The check character (`0`-`9` or `X`) of the first 17 digits of a resident ID number.
pub(crate) fn id_check_char(first17: &str) -> Option<char> {
    let d = digits(first17)?;
    if d.len() != 17 {
        return None;
    }
    let sum: u32 = d.iter().zip(ID_WEIGHTS).map(|(d, w)| d * w).sum();
    Some(ID_CHECK[(sum % 11) as usize] as char)
}

fn plausible_province(code: &str) -> bool {
    code.parse::<u32>().is_ok_and(|p| PROVINCES.contains(&p))
}

/// A valid calendar date, years 1900-2099.
pub(crate) fn plausible_date(year: u32, month: u32, day: u32) -> bool {
    if !(1900..=2099).contains(&year) || !(1..=12).contains(&month) || day == 0 {
        return false;
    }
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    day <= days
}

fn number(s: &str) -> Option<u32> {
    s.parse().ok()
}

/// An 18-character resident ID number (17 digits and a MOD 11-2 check character, `x` accepted for
/// `X`) with a known province code and a plausible birth date.
pub(crate) fn valid_id18(id: &str) -> bool {
    if id.len() != 18 || !id.is_ascii() {
        return false;
    }
    let (body, check) = id.split_at(17);
    let Some(expected) = id_check_char(body) else { return false };
    check.eq_ignore_ascii_case(&expected.to_string()) && plausible_province(&id[..2]) && id18_date(id)
}

/// 18 digits shaped like an ID number (province and birth date) whatever the check digit says: a
/// mistyped ID or an order number, but not a card number.
pub(crate) fn id18_shaped(id: &str) -> bool {
    id.len() == 18 && id.is_ascii() && digits(&id[..17]).is_some() && plausible_province(&id[..2]) && id18_date(id)
}

fn id18_date(id: &str) -> bool {
    match (number(&id[6..10]), number(&id[10..12]), number(&id[12..14])) {
        (Some(y), Some(m), Some(d)) => plausible_date(y, m, d),
        _ => false,
    }
}

/// The 15-digit resident ID number issued before 1999: province, area, `YYMMDD` (19YY), sequence.
pub(crate) fn valid_id15(id: &str) -> bool {
    if id.len() != 15 || digits(id).is_none() || !plausible_province(&id[..2]) {
        return false;
    }
    match (number(&id[6..8]), number(&id[8..10]), number(&id[10..12])) {
        (Some(y), Some(m), Some(d)) => plausible_date(1900 + y, m, d),
        _ => false,
    }
}

/// Taiwan national ID: a letter, 1 or 2 (sex), eight digits, the last a check digit.
pub(crate) fn valid_taiwan_id(id: &str) -> bool {
    let mut chars = id.chars();
    let Some(letter) = chars.next() else { return false };
    let Some(code) = "ABCDEFGHJKLMNPQRSTUVXYWZIO".find(letter).map(|i| i as u32 + 10) else { return false };
    let Some(d) = digits(chars.as_str()) else { return false };
    if d.len() != 9 || !matches!(d[0], 1 | 2) {
        return false;
    }
    let weights = [8, 7, 6, 5, 4, 3, 2, 1, 1];
    let sum = code / 10 + (code % 10) * 9 + d.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>();
    sum % 10 == 0
}

/// Hong Kong identity card number: one or two letters, six digits, a MOD 11 check character
/// (`0`-`9` or `A`), with or without the parentheses it is usually printed in.
pub(crate) fn valid_hong_kong_id(id: &str) -> bool {
    let compact: Vec<char> = id.chars().filter(|c| !matches!(c, '(' | ')')).collect();
    let n = compact.len();
    if !(8..=9).contains(&n) {
        return false;
    }
    let (letters, rest) = compact.split_at(n - 7);
    if !letters.iter().all(char::is_ascii_uppercase) || !rest[..6].iter().all(char::is_ascii_digit) {
        return false;
    }
    let value = |c: char| if c.is_ascii_digit() { c as u32 - '0' as u32 } else { c as u32 - 'A' as u32 + 10 };
    let mut values: Vec<u32> = letters.iter().map(|&c| value(c)).collect();
    if values.len() == 1 {
        values.insert(0, 36);
    }
    values.extend(rest[..6].iter().map(|&c| value(c)));
    let sum: u32 = values.iter().zip([9, 8, 7, 6, 5, 4, 3, 2]).map(|(v, w)| v * w).sum();
    let check = match (11 - sum % 11) % 11 {
        10 => 'A',
        c => char::from_digit(c, 10).unwrap_or('?'),
    };
    rest[6] == check
}

/// The Luhn (MOD 10) check of card numbers; `digits` holds ASCII digits only.
pub(crate) fn luhn(digits: &str) -> bool {
    let mut sum = 0;
    for (i, c) in digits.chars().rev().enumerate() {
        let Some(mut d) = c.to_digit(10) else { return false };
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum % 10 == 0
}

/// Issuer prefixes of payment cards seen in Chinese and English contact centres: UnionPay and
/// Discover (6), Visa (4), Mastercard (51-55, 2221-2720), American Express, JCB and Diners (3).
pub(crate) fn card_issuer_prefix(digits: &str) -> bool {
    match digits.as_bytes().first() {
        Some(b'3' | b'4' | b'5' | b'6') => !digits.starts_with("50") || digits.len() >= 16,
        Some(b'2') => digits.get(..4).and_then(|p| p.parse::<u32>().ok()).is_some_and(|p| (2221..=2720).contains(&p)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_check_digits() {
        // computed by hand: 11010519491231002 -> X
        assert_eq!(id_check_char("11010519491231002"), Some('X'));
        assert!(valid_id18("11010519491231002X"));
        assert!(valid_id18("11010519491231002x"));
        assert!(!valid_id18("110105194912310021"), "wrong check digit");
        assert!(!valid_id18("11010519491331002X"), "month 13");
        assert!(!valid_id18("99010519491231002X"), "no province 99");
        assert!(valid_id18("440106195502031041"));
        assert!(!valid_id18("440106195502031042"));
        assert!(id18_shaped("440106195502031042"));
        assert!(!id18_shaped("202405061234567890"));
    }

    #[test]
    fn old_fifteen_digit_ids() {
        assert!(valid_id15("510107731026969"));
        assert!(!valid_id15("510107731326969"), "month 13");
        assert!(!valid_id15("773012345678901"), "no province 77");
    }

    #[test]
    fn dates() {
        assert!(plausible_date(2000, 2, 29));
        assert!(!plausible_date(1900, 2, 29));
        assert!(!plausible_date(2023, 4, 31));
        assert!(!plausible_date(1899, 1, 1));
        assert!(!plausible_date(2100, 1, 1));
    }

    #[test]
    fn luhn_check() {
        assert!(luhn("4111111111111111"));
        assert!(luhn("5555555555554444"));
        assert!(luhn("378282246310005"));
        assert!(!luhn("4111111111111112"));
        assert!(!luhn(""));
        assert!(!luhn("41111x1111111111"));
    }

    #[test]
    fn issuer_prefixes() {
        assert!(card_issuer_prefix("6222021234567890"));
        assert!(card_issuer_prefix("2221000000000009"));
        assert!(!card_issuer_prefix("2024050612345678"));
        assert!(!card_issuer_prefix("8825336100947712"));
    }

    #[test]
    fn taiwan_and_hong_kong_ids() {
        assert!(valid_taiwan_id("A123456789"));
        assert!(!valid_taiwan_id("A123456788"));
        assert!(!valid_taiwan_id("A323456789"), "second digit is the sex, 1 or 2");
        assert!(valid_hong_kong_id("A123456(3)"));
        assert!(valid_hong_kong_id("A1234563"));
        assert!(!valid_hong_kong_id("A123456(4)"));
    }
}
