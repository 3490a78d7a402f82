//! Status (post and boost) rows, their edits, mentions and tags.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{mentions, status_edits, statuses, statuses_tags, tags};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = statuses)]
pub struct StatusRow {
    pub id: i64,
    pub account_id: i64,
    pub ap_id: String,
    pub url: Option<String>,
    pub local: bool,
    /// `Note`, or `Page`, `Article`, `Event`... for converted remote objects.
    pub object_type: String,
    pub in_reply_to_id: Option<i64>,
    pub in_reply_to_account_id: Option<i64>,
    pub in_reply_to_ap_id: Option<String>,
    /// Set on a boost: the boosted status.
    pub reblog_of_id: Option<i64>,
    /// The thread's `context`/`conversation` id, when the sender gives one.
    pub thread_ap_id: Option<String>,
    /// `name` of Pages, Articles and Events.
    pub title: Option<String>,
    /// Sanitised HTML.
    pub content: String,
    /// What a local author typed.
    pub source_text: Option<String>,
    pub spoiler_text: String,
    pub sensitive: bool,
    /// `public`, `unlisted`, `private` or `direct`.
    pub visibility: String,
    pub language: Option<String>,
    pub replies_count: i32,
    pub reblogs_count: i32,
    pub favourites_count: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
    /// The group the post was made in (its `audience`).
    pub group_id: Option<i64>,
    /// A moderator locked the thread: no new replies.
    pub locked: bool,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = statuses)]
pub struct NewStatus {
    pub id: i64,
    pub account_id: i64,
    pub ap_id: String,
    pub url: Option<String>,
    pub local: bool,
    pub object_type: String,
    pub in_reply_to_id: Option<i64>,
    pub in_reply_to_account_id: Option<i64>,
    pub in_reply_to_ap_id: Option<String>,
    pub reblog_of_id: Option<i64>,
    pub thread_ap_id: Option<String>,
    pub title: Option<String>,
    pub content: String,
    pub source_text: Option<String>,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub visibility: String,
    pub language: Option<String>,
    pub group_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What an edit changes.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = statuses)]
pub struct StatusChanges {
    pub title: Option<String>,
    pub content: String,
    pub source_text: Option<String>,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub language: Option<String>,
    pub updated_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = status_edits)]
pub struct StatusEditRow {
    pub id: i64,
    pub status_id: i64,
    pub account_id: i64,
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    /// JSON array of media attachment ids.
    pub media_ids: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mentions)]
pub struct MentionRow {
    pub status_id: i64,
    pub account_id: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tags)]
pub struct TagRow {
    pub id: i64,
    pub name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = statuses_tags)]
pub struct StatusTagRow {
    pub status_id: i64,
    pub tag_id: i64,
}
