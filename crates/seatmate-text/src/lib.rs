//! The one text pipeline every Seatmate engine uses, so that search, classification, emotion and
//! rules see the same words: Unicode NFKC (full-width → half-width), lower case, Traditional →
//! Simplified folding, Chinese word segmentation (jieba) beside English words, and n-gram features.
//!
//! Invariant: pure functions of the text; no labels, storage, clock or I/O.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Simplified characters written for one another in contact-centre words, folded to one
/// (Taiwan's 帳單 becomes 帐单 character by character, the mainland writes 账单).
const VARIANTS: &[(char, char)] = &[('帐', '账')];

/// Folds a text to the form every engine compares: NFKC, lower case, Simplified Chinese, one
/// form of common variant characters. Idempotent: a folded text folds to itself.
pub fn normalize(text: &str) -> String {
    let mut folded: String = text.nfkc().flat_map(char::to_lowercase).collect();
    // Lower case can undo NFKC: `Ω` + U+0342 has no composed form, `ω` + U+0342 composes to `ῶ`.
    if is_nfkc_quick(folded.chars()) != IsNormalized::Yes {
        folded = folded.nfkc().collect();
    }
    let simplified = fast2s::convert(&folded);
    if simplified.chars().any(|c| VARIANTS.iter().any(|(from, _)| *from == c)) {
        simplified.chars().map(|c| VARIANTS.iter().find(|(from, _)| *from == c).map_or(c, |(_, to)| *to)).collect()
    } else {
        simplified
    }
}

/// Each Simplified character's Traditional forms, the reverse of `fast2s`'s table, built once from
/// the BMP's Han blocks (the only characters `fast2s` converts).
fn traditional_forms() -> &'static HashMap<char, Vec<char>> {
    static FORMS: OnceLock<HashMap<char, Vec<char>>> = OnceLock::new();
    FORMS.get_or_init(|| {
        let mut forms: HashMap<char, Vec<char>> = HashMap::new();
        let blocks = (0x3400..=0x4DBF).chain(0x4E00..=0x9FFF).chain(0xF900..=0xFAFF);
        for traditional in blocks.filter_map(char::from_u32) {
            let simplified = fast2s::convert(traditional.encode_utf8(&mut [0; 4]));
            let mut chars = simplified.chars();
            if let (Some(s), None) = (chars.next(), chars.next()) {
                if s != traditional {
                    forms.entry(s).or_default().push(traditional);
                }
            }
        }
        forms
    })
}

/// The ways a search text may be written in stored text that is not folded: as typed, in
/// Simplified, in Traditional, and in mixes of each character's Traditional forms up to `limit`
/// spellings in all (the first three are always there). `漫游` and `漫遊` give both.
pub fn han_spellings(text: &str, limit: usize) -> Vec<String> {
    let simplified = fast2s::convert(text);
    let forms_of = |c: &char| traditional_forms().get(c).map_or(&[][..], Vec::as_slice);
    let traditional: String = simplified.chars().map(|c| forms_of(&c).first().copied().unwrap_or(c)).collect();
    let mut spellings = vec![text.to_string()];
    for spelling in [simplified.clone(), traditional] {
        if !spellings.contains(&spelling) {
            spellings.push(spelling);
        }
    }
    // every mix of each character's forms, the Simplified one first, until the limit
    let mut partial = vec![String::new()];
    for c in simplified.chars() {
        let forms = forms_of(&c);
        let mut grown = Vec::with_capacity(partial.len() * (forms.len() + 1));
        for prefix in &partial {
            for form in std::iter::once(&c).chain(forms) {
                if grown.len() < limit {
                    grown.push(format!("{prefix}{form}"));
                }
            }
        }
        partial = grown;
    }
    for spelling in partial {
        if spellings.len() >= limit {
            break;
        }
        if !spellings.contains(&spelling) {
            spellings.push(spelling);
        }
    }
    spellings
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A Chinese (Han) word from the segmenter.
    Han,
    /// A word of letters, possibly with digits (`5g`, `wifi`).
    Word,
    Number,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub kind: TokenKind,
}

/// True for characters of the Han script (CJK ideographs), which are segmented by jieba.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF | 0x30000..=0x3134F)
}

