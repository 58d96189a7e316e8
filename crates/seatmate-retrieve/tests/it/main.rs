#![allow(clippy::unwrap_used, clippy::expect_used)]

use seatmate_core::{FlowStep, FlowStepKind, GuidedFlow, KnowledgeBody, KnowledgeItem, KnowledgeKind};
use seatmate_retrieve::{analyze, Hit, KnowledgeIndex, MatchedField};

fn item(id: &str, title: &str, body: KnowledgeBody) -> KnowledgeItem {
    KnowledgeItem {
        id: id.to_string(),
        key: format!("key-{id}"),
        title: title.to_string(),
        category: None,
        language: None,
        tags: Vec::new(),
        version: 1,
        updated_at: 0,
        updated_by: String::new(),
        body,
    }
}

/// The passage with its highlights drawn as `<mark>…</mark>`, for readable assertions.
fn marked(hit: &Hit) -> String {
    let chars: Vec<char> = hit.passage.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for [start, end] in &hit.highlights {
        assert!(at <= *start && start < end && *end <= chars.len(), "bad highlight {start}..{end} in {:?}", hit.passage);
        out.extend(&chars[at..*start]);
        out.push_str("<mark>");
        out.extend(&chars[*start..*end]);
        out.push_str("</mark>");
        at = *end;
    }
    out.extend(&chars[at..]);
    out
}

fn faq(id: &str, questions: &[&str], answer: &str) -> KnowledgeItem {
    let body = KnowledgeBody::Faq { questions: questions.iter().map(|q| q.to_string()).collect(), answer: answer.to_string() };
    item(id, questions[0], body)
}

fn fixtures() -> Vec<KnowledgeItem> {
    vec![
        faq("refund", &["怎么申请退款", "退款多久到账"], "在订单页面点击申请退款，三个工作日内原路退回。"),
        faq("password", &["忘记密码怎么办", "如何重置登录密码"], "在登录页点击忘记密码，按短信验证码重置。"),
        faq(
            "cancel",
            &["How do I cancel my order?", "Can an order be cancelled after payment?"],
            "Open the order and press Cancel.",
        ),
        faq("invoice", &["How do I get an invoice?"], "Invoices are emailed after delivery."),
        item(
            "returns",
            "Return policy",
            KnowledgeBody::Article { markdown: "# Returns\n\nItems can be returned within **30 days** of delivery.".into() },
        ),
        item(
            "outage",
            "Broadband outage",
            KnowledgeBody::Flow(GuidedFlow {
                description: "When the customer reports no internet".into(),
                start: "s1".into(),
                steps: vec![FlowStep {
                    id: "s1".into(),
                    kind: FlowStepKind::Say,
                    text: "Ask them to restart the router".into(),
                    options: vec![],
                    next: None,
                    action: None,
                    cues: vec![],
                }],
                required: vec![],
            }),
        ),
    ]
}

fn index() -> KnowledgeIndex {
    let index = KnowledgeIndex::in_memory().unwrap();
    index.upsert(&fixtures()).unwrap();
    index.commit().unwrap();
    index
}

fn top(index: &KnowledgeIndex, query: &str) -> Hit {
    index.search(query, 3).unwrap().into_iter().next().unwrap_or_else(|| panic!("no hit for {query}"))
}

#[test]
fn simplified_and_traditional_queries_find_a_simplified_faq() {
    let index = index();
    for query in ["退款要多久", "退款要多久到賬", "退款要多久到账？"] {
        let hit = top(&index, query);
        assert_eq!(hit.id, "refund", "{query}");
        assert_eq!(hit.kind, KnowledgeKind::Faq);
        assert_eq!(hit.matched_field, MatchedField::Question);
        // The phrasing that matched best is the passage: question-to-question matching.
        assert!(marked(&hit).starts_with("<mark>退款"), "{}", marked(&hit));
        assert_eq!(hit.passage, "退款多久到账");
    }
}

#[test]
fn full_width_and_case_fold() {
    let index = index();
    assert_eq!(top(&index, "ＩＮＶＯＩＣＥ").id, "invoice");
}

