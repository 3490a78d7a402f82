//! HTML pages, in Japanese and English.

pub mod assets;
pub mod events;
pub mod groups;
pub mod landing;
pub mod page;
pub mod profiles;
pub mod session;
pub mod setup;

use axum::Router;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(assets::routes())
        .merge(landing::routes())
        .merge(setup::routes())
        .merge(profiles::routes())
        .merge(session::routes())
        .merge(groups::routes())
        .merge(events::routes())
        .layer(axum::middleware::from_fn(page::remember_lang))
}
