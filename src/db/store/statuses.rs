//! Queries on `statuses` and what hangs off them: edits, mentions, tags, tombstones.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::{
    MentionRow, NewStatus, StatusChanges, StatusEditRow, StatusRow, TagRow, TombstoneRow,
};
use crate::db::schema::{
    media_attachments, mentions, status_edits, statuses, statuses_tags, tags, tombstones,
};
use crate::db::store::{Backend, Page, lower};

pub fn insert(conn: &mut DbConnection, new: &NewStatus) -> QueryResult<StatusRow> {
    diesel::insert_into(statuses::table)
        .values(new)
        .execute(conn)?;
    find(conn, new.id)?.ok_or(diesel::result::Error::NotFound)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<StatusRow>> {
    statuses::table
        .find(id)
        .select(StatusRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_ap_id(conn: &mut DbConnection, ap_id: &str) -> QueryResult<Option<StatusRow>> {
    statuses::table
        .filter(statuses::ap_id.eq(ap_id))
        .select(StatusRow::as_select())
        .first(conn)
        .optional()
}

/// The statuses with these ids, in no particular order.
pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<StatusRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    statuses::table
        .filter(statuses::id.eq_any(ids))
        .select(StatusRow::as_select())
        .load(conn)
}

pub fn update(conn: &mut DbConnection, id: i64, changes: &StatusChanges) -> QueryResult<usize> {
    diesel::update(statuses::table.find(id))
        .set(changes)
        .execute(conn)
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(statuses::table.find(id)).execute(conn)
}

/// A boost of `status_id` by `account_id`, if there is one.
pub fn find_reblog(
    conn: &mut DbConnection,
    account_id: i64,
    status_id: i64,
) -> QueryResult<Option<StatusRow>> {
    statuses::table
        .filter(statuses::account_id.eq(account_id))
        .filter(statuses::reblog_of_id.eq(status_id))
        .select(StatusRow::as_select())
        .first(conn)
        .optional()
}

/// Every boost of `status_id` (to delete them with it, or to tell their authors of an edit).
pub fn reblogs_of(conn: &mut DbConnection, status_id: i64) -> QueryResult<Vec<StatusRow>> {
    statuses::table
        .filter(statuses::reblog_of_id.eq(status_id))
        .select(StatusRow::as_select())
        .load(conn)
}

/// Direct replies, oldest first.
pub fn replies_of(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<StatusRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    statuses::table
        .filter(statuses::in_reply_to_id.eq_any(ids))
        .order(statuses::id.asc())
        .select(StatusRow::as_select())
        .load(conn)
}

/// Replies we stored before their parent arrived, waiting to be linked to it.
pub fn link_orphan_replies(conn: &mut DbConnection, parent: &StatusRow) -> QueryResult<usize> {
    let linked = diesel::update(
        statuses::table
            .filter(statuses::in_reply_to_ap_id.eq(&parent.ap_id))
            .filter(statuses::in_reply_to_id.is_null()),
    )
    .set((
        statuses::in_reply_to_id.eq(parent.id),
        statuses::in_reply_to_account_id.eq(parent.account_id),
    ))
    .execute(conn)?;
    if linked > 0 {
        recount_replies(conn, parent.id)?;
    }
    Ok(linked)
}

/// Which counter of a status to move.
#[derive(Debug, Clone, Copy)]
pub enum Counter {
    Replies,
    Reblogs,
    Favourites,
}

/// Moves a counter up or down by one; it never goes below zero.
pub fn bump(conn: &mut DbConnection, id: i64, counter: Counter, up: bool) -> QueryResult<()> {
    let target = statuses::table.find(id);
    let delta = if up { 1 } else { -1 };
    // Going down only from a positive count; going up always.
    let floor = if up { i32::MIN } else { 0 };
    match counter {
        Counter::Replies => diesel::update(target.filter(statuses::replies_count.gt(floor)))
            .set(statuses::replies_count.eq(statuses::replies_count + delta))
            .execute(conn)?,
        Counter::Reblogs => diesel::update(target.filter(statuses::reblogs_count.gt(floor)))
            .set(statuses::reblogs_count.eq(statuses::reblogs_count + delta))
            .execute(conn)?,
        Counter::Favourites => diesel::update(target.filter(statuses::favourites_count.gt(floor)))
            .set(statuses::favourites_count.eq(statuses::favourites_count + delta))
            .execute(conn)?,
    };
    Ok(())
}

/// Sets the reply counter from the rows, after out-of-order arrivals.
pub fn recount_replies(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    let n: i64 = statuses::table
        .filter(statuses::in_reply_to_id.eq(id))
        .select(count_star())
        .first(conn)?;
    diesel::update(statuses::table.find(id))
        .set(statuses::replies_count.eq(i32::try_from(n).unwrap_or(i32::MAX)))
        .execute(conn)?;
    Ok(())
}

pub fn count_by_account(conn: &mut DbConnection, account_id: i64) -> QueryResult<i64> {
    statuses::table
        .filter(statuses::account_id.eq(account_id))
        .select(count_star())
        .first(conn)
}

/// An account's statuses, newest first, filtered as the profile view asks.
#[derive(Debug, Clone, Default)]
pub struct AccountStatusesFilter {
    pub exclude_replies: bool,
    pub exclude_reblogs: bool,
    /// Only these visibilities (the caller decides what the viewer may see).
    pub visibilities: Vec<&'static str>,
    pub tagged: Option<String>,
    /// Only statuses with attachments (boosts are left out then).
    pub only_media: bool,
}

pub fn by_account(
    conn: &mut DbConnection,
    account_id: i64,
    filter: &AccountStatusesFilter,
    page: &Page,
) -> QueryResult<Vec<StatusRow>> {
    let mut query = statuses::table
        .filter(statuses::account_id.eq(account_id))
        .filter(statuses::visibility.eq_any(filter.visibilities.clone()))
        .select(StatusRow::as_select())
        .into_boxed::<Backend>();
    if filter.exclude_replies {
        // Replies to oneself (threads) stay, as on Mastodon.
        query = query.filter(
            statuses::in_reply_to_ap_id
                .is_null()
                .or(statuses::in_reply_to_account_id.eq(account_id)),
        );
    }
    if filter.exclude_reblogs || filter.only_media {
        query = query.filter(statuses::reblog_of_id.is_null());
    }
    if filter.only_media {
        query = query.filter(statuses::id.eq_any(with_media()));
    }
    if let Some(tag) = &filter.tagged {
        let tagged = statuses_tags::table
            .inner_join(tags::table)
            .filter(lower(tags::name).eq(tag.to_lowercase()))
            .select(statuses_tags::status_id);
        query = query.filter(statuses::id.eq_any(tagged));
    }
    page_statuses(conn, query, page)
}

/// Where a public timeline reads from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    All,
    Local,
    Remote,
}

/// Public, original (not boosted) statuses, newest first.
pub fn public(
    conn: &mut DbConnection,
    origin: Origin,
    tag: Option<&str>,
    page: &Page,
) -> QueryResult<Vec<StatusRow>> {
    public_filtered(conn, origin, tag, false, page)
}

/// The ids of statuses with attachments.
fn with_media() -> diesel::dsl::Select<
    diesel::dsl::Filter<
        media_attachments::table,
        diesel::dsl::IsNotNull<media_attachments::status_id>,
    >,
    diesel::dsl::AssumeNotNull<media_attachments::status_id>,
> {
    media_attachments::table
        .filter(media_attachments::status_id.is_not_null())
        .select(media_attachments::status_id.assume_not_null())
}

/// [`public`], with only the statuses that have attachments when `only_media`.
pub fn public_filtered(
    conn: &mut DbConnection,
    origin: Origin,
    tag: Option<&str>,
    only_media: bool,
    page: &Page,
) -> QueryResult<Vec<StatusRow>> {
    let mut query = statuses::table
        .filter(statuses::visibility.eq("public"))
        .filter(statuses::reblog_of_id.is_null())
        .select(StatusRow::as_select())
        .into_boxed::<Backend>();
    match origin {
        Origin::All => {}
        Origin::Local => query = query.filter(statuses::local.eq(true)),
        Origin::Remote => query = query.filter(statuses::local.eq(false)),
    }
    if let Some(tag) = tag {
        let tagged = statuses_tags::table
            .inner_join(tags::table)
            .filter(lower(tags::name).eq(tag.to_lowercase()))
            .select(statuses_tags::status_id);
        query = query.filter(statuses::id.eq_any(tagged));
    }
    if only_media {
        query = query.filter(statuses::id.eq_any(with_media()));
    }
    page_statuses(conn, query, page)
}

/// Applies `max_id`/`since_id`/`min_id`/`limit` to a status query; newest first either way.
pub fn page_statuses<'a>(
    conn: &mut DbConnection,
    mut query: statuses::BoxedQuery<
        'a,
        Backend,
        diesel::dsl::SqlTypeOf<diesel::dsl::AsSelect<StatusRow, Backend>>,
    >,
    page: &Page,
) -> QueryResult<Vec<StatusRow>> {
    if let Some(max_id) = page.max_id {
        query = query.filter(statuses::id.lt(max_id));
    }
    if let Some(since_id) = page.since_id {
        query = query.filter(statuses::id.gt(since_id));
    }
    if let Some(min_id) = page.min_id {
        let mut rows = query
            .filter(statuses::id.gt(min_id))
            .order(statuses::id.asc())
            .limit(page.limit)
            .load(conn)?;
        rows.reverse();
        return Ok(rows);
    }
    query
        .order(statuses::id.desc())
        .limit(page.limit)
        .load(conn)
}

