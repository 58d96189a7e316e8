//! Markdown articles, guided flows and the ABCD files, from any bytes: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use seatmate_ingest::{abcd_flows, article_markdown, flows_json, AbcdFile, Context};

fuzz_target!(|data: &[u8]| {
    let Some((&format, bytes)) = data.split_first() else { return };
    let ctx = Context::new("fuzz", 0);
    match format % 3 {
        0 => {
            let _ = article_markdown(&ctx, "key", bytes);
        }
        1 => {
            let _ = flows_json(&ctx, bytes);
        }
        _ => {
            // three files cut from one input
            let third = bytes.len() / 3;
            let (a, rest) = bytes.split_at(third);
            let (b, c) = rest.split_at(third);
            let file = |bytes| AbcdFile { ctx: Context::new("fuzz", 0), bytes };
            let _ = abcd_flows(file(a), file(b), file(c));
        }
    }
});
