//! Events as ActivityStreams documents: `/events/{id}` (the event's id) and its `attendees`
//! collection (FEP-8a8e: a public `totalItems`).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::get;
use serde_json::json;

use super::{document, signed_fetcher, to_page};
use crate::db::models::EventRow;
use crate::db::store;
use crate::domain::events::rsvp::ACCEPTED;
use crate::domain::visibility;
use crate::error::{AppError, AppResult};
use crate::federation_glue::events::render_event;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events/{id}", get(event))
        .route("/events/{id}/attendees", get(attendees))
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

/// The event as JSON for ActivityPub clients; browsers go to its status page until the event
/// page (part of the directory work) takes this route's HTML side.
async fn event(
    State(state): State<AppState>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    if !super::wants_json(&headers) {
        let numeric: i64 = id.parse().map_err(|_| AppError::NotFound)?;
        let page = state
            .db
            .run(move |conn| {
                let status = store::statuses::find(conn, numeric)?
                    .filter(|s| s.object_type == "Event" && s.local)
                    .ok_or(AppError::NotFound)?;
                let author = store::accounts::find_by_id(conn, status.account_id)?
                    .ok_or(AppError::NotFound)?;
                Ok(format!("/@{}/{}", author.username, status.id))
            })
            .await?;
        return Ok(to_page(&page));
    }
    let event = visible_event(&state, &id, &method, &uri, &headers).await?;
    let urls = state.urls.clone();
    let object = state
        .db
        .run(move |conn| render_event(conn, &urls, &event))
        .await?;
    Ok(document(object))
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
