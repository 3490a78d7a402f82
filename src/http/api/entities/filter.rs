//! Filter entities: Filter (v2) with FilterKeyword and FilterStatus, and the v1 filter.

use serde::Serialize;

use crate::db::models::{FilterKeywordRow, FilterRow, FilterStatusRow};
use crate::domain::filters::{FilterView, V1Filter};
use crate::http::api::entities::time;

#[derive(Debug, Clone, Serialize)]
pub struct FilterKeyword {
    pub id: String,
    pub keyword: String,
    pub whole_word: bool,
}

impl FilterKeyword {
    pub fn from_row(row: &FilterKeywordRow) -> FilterKeyword {
        FilterKeyword {
            id: row.id.to_string(),
            keyword: row.keyword.clone(),
            whole_word: row.whole_word,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FilterStatus {
    pub id: String,
    pub status_id: String,
}

impl FilterStatus {
    pub fn from_row(row: &FilterStatusRow) -> FilterStatus {
        FilterStatus {
            id: row.id.to_string(),
            status_id: row.status_id.to_string(),
        }
    }
}

/// A v2 filter. `keywords` and `statuses` are sent by the filter endpoints, not inside a
/// status's `filtered` (as Mastodon does).
#[derive(Debug, Clone, Serialize)]
pub struct Filter {
    pub id: String,
    pub title: String,
    pub context: Vec<String>,
    pub expires_at: Option<String>,
    pub filter_action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keywords: Option<Vec<FilterKeyword>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statuses: Option<Vec<FilterStatus>>,
}

impl Filter {
    pub fn without_rules(row: &FilterRow) -> Filter {
        Filter {
            id: row.id.to_string(),
            title: row.title.clone(),
            context: row.contexts(),
            expires_at: row.expires_at.map(time::timestamp),
            filter_action: row.action.clone(),
            keywords: None,
            statuses: None,
        }
    }

    pub fn from_view(view: &FilterView) -> Filter {
        Filter {
            keywords: Some(view.keywords.iter().map(FilterKeyword::from_row).collect()),
            statuses: Some(view.statuses.iter().map(FilterStatus::from_row).collect()),
            ..Filter::without_rules(&view.filter)
        }
    }
}

/// Mastodon's V1_Filter: one keyword of a v2 filter.
#[derive(Debug, Clone, Serialize)]
pub struct V1FilterEntity {
    pub id: String,
    pub phrase: String,
    pub context: Vec<String>,
    pub whole_word: bool,
    pub expires_at: Option<String>,
    pub irreversible: bool,
}

impl V1FilterEntity {
    pub fn from_v1(v1: &V1Filter) -> V1FilterEntity {
        V1FilterEntity {
            id: v1.keyword.id.to_string(),
            phrase: v1.keyword.keyword.clone(),
            context: v1.filter.contexts(),
            whole_word: v1.keyword.whole_word,
            expires_at: v1.filter.expires_at.map(time::timestamp),
            irreversible: v1.filter.action == "hide",
        }
    }
}
