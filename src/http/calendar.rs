//! Calendar (`text/calendar`) and Atom feeds of events: one event, a group's and a person's
//! events, the directory (with its filters as query parameters) and a member's private feed of
//! the events they joined. UIDs are the events' ActivityPub ids; SEQUENCE grows with each change.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{Duration, Utc};

use crate::db::models::AccountRow;
use crate::db::store::directory::EventQuery;
use crate::db::{DbConnection, store};
use crate::domain::directory::{self, DirectoryParams};
use crate::domain::event_feeds;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/calendar/directory.ics", get(directory_ics))
        .route("/calendar/directory.atom", get(directory_atom))
        .route("/calendar/groups/{file}", get(group_feed))
        .route("/calendar/people/{file}", get(person_feed))
        .route("/calendar/private/{file}", get(private_feed))
}

pub const ICS: &str = "text/calendar; charset=utf-8";
pub const ATOM: &str = "application/atom+xml; charset=utf-8";

/// How far back the group, person and private feeds reach, so a calendar keeps recent events.
const FEED_HISTORY_DAYS: i64 = 30;

fn answer(content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("max-age=300"),
            ),
        ],
        body,
    )
        .into_response()
}

/// `name.ics` or `name.atom` into the name and whether it is Atom.
fn split_file(file: &str) -> AppResult<(String, bool)> {
    if let Some(name) = file.strip_suffix(".ics") {
        Ok((name.to_owned(), false))
    } else if let Some(name) = file.strip_suffix(".atom") {
        Ok((name.to_owned(), true))
    } else {
        Err(AppError::NotFound)
    }
}

fn site_name(state: &AppState) -> String {
    state.config.instance.name.get("ja").to_owned()
}

/// One event as `.ics` (`/events/{id}.ics`): public and unlisted events only.
pub async fn event_ics(state: &AppState, id: i64) -> AppResult<Response> {
    let urls = state.urls.clone();
    let body = state
        .db
        .run(move |conn| {
            let event = store::directory::find(conn, id)?
                .filter(|e| e.visibility != "private")
                .ok_or(AppError::NotFound)?;
            let title = event.title.clone();
            let views = directory::views(conn, vec![event])?;
            Ok(event_feeds::ics(&urls, &title, &views))
        })
        .await?;
    Ok(answer(ICS, body))
}

async fn directory_events(
    state: &AppState,
    params: DirectoryParams,
) -> AppResult<Vec<directory::EventView>> {
    let own = state.urls.domain();
    state
        .db
        .run(move |conn| {
            let query = directory::query_of(conn, &params, &own, Utc::now().naive_utc())?;
            event_feeds::feed_events(conn, &query)
        })
        .await
}

async fn directory_ics(
    State(state): State<AppState>,
    Query(params): Query<DirectoryParams>,
) -> AppResult<Response> {
    let views = directory_events(&state, params).await?;
    let name = format!("{} · events", site_name(&state));
    Ok(answer(ICS, event_feeds::ics(&state.urls, &name, &views)))
}

async fn directory_atom(
    State(state): State<AppState>,
    Query(params): Query<DirectoryParams>,
    uri: axum::http::Uri,
) -> AppResult<Response> {
    let views = directory_events(&state, params).await?;
    let mut self_url = state.urls.join("/calendar/directory.atom");
    self_url.set_query(uri.query());
    let name = format!("{} · events", site_name(&state));
    Ok(answer(
        ATOM,
        event_feeds::atom(&state.urls, &name, self_url.as_str(), &views),
    ))
}

/// An account by `name` (local) or `name@domain`.
fn account_by_acct(conn: &mut DbConnection, acct: &str, own_domain: &str) -> AppResult<AccountRow> {
    let acct = acct.trim_start_matches('@');
    let (name, domain) = match acct.rsplit_once('@') {
        Some((name, domain)) if !domain.eq_ignore_ascii_case(own_domain) => {
            (name, Some(domain.to_lowercase()))
        }
        Some((name, _)) => (name, None),
        None => (acct, None),
    };
    store::accounts::find_by_acct(conn, name, domain.as_deref())?
        .filter(|a| a.suspended_at.is_none())
        .ok_or(AppError::NotFound)
}

fn recent() -> chrono::NaiveDateTime {
    (Utc::now() - Duration::days(FEED_HISTORY_DAYS)).naive_utc()
}

async fn account_feed(
    state: &AppState,
    file: &str,
    group: bool,
    path: &str,
) -> AppResult<Response> {
    let (acct, atom) = split_file(file)?;
    let own = state.urls.domain();
    let urls = state.urls.clone();
    let self_url = state.urls.join(&format!("{path}/{file}")).to_string();
    state
        .db
        .run(move |conn| {
            let account = account_by_acct(conn, &acct, &own)?;
            if group != (account.actor_type == "Group") {
                return Err(AppError::NotFound);
            }
            let mut query = EventQuery {
                public_only: true,
                from: Some(recent()),
                ..EventQuery::default()
            };
            if group {
                query.group_id = Some(account.id);
            } else {
                query.organiser_id = Some(account.id);
            }
            let views = event_feeds::feed_events(conn, &query)?;
            let name = if account.display_name.is_empty() {
                account.username.clone()
            } else {
                account.display_name.clone()
            };
            Ok(if atom {
                answer(ATOM, event_feeds::atom(&urls, &name, &self_url, &views))
            } else {
                answer(ICS, event_feeds::ics(&urls, &name, &views))
            })
        })
        .await
}

async fn group_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> AppResult<Response> {
    account_feed(&state, &file, true, "/calendar/groups").await
}

/// A person's events as `.ics` (Atom is for groups and the directory).
async fn person_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> AppResult<Response> {
    if file.ends_with(".atom") {
        return Err(AppError::NotFound);
    }
    account_feed(&state, &file, false, "/calendar/people").await
}

/// A member's events (joined, any visibility) at a secret URL; 404 once revoked.
async fn private_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> AppResult<Response> {
    let token = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    let account_id = event_feeds::token_owner(&state.db, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let urls = state.urls.clone();
    let name = format!("{} · my events", site_name(&state));
    let body = state
        .db
        .run(move |conn| {
            let query = EventQuery {
                public_only: false,
                from: Some(recent()),
                participant: Some(account_id),
                ..EventQuery::default()
            };
            let views = event_feeds::feed_events(conn, &query)?;
            Ok(event_feeds::ics(&urls, &name, &views))
        })
        .await?;
    let mut response = answer(ICS, body);
    // A secret URL: never stored by shared caches.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=300"),
    );
    Ok(response)
}
