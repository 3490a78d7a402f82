//! Queries on `accounts` and `users`.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::{AccountRow, NewAccount, NewUser, UserRow};
use crate::db::schema::{accounts, users};
use crate::db::store::lower;

/// Inserts a local account and its login together.
pub fn insert_local(
    conn: &mut DbConnection,
    account: &NewAccount,
    user: &NewUser,
) -> QueryResult<(AccountRow, UserRow)> {
    conn.transaction(|conn| {
        diesel::insert_into(accounts::table)
            .values(account)
            .execute(conn)?;
        diesel::insert_into(users::table)
            .values(user)
            .execute(conn)?;
        let account = accounts::table
            .find(account.id)
            .select(AccountRow::as_select())
            .first(conn)?;
        let user = users::table
            .find(user.account_id)
            .select(UserRow::as_select())
            .first(conn)?;
        Ok((account, user))
    })
}

/// Whether a local account already uses this name, in any letter case.
pub fn local_username_taken(conn: &mut DbConnection, username: &str) -> QueryResult<bool> {
    let n: i64 = accounts::table
        .filter(accounts::domain.is_null())
        .filter(lower(accounts::username).eq(username.to_lowercase()))
        .select(count_star())
        .first(conn)?;
    Ok(n > 0)
}

/// Whether a login already uses this e-mail address, in any letter case.
pub fn email_taken(conn: &mut DbConnection, email: &str) -> QueryResult<bool> {
    let n: i64 = users::table
        .filter(lower(users::email).eq(email.to_lowercase()))
        .select(count_star())
        .first(conn)?;
    Ok(n > 0)
}

/// A local account and its login, by name in any letter case.
pub fn find_local_user(
    conn: &mut DbConnection,
    username: &str,
) -> QueryResult<Option<(AccountRow, UserRow)>> {
    accounts::table
        .inner_join(users::table)
        .filter(accounts::domain.is_null())
        .filter(lower(accounts::username).eq(username.to_lowercase()))
        .select((AccountRow::as_select(), UserRow::as_select()))
        .first(conn)
        .optional()
}

/// A local account and its login, by e-mail address in any letter case.
pub fn find_user_by_email(
    conn: &mut DbConnection,
    email: &str,
) -> QueryResult<Option<(AccountRow, UserRow)>> {
    accounts::table
        .inner_join(users::table)
        .filter(lower(users::email).eq(email.to_lowercase()))
        .select((AccountRow::as_select(), UserRow::as_select()))
        .first(conn)
        .optional()
}

/// Every local account with its login, oldest first.
pub fn list_local_users(conn: &mut DbConnection) -> QueryResult<Vec<(AccountRow, UserRow)>> {
    accounts::table
        .inner_join(users::table)
        .order(accounts::id.asc())
        .select((AccountRow::as_select(), UserRow::as_select()))
        .load(conn)
}

pub fn count_local_users(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table.select(count_star()).first(conn)
}

pub fn count_admins(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq("admin"))
        .select(count_star())
        .first(conn)
}

pub fn set_password_hash(
    conn: &mut DbConnection,
    account_id: i64,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(users::table.find(account_id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
        .execute(conn)
}

pub fn set_role(
    conn: &mut DbConnection,
    account_id: i64,
    role: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(users::table.find(account_id))
        .set((users::role.eq(role), users::updated_at.eq(now)))
        .execute(conn)
}

pub fn find_by_id(conn: &mut DbConnection, id: i64) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .find(id)
        .select(AccountRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_ap_id(conn: &mut DbConnection, ap_id: &str) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .filter(accounts::ap_id.eq(ap_id))
        .select(AccountRow::as_select())
        .first(conn)
        .optional()
}

/// The accounts with these ids, in no particular order.
pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<AccountRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    accounts::table
        .filter(accounts::id.eq_any(ids))
        .select(AccountRow::as_select())
        .load(conn)
}

/// An account by name and domain (`None` for local), in any letter case.
pub fn find_by_acct(
    conn: &mut DbConnection,
    username: &str,
    domain: Option<&str>,
) -> QueryResult<Option<AccountRow>> {
    let query = accounts::table
        .filter(lower(accounts::username).eq(username.to_lowercase()))
        .select(AccountRow::as_select());
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

/// Inserts an account without a login (the instance actor, a remote actor).
pub fn insert(conn: &mut DbConnection, account: &NewAccount) -> QueryResult<usize> {
    diesel::insert_into(accounts::table)
        .values(account)
        .execute(conn)
}

/// A local account by its profile page URL.
pub fn find_by_url(conn: &mut DbConnection, url: &str) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .filter(accounts::url.eq(url))
        .select(AccountRow::as_select())
        .first(conn)
        .optional()
}

/// Local members who signed in, or posted, since `since`.
pub fn count_active_users(conn: &mut DbConnection, since: NaiveDateTime) -> QueryResult<i64> {
    use crate::db::schema::statuses;
    let posters = statuses::table
        .filter(statuses::local.eq(true))
        .filter(statuses::created_at.ge(since))
        .select(statuses::account_id);
    users::table
        .filter(
            users::last_sign_in_at
                .ge(since)
                .or(users::account_id.eq_any(posters)),
        )
        .select(count_star())
        .first(conn)
}

/// What a fresh copy of a remote actor's document changes.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = accounts, treat_none_as_null = true)]
pub struct RemoteActorChanges {
    pub username: String,
    pub actor_type: String,
    pub display_name: String,
    pub note: String,
    pub url: Option<String>,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub featured_url: Option<String>,
    pub public_key_pem: String,
    pub public_key_id: Option<String>,
    pub locked: bool,
    pub discoverable: bool,
    pub bot: bool,
    pub fields: String,
    pub avatar_remote_url: Option<String>,
    pub header_remote_url: Option<String>,
    pub updated_at: NaiveDateTime,
    pub last_fetched_at: NaiveDateTime,
}

pub fn refresh_remote(
    conn: &mut DbConnection,
    id: i64,
    changes: &RemoteActorChanges,
) -> QueryResult<usize> {
    // Keep the stored name when another account of that server holds the new one.
    let mut changes = changes.clone();
    let current = find_by_id(conn, id)?;
    if let Some(current) = &current
        && let Some(domain) = current.domain.as_deref()
        && let Some(other) = find_by_acct(conn, &changes.username, Some(domain))?
        && other.id != id
    {
        changes.username.clone_from(&current.username);
    }
    // One assignment per column: PostgreSQL refuses `username` set twice (SQLite did not mind).
    diesel::update(accounts::table.find(id))
        .set(&changes)
        .execute(conn)
}

/// The parts of a new remote account `NewAccount` does not carry.
pub fn set_remote_extras(
    conn: &mut DbConnection,
    id: i64,
    public_key_id: Option<&str>,
    avatar: Option<&str>,
    header: Option<&str>,
    fetched_at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::public_key_id.eq(public_key_id),
            accounts::avatar_remote_url.eq(avatar),
            accounts::header_remote_url.eq(header),
            accounts::last_fetched_at.eq(Some(fetched_at)),
        ))
        .execute(conn)
}

/// The remote account that signs with this key.
pub fn find_by_key_id(conn: &mut DbConnection, key_id: &str) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .filter(accounts::public_key_id.eq(key_id))
        .filter(accounts::domain.is_not_null())
        .select(AccountRow::as_select())
        .first(conn)
        .optional()
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(accounts::table.find(id)).execute(conn)
}
