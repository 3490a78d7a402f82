//! Queries on `media_attachments`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::{MediaProcessed, MediaRow};
use crate::db::schema::media_attachments;

pub fn insert(conn: &mut DbConnection, row: &MediaRow) -> QueryResult<()> {
    diesel::insert_into(media_attachments::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<MediaRow>> {
    media_attachments::table
        .find(id)
        .select(MediaRow::as_select())
        .first(conn)
        .optional()
}

/// The attachments of some posts, oldest first (the order they were uploaded in).
pub fn for_statuses(conn: &mut DbConnection, status_ids: &[i64]) -> QueryResult<Vec<MediaRow>> {
    media_attachments::table
        .filter(media_attachments::status_id.eq_any(status_ids))
        .order(media_attachments::id.asc())
        .select(MediaRow::as_select())
        .load(conn)
}

pub fn set_processed(
    conn: &mut DbConnection,
    id: i64,
    changes: &MediaProcessed,
) -> QueryResult<()> {
    diesel::update(media_attachments::table.find(id))
        .set(changes)
        .execute(conn)
        .map(drop)
}

pub fn set_failed(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(media_attachments::table.find(id))
        .set((
            media_attachments::state.eq("failed"),
            media_attachments::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

pub fn set_description_and_focus(
    conn: &mut DbConnection,
    id: i64,
    description: Option<&str>,
    focus: Option<(f64, f64)>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    conn.transaction(|conn| {
        if let Some(text) = description {
            diesel::update(media_attachments::table.find(id))
                .set(media_attachments::description.eq(text))
                .execute(conn)?;
        }
        if let Some((x, y)) = focus {
            diesel::update(media_attachments::table.find(id))
                .set((
                    media_attachments::focus_x.eq(x),
                    media_attachments::focus_y.eq(y),
                ))
                .execute(conn)?;
        }
        diesel::update(media_attachments::table.find(id))
            .set(media_attachments::updated_at.eq(now))
            .execute(conn)
            .map(drop)
    })
}

/// The attachments with these ids, in no particular order.
pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<MediaRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    media_attachments::table
        .filter(media_attachments::id.eq_any(ids))
        .select(MediaRow::as_select())
        .load(conn)
}

/// Attaches uploads to a status.
pub fn attach(conn: &mut DbConnection, ids: &[i64], status_id: i64) -> QueryResult<()> {
    diesel::update(media_attachments::table.filter(media_attachments::id.eq_any(ids)))
        .set(media_attachments::status_id.eq(status_id))
        .execute(conn)
        .map(drop)
}
