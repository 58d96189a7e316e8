//! [`Import`] on one write transaction.

use async_trait::async_trait;
use seatmate_core::{Conversation, TaxonomyNode, Ticket};

use super::conversations::insert_conversation;
use super::taxonomy::insert_node;
use super::tickets::insert_ticket;
use super::{SqlStore, WriteTx};
use crate::{Import, ImportCounts, ImportStore, Result, Written};

struct SqlImport(WriteTx);

#[async_trait]
impl ImportStore for SqlStore {
    async fn begin_import(&self) -> Result<Box<dyn Import>> {
        Ok(Box::new(SqlImport(self.begin_write().await?)))
    }
}

#[async_trait]
impl Import for SqlImport {
    async fn conversations(&mut self, batch: &[Conversation]) -> Result<ImportCounts> {
        let mut counts = ImportCounts::default();
        for conversation in batch {
            counts.add(insert_conversation(&mut self.0 .1, conversation).await?);
        }
        Ok(counts)
    }

    async fn taxonomy_nodes(&mut self, nodes: &[TaxonomyNode]) -> Result<()> {
        for node in nodes {
            insert_node(&mut self.0 .1, node).await?;
        }
        Ok(())
    }

    async fn tickets(&mut self, batch: &[Ticket]) -> Result<ImportCounts> {
        let mut counts = ImportCounts::default();
        for ticket in batch {
            let inserted = insert_ticket(&mut self.0 .1, ticket, &format!("import:{}", ticket.source)).await?;
            counts.add(if inserted { Written::Inserted } else { Written::Unchanged });
        }
        Ok(counts)
    }

    async fn conversation_id_by_external(&mut self, external_id: &str) -> Result<Option<String>> {
        let id = sqlx::query_scalar("SELECT id FROM conversations WHERE external_id = $1 ORDER BY source LIMIT 1")
            .bind(external_id)
            .fetch_optional(&mut *self.0 .1)
            .await?;
        Ok(id)
    }

    async fn commit(self: Box<Self>) -> Result<()> {
        let (_turn, tx) = self.0;
        tx.commit().await?;
        Ok(())
    }
}
