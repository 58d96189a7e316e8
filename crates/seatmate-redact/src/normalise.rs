//! Full-width folding with a map back to the original text, so detectors see ASCII digits and
//! punctuation while spans keep pointing into what the caller gave.

/// The text the detectors read: full-width ASCII (`０-９`, `Ａ-Ｚ`, `：`, `（`…) folded to ASCII and
/// odd spaces to a plain space, one character for one character.
pub(crate) struct Normalised {
    pub(crate) text: String,
    /// For every byte of `text`, and one past its end, the byte offset in the original text.
    offsets: Vec<usize>,
}

impl Normalised {
    pub(crate) fn new(original: &str) -> Normalised {
        let mut text = String::with_capacity(original.len());
        let mut offsets = Vec::with_capacity(original.len() + 1);
        for (at, c) in original.char_indices() {
            let folded = fold(c);
            text.push(folded);
            offsets.extend(std::iter::repeat_n(at, folded.len_utf8()));
        }
        offsets.push(original.len());
        Normalised { text, offsets }
    }

    /// The original byte range of `start..end` in the normalised text (both on char boundaries).
    pub(crate) fn original(&self, start: usize, end: usize) -> (usize, usize) {
        (self.offsets[start], self.offsets[end])
    }
}

pub(crate) fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200A}' | '\u{202F}' => ' ',
        '\u{FFE5}' => '¥',
        // the dashes people type between digit groups
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' => '-',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_and_maps_offsets_back() {
        let original = "手机：１３９ａ";
        let n = Normalised::new(original);
        assert_eq!(n.text, "手机:139a");
        let start = n.text.find('1').unwrap();
        let (s, e) = n.original(start, n.text.len());
        assert_eq!(&original[s..e], "１３９ａ");
    }
}
