//! Queries on `filters`, `filter_keywords` and `filter_statuses`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::{FilterKeywordRow, FilterRow, FilterStatusRow};
use crate::db::schema::{filter_keywords, filter_statuses, filters};

/// A member's filters, oldest first.
pub fn of_account(conn: &mut DbConnection, account_id: i64) -> QueryResult<Vec<FilterRow>> {
    filters::table
        .filter(filters::account_id.eq(account_id))
        .order(filters::id.asc())
        .select(FilterRow::as_select())
        .load(conn)
}

/// A member's filters that have not expired at `now`.
pub fn active_of(
    conn: &mut DbConnection,
    account_id: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<FilterRow>> {
    filters::table
        .filter(filters::account_id.eq(account_id))
        .filter(
            filters::expires_at
                .is_null()
                .or(filters::expires_at.gt(now)),
        )
        .order(filters::id.asc())
        .select(FilterRow::as_select())
        .load(conn)
}

/// One of a member's filters.
pub fn find(conn: &mut DbConnection, account_id: i64, id: i64) -> QueryResult<Option<FilterRow>> {
    filters::table
        .filter(filters::account_id.eq(account_id))
        .filter(filters::id.eq(id))
        .select(FilterRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, row: &FilterRow) -> QueryResult<()> {
    diesel::insert_into(filters::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn update(conn: &mut DbConnection, row: &FilterRow) -> QueryResult<()> {
    diesel::update(filters::table.find(row.id))
        .set(row)
        .execute(conn)
        .map(drop)
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(filters::table.find(id))
        .execute(conn)
        .map(drop)
}

/// The keywords of some filters, oldest first.
pub fn keywords_of(
    conn: &mut DbConnection,
    filter_ids: &[i64],
) -> QueryResult<Vec<FilterKeywordRow>> {
    if filter_ids.is_empty() {
        return Ok(Vec::new());
    }
    filter_keywords::table
        .filter(filter_keywords::filter_id.eq_any(filter_ids))
        .order(filter_keywords::id.asc())
        .select(FilterKeywordRow::as_select())
        .load(conn)
}

/// A keyword with its filter, if the filter is the member's.
pub fn find_keyword(
    conn: &mut DbConnection,
    account_id: i64,
    id: i64,
) -> QueryResult<Option<(FilterKeywordRow, FilterRow)>> {
    filter_keywords::table
        .inner_join(filters::table)
        .filter(filters::account_id.eq(account_id))
        .filter(filter_keywords::id.eq(id))
        .select((FilterKeywordRow::as_select(), FilterRow::as_select()))
        .first(conn)
        .optional()
}

pub fn insert_keyword(conn: &mut DbConnection, row: &FilterKeywordRow) -> QueryResult<()> {
    diesel::insert_into(filter_keywords::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn update_keyword(conn: &mut DbConnection, row: &FilterKeywordRow) -> QueryResult<()> {
    diesel::update(filter_keywords::table.find(row.id))
        .set(row)
        .execute(conn)
        .map(drop)
}

pub fn delete_keyword(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(filter_keywords::table.find(id))
        .execute(conn)
        .map(drop)
}

/// The statuses of some filters, oldest first.
pub fn statuses_of(
    conn: &mut DbConnection,
    filter_ids: &[i64],
) -> QueryResult<Vec<FilterStatusRow>> {
    if filter_ids.is_empty() {
        return Ok(Vec::new());
    }
    filter_statuses::table
        .filter(filter_statuses::filter_id.eq_any(filter_ids))
        .order(filter_statuses::id.asc())
        .select(FilterStatusRow::as_select())
        .load(conn)
}

/// A filtered status with its filter, if the filter is the member's.
pub fn find_status(
    conn: &mut DbConnection,
    account_id: i64,
    id: i64,
) -> QueryResult<Option<(FilterStatusRow, FilterRow)>> {
    filter_statuses::table
        .inner_join(filters::table)
        .filter(filters::account_id.eq(account_id))
        .filter(filter_statuses::id.eq(id))
        .select((FilterStatusRow::as_select(), FilterRow::as_select()))
        .first(conn)
        .optional()
}

pub fn insert_status(conn: &mut DbConnection, row: &FilterStatusRow) -> QueryResult<()> {
    diesel::insert_into(filter_statuses::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn delete_status(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(filter_statuses::table.find(id))
        .execute(conn)
        .map(drop)
}
