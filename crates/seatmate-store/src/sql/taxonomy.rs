//! The category tree and the teams.

use async_trait::async_trait;
use seatmate_core::{TaxonomyNode, Team};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{like_pattern, SqlStore, Statement};
use crate::{ImportCounts, NodeWithChildren, Progress, Result, StoreError, TaxonomyStore, Written};

const NODE_COLUMNS: &str = "code, parent, name_zh, name_en, depth, team";

fn node_from_row(row: &AnyRow) -> Result<TaxonomyNode> {
    Ok(TaxonomyNode {
        code: row.try_get("code")?,
        parent: row.try_get("parent")?,
        name_zh: row.try_get("name_zh")?,
        name_en: row.try_get("name_en")?,
        depth: row.try_get("depth")?,
        team: row.try_get("team")?,
    })
}

/// Inserts a node, or updates it when it changed. Its parent must exist.
pub(crate) async fn insert_node(tx: &mut sqlx::Transaction<'_, sqlx::Any>, node: &TaxonomyNode) -> Result<Written> {
    if let Some(parent) = &node.parent {
        let exists: Option<String> =
            sqlx::query_scalar("SELECT code FROM taxonomy WHERE code = $1").bind(parent).fetch_optional(&mut **tx).await?;
        if exists.is_none() {
            return Err(StoreError::InvalidInput(format!("taxonomy node {:?} names unknown parent {parent:?}", node.code)));
        }
    }
    let search = format!("{}\n{}\n{}", node.code, node.name_zh, node.name_en).to_lowercase();
    let existing = sqlx::query("SELECT parent, name_zh, name_en, depth, team FROM taxonomy WHERE code = $1")
        .bind(&node.code)
        .fetch_optional(&mut **tx)
        .await?;
    match existing {
        None => {
            sqlx::query(
                "INSERT INTO taxonomy (code, parent, name_zh, name_en, depth, team, search_text) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&node.code)
            .bind(&node.parent)
            .bind(&node.name_zh)
            .bind(&node.name_en)
            .bind(node.depth)
            .bind(&node.team)
            .bind(search)
            .execute(&mut **tx)
            .await?;
            Ok(Written::Inserted)
        }
        Some(row) => {
            let same = row.try_get::<Option<String>, _>("parent")? == node.parent
                && row.try_get::<String, _>("name_zh")? == node.name_zh
                && row.try_get::<String, _>("name_en")? == node.name_en
                && row.try_get::<Option<String>, _>("team")? == node.team;
            if !same {
                sqlx::query("UPDATE taxonomy SET parent = $2, name_zh = $3, name_en = $4, depth = $5, team = $6, search_text = $7 WHERE code = $1")
                    .bind(&node.code)
                    .bind(&node.parent)
                    .bind(&node.name_zh)
                    .bind(&node.name_en)
                    .bind(node.depth)
                    .bind(&node.team)
                    .bind(search)
                    .execute(&mut **tx)
                    .await?;
                return Ok(Written::Updated);
            }
            Ok(Written::Unchanged)
        }
    }
}

#[async_trait]
impl TaxonomyStore for SqlStore {
    async fn upsert_teams(&self, teams: &[Team]) -> Result<ImportCounts> {
        let (_turn, mut tx) = self.begin_write().await?;
        let mut counts = ImportCounts::default();
        for team in teams {
            let existing = sqlx::query("SELECT name_zh, name_en, dispatch FROM teams WHERE code = $1")
                .bind(&team.code)
                .fetch_optional(&mut *tx)
                .await?;
            let same = match &existing {
                Some(row) => {
                    row.try_get::<String, _>("name_zh")? == team.name_zh
                        && row.try_get::<String, _>("name_en")? == team.name_en
                        && (row.try_get::<i64, _>("dispatch")? != 0) == team.dispatch
                }
                None => false,
            };
            if same {
                counts.add(Written::Unchanged);
                continue;
            }
            sqlx::query(
                "INSERT INTO teams (code, name_zh, name_en, dispatch) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, dispatch = excluded.dispatch",
            )
            .bind(&team.code)
            .bind(&team.name_zh)
            .bind(&team.name_en)
            .bind(i64::from(team.dispatch))
            .execute(&mut *tx)
            .await?;
            counts.add(if existing.is_some() { Written::Updated } else { Written::Inserted });
        }
        tx.commit().await?;
        Ok(counts)
    }

    async fn list_teams(&self) -> Result<Vec<Team>> {
        let rows = sqlx::query("SELECT code, name_zh, name_en, dispatch FROM teams ORDER BY code").fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                Ok(Team {
                    code: row.try_get("code")?,
                    name_zh: row.try_get("name_zh")?,
                    name_en: row.try_get("name_en")?,
                    dispatch: row.try_get::<i64, _>("dispatch")? != 0,
                })
            })
            .collect()
    }

    async fn upsert_taxonomy(&self, nodes: &[TaxonomyNode], progress: Progress<'_>) -> Result<ImportCounts> {
        let (_turn, mut tx) = self.begin_write().await?;
        let mut counts = ImportCounts::default();
        for (i, node) in nodes.iter().enumerate() {
            counts.add(insert_node(&mut tx, node).await?);
            if i % 1000 == 999 {
                progress(i as u64 + 1);
            }
        }
        progress(nodes.len() as u64);
        tx.commit().await?;
        Ok(counts)
    }

    async fn taxonomy_children(&self, parent: Option<&str>) -> Result<Vec<NodeWithChildren>> {
        let mut query = Statement::new(
            "SELECT t.code, t.parent, t.name_zh, t.name_en, t.depth, t.team, \
             (SELECT COUNT(*) FROM taxonomy c WHERE c.parent = t.code) AS child_count FROM taxonomy t",
        );
        match parent {
            Some(parent) => query.and("t.parent = ").bind(parent.to_string()),
            None => query.and("t.parent IS NULL"),
        };
        let rows = query.push(" ORDER BY t.code").fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| Ok(NodeWithChildren { node: node_from_row(row)?, child_count: row.try_get("child_count")? }))
            .collect()
    }

    async fn taxonomy_node(&self, code: &str) -> Result<Option<TaxonomyNode>> {
        let row = sqlx::query(&format!("SELECT {NODE_COLUMNS} FROM taxonomy WHERE code = $1"))
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(node_from_row).transpose()
    }

    async fn taxonomy_path(&self, code: &str) -> Result<Vec<TaxonomyNode>> {
        let mut path = Vec::new();
        let mut next = Some(code.to_string());
        while let Some(code) = next {
            let node = self.taxonomy_node(&code).await?.ok_or_else(|| StoreError::NotFound(format!("taxonomy node {code:?}")))?;
            next = node.parent.clone();
            path.push(node);
            if path.len() > 64 {
                return Err(StoreError::Corrupt(format!("taxonomy cycle at {code:?}")));
            }
        }
        path.reverse();
        Ok(path)
    }

    async fn search_taxonomy(&self, text: &str, limit: i64) -> Result<Vec<TaxonomyNode>> {
        let rows = sqlx::query(&format!(
            "SELECT {NODE_COLUMNS} FROM taxonomy WHERE search_text LIKE $1 ESCAPE '\\' ORDER BY depth, code LIMIT $2"
        ))
        .bind(like_pattern(text))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(node_from_row).collect()
    }

    async fn taxonomy_codes(&self) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT code FROM taxonomy").fetch_all(&self.pool).await?)
    }
}
