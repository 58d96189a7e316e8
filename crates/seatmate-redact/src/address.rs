//! Postal addresses, only where the shape is unmistakable: Chinese addresses that run from an
//! administrative unit or a road to a house number (`北京市朝阳区建国路88号`,
//! `…南路18号3栋502室`), and English street addresses (`221B Baker Street, London`). Precision
//! matters more than recall: `市场部`, `区别`, `路由器` and `5月12号` are not addresses.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::context::{char_after, char_before, compile, next_boundary};

const ADMIN_SUFFIX: &str =
    "(?:特别行政区|特別行政區|自治区|自治區|自治州|自治县|自治縣|新区|新區|省|市|区|區|县|縣|旗|镇|鎮|乡|鄉|街道|村)";
const ROAD_SUFFIX: &str = "(?:大道|大街|路|街|道|巷|弄|胡同)";
const BUILDING: &str = "[\\p{Han}A-Za-z]{0,10}?(?:大厦|大廈|中心|广场|廣場|花园|花園|小区|小區|公寓|大楼|大樓|商场|商場|家园|家園|苑|园|園|城|府|庭|阁|閣|汇|匯|邨|坊|居|湾|灣|塔|院)";
const UNIT_MARK: &str = "(?:号楼|號樓|栋|棟|幢|座|单元|單元|室|楼|樓|层|層)";

/// Administrative units, a road (with a section, `四段`), lanes (`188巷`, `299弄`), the house number
/// (`88号`, `39号院`), then buildings, units and rooms (`A座1501室`, `2号楼3单元401`).
static CHINESE: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        concat!(
            r"(?P<admin>(?:\p{{Han}}{{1,8}}?{admin})*)",
            r"(?P<road>[\p{{Han}}A-Za-z]{{1,10}}?{road}(?:[0-9一二三四五六七八九十]{{1,3}}段)?)?",
            r"(?:[0-9]{{1,5}}(?:巷|弄))*",
            r"[0-9]{{1,5}}(?:-[0-9]{{1,4}})?(?:号|號)院?",
            r"(?:(?:{building})?[0-9A-Za-z一二三四五六七八九十]{{1,5}}{unit})*",
            r"(?P<room>[0-9]{{3,4}})?",
        ),
        admin = ADMIN_SUFFIX,
        road = ROAD_SUFFIX,
        building = BUILDING,
        unit = UNIT_MARK,
    ))
});
static ADMIN_UNIT: LazyLock<Regex> = LazyLock::new(|| compile(&format!(r"\p{{Han}}{{1,8}}?{ADMIN_SUFFIX}")));

