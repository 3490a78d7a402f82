//! The List and Marker entities.

use serde::Serialize;

use crate::db::models::{ListRow, MarkerRow};
use crate::http::api::entities::time;

#[derive(Debug, Clone, Serialize)]
pub struct List {
    pub id: String,
    pub title: String,
    pub replies_policy: String,
    pub exclusive: bool,
}

impl List {
    pub fn from_row(row: &ListRow) -> List {
        List {
            id: row.id.to_string(),
            title: row.title.clone(),
            replies_policy: row.replies_policy.clone(),
            exclusive: row.exclusive,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Marker {
    pub last_read_id: String,
    pub version: i32,
    pub updated_at: String,
}

impl Marker {
    pub fn from_row(row: &MarkerRow) -> Marker {
        Marker {
            last_read_id: row.last_read_id.clone(),
            version: row.version,
            updated_at: time::timestamp(row.updated_at),
        }
    }
}
