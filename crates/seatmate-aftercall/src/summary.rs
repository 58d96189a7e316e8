//! The after-call summary: the customer's problem, what the agent did and how it ended, each a
//! sentence or two quoted from the conversation and linked to the turn it came from.
//!
//! Extractive, so it is in the conversation's language and says nothing the conversation did not.
//! Turns are cut into sentences (Chinese 。！？；, English . ! ?, and line breaks; a sentence too long
//! for a line is cut at a clause). Each sentence is weighed by TF-IDF over the conversation's own
//! sentences, on `seatmate-text`'s words, so Simplified and Traditional agree; greetings, thanks and
//! set phrases weigh nothing. Then: the problem is the weightiest of the customer's sentences in
//! their first turns; the outcome is a sentence near the end that says it is resolved (or gives a
//! reference number), else the agent's last commitment; the actions are the agent's other sentences
//! with an action cue (已为您, 提交, 退款, I've, let me…) or much weight.
//!
//! Pure: a conversation in, a summary out.

use std::collections::{HashMap, HashSet};

use seatmate_core::{Conversation, Speaker};
use serde::{Deserialize, Serialize};

/// The after-call summary of a conversation. A part is empty when the conversation has nothing
/// for it (no agent turns, say).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    /// What the customer came with.
    pub problem: Vec<SummaryLine>,
    /// What the agent did or advised.
    pub actions: Vec<SummaryLine>,
    /// How it ended: resolved, or what was promised.
    pub outcome: Vec<SummaryLine>,
}

/// One sentence of a summary and the turn it was quoted from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummaryLine {
    /// Quoted from the turn, masked as the turn is shown; a long sentence is cut at a clause.
    pub text: String,
    /// Index of the turn in the conversation's `turns`, from 0.
    pub turn: usize,
}

impl Summary {
    pub fn is_empty(&self) -> bool {
        self.problem.is_empty() && self.actions.is_empty() && self.outcome.is_empty()
    }

    /// The summary as plain text for the ticket: a line per part that has sentences, labelled in
    /// the conversation's language (问题/处理/结果, 問題/處理/結果 or Problem/Actions/Outcome).
    pub fn to_text(&self, conversation: &Conversation) -> String {
        let script = script(conversation);
        let labels = match script {
            Script::Simplified => ["问题：", "处理：", "结果："],
            Script::Traditional => ["問題：", "處理：", "結果："],
            Script::English => ["Problem: ", "Actions: ", "Outcome: "],
        };
        let mut out = String::new();
        for (label, lines) in labels.iter().zip([&self.problem, &self.actions, &self.outcome]) {
            if lines.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(label);
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    let ended = out.chars().next_back().is_some_and(|c| !c.is_alphanumeric());
                    out.push_str(match script {
                        Script::English => " ",
                        _ if ended => "",
                        _ => "；",
                    });
                }
                out.push_str(&line.text);
            }
        }
        out
    }
}

/// The summary of `conversation`'s turns.
pub fn summarize(conversation: &Conversation) -> Summary {
    let mut pieces = pieces(conversation);
    weigh(&mut pieces);

    let problem = pick(&pieces, problem_scores(&pieces), |best, score| score >= best / 2.0);
    let tail_from = conversation.turns.len().saturating_sub((conversation.turns.len() / 4).clamp(3, 6));
    let in_tail = |p: &Piece<'_>| p.turn >= tail_from && !problem.contains(&p.index);

    // resolved, in so many words: one or two such sentences are the outcome
    let resolved: Vec<(usize, f32)> = pieces
        .iter()
        .filter(|p| in_tail(p) && p.substantive() && p.resolves())
        .map(|p| (p.index, p.recency(pieces.len())))
        .collect();
    let strong = !resolved.is_empty();
    let mut outcome = if strong {
        pick(&pieces, resolved, |_, _| true)
    } else {
        // else the agent's last commitment, or the agent's last word
        let last: Vec<(usize, f32)> = pieces
            .iter()
            .filter(|p| in_tail(p) && p.speaker == Speaker::Agent && p.substantive())
            .map(|p| (p.index, f32::from(u8::from(has_cue(&p.folded, COMMITMENT))) + p.recency(pieces.len())))
            .collect();
        pick(&pieces, last, |_, _| false)
    };

    let mut actions = pick(&pieces, action_scores(&pieces, &outcome), |_, _| true);
    // a lone agent sentence that acts is the action, not the outcome ("已为您提交…会尽快处理")
    if actions.is_empty() && !strong && outcome.iter().any(|&i| has_cue(&pieces[i].folded, ACTION)) {
        actions = std::mem::take(&mut outcome);
    }

    let lines = |chosen: Vec<usize>| -> Vec<SummaryLine> {
        chosen.into_iter().map(|i| SummaryLine { text: pieces[i].text.to_string(), turn: pieces[i].turn }).collect()
    };
    Summary { problem: lines(problem), actions: lines(actions), outcome: lines(outcome) }
}

