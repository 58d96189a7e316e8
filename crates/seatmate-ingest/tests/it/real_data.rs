//! Checks against the real data sets, when /work/shared/data exists (read only, never copied).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use seatmate_core::Priority;
use seatmate_ingest::{conversations_stc3, tickets_csv, TicketColumns};

use crate::ctx;

fn data(name: &str, file: &str) -> Option<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if !dir.is_dir() {
        println!("skipped: {name} (no shared data)");
        return None;
    }
    Some(std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}")))
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn stc3_dch1() {
    for (file, lang, expected) in [("train_data_cn.json", "zh", 3700), ("train_data_en.json", "en", 1672)] {
        let Some(bytes) = data("stc3", &format!("stc3-dch1-helpdesk/{file}")) else { return };
        let all = conversations_stc3(&ctx(file), &bytes).unwrap_or_else(|e| panic!("{e}"));
        println!("stc3 {file}: {} dialogues", all.len());
        assert_eq!(all.len(), expected);
        assert!(all.iter().all(|c| c.language.as_deref() == Some(lang) && !c.turns.is_empty()));
        assert!(all.iter().all(|c| c.attributes["annotators"] == 19 && c.attributes["quality"]["A"].is_f64()));
        assert_eq!(all.iter().map(|c| &c.id).collect::<HashSet<_>>().len(), expected);
    }
}

#[test]
fn it_tickets_endava() {
    let Some(bytes) = data("it-tickets-endava", "it-tickets-endava/all_tickets.csv") else { return };
    let cols = TicketColumns {
        text: strings(&["title", "body"]),
        labels: strings(&["category", "sub_category1", "sub_category2"]),
        priority: Some("urgency".into()),
        ..Default::default()
    };
    let all = tickets_csv(&ctx("all_tickets.csv"), &bytes, &cols, "endava").unwrap_or_else(|e| panic!("{e}"));
    println!("endava: {} tickets", all.len());
    assert_eq!(all.len(), 5431);
    let mut by_priority: HashMap<Priority, usize> = HashMap::new();
    for p in &all {
        *by_priority.entry(p.ticket.priority).or_default() += 1;
        assert_eq!(p.path.len(), 3);
        assert!(!p.ticket.title.is_empty());
        assert!(p.ticket.attributes.contains_key("impact") && p.ticket.attributes.contains_key("business_service"));
    }
    println!("endava priorities: {by_priority:?}");
    assert_eq!(by_priority[&Priority::Low], 4855);
    assert_eq!(by_priority[&Priority::Urgent], 14);
    assert_eq!(all.iter().map(|p| &p.ticket.id).collect::<HashSet<_>>().len(), 5431);
}

#[test]
fn banking77() {
    let Some(bytes) = data("banking77", "banking77/train.csv") else { return };
    let cols = TicketColumns { text: strings(&["text"]), labels: strings(&["category"]), ..Default::default() };
    let all = tickets_csv(&ctx("train.csv"), &bytes, &cols, "banking77").unwrap_or_else(|e| panic!("{e}"));
    let categories: HashSet<_> = all.iter().filter_map(|p| p.ticket.category.as_deref()).collect();
    println!("banking77: {} tickets, {} categories", all.len(), categories.len());
    assert_eq!(all.len(), 10_003);
    assert_eq!(categories.len(), 77);
    assert_eq!(all.iter().map(|p| &p.ticket.id).collect::<HashSet<_>>().len(), 10_003);
}