/// How much a text says, for speech rates: Han characters count one each; runs of other letters or digits count one word each.
pub fn spoken_units(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in text.chars() {
        if is_han(c) {
            count += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                count += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    count
}

fn jieba() -> &'static jieba_rs::Jieba {
    static JIEBA: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    JIEBA.get_or_init(jieba_rs::Jieba::new)
}

/// Splits an already normalised text into Chinese words, letter words and numbers; punctuation
/// and spaces separate tokens and are dropped.
pub fn tokens(normalized: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for (run, kind) in runs(normalized) {
        match kind {
            RunKind::Han => out.extend(
                jieba().cut(run, true).into_iter().map(|word| Token { text: word.word.to_string(), kind: TokenKind::Han }),
            ),
            RunKind::Alnum => {
                let kind = if run.chars().all(|c| c.is_ascii_digit()) { TokenKind::Number } else { TokenKind::Word };
                out.push(Token { text: run.to_string(), kind });
            }
        }
    }
    out
}

/// Shorter dictionary words inside a longer Chinese word, with their byte offsets in it, as
/// jieba's search mode finds them (国际漫游 → 国际 at 0, 漫游 at 6): so a search for 漫游 finds
/// 国际漫游. Empty for words of one or two characters.
pub fn sub_words(word: &str) -> Vec<(usize, String)> {
    if word.chars().count() <= 2 {
        return Vec::new();
    }
    jieba()
        .cut_for_search(word, true)
        .into_iter()
        .filter(|t| t.word != word)
        .map(|t| (t.byte_start, t.word.to_string()))
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RunKind {
    Han,
    Alnum,
}

/// Maximal runs of Han characters, and of letters/digits (with inner `'`, `.` in numbers).
fn runs(text: &str) -> Vec<(&str, RunKind)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, RunKind)> = None;
    let classify = |c: char| {
        if is_han(c) {
            Some(RunKind::Han)
        } else if c.is_alphanumeric() {
            Some(RunKind::Alnum)
        } else {
            None
        }
    };
    for (i, c) in text.char_indices() {
        let kind = classify(c);
        match (start, kind) {
            (Some((_, current)), Some(k)) if current == k => {}
            (Some((s, current)), _) => {
                out.push((&text[s..i], current));
                start = kind.map(|k| (i, k));
            }
            (None, Some(k)) => start = Some((i, k)),
            (None, None) => {}
        }
    }
    if let Some((s, kind)) = start {
        out.push((&text[s..], kind));
    }
    out
}

/// Chinese words that carry no topic: pronouns, particles, auxiliaries, courtesy and hedges.
const CHINESE_FILLERS: &[&str] = &[
    "的",
    "了",
    "吗",
    "呢",
    "吧",
    "啊",
    "呀",
    "哦",
    "嗯",
    "哈",
    "啦",
    "么",
    "是",
    "在",
    "有",
    "和",
    "与",
    "及",
    "或",
    "就",
    "都",
    "也",
    "还",
    "又",
    "很",
    "太",
    "会",
    "要",
    "想",
    "能",
    "把",
    "被",
    "让",
    "给",
    "对",
    "从",
    "到",
    "去",
    "来",
    "说",
    "个",
    "些",
    "点",
    "过",
    "着",
    "得",
    "地",
    "没",
    "不",
    "这",
    "那",
    "哪",
    "谁",
    "我",
    "你",
    "您",
    "他",
    "她",
    "它",
    "咱",
    "我们",
    "你们",
    "他们",
    "她们",
    "咱们",
    "我的",
    "你的",
    "自己",
    "这个",
    "那个",
    "这样",
    "那样",
    "这边",
    "那边",
    "一下",
    "一个",
    "一些",
    "什么",
    "怎么",
    "怎么样",
    "为什么",
    "如何",
    "可以",
    "可能",
    "应该",
    "需要",
    "已经",
    "现在",
    "然后",
    "但是",
    "因为",
    "所以",
    "如果",
    "还是",
    "就是",
    "不是",
    "没有",
    "一直",
    "还有",
    "而且",
    "或者",
    "请问",
    "请",
    "麻烦",
    "谢谢",
    "好的",
    "好",
    "您好",
    "你好",
    "嗯嗯",
    "对的",
    "是的",
    "帮",
    "帮我",
    "一点",
    "有点",
    "专门",
    "知道",
    "觉得",
    "怎么办",
    "怎样",
    "怎么回事",
    "是不是",
    "能不能",
    "可不可以",
    "有没有",
    "一样",
    "这么",
    "那么",
    "只有",
    "只是",
    "一般",
    "比较",
    "特别",
    "非常",
    "真的",
    "其实",
    "总是",
    "经常",
    "马上",
    "刚才",
    "之前",
    "以后",
    "时候",
];

/// English words that carry no topic.
const ENGLISH_FILLERS: &[&str] = &[
    "the", "and", "you", "your", "for", "that", "this", "with", "have", "has", "had", "was", "are", "but", "not", "can", "what",
    "when", "there", "they", "them", "its", "from", "just", "been", "will", "would", "could", "should", "about", "yes", "please",
    "thanks", "thank", "hello", "okay", "very", "all", "any", "how", "why", "who", "our", "out", "get", "got", "did", "does",
    "want", "need", "know", "like", "some", "were", "which", "then", "than", "into", "also", "here", "hasn", "don", "doesn",
    "didn", "isn", "wasn", "can't", "i'm", "i've", "i'll", "it's", "let", "sure", "well", "still", "may", "might", "must",
];

