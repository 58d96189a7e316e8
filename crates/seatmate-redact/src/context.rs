//! What surrounds a candidate: digit-run boundaries, amounts, and the words just before it
//! ("订单号", "order number") that say a number is not personal data.

use regex::Regex;

/// Compiles a pattern written in this crate.
#[allow(clippy::expect_used, reason = "the patterns are constants; every test compiles them all")]
pub(crate) fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in pattern compiles")
}

/// Every match of `re` in `text` that `accept` keeps, left to right and non-overlapping. A rejected
/// match does not hide the matches that start inside it: the search resumes one character later.
pub(crate) fn matches(re: &Regex, text: &str, mut accept: impl FnMut(usize, usize) -> bool) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(m) = re.find_at(text, at) {
        if m.start() < m.end() && accept(m.start(), m.end()) {
            found.push((m.start(), m.end()));
            at = m.end();
        } else {
            at = next_boundary(text, m.start());
        }
        if at >= text.len() {
            break;
        }
    }
    found
}

pub(crate) fn next_boundary(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(text.len(), |c| at + c.len_utf8())
}

pub(crate) fn char_before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

pub(crate) fn char_after(text: &str, at: usize) -> Option<char> {
    text[at..].chars().next()
}

/// Whether the number `text[start..end]` stands alone: not glued to letters or digits (order
/// numbers, tracking numbers, longer digit runs), not continued by more digit groups in its own
/// grouping style, not an amount (`¥`, `$`, `元` around it).
pub(crate) fn standalone_number(text: &str, start: usize, end: usize) -> bool {
    let candidate = &text[start..end];
    let mut before = text[..start].chars().rev();
    let mut after = text[end..].chars();
    let (b1, b2) = (before.next(), before.next());
    let (a1, a2) = (after.next(), after.next());
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@');
    if glued(b1) || glued(a1) {
        return false;
    }
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    let continues = |sep: Option<char>, next: Option<char>| match sep {
        Some('-' | '.') => digit(next),
        Some(' ') => digit(next) && candidate.contains(' '),
        _ => false,
    };
    if continues(b1, b2) || continues(a1, a2) {
        return false;
    }
    if matches!(b1, Some('¥' | '$' | '€' | '£' | '￥')) {
        return false;
    }
    let rest = &text[end..];
    !["元", "块", "塊", "万", "萬", "美元", "%", "RMB", "rmb"].iter().any(|unit| rest.trim_start().starts_with(unit))
}

/// Words before a number that make it an order, tracking, contract or verification number.
const NOT_PERSONAL_ZH: &[&str] = &[
    "订单",
    "訂單",
    "单号",
    "單號",
    "编号",
    "編號",
    "流水",
    "工单",
    "工單",
    "工号",
    "工號",
    "型号",
    "型號",
    "序列号",
    "序號",
    "合同",
    "发票",
    "發票",
    "宽带",
    "寬頻",
    "密码",
    "密碼",
    "验证码",
    "驗證碼",
    "充值",
    "快递",
    "快遞",
    "物流",
    "运单",
    "運單",
    "税号",
    "稅號",
    "批次",
    "条码",
    "條碼",
];
const NOT_PERSONAL_EN: &[&str] = &[
    "order",
    "tracking",
    "reference",
    "ref",
    "invoice",
    "serial",
    "case",
    "ticket",
    "model",
    "sku",
    "imei",
    "password",
    "code",
    "pin",
    "confirmation",
    "booking",
    "transaction",
    "parcel",
    "shipment",
    "contract",
];
/// Words that make a number an account or member number: not personal unless it has the shape of
/// a mobile number, which is what many accounts are (`支付宝账号是138…`, `微信号138…`).
const ACCOUNT_ZH: &[&str] = &["账号", "帳號", "账户", "帳戶", "会员", "會員", "微信", "积分", "積分"];
const ACCOUNT_EN: &[&str] = &["account", "member", "membership", "qq", "wechat", "loyalty"];
/// Words that say the number that follows is personal after all ("银行账号", "订单联系电话").
const PERSONAL_ZH: &[&str] = &[
    "手机",
    "手機",
    "电话",
    "電話",
    "银行",
    "銀行",
    "信用卡",
    "储蓄卡",
    "儲蓄卡",
    "借记卡",
    "借記卡",
    "身份证",
    "身份證",
    "身分證",
    "证件",
    "證件",
    "联系",
    "聯絡",
    "联络",
];
const PERSONAL_EN: &[&str] = &["phone", "mobile", "cell", "tel", "call", "card", "bank", "whatsapp", "contact"];

