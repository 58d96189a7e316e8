//! The streamed readers hand each record on as soon as it is read, before the rest of the input
//! exists, and stop at the first bad record with its line.

use std::io::{BufReader, Cursor, Read};

use seatmate_ingest::{read_conversations_jsonl, read_conversations_stc3, read_tickets_csv, TicketColumns};

use crate::{assert_err, ctx};

/// Serves `head`, then fails: a reader that never holds more than it has served.
struct ThenFails {
    head: Cursor<Vec<u8>>,
}

impl Read for ThenFails {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        match self.head.read(out)? {
            0 => Err(std::io::Error::other("the disk went away")),
            n => Ok(n),
        }
    }
}

fn conversation_line(i: usize) -> String {
    format!("{{\"external_id\":\"c{i}\",\"channel\":\"chat\",\"turns\":[{{\"speaker\":\"customer\",\"text\":\"turn {i}\"}}]}}\n")
}

#[test]
fn conversations_reach_the_caller_before_the_input_ends() {
    let head: String = (0..50).map(conversation_line).collect();
    let input = BufReader::with_capacity(64, ThenFails { head: Cursor::new(head.into_bytes()) });
    let mut seen = Vec::new();
    let result = read_conversations_jsonl(&ctx("live.jsonl"), input, "s", &mut |c| {
        seen.push(c.external_id);
        Ok(())
    });
    assert_err(result, Some(51), None, "the disk went away");
    assert_eq!(seen.len(), 50);
    assert_eq!(seen[49], "c49");
}

#[test]
fn a_bad_record_stops_the_stream_with_its_line() {
    let mut text: String = (0..3).map(conversation_line).collect();
    text.push_str("{\"channel\":\"chat\",\"turns\":[]}\n");
    text.push_str(&conversation_line(9));
    let mut seen = 0;
    let result = read_conversations_jsonl(&ctx("c.jsonl"), text.as_bytes(), "s", &mut |_| {
        seen += 1;
        Ok(())
    });
    assert_err(result, Some(4), Some("turns"), "at least one turn");
    assert_eq!(seen, 3);
}

#[test]
fn the_caller_can_stop_a_stream() {
    let text: String = (0..10).map(conversation_line).collect();
    let stop =
        seatmate_ingest::ImportError { file: "c.jsonl".into(), line: None, field: None, message: "the store is gone".into() };
    let mut seen = 0;
    let result = read_conversations_jsonl(&ctx("c.jsonl"), text.as_bytes(), "s", &mut |_| {
        seen += 1;
        if seen == 2 {
            return Err(stop.clone());
        }
        Ok(())
    });
    assert_eq!(result.unwrap_err(), stop);
    assert_eq!(seen, 2);
}

#[test]
fn tickets_stream_row_by_row() {
    let mut text = String::from("id,text,label\n");
    for i in 0..20 {
        text.push_str(&format!("t{i},\"line one\nline two of {i}\",BB\n"));
    }
    let input = BufReader::with_capacity(32, ThenFails { head: Cursor::new(text.into_bytes()) });
    let cols =
        TicketColumns { id: Some("id".into()), text: vec!["text".into()], labels: vec!["label".into()], ..Default::default() };
    let mut lines = Vec::new();
    let result = read_tickets_csv(&ctx("t.csv"), input, &cols, "s", &mut |t| {
        lines.push(t.line);
        Ok(())
    });
    assert_err(result, Some(42), None, "the disk went away");
    assert_eq!(lines.len(), 20);
    assert_eq!((lines[0], lines[19]), (2, 40), "each row's line is where it starts");
}

#[test]
fn stc3_dialogues_stream_one_at_a_time_and_name_a_bad_field() {
    let dialogue = |id: &str, sender: &str| {
        format!("{{\"id\":\"{id}\",\"turns\":[{{\"sender\":\"{sender}\",\"utterances\":[\"网络断了\"]}}]}}")
    };
    let good = format!("[\n{},\n{}\n]\n", dialogue("1", "customer"), dialogue("2", "helpdesk"));
    let mut ids = Vec::new();
    let read = read_conversations_stc3(&ctx("s.json"), Cursor::new(good.as_bytes()), &mut |c| {
        ids.push(c.external_id);
        Ok(())
    })
    .unwrap();
    assert_eq!((read, ids), (2, vec!["zh:1".to_string(), "zh:2".to_string()]));

    let bad = format!("[\n{},\n{}\n]\n", dialogue("1", "customer"), dialogue("2", "robot"));
    let result = read_conversations_stc3(&ctx("s.json"), Cursor::new(bad.as_bytes()), &mut |_| Ok(()));
    assert_err(result, Some(3), Some("[1].turns[0].sender"), "robot");
}