/// Where an address starts: provinces, municipalities and special regions, and large cities
/// (Simplified and Traditional), so `寄到广东省` starts at `广东`.
const PLACES: &[&str] = &[
    "北京",
    "上海",
    "天津",
    "重庆",
    "重慶",
    "香港",
    "澳门",
    "澳門",
    "台湾",
    "台灣",
    "臺灣",
    "河北",
    "山西",
    "内蒙古",
    "內蒙古",
    "辽宁",
    "遼寧",
    "吉林",
    "黑龙江",
    "黑龍江",
    "江苏",
    "江蘇",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "山東",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "廣東",
    "广西",
    "廣西",
    "海南",
    "四川",
    "贵州",
    "貴州",
    "云南",
    "雲南",
    "西藏",
    "陕西",
    "陝西",
    "甘肃",
    "甘肅",
    "青海",
    "宁夏",
    "寧夏",
    "新疆",
    "广州",
    "廣州",
    "深圳",
    "杭州",
    "南京",
    "苏州",
    "蘇州",
    "成都",
    "武汉",
    "武漢",
    "西安",
    "郑州",
    "鄭州",
    "长沙",
    "長沙",
    "沈阳",
    "瀋陽",
    "青岛",
    "青島",
    "厦门",
    "廈門",
    "福州",
    "宁波",
    "寧波",
    "大连",
    "大連",
    "济南",
    "濟南",
    "哈尔滨",
    "哈爾濱",
    "长春",
    "長春",
    "石家庄",
    "石家莊",
    "太原",
    "合肥",
    "南昌",
    "南宁",
    "南寧",
    "昆明",
    "贵阳",
    "貴陽",
    "兰州",
    "蘭州",
    "西宁",
    "西寧",
    "银川",
    "銀川",
    "乌鲁木齐",
    "烏魯木齊",
    "呼和浩特",
    "拉萨",
    "拉薩",
    "海口",
    "三亚",
    "三亞",
    "东莞",
    "東莞",
    "佛山",
    "无锡",
    "無錫",
    "温州",
    "溫州",
    "珠海",
    "嘉兴",
    "嘉興",
    "保定",
    "台北",
    "臺北",
    "新北",
    "台中",
    "臺中",
    "台南",
    "臺南",
    "高雄",
    "桃园",
    "桃園",
    "基隆",
    "新竹",
    "九龙",
    "九龍",
    "新界",
];
/// Characters that end the words leading into an address (`寄到`, `住在`, `地址是`).
const CUES: &[char] = &['在', '到', '是', '住', '往', '为', '為', '址', '于', '於', '寄', '送', '搬', '至', '：'];
/// Units that are places but not administrative units (`东城区` and `工业园区` are).
const NOT_ADMIN: &[&str] =
    &["小区", "小區", "社区", "社區", "地区", "地區", "郊区", "郊區", "片区", "片區", "景区", "景區", "校区", "校區", "超市"];
/// Characters that end administrative units: a road name starting with one is the tail of an
/// address that was rejected, not an address of its own.
const ADMIN_ENDINGS: &[char] = &['省', '市', '区', '區', '县', '縣', '镇', '鎮', '乡', '鄉', '村', '旗'];
/// Words ending in a road character that are no roads.
const NOT_ROADS: &[&str] = &[
    "知道", "频道", "頻道", "渠道", "通道", "味道", "难道", "難道", "顺道", "順道", "地道", "隧道", "车道", "車道", "轨道",
    "軌道", "坡道", "走道", "过道", "過道", "跑道", "管道", "报道", "報道", "走路", "线路", "線路", "网路", "網路", "电路",
    "電路", "马路", "馬路", "上路", "出路", "思路", "套路", "道路", "逛街",
    "上街",
    // not `一路`/`一道`: 中一路, 解放一路 are roads; `一路顺风` has no house number
];

/// `221B Baker Street`, `1600 Amphitheatre Parkway, Mountain View`, `8 Riverside Drive, Suite 300,
/// Austin, TX 78701`.
static ENGLISH: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"(?P<street>[0-9]{1,5}[A-Za-z]?\s+(?:(?:[A-Z][A-Za-z'’]*|[0-9]{1,3}(?:st|nd|rd|th))\s+){1,3}?",
        r"(?:Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Parkway|Pkwy|Place|Pl|Terrace|Close|Crescent|Square|Sq|Highway|Hwy)(?-u:\b)\.?",
        r"(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|Rm)\.?\s*\#?[0-9A-Za-z-]+)?)",
        r"(?P<city>,\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})?",
        r"(?P<state>,?\s+[A-Z]{2}\s+[0-9]{5}(?:-[0-9]{4})?)?",
    ))
});
/// Capitalised words after a comma that are not a city.
const NOT_CITIES: &[&str] = &[
    "Thanks", "Thank", "Please", "And", "But", "So", "I", "It", "My", "The", "Can", "Could", "Would", "Yes", "No", "Ok", "Okay",
    "Sorry", "Hi", "Hello", "Is", "That", "This", "We", "You", "He", "She", "They", "Then", "Also",
];

/// Byte ranges of addresses in normalised text.
pub(crate) fn find(text: &str) -> Vec<(usize, usize)> {
    let mut found = scan(&CHINESE, text, chinese);
    found.extend(scan(&ENGLISH, text, english));
    found
}

