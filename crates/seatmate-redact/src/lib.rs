//! Finds and masks personal data in contact-centre text: Chinese (Simplified and Traditional),
//! English and the two mixed, half- or full-width.
//!
//! Six kinds ([`Kind`]): identity card numbers, phone numbers, bank card numbers, e-mail addresses,
//! postal addresses and personal names. Numbers are recognised by their shape *and* their checks
//! (the ID check character and birth date, Luhn and issuer prefix for cards), never glued to a
//! longer run of digits or letters, and not after words that make them something else (`订单号`,
//! "order number", `¥`). Addresses and names are taken only where the shape or a cue is
//! unmistakable: precision matters more than recall there. Each kind is one module.
//!
//! [`find`] gives byte spans into the text as given; [`mask`] replaces them by placeholders:
//!
//! | kind        | placeholder    | why                                                         |
//! |-------------|----------------|-------------------------------------------------------------|
//! | `id_number` | `[ID]`         |                                                             |
//! | `phone`     | `[PHONE-5678]` | last four digits kept, so the agent can still confirm "尾号5678" |
//! | `bank_card` | `[CARD-1234]`  | last four digits kept, as on receipts and in banking apps   |
//! | `email`     | `[EMAIL]`      |                                                             |
//! | `address`   | `[ADDRESS]`    |                                                             |
//! | `name`      | `[NAME]`       | only the name: `张伟先生` becomes `[NAME]先生`              |
//!
//! Placeholders are ASCII and language-neutral, so the same masked text reads in any UI language,
//! and nothing in them is ever detected again: masking is idempotent.
//!
//! Invariant: pure functions of the text. No I/O, no clock, no state beyond compiled patterns.
//!
//! Labelling conventions (what a span covers, as in `fixtures/*.jsonl`): a phone number with its
//! country code, area-code parentheses and extension (`0755-26718899转8012`); an ID or card number
//! with its separators; a Chinese address from the first character of its highest administrative
//! unit (or its road, when it has none) to its last house, building, unit or room number, without
//! the words leading into it (`寄到`, `地址是`); an English address from the house number through
//! the apartment, city, state and ZIP code; a name without cue or title. Service hotlines
//! (400/800, toll-free), a surname with a title (`王先生`), nicknames (`小李`) and partial numbers
//! ("card ending in 4242") are not personal data here.

mod address;
mod card;
mod checks;
mod context;
mod email;
mod eval;
mod id;
mod name;
mod normalise;
mod phone;
mod policy;

use serde::{Deserialize, Serialize};

pub use eval::{disagreements, evaluate, evaluate_with, parse_fixture, Disagreement, Example, KindScore, LabelledSpan, Report};
pub use policy::{mask_conversation, mask_ticket, Policy, POLICY_SETTING};

use normalise::Normalised;

/// A kind of personal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    IdNumber,
    Phone,
    BankCard,
    Email,
    Address,
    Name,
}

