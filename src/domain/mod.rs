//! Rules and permission checks, shared by client requests, federation and the CLI. No axum types,
//! no diesel DSL: storage goes through `db::store`.

pub mod accounts;
pub mod blocks;
pub mod calendar;
pub mod conversations;
pub mod directory;
pub mod discovery;
pub mod effects;
pub mod event_feeds;
pub mod events;
pub mod feed;
pub mod filters;
pub mod find;
pub mod follows;
pub mod groups;
pub mod html;
pub mod instance;
pub mod instance_actor;
pub mod interactions;
pub mod keys;
pub mod lists;
pub mod markers;
pub mod media;
pub mod notifications;
pub mod oauth;
pub mod paging;
pub mod posting;
pub mod prefectures;
pub mod profiles;
pub mod relationships;
pub mod scopes;
pub mod search;
pub mod secrets;
pub mod status_views;
pub mod statuses;
pub mod streams;
pub mod text;
pub mod timelines;
pub mod urls;
pub mod visibility;

use crate::db::DbConnection;
use crate::error::AppError;
use crate::state::AppState;
use effects::Effects;

/// Runs a change in one transaction: `f` makes it and collects its effects; the activities to send
/// are written in the same transaction; the stream events are published once it has committed.
pub async fn change<T, F>(state: &AppState, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, &mut Effects) -> Result<T, AppError> + Send + 'static,
{
    let outbox_state = state.clone();
    let (value, events, queued) = state
        .db
        .transaction(move |conn| {
            let mut effects = Effects::default();
            let value = f(conn, &mut effects)?;
            let queued =
                crate::federation_glue::outbox::write(conn, &outbox_state, &effects.outgoing)?;
            Ok((value, effects.events, queued))
        })
        .await?;
    if queued > 0 {
        state.delivery_wakeup.wake();
    }
    state.publish(events);
    Ok(value)
}
