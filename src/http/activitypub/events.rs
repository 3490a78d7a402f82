//! The `attendees` collection of an event (FEP-8a8e: a public `totalItems`). The event itself,
//! `/events/{id}`, is served by the event page (`http::web::events`), which answers ActivityPub
//! requests with the `Event` document and browsers with the page.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::get;
use serde_json::json;

use super::{document, signed_fetcher};
use crate::db::models::EventRow;
use crate::db::store;
use crate::domain::events::rsvp::ACCEPTED;
use crate::domain::visibility;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/events/{id}/attendees", get(attendees))
}

/// A local event the requester may see (private ones only to a signed request from a follower).
async fn visible_event(
    state: &AppState,
    id: &str,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> AppResult<EventRow> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let path = uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let fetcher = signed_fetcher(state, method, &path, headers).await?;
    state
        .db
        .run(move |conn| {
            let viewer = match fetcher {
                Some(url) => store::accounts::find_by_ap_id(conn, url.as_str())?.map(|a| a.id),
                None => None,
            };
            visibility::visible_status(conn, viewer, id)?;
            store::events::find(conn, id)?
                .filter(|e| e.local)
                .ok_or(AppError::NotFound)
        })
        .await
}

async fn attendees(
    State(state): State<AppState>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let event = visible_event(&state, &id, &method, &uri, &headers).await?;
    let total = state
        .db
        .run(move |conn| Ok(store::events::count_in_state(conn, event.id, ACCEPTED)?))
        .await?;
    Ok(document(json!({
        "type": "Collection",
        "id": format!("{}/attendees", event.ap_id),
        "totalItems": total,
    })))
}
