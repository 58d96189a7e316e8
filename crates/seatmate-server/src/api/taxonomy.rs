//! The business taxonomy, browsed lazily and searched.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use seatmate_core::TaxonomyNode;
use seatmate_store::NodeWithChildren;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiResult, Items};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::AppState;

/// A node with how many children it has, for lazy tree browsing.
#[derive(Serialize, ToSchema)]
pub struct TaxonomyChild {
    #[serde(flatten)]
    pub node: TaxonomyNode,
    pub child_count: i64,
}

impl From<NodeWithChildren> for TaxonomyChild {
    fn from(n: NodeWithChildren) -> Self {
        TaxonomyChild { node: n.node, child_count: n.child_count }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaxonomyQuery {
    /// The parent's code; the roots when absent.
    parent: Option<String>,
}

/// Root categories, or the children of `parent`.
#[utoipa::path(get, path = "/taxonomy", tag = "taxonomy", params(TaxonomyQuery), responses((status = 200, body = Items<TaxonomyChild>)))]
pub async fn taxonomy_children(
    State(state): State<AppState>,
    _user: CurrentUser,
    query: Result<Query<TaxonomyQuery>, QueryRejection>,
) -> ApiResult<Items<TaxonomyChild>> {
    let Query(query) = query?;
    let parent = query.parent.filter(|p| !p.is_empty());
    let items = state.store.taxonomy_children(parent.as_deref()).await?.into_iter().map(Into::into).collect();
    Ok(Json(Items { items }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaxonomySearch {
    /// Part of a code or a name.
    q: Option<String>,
    /// 1–100, default 20.
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct TaxonomyMatch {
    pub node: TaxonomyNode,
    /// From the root to the node.
    pub path: Vec<TaxonomyNode>,
}

/// Categories whose code or name contains `q`, with their paths.
#[utoipa::path(get, path = "/taxonomy/search", tag = "taxonomy", params(TaxonomySearch), responses((status = 200, body = Items<TaxonomyMatch>)))]
pub async fn search_taxonomy(
    State(state): State<AppState>,
    _user: CurrentUser,
    query: Result<Query<TaxonomySearch>, QueryRejection>,
) -> ApiResult<Items<TaxonomyMatch>> {
    let Query(query) = query?;
    let text = query.q.unwrap_or_default();
    if text.trim().is_empty() {
        return Ok(Json(Items { items: Vec::new() }));
    }
    let nodes = state.store.search_taxonomy(&text, query.limit.unwrap_or(20).clamp(1, 100)).await?;
    let mut items = Vec::with_capacity(nodes.len());
    for node in nodes {
        let path = state.store.taxonomy_path(&node.code).await?;
        items.push(TaxonomyMatch { node, path });
    }
    Ok(Json(Items { items }))
}

#[derive(Serialize, ToSchema)]
pub struct TaxonomyDetail {
    pub node: TaxonomyNode,
    pub path: Vec<TaxonomyNode>,
    pub children: Vec<TaxonomyChild>,
}

/// One category with its path and children.
#[utoipa::path(get, path = "/taxonomy/{code}", tag = "taxonomy", params(("code" = String, Path)),
    responses((status = 200, body = TaxonomyDetail)))]
pub async fn taxonomy_node(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(code): Path<String>,
) -> ApiResult<TaxonomyDetail> {
    let node = state.store.taxonomy_node(&code).await?.ok_or_else(|| ApiError::not_found("taxonomy node"))?;
    let path = state.store.taxonomy_path(&code).await?;
    let children = state.store.taxonomy_children(Some(&code)).await?.into_iter().map(Into::into).collect();
    Ok(Json(TaxonomyDetail { node, path, children }))
}
