//! Events over ActivityPub: our `Event` documents and their `Create`/`Update`, remote events
//! stored from what other servers send, and participation (`Join`, `Leave`, answers).

pub mod ingest;
pub mod render;
pub mod rsvp;

use kakehashi_federation::fetch::same_origin;
use kakehashi_federation::protocol::event::Event;

use crate::db::models::{AccountRow, EventRow};
use crate::db::{DbConnection, store};
use crate::error::AppError;
use crate::state::AppState;

pub use ingest::{fetch_event, ingest_event, parse_event};
pub use render::{create_or_update, extra_inboxes, render_event};
pub use rsvp::{Answer, is_event_join, receive_answer, receive_join, receive_leave, render_rsvp};

fn find_event(conn: &mut DbConnection, id: i64) -> Result<EventRow, AppError> {
    store::events::find(conn, id)?.ok_or(AppError::NotFound)
}

/// An `Event` arrived in a `Create` or `Update`: trusted as embedded when it comes from the
/// signing actor's own server, otherwise fetched from its id.
pub async fn receive_event(
    state: &AppState,
    event: &Event,
    actor: &AccountRow,
) -> Result<(), AppError> {
    let actor_url = render::parse_url(&actor.ap_id)?;
    let result = if same_origin(&event.id, &actor_url) {
        ingest_event(state, event.clone()).await
    } else {
        fetch_event(state, &event.id).await
    };
    match result {
        Ok(_) | Err(AppError::Gone(_)) => Ok(()),
        Err(error) => Err(error),
    }
}
