//! Actors and statuses as ActivityStreams documents.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::get;
use kakehashi_federation::protocol::activities::Create;
use kakehashi_federation::protocol::object::AnyObject;
use kakehashi_federation::protocol::values::IdOrObject;

use super::{document, signed_fetcher, to_page, wants_json};
use crate::db::models::{AccountRow, StatusRow};
use crate::db::store;
use crate::domain::visibility;
use crate::error::{AppError, AppResult};
use crate::federation_glue::render;
use crate::http::web::page::PageLang;
use crate::http::web::profiles;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/actor", get(instance_actor))
        .route("/users/{username}", get(actor))
        .route("/users/{username}/statuses/{id}", get(status))
        .route(
            "/users/{username}/statuses/{id}/activity",
            get(status_activity),
        )
}

/// A local actor (member or group) by name, not suspended.
pub async fn local_actor(state: &AppState, username: String) -> AppResult<AccountRow> {
    state
        .db
        .run(move |conn| {
            store::accounts::find_by_acct(conn, &username, None)?
                .filter(|a| a.suspended_at.is_none() && a.actor_type != "Application")
                .ok_or(AppError::NotFound)
        })
        .await
}

async fn render_actor(state: &AppState, account: AccountRow) -> AppResult<Response> {
    let urls = state.urls.clone();
    let actor = state
        .db
        .run(move |conn| render::actor(conn, &urls, &account))
        .await?;
    Ok(document(actor))
}

/// The instance actor is always readable unsigned: others need its key to check our
/// signatures, even under authorized fetch.
async fn instance_actor(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    if !wants_json(&headers) {
        return Ok(to_page("/"));
    }
    let actor = crate::domain::instance_actor::ensure(&state).await?;
    render_actor(&state, actor).await
}

async fn actor(
    State(state): State<AppState>,
    Path(username): Path<String>,
    lang: PageLang,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    if !wants_json(&headers) {
        // Browsers get the profile page at the same URL.
        return profiles::profile(State(state), lang, Path(username)).await;
    }
    let account = local_actor(&state, username).await?;
    signed_fetcher(&state, &method, &path(&uri), &headers).await?;
    render_actor(&state, account).await
}

fn path(uri: &Uri) -> String {
    uri.path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default()
}

/// A status the requester may see: public ones to anyone; followers-only and direct ones only to
/// a signed request from an actor in their audience.
async fn visible_status(
    state: &AppState,
    username: String,
    id: String,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> AppResult<StatusRow> {
    let author = local_actor(state, username).await?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let fetcher = signed_fetcher(state, method, &path(uri), headers).await?;
    state
        .db
        .run(move |conn| {
            let viewer = match fetcher {
                Some(url) => store::accounts::find_by_ap_id(conn, url.as_str())?.map(|a| a.id),
                None => None,
            };
            let status = visibility::visible_status(conn, viewer, id)?;
            if status.account_id != author.id || status.reblog_of_id.is_some() {
                return Err(AppError::NotFound);
            }
            Ok(status)
        })
        .await
}

async fn status(
    State(state): State<AppState>,
    Path((username, id)): Path<(String, String)>,
    lang: PageLang,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    if !wants_json(&headers) {
        return profiles::status_page(State(state), lang, Path((username, id))).await;
    }
    let status = visible_status(&state, username, id, &method, &uri, &headers).await?;
    let urls = state.urls.clone();
    let note = state
        .db
        .run(move |conn| {
            let parts = render::load_note_parts(conn, &status)?;
            render::note(&urls, &parts)
        })
        .await?;
    Ok(document(note))
}

async fn status_activity(
    State(state): State<AppState>,
    Path((username, id)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let status = visible_status(&state, username, id, &method, &uri, &headers).await?;
    let urls = state.urls.clone();
    let create = state
        .db
        .run(move |conn| {
            let parts = render::load_note_parts(conn, &status)?;
            let note = render::note(&urls, &parts)?;
            Ok(Create {
                kind: Default::default(),
                id: render::url(&format!("{}/activity", status.ap_id))?,
                actor: render::url(&parts.author.ap_id)?,
                addressing: note.addressing.clone(),
                published: note.published,
                object: IdOrObject::Object(Box::new(AnyObject::Note(Box::new(note)))),
            })
        })
        .await?;
    Ok(document(create))
}