#[test]
fn english_words_are_stemmed() {
    let index = index();
    let hit = top(&index, "cancelled orders");
    assert_eq!(hit.id, "cancel");
    assert!(hit.matched_terms.contains(&"cancelled".to_string()), "{:?}", hit.matched_terms);
    assert_eq!(hit.matched_field, MatchedField::Question);
    let hit = top(&index, "cancel");
    assert_eq!(hit.id, "cancel");
    assert!(marked(&hit).to_lowercase().contains("<mark>cancel"), "{}", marked(&hit));
}

#[test]
fn highlights_point_at_the_original_text() {
    let terms = analyze("ＡＢＣ Cancelled 退款到賬");
    let texts: Vec<&str> = terms.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(texts[..2], ["abc", "cancel"]);
    let text = "ＡＢＣ Cancelled 退款到賬";
    assert_eq!(&text[terms[0].from..terms[0].to], "ＡＢＣ");
    assert_eq!(&text[terms[1].from..terms[1].to], "Cancelled");
    assert!(texts.contains(&"退款"), "{texts:?}");
    assert!(terms.iter().all(|t| text.is_char_boundary(t.from) && text.is_char_boundary(t.to)));
}

#[test]
fn articles_and_flows_match_their_bodies() {
    let index = index();
    let hit = top(&index, "returned within 30 days");
    assert_eq!(hit.id, "returns");
    assert_eq!(hit.matched_field, MatchedField::Body);
    assert!(marked(&hit).contains("<mark>"), "{}", marked(&hit));
    let hit = top(&index, "restart router");
    assert_eq!(hit.id, "outage");
    assert_eq!(hit.kind, KnowledgeKind::Flow);
}

#[test]
fn an_edit_is_searchable_right_after_commit() {
    let index = index();
    assert!(index.search("loyalty points", 3).unwrap().is_empty());
    let mut edited = faq("invoice", &["How do I get an invoice?", "Where are my loyalty points?"], "Points show on the invoice.");
    edited.version = 2;
    index.upsert(&[edited]).unwrap();
    index.commit().unwrap();
    let hit = top(&index, "loyalty points");
    assert_eq!(hit.id, "invoice");
    assert!(marked(&hit).contains("<mark>loyalty</mark>"), "{}", marked(&hit));
    assert_eq!(index.len(), 6, "the upsert replaced the old version");
}

#[test]
fn delete_removes_the_item() {
    let index = index();
    index.delete("password").unwrap();
    index.commit().unwrap();
    assert!(index.search("忘记密码", 5).unwrap().iter().all(|h| h.id != "password"));
    assert_eq!(index.len(), 5);
}

#[test]
fn a_directory_index_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = KnowledgeIndex::open(dir.path()).unwrap();
        index.upsert(&fixtures()).unwrap();
        index.commit().unwrap();
    }
    let index = KnowledgeIndex::open(dir.path()).unwrap();
    assert_eq!(index.len(), 6);
    assert_eq!(top(&index, "重置密碼").id, "password");
}

#[test]
fn passages_are_plain_text_with_character_highlights() {
    let index = KnowledgeIndex::in_memory().unwrap();
    index
        .upsert(&[
            faq("html", &["Why does <script> show up?"], "Because & and <b>."),
            faq("login", &["Why can't I log in?"], "Reset your password."),
            faq("roam", &["国际漫游怎么开通"], "发送短信开通。"),
        ])
        .unwrap();
    index.commit().unwrap();
    let hit = top(&index, "script");
    assert_eq!(marked(&hit), "Why does <<mark>script</mark>> show up?");
    // apostrophes and other characters are never entity-escaped: the client escapes
    let hit = top(&index, "can't log in");
    assert_eq!(hit.passage, "Why can't I log in?");
    assert!(marked(&hit).contains("<mark>log</mark>"), "{}", marked(&hit));
    // offsets count characters, not bytes
    let hit = top(&index, "漫游");
    assert!(marked(&hit).contains("<mark>漫游</mark>"), "{}", marked(&hit));
}

#[test]
fn empty_queries_find_nothing() {
    let index = index();
    assert!(index.search("", 5).unwrap().is_empty());
    assert!(index.search("？！", 5).unwrap().is_empty());
}