/// Display width a part's lines may fill together: a Han character counts two, so about 80
/// Chinese or 160 English characters.
const WIDTH: usize = 160;
const MAX_LINES: usize = 2;
/// The problem is looked for in the customer's first turns that say something.
const FIRST_CUSTOMER_TURNS: usize = 3;

/// A sentence (or a clause of a long one) of a turn.
struct Piece<'a> {
    /// Place in the conversation, counted over all pieces.
    index: usize,
    turn: usize,
    speaker: Speaker,
    /// Exactly as in the turn, trimmed.
    text: &'a str,
    /// Folded (`seatmate_text::normalize`) for cue matching: lower case, half-width, Simplified.
    folded: String,
    /// Its content words, repeats kept; greetings, thanks and function words left out.
    words: Vec<String>,
    width: usize,
    /// Sum of its distinct words' weights.
    salience: f32,
}

impl Piece<'_> {
    /// Says something beyond greetings, thanks and set phrases.
    fn substantive(&self) -> bool {
        let thanks = ["谢谢", "感谢", "多谢", "不客气", "不用谢", "thank", "you're welcome", "no problem"]
            .iter()
            .any(|t| self.folded.starts_with(t));
        !self.words.is_empty() && !thanks && !has_cue(&self.folded, COURTESY)
    }

    fn resolves(&self) -> bool {
        affirms(&self.folded, RESOLVED)
            || match self.speaker {
                Speaker::Customer => affirms(&self.folded, RESOLVED_CUSTOMER),
                Speaker::Agent => has_cue(&self.folded, RESOLVED_AGENT),
                Speaker::System => false,
            }
    }

    fn question(&self) -> bool {
        self.folded.trim_end_matches(|c: char| CLOSERS.contains(c) || c.is_whitespace()).ends_with('?')
    }

    /// From 0 (first piece) towards 1 (last).
    fn recency(&self, total: usize) -> f32 {
        self.index as f32 / total.max(1) as f32
    }
}

fn pieces(conversation: &Conversation) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    for (turn, t) in conversation.turns.iter().enumerate() {
        for sentence in sentences(&t.text).into_iter().map(trim_mentions).filter(|s| !s.is_empty()) {
            for text in fit(sentence) {
                out.push(Piece {
                    index: out.len(),
                    turn,
                    speaker: t.speaker,
                    text,
                    folded: seatmate_text::normalize(text).replace(['’', '‘'], "'"),
                    words: content_words(text),
                    width: width(text),
                    salience: 0.0,
                });
            }
        }
    }
    out
}