pub fn insert_edit(conn: &mut DbConnection, edit: &StatusEditRow) -> QueryResult<usize> {
    diesel::insert_into(status_edits::table)
        .values(edit)
        .execute(conn)
}

/// Versions of a status, oldest first.
pub fn edits_of(conn: &mut DbConnection, status_id: i64) -> QueryResult<Vec<StatusEditRow>> {
    status_edits::table
        .filter(status_edits::status_id.eq(status_id))
        .order(status_edits::id.asc())
        .select(StatusEditRow::as_select())
        .load(conn)
}

pub fn set_mentions(
    conn: &mut DbConnection,
    status_id: i64,
    account_ids: &[i64],
) -> QueryResult<()> {
    diesel::delete(mentions::table.filter(mentions::status_id.eq(status_id))).execute(conn)?;
    // One row at a time: diesel's multi-backend connection has no batch insert.
    for &account_id in account_ids {
        diesel::insert_into(mentions::table)
            .values(&MentionRow {
                status_id,
                account_id,
            })
            .execute(conn)?;
    }
    Ok(())
}

pub fn mentions_of(conn: &mut DbConnection, status_ids: &[i64]) -> QueryResult<Vec<MentionRow>> {
    if status_ids.is_empty() {
        return Ok(Vec::new());
    }
    mentions::table
        .filter(mentions::status_id.eq_any(status_ids))
        .select(MentionRow::as_select())
        .load(conn)
}