/// The clause before `at`, at most `chars` characters, stopping at punctuation that ends a clause.
pub(crate) fn clause_before(text: &str, at: usize, chars: usize) -> &str {
    let mut start = at;
    for (i, c) in text[..at].char_indices().rev().take(chars) {
        if matches!(c, ',' | '，' | '。' | ';' | '；' | '!' | '！' | '?' | '？' | '\n' | '、') {
            break;
        }
        start = i;
    }
    &text[start..at]
}

fn english_words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_ascii_lowercase)
}

/// Whether the words just before `at` say the number there is not personal data: an order,
/// tracking or verification number, or an account number (see [`not_personal_unless_mobile`]).
pub(crate) fn not_personal_context(text: &str, at: usize) -> bool {
    not_personal_unless_mobile(text, at) || cue_words(text, at, ACCOUNT_ZH, ACCOUNT_EN)
}

/// Like [`not_personal_context`], for numbers shaped like mobile numbers: account and member
/// numbers of that shape are the customer's phone number.
pub(crate) fn not_personal_unless_mobile(text: &str, at: usize) -> bool {
    cue_words(text, at, NOT_PERSONAL_ZH, NOT_PERSONAL_EN)
}

/// Whether the clause before `at` holds one of the words given and none of the words that say the
/// number is personal after all.
fn cue_words(text: &str, at: usize, zh: &[&str], en: &[&str]) -> bool {
    // Chinese words within 12 characters, English ones within 32 (whole words only)
    let near = clause_before(text, at, 12);
    let far = clause_before(text, at, 32);
    let far = if char_before(text, at - far.len()).is_some_and(|c| c.is_ascii_alphanumeric()) {
        far.trim_start_matches(|c: char| c.is_ascii_alphanumeric())
    } else {
        far
    };
    let said =
        |zh: &[&str], en: &[&str]| zh.iter().any(|w| near.contains(w)) || english_words(far).any(|w| en.contains(&w.as_str()));
    said(zh, en) && !said(PERSONAL_ZH, PERSONAL_EN)
}

/// Whether the words just before `at` speak of a phone number.
pub(crate) fn phone_context(text: &str, at: usize) -> bool {
    let clause = clause_before(text, at, 16);
    ["手机", "手機", "电话", "電話", "联系", "聯絡", "联络", "号码", "號碼", "致电", "致電", "打"]
        .iter()
        .any(|w| clause.contains(w))
        || english_words(clause).any(|w| ["phone", "mobile", "cell", "tel", "call", "whatsapp", "number"].contains(&w.as_str()))
}

/// The ASCII digits of `s`.
pub(crate) fn ascii_digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standalone_numbers() {
        let ok = |t: &str, n: &str| {
            let s = t.find(n).unwrap();
            standalone_number(t, s, s + n.len())
        };
        assert!(ok("手机13912345678，谢谢", "13912345678"));
        assert!(!ok("SF13912345678", "13912345678"));
        assert!(!ok("139123456789", "13912345678"));
        assert!(!ok("¥13912345678", "13912345678"));
        assert!(!ok("13912345678 元", "13912345678"));
        assert!(!ok("6222 0212 3456 7890 1234", "6222 0212 3456 7890"));
        assert!(ok("卡号 6222021234567890 1张", "6222021234567890"));
        assert!(ok("call 555-123-4567.", "555-123-4567"));
    }

    #[test]
    fn context_words() {
        let t = "订单号是6222021234567890";
        assert!(not_personal_context(t, t.find('6').unwrap()));
        let t = "银行账号6222021234567890";
        assert!(!not_personal_context(t, t.find('6').unwrap()));
        let t = "订单号123，手机13912345678";
        assert!(!not_personal_context(t, t.find("139").unwrap()));
        let t = "The invoice number is 5105105105105100";
        assert!(not_personal_context(t, t.find('5').unwrap()), "a whole word further back");
        let t = "支付宝账号是13812345678";
        assert!(not_personal_context(t, t.find('1').unwrap()) && !not_personal_unless_mobile(t, t.find('1').unwrap()));
        let t = "I'd prefer 4111 1111 1111 1111";
        assert!(!not_personal_context(t, t.find('4').unwrap()), "'ref' inside 'prefer' is no cue");
    }
}