/// TF-IDF within the conversation, each piece a document: words the conversation keeps coming back
/// to weigh more, words in every sentence less. A single Han character weighs half.
fn weigh(pieces: &mut [Piece<'_>]) {
    let mut tf: HashMap<&str, usize> = HashMap::new();
    let mut df: HashMap<&str, usize> = HashMap::new();
    for piece in pieces.iter() {
        let mut seen = HashSet::new();
        for word in &piece.words {
            *tf.entry(word).or_default() += 1;
            if seen.insert(word.as_str()) {
                *df.entry(word).or_default() += 1;
            }
        }
    }
    let n = pieces.len() as f32;
    let weight: HashMap<String, f32> = tf
        .iter()
        .map(|(&word, &count)| {
            let single_han = word.chars().count() == 1 && word.chars().all(seatmate_text::is_han);
            let factor = if single_han { 0.5 } else { 1.0 };
            let idf = (1.0 + n / df.get(word).copied().unwrap_or(1) as f32).ln();
            (word.to_string(), factor * (1.0 + (count as f32).ln()) * idf)
        })
        .collect();
    for piece in pieces.iter_mut() {
        let distinct: HashSet<&str> = piece.words.iter().map(String::as_str).collect();
        piece.salience = distinct.iter().filter_map(|w| weight.get(*w)).sum();
    }
}

/// The customer's sentences in their first turns that say something, the earlier the better.
/// The customer's sentences in their first turns that say something: the earlier turn, and the
/// earlier sentence in it, the better (people open with what they came for).
fn problem_scores(pieces: &[Piece<'_>]) -> Vec<(usize, f32)> {
    // customer turn → (its rank among those that say something, sentences seen in it)
    let mut seen: HashMap<usize, (usize, usize)> = HashMap::new();
    let mut out = Vec::new();
    for p in pieces.iter().filter(|p| p.speaker == Speaker::Customer && p.substantive()) {
        let next = seen.len();
        let (k, j) = seen.entry(p.turn).or_insert((next, 0));
        if *k >= FIRST_CUSTOMER_TURNS {
            break;
        }
        *j += 1;
        if !p.resolves() {
            out.push((p.index, p.salience / (1.0 + 0.5 * *k as f32) / (1.0 + 0.15 * (*j - 1) as f32)));
        }
    }
    out
}

/// The agent's sentences that act (an action cue) or weigh much, questions at half.
fn action_scores(pieces: &[Piece<'_>], taken: &[usize]) -> Vec<(usize, f32)> {
    let agent = || pieces.iter().filter(|p| p.speaker == Speaker::Agent && p.substantive() && !taken.contains(&p.index));
    let most = agent().map(|p| p.salience).fold(0.0_f32, f32::max);
    if most <= 0.0 {
        return Vec::new();
    }
    agent()
        .filter_map(|p| {
            let weight = p.salience / most;
            let cue = has_cue(&p.folded, ACTION);
            if !cue && weight < 0.5 {
                return None;
            }
            let score = weight + f32::from(u8::from(cue));
            Some((p.index, if p.question() { score / 2.0 } else { score }))
        })
        .collect()
}

/// The best-scored pieces, one or two that fit [`WIDTH`] together, in conversation order; the
/// second only if `second(best, its score)` agrees.
fn pick(pieces: &[Piece<'_>], mut scored: Vec<(usize, f32)>, second: impl Fn(f32, f32) -> bool) -> Vec<usize> {
    scored.retain(|s| s.1 > 0.0);
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut chosen: Vec<usize> = Vec::new();
    let mut used = 0;
    for &(index, score) in &scored {
        if chosen.len() == MAX_LINES {
            break;
        }
        let fits = used + pieces[index].width <= WIDTH;
        if chosen.is_empty() || (fits && second(scored[0].1, score)) {
            chosen.push(index);
            used += pieces[index].width;
        }
    }
    chosen.sort_unstable();
    chosen
}

// ---------------------------------------------------------------------------------------- text

/// Closing quotes and brackets kept with the sentence they end.
const CLOSERS: &str = "\"'”’」』）)】]》";

fn ends_sentence(c: char, prev: Option<char>, next: Option<char>) -> bool {
    match c {
        '。' | '！' | '？' | '；' | '!' | '?' | ';' | '…' | '\n' => true,
        // not in 3.5, www.example.com or e.g; yes in 处理.这样 (STC-3 writes Chinese with `.`)
        '.' => !(prev.is_some_and(|p| p.is_ascii_alphanumeric()) && next.is_some_and(|n| n.is_ascii_alphanumeric())),
        _ => false,
    }
}

/// The sentences of a text, trimmed, each with its end marks and closing quotes.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let ends = ends_sentence(c, prev, next);
        prev = Some(c);
        if !ends {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, n)) = chars.peek() {
            if !(ends_sentence(n, None, None) || CLOSERS.contains(n)) {
                break;
            }
            end = j + n.len_utf8();
            prev = Some(n);
            chars.next();
        }
        push_trimmed(&mut out, &text[start..end]);
        start = end;
    }
    push_trimmed(&mut out, &text[start..]);
    out
}

/// A sentence without the @mentions it opens or ends with (`@中国电信客服 我的宽带…`), which say
/// who was addressed, not what about. An @ inside a word (an e-mail address) stays.
fn trim_mentions(mut text: &str) -> &str {
    while let Some(rest) = text.strip_prefix('@') {
        match rest.find(char::is_whitespace) {
            Some(end) => text = rest[end..].trim_start(),
            None => return "",
        }
    }
    while let Some(at) = text.rfind('@') {
        let mention = &text[at + 1..];
        let starts_word = !text[..at].chars().next_back().is_some_and(|p| p.is_ascii_alphanumeric());
        if mention.is_empty() || mention.contains(char::is_whitespace) || !starts_word {
            break;
        }
        text = text[..at].trim_end();
    }
    text
}

fn push_trimmed<'a>(out: &mut Vec<&'a str>, text: &'a str) {
    let text = text.trim();
    if !text.is_empty() {
        out.push(text);
    }
}

