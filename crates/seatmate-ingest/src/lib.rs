//! Seatmate's import formats (see `docs/formats.md`).
//!
//! Invariant: this crate parses bytes into domain records; it never touches the store, files, the
//! clock or the network. The caller passes the file's display name and the import time in a
//! [`Context`], and stores the records (resolving taxonomy paths, parents and conversation links).
//!
//! Every parser first runs [`check_text`] (or reads through [`CheckedText`], its streaming form):
//! the file must not be empty, no line may exceed 1 MiB, and it must be UTF-8. Errors name the
//! file, the 1-based line and the field. The formats whose files grow with the history —
//! conversations JSONL, STC-3 and tickets CSV — also stream (`read_…`): each record goes to a
//! callback as soon as it is read, so memory holds one record at a time. Ids are
//! deterministic ([`record_id`]), so importing a file twice adds nothing the second time.

mod abcd;
mod asr;
mod common;
mod conversation;
mod knowledge;
mod taxonomy;
mod ticket;

pub use abcd::{abcd_flows, AbcdFile, AbcdImport};
pub use asr::{conversation_asr_csv, conversation_asr_json, conversation_srt, conversation_vtt, SpeakerMap, ASR_SOURCE};
pub use common::{check_text, parse_rfc3339, record_id, CheckedText, Context, Emit, ImportError, MAX_LINE_BYTES};
pub use conversation::{
    conversations_jsonl, conversations_stc3, read_conversations_jsonl, read_conversations_stc3, CONVERSATION, STC3_SOURCE,
};
pub use knowledge::{article_markdown, faqs_csv, flows_json, knowledge_id, IMPORT_USER};
pub use taxonomy::{taxonomy_csv, taxonomy_json, teams_csv, TaxonomyImport};
pub use ticket::{parse_priority, read_tickets_csv, tickets_csv, ParsedTicket, TicketColumns, TICKET, TITLE_MAX_CHARS};
