//! `seatmate demo`: a ready-to-use workspace for 星海通信, a telecom operator's contact centre, written
//! by the project (demo/README.md). The files are compiled in, written to `<data_dir>/demo/`, and
//! loaded through the same importers a user runs.

use std::path::Path;

use anyhow::Context as _;
use seatmate_core::{Millis, Role};
use seatmate_ingest::TicketColumns;
use seatmate_store::{NewUser, Store};

use crate::import::{self, ConversationFormat, ConversationOptions, KnowledgeFormat, TicketOptions};

const FILES: &[(&str, &str)] = &[
    ("teams.csv", include_str!("../../../demo/teams.csv")),
    ("taxonomy.csv", include_str!("../../../demo/taxonomy.csv")),
    ("faqs.csv", include_str!("../../../demo/faqs.csv")),
    ("flows.json", include_str!("../../../demo/flows.json")),
    ("conversations.jsonl", FILES_CONVERSATIONS),
    ("tickets.csv", include_str!("../../../demo/tickets.csv")),
    ("articles/broadband-troubleshooting.md", include_str!("../../../demo/articles/broadband-troubleshooting.md")),
    ("articles/complaint-escalation.md", include_str!("../../../demo/articles/complaint-escalation.md")),
    ("articles/number-portability.md", include_str!("../../../demo/articles/number-portability.md")),
    ("articles/privacy-identity-verification.md", include_str!("../../../demo/articles/privacy-identity-verification.md")),
    ("articles/roaming-rates.md", include_str!("../../../demo/articles/roaming-rates.md")),
];

/// The demo's conversations (JSON Lines), for the recordings some of them name.
const FILES_CONVERSATIONS: &str = include_str!("../../../demo/conversations.jsonl");
/// The demo's recordings are 8 kHz stereo, as a telephone line gives.
const RECORDING_RATE: u32 = 8_000;

/// Writes a synthetic recording (`seatmate_voice::synth`: speech where the turns' times say, the
/// agent on the left channel) for every demo conversation that names one in `audio_ref`, under
/// `audio_dir`, where the case library finds it.
fn recordings(jsonl: &str, audio_dir: &Path) -> anyhow::Result<()> {
    for line in jsonl.lines().filter(|l| l.contains("\"audio_ref\"")) {
        let conversation: serde_json::Value = serde_json::from_str(line).context("demo conversation")?;
        let Some(reference) = conversation["audio_ref"].as_str() else { continue };
        let mut agent = Vec::new();
        let mut customer = Vec::new();
        for turn in conversation["turns"].as_array().into_iter().flatten() {
            let (Some(start), Some(end)) = (turn["start_ms"].as_i64(), turn["end_ms"].as_i64()) else { continue };
            match turn["speaker"].as_str() {
                Some("agent") => agent.push((start, end)),
                Some("customer") => customer.push((start, end)),
                _ => {}
            }
        }
        let last = agent.iter().chain(&customer).map(|s| s.1).max().unwrap_or(0);
        let wav = seatmate_voice::synth::call(RECORDING_RATE, last as f32 / 1000.0 + 1.5, &agent, &customer)
            .map_err(|e| anyhow::anyhow!("cannot make the demo recording {reference}: {e}"))?;
        let path = audio_dir.join(reference);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, wav).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The password of every demo account (README.md lists them).
pub const DEMO_PASSWORD: &str = "seatmate-demo";

/// (username, display name, role, team)
pub const DEMO_USERS: &[(&str, &str, Role, Option<&str>)] = &[
    ("admin", "系统管理员", Role::Admin, None),
    ("lead01", "王班长", Role::TeamLead, Some("T1")),
    ("lead02", "赵班长", Role::TeamLead, Some("T2")),
    ("qa01", "陈质检", Role::QaInspector, None),
    ("trainer01", "林培训", Role::Trainer, None),
    ("agent01", "李晓燕", Role::Agent, Some("T1")),
    ("agent02", "张伟", Role::Agent, Some("T1")),
    ("agent03", "刘芳", Role::Agent, Some("T1")),
    ("agent04", "陈杰", Role::Agent, Some("T1")),
    ("agent05", "杨静", Role::Agent, Some("T2")),
    ("agent06", "黄磊", Role::Agent, Some("T2")),
    ("agent07", "周敏", Role::Agent, Some("T2")),
    ("agent08", "吴刚", Role::Agent, Some("T2")),
];

/// Loads the demo into an empty store; does nothing when the store already has users.
pub async fn load(store: &dyn Store, data_dir: &Path, now: Millis) -> anyhow::Result<bool> {
    if !store.list_users().await?.is_empty() {
        return Ok(false);
    }
    let dir = data_dir.join("demo");
    for (name, text) in FILES {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    recordings(FILES_CONVERSATIONS, &data_dir.join("audio"))?;
    let summaries = [
        import::teams(store, &dir.join("teams.csv"), now).await?,
        import::taxonomy(store, &dir.join("taxonomy.csv"), now).await?,
        import::knowledge(store, &dir.join("faqs.csv"), KnowledgeFormat::Faqs, now).await?,
        import::knowledge(store, &dir.join("articles"), KnowledgeFormat::Articles, now).await?,
        import::knowledge(store, &dir.join("flows.json"), KnowledgeFormat::Flows, now).await?,
        import::conversations(
            store,
            &[dir.join("conversations.jsonl")],
            &ConversationOptions { format: Some(ConversationFormat::Jsonl), source: Some("demo".into()), ..Default::default() },
            now,
        )
        .await?,
        import::tickets(
            store,
            &dir.join("tickets.csv"),
            &TicketOptions {
                columns: TicketColumns {
                    text: vec!["title".into(), "body".into()],
                    labels: vec!["category".into()],
                    team: Some("team".into()),
                    priority: Some("priority".into()),
                    conversation: Some("conversation".into()),
                    ..Default::default()
                },
                source: Some("demo".into()),
                create_taxonomy: false,
            },
            now,
        )
        .await?,
    ];
    for summary in &summaries {
        eprintln!("{summary}");
    }
    for (username, display_name, role, team) in DEMO_USERS {
        let password_hash = seatmate_server::hash_password(DEMO_PASSWORD).map_err(anyhow::Error::msg)?;
        let user = NewUser {
            username: (*username).into(),
            display_name: (*display_name).into(),
            role: *role,
            team: team.map(Into::into),
            password_hash,
        };
        store.create_user(&user, now).await?;
    }
    eprintln!("created {} demo accounts (password {DEMO_PASSWORD:?})", DEMO_USERS.len());
    Ok(true)
}
