//! Repeated wording: which training texts say the same thing in the same words, so that
//! cross-validation keeps them in one fold and its held-out predictions measure wording the fold's
//! model has not seen.
//!
//! Tickets repeat wording clause by clause, not whole: one customer says 光猫亮红灯 and then their
//! number, another says 光猫亮红灯 and asks how long it takes. A whole-text comparison misses that
//! (the rest of the two texts differs), so texts are compared clause by clause:
//!
//! - a **clause** is a run of text between line breaks and clause or sentence punctuation
//!   (`，。！？；,.!?;:：`), folded as every engine folds text ([`seatmate_text::normalize`]:
//!   NFKC, lower case, Traditional → Simplified);
//! - its **signature** is the set of its content words ([`seatmate_text::is_content_word`]), digits
//!   masked (`300m` and `500m` are the same wording), order and fillers ignored; a clause of fewer
//!   than [`MIN_CLAUSE_WORDS`] content words identifies no wording (好的, 没了);
//! - two texts **share wording** when they share a signature that only texts of **one label** have.
//!   A signature under several labels is boilerplate (对，就是这个号码) or a second request, not the
//!   wording a model learns a category from;
//! - groups are the connected components of "shares wording" (union-find), so a chain of
//!   near-duplicates lands in one group, as in near-duplicate removal.
//!
//! Groups never span labels, so folds can still be stratified by label.

use std::collections::HashMap;

use seatmate_text::{is_content_word, normalize, tokens};

use crate::vectorize::feature_hash;

/// Content words a clause needs to identify a wording.
pub const MIN_CLAUSE_WORDS: usize = 2;

/// Where one clause ends and the next begins.
fn is_clause_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '，' | '。' | '！' | '？' | '；' | '：' | '、' | ',' | '.' | '!' | '?' | ';' | ':')
}

/// The signatures of a text's clauses (hashes of their sorted, digit-masked content words), each once.
pub fn clause_signatures(text: &str) -> Vec<u64> {
    let folded = normalize(text);
    let mut out = Vec::new();
    for clause in folded.split(is_clause_break) {
        let mut words: Vec<String> = tokens(clause)
            .into_iter()
            .filter(|t| is_content_word(&t.text))
            .map(|t| t.text.chars().map(|c| if c.is_ascii_digit() { '0' } else { c }).collect())
            .collect();
        words.sort_unstable();
        words.dedup();
        if words.len() >= MIN_CLAUSE_WORDS {
            out.push(feature_hash(&words.join("\u{1}")));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// A group per text (the smallest index of its group, so ids are stable): texts of one label that
/// share a clause's wording, directly or through others, are in one group. `labels[i]` is text
/// `i`'s label.
pub fn wording_groups(texts: &[&str], labels: &[usize]) -> Vec<usize> {
    // per signature: the first text with it, and its label while only one label has it (a
    // million tickets' signatures fit in tens of MB this way)
    const MIXED: u32 = u32::MAX;
    let mut first: HashMap<u64, (u32, u32)> = HashMap::new();
    let mut signatures: Vec<u64> = Vec::new();
    let mut ends: Vec<usize> = Vec::with_capacity(texts.len());
    for (i, text) in texts.iter().enumerate() {
        let label = labels[i] as u32;
        for signature in clause_signatures(text) {
            let entry = first.entry(signature).or_insert((i as u32, label));
            if entry.1 != label {
                entry.1 = MIXED;
            }
            signatures.push(signature);
        }
        ends.push(signatures.len());
    }
    let mut parent: Vec<usize> = (0..texts.len()).collect();
    let mut start = 0;
    for (i, &end) in ends.iter().enumerate() {
        for signature in &signatures[start..end] {
            let (other, label) = first[signature];
            if label == MIXED || other as usize == i {
                continue;
            }
            let (a, b) = (find(&mut parent, i), find(&mut parent, other as usize));
            // the smaller index is the root, so a group's id is its first text
            let (low, high) = if a < b { (a, b) } else { (b, a) };
            parent[high] = low;
        }
        start = end;
    }
    (0..texts.len()).map(|i| find(&mut parent, i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_match_on_content_words_whatever_the_digits_script_and_fillers() {
        assert_eq!(clause_signatures("办的300M宽带晚上很慢"), clause_signatures("辦的500m寬帶晚上很慢"));
        assert_eq!(clause_signatures("请问一下，光猫亮红灯了！"), clause_signatures("光猫亮红灯了"));
        assert_eq!(clause_signatures("請問一下，光貓亮紅燈了"), clause_signatures("光猫亮红灯了"));
        assert_eq!(clause_signatures("光猫亮红灯了").len(), 1);
        assert!(clause_signatures("好的，谢谢。").is_empty());
    }

    #[test]
    fn shared_wording_groups_texts_of_one_label_only() {
        let texts = [
            "请问一下，光猫亮红灯了，网全断了\n对，就是这个号码",
            "光猫亮红灯了\n要多久能修好",
            "要多久能修好，宽带装机进度\n对，就是这个号码",
            "话费账单有问题\n对，就是这个号码",
        ];
        // "对，就是这个号码" is under two labels: boilerplate, it links nothing
        let groups = wording_groups(&texts, &[0, 0, 1, 2]);
        assert_eq!(groups, vec![0, 0, 2, 3]);
        // a chain: 0 shares with 1, 1 with 2
        let groups = wording_groups(&texts, &[0, 0, 0, 2]);
        assert_eq!(groups, vec![0, 0, 0, 3]);
    }
}
