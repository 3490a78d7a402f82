//! OAuth 2 endpoints: the login and consent page, tokens, revocation and the server metadata.

pub mod authorize;
pub mod csrf;
pub mod metadata;
pub mod token;

use axum::Json;
use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use crate::domain::oauth::{ClientCredentials, OAuthError};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/oauth/authorize",
            get(authorize::show).post(authorize::submit),
        )
        .route("/oauth/token", post(token::token))
        .route("/oauth/revoke", post(token::revoke))
        .route(
            "/.well-known/oauth-authorization-server",
            get(metadata::metadata),
        )
}

/// An OAuth error as JSON: `{"error": "invalid_grant", "error_description": "..."}`.
pub struct OAuthErrorResponse(pub OAuthError);

impl IntoResponse for OAuthErrorResponse {
    fn into_response(self) -> Response {
        let error = match self.0 {
            OAuthError::Server(error) => return error.into_response(),
            other => other,
        };
        let status = match &error {
            OAuthError::InvalidClient => StatusCode::UNAUTHORIZED,
            OAuthError::UnauthorizedClient(_) | OAuthError::AccessDenied(_) => {
                StatusCode::FORBIDDEN
            }
            _ => StatusCode::BAD_REQUEST,
        };
        (
            status,
            Json(json!({ "error": error.code(), "error_description": error.to_string() })),
        )
            .into_response()
    }
}

impl From<OAuthError> for OAuthErrorResponse {
    fn from(error: OAuthError) -> Self {
        OAuthErrorResponse(error)
    }
}

/// Client credentials from the body, or from HTTP Basic (`client_secret_basic`), which wins.
pub fn client_credentials(
    headers: &HeaderMap,
    client_id: Option<String>,
    client_secret: Option<String>,
) -> ClientCredentials {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Basic ")
                .or_else(|| v.strip_prefix("basic "))
        })
        .and_then(|b64| STANDARD.decode(b64.trim()).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|pair| {
            let (id, secret) = pair.split_once(':')?;
            let decode = |s: &str| {
                form_urlencoded::parse(format!("x={s}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            };
            Some((decode(id), decode(secret)))
        });
    match basic {
        Some((id, secret)) => ClientCredentials {
            client_id: id,
            client_secret: Some(secret),
        },
        None => ClientCredentials {
            client_id: client_id.unwrap_or_default(),
            client_secret,
        },
    }
}