fn char_width(c: char) -> usize {
    let wide = seatmate_text::is_han(c)
        || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF60}' | '\u{FFE0}'..='\u{FFE6}' | '\u{2026}');
    if wide {
        2
    } else {
        1
    }
}

fn width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

/// A sentence wider than [`WIDTH`] cut into pieces that fit: at a clause (，、：, or a space between
/// Chinese words, as transcripts have them) when one is at least half-way, else at a space, else
/// anywhere.
fn fit(sentence: &str) -> Vec<&str> {
    if width(sentence) <= WIDTH {
        return vec![sentence];
    }
    let mut out = Vec::new();
    let mut start = 0;
    let (mut clause, mut space) = (None, None);
    let mut used = 0;
    let mut prev: Option<char> = None;
    let mut chars = sentence.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if used + char_width(c) > WIDTH {
            let half = |cut: &usize| width(&sentence[start..*cut]) >= WIDTH / 2;
            let cut = clause.filter(half).or(space).or(clause).unwrap_or(i);
            push_trimmed(&mut out, &sentence[start..cut]);
            start = cut;
            used = width(&sentence[start..i]);
            (clause, space) = (None, None);
        }
        used += char_width(c);
        let next = chars.peek().map(|&(_, n)| n);
        let after = i + c.len_utf8();
        match c {
            '，' | '、' | '：' => clause = Some(after),
            ',' | ':' if !next.is_some_and(|n| n.is_ascii_digit()) => clause = Some(after),
            c if c.is_whitespace() && prev.is_some_and(seatmate_text::is_han) => clause = Some(after),
            c if c.is_whitespace() => space = Some(after),
            _ => {}
        }
        prev = Some(c);
    }
    push_trimmed(&mut out, &sentence[start..]);
    out
}

/// The words that carry content: `seatmate-text` tokens without numbers, @mentions, bracketed
/// placeholders and emoticons (`[PHONE-5678]`, `[呵呵]`), greetings, thanks and function words.
fn content_words(text: &str) -> Vec<String> {
    let normalized = seatmate_text::normalize(&strip_marks(text));
    seatmate_text::tokens(&normalized)
        .into_iter()
        .filter(|t| match t.kind {
            seatmate_text::TokenKind::Number => false,
            seatmate_text::TokenKind::Word => t.text.len() > 1 && !listed(EN_STOP, &t.text),
            seatmate_text::TokenKind::Han if t.text.chars().count() == 1 => !ZH_STOP_CHARS.contains(&t.text),
            seatmate_text::TokenKind::Han => !listed(ZH_STOP, &t.text),
        })
        .map(|t| t.text)
        .collect()
}

fn strip_marks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '@' => {
                while chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric() || n == '_' || n == '-') {
                    chars.next();
                }
                out.push(' ');
            }
            '[' | '【' => {
                let close = if c == '[' { ']' } else { '】' };
                let rest = &text[i + c.len_utf8()..];
                match rest.find(close).filter(|&end| rest[..end].chars().count() <= 16) {
                    Some(end) => {
                        let stop = i + c.len_utf8() + end;
                        while chars.next_if(|&(j, _)| j <= stop).is_some() {}
                        out.push(' ');
                    }
                    None => out.push(c),
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// True when `folded` has one of `cues`; a cue in Latin letters must start a word ("reset" is not
/// in "preset"), and may end inside one ("escalat" is in "escalated").
fn has_cue(folded: &str, cues: &str) -> bool {
    cue_positions(folded, cues).next().is_some()
}

/// Like [`has_cue`], but a cue right after a negation does not count (没解决, not fixed).
fn affirms(folded: &str, cues: &str) -> bool {
    cue_positions(folded, cues).any(|at| !negated(&folded[..at]))
}

fn cue_positions<'a>(folded: &'a str, cues: &'a str) -> impl Iterator<Item = usize> + 'a {
    cues.split('|').flat_map(move |cue| {
        let word_start = cue.starts_with(|c: char| c.is_ascii_alphanumeric());
        folded
            .match_indices(cue)
            .map(|(at, _)| at)
            .filter(move |&at| !word_start || !folded[..at].chars().next_back().is_some_and(|p| p.is_ascii_alphanumeric()))
    })
}

/// The text before a cue ends with a negation: 没, 不, 未, 无, or "not", "never", "…n't" among
/// its last three words.
fn negated(before: &str) -> bool {
    let before = before.trim_end();
    if before.ends_with(['没', '不', '未', '无', '别']) || before.ends_with("没有") {
        return true;
    }
    let words = before.rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '\'')).filter(|w| !w.is_empty());
    words.take(3).any(|w| matches!(w, "not" | "never" | "no") || w.ends_with("n't"))
}

