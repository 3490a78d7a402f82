//! `POST /oauth/token` and `POST /oauth/revoke`.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::oauth::{self, OAuthError};
use crate::http::api::entities::Token;
use crate::http::api::oauth::{OAuthErrorResponse, client_credentials};
use crate::http::extract::Params;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct TokenParams {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    code_verifier: Option<String>,
    scope: Option<String>,
    username: Option<String>,
    password: Option<String>,
}

pub async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    Params(params): Params<TokenParams>,
) -> Result<Json<Token>, OAuthErrorResponse> {
    let client = client_credentials(&headers, params.client_id, params.client_secret);
    let db = &state.db;
    let scope = params.scope.as_deref();
    let issued = match params.grant_type.as_deref() {
        Some("authorization_code") => {
            let code = params.code.ok_or_else(|| {
                OAuthError::InvalidRequest(
                    "The request is missing a required parameter: code.".to_owned(),
                )
            })?;
            oauth::exchange_code(
                db,
                &client,
                &code,
                params.redirect_uri.as_deref(),
                params.code_verifier.as_deref(),
            )
            .await?
        }
        Some("client_credentials") => oauth::client_credentials_token(db, &client, scope).await?,
        Some("password") if state.config.api.allow_password_grant => {
            let (Some(username), Some(password)) = (params.username, params.password) else {
                return Err(OAuthError::InvalidRequest(
                    "The request is missing a required parameter: username and password."
                        .to_owned(),
                )
                .into());
            };
            oauth::password_token(db, &client, &username, &password, scope).await?
        }
        None => {
            return Err(OAuthError::InvalidRequest(
                "The request is missing a required parameter: grant_type.".to_owned(),
            )
            .into());
        }
        Some(_) => return Err(OAuthError::UnsupportedGrantType.into()),
    };
    Ok(Json(Token::from_issued(&issued)))
}

#[derive(Debug, Deserialize)]
pub struct RevokeParams {
    token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

pub async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    Params(params): Params<RevokeParams>,
) -> Result<Json<Value>, OAuthErrorResponse> {
    let client = client_credentials(&headers, params.client_id, params.client_secret);
    let token = params.token.ok_or_else(|| {
        OAuthError::InvalidRequest("The request is missing a required parameter: token.".to_owned())
    })?;
    oauth::revoke(&state.db, &client, &token).await?;
    Ok(Json(json!({})))
}
