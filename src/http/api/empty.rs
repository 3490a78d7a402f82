//! Endpoints clients call at start-up for things we have no data for yet: they answer an empty
//! list (as GoToSocial does for trends and suggestions), with the scope Mastodon requires, so
//! clients start instead of failing. Each is replaced when the feature exists.

use axum::Json;
use axum::Router;
use axum::routing::get;
use serde_json::{Value, json};

use crate::http::extract::{CurrentUser, MaybeAuth, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        // No custom emoji are configured.
        .route("/api/v1/custom_emojis", get(public))
        // No trend statistics are computed.
        .route("/api/v1/trends", get(public))
        .route("/api/v1/trends/tags", get(public))
        .route("/api/v1/trends/statuses", get(public))
        .route("/api/v1/trends/links", get(public))
        // No announcements can be written yet.
        .route("/api/v1/announcements", get(announcements))
        // No suggestion source exists yet.
        .route("/api/v2/suggestions", get(suggestions))
        // Hashtags cannot be followed yet.
        .route("/api/v1/followed_tags", get(followed_tags))
}

async fn public(_auth: MaybeAuth) -> Json<Value> {
    Json(json!([]))
}

async fn announcements(_me: CurrentUser<scope::Read>) -> Json<Value> {
    Json(json!([]))
}

async fn suggestions(_me: CurrentUser<scope::Read>) -> Json<Value> {
    Json(json!([]))
}

async fn followed_tags(_me: CurrentUser<scope::ReadFollows>) -> Json<Value> {
    Json(json!([]))
}
