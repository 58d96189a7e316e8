use seatmate_ingest::{
    check_text, conversations_jsonl, parse_rfc3339, record_id, taxonomy_csv, tickets_csv, ImportError, TicketColumns,
};

use crate::{assert_err, ctx};

#[test]
fn empty_files_are_refused() {
    assert_err(check_text(&ctx("a.csv"), b""), None, None, "empty");
    assert_err(check_text(&ctx("a.csv"), b" \n\r\n"), None, None, "empty");
    assert_err(conversations_jsonl(&ctx("a.jsonl"), b"\xEF\xBB\xBF\n", "s"), None, None, "empty");
}

#[test]
fn invalid_utf8_names_its_line() {
    let bytes = b"title,body\n\xe5\xae\xbd\xe5\xb8\xa6,ok\nbad,\xff\xfe\n";
    assert_err(check_text(&ctx("t.csv"), bytes), Some(3), None, "UTF-8");
    // GBK-encoded text is a typical mistake.
    let gbk = b"{\"channel\":\"chat\",\"turns\":[{\"speaker\":\"customer\",\"text\":\"hi\"}]}\n\xc4\xe3\xba\xc3";
    assert_err(conversations_jsonl(&ctx("c.jsonl"), gbk, "s"), Some(2), None, "UTF-8");
}

#[test]
fn a_huge_line_is_refused_with_its_length() {
    let first = b"{\"channel\":\"chat\",\"turns\":[{\"speaker\":\"customer\",\"text\":\"hi\"}]}\n";
    let mut bytes = first.to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
    assert_err(conversations_jsonl(&ctx("big.jsonl"), &bytes, "s"), Some(2), None, "10485760 bytes long");
    let cols = TicketColumns { text: vec!["a".into()], ..Default::default() };
    assert_err(tickets_csv(&ctx("big.csv"), &bytes[first.len()..], &cols, "s"), Some(1), None, "limit");
    // Exactly 1 MiB is allowed.
    let ok = vec![b'a'; 1 << 20];
    assert!(check_text(&ctx("ok"), &ok).is_ok());
}

#[test]
fn a_bom_is_dropped() {
    assert_eq!(check_text(&ctx("x"), b"\xEF\xBB\xBFcode\n").ok(), Some("code\n"));
}

#[test]
fn errors_display_file_line_and_field() {
    let e = ImportError { file: "tickets.csv".into(), line: Some(12), field: Some("category".into()), message: "unknown".into() };
    assert_eq!(e.to_string(), "tickets.csv:12: field `category`: unknown");
    let e = ImportError { file: "a.json".into(), line: None, field: None, message: "the file is empty".into() };
    assert_eq!(e.to_string(), "a.json: the file is empty");
}

#[test]
fn record_ids_are_deterministic() {
    let id = record_id("conversation", "crm", "C-1001");
    assert_eq!(id.len(), 32);
    assert!(id.bytes().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(id, record_id("conversation", "crm", "C-1001"));
    assert_ne!(id, record_id("ticket", "crm", "C-1001"));
    // The separator keeps the parts apart.
    assert_ne!(record_id("a", "bc", "d"), record_id("a", "b", "cd"));
}

#[test]
fn rfc3339_times() {
    assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(parse_rfc3339("1969-12-31T23:59:59Z"), Some(-1000));
    assert_eq!(parse_rfc3339("2025-03-01T09:30:00+08:00"), Some(1_740_792_600_000));
    assert_eq!(parse_rfc3339("2024-02-29T23:59:59.5-05:30"), Some(1_709_270_999_500));
    assert_eq!(parse_rfc3339("2024-02-29 23:59:59.500123-05:30"), Some(1_709_270_999_500));
    for bad in [
        "2025-02-29T00:00:00Z",
        "2025-03-01T24:00:00Z",
        "2025-03-01T09:30:00",
        "2025-03-01",
        "yesterday",
        "2025-03-01T09:30:00+8:00",
    ] {
        assert_eq!(parse_rfc3339(bad), None, "{bad}");
    }
}

#[test]
fn unnamed_columns_twice_are_named_by_position() {
    // Found by props_fuzz::taxonomy: the error named the field ``.
    let csv = "code,parent,,name_zh,\nBB,,x,宽带,y\n";
    let e = taxonomy_csv(&ctx("t.csv"), csv.as_bytes()).unwrap_err();
    assert_eq!(e.to_string(), "t.csv:1: columns 3 and 5 of the header have no name");
    assert_err(taxonomy_csv(&ctx("t.csv"), b"code,parent,Code\nx,,y\n"), Some(1), Some("Code"), "twice");
}
