use proptest::prelude::*;
use seatmate_text::{features, is_han, normalize, sub_words, tokens, FeatureConfig, TokenKind};

fn config() -> ProptestConfig {
    ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(256) }
}

/// Traditional characters and their Simplified forms.
const TRADITIONAL_SIMPLIFIED: &[(char, char)] = &[
    ('機', '机'),
    ('號', '号'),
    ('沒', '没'),
    ('寬', '宽'),
    ('頻', '频'),
    ('斷', '断'),
    ('線', '线'),
    ('網', '网'),
    ('帳', '帐'),
    ('單', '单'),
    ('費', '费'),
    ('話', '话'),
    ('開', '开'),
    ('遊', '游'),
    ('國', '国'),
    ('際', '际'),
    ('電', '电'),
    ('請', '请'),
    ('問', '问'),
    ('麼', '么'),
    ('辦', '办'),
    ('務', '务'),
    ('戶', '户'),
    ('錢', '钱'),
    ('說', '说'),
    ('時', '时'),
    ('間', '间'),
    ('這', '这'),
    ('們', '们'),
    ('會', '会'),
    ('來', '来'),
    ('過', '过'),
    ('還', '还'),
    ('買', '买'),
    ('賣', '卖'),
    ('價', '价'),
    ('業', '业'),
    ('訂', '订'),
    ('碼', '码'),
    ('動', '动'),
    ('車', '车'),
    ('門', '门'),
    ('書', '书'),
    ('長', '长'),
    ('東', '东'),
    ('馬', '马'),
    ('魚', '鱼'),
    ('龍', '龙'),
];

/// Characters shared by both scripts, and separators, so generated texts read like sentences.
const SHARED: &[char] = &['我', '的', '手', '了', '不', '在', '是', '有', '人', '上', '下', '，', '。', '？', ' ', '5', 'g'];

/// Long dictionary words, which have shorter words inside ([`sub_words`]).
const COMPOUNDS: &[&str] = &["国际漫游", "中华人民共和国", "身份证号码", "移动电话", "信用卡", "宽带故障", "手機號碼"];

/// Text that mixes every script and width the pipeline folds, plus arbitrary characters.
fn any_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        3 => any::<char>().prop_map(String::from),
        2 => "[a-zA-Z0-9 '.,!?-]{1,8}",
        2 => "[\u{4e00}-\u{9fff}]{1,6}",
        1 => "[\u{ff01}-\u{ff5e}\u{3000}]{1,6}",
        1 => "[\u{0300}-\u{036f}\u{1100}-\u{11ff}\u{fb00}-\u{fb06}\u{2100}-\u{217f}\u{f900}-\u{faff}\u{1d400}-\u{1d7ff}]{1,4}",
        1 => prop::sample::select(TRADITIONAL_SIMPLIFIED).prop_map(|(t, _)| t.to_string()),
        1 => prop::sample::select(COMPOUNDS).prop_map(str::to_string),
    ];
    prop::collection::vec(pieces, 0..12).prop_map(|p| p.concat())
}

/// The same sentence written in Traditional and in Simplified characters.
fn both_scripts() -> impl Strategy<Value = (String, String)> {
    let unit = prop_oneof![
        3 => prop::sample::select(TRADITIONAL_SIMPLIFIED).prop_map(|(t, s)| (t, s)),
        1 => prop::sample::select(SHARED).prop_map(|c| (c, c)),
    ];
    prop::collection::vec(unit, 1..24).prop_map(|units| units.into_iter().unzip())
}

/// A printable ASCII text and its full-width form (U+FF01…U+FF5E, U+3000 for the space).
fn both_widths() -> impl Strategy<Value = (String, String)> {
    "[ -~]{1,40}".prop_map(|half: String| {
        let full = half.chars().map(|c| if c == ' ' { '\u{3000}' } else { char::from_u32(c as u32 + 0xFEE0).unwrap() }).collect();
        (half, full)
    })
}

fn feature_config() -> impl Strategy<Value = FeatureConfig> {
    (0usize..4, 0usize..5, 0usize..5, 0usize..7, 0usize..7).prop_map(|(word_ngrams, a, b, c, d)| FeatureConfig {
        word_ngrams,
        han_chars: (a, b),
        word_chars: (c, d),
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn never_panics_and_features_are_well_formed(text in any_text(), config in feature_config()) {
        let normalized = normalize(&text);
        for token in tokens(&normalized) {
            prop_assert!(!token.text.is_empty());
            if token.kind == TokenKind::Han {
                for (offset, part) in sub_words(&token.text) {
                    prop_assert!(token.text.is_char_boundary(offset), "{offset} in {:?}", token.text);
                    prop_assert!(token.text[offset..].starts_with(&part), "{part:?} at {offset} of {:?}", token.text);
                }
            }
        }
        for feature in features(&text, &config) {
            let body = ["w:", "b:", "h:", "c:"].iter().find_map(|p| feature.strip_prefix(p));
            prop_assert!(body.is_some_and(|b| !b.is_empty()), "{feature:?}");
        }
    }

    #[test]
    fn normalisation_is_idempotent(text in any_text()) {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once);
    }

    #[test]
    fn tokens_lie_inside_the_text_in_order(text in any_text()) {
        let normalized = normalize(&text);
        let mut rest = normalized.as_str();
        for token in tokens(&normalized) {
            let at = rest.find(&token.text);
            prop_assert!(at.is_some(), "{:?} is not in what follows the previous token: {rest:?}", token.text);
            rest = &rest[at.unwrap_or(0) + token.text.len()..];
            match token.kind {
                TokenKind::Han => prop_assert!(token.text.chars().all(is_han), "{:?}", token.text),
                TokenKind::Number => prop_assert!(token.text.chars().all(|c| c.is_ascii_digit()), "{:?}", token.text),
                TokenKind::Word => prop_assert!(token.text.chars().all(char::is_alphanumeric), "{:?}", token.text),
            }
        }
    }

    #[test]
    fn traditional_and_simplified_give_the_same_features((traditional, simplified) in both_scripts()) {
        prop_assert_eq!(normalize(&traditional), normalize(&simplified));
        let config = FeatureConfig::default();
        prop_assert_eq!(features(&traditional, &config), features(&simplified, &config));
    }

    #[test]
    fn full_and_half_width_and_case_fold_alike((half, full) in both_widths()) {
        let config = FeatureConfig::default();
        prop_assert_eq!(normalize(&full), normalize(&half));
        prop_assert_eq!(features(&full, &config), features(&half, &config));
        prop_assert_eq!(features(&half.to_uppercase(), &config), features(&half.to_lowercase(), &config));
    }
}

#[test]
fn lower_case_that_undoes_nfkc_is_folded_again() {
    // Found by normalisation_is_idempotent.
    assert_eq!(normalize("Ω\u{342}"), "\u{1ff6}");
    assert_eq!(normalize("\u{1ff6}"), "\u{1ff6}");
}

#[test]
fn the_script_table_really_differs() {
    // Otherwise the Traditional/Simplified property would hold trivially.
    assert!(TRADITIONAL_SIMPLIFIED.iter().all(|(t, s)| t != s));
    let traditional: String = TRADITIONAL_SIMPLIFIED.iter().map(|(t, _)| *t).collect();
    assert_ne!(traditional, TRADITIONAL_SIMPLIFIED.iter().map(|(_, s)| *s).collect::<String>());
}
