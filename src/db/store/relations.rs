//! Queries on relations: follows, favourites, bookmarks, pins, blocks, mutes, notifications and
//! the home feed.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::{
    AccountRow, BlockRow, BookmarkRow, FavouriteRow, FeedEntryRow, FollowRow, MuteRow,
    NotificationRow, PinRow, StatusRow,
};
use crate::db::schema::{
    accounts, blocks, bookmarks, favourites, follows, home_feed, mutes, notifications, status_pins,
    statuses,
};
use crate::db::store::{Backend, Page};

// ---- follows ----

pub fn find_follow(
    conn: &mut DbConnection,
    account_id: i64,
    target_account_id: i64,
) -> QueryResult<Option<FollowRow>> {
    follows::table
        .filter(follows::account_id.eq(account_id))
        .filter(follows::target_account_id.eq(target_account_id))
        .select(FollowRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_follow_by_ap_id(
    conn: &mut DbConnection,
    ap_id: &str,
) -> QueryResult<Option<FollowRow>> {
    follows::table
        .filter(follows::ap_id.eq(ap_id))
        .select(FollowRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_follow(conn: &mut DbConnection, row: &FollowRow) -> QueryResult<usize> {
    diesel::insert_into(follows::table)
        .values(row)
        .execute(conn)
}

pub fn set_follow_state(
    conn: &mut DbConnection,
    id: i64,
    state: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(follows::table.find(id))
        .set((follows::state.eq(state), follows::updated_at.eq(now)))
        .execute(conn)
}

pub fn set_follow_options(
    conn: &mut DbConnection,
    id: i64,
    show_reblogs: bool,
    notify: bool,
) -> QueryResult<usize> {
    diesel::update(follows::table.find(id))
        .set((
            follows::show_reblogs.eq(show_reblogs),
            follows::notify.eq(notify),
        ))
        .execute(conn)
}

pub fn delete_follow(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(follows::table.find(id)).execute(conn)
}

/// Accepted followers of `account_id` who are local members, with their follow rows.
pub fn local_followers(conn: &mut DbConnection, account_id: i64) -> QueryResult<Vec<FollowRow>> {
    follows::table
        .inner_join(accounts::table.on(accounts::id.eq(follows::account_id)))
        .filter(follows::target_account_id.eq(account_id))
        .filter(follows::state.eq("accepted"))
        .filter(accounts::domain.is_null())
        .select(FollowRow::as_select())
        .load(conn)
}

/// The inboxes to deliver to for an account's followers: each remote follower's shared inbox
/// (or personal inbox when it has none), once.
pub fn remote_follower_inboxes(
    conn: &mut DbConnection,
    account_id: i64,
) -> QueryResult<Vec<String>> {
    let rows: Vec<(String, Option<String>)> = follows::table
        .inner_join(accounts::table.on(accounts::id.eq(follows::account_id)))
        .filter(follows::target_account_id.eq(account_id))
        .filter(follows::state.eq("accepted"))
        .filter(accounts::domain.is_not_null())
        .select((accounts::inbox_url, accounts::shared_inbox_url))
        .load(conn)?;
    let mut inboxes: Vec<String> = rows
        .into_iter()
        .map(|(inbox, shared)| shared.unwrap_or(inbox))
        .collect();
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

/// Followers (`accepted`) or follow requests (`pending`) of an account, newest first, paged by
/// follow id.
pub fn followers_page(
    conn: &mut DbConnection,
    account_id: i64,
    state: &str,
    page: &Page,
) -> QueryResult<Vec<(FollowRow, AccountRow)>> {
    let query = follows::table
        .inner_join(accounts::table.on(accounts::id.eq(follows::account_id)))
        .filter(follows::target_account_id.eq(account_id))
        .filter(follows::state.eq(state.to_owned()))
        .select((FollowRow::as_select(), AccountRow::as_select()))
        .into_boxed::<Backend>();
    page_by(conn, query, follows::id, page)
}

/// Accounts an account follows, newest follow first.
pub fn following_page(
    conn: &mut DbConnection,
    account_id: i64,
    page: &Page,
) -> QueryResult<Vec<(FollowRow, AccountRow)>> {
    let query = follows::table
        .inner_join(accounts::table.on(accounts::id.eq(follows::target_account_id)))
        .filter(follows::account_id.eq(account_id))
        .filter(follows::state.eq("accepted"))
        .select((FollowRow::as_select(), AccountRow::as_select()))
        .into_boxed::<Backend>();
    page_by(conn, query, follows::id, page)
}

/// Pages any boxed query by an id column, newest first.
pub fn page_by<'a, Q, T, C>(
    conn: &mut DbConnection,
    mut query: Q,
    column: C,
    page: &Page,
) -> QueryResult<Vec<T>>
where
    Q: diesel::query_dsl::methods::FilterDsl<diesel::dsl::Lt<C, i64>, Output = Q>
        + diesel::query_dsl::methods::FilterDsl<diesel::dsl::Gt<C, i64>, Output = Q>
        + diesel::query_dsl::methods::OrderDsl<diesel::dsl::Desc<C>, Output = Q>
        + diesel::query_dsl::methods::OrderDsl<diesel::dsl::Asc<C>, Output = Q>
        + diesel::query_dsl::methods::LimitDsl<Output = Q>
        + diesel::query_dsl::LoadQuery<'a, DbConnection, T>,
    C: ExpressionMethods + Copy,
    C: diesel::Expression<SqlType = diesel::sql_types::BigInt>,
{
    if let Some(max_id) = page.max_id {
        query = diesel::query_dsl::methods::FilterDsl::filter(query, column.lt(max_id));
    }
    if let Some(since_id) = page.since_id {
        query = diesel::query_dsl::methods::FilterDsl::filter(query, column.gt(since_id));
    }
    if let Some(min_id) = page.min_id {
        query = diesel::query_dsl::methods::FilterDsl::filter(query, column.gt(min_id));
        query = diesel::query_dsl::methods::OrderDsl::order(query, column.asc());
        query = diesel::query_dsl::methods::LimitDsl::limit(query, page.limit);
        let mut rows = query.load(conn)?;
        rows.reverse();
        return Ok(rows);
    }
    query = diesel::query_dsl::methods::OrderDsl::order(query, column.desc());
    query = diesel::query_dsl::methods::LimitDsl::limit(query, page.limit);
    query.load(conn)
}

pub fn count_followers(conn: &mut DbConnection, account_id: i64) -> QueryResult<i64> {
    follows::table
        .filter(follows::target_account_id.eq(account_id))
        .filter(follows::state.eq("accepted"))
        .select(count_star())
        .first(conn)
}

pub fn count_following(conn: &mut DbConnection, account_id: i64) -> QueryResult<i64> {
    follows::table
        .filter(follows::account_id.eq(account_id))
        .filter(follows::state.eq("accepted"))
        .select(count_star())
        .first(conn)
}

pub fn count_follow_requests(conn: &mut DbConnection, account_id: i64) -> QueryResult<i64> {
    follows::table
        .filter(follows::target_account_id.eq(account_id))
        .filter(follows::state.eq("pending"))
        .select(count_star())
        .first(conn)
}

/// The follows from `account_id` to any of `targets`, and from any of `targets` to it.
pub fn follows_between(
    conn: &mut DbConnection,
    account_id: i64,
    targets: &[i64],
) -> QueryResult<Vec<FollowRow>> {
    follows::table
        .filter(
            follows::account_id
                .eq(account_id)
                .and(follows::target_account_id.eq_any(targets))
                .or(follows::target_account_id
                    .eq(account_id)
                    .and(follows::account_id.eq_any(targets))),
        )
        .select(FollowRow::as_select())
        .load(conn)
}

// ---- favourites, bookmarks, pins ----

pub fn find_favourite(
    conn: &mut DbConnection,
    account_id: i64,
    status_id: i64,
) -> QueryResult<Option<FavouriteRow>> {
    favourites::table
        .filter(favourites::account_id.eq(account_id))
        .filter(favourites::status_id.eq(status_id))
        .select(FavouriteRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_favourite_by_ap_id(
    conn: &mut DbConnection,
    ap_id: &str,
) -> QueryResult<Option<FavouriteRow>> {
    favourites::table
        .filter(favourites::ap_id.eq(ap_id))
        .select(FavouriteRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_favourite(conn: &mut DbConnection, row: &FavouriteRow) -> QueryResult<usize> {
    diesel::insert_into(favourites::table)
        .values(row)
        .execute(conn)
}

pub fn delete_favourite(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(favourites::table.find(id)).execute(conn)
}

/// Who favourited a status, newest first, paged by favourite id.
pub fn favourited_by(
    conn: &mut DbConnection,
    status_id: i64,
    page: &Page,
) -> QueryResult<Vec<(FavouriteRow, AccountRow)>> {
    let query = favourites::table
        .inner_join(accounts::table.on(accounts::id.eq(favourites::account_id)))
        .filter(favourites::status_id.eq(status_id))
        .select((FavouriteRow::as_select(), AccountRow::as_select()))
        .into_boxed::<Backend>();
    page_by(conn, query, favourites::id, page)
}

/// A member's favourites, newest first, paged by favourite id.
pub fn favourites_of(
    conn: &mut DbConnection,
    account_id: i64,
    page: &Page,
) -> QueryResult<Vec<(FavouriteRow, StatusRow)>> {
    let query = favourites::table
        .inner_join(statuses::table)
        .filter(favourites::account_id.eq(account_id))
        .select((FavouriteRow::as_select(), StatusRow::as_select()))
        .into_boxed::<Backend>();
    page_by(conn, query, favourites::id, page)
}

pub fn find_bookmark(
    conn: &mut DbConnection,
    account_id: i64,
    status_id: i64,
) -> QueryResult<Option<BookmarkRow>> {
    bookmarks::table
        .filter(bookmarks::account_id.eq(account_id))
        .filter(bookmarks::status_id.eq(status_id))
        .select(BookmarkRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_bookmark(conn: &mut DbConnection, row: &BookmarkRow) -> QueryResult<usize> {
    diesel::insert_into(bookmarks::table)
        .values(row)
        .execute(conn)
}

pub fn delete_bookmark(
    conn: &mut DbConnection,
    account_id: i64,
    status_id: i64,
) -> QueryResult<usize> {
    diesel::delete(
        bookmarks::table
            .filter(bookmarks::account_id.eq(account_id))
            .filter(bookmarks::status_id.eq(status_id)),
    )
    .execute(conn)
}

pub fn bookmarks_of(
    conn: &mut DbConnection,
    account_id: i64,
    page: &Page,
) -> QueryResult<Vec<(BookmarkRow, StatusRow)>> {
    let query = bookmarks::table
        .inner_join(statuses::table)
        .filter(bookmarks::account_id.eq(account_id))
        .select((BookmarkRow::as_select(), StatusRow::as_select()))
        .into_boxed::<Backend>();
    page_by(conn, query, bookmarks::id, page)
}

pub fn insert_pin(conn: &mut DbConnection, row: &PinRow) -> QueryResult<usize> {
    diesel::insert_into(status_pins::table)
        .values(row)
        .execute(conn)
}

pub fn delete_pin(conn: &mut DbConnection, account_id: i64, status_id: i64) -> QueryResult<usize> {
    diesel::delete(
        status_pins::table
            .filter(status_pins::account_id.eq(account_id))
            .filter(status_pins::status_id.eq(status_id)),
    )
    .execute(conn)
}

pub fn pinned_of(conn: &mut DbConnection, account_id: i64) -> QueryResult<Vec<StatusRow>> {
    status_pins::table
        .inner_join(statuses::table)
        .filter(status_pins::account_id.eq(account_id))
        .order(status_pins::id.desc())
        .select(StatusRow::as_select())
        .load(conn)
}

/// For each of `status_ids`: (favourited, reblogged, bookmarked, pinned, muted) by the viewer.
pub fn viewer_flags(
    conn: &mut DbConnection,
    viewer: i64,
    status_ids: &[i64],
) -> QueryResult<ViewerFlags> {
    if status_ids.is_empty() {
        return Ok(ViewerFlags::default());
    }
    Ok(ViewerFlags {
        favourited: favourites::table
            .filter(favourites::account_id.eq(viewer))
            .filter(favourites::status_id.eq_any(status_ids))
            .select(favourites::status_id)
            .load(conn)?,
        reblogged: statuses::table
            .filter(statuses::account_id.eq(viewer))
            .filter(statuses::reblog_of_id.eq_any(status_ids))
            .select(statuses::reblog_of_id.assume_not_null())
            .load(conn)?,
        bookmarked: bookmarks::table
            .filter(bookmarks::account_id.eq(viewer))
            .filter(bookmarks::status_id.eq_any(status_ids))
            .select(bookmarks::status_id)
            .load(conn)?,
        pinned: status_pins::table
            .filter(status_pins::account_id.eq(viewer))
            .filter(status_pins::status_id.eq_any(status_ids))
            .select(status_pins::status_id)
            .load(conn)?,
    })
}

/// Which of a page of statuses the viewer has favourited, boosted, bookmarked or pinned.
#[derive(Debug, Clone, Default)]
pub struct ViewerFlags {
    pub favourited: Vec<i64>,
    pub reblogged: Vec<i64>,
    pub bookmarked: Vec<i64>,
    pub pinned: Vec<i64>,
}

// ---- blocks and mutes ----

pub fn find_block(
    conn: &mut DbConnection,
    account_id: i64,
    target: i64,
) -> QueryResult<Option<BlockRow>> {
    blocks::table
        .filter(blocks::account_id.eq(account_id))
        .filter(blocks::target_account_id.eq(target))
        .select(BlockRow::as_select())
        .first(conn)
        .optional()
}

/// Whether either account blocks the other.
pub fn blocked_either_way(conn: &mut DbConnection, a: i64, b: i64) -> QueryResult<bool> {
    let n: i64 = blocks::table
        .filter(
            blocks::account_id
                .eq(a)
                .and(blocks::target_account_id.eq(b))
                .or(blocks::account_id
                    .eq(b)
                    .and(blocks::target_account_id.eq(a))),
        )
        .select(count_star())
        .first(conn)?;
    Ok(n > 0)
}

pub fn insert_block(conn: &mut DbConnection, row: &BlockRow) -> QueryResult<usize> {
    diesel::insert_into(blocks::table).values(row).execute(conn)
}

pub fn delete_block(conn: &mut DbConnection, account_id: i64, target: i64) -> QueryResult<usize> {
    diesel::delete(
        blocks::table
            .filter(blocks::account_id.eq(account_id))
            .filter(blocks::target_account_id.eq(target)),
    )
    .execute(conn)
}

pub fn blocks_page(
    conn: &mut DbConnection,
    account_id: i64,
    page: &Page,
) -> QueryResult<Vec<(BlockRow, AccountRow)>> {
    let query = blocks::table
        .inner_join(accounts::table.on(accounts::id.eq(blocks::target_account_id)))
        .filter(blocks::account_id.eq(account_id))
        .select((BlockRow::as_select(), AccountRow::as_select()))
        .into_boxed::<Backend>();
    page_by(conn, query, blocks::id, page)
}

pub fn find_mute(
    conn: &mut DbConnection,
    account_id: i64,
    target: i64,
) -> QueryResult<Option<MuteRow>> {
    mutes::table
        .filter(mutes::account_id.eq(account_id))
        .filter(mutes::target_account_id.eq(target))
        .select(MuteRow::as_select())
        .first(conn)
        .optional()
}

pub fn upsert_mute(conn: &mut DbConnection, row: &MuteRow) -> QueryResult<()> {
    diesel::delete(
        mutes::table
            .filter(mutes::account_id.eq(row.account_id))
            .filter(mutes::target_account_id.eq(row.target_account_id)),
    )
    .execute(conn)?;
    diesel::insert_into(mutes::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn delete_mute(conn: &mut DbConnection, account_id: i64, target: i64) -> QueryResult<usize> {
    diesel::delete(
        mutes::table
            .filter(mutes::account_id.eq(account_id))
            .filter(mutes::target_account_id.eq(target)),
    )
    .execute(conn)
}

pub fn mutes_page(
    conn: &mut DbConnection,
    account_id: i64,
    page: &Page,
) -> QueryResult<Vec<(MuteRow, AccountRow)>> {
    let query = mutes::table
        .inner_join(accounts::table.on(accounts::id.eq(mutes::target_account_id)))
        .filter(mutes::account_id.eq(account_id))
        .select((MuteRow::as_select(), AccountRow::as_select()))
        .into_boxed::<Backend>();
    page_by(conn, query, mutes::id, page)
}

/// Accounts the viewer has muted (unexpired) or blocked, or that block the viewer: what to hide.
pub fn hidden_accounts(
    conn: &mut DbConnection,
    viewer: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<i64>> {
    let mut hidden: Vec<i64> = mutes::table
        .filter(mutes::account_id.eq(viewer))
        .filter(mutes::expires_at.is_null().or(mutes::expires_at.gt(now)))
        .select(mutes::target_account_id)
        .load(conn)?;
    hidden.extend(
        blocks::table
            .filter(blocks::account_id.eq(viewer))
            .select(blocks::target_account_id)
            .load::<i64>(conn)?,
    );
    hidden.extend(
        blocks::table
            .filter(blocks::target_account_id.eq(viewer))
            .select(blocks::account_id)
            .load::<i64>(conn)?,
    );
    hidden.sort_unstable();
    hidden.dedup();
    Ok(hidden)
}

// ---- notifications ----

pub fn insert_notification(conn: &mut DbConnection, row: &NotificationRow) -> QueryResult<usize> {
    diesel::insert_into(notifications::table)
        .values(row)
        .execute(conn)
}

pub fn find_notification(
    conn: &mut DbConnection,
    account_id: i64,
    id: i64,
) -> QueryResult<Option<NotificationRow>> {
    notifications::table
        .filter(notifications::account_id.eq(account_id))
        .filter(notifications::id.eq(id))
        .select(NotificationRow::as_select())
        .first(conn)
        .optional()
}

/// A member's notifications, newest first, with only or without some kinds.
pub fn notifications_page(
    conn: &mut DbConnection,
    account_id: i64,
    include: &[String],
    exclude: &[String],
    from_account: Option<i64>,
    page: &Page,
) -> QueryResult<Vec<NotificationRow>> {
    let mut query = notifications::table
        .filter(notifications::account_id.eq(account_id))
        .select(NotificationRow::as_select())
        .into_boxed::<Backend>();
    if !include.is_empty() {
        query = query.filter(notifications::kind.eq_any(include.to_vec()));
    }
    if !exclude.is_empty() {
        query = query.filter(notifications::kind.ne_all(exclude.to_vec()));
    }
    if let Some(from) = from_account {
        query = query.filter(notifications::from_account_id.eq(from));
    }
    page_by(conn, query, notifications::id, page)
}

pub fn delete_notification(
    conn: &mut DbConnection,
    account_id: i64,
    id: i64,
) -> QueryResult<usize> {
    diesel::delete(
        notifications::table
            .filter(notifications::account_id.eq(account_id))
            .filter(notifications::id.eq(id)),
    )
    .execute(conn)
}

pub fn clear_notifications(conn: &mut DbConnection, account_id: i64) -> QueryResult<usize> {
    diesel::delete(notifications::table.filter(notifications::account_id.eq(account_id)))
        .execute(conn)
}

/// Removes notifications of one kind from one account about one status (an undone favourite).
pub fn delete_notifications_about(
    conn: &mut DbConnection,
    from_account_id: i64,
    kind: &str,
    status_id: i64,
) -> QueryResult<usize> {
    diesel::delete(
        notifications::table
            .filter(notifications::from_account_id.eq(from_account_id))
            .filter(notifications::kind.eq(kind))
            .filter(notifications::status_id.eq(status_id)),
    )
    .execute(conn)
}

/// Removes a follow or follow-request notification once it no longer applies.
pub fn delete_follow_notifications(
    conn: &mut DbConnection,
    account_id: i64,
    from_account_id: i64,
) -> QueryResult<usize> {
    diesel::delete(
        notifications::table
            .filter(notifications::account_id.eq(account_id))
            .filter(notifications::from_account_id.eq(from_account_id))
            .filter(notifications::kind.eq_any(["follow", "follow_request"])),
    )
    .execute(conn)
}

// ---- home feed ----

pub fn insert_feed_entries(conn: &mut DbConnection, entries: &[FeedEntryRow]) -> QueryResult<()> {
    for entry in entries {
        let exists: i64 = home_feed::table
            .filter(home_feed::account_id.eq(entry.account_id))
            .filter(home_feed::status_id.eq(entry.status_id))
            .select(count_star())
            .first(conn)?;
        if exists == 0 {
            diesel::insert_into(home_feed::table)
                .values(entry)
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Drops what `author_id` put in `account_id`'s feed (after an unfollow).
pub fn remove_feed_author(
    conn: &mut DbConnection,
    account_id: i64,
    author_id: i64,
) -> QueryResult<usize> {
    diesel::delete(
        home_feed::table
            .filter(home_feed::account_id.eq(account_id))
            .filter(home_feed::author_id.eq(author_id)),
    )
    .execute(conn)
}

/// A member's home timeline, newest first, without the statuses of `hidden` accounts.
pub fn home_page(
    conn: &mut DbConnection,
    account_id: i64,
    hidden: &[i64],
    page: &Page,
) -> QueryResult<Vec<StatusRow>> {
    // The page of the feed first (the primary key answers it as a range), then those statuses by
    // id. One join would let the planner choose to walk `statuses` backwards from `max_id` and
    // sort (SQLite does so when most of the feed lies below the bound: seconds at 1,000,000).
    let mut feed = home_feed::table
        .filter(home_feed::account_id.eq(account_id))
        .select(home_feed::status_id)
        .into_boxed::<Backend>();
    if !hidden.is_empty() {
        feed = feed.filter(home_feed::author_id.ne_all(hidden.to_vec()));
    }
    let ids: Vec<i64> = page_by(conn, feed, home_feed::status_id, page)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<StatusRow> = statuses::table
        .filter(statuses::id.eq_any(&ids))
        .select(StatusRow::as_select())
        .load(conn)?;
    rows.retain(|s| !hidden.contains(&s.account_id));
    rows.sort_by_key(|s| std::cmp::Reverse(s.id));
    Ok(rows)
}

/// The latest statuses of an account, to fill a new follower's feed.
pub fn recent_for_feed(
    conn: &mut DbConnection,
    author_id: i64,
    limit: i64,
) -> QueryResult<Vec<StatusRow>> {
    statuses::table
        .filter(statuses::account_id.eq(author_id))
        .filter(statuses::visibility.eq_any(["public", "unlisted", "private"]))
        .order(statuses::id.desc())
        .limit(limit)
        .select(StatusRow::as_select())
        .load(conn)
}
