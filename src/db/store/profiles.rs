//! Account lookups for the client API and the profile changes a member makes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::{AccountRow, UserRow};
use crate::db::schema::{accounts, users};
use crate::db::store::lower;

pub fn find_account(conn: &mut DbConnection, id: i64) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .find(id)
        .select(AccountRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_accounts(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<AccountRow>> {
    accounts::table
        .filter(accounts::id.eq_any(ids))
        .select(AccountRow::as_select())
        .load(conn)
}

/// The roles of those of `ids` that are local members.
pub fn roles_of(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    users::table
        .filter(users::account_id.eq_any(ids))
        .select((users::account_id, users::role))
        .load(conn)
}

/// A local account with its login, by account id.
pub fn find_local_user_by_id(
    conn: &mut DbConnection,
    id: i64,
) -> QueryResult<Option<(AccountRow, UserRow)>> {
    accounts::table
        .inner_join(users::table)
        .filter(accounts::id.eq(id))
        .select((AccountRow::as_select(), UserRow::as_select()))
        .first(conn)
        .optional()
}

/// An account by name and domain (`None` for local), in any letter case.
pub fn find_by_acct(
    conn: &mut DbConnection,
    username: &str,
    domain: Option<&str>,
) -> QueryResult<Option<AccountRow>> {
    let query = accounts::table
        .filter(lower(accounts::username).eq(username.to_lowercase()))
        .select(AccountRow::as_select())
        .into_boxed();
    match domain {
        None => query
            .filter(accounts::domain.is_null())
            .first(conn)
            .optional(),
        Some(domain) => query
            .filter(lower(accounts::domain.assume_not_null()).eq(domain.to_lowercase()))
            .first(conn)
            .optional(),
    }
}

/// The oldest administrator who is not disabled: the instance's contact account.
pub fn first_admin(conn: &mut DbConnection) -> QueryResult<Option<(AccountRow, UserRow)>> {
    accounts::table
        .inner_join(users::table)
        .filter(users::role.eq("admin"))
        .filter(users::disabled.eq(false))
        .order(accounts::id.asc())
        .select((AccountRow::as_select(), UserRow::as_select()))
        .first(conn)
        .optional()
}

/// The public profile columns a member changes through `update_credentials`.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = accounts)]
pub struct ProfileChanges {
    pub display_name: String,
    pub note: String,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub fields: String,
    pub updated_at: NaiveDateTime,
}

pub fn update_profile(
    conn: &mut DbConnection,
    account_id: i64,
    changes: &ProfileChanges,
) -> QueryResult<()> {
    diesel::update(accounts::table.find(account_id))
        .set(changes)
        .execute(conn)
        .map(drop)
}
