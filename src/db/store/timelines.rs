//! Status lists the client API adds to the social core's: boosts of a status, direct messages.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::StatusRow;
use crate::db::schema::{mentions, statuses};
use crate::db::store::statuses::page_statuses;
use crate::db::store::{Backend, Page};

/// The boosts of a status, newest first, paged by the boost's id.
pub fn reblogs_page(
    conn: &mut DbConnection,
    status_id: i64,
    page: &Page,
) -> QueryResult<Vec<StatusRow>> {
    let query = statuses::table
        .filter(statuses::reblog_of_id.eq(status_id))
        .select(StatusRow::as_select())
        .into_boxed::<Backend>();
    page_statuses(conn, query, page)
}

/// Direct statuses a member wrote or is mentioned in, newest first.
pub fn direct_page(
    conn: &mut DbConnection,
    account_id: i64,
    page: &Page,
) -> QueryResult<Vec<StatusRow>> {
    let mentioned = mentions::table
        .filter(mentions::account_id.eq(account_id))
        .select(mentions::status_id);
    let query = statuses::table
        .filter(statuses::visibility.eq("direct"))
        .filter(
            statuses::account_id
                .eq(account_id)
                .or(statuses::id.eq_any(mentioned)),
        )
        .select(StatusRow::as_select())
        .into_boxed::<Backend>();
    page_statuses(conn, query, page)
}
