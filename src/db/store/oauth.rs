//! Queries on OAuth applications, authorization codes, access tokens and server secrets.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::{AccessTokenRow, ApplicationRow, AuthorizationCodeRow, ServerSecretRow};
use crate::db::schema::{
    oauth_access_tokens, oauth_applications, oauth_authorization_codes, server_secrets,
};

pub fn insert_application(conn: &mut DbConnection, app: &ApplicationRow) -> QueryResult<()> {
    diesel::insert_into(oauth_applications::table)
        .values(app)
        .execute(conn)
        .map(drop)
}

pub fn find_application(conn: &mut DbConnection, id: i64) -> QueryResult<Option<ApplicationRow>> {
    oauth_applications::table
        .find(id)
        .select(ApplicationRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_application_by_client_id(
    conn: &mut DbConnection,
    client_id: &str,
) -> QueryResult<Option<ApplicationRow>> {
    oauth_applications::table
        .filter(oauth_applications::client_id.eq(client_id))
        .select(ApplicationRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_code(conn: &mut DbConnection, code: &AuthorizationCodeRow) -> QueryResult<()> {
    diesel::insert_into(oauth_authorization_codes::table)
        .values(code)
        .execute(conn)
        .map(drop)
}

/// Reads and deletes a code in one go: of two concurrent exchanges only one gets the row.
pub fn take_code(
    conn: &mut DbConnection,
    code_hash: &str,
) -> QueryResult<Option<AuthorizationCodeRow>> {
    conn.transaction(|conn| {
        let Some(row) = oauth_authorization_codes::table
            .find(code_hash)
            .select(AuthorizationCodeRow::as_select())
            .first(conn)
            .optional()?
        else {
            return Ok(None);
        };
        let deleted =
            diesel::delete(oauth_authorization_codes::table.find(code_hash)).execute(conn)?;
        Ok((deleted == 1).then_some(row))
    })
}

pub fn delete_expired_codes(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        oauth_authorization_codes::table.filter(oauth_authorization_codes::expires_at.lt(now)),
    )
    .execute(conn)
}

pub fn insert_token(conn: &mut DbConnection, token: &AccessTokenRow) -> QueryResult<()> {
    diesel::insert_into(oauth_access_tokens::table)
        .values(token)
        .execute(conn)
        .map(drop)
}

/// A token and its application, by the token's hash.
pub fn find_token(
    conn: &mut DbConnection,
    token_hash: &str,
) -> QueryResult<Option<(AccessTokenRow, ApplicationRow)>> {
    oauth_access_tokens::table
        .inner_join(oauth_applications::table)
        .filter(oauth_access_tokens::token_hash.eq(token_hash))
        .select((AccessTokenRow::as_select(), ApplicationRow::as_select()))
        .first(conn)
        .optional()
}

/// Deletes a token if it belongs to the application; returns how many rows went.
pub fn delete_token(
    conn: &mut DbConnection,
    token_hash: &str,
    application_id: i64,
) -> QueryResult<usize> {
    diesel::delete(
        oauth_access_tokens::table
            .filter(oauth_access_tokens::token_hash.eq(token_hash))
            .filter(oauth_access_tokens::application_id.eq(application_id)),
    )
    .execute(conn)
}

pub fn find_secret(conn: &mut DbConnection, name: &str) -> QueryResult<Option<String>> {
    server_secrets::table
        .find(name)
        .select(server_secrets::value)
        .first(conn)
        .optional()
}

/// Stores a secret unless another process stored one first; returns the one that is kept.
pub fn insert_secret(conn: &mut DbConnection, row: &ServerSecretRow) -> QueryResult<String> {
    match diesel::insert_into(server_secrets::table)
        .values(row)
        .execute(conn)
    {
        Ok(_) => Ok(row.value.clone()),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => server_secrets::table
            .find(&row.name)
            .select(server_secrets::value)
            .first(conn),
        Err(e) => Err(e),
    }
}
