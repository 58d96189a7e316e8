//! The OpenAPI document, built from one table of routes. The route tests walk the same table, so a
//! documented route without a role check, or a role check without documentation, fails a test.

use serde_json::{json, Map, Value};

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Public,
    /// Any logged-in user; the answer is scoped to what their role may see.
    User,
    Admin,
}

#[derive(Clone, Copy, Debug)]
pub struct RouteDoc {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub summary: &'static str,
}

const fn r(method: &'static str, path: &'static str, access: Access, summary: &'static str) -> RouteDoc {
    RouteDoc { method, path, access, summary }
}

pub const ROUTES: &[RouteDoc] = &[
    r("get", "/health", Access::Public, "Liveness and store reachability"),
    r("get", "/openapi.json", Access::Public, "This document"),
    r("post", "/auth/login", Access::Public, "Log in with username and password; sets the session cookie"),
    r("post", "/auth/logout", Access::Public, "End the current session"),
    r("get", "/me", Access::User, "The logged-in user"),
    r("get", "/stats", Access::User, "Counts of what the caller may see"),
    r(
        "get",
        "/conversations",
        Access::User,
        "Conversations visible to the caller (q, channel, queue, agent, from, to, limit, offset)",
    ),
    r("get", "/conversations/{id}", Access::User, "One conversation with its turns; 404 when missing or not visible"),
    r(
        "post",
        "/conversations/{id}/ticket",
        Access::User,
        "The conversation's ticket: existing, or created pre-filled from the suggestion",
    ),
    r(
        "get",
        "/conversations/{id}/assist",
        Access::User,
        "Live cards: knowledge and similar solved cases for the customer's latest turns (upto, k)",
    ),
    r("post", "/classify", Access::User, "Suggest category path, team and priority for a text"),
    r("post", "/dispatch", Access::User, "Where a ticket of a category goes (for a category the agent picked), with the reason"),
    r("get", "/tickets", Access::User, "Tickets visible to the caller (conversation, status, category, q, limit, offset)"),
    r("get", "/tickets/{id}", Access::User, "One ticket with its history and category path"),
    r("get", "/tickets/{id}/suggestion", Access::User, "What the model suggests for this ticket now"),
    r(
        "post",
        "/tickets/{id}/confirm",
        Access::User,
        "Confirm the ticket, with corrections if any; corrections teach the next model",
    ),
    r("get", "/models", Access::Admin, "Every classifier version with its held-out figures"),
    r("post", "/models/train", Access::Admin, "Train a new classifier version from all labelled tickets and activate it"),
    r("post", "/models/{id}/activate", Access::Admin, "Make a classifier version active (roll back or forward)"),
    r("get", "/settings/auto-accept", Access::User, "The auto-accept precision, its threshold and the share it accepts"),
    r("put", "/settings/auto-accept", Access::Admin, "Set the precision wanted for auto-accept"),
    r("get", "/dispatch-rules", Access::Admin, "Dispatch rules, in order"),
    r("put", "/dispatch-rules", Access::Admin, "Replace the dispatch rules"),
    r("get", "/taxonomy", Access::User, "Root categories, or the children of `parent`"),
    r("get", "/taxonomy/search", Access::User, "Categories whose code or name contains `q`, with their paths"),
    r("get", "/taxonomy/{code}", Access::User, "One category with its path and children"),
    r("get", "/knowledge", Access::User, "FAQs, articles and guided flows (kind, q, limit, offset)"),
    r(
        "get",
        "/knowledge/search",
        Access::User,
        "Ask the knowledge base: items with a calibrated score, the matched passage and why (q, k); similar solved cases",
    ),
    r("get", "/knowledge/index", Access::User, "What the search index holds, its encoder and the last rebuild's progress"),
    r(
        "post",
        "/knowledge/index/rebuild",
        Access::Admin,
        "Rebuild the knowledge and case indices from the store, in the background",
    ),
    r(
        "post",
        "/knowledge/{id}/feedback",
        Access::User,
        "Mark a knowledge card used or unhelpful (verdict, query, conversation_id)",
    ),
    r("get", "/knowledge/{id}", Access::User, "One knowledge item"),
    r("put", "/knowledge/{id}", Access::Admin, "Edit a knowledge item; the previous version is kept"),
    r("get", "/knowledge/{id}/history", Access::User, "Every version of a knowledge item, newest first"),
    r("get", "/teams", Access::User, "Agent and dispatch teams"),
    r("get", "/users", Access::Admin, "All users"),
    r("post", "/users", Access::Admin, "Create a user"),
    r("get", "/tokens", Access::Admin, "Active API tokens"),
    r("post", "/tokens", Access::Admin, "Create an API token (shown once)"),
    r("delete", "/tokens/{id}", Access::Admin, "Revoke an API token"),
];

pub fn document() -> Value {
    let mut paths = Map::new();
    for route in ROUTES {
        let entry = paths.entry(format!("/api/v1{}", route.path)).or_insert_with(|| json!({}));
        let mut operation = json!({
            "summary": route.summary,
            "responses": {
                "200": { "description": "success" },
                "default": { "description": "error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
            }
        });
        match route.access {
            Access::Public => operation["security"] = json!([]),
            Access::User => operation["x-seatmate-access"] = json!("any logged-in user"),
            Access::Admin => operation["x-seatmate-access"] = json!("admin"),
        }
        let params: Vec<Value> = route
            .path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
            .collect();
        if !params.is_empty() {
            operation["parameters"] = Value::Array(params);
        }
        entry[route.method] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Seatmate API", "version": env!("CARGO_PKG_VERSION") },
        "servers": [{ "url": "/" }],
        "security": [{ "session": [] }, { "token": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE },
                "token": { "type": "http", "scheme": "bearer", "description": "an API token created by an admin (smt_…)" }
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["code", "message", "request_id"],
                    "properties": { "code": { "type": "string" }, "message": { "type": "string" }, "request_id": { "type": "string" } }
                }
            }
        }
    })
}
