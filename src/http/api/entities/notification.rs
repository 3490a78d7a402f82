//! The Notification entity.

use serde::Serialize;
use serde_json::Value;

use crate::db::models::NotificationRow;
use crate::http::api::entities::{Account, Status, time};

#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub created_at: String,
    /// Grouped notifications are not served yet: every notification is its own group.
    pub group_key: String,
    pub account: Account,
    /// For mention, status, reblog, favourite, update and poll notifications.
    pub status: Option<Status>,
    pub report: Option<Value>,
}

impl Notification {
    pub fn new(row: &NotificationRow, account: Account, status: Option<Status>) -> Notification {
        Notification {
            id: row.id.to_string(),
            kind: row.kind.clone(),
            created_at: time::timestamp(row.created_at),
            group_key: format!("ungrouped-{}", row.id),
            account,
            status,
            report: None,
        }
    }
}
