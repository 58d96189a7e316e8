use seatmate_core::{FlowStepKind, KnowledgeBody, KnowledgeKind};
use seatmate_ingest::{article_markdown, faqs_csv, flows_json, knowledge_id};

use crate::{assert_err, ctx, NOW};

#[test]
fn faqs() {
    let csv = "id,question,alternates,answer,category,language,tags\n\
               FAQ-1,宽带断网怎么办？,网断了|上不了网| ,请先重启光猫。,BB.F,zh,宽带|故障\n\
               FAQ-2,如何查詢帳單？,,登入網上營業廳查詢。,,zh-TW,\n";
    let all = faqs_csv(&ctx("faq.csv"), csv.as_bytes()).unwrap();
    assert_eq!(all.len(), 2);
    let f = &all[0];
    assert_eq!((f.key.as_str(), f.title.as_str()), ("FAQ-1", "宽带断网怎么办？"));
    assert_eq!(f.id, knowledge_id(KnowledgeKind::Faq, "FAQ-1"));
    assert_eq!((f.version, f.updated_at, f.updated_by.as_str()), (1, NOW, "import"));
    assert_eq!((f.category.as_deref(), f.language.as_deref()), (Some("BB.F"), Some("zh")));
    assert_eq!(f.tags, ["宽带", "故障"]);
    let KnowledgeBody::Faq { questions, answer } = &f.body else { panic!("not an FAQ") };
    assert_eq!(questions, &["宽带断网怎么办？", "网断了", "上不了网"]);
    assert_eq!(answer, "请先重启光猫。");
    assert_eq!((all[1].category.as_deref(), all[1].tags.len()), (None, 0));

    assert_err(faqs_csv(&ctx("faq.csv"), "id,question,answer\nF1,Q,\n".as_bytes()), Some(2), Some("answer"), "empty");
    assert_err(faqs_csv(&ctx("faq.csv"), "id,question,answer\nF1,Q,A\nF1,Q2,A2\n".as_bytes()), Some(3), Some("id"), "duplicate");
    assert_err(faqs_csv(&ctx("faq.csv"), "id,q,answer\nF1,Q,A\n".as_bytes()), Some(1), Some("question"), "id, q, answer");
}

#[test]
fn articles() {
    let md = "```\n# not a title\n```\n\n# 宽带故障排查指南 #\n\n1. 检查光猫指示灯\n";
    let a = article_markdown(&ctx("kb/bb/fault.md"), "kb/bb/fault", md.as_bytes()).unwrap();
    assert_eq!((a.key.as_str(), a.title.as_str()), ("kb/bb/fault", "宽带故障排查指南"));
    assert_eq!(a.id, knowledge_id(KnowledgeKind::Article, "kb/bb/fault"));
    assert_eq!(a.body, KnowledgeBody::Article { markdown: md.into() });
    let a = article_markdown(&ctx("x"), "billing\\帳單說明.md", "## 說明\n內容".as_bytes()).unwrap();
    assert_eq!((a.key.as_str(), a.title.as_str()), ("billing/帳單說明", "帳單說明"));
    assert_err(article_markdown(&ctx("x.md"), "x", b"\n\n"), None, None, "empty");
}

const FLOW: &str = r#"{"key":"bb-fault","title":"宽带故障报修","category":"BB.FAULT","description":"宽带断网的排查",
"start":"s1",
"steps":[{"id":"s1","kind":"ask","text":"光猫的 LOS 灯是否红灯闪烁？","options":[{"label":"是","next":"s2"},{"label":"否","next":"s3"}]},
{"id":"s2","kind":"action","text":"登记光路故障工单","next":"s4"},
{"id":"s3","kind":"say","text":"请重启光猫","next":"s4"},
{"id":"s4","kind":"end","text":"告知 24 小时内上门"}]}"#;

#[test]
fn flows() {
    let all = flows_json(&ctx("flows.json"), FLOW.as_bytes()).unwrap();
    let f = &all[0];
    assert_eq!((f.key.as_str(), f.title.as_str(), f.category.as_deref()), ("bb-fault", "宽带故障报修", Some("BB.FAULT")));
    assert_eq!(f.id, knowledge_id(KnowledgeKind::Flow, "bb-fault"));
    let KnowledgeBody::Flow(flow) = &f.body else { panic!("not a flow") };
    assert_eq!((flow.start.as_str(), flow.steps.len(), flow.steps[0].kind), ("s1", 4, FlowStepKind::Ask));
    assert_eq!(flow.description, "宽带断网的排查");

    let two = format!("[{FLOW},\n{}]", FLOW.replace("bb-fault", "bb-slow"));
    assert_eq!(flows_json(&ctx("flows.json"), two.as_bytes()).unwrap().len(), 2);
}

#[test]
fn flow_errors() {
    let broken = format!("[{FLOW},\n{}]", FLOW.replace("bb-fault", "bb-slow").replace(r#""next":"s4"}"#, r#""next":"s9"}"#));
    let e = flows_json(&ctx("flows.json"), broken.as_bytes()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("[1]"), "{e}");
    assert_eq!(e.line, Some(12), "{e}");
    assert!(e.message.contains("\"bb-slow\"") && e.message.contains("\"s9\""), "{e}");

    let bad_kind = FLOW.replace(r#""kind":"say""#, r#""kind":"wait""#);
    assert_err(
        flows_json(&ctx("flows.json"), bad_kind.as_bytes()),
        Some(5),
        Some("steps[2].kind"),
        "`say`, `ask`, `action`, `end`",
    );

    let dup = format!("[{FLOW},{FLOW}]");
    assert_err(flows_json(&ctx("flows.json"), dup.as_bytes()), None, Some("[1].key"), "duplicate");

    let no_options = FLOW.replace(r#""kind":"say""#, r#""kind":"ask""#);
    assert_err(
        flows_json(&ctx("flows.json"), no_options.as_bytes()),
        None,
        None,
        "flow \"bb-fault\": ask step \"s3\" has no options",
    );
}
