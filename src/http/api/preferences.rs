//! `GET /api/v1/preferences`.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::Value;

use crate::domain::profiles;
use crate::error::AppResult;
use crate::http::api::entities::preferences::preferences;
use crate::http::extract::{CurrentUser, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/preferences", get(show))
}

async fn show(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadAccounts>,
) -> AppResult<Json<Value>> {
    let view = profiles::credential_view(&state.db, &me.user).await?;
    Ok(Json(preferences(&view.settings)))
}
