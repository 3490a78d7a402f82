//! Rows the client API keeps for members: which app posted a status, idempotency keys, reading
//! markers, endorsed accounts, conversation marks.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{
    conversation_marks, endorsements, idempotency_keys, markers, status_applications,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = status_applications)]
pub struct StatusApplicationRow {
    pub status_id: i64,
    pub application_id: i64,
}

/// An `Idempotency-Key` a member sent with a new status.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyKeyRow {
    pub account_id: i64,
    pub key: String,
    pub status_id: i64,
    pub created_at: NaiveDateTime,
}

/// Where a member stopped reading `home` or `notifications`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = markers)]
pub struct MarkerRow {
    pub account_id: i64,
    pub timeline: String,
    /// An opaque id as the client sent it.
    pub last_read_id: String,
    /// Counts the updates, so clients can tell a stale marker.
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = endorsements)]
pub struct EndorsementRow {
    pub id: i64,
    pub account_id: i64,
    pub target_account_id: i64,
    pub created_at: NaiveDateTime,
}

/// What a member did to one of their conversations.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = conversation_marks)]
pub struct ConversationMarkRow {
    pub account_id: i64,
    pub conversation_id: i64,
    pub read_status_id: Option<i64>,
    pub hidden_status_id: Option<i64>,
    pub updated_at: NaiveDateTime,
}
