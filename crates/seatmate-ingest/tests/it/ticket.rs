use seatmate_core::{Priority, TicketStatus};
use seatmate_ingest::{parse_priority, record_id, tickets_csv, TicketColumns};

use crate::{assert_err, ctx, NOW};

fn cols(text: &[&str], labels: &[&str]) -> TicketColumns {
    TicketColumns {
        text: text.iter().map(|s| s.to_string()).collect(),
        labels: labels.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

const CSV: &str = "\
ticket_no,title,body,l1,l2,l3,urgency,group,call,channel,created_at
T-1,宽带无法上网,\"光猫 LOS 灯红灯闪烁，
客户已重启\",宽带,故障报修,无法上网,0,NET,C-1001,电话,2025-03-01T09:30:00+08:00
T-2,,帳單金額有誤，請協助查詢,账务,账单查询,,high,BILL,,微信,
T-3,Cancel my data pack,,Mobile,,,,,,app,
";

#[test]
fn tickets_with_every_column() {
    let mut c = cols(&["title", "body"], &["l1", "l2", "l3"]);
    c.id = Some("ticket_no".into());
    c.priority = Some("URGENCY".into());
    c.team = Some("group".into());
    c.conversation = Some("call".into());
    let all = tickets_csv(&ctx("tickets.csv"), CSV.as_bytes(), &c, "crm").unwrap();
    assert_eq!(all.len(), 3);
    let (t, p) = (&all[0].ticket, &all[0]);
    assert_eq!(p.line, 2);
    assert_eq!(p.path, ["宽带", "故障报修", "无法上网"]);
    assert_eq!(t.id, record_id("ticket", "crm", "T-1"));
    assert_eq!(t.title, "宽带无法上网");
    assert_eq!(t.body, "宽带无法上网\n光猫 LOS 灯红灯闪烁，\n客户已重启");
    assert_eq!(t.category.as_deref(), Some("宽带/故障报修/无法上网"));
    assert_eq!((t.priority, t.status), (Priority::Urgent, TicketStatus::Open));
    assert_eq!((t.team.as_deref(), t.conversation_id.as_deref()), (Some("NET"), Some("C-1001")));
    assert_eq!((t.created_at, t.updated_at), (1_740_792_600_000, 1_740_792_600_000));
    assert_eq!(t.attributes.len(), 1);
    assert_eq!(t.attributes["channel"], "电话");

    let (t, p) = (&all[1].ticket, &all[1]);
    assert_eq!(p.line, 4, "the quoted newline moves the next row down");
    assert_eq!(p.path, ["账务", "账单查询"], "trailing empty levels are dropped");
    assert_eq!(t.title, "帳單金額有誤，請協助查詢", "the first non-empty text column is the title");
    assert_eq!(t.body, "帳單金額有誤，請協助查詢");
    assert_eq!(t.priority, Priority::High);
    assert_eq!((t.created_at, t.updated_at), (NOW, NOW));
    assert_eq!(t.conversation_id, None);

    let t = &all[2].ticket;
    assert_eq!((t.priority, t.team.as_deref(), t.category.as_deref()), (Priority::Normal, None, Some("Mobile")));
}

#[test]
fn long_titles_are_cut() {
    let long = "网".repeat(200);
    let csv = format!("text,category\n{long},x\n");
    let t = &tickets_csv(&ctx("t.csv"), csv.as_bytes(), &cols(&["text"], &["category"]), "s").unwrap()[0].ticket;
    assert_eq!(t.title.chars().count(), 120);
    assert_eq!(t.body, long);
}

#[test]
fn titles_are_one_line() {
    let csv = "body\n\"Router down\n  since   monday\"\n";
    let t = &tickets_csv(&ctx("t.csv"), csv.as_bytes(), &cols(&["body"], &[]), "s").unwrap()[0].ticket;
    assert_eq!((t.title.as_str(), t.body.as_str()), ("Router down since monday", "Router down\n  since   monday"));
    assert_eq!(t.category, None);
}

#[test]
fn ids_without_an_id_column_count_identical_rows() {
    let csv = "text,category\nWhere is my card?,card_arrival\n我的卡丢了,lost_card\nWhere is my card?,card_arrival\n";
    let all = tickets_csv(&ctx("t.csv"), csv.as_bytes(), &cols(&["text"], &["category"]), "b77").unwrap();
    let ids: Vec<&str> = all.iter().map(|p| p.ticket.external_id.as_str()).collect();
    assert!(ids[0].starts_with("h:") && ids[0].ends_with("#1"));
    assert_eq!(ids[2], ids[0].replace("#1", "#2"));
    assert!(ids[1].ends_with("#1"));
    assert_eq!(all, tickets_csv(&ctx("t.csv"), csv.as_bytes(), &cols(&["text"], &["category"]), "b77").unwrap());
}

#[test]
fn priorities() {
    for (s, p) in [
        ("0", Priority::Urgent),
        ("1", Priority::High),
        ("2", Priority::Normal),
        ("3", Priority::Low),
        (" Urgent ", Priority::Urgent),
        ("low", Priority::Low),
    ] {
        assert_eq!(parse_priority(s), Some(p), "{s}");
    }
    assert_eq!(parse_priority("4"), None);
    assert_eq!(parse_priority("P1"), None);
    let csv = "text,p\nhello,soon\n";
    let mut c = cols(&["text"], &[]);
    c.priority = Some("p".into());
    assert_err(tickets_csv(&ctx("t.csv"), csv.as_bytes(), &c, "s"), Some(2), Some("p"), "0–3");
}

#[test]
fn errors() {
    let csv = "title,body,category\na,b,c\n";
    let e = tickets_csv(&ctx("t.csv"), csv.as_bytes(), &cols(&["title", "text"], &["category"]), "s").unwrap_err();
    assert_eq!((e.line, e.field.as_deref()), (Some(1), Some("text")));
    assert!(e.message.contains("title, body, category"), "{e}");

    let csv = "title,body,category\na,b,c\nd,e\n";
    assert_err(
        tickets_csv(&ctx("t.csv"), csv.as_bytes(), &cols(&["title"], &[]), "s"),
        Some(3),
        None,
        "2 fields but the header has 3",
    );

    let csv = "title,body,l1,l2\na,b,,x\n";
    assert_err(
        tickets_csv(&ctx("t.csv"), csv.as_bytes(), &cols(&["title"], &["l1", "l2"]), "s"),
        Some(2),
        Some("l1"),
        "lower level",
    );

    let csv = "title,body,l1\na,b,宽带/光纤\n";
    assert_err(tickets_csv(&ctx("t.csv"), csv.as_bytes(), &cols(&["title"], &["l1"]), "s"), Some(2), Some("l1"), "`/`");

    let csv = "title,body,note\n,\"  \",x\n";
    assert_err(tickets_csv(&ctx("t.csv"), csv.as_bytes(), &cols(&["title", "body"], &[]), "s"), Some(2), Some("title"), "empty");

    let csv = "id,title\n1,a\n2,b\n1,c\n";
    let mut c = cols(&["title"], &[]);
    c.id = Some("id".into());
    assert_err(tickets_csv(&ctx("t.csv"), csv.as_bytes(), &c, "s"), Some(4), Some("id"), "first seen at line 2");

    let csv = "title,created_at\na,last week\n";
    assert_err(tickets_csv(&ctx("t.csv"), csv.as_bytes(), &cols(&["title"], &[]), "s"), Some(2), Some("created_at"), "RFC 3339");

    assert_err(tickets_csv(&ctx("t.csv"), b"title,body\n", &cols(&["title"], &[]), "s"), None, None, "no rows");
    assert_err(tickets_csv(&ctx("t.csv"), b"title\nx\n", &cols(&[], &[]), "s"), None, None, "--text");
}