fn listed(list: &str, word: &str) -> bool {
    list.split('|').any(|w| w == word)
}

// ---------------------------------------------------------------------------------------- words
// Lists are `|`-separated.
// Folded text: Simplified, lower case, half-width. Traditional and full-width text matches too.

/// Set phrases of opening and closing: a sentence with one says nothing about the case.
const COURTESY: &str = "\
    有什么可以帮|有什么能帮|有什么需要帮|有什么可以为您|请问有什么|很高兴为您服务|竭诚为您服务|感谢您的来电|\
    感谢来电|感谢您的耐心|感谢您的支持|感谢您的理解|祝您|还有其他|还有什么|还有别的|请稍等|请您稍等|\
    带来不便|带来的不便|造成不便|造成的不便|给您带来不好|how can i help|how may i help|how can i assist|how may i assist|\
    what can i do for you|thank you for calling|thanks for calling|thank you for contacting|\
    thanks for contacting|thanks for reaching out|thank you for your patience|have a nice day|\
    have a great day|have a good day|anything else|is there anything|one moment|please hold|bear with me|\
    sorry to hear|sorry for the inconvenience|您的满意|很乐意为您|乐意为您|为您解答|感谢您对|感谢关注|\
    感谢您的关注";

/// Said by the agent: they did or set something in motion.
const ACTION: &str = "\
    已回复|已收到|已记录|已反馈|已处理|已登记|已通知|已安排|已转|已为您|已经为您|为您办理|为您申请|为您安排|\
    为您提交|为您转|为您处理|为您查询|为您登记|为您开通|为您取消|为您重置|为您跟进|为您反馈|为您核实|帮您|\
    给您办|给您申请|给您安排|给您转|给您退|给您开通|给您发|替您|安排|提交|转接|转交|转给|转到|退款|退还|退费|\
    重置|补偿|赔偿|派单|工单|登记|记录|反馈|上报|申请|开通|取消|修改|办理|核实|核查|查询|查到|经查|上门|维修|\
    检修|抢修|升级|建议您|跟进|恢复|解除|补发|寄出|i've|i have |we've|we have |i will|i'll|we will|we'll|\
    let me|i can |refund|reset|escalat|transfer|submitted|created|raised|scheduled|booked|issued|credited|\
    cancel|replac|updated|processed|arranged|checked|please try|i recommend|i suggest|restart|reboot";

/// Said by the agent: what happens next.
const COMMITMENT: &str = "\
    会及时|会尽快|会有|会在|将会|将有|将在|将于|稍后|尽快|请等待|敬请|耐心等待|留意|联系您|回电|回复您|\
    小时内|工作日|工作天|届时|will|'ll|within|call you back|get back to you|follow up|expect";

/// Said by either side: it is resolved.
const RESOLVED: &str = "\
    已解决|已经解决|解决了|恢复了|恢复正常|正常了|能用了|可以用了|好用了|成功了|搞定|弄好了|修好了|resolved|\
    works now|working now|it worked|that worked|fixed|all set|sorted";

/// Said by the customer: they accept.
const RESOLVED_CUSTOMER: &str = "好的|好了|可以了|行了|明白了|ok|great|perfect|got it";

/// Said by the agent: a reference to follow the case by.
const RESOLVED_AGENT: &str = "工单号|单号|受理号|编号|流水号|ticket number|reference number|case number|ticket id|ticket #";

/// Chinese words of two characters or more that carry nothing of the case.
const ZH_STOP: &str = "\
    你好|您好|大家好|谢谢|感谢|多谢|好的|嗯嗯|再见|拜拜|不客气|没关系|没事|好吧|是的|对的|对啊|在吗|请问|\
    一下|这个|那个|这些|那些|这样|那样|这么|那么|什么|怎么|怎么样|怎样|为什么|如何|可以|可能|没有|就是|还是|\
    已经|现在|因为|所以|但是|不过|如果|的话|然后|而且|或者|自己|一个|一直|不是|不能|不会|不要|知道|觉得|时候|\
    问题|我们|你们|他们|她们|它们|这边|那边|这里|那里|其他|需要|帮忙|帮助|麻烦|不好意思|抱歉|非常|一些|一点|\
    还有|只是|真的|应该|客服|先生|女士|小姐|亲爱|明白|收到";