impl Kind {
    pub const ALL: [Kind; 6] = [Kind::IdNumber, Kind::Phone, Kind::BankCard, Kind::Email, Kind::Address, Kind::Name];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::IdNumber => "id_number",
            Kind::Phone => "phone",
            Kind::BankCard => "bank_card",
            Kind::Email => "email",
            Kind::Address => "address",
            Kind::Name => "name",
        }
    }

    /// When two detections overlap, the kind found first in this order wins: an e-mail address
    /// holds digits, an ID number could pass as a card number, a card number never as a phone.
    fn precedence(self) -> u8 {
        match self {
            Kind::Email => 0,
            Kind::IdNumber => 1,
            Kind::BankCard => 2,
            Kind::Phone => 3,
            Kind::Address => 4,
            Kind::Name => 5,
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Personal data at `start..end`, byte offsets into the text given to [`find`], on char boundaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// A detector: byte ranges in normalised text, possibly overlapping each other.
type Detector = fn(&str) -> Vec<(usize, usize)>;

/// The personal data in `text`: sorted, non-overlapping.
pub fn find(text: &str) -> Vec<Span> {
    let normalised = Normalised::new(text);
    let n = normalised.text.as_str();
    let detectors: [(Kind, Detector); 6] = [
        (Kind::Email, email::find),
        (Kind::IdNumber, id::find),
        (Kind::BankCard, card::find),
        (Kind::Phone, phone::find),
        (Kind::Address, address::find),
        (Kind::Name, name::find),
    ];
    let mut candidates: Vec<Span> = detectors
        .iter()
        .flat_map(|(kind, detect)| detect(n).into_iter().map(|(start, end)| Span { kind: *kind, start, end }))
        .collect();
    // by kind precedence, then longest first (`+86 139…` over `139…`)
    candidates.sort_by_key(|s| (s.kind.precedence(), std::cmp::Reverse(s.end - s.start), s.start));
    let mut chosen: Vec<Span> = Vec::new();
    for c in candidates {
        if chosen.iter().all(|k| c.end <= k.start || c.start >= k.end) {
            chosen.push(c);
        }
    }
    chosen.sort_by_key(|s| s.start);
    chosen
        .into_iter()
        .map(|s| {
            let (start, end) = normalised.original(s.start, s.end);
            Span { kind: s.kind, start, end }
        })
        .collect()
}

/// `text` with its personal data replaced by placeholders (see the crate documentation).
///
/// Idempotent: `mask(&mask(x)) == mask(x)`. One pass leaves nothing to find in practice (the tests
/// check it on every fixture); should masking ever expose a new match (a neighbour that was glued
/// to a masked number), it is masked too, so the result never holds anything [`find`] finds.
pub fn mask(text: &str) -> String {
    let mut masked = mask_once(text);
    // each pass replaces detected characters by placeholders, which are never detected, so this
    // ends; the bound is a guard, not a limit ever reached
    for _ in 0..8 {
        let again = mask_once(&masked);
        if again == masked {
            break;
        }
        masked = again;
    }
    masked
}

fn mask_once(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in find(text) {
        out.push_str(&text[at..span.start]);
        out.push_str(&placeholder(span.kind, &text[span.start..span.end]));
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

fn placeholder(kind: Kind, found: &str) -> String {
    let last4 = || {
        let digits: Vec<char> = found.chars().map(normalise::fold).filter(char::is_ascii_digit).collect();
        digits[digits.len().saturating_sub(4)..].iter().collect::<String>()
    };
    match kind {
        Kind::IdNumber => "[ID]".to_string(),
        Kind::Phone => format!("[PHONE-{}]", last4()),
        Kind::BankCard => format!("[CARD-{}]", last4()),
        Kind::Email => "[EMAIL]".to_string(),
        Kind::Address => "[ADDRESS]".to_string(),
        Kind::Name => "[NAME]".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expect` is `text` masked.
    #[track_caller]
    fn check(text: &str, expect: &str) {
        assert_eq!(mask(text), expect, "{:?}", find(text));
        assert_eq!(mask(expect), expect, "masking is idempotent");
    }

    #[test]
    fn masks_each_kind() {
        check("我的手机号是13912345678，谢谢", "我的手机号是[PHONE-5678]，谢谢");
        check("身份证11010519491231002X。", "身份证[ID]。");
        check("卡号 4111 1111 1111 1111", "卡号 [CARD-1111]");
        check("发到zhang.wei88@example.com就行", "发到[EMAIL]就行");
        check("地址：北京市朝阳区建国路88号，放门卫", "地址：[ADDRESS]，放门卫");
        check("您好，张伟先生", "您好，[NAME]先生");
        check("我是王先生", "我是王先生");
        check("Thank you, Mr. Thompson.", "Thank you, Mr. [NAME].");
        check("Call me on (555) 010-4477 or mail j.smith@example.net", "Call me on [PHONE-4477] or mail [EMAIL]");
    }

    #[test]
    fn leaves_hard_negatives() {
        for text in [
            "订单号是202405061234567890，您核对一下",
            "这个编号110105194912310021是工单号",
            "会员卡号6222021234567891",
            "我是2024-05-06下单的，14:30到",
            "这笔订单金额是¥1,234.56",
            "你们市场部的电话？有什么区别？路由器坏了",
            "请拨打客服热线400-820-8820",
            "The tracking number is 1Z999AA10123456784.",
        ] {
            check(text, text);
        }
    }

    #[test]
    fn full_width_offsets_point_into_the_original() {
        let text = "手机号：１３９１２３４５６７８，身份证１１０１０５１９４９１２３１００２Ｘ";
        let spans = find(text);
        let found: Vec<(Kind, &str)> = spans.iter().map(|s| (s.kind, &text[s.start..s.end])).collect();
        assert_eq!(found, [(Kind::Phone, "１３９１２３４５６７８"), (Kind::IdNumber, "１１０１０５１９４９１２３１００２Ｘ")]);
        assert_eq!(mask(text), "手机号：[PHONE-5678]，身份证[ID]");
    }

    #[test]
    fn spans_are_sorted_and_disjoint() {
        let text = "联系人：赵海涛，电话0571-87654321，邮箱zhao@example.com，地址上海市浦东新区世纪大道100号";
        let spans = find(text);
        assert_eq!(spans.iter().map(|s| s.kind).collect::<Vec<_>>(), [Kind::Name, Kind::Phone, Kind::Email, Kind::Address]);
        assert!(spans.windows(2).all(|w| w[0].end <= w[1].start));
    }

    #[test]
    fn kinds_read_and_write_snake_case() {
        for kind in Kind::ALL {
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.as_str()));
            assert_eq!(serde_json::from_str::<Kind>(&format!("\"{kind}\"")).unwrap(), kind);
        }
    }
}
