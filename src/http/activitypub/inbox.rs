//! `POST /inbox` (shared), `/users/{name}/inbox` and `/actor/inbox`.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use bytes::Bytes;

use crate::db::store;
use crate::error::{AppError, AppResult};
use crate::federation_glue::inbox;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inbox", post(shared))
        .route("/actor/inbox", post(shared))
        .route("/users/{username}/inbox", post(personal))
}

async fn shared(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/inbox");
    let status = inbox::receive(&state, &method, path, &headers, body).await?;
    Ok(status.into_response())
}

async fn personal(
    State(state): State<AppState>,
    Path(username): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let exists = state
        .db
        .run(move |conn| Ok(store::accounts::find_by_acct(conn, &username, None)?.is_some()))
        .await?;
    if !exists {
        return Err(AppError::NotFound);
    }
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or_default();
    let status = inbox::receive(&state, &method, path, &headers, body).await?;
    Ok(status.into_response())
}
