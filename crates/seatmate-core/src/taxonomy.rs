use serde::{Deserialize, Serialize};

/// Separates the levels of a taxonomy path written as text: `宽带/故障报修/无法上网`.
pub const PATH_SEPARATOR: &str = "/";

/// One category in the business taxonomy, a tree of any depth. Codes are unique across the tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaxonomyNode {
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    /// 1 for a root.
    pub depth: i64,
    /// Default dispatch team for tickets in this category and below (until a child says otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
}

impl TaxonomyNode {
    /// The name to show for a locale (`zh…` or anything else), falling back to the other one.
    pub fn name(&self, locale: &str) -> &str {
        let zh_first = locale.starts_with("zh");
        match (zh_first, self.name_zh.is_empty(), self.name_en.is_empty()) {
            (true, false, _) | (false, false, true) => &self.name_zh,
            _ => &self.name_en,
        }
    }
}
