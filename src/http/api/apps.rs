//! `POST /api/v1/apps` (register a client) and `GET /api/v1/apps/verify_credentials`.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use serde::Deserialize;

use crate::domain::oauth::{self, NewApplication};
use crate::error::AppResult;
use crate::http::api::entities::Application;
use crate::http::extract::{Auth, Params};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/apps", post(create))
        .route("/api/v1/apps/verify_credentials", get(verify_credentials))
}

#[derive(Debug, Deserialize)]
pub struct CreateParams {
    #[serde(default)]
    client_name: String,
    /// A string (several URIs separated by new lines, as Mastodon.py sends) or a list.
    #[serde(default)]
    redirect_uris: Vec<String>,
    #[serde(default)]
    scopes: String,
    website: Option<String>,
}

async fn create(
    State(state): State<AppState>,
    Params(params): Params<CreateParams>,
) -> AppResult<Json<Application>> {
    let registered = oauth::register_application(
        &state.db,
        NewApplication {
            name: params.client_name,
            website: params.website,
            redirect_uris: params.redirect_uris,
            scopes: params.scopes,
        },
    )
    .await?;
    Ok(Json(Application::registered(
        &registered.app,
        &registered.client_secret,
    )))
}

async fn verify_credentials(auth: Auth) -> Json<Application> {
    Json(Application::public(&auth.0.application))
}
