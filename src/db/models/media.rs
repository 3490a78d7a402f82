//! Media attachment rows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::media_attachments;

/// An uploaded (or, later, remote) file and what processing learnt about it.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = media_attachments)]
pub struct MediaRow {
    pub id: i64,
    pub account_id: i64,
    /// Set when the file is attached to a post.
    pub status_id: Option<i64>,
    /// Mastodon's type: image (we process only images so far).
    pub kind: String,
    /// processing, ready or failed.
    pub state: String,
    /// Relative to `<data_dir>/media/`, a name we generated.
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub file_size: Option<i64>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub thumbnail_file_name: Option<String>,
    pub thumbnail_width: Option<i32>,
    pub thumbnail_height: Option<i32>,
    pub description: Option<String>,
    pub focus_x: Option<f64>,
    pub focus_y: Option<f64>,
    pub blurhash: Option<String>,
    pub remote_url: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What processing writes once it has the files.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = media_attachments)]
pub struct MediaProcessed {
    pub state: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub file_size: Option<i64>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub thumbnail_file_name: Option<String>,
    pub thumbnail_width: Option<i32>,
    pub thumbnail_height: Option<i32>,
    pub blurhash: Option<String>,
    pub updated_at: NaiveDateTime,
}
