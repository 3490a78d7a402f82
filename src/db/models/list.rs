//! Lists of accounts a member follows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{list_accounts, lists};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = lists)]
pub struct ListRow {
    pub id: i64,
    /// The member who owns the list.
    pub account_id: i64,
    pub title: String,
    /// `followed`, `list` or `none`: which replies the list's timeline shows.
    pub replies_policy: String,
    /// Members' posts stay out of the owner's home timeline.
    pub exclusive: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = list_accounts)]
pub struct ListAccountRow {
    pub id: i64,
    pub list_id: i64,
    pub account_id: i64,
    pub created_at: NaiveDateTime,
}
