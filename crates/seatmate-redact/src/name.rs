//! Personal names, only with a strong cue. Chinese: after `我叫`, `我是`, `姓名：`, `名字是`,
//! `联系人：`, `收件人：`… a common surname and one or two given-name characters, or a full name
//! before `先生`/`女士`/`小姐`. English: after "my name is" or "Name:", or after Mr/Mrs/Ms/Dr.
//!
//! A surname alone with a title (`王先生`) is left as it is: it identifies nobody among the people
//! who share the surname, and agents need it to address the customer. English family names are far
//! more varied, so `Mr. Smith` becomes `Mr. [NAME]`.

use std::sync::LazyLock;

use regex::Regex;

use crate::context::{char_before, compile};

/// Common surnames, Simplified and Traditional. Characters that are mostly function words
/// (和, 向, 于 as in 关于) are left out on purpose.
const SURNAMES: &str = concat!(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢",
    "姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤易常",
    "温康施文牛樊葛邢安齐伍庞颜倪翟骆岳欧柳殷甘关苗凌童宁霍柴左鲁聂申司管卓包鲍吉祝耿焦蒙车巩舒喻阮芦褚蓝",
    "張劉陳楊黃趙吳孫馬郭羅鄭謝許韓馮鄧蕭葉蘇魏呂盧鍾譚陸賈韋鄒龔錢嚴湯齊龐顏駱歐關寧聶鮑鞏藍蔣廖",
);
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "歐陽", "司马", "司馬", "上官", "诸葛", "諸葛", "东方", "東方", "皇甫", "公孙", "公孫", "慕容", "令狐", "司徒",
    "夏侯", "长孙", "長孫", "宇文", "尉迟", "尉遲", "端木", "轩辕", "軒轅",
];
/// Characters that do not occur in a given name here: particles, pronouns, verbs of the cue
/// sentences, and the first characters of titles and roles (先生, 女士, 经理, 老师, 客户).
const NOT_GIVEN: &str = concat!(
    "的了是在想要会會员員客户戶经經理总總师師生士姐哥们們个個不也就从從来來这這那第新老本打问問说說找给給我你他她",
    "它吗嗎呢吧啊呀哦嘛上下午前后後里裡外点點号號月日年元块塊和跟与與及或都还還又再很太先女叫过過已没沒有被把让讓",
    "将將对對用卡机機人级級",
);
const TITLES: &[&str] = &["先生", "女士", "小姐"];

/// Cues before a Chinese name. A name must be followed by a pause (punctuation, a space, a digit,
/// the end) or by a few words that follow names ([`AFTER_NAME`]); after `这是` also by `的号码`
/// and the like, after the strong cues (`姓名：`, `我叫`…) by any `的`.
static CHINESE_CUE: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"(?P<self>我是)|(?P<this>这是|這是)",
        r"|(?:我的名字|名字)(?:叫|是)|我叫",
        r"|(?:姓名|联系人|聯絡人|联络人|聯繫人|收件人|收货人|收貨人|持卡人(?:姓名)?|户名|戶名|机主|機主)(?:是|为|為)?\s*:?\s*",
    ))
});
const AFTER_NAME: &[&str] =
    &["先生", "女士", "小姐", "想", "要", "打", "来", "來", "找", "问", "問", "啊", "呀", "哈", "呢", "吧", "哦", "本人"];
const AFTER_THIS_IS: &[&str] =
    &["的号码", "的號碼", "的号", "的號", "的电话", "的電話", "的手机", "的手機", "的账户", "的帳戶", "的卡"];

#[derive(Clone, Copy, PartialEq)]
enum Cue {
    /// `我是`: the speaker; `的` would too often continue a place (`我是江西的`)
    Myself,
    /// `这是`: `这是赵敏的号码吗`
    ThisIs,
    /// `我叫`, `姓名：`, `收件人：`…
    Strong,
}

static ENGLISH_CUE: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"(?i:(?-u:\b)(?:my name is|my name's|name\s*(?::|是|叫)|account holder\s*:|card ?holder\s*:))\s*",
        r"(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})",
    ))
});
static ENGLISH_TITLE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)"));

/// Byte ranges of names in normalised text.
pub(crate) fn find(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for cue in CHINESE_CUE.captures_iter(text) {
        let Some(whole) = cue.get(0) else { continue };
        let kind = if cue.name("self").is_some() {
            Cue::Myself
        } else if cue.name("this").is_some() {
            Cue::ThisIs
        } else {
            Cue::Strong
        };
        if let Some(end) = chinese_name_after(text, whole.end(), kind) {
            found.push((whole.end(), end));
        }
    }
    for title in TITLES {
        for (at, _) in text.match_indices(title) {
            if let Some(start) = chinese_name_before(text, at) {
                found.push((start, at));
            }
        }
    }
    for caps in ENGLISH_CUE.captures_iter(text) {
        let (Some(whole), Some(name)) = (caps.get(0), caps.name("name")) else { continue };
        if !names_a_thing(&text[..whole.start()]) {
            found.push((name.start(), name.end()));
        }
    }
    for caps in ENGLISH_TITLE.captures_iter(text) {
        let (Some(whole), Some(name)) = (caps.get(0), caps.name("name")) else { continue };
        if !char_before(text, whole.start()).is_some_and(|c| c.is_ascii_alphabetic()) {
            found.push((name.start(), name.end()));
        }
    }
    found
}

