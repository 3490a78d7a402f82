//! Queries on `user_settings`.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::UserSettingsRow;
use crate::db::schema::user_settings;

pub fn find(conn: &mut DbConnection, account_id: i64) -> QueryResult<Option<UserSettingsRow>> {
    user_settings::table
        .find(account_id)
        .select(UserSettingsRow::as_select())
        .first(conn)
        .optional()
}

/// The settings of several members, for rendering lists of accounts.
pub fn find_many(
    conn: &mut DbConnection,
    account_ids: &[i64],
) -> QueryResult<Vec<UserSettingsRow>> {
    user_settings::table
        .filter(user_settings::account_id.eq_any(account_ids))
        .select(UserSettingsRow::as_select())
        .load(conn)
}

/// Writes the whole row, creating it the first time.
pub fn save(conn: &mut DbConnection, row: &UserSettingsRow) -> QueryResult<()> {
    let updated = diesel::update(user_settings::table.find(row.account_id))
        .set(row)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(user_settings::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}
