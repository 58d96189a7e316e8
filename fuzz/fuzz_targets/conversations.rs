//! Every conversation format, from any bytes: no panic, and an error names the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use seatmate_ingest::{
    conversation_asr_csv, conversation_asr_json, conversation_srt, conversation_vtt, conversations_jsonl, conversations_stc3,
    Context, SpeakerMap,
};

fuzz_target!(|data: &[u8]| {
    let Some((&format, bytes)) = data.split_first() else { return };
    let ctx = Context::new("fuzz", 0);
    let map = SpeakerMap::default();
    let error = match format % 6 {
        0 => conversations_jsonl(&ctx, bytes, "fuzz").err(),
        1 => conversations_stc3(&ctx, bytes).err(),
        2 => conversation_srt(&ctx, bytes, &map, None).err(),
        3 => conversation_vtt(&ctx, bytes, &map, None).err(),
        4 => conversation_asr_json(&ctx, bytes, &map, Some("x")).err(),
        _ => conversation_asr_csv(&ctx, bytes, &map, None).err(),
    };
    if let Some(error) = error {
        assert_eq!(error.file, "fuzz");
    }
});
