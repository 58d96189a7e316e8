//! The store conformance suite: every test runs on SQLite, and on PostgreSQL when
//! `SEATMATE_TEST_POSTGRES` holds a server URL (CI sets it). Each PostgreSQL test gets its own schema.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use seatmate_core::{
    Channel, Conversation, KnowledgeBody, KnowledgeItem, Priority, Role, Speaker, TaxonomyNode, Ticket, TicketStatus, Turn,
};
use seatmate_store::{ConversationFilter, NewUser};

mod backends;
mod suite;

pub fn node(code: &str, parent: Option<&str>, name_zh: &str, depth: i64) -> TaxonomyNode {
    TaxonomyNode {
        code: code.into(),
        parent: parent.map(Into::into),
        name_zh: name_zh.into(),
        name_en: format!("{code} en"),
        depth,
        team: None,
    }
}

pub fn conversation(external_id: &str, agent: &str, texts: &[(&str, &str)]) -> Conversation {
    Conversation {
        id: format!("id-{external_id}"),
        external_id: external_id.into(),
        source: "test".into(),
        channel: Channel::Chat,
        queue: Some("broadband".into()),
        agent: Some(agent.into()),
        customer_id: None,
        language: Some("zh".into()),
        started_at: 1_700_000_000_000 + external_id.len() as i64,
        ended_at: None,
        audio_ref: None,
        attributes: Default::default(),
        turns: texts
            .iter()
            .map(|(speaker, text)| Turn {
                speaker: speaker.parse::<Speaker>().unwrap(),
                text: (*text).into(),
                start_ms: None,
                end_ms: None,
                audio_ref: None,
            })
            .collect(),
    }
}

pub fn ticket(external_id: &str, conversation: Option<&str>, category: Option<&str>) -> Ticket {
    Ticket {
        id: format!("t-{external_id}"),
        external_id: external_id.into(),
        source: "test".into(),
        conversation_id: conversation.map(Into::into),
        title: "宽带断网".into(),
        body: "客户家里宽带无法上网".into(),
        category: category.map(Into::into),
        team: Some("NET".into()),
        priority: Priority::High,
        summary: String::new(),
        status: TicketStatus::Open,
        created_at: 1,
        updated_at: 1,
        attributes: Default::default(),
    }
}

pub fn faq(key: &str, answer: &str) -> KnowledgeItem {
    KnowledgeItem {
        id: format!("k-{key}"),
        key: key.into(),
        title: "如何办理携号转网".into(),
        category: None,
        language: Some("zh".into()),
        tags: vec![],
        version: 1,
        updated_at: 1,
        updated_by: "test".into(),
        body: KnowledgeBody::Faq {
            questions: vec!["如何办理携号转网".into(), "携號轉網怎麼辦".into()], answer: answer.into()
        },
    }
}

pub fn user(username: &str, role: Role, team: Option<&str>) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: username.into(),
        role,
        team: team.map(Into::into),
        password_hash: "hash".into(),
    }
}

pub fn no_progress(_: u64) {}

pub fn filter() -> ConversationFilter {
    ConversationFilter { limit: 50, ..Default::default() }
}
