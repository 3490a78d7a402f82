//! Relations between accounts and with statuses: follows, favourites, bookmarks, pins, blocks,
//! mutes, notifications, the home feed and tombstones.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{
    blocks, bookmarks, favourites, follows, home_feed, mutes, notifications, status_pins,
    tombstones,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = follows)]
pub struct FollowRow {
    pub id: i64,
    pub account_id: i64,
    pub target_account_id: i64,
    /// The `Follow` activity's id.
    pub ap_id: Option<String>,
    /// `pending` (a follow request) or `accepted`.
    pub state: String,
    pub show_reblogs: bool,
    pub notify: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl FollowRow {
    pub fn accepted(&self) -> bool {
        self.state == "accepted"
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = favourites)]
pub struct FavouriteRow {
    pub id: i64,
    pub account_id: i64,
    pub status_id: i64,
    pub ap_id: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = bookmarks)]
pub struct BookmarkRow {
    pub id: i64,
    pub account_id: i64,
    pub status_id: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = status_pins)]
pub struct PinRow {
    pub id: i64,
    pub account_id: i64,
    pub status_id: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = blocks)]
pub struct BlockRow {
    pub id: i64,
    pub account_id: i64,
    pub target_account_id: i64,
    pub ap_id: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = mutes)]
pub struct MuteRow {
    pub id: i64,
    pub account_id: i64,
    pub target_account_id: i64,
    pub notifications: bool,
    pub expires_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: i64,
    pub account_id: i64,
    pub from_account_id: i64,
    /// Mastodon's notification type: `mention`, `status`, `reblog`, `follow`, `follow_request`,
    /// `favourite`, `update`...
    pub kind: String,
    pub status_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = home_feed)]
pub struct FeedEntryRow {
    pub account_id: i64,
    pub status_id: i64,
    pub author_id: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tombstones)]
pub struct TombstoneRow {
    pub ap_id: String,
    pub deleted_at: NaiveDateTime,
}
