//! OAuth rows: client applications, authorization codes, access tokens, and the instance's own
//! secrets.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{
    oauth_access_tokens, oauth_applications, oauth_authorization_codes, server_secrets,
};

/// A registered client application.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = oauth_applications)]
pub struct ApplicationRow {
    pub id: i64,
    pub name: String,
    pub website: Option<String>,
    /// One URI per line.
    pub redirect_uris: String,
    /// Space-separated scopes.
    pub scopes: String,
    pub client_id: String,
    /// SHA-256 of the client secret, hex.
    pub client_secret_hash: String,
    pub created_at: NaiveDateTime,
}

/// An authorization code waiting to be exchanged.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = oauth_authorization_codes)]
pub struct AuthorizationCodeRow {
    pub code_hash: String,
    pub application_id: i64,
    pub account_id: i64,
    pub redirect_uri: String,
    pub scopes: String,
    /// The PKCE S256 challenge, when the client sent one.
    pub code_challenge: Option<String>,
    pub expires_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

/// An access token (its hash).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = oauth_access_tokens)]
pub struct AccessTokenRow {
    pub id: i64,
    pub token_hash: String,
    pub application_id: i64,
    /// `None` for an application's own (client_credentials) token.
    pub account_id: Option<i64>,
    pub scopes: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = server_secrets)]
pub struct ServerSecretRow {
    pub name: String,
    pub value: String,
    pub created_at: NaiveDateTime,
}
