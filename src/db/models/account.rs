//! Account (actor) and user (local login) rows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{accounts, users};

/// An actor: a local member or a remote person, group or instance.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = accounts)]
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    /// `None` for local accounts.
    pub domain: Option<String>,
    pub actor_type: String,
    pub display_name: String,
    pub note: String,
    pub ap_id: String,
    pub url: Option<String>,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub featured_url: Option<String>,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
    pub locked: bool,
    pub discoverable: bool,
    pub bot: bool,
    /// JSON array of `{"name": ..., "value": ...}` profile fields.
    pub fields: String,
    pub avatar_remote_url: Option<String>,
    pub header_remote_url: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_fetched_at: Option<NaiveDateTime>,
    pub suspended_at: Option<NaiveDateTime>,
    /// The id of the actor's signing key (remote actors; local ones use `{ap_id}#main-key`).
    pub public_key_id: Option<String>,
}

impl AccountRow {
    pub fn is_local(&self) -> bool {
        self.domain.is_none()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = accounts)]
pub struct NewAccount {
    pub id: i64,
    pub username: String,
    pub domain: Option<String>,
    pub actor_type: String,
    pub display_name: String,
    pub note: String,
    pub ap_id: String,
    pub url: Option<String>,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub featured_url: Option<String>,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
    pub locked: bool,
    pub discoverable: bool,
    pub bot: bool,
    pub fields: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The login of a local account.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users, primary_key(account_id))]
pub struct UserRow {
    pub account_id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub locale: String,
    pub approved: bool,
    pub disabled: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_sign_in_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub account_id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub locale: String,
    pub approved: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
