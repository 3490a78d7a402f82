//! `GET /.well-known/oauth-authorization-server` (RFC 8414), in the shape Mastodon serves.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::domain::scopes;
use crate::state::AppState;

pub async fn metadata(State(state): State<AppState>) -> Json<Value> {
    let urls = &state.urls;
    let mut grants = vec!["authorization_code", "client_credentials"];
    if state.config.api.allow_password_grant {
        grants.push("password");
    }
    Json(json!({
        "issuer": urls.base().as_str(),
        "service_documentation": "https://docs.joinmastodon.org/",
        "authorization_endpoint": urls.join("/oauth/authorize").as_str(),
        "token_endpoint": urls.join("/oauth/token").as_str(),
        "app_registration_endpoint": urls.join("/api/v1/apps").as_str(),
        "revocation_endpoint": urls.join("/oauth/revoke").as_str(),
        "scopes_supported": scopes::KNOWN,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "grant_types_supported": grants,
    }))
}