/// Chinese characters that carry nothing on their own.
const ZH_STOP_CHARS: &str = "\
    的了是我你您他她它们在有和就都也还又吧吗呢啊呀哦嗯哈么这那个把被给让对从到为与及或但而很太更最才会能\
    要想可将已说问请好不没去来上下中里一地得着过等此其之以于并如若则啦喔哎唉呐嘛哇亲喂谢";

/// English words that carry nothing of the case (contractions come split: "i've" is "i", "ve").
const EN_STOP: &str = "\
    the|an|and|or|but|if|then|so|of|to|in|on|at|by|for|with|from|as|is|am|are|was|were|be|been|being|it|its|\
    this|that|these|those|me|my|we|us|our|you|your|he|she|they|them|their|his|her|do|does|did|have|has|had|\
    not|no|yes|can|could|would|should|will|shall|may|might|must|just|also|there|here|what|which|who|how|why|\
    when|where|all|any|some|very|too|up|out|about|into|over|again|now|get|got|ve|ll|re|don|didn|doesn|isn|\
    wasn|won|can|hello|hi|hey|thanks|thank|please|ok|okay|yeah|sure|bye|goodbye|welcome|great|good|day|today|\
    morning|afternoon|evening|help|calling|sir|madam|glad|happy|nice|much|lot|one|moment|sorry|hear|\
    apologize|apologise|let|see|well|oh|um|uh";

// ---------------------------------------------------------------------------------------- language

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Script {
    Simplified,
    Traditional,
    English,
}

/// The conversation's language: its tag when it says English or Traditional Chinese, else told
/// from the text (Han characters against Latin letters; Traditional when the folding to
/// Simplified changes a tenth of them).
fn script(conversation: &Conversation) -> Script {
    let tag = conversation.language.as_deref().unwrap_or_default().to_ascii_lowercase();
    if tag.starts_with("en") {
        return Script::English;
    }
    if tag.starts_with("zh") && ["hant", "tw", "hk", "mo"].iter().any(|t| tag.contains(t)) {
        return Script::Traditional;
    }
    let text = conversation.turns.iter().map(|t| t.text.as_str());
    let han: String = text.clone().flat_map(str::chars).filter(|&c| seatmate_text::is_han(c)).take(2000).collect();
    let letters = text.flat_map(str::chars).filter(char::is_ascii_alphabetic).count();
    let count = han.chars().count();
    if !tag.starts_with("zh") && (count == 0 || count * 3 < letters) {
        return Script::English;
    }
    let folded = seatmate_text::normalize(&han);
    let changed = han.chars().zip(folded.chars()).filter(|(a, b)| a != b).count();
    if count >= 4 && changed * 10 >= count {
        Script::Traditional
    } else {
        Script::Simplified
    }
}

#[cfg(test)]
mod tests {
    use seatmate_core::{Channel, Turn};

    use super::*;

    fn conversation(language: Option<&str>, turns: &[(Speaker, &str)]) -> Conversation {
        Conversation {
            id: "c".into(),
            external_id: "c".into(),
            source: "test".into(),
            channel: Channel::Chat,
            queue: None,
            agent: None,
            customer_id: None,
            language: language.map(str::to_string),
            started_at: 0,
            ended_at: None,
            audio_ref: None,
            attributes: serde_json::Map::new(),
            turns: turns
                .iter()
                .map(|&(speaker, text)| Turn { speaker, text: text.into(), start_ms: None, end_ms: None, audio_ref: None })
                .collect(),
        }
    }

    fn turns(lines: &[SummaryLine]) -> Vec<usize> {
        lines.iter().map(|l| l.turn).collect()
    }

