//! Queries on `lists` and `list_accounts`, and a list's timeline.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::{AccountRow, ListAccountRow, ListRow, StatusRow};
use crate::db::schema::{accounts, follows, list_accounts, lists, statuses};
use crate::db::store::relations::page_by;
use crate::db::store::statuses::page_statuses;
use crate::db::store::{Backend, Page};

/// A member's lists, oldest first.
pub fn of_account(conn: &mut DbConnection, account_id: i64) -> QueryResult<Vec<ListRow>> {
    lists::table
        .filter(lists::account_id.eq(account_id))
        .order(lists::id.asc())
        .select(ListRow::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, owner: i64, id: i64) -> QueryResult<Option<ListRow>> {
    lists::table
        .filter(lists::account_id.eq(owner))
        .filter(lists::id.eq(id))
        .select(ListRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, row: &ListRow) -> QueryResult<()> {
    diesel::insert_into(lists::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn update(conn: &mut DbConnection, row: &ListRow) -> QueryResult<()> {
    diesel::update(lists::table.find(row.id))
        .set((
            lists::title.eq(&row.title),
            lists::replies_policy.eq(&row.replies_policy),
            lists::exclusive.eq(row.exclusive),
            lists::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
        .map(drop)
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(lists::table.find(id))
        .execute(conn)
        .map(drop)
}

/// A list's members with the accounts, newest addition first, paged by membership id.
pub fn members_page(
    conn: &mut DbConnection,
    list_id: i64,
    page: &Page,
) -> QueryResult<Vec<(ListAccountRow, AccountRow)>> {
    let query = list_accounts::table
        .inner_join(accounts::table.on(accounts::id.eq(list_accounts::account_id)))
        .filter(list_accounts::list_id.eq(list_id))
        .select((ListAccountRow::as_select(), AccountRow::as_select()))
        .into_boxed::<Backend>();
    page_by(conn, query, list_accounts::id, page)
}

pub fn member_ids(conn: &mut DbConnection, list_id: i64) -> QueryResult<Vec<i64>> {
    list_accounts::table
        .filter(list_accounts::list_id.eq(list_id))
        .select(list_accounts::account_id)
        .load(conn)
}

pub fn add_member(conn: &mut DbConnection, row: &ListAccountRow) -> QueryResult<()> {
    let exists = list_accounts::table
        .filter(list_accounts::list_id.eq(row.list_id))
        .filter(list_accounts::account_id.eq(row.account_id))
        .select(list_accounts::id)
        .first::<i64>(conn)
        .optional()?;
    if exists.is_none() {
        diesel::insert_into(list_accounts::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn remove_members(
    conn: &mut DbConnection,
    list_id: i64,
    account_ids: &[i64],
) -> QueryResult<()> {
    diesel::delete(
        list_accounts::table
            .filter(list_accounts::list_id.eq(list_id))
            .filter(list_accounts::account_id.eq_any(account_ids)),
    )
    .execute(conn)
    .map(drop)
}

/// The owner's lists that include `account_id`.
pub fn containing(
    conn: &mut DbConnection,
    owner: i64,
    account_id: i64,
) -> QueryResult<Vec<ListRow>> {
    lists::table
        .inner_join(list_accounts::table)
        .filter(lists::account_id.eq(owner))
        .filter(list_accounts::account_id.eq(account_id))
        .order(lists::id.asc())
        .select(ListRow::as_select())
        .load(conn)
}

/// The accounts in the owner's exclusive lists.
pub fn exclusive_members(conn: &mut DbConnection, owner: i64) -> QueryResult<Vec<i64>> {
    lists::table
        .inner_join(list_accounts::table)
        .filter(lists::account_id.eq(owner))
        .filter(lists::exclusive.eq(true))
        .select(list_accounts::account_id)
        .load(conn)
}

/// A list's timeline: statuses and boosts of its members whom the owner follows, newest first,
/// not direct ones, without `hidden` authors, replies as the list's policy says.
pub fn timeline(
    conn: &mut DbConnection,
    list: &ListRow,
    hidden: &[i64],
    page: &Page,
) -> QueryResult<Vec<StatusRow>> {
    let members = list_accounts::table
        .filter(list_accounts::list_id.eq(list.id))
        .select(list_accounts::account_id);
    let followed = follows::table
        .filter(follows::account_id.eq(list.account_id))
        .filter(follows::state.eq("accepted"))
        .select(follows::target_account_id);
    let mut query = statuses::table
        .filter(statuses::account_id.eq_any(members))
        .filter(statuses::account_id.eq_any(followed))
        .filter(statuses::visibility.ne("direct"))
        .select(StatusRow::as_select())
        .into_boxed::<Backend>();
    if !hidden.is_empty() {
        query = query.filter(statuses::account_id.ne_all(hidden.to_vec()));
    }
    let not_a_reply = statuses::in_reply_to_account_id
        .is_null()
        .or(statuses::in_reply_to_account_id.eq(statuses::account_id.nullable()));
    match list.replies_policy.as_str() {
        "none" => query = query.filter(not_a_reply),
        "list" => {
            let members = list_accounts::table
                .filter(list_accounts::list_id.eq(list.id))
                .select(list_accounts::account_id.nullable());
            query = query.filter(not_a_reply.or(statuses::in_reply_to_account_id.eq_any(members)));
        }
        _ => {
            let followed = follows::table
                .filter(follows::account_id.eq(list.account_id))
                .filter(follows::state.eq("accepted"))
                .select(follows::target_account_id.nullable());
            query = query.filter(
                not_a_reply
                    .or(statuses::in_reply_to_account_id.eq_any(followed))
                    .or(statuses::in_reply_to_account_id.eq(Some(list.account_id))),
            );
        }
    }
    page_statuses(conn, query, page)
}
