//! The Relationship entity.

use serde::Serialize;
use serde_json::Value;

use crate::domain::relationships::RelationshipView;
use crate::http::api::entities::time;

/// Every field Tusky requires, and the rest Mastodon sends. `note` is empty (private notes on
/// accounts are not stored yet); `domain_blocking` is false (no per-member domain blocks yet);
/// `languages` is null (follows do not filter by language).
#[derive(Debug, Clone, Serialize)]
pub struct Relationship {
    pub id: String,
    pub following: bool,
    pub showing_reblogs: bool,
    pub notifying: bool,
    pub languages: Option<Vec<Value>>,
    pub followed_by: bool,
    pub blocking: bool,
    pub blocked_by: bool,
    pub muting: bool,
    pub muting_notifications: bool,
    pub muting_expires_at: Option<String>,
    pub requested: bool,
    pub requested_by: bool,
    pub domain_blocking: bool,
    pub endorsed: bool,
    pub note: String,
}

impl Relationship {
    pub fn from_view(view: &RelationshipView) -> Relationship {
        Relationship {
            id: view.id.to_string(),
            following: view.following,
            showing_reblogs: view.showing_reblogs,
            notifying: view.notifying,
            languages: None,
            followed_by: view.followed_by,
            blocking: view.blocking,
            blocked_by: view.blocked_by,
            muting: view.muting,
            muting_notifications: view.muting_notifications,
            muting_expires_at: view.muting_expires_at.map(time::timestamp),
            requested: view.requested,
            requested_by: view.requested_by,
            domain_blocking: false,
            endorsed: view.endorsed,
            note: String::new(),
        }
    }
}