    /// Summarizes and checks the turns each part links to, that every line is quoted from its
    /// turn, and that no greeting or thanks was picked.
    fn check(c: &Conversation, problem: &[usize], actions: &[usize], outcome: &[usize]) -> Summary {
        let summary = summarize(c);
        assert_eq!(
            (turns(&summary.problem), turns(&summary.actions), turns(&summary.outcome)),
            (problem.to_vec(), actions.to_vec(), outcome.to_vec()),
            "{summary:#?}"
        );
        for line in summary.problem.iter().chain(&summary.actions).chain(&summary.outcome) {
            assert!(c.turns[line.turn].text.contains(&line.text), "{line:?} is not quoted from its turn");
            let folded = seatmate_text::normalize(&line.text);
            for greeting in ["你好", "您好", "谢谢", "hello", "thank", "祝您"] {
                assert!(!folded.starts_with(greeting) || folded.chars().count() > 12, "greeting picked: {line:?}");
            }
        }
        summary
    }

    use Speaker::{Agent, Customer};

    #[test]
    fn a_chinese_call() {
        let c = conversation(
            Some("zh"),
            &[
                (Customer, "你好"),
                (Agent, "您好，请问有什么可以帮您？"),
                (Customer, "我家的宽带从昨天晚上开始就断了，光猫的灯一直闪红灯。重启了好几次也没用。"),
                (Agent, "我帮您查询一下线路状态。"),
                (Agent, "查到您所在小区的光缆故障，已为您提交抢修工单，维修人员会在24小时内上门处理。"),
                (Customer, "好的，那我等你们的电话。谢谢！"),
                (Agent, "不客气，祝您生活愉快！"),
            ],
        );
        let summary = check(&c, &[2], &[3, 4], &[5]);
        assert_eq!(summary.problem[0].text, "我家的宽带从昨天晚上开始就断了，光猫的灯一直闪红灯。");
        assert_eq!(summary.outcome[0].text, "好的，那我等你们的电话。");
        assert_eq!(
            summary.to_text(&c),
            "问题：我家的宽带从昨天晚上开始就断了，光猫的灯一直闪红灯。\n\
             处理：我帮您查询一下线路状态。查到您所在小区的光缆故障，已为您提交抢修工单，维修人员会在24小时内上门处理。\n\
             结果：好的，那我等你们的电话。"
        );
    }

    #[test]
    fn a_traditional_chinese_chat() {
        let c = conversation(
            Some("zh"),
            &[
                (Customer, "您好"),
                (Agent, "您好，很高興為您服務，請問有什麼可以幫您？"),
                (Customer, "我上個月的帳單多扣了兩百元，請幫我查一下是什麼費用。"),
                (Agent, "經查詢，是國際漫遊的費用重複計算了，已為您申請退款。"),
                (Agent, "款項會在三到五個工作天內退回您的帳戶。"),
                (Customer, "好，謝謝。"),
                (Agent, "不客氣，還有其他問題嗎？"),
            ],
        );
        let summary = check(&c, &[2], &[3], &[4]);
        assert!(summary.to_text(&c).starts_with("問題：我上個月的帳單"), "{}", summary.to_text(&c));
        assert!(summary.to_text(&c).contains("\n處理：經查詢"));
    }

    #[test]
    fn an_english_call() {
        let c = conversation(
            Some("en"),
            &[
                (Agent, "Thank you for calling Acme Broadband, how can I help you today?"),
                (Customer, "Hi. My router keeps dropping the Wi-Fi connection every evening, and I work from home."),
                (Agent, "I'm sorry to hear that. Let me check your line."),
                (Agent, "I've reset your router remotely and updated its firmware."),
                (Customer, "Great, it works now. Thanks!"),
                (Agent, "Glad to hear it. Your ticket number is 48213 in case it drops again."),
                (Customer, "Thanks, bye."),
            ],
        );
        let summary = check(&c, &[1], &[2, 3], &[4, 5]);
        assert_eq!(summary.problem[0].text, "My router keeps dropping the Wi-Fi connection every evening, and I work from home.");
        assert_eq!(summary.actions[1].text, "I've reset your router remotely and updated its firmware.");
        assert_eq!(summary.outcome[0].text, "Great, it works now.");
        assert!(summary.to_text(&c).starts_with("Problem: My router"));
    }

    #[test]
    fn a_lone_reply_that_acts_is_the_action() {
        // an STC-3-like exchange: Chinese written with `.`, @mentions, an emoticon
        let c = conversation(
            None,
            &[
                (Customer, "#电信服务#小区信号差,投诉几年都没人处理.打10000号讲着讲着就掉线了！@中国电信 @中国电信客服"),
                (Agent, "您好,您反映的情况我们已认真记录,会及时向相关部门反馈,敬请等待[呵呵]；"),
            ],
        );
        let summary = check(&c, &[0], &[1], &[]);
        assert!(summary.problem.iter().all(|l| !l.text.starts_with('@')), "{summary:?}");
        assert!(summary.to_text(&c).starts_with("问题："));
    }

