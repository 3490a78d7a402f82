//! The Tag entity (search results, hashtag pages).

use serde::Serialize;
use serde_json::Value;

use crate::db::models::TagRow;
use crate::domain::html;
use crate::domain::urls::Urls;

#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    pub id: String,
    pub name: String,
    pub url: String,
    /// Usage statistics are not kept yet.
    pub history: Vec<Value>,
    /// Hashtags cannot be followed yet.
    pub following: bool,
}

impl Tag {
    pub fn from_row(urls: &Urls, row: &TagRow) -> Tag {
        Tag {
            id: row.id.to_string(),
            name: row.name.clone(),
            url: urls.tag(&html::normalise_tag(&row.name)).to_string(),
            history: Vec::new(),
            following: false,
        }
    }
}
