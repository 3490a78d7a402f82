//! The Token entity of `POST /oauth/token`.

use serde::Serialize;

use crate::domain::oauth::IssuedToken;

#[derive(Debug, Clone, Serialize)]
pub struct Token {
    pub access_token: String,
    pub token_type: &'static str,
    pub scope: String,
    /// Seconds since the epoch; Ice Cubes requires a number.
    pub created_at: i64,
}

impl Token {
    pub fn from_issued(token: &IssuedToken) -> Token {
        Token {
            access_token: token.access_token.clone(),
            token_type: "Bearer",
            scope: token.scopes.to_string(),
            created_at: token.created_at.and_utc().timestamp(),
        }
    }
}