/// Like [`crate::context::matches`], with captures and a span that the check may narrow.
fn scan(re: &Regex, text: &str, check: fn(&str, &Captures) -> Option<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let Some(caps) = re.captures_at(text, at) else { break };
        let Some(whole) = caps.get(0) else { break };
        match check(text, &caps) {
            Some((s, e)) if s < e => {
                found.push((s, e));
                at = e.max(next_boundary(text, whole.start()));
            }
            _ => at = next_boundary(text, whole.start()),
        }
    }
    found
}

fn chinese(text: &str, caps: &Captures) -> Option<(usize, usize)> {
    let whole = caps.get(0)?;
    let admin = caps.name("admin").map_or("", |m| m.as_str());
    let road = caps.name("road");
    let units: Vec<&str> = ADMIN_UNIT.find_iter(admin).map(|m| m.as_str()).collect();
    if units.iter().any(|u| NOT_ADMIN.iter().any(|w| u.ends_with(w))) {
        return None;
    }
    if road.is_some_and(|r| NOT_ROADS.iter().any(|w| r.as_str().ends_with(w))) {
        return None;
    }
    // the first component: its name may carry the words that led into the address
    let first = units.first().copied().or(road.map(|r| r.as_str()))?;
    let name_len = first.len() - suffix_len(first, units.is_empty());
    let start = whole.start() + name_start(&first[..name_len], units.is_empty());
    if start >= whole.start() + name_len {
        return None;
    }
    let enough = match (units.len(), road) {
        (0, None) => false,
        (0, Some(_)) => {
            let name = &text[start..whole.start() + name_len];
            name.chars().count() >= 2
                && !name.starts_with(ADMIN_ENDINGS)
                && !name.ends_with(['条', '條'])
                && !date_after(text, whole.end())
        }
        (n, None) => n >= 2 && ["村", "镇", "鎮", "乡", "鄉", "街道"].iter().any(|s| units[n - 1].ends_with(s)),
        (_, Some(_)) => true,
    };
    if !enough {
        return None;
    }
    let mut end = whole.end();
    if let Some(room) = caps.name("room") {
        // a bare room number only when nothing follows it
        if char_after(text, end).is_some_and(|c| c.is_alphanumeric()) {
            end = room.start();
        }
    }
    Some((start, end))
}

/// Words after `12号` that make it a day of the month.
const TIME_WORDS: &[&str] = &[
    "以后", "以後", "之后", "之後", "以前", "之前", "前", "后", "後", "那天", "当天", "當天", "早上", "上午", "中午", "下午",
    "晚上", "开始", "開始", "到期", "截止", "左右", "起",
];

/// Whether the `号` before `at` is a day of the month (`这条路12号以后封路`): a small number followed
/// by words of time. Only asked of addresses without an administrative unit.
fn date_after(text: &str, at: usize) -> bool {
    let digits: String = text[..at].trim_end_matches(['号', '號']).chars().rev().take_while(char::is_ascii_digit).collect();
    let day = digits.chars().rev().collect::<String>().parse::<u32>().is_ok_and(|d| (1..=31).contains(&d));
    day && TIME_WORDS.iter().any(|w| text[at..].starts_with(w))
}

/// The byte length of the administrative or road suffix (and a road's section, `四段`) at the end
/// of `component`.
fn suffix_len(component: &str, road: bool) -> usize {
    let section = if road && component.ends_with('段') {
        let numerals =
            component.trim_end_matches('段').trim_end_matches(|c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c));
        component.len() - numerals.len()
    } else {
        0
    };
    let base = &component[..component.len() - section];
    let suffixes: &[&str] = if road {
        &["大道", "大街", "胡同"]
    } else {
        &["特别行政区", "特別行政區", "自治区", "自治區", "自治州", "自治县", "自治縣", "新区", "新區", "街道"]
    };
    let tail = suffixes.iter().find(|s| base.ends_with(*s)).map(|s| s.len());
    section + tail.unwrap_or_else(|| base.chars().next_back().map_or(0, char::len_utf8))
}

