//! Images compiled into the binary: the default avatar and header (for accounts without their
//! own), and the instance thumbnail and icon.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/static/avatar.png",
            get(|| png(include_bytes!("../../../static/avatar.png"))),
        )
        .route(
            "/static/header.png",
            get(|| png(include_bytes!("../../../static/header.png"))),
        )
        .route(
            "/static/thumbnail.png",
            get(|| png(include_bytes!("../../../static/thumbnail.png"))),
        )
        .route(
            "/static/icon.png",
            get(|| png(include_bytes!("../../../static/icon.png"))),
        )
}

async fn png(bytes: &'static [u8]) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    )
}
