//! `/healthz` (the process answers), `/readyz` (the database answers too) and `/health`
//! (Mastodon's plain-text check, which Mastodon.py's `instance_health()` reads).

use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// How long `/readyz` waits for the database before answering 503.
const READY_TIMEOUT: Duration = Duration::from_millis(500);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/health", get(health))
}

/// Mastodon answers `OK` as plain text here; clients compare the body with it.
async fn health() -> &'static str {
    "OK"
}

async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

async fn readyz(State(state): State<AppState>) -> AppResult<Json<Value>> {
    if state.db.ping(READY_TIMEOUT).await {
        Ok(Json(json!({ "status": "ready", "database": "ok" })))
    } else {
        Err(AppError::Unavailable(
            "The database is not reachable".to_owned(),
        ))
    }
}
