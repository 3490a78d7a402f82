//! The Mastodon client API and OAuth, one file per endpoint group. Every route here passes the
//! [`gate`] (token resolved once, rate limits, `Cache-Control: no-store`).
//!
//! To add an endpoint group: write `api/<group>.rs` with a `routes()` returning
//! `Router<AppState>`, and merge it in [`routes`] below.

pub mod accounts;
pub mod apps;
pub mod collections;
pub mod conversations;
pub mod directory;
pub mod empty;
pub mod entities;
pub mod events;
pub mod filters;
pub mod gate;
pub mod instance;
pub mod lists;
pub mod markers;
pub mod media;
pub mod notifications;
pub mod oauth;
pub mod pagination;
pub mod preferences;
pub mod search;
pub mod statuses;
pub mod streaming;
pub mod timelines;
pub mod views;

use axum::Router;

use crate::state::AppState;

/// Routes whose request bodies may be as large as a media file (plus 1 MiB for the form), rather
/// than `server.body_limit_bytes`.
pub const LARGE_BODY_PATHS: &[&str] = &[
    "/api/v1/media",
    "/api/v2/media",
    "/api/v1/accounts/update_credentials",
];

/// Every client API and OAuth route, behind the gate.
pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(apps::routes())
        .merge(oauth::routes())
        .merge(instance::routes())
        .merge(accounts::routes())
        .merge(preferences::routes())
        .merge(media::routes())
        .merge(statuses::routes())
        .merge(timelines::routes())
        .merge(notifications::routes())
        .merge(collections::routes())
        .merge(streaming::routes())
        .merge(search::routes())
        .merge(markers::routes())
        .merge(lists::routes())
        .merge(filters::routes())
        .merge(conversations::routes())
        .merge(directory::routes())
        .merge(events::routes())
        .merge(empty::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            gate::gate,
        ))
}
