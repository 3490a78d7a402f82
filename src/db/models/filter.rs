//! Content filters (Mastodon's v2 filters; v1 filters are the same rows seen by keyword).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{filter_keywords, filter_statuses, filters};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable, AsChangeset)]
#[diesel(table_name = filters, treat_none_as_null = true)]
pub struct FilterRow {
    pub id: i64,
    pub account_id: i64,
    pub title: String,
    /// Space-separated contexts: `home notifications public thread account`.
    pub context: String,
    /// `warn`, `hide` or `blur`.
    pub action: String,
    pub expires_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl FilterRow {
    pub fn contexts(&self) -> Vec<String> {
        self.context.split_whitespace().map(str::to_owned).collect()
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable, AsChangeset)]
#[diesel(table_name = filter_keywords)]
pub struct FilterKeywordRow {
    pub id: i64,
    pub filter_id: i64,
    pub keyword: String,
    pub whole_word: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = filter_statuses)]
pub struct FilterStatusRow {
    pub id: i64,
    pub filter_id: i64,
    pub status_id: i64,
    pub created_at: NaiveDateTime,
}