    #[test]
    fn a_negated_resolution_is_no_outcome() {
        let c = conversation(
            None,
            &[(Customer, "我的宽带断了三天了。"), (Agent, "已为您提交报修。"), (Customer, "还是没解决，网还是断的。")],
        );
        check(&c, &[0, 2], &[1], &[]);
        let c = conversation(None, &[(Customer, "My card was charged twice."), (Customer, "It's still not fixed.")]);
        check(&c, &[0], &[], &[]);
    }

    #[test]
    fn the_word_lists_are_clean() {
        for list in [COURTESY, ACTION, COMMITMENT, RESOLVED, RESOLVED_CUSTOMER, RESOLVED_AGENT, ZH_STOP, EN_STOP] {
            for item in list.split('|') {
                assert!(!item.is_empty() && !item.starts_with(' ') && !item.contains("  "), "{item:?}");
                assert_eq!(item, seatmate_text::normalize(item), "lists are folded: {item:?}");
            }
        }
    }

    #[test]
    fn mentions_are_trimmed_but_not_e_mail_addresses() {
        assert_eq!(trim_mentions("@中国电信 @中国电信客服 我的宽带断了"), "我的宽带断了");
        assert_eq!(trim_mentions("是病毒吗@中国联通福建客服 @中国联通客服"), "是病毒吗");
        assert_eq!(trim_mentions("好的,1550179050@qq.com"), "好的,1550179050@qq.com");
        assert_eq!(trim_mentions("@中国电信"), "");
    }

    #[test]
    fn parts_may_be_empty() {
        assert!(summarize(&conversation(None, &[])).is_empty());
        let c = conversation(None, &[(Customer, "你好"), (Customer, "我的手机欠费停机了，可是我上周刚交过话费。")]);
        check(&c, &[1], &[], &[]);
        let c = conversation(None, &[(Agent, "Hello, how can I help you?")]);
        check(&c, &[], &[], &[]);
    }

    #[test]
    fn sentences_split_on_chinese_and_english_marks() {
        assert_eq!(sentences("断网了。重启也没用！怎么办？？"), ["断网了。", "重启也没用！", "怎么办？？"]);
        assert_eq!(sentences("处理.这样不行"), ["处理.", "这样不行"]);
        assert_eq!(
            sentences("It costs 3.5 dollars. See www.example.com now!"),
            ["It costs 3.5 dollars.", "See www.example.com now!"]
        );
        assert_eq!(sentences("他说：“好了。”然后挂了"), ["他说：“好了。”", "然后挂了"]);
    }

    #[test]
    fn long_sentences_are_cut_at_a_clause() {
        let long = "我的宽带从上周开始就一直断断续续，白天还好晚上特别严重，打游戏的时候一分钟掉好几次，\
                    看视频也一直卡，已经打过三次电话了，每次都说会派人来看但是一直没有人来，真的很影响生活";
        let pieces = fit(long);
        assert!(pieces.len() > 1);
        assert_eq!(pieces.concat(), long);
        assert!(pieces.iter().all(|p| width(p) <= WIDTH && p.ends_with('，') || p == pieces.last().unwrap()), "{pieces:?}");
        let english = "word ".repeat(60);
        assert!(fit(english.trim()).iter().all(|p| width(p) <= WIDTH && !p.starts_with(' ') && !p.ends_with("wor")));
    }

    #[test]
    fn the_language_comes_from_the_tag_or_the_text() {
        let zh = [(Customer, "我的手机没有信号")];
        let hant = [(Customer, "我的手機沒有信號，請幫我處理")];
        let en = [(Customer, "My phone has no signal since the 5G update")];
        assert_eq!(script(&conversation(None, &zh)), Script::Simplified);
        assert_eq!(script(&conversation(Some("zh"), &hant)), Script::Traditional);
        assert_eq!(script(&conversation(None, &en)), Script::English);
        assert_eq!(script(&conversation(Some("en"), &zh)), Script::English);
        assert_eq!(script(&conversation(Some("zh-TW"), &zh)), Script::Traditional);
        assert_eq!(script(&conversation(None, &[(Customer, "我的wifi password忘了")])), Script::Simplified);
    }
}
