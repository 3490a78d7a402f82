//! Queries on `conversation_marks`, and finding thread roots by ActivityPub id.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::ConversationMarkRow;
use crate::db::schema::{conversation_marks, statuses};

pub fn marks_of(
    conn: &mut DbConnection,
    account_id: i64,
    conversation_ids: &[i64],
) -> QueryResult<Vec<ConversationMarkRow>> {
    if conversation_ids.is_empty() {
        return Ok(Vec::new());
    }
    conversation_marks::table
        .filter(conversation_marks::account_id.eq(account_id))
        .filter(conversation_marks::conversation_id.eq_any(conversation_ids))
        .select(ConversationMarkRow::as_select())
        .load(conn)
}

/// Writes a mark, replacing the earlier one.
pub fn save_mark(conn: &mut DbConnection, row: &ConversationMarkRow) -> QueryResult<()> {
    diesel::delete(
        conversation_marks::table
            .filter(conversation_marks::account_id.eq(row.account_id))
            .filter(conversation_marks::conversation_id.eq(row.conversation_id)),
    )
    .execute(conn)?;
    diesel::insert_into(conversation_marks::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// (ap_id, id) of the stored statuses among `ap_ids`.
pub fn ids_by_ap_id(conn: &mut DbConnection, ap_ids: &[String]) -> QueryResult<Vec<(String, i64)>> {
    if ap_ids.is_empty() {
        return Ok(Vec::new());
    }
    statuses::table
        .filter(statuses::ap_id.eq_any(ap_ids))
        .select((statuses::ap_id, statuses::id))
        .load(conn)
}
