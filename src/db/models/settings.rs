//! A local member's settings: sources of the profile texts, posting defaults, profile images.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::user_settings;

/// One row per local member who changed anything; absent means every default.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable, AsChangeset)]
#[diesel(table_name = user_settings, primary_key(account_id), treat_none_as_null = true)]
pub struct UserSettingsRow {
    pub account_id: i64,
    /// The note as the member wrote it (accounts.note holds its HTML).
    pub note_source: String,
    /// JSON array of `{"name", "value"}` as written (accounts.fields holds the HTML values).
    pub fields_source: String,
    /// public, unlisted, private or direct.
    pub default_privacy: String,
    pub default_sensitive: bool,
    pub default_language: Option<String>,
    pub indexable: bool,
    pub hide_collections: bool,
    /// Profile images, relative to `<data_dir>/media/`.
    pub avatar_file: Option<String>,
    pub header_file: Option<String>,
    pub updated_at: NaiveDateTime,
}

impl UserSettingsRow {
    /// The settings of a member who never changed any.
    pub fn defaults(account_id: i64, now: NaiveDateTime) -> UserSettingsRow {
        UserSettingsRow {
            account_id,
            note_source: String::new(),
            fields_source: "[]".to_owned(),
            default_privacy: "public".to_owned(),
            default_sensitive: false,
            default_language: None,
            indexable: false,
            hide_collections: false,
            avatar_file: None,
            header_file: None,
            updated_at: now,
        }
    }
}
