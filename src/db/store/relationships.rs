//! Reads for the Relationship entity over several accounts at once, and endorsements.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::{AccountRow, BlockRow, EndorsementRow, MuteRow};
use crate::db::schema::{accounts, blocks, endorsements, mutes};
use crate::db::store::relations::page_by;
use crate::db::store::{Backend, Page};

/// Blocks from `account_id` to any of `targets` and from any of them to it.
pub fn blocks_between(
    conn: &mut DbConnection,
    account_id: i64,
    targets: &[i64],
) -> QueryResult<Vec<BlockRow>> {
    blocks::table
        .filter(
            blocks::account_id
                .eq(account_id)
                .and(blocks::target_account_id.eq_any(targets))
                .or(blocks::target_account_id
                    .eq(account_id)
                    .and(blocks::account_id.eq_any(targets))),
        )
        .select(BlockRow::as_select())
        .load(conn)
}

/// The member's unexpired mutes of any of `targets`.
pub fn mutes_of(
    conn: &mut DbConnection,
    account_id: i64,
    targets: &[i64],
    now: NaiveDateTime,
) -> QueryResult<Vec<MuteRow>> {
    mutes::table
        .filter(mutes::account_id.eq(account_id))
        .filter(mutes::target_account_id.eq_any(targets))
        .filter(mutes::expires_at.is_null().or(mutes::expires_at.gt(now)))
        .select(MuteRow::as_select())
        .load(conn)
}

/// Which of `targets` the member endorses.
pub fn endorsed_of(
    conn: &mut DbConnection,
    account_id: i64,
    targets: &[i64],
) -> QueryResult<Vec<i64>> {
    endorsements::table
        .filter(endorsements::account_id.eq(account_id))
        .filter(endorsements::target_account_id.eq_any(targets))
        .select(endorsements::target_account_id)
        .load(conn)
}

pub fn insert_endorsement(conn: &mut DbConnection, row: &EndorsementRow) -> QueryResult<()> {
    let exists = endorsements::table
        .filter(endorsements::account_id.eq(row.account_id))
        .filter(endorsements::target_account_id.eq(row.target_account_id))
        .select(endorsements::id)
        .first::<i64>(conn)
        .optional()?;
    if exists.is_none() {
        diesel::insert_into(endorsements::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn delete_endorsement(
    conn: &mut DbConnection,
    account_id: i64,
    target: i64,
) -> QueryResult<()> {
    diesel::delete(
        endorsements::table
            .filter(endorsements::account_id.eq(account_id))
            .filter(endorsements::target_account_id.eq(target)),
    )
    .execute(conn)
    .map(drop)
}

/// The accounts a member endorses, newest first, paged by endorsement id.
pub fn endorsements_page(
    conn: &mut DbConnection,
    account_id: i64,
    page: &Page,
) -> QueryResult<Vec<(i64, AccountRow)>> {
    let query = endorsements::table
        .inner_join(accounts::table.on(accounts::id.eq(endorsements::target_account_id)))
        .filter(endorsements::account_id.eq(account_id))
        .select((endorsements::id, AccountRow::as_select()))
        .into_boxed::<Backend>();
    page_by(conn, query, endorsements::id, page)
}
