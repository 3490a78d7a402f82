//! Queries on what posting through the client API leaves beside the status: the application
//! that posted it and the member's idempotency keys.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::{ApplicationRow, IdempotencyKeyRow, StatusApplicationRow};
use crate::db::schema::{idempotency_keys, oauth_applications, status_applications};

pub fn set_application(conn: &mut DbConnection, row: &StatusApplicationRow) -> QueryResult<()> {
    diesel::insert_into(status_applications::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// (status id, application) for those of `status_ids` posted through the client API.
pub fn applications_of(
    conn: &mut DbConnection,
    status_ids: &[i64],
) -> QueryResult<Vec<(i64, ApplicationRow)>> {
    if status_ids.is_empty() {
        return Ok(Vec::new());
    }
    status_applications::table
        .inner_join(oauth_applications::table)
        .filter(status_applications::status_id.eq_any(status_ids))
        .select((status_applications::status_id, ApplicationRow::as_select()))
        .load(conn)
}

/// The status a key created, if it was sent after `since`.
pub fn find_key(
    conn: &mut DbConnection,
    account_id: i64,
    key: &str,
    since: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    idempotency_keys::table
        .filter(idempotency_keys::account_id.eq(account_id))
        .filter(idempotency_keys::key.eq(key))
        .filter(idempotency_keys::created_at.gt(since))
        .select(idempotency_keys::status_id)
        .first(conn)
        .optional()
}

/// Stores a key, first dropping the member's keys older than `expired_before` (the same key
/// may then be used again).
pub fn insert_key(
    conn: &mut DbConnection,
    row: &IdempotencyKeyRow,
    expired_before: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::account_id.eq(row.account_id))
            .filter(idempotency_keys::created_at.le(expired_before)),
    )
    .execute(conn)?;
    diesel::insert_into(idempotency_keys::table)
        .values(row)
        .execute(conn)
        .map(drop)
}
