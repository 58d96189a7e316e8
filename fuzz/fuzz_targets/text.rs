//! The text pipeline and personal-data masking on any text: no panic, tokens and spans inside
//! the text on character boundaries, normalising and masking idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let normalized = seatmate_text::normalize(text);
    assert_eq!(seatmate_text::normalize(&normalized), normalized, "normalising twice changes nothing");
    let _ = seatmate_text::tokens(&normalized);
    let _ = seatmate_text::features(text, &seatmate_text::FeatureConfig::default());

    let spans = seatmate_redact::find(text);
    for span in &spans {
        assert!(span.start < span.end && span.end <= text.len());
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    }
    assert!(spans.windows(2).all(|w| w[0].end <= w[1].start), "spans are sorted and do not overlap");
    let masked = seatmate_redact::mask(text);
    assert_eq!(seatmate_redact::mask(&masked), masked, "masking twice changes nothing");
});
