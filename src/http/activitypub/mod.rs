//! ActivityPub over HTTP: actors, objects and collections as `application/activity+json` (the
//! same URLs redirect browsers to the web pages), and the inboxes.

mod collections;
mod events;
mod inbox;
mod objects;

use std::time::SystemTime;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use kakehashi_federation::media_types::accepts_activity_json;
use kakehashi_federation::signatures::{IncomingRequest, verify_get_request};
use serde::Serialize;
use url::Url;

use crate::error::AppError;
use crate::federation_glue::actors::KeyResolver;
use crate::federation_glue::inbox::signature_error;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(inbox::routes())
        .merge(objects::routes())
        .merge(events::routes())
        .merge(collections::routes())
}

/// The content type of every document we serve.
pub const CONTENT_TYPE: &str = "application/activity+json; charset=utf-8";

/// Whether the request asks for ActivityStreams rather than a page.
pub fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(accepts_activity_json)
}

/// A document with its `@context`, as `application/activity+json`.
pub fn document<T: Serialize>(value: T) -> Response {
    match serde_json::to_string(&kakehashi_federation::context::with_context(value)) {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE)),
                (header::VARY, HeaderValue::from_static("Accept, Signature")),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("max-age=60, public"),
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => AppError::internal(e).into_response(),
    }
}

/// A browser asked for an ActivityPub URL: send it to the page.
pub fn to_page(location: &str) -> Response {
    Redirect::to(location).into_response()
}

/// Who signed a GET, when there is a signature; with `authorized_fetch` a valid one is required.
pub async fn signed_fetcher(
    state: &AppState,
    method: &Method,
    path_and_query: &str,
    headers: &HeaderMap,
) -> Result<Option<Url>, AppError> {
    let signed = headers.contains_key("signature") || headers.contains_key(header::AUTHORIZATION);
    if !signed {
        return if state.config.federation.authorized_fetch {
            Err(AppError::Unauthorized(
                "This server requires signed requests (authorized fetch)".to_owned(),
            ))
        } else {
            Ok(None)
        };
    }
    let request = IncomingRequest {
        method,
        path_and_query,
        headers,
        body: &[],
    };
    match verify_get_request(
        &request,
        &state.federation.verify,
        SystemTime::now(),
        &KeyResolver {
            state,
            refresh: false,
        },
    )
    .await
    {
        Ok(verified) => Ok(Some(verified.actor_id)),
        Err(error) if state.config.federation.authorized_fetch => Err(signature_error(error)),
        // Without authorized fetch a bad signature only means we treat the request as anonymous.
        Err(_) => Ok(None),
    }
}