/// Whether a folded word (see [`normalize`]) tells a person what a text is about, so it may
/// explain a match or a prediction: Chinese words other than fillers and single characters,
/// letter words of three or more letters other than fillers, and mixed words such as `5g`.
pub fn is_content_word(word: &str) -> bool {
    let word = word.trim();
    if word.is_empty() || word.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    if word.chars().any(is_han) {
        // 我家, 我办, 你这: a pronoun and one more character say who, not what
        let pronoun_pair = word.chars().count() == 2 && word.starts_with(['我', '你', '您', '他', '她', '它', '咱']);
        return word.chars().count() >= 2 && !pronoun_pair && !CHINESE_FILLERS.contains(&word);
    }
    if word.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    word.chars().count() >= 3 && !ENGLISH_FILLERS.contains(&word)
}

/// Which features [`features`] emits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureConfig {
    /// Word n-grams up to this length (1 = words only).
    pub word_ngrams: usize,
    /// Character n-gram lengths inside Han runs.
    pub han_chars: (usize, usize),
    /// Character n-gram lengths inside letter words, with `<` `>` marking the word's edges.
    pub word_chars: (usize, usize),
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig { word_ngrams: 2, han_chars: (1, 3), word_chars: (2, 5) }
    }
}

/// The features of a text, as readable strings (`w:宽带`, `b:宽带 断网`, `h:断网`, `c:<wif`), so a
/// model can explain itself with them. Repeats are kept: counts are term frequencies.
pub fn features(text: &str, config: &FeatureConfig) -> Vec<String> {
    let normalized = normalize(text);
    let tokens = tokens(&normalized);
    let mut out = Vec::with_capacity(tokens.len() * 8);
    for token in &tokens {
        out.push(format!("w:{}", token.text));
    }
    for n in 2..=config.word_ngrams {
        for window in tokens.windows(n) {
            let joined: Vec<&str> = window.iter().map(|t| t.text.as_str()).collect();
            out.push(format!("b:{}", joined.join(" ")));
        }
    }
    for (run, kind) in runs(&normalized) {
        match kind {
            RunKind::Han => char_ngrams(run, config.han_chars, "h:", &mut out),
            RunKind::Alnum if !run.chars().all(|c| c.is_ascii_digit()) => {
                char_ngrams(&format!("<{run}>"), config.word_chars, "c:", &mut out)
            }
            RunKind::Alnum => {}
        }
    }
    out
}

fn char_ngrams(text: &str, (min, max): (usize, usize), prefix: &str, out: &mut Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    for n in min..=max {
        if n == 0 || n > chars.len() {
            continue;
        }
        for window in chars.windows(n) {
            let mut feature = String::with_capacity(prefix.len() + n * 3);
            feature.push_str(prefix);
            feature.extend(window);
            out.push(feature);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokens(&normalize(text)).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn content_words_leave_out_fillers_and_fragments() {
        for word in ["宽带", "测速", "国际漫游", "roaming", "5g", "wifi"] {
            assert!(is_content_word(word), "{word}");
        }
        for word in ["的", "吗", "我", "根", "了", "专门", "一下", "我办", "我家", "只有", "my", "go", "the", "want", "123", " "]
        {
            assert!(!is_content_word(word), "{word}");
        }
    }

    #[test]
    fn variant_characters_fold_to_one() {
        assert_eq!(normalize("帳單"), normalize("账单"));
        assert_eq!(normalize("帐单"), "账单");
    }

    #[test]
    fn normalize_folds_width_case_and_traditional() {
        assert_eq!(normalize("ＡＢＣ１２３"), "abc123");
        assert_eq!(normalize("我的手機沒有信號"), "我的手机没有信号");
        assert_eq!(normalize("寬頻斷線 WiFi"), "宽频断线 wifi");
    }

    #[test]
    fn tokens_segment_chinese_and_keep_english_words() {
        assert_eq!(words("我家宽带断了"), ["我家", "宽带", "断", "了"]);
        assert_eq!(words("My card hasn't arrived!"), ["my", "card", "hasn", "t", "arrived"]);
        assert_eq!(words("我的5G套餐data用完了"), ["我", "的", "5g", "套餐", "data", "用", "完", "了"]);
        assert_eq!(words("我的手機沒有信號"), words("我的手机没有信号"), "traditional and simplified agree");
    }

    #[test]
    fn long_chinese_words_have_searchable_parts() {
        assert_eq!(sub_words("国际漫游"), [(0, "国际".to_string()), (6, "漫游".to_string())]);
        assert!(sub_words("宽带").is_empty());
    }

    #[test]
    fn numbers_are_their_own_kind() {
        let t = tokens(&normalize("充值 100 元"));
        assert_eq!(t[1], Token { text: "100".into(), kind: TokenKind::Number });
    }

    #[test]
    fn features_cover_words_bigrams_and_char_ngrams() {
        let f = features("宽带断了 WiFi", &FeatureConfig::default());
        for expected in ["w:宽带", "b:宽带 断", "h:宽", "h:宽带断", "w:wifi", "c:<w", "c:wifi>"] {
            assert!(f.contains(&expected.to_string()), "{expected} missing from {f:?}");
        }
        assert!(features("", &FeatureConfig::default()).is_empty());
        assert!(features("。。！！", &FeatureConfig::default()).is_empty());
    }
}
