//! The tantivy tokenizer: `seatmate-text`'s normalisation and words, plus English stemming, with
//! byte offsets into the original text so highlights land on what the author wrote.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use seatmate_text::TokenKind;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name under which [`SeatmateTokenizer`] is registered in the index.
pub(crate) const TOKENIZER_NAME: &str = "seatmate";

/// One analysed term: the indexed text and the byte range it came from in the original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub from: usize,
    pub to: usize,
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// Splits a text into the terms the index stores: normalised like every Seatmate engine
/// (NFKC, lower case, Traditional → Simplified), Chinese words from jieba (with the shorter words
/// inside long ones, as jieba's search mode finds them), English letter words
/// stemmed (Snowball English), numbers and mixed words (`5g`) kept as they are.
pub fn analyze(text: &str) -> Vec<Term> {
    // Normalise one character at a time so each normalised byte knows the original character it
    // came from; per character is what `seatmate_text::normalize` does for all but rare combining
    // sequences, which then simply stay unfolded.
    let mut normalized = String::with_capacity(text.len());
    // (start in `normalized`, original range) per original character.
    let mut origin: Vec<(usize, usize, usize)> = Vec::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for (at, c) in text.char_indices() {
        origin.push((normalized.len(), at, at + c.len_utf8()));
        if c.is_ascii() {
            normalized.push(c.to_ascii_lowercase());
        } else {
            normalized.push_str(&seatmate_text::normalize(c.encode_utf8(&mut buf)));
        }
    }
    let original_range = |from: usize, to: usize| {
        let first = origin.partition_point(|&(start, _, _)| start <= from).saturating_sub(1);
        let last = origin.partition_point(|&(start, _, _)| start < to).saturating_sub(1);
        let start = origin.get(first).map_or(0, |o| o.1);
        let end = origin.get(last).map_or(text.len(), |o| o.2);
        (start, end.max(start))
    };

    let mut out = Vec::new();
    let mut cursor = 0;
    for token in seatmate_text::tokens(&normalized) {
        let Some(found) = normalized.get(cursor..).and_then(|rest| rest.find(&token.text)) else {
            continue;
        };
        let from = cursor + found;
        let to = from + token.text.len();
        cursor = to;
        if token.kind == TokenKind::Han {
            for (offset, part) in seatmate_text::sub_words(&token.text) {
                let (part_from, part_to) = original_range(from + offset, from + offset + part.len());
                out.push(Term { text: part, from: part_from, to: part_to });
            }
        }
        let (from, to) = original_range(from, to);
        let text = if token.kind == TokenKind::Word && token.text.chars().all(char::is_alphabetic) {
            stemmer().stem(&token.text).into_owned()
        } else {
            token.text
        };
        out.push(Term { text, from, to });
    }
    out
}

/// [`analyze`] as a tantivy tokenizer, registered for every text field of the index.
#[derive(Clone, Default)]
pub struct SeatmateTokenizer {
    token: Token,
}

pub struct SeatmateTokenStream<'a> {
    terms: std::vec::IntoIter<Term>,
    token: &'a mut Token,
}

impl Tokenizer for SeatmateTokenizer {
    type TokenStream<'a> = SeatmateTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SeatmateTokenStream<'a> {
        self.token.reset();
        self.token.position = usize::MAX;
        SeatmateTokenStream { terms: analyze(text).into_iter(), token: &mut self.token }
    }
}

impl TokenStream for SeatmateTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(term) = self.terms.next() else {
            return false;
        };
        self.token.position = self.token.position.wrapping_add(1);
        self.token.offset_from = term.from;
        self.token.offset_to = term.to;
        self.token.text = term.text;
        self.token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}