/// Whether `account_id` is mentioned in `status_id`.
pub fn is_mentioned(conn: &mut DbConnection, status_id: i64, account_id: i64) -> QueryResult<bool> {
    let n: i64 = mentions::table
        .filter(mentions::status_id.eq(status_id))
        .filter(mentions::account_id.eq(account_id))
        .select(count_star())
        .first(conn)?;
    Ok(n > 0)
}

/// The tag row for `name` (any letter case), created when new.
pub fn tag(conn: &mut DbConnection, name: &str, now: NaiveDateTime) -> QueryResult<TagRow> {
    let existing = tags::table
        .filter(lower(tags::name).eq(name.to_lowercase()))
        .select(TagRow::as_select())
        .first(conn)
        .optional()?;
    if let Some(tag) = existing {
        return Ok(tag);
    }
    let row = TagRow {
        id: crate::db::ids::next_id(),
        name: name.to_owned(),
        created_at: now,
    };
    diesel::insert_into(tags::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

pub fn set_tags(
    conn: &mut DbConnection,
    status_id: i64,
    names: &[String],
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(statuses_tags::table.filter(statuses_tags::status_id.eq(status_id)))
        .execute(conn)?;
    let mut linked = Vec::new();
    for name in names {
        let tag = tag(conn, name, now)?;
        if !linked.contains(&tag.id) {
            linked.push(tag.id);
            diesel::insert_into(statuses_tags::table)
                .values((
                    statuses_tags::status_id.eq(status_id),
                    statuses_tags::tag_id.eq(tag.id),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// (status id, tag) pairs for these statuses.
pub fn tags_of(conn: &mut DbConnection, status_ids: &[i64]) -> QueryResult<Vec<(i64, TagRow)>> {
    if status_ids.is_empty() {
        return Ok(Vec::new());
    }
    statuses_tags::table
        .inner_join(tags::table)
        .filter(statuses_tags::status_id.eq_any(status_ids))
        .select((statuses_tags::status_id, TagRow::as_select()))
        .load(conn)
}

pub fn add_tombstone(conn: &mut DbConnection, ap_id: &str, now: NaiveDateTime) -> QueryResult<()> {
    let existing = tombstones::table
        .find(ap_id)
        .select(TombstoneRow::as_select())
        .first(conn)
        .optional()?;
    if existing.is_none() {
        diesel::insert_into(tombstones::table)
            .values(&TombstoneRow {
                ap_id: ap_id.to_owned(),
                deleted_at: now,
            })
            .execute(conn)?;
    }
    Ok(())
}

pub fn is_tombstoned(conn: &mut DbConnection, ap_id: &str) -> QueryResult<bool> {
    let n: i64 = tombstones::table
        .filter(tombstones::ap_id.eq(ap_id))
        .select(count_star())
        .first(conn)?;
    Ok(n > 0)
}

/// Local original posts (not boosts).
pub fn count_local(conn: &mut DbConnection) -> QueryResult<i64> {
    statuses::table
        .filter(statuses::local.eq(true))
        .filter(statuses::reblog_of_id.is_null())
        .select(count_star())
        .first(conn)
}

/// Marks a status as posted in a group.
pub fn set_group(conn: &mut DbConnection, id: i64, group_id: i64) -> QueryResult<usize> {
    diesel::update(statuses::table.find(id))
        .set(statuses::group_id.eq(Some(group_id)))
        .execute(conn)
}

/// Renames a status (a group's boost made from its relay takes the id of its plain `Announce`).
pub fn set_ap_id(conn: &mut DbConnection, id: i64, ap_id: &str) -> QueryResult<usize> {
    diesel::update(statuses::table.find(id))
        .set(statuses::ap_id.eq(ap_id))
        .execute(conn)
}

/// Locks or unlocks a thread at this status.
pub fn set_locked(conn: &mut DbConnection, id: i64, locked: bool) -> QueryResult<usize> {
    diesel::update(statuses::table.find(id))
        .set(statuses::locked.eq(locked))
        .execute(conn)
}

/// A group's posts (not its boosts), newest first.
pub fn by_group(
    conn: &mut DbConnection,
    group_id: i64,
    page: &Page,
) -> QueryResult<Vec<StatusRow>> {
    let query = statuses::table
        .filter(statuses::group_id.eq(group_id))
        .filter(statuses::reblog_of_id.is_null())
        .select(StatusRow::as_select())
        .into_boxed::<Backend>();
    page_statuses(conn, query, page)
}