/// Where the name of the first component starts (a byte offset into `name`): at a known place,
/// else after the words that lead into the address, at most a few characters before the suffix.
fn name_start(name: &str, road: bool) -> usize {
    if let Some(at) = place_start(name) {
        return at;
    }
    let after_cue = name.char_indices().rfind(|(_, c)| CUES.contains(c)).map_or(0, |(i, c)| i + c.len_utf8());
    let keep = if road { 6 } else { 3 };
    let rest = &name[after_cue..];
    let count = rest.chars().count();
    if count <= keep {
        return after_cue;
    }
    let skip = count - if road { 4 } else { 2 };
    after_cue + rest.char_indices().nth(skip).map_or(0, |(i, _)| i)
}

/// The start of the last known place in `name`, extended over a place right before it
/// (`江苏苏州`).
fn place_start(name: &str) -> Option<usize> {
    let mut best: Option<usize> = None;
    for place in PLACES {
        if let Some(at) = name.rfind(place) {
            if best.is_none_or(|b| at > b) {
                best = Some(at);
            }
        }
    }
    let mut at = best?;
    while let Some(before) = PLACES.iter().find(|p| name[..at].ends_with(*p)) {
        at -= before.len();
    }
    Some(at)
}

fn english(text: &str, caps: &Captures) -> Option<(usize, usize)> {
    let street = caps.name("street")?;
    if char_before(text, street.start()).is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '#' | '$' | '.' | ',')) {
        return None;
    }
    let city_is_word = caps.name("city").is_some_and(|c| {
        let first = c.as_str().trim_start_matches([',', ' ']).split_whitespace().next().unwrap_or("");
        NOT_CITIES.contains(&first)
    });
    let end = if city_is_word {
        street.end()
    } else {
        [caps.name("state"), caps.name("city")].into_iter().flatten().map(|m| m.end()).max().unwrap_or(street.end())
    };
    Some((street.start(), end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        find(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn chinese_addresses() {
        assert_eq!(found("地址:北京市朝阳区建国路88号"), ["北京市朝阳区建国路88号"]);
        assert_eq!(found("寄到广东省深圳市南山区科技园南路18号3栋502室,收件人"), ["广东省深圳市南山区科技园南路18号3栋502室"]);
        assert_eq!(found("我住在上海市浦东新区世纪大道100号"), ["上海市浦东新区世纪大道100号"]);
        assert_eq!(
            found("装机地址:河南省郑州市金水区花园路39号院2号楼3单元401"),
            ["河南省郑州市金水区花园路39号院2号楼3单元401"]
        );
        assert_eq!(found("地址是新北市板橋區文化路一段188巷5號3樓。"), ["新北市板橋區文化路一段188巷5號3樓"]);
        assert_eq!(found("把快递送到史家胡同23号就行"), ["史家胡同23号"]);
    }

    #[test]
    fn not_chinese_addresses() {
        for text in [
            "你们市场部的电话",
            "有什么区别",
            "路由器坏了",
            "我5月12号去的",
            "地铁10号线",
            "我们小区3号楼",
            "我知道3号那天",
            "这条路12号以后封路",
            "一路顺风",
            "坐23路公交到人民路站",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn english_addresses() {
        assert_eq!(found("Send it to 221B Baker Street, London."), ["221B Baker Street, London"]);
        assert_eq!(found("at 1600 Amphitheatre Parkway, Mountain View"), ["1600 Amphitheatre Parkway, Mountain View"]);
        assert_eq!(found("moved to 123 Main St, Apt 4 last month"), ["123 Main St, Apt 4"]);
        assert_eq!(
            found("It's 8 Riverside Drive, Suite 300, Austin, TX 78701."),
            ["8 Riverside Drive, Suite 300, Austin, TX 78701"]
        );
        assert_eq!(found("Deliver to 55 Oak Road, Thanks"), ["55 Oak Road"]);
        assert!(found("I live on Main Street").is_empty());
        assert!(found("There are 3 Main issues").is_empty());
        assert!(found("Route 66 Diner").is_empty());
    }
}
