//! Tickets, taxonomy, teams and FAQ files, from any bytes: no panic, and an error names the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use seatmate_ingest::{faqs_csv, taxonomy_csv, taxonomy_json, teams_csv, tickets_csv, Context, TicketColumns};

fuzz_target!(|data: &[u8]| {
    let Some((&format, bytes)) = data.split_first() else { return };
    let ctx = Context::new("fuzz", 0);
    let columns = TicketColumns {
        text: vec!["title".into(), "body".into()],
        labels: vec!["category".into(), "sub".into()],
        id: Some("id".into()),
        priority: Some("priority".into()),
        team: Some("team".into()),
        conversation: None,
    };
    let error = match format % 5 {
        0 => tickets_csv(&ctx, bytes, &columns, "fuzz").err(),
        1 => taxonomy_csv(&ctx, bytes).err(),
        2 => taxonomy_json(&ctx, bytes).err(),
        3 => teams_csv(&ctx, bytes).err(),
        _ => faqs_csv(&ctx, bytes).err(),
    };
    if let Some(error) = error {
        assert_eq!(error.file, "fuzz");
    }
});
