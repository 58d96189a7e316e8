//! The category tree and the teams tickets are dispatched to.

use async_trait::async_trait;
use seatmate_core::{TaxonomyNode, Team};

use crate::{ImportCounts, Progress, Result};

/// A taxonomy node with how many children it has, for lazy tree browsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeWithChildren {
    pub node: TaxonomyNode,
    pub child_count: i64,
}

#[async_trait]
pub trait TaxonomyStore: Send + Sync {
    async fn upsert_teams(&self, teams: &[Team]) -> Result<ImportCounts>;
    async fn list_teams(&self) -> Result<Vec<Team>>;
    /// Inserts or updates nodes (parents before children). A parent must exist or come earlier.
    async fn upsert_taxonomy(&self, nodes: &[TaxonomyNode], progress: Progress<'_>) -> Result<ImportCounts>;
    /// The children of `parent`, or the roots.
    async fn taxonomy_children(&self, parent: Option<&str>) -> Result<Vec<NodeWithChildren>>;
    async fn taxonomy_node(&self, code: &str) -> Result<Option<TaxonomyNode>>;
    /// The node and its ancestors, root first.
    async fn taxonomy_path(&self, code: &str) -> Result<Vec<TaxonomyNode>>;
    /// Nodes whose code or names contain `text`, shallowest first.
    async fn search_taxonomy(&self, text: &str, limit: i64) -> Result<Vec<TaxonomyNode>>;
    async fn taxonomy_codes(&self) -> Result<Vec<String>>;
}