/// The fixtures indexed with the sentence encoder, or `None` (the test is skipped, and says so)
/// without the model file.
fn semantic_index(test: &str) -> Option<KnowledgeIndex> {
    let path = seatmate_embed::model_for_test(test).unwrap()?;
    let encoder = seatmate_embed::Encoder::load(&path).unwrap();
    let cache = seatmate_embed::EmbeddingCache::in_memory(encoder.dim());
    let index =
        KnowledgeIndex::in_memory().unwrap().with_encoder(std::sync::Arc::new(seatmate_embed::CachedEncoder { encoder, cache }));
    index.upsert(&fixtures()).unwrap();
    index.commit().unwrap();
    Some(index)
}

#[test]
fn meaning_finds_what_shares_no_word() {
    let Some(index) = semantic_index("meaning_finds_what_shares_no_word") else { return };
    // No word in common with the FAQ's phrasings: found by meaning, and says so.
    assert_eq!(top(&index, "钱什么时候能退回来").id, "refund");
    let hit = top(&index, "账户口令记不住了");
    assert_eq!(hit.id, "password");
    assert!(hit.matched_terms.is_empty() && hit.lexical_score == 0.0, "{hit:?}");
    assert!(hit.semantic.is_some());
    assert_eq!(hit.matched_field, MatchedField::Question);
    assert!(!hit.passage.is_empty(), "the closest phrasing is shown as the passage");
    let hit = top(&index, "the internet at home stopped working");
    assert_eq!(hit.id, "outage");
    // Scores are probabilities, best first.
    let hits = index.search("怎么申请退款", 6).unwrap();
    assert_eq!(hits[0].id, "refund");
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(hits.iter().all(|h| (0.0..=1.0).contains(&h.score)));
    assert!(hits[0].score > 0.5 && hits[hits.len() - 1].score < hits[0].score);
}

#[test]
fn agents_feedback_raises_and_lowers_an_item() {
    let Some(index) = semantic_index("agents_feedback_raises_and_lowers_an_item") else { return };
    let before = index.search("order", 6).unwrap();
    let invoice = before.iter().find(|h| h.id == "invoice").unwrap().score;
    index.set_feedback([("invoice".to_string(), 5, 0)]);
    let liked = index.search("order", 6).unwrap();
    assert!(liked.iter().find(|h| h.id == "invoice").unwrap().score > invoice);
    index.set_feedback([("invoice".to_string(), 0, 5)]);
    let disliked = index.search("order", 6).unwrap();
    assert!(disliked.iter().find(|h| h.id == "invoice").map_or(0.0, |h| h.score) < invoice);
}

#[test]
fn an_edited_item_replaces_its_vectors_and_a_deleted_one_is_gone() {
    let Some(index) = semantic_index("an_edited_item_replaces_its_vectors_and_a_deleted_one_is_gone") else { return };
    index.upsert(&[faq("invoice", &["Where is my receipt for the subscription?"], "Receipts are in the account page.")]).unwrap();
    index.commit().unwrap();
    assert_eq!(top(&index, "where can I find the receipt").id, "invoice");
    index.delete("invoice").unwrap();
    index.commit().unwrap();
    assert!(index.search("where can I find the receipt", 6).unwrap().iter().all(|h| h.id != "invoice"));
}

#[test]
fn every_hit_carries_what_to_say_or_do() {
    let index = index();
    assert_eq!(top(&index, "我想申请退款").answer, "在订单页面点击申请退款，三个工作日内原路退回。");
    assert_eq!(top(&index, "no internet at home").answer, "Ask them to restart the router");
    assert!(top(&index, "return within 30 days").answer.contains("30 days"));
}

#[test]
fn explanations_name_the_words_that_say_something() {
    let index = index();
    let hit = top(&index, "我的密码忘记了怎么办呢");
    assert_eq!(hit.id, "password");
    // the customer's words, never particles, pronouns or single characters
    assert!(
        hit.matched_terms.iter().all(|t| !["我", "的", "了", "呢", "怎么办"].contains(&t.as_str())),
        "{:?}",
        hit.matched_terms
    );
    assert!(hit.matched_terms.contains(&"密码".to_string()), "{:?}", hit.matched_terms);
    let marked = marked(&hit);
    assert!(marked.contains("密码</mark>") && !marked.contains("<mark>怎么办"), "{marked}");
    // English: the word as the customer wrote it, not its stem
    let hit = top(&index, "Can my cancelled order be refunded?");
    assert!(!hit.matched_terms.iter().any(|t| ["my", "can", "be", "cancel"].contains(&t.as_str())), "{:?}", hit.matched_terms);
}
