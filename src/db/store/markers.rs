//! Queries on `markers`.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::MarkerRow;
use crate::db::schema::markers;

pub fn of_account(conn: &mut DbConnection, account_id: i64) -> QueryResult<Vec<MarkerRow>> {
    markers::table
        .filter(markers::account_id.eq(account_id))
        .select(MarkerRow::as_select())
        .load(conn)
}

pub fn find(
    conn: &mut DbConnection,
    account_id: i64,
    timeline: &str,
) -> QueryResult<Option<MarkerRow>> {
    markers::table
        .filter(markers::account_id.eq(account_id))
        .filter(markers::timeline.eq(timeline))
        .select(MarkerRow::as_select())
        .first(conn)
        .optional()
}

/// Writes a marker, replacing the earlier one.
pub fn save(conn: &mut DbConnection, row: &MarkerRow) -> QueryResult<()> {
    diesel::delete(
        markers::table
            .filter(markers::account_id.eq(row.account_id))
            .filter(markers::timeline.eq(&row.timeline)),
    )
    .execute(conn)?;
    diesel::insert_into(markers::table)
        .values(row)
        .execute(conn)
        .map(drop)
}
