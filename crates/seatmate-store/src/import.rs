//! Imports fed batch by batch: a large file never sits in memory whole, yet applies whole or not
//! at all.

use async_trait::async_trait;
use seatmate_core::{Conversation, TaxonomyNode, Ticket};

use crate::{ImportCounts, Result};

#[async_trait]
pub trait ImportStore: Send + Sync {
    /// Opens one write transaction for an import; see [`Import`].
    async fn begin_import(&self) -> Result<Box<dyn Import>>;
}

/// One open import. Everything written through it commits together on [`Import::commit`]; dropped
/// without a commit (a bad record further on, a crash), none of it is kept. While it is open it
/// holds the store's write turn, so other writers wait.
#[async_trait]
pub trait Import: Send {
    /// Inserts conversations not seen before (by source and external id).
    async fn conversations(&mut self, batch: &[Conversation]) -> Result<ImportCounts>;
    /// Inserts taxonomy nodes not there yet (parents before children).
    async fn taxonomy_nodes(&mut self, nodes: &[TaxonomyNode]) -> Result<()>;
    /// Inserts tickets not seen before; a category must already exist.
    async fn tickets(&mut self, batch: &[Ticket]) -> Result<ImportCounts>;
    /// The id of the conversation with this external id (any source), as this import sees it.
    async fn conversation_id_by_external(&mut self, external_id: &str) -> Result<Option<String>>;
    async fn commit(self: Box<Self>) -> Result<()>;
}