/// Whether the word before "name:" makes it the name of a thing ("File name:", "Product name:").
fn names_a_thing(before: &str) -> bool {
    const THINGS: &[&str] = &[
        "user", "file", "product", "company", "brand", "plan", "model", "business", "network", "wifi", "device", "domain",
        "host", "display", "screen", "app", "package", "service", "store", "shop", "street", "city", "project", "team",
    ];
    let word = before.trim_end().rsplit(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("").to_ascii_lowercase();
    THINGS.contains(&word.as_str())
}

fn surname_len(s: &str) -> Option<usize> {
    if let Some(compound) = COMPOUND_SURNAMES.iter().find(|c| s.starts_with(*c)) {
        return Some(compound.len());
    }
    let first = s.chars().next()?;
    SURNAMES.contains(first).then_some(first.len_utf8())
}

fn given_ok(given: &str) -> bool {
    given.chars().all(|c| is_han(c) && !NOT_GIVEN.contains(c))
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// The end of a name starting at `at`: a surname and two, else one, given-name characters,
/// followed by something a name is followed by.
fn chinese_name_after(text: &str, at: usize, cue: Cue) -> Option<usize> {
    let rest = &text[at..];
    let surname = surname_len(rest)?;
    for given_chars in [2, 1] {
        let given: String = rest[surname..].chars().take(given_chars).collect();
        if given.chars().count() != given_chars || !given_ok(&given) {
            continue;
        }
        let end = at + surname + given.len();
        let after = &text[end..];
        let pause = after.chars().next().is_none_or(|c| !is_han(c));
        let fits = pause
            || AFTER_NAME.iter().any(|w| after.starts_with(w))
            || match cue {
                Cue::Myself => false,
                Cue::ThisIs => AFTER_THIS_IS.iter().any(|w| after.starts_with(w)),
                Cue::Strong => after.starts_with('的'),
            };
        if fits {
            return Some(end);
        }
    }
    None
}

/// The start of a full name (surname and given name) ending right before a title at `at`.
fn chinese_name_before(text: &str, at: usize) -> Option<usize> {
    let before: Vec<(usize, char)> = text[..at].char_indices().rev().take(4).collect();
    // longest first: compound surname + 2, compound + 1 or single + 2, single + 1
    for take in [4, 3, 2] {
        let Some(&(start, _)) = before.get(take - 1) else { continue };
        let candidate = &text[start..at];
        let Some(surname) = surname_len(candidate) else { continue };
        let given = &candidate[surname..];
        let given_chars = given.chars().count();
        if (1..=2).contains(&given_chars) && given_ok(given) && (take < 4 || surname > 3) {
            return Some(start);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        find(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn chinese_names() {
        assert_eq!(found("我叫王建国,上周打过电话"), ["王建国"]);
        assert_eq!(found("姓名:刘芳,手机"), ["刘芳"]);
        assert_eq!(found("联系人 陈静 13588889999"), ["陈静"]);
        assert_eq!(found("您好,张伟先生"), ["张伟"]);
        assert_eq!(found("我是欧阳明,之前登记过"), ["欧阳明"]);
        assert_eq!(found("这是赵敏的号码吗"), ["赵敏"]);
    }

    #[test]
    fn not_chinese_names() {
        for text in [
            "我是王先生",
            "我是想问一下",
            "我是高级会员",
            "我是李经理介绍过来的",
            "麻烦转告李女士",
            "我叫了外卖",
            "我叫车的时候",
            "我是在京东买的",
            "姓名那一栏我填错了",
            "我是安徽人",
            "我是石家庄的",
            "我是周末买的",
            "我是白金会员",
            "这是江西的特产",
            "收件人写的是我妈",
            "刚才那位李小姐说可以退",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn english_names() {
        assert_eq!(found("Hi, my name is Sarah Johnson and I'm calling"), ["Sarah Johnson"]);
        assert_eq!(found("Name: Jane Doe"), ["Jane Doe"]);
        assert_eq!(found("我的name是Tony Wang"), ["Tony Wang"]);
        assert_eq!(found("Thank you, Mr. Thompson, I've"), ["Thompson"]);
        assert_eq!(found("Mrs. Mary Wilson is the holder"), ["Mary Wilson"]);
        assert!(found("My name is not on the account").is_empty());
        assert!(found("Thank you for calling Seatmate Telecom").is_empty());
        assert!(found("File name: Report, product name: Galaxy").is_empty());
    }
}
