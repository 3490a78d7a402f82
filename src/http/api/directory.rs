//! Kakehashi's event directory and private calendar URL:
//! `GET /api/v1/kakehashi/events/directory` (events as statuses, by start time) and
//! `GET|POST|DELETE /api/v1/kakehashi/calendar_token`.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::db::store;
use crate::domain::directory::{self, DEFAULT_LIMIT, DirectoryParams};
use crate::domain::event_feeds;
use crate::domain::status_views;
use crate::error::{AppError, AppResult};
use crate::http::api::entities::Status;
use crate::http::api::statuses::viewer;
use crate::http::extract::{CurrentUser, MaybeAuth, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/kakehashi/events/directory", get(directory_api))
        .route(
            "/api/v1/kakehashi/calendar_token",
            get(token_state).post(create_token).delete(revoke_token),
        )
}

/// The directory: public upcoming events matching the filters, as Status entities (the event's
/// own fields in `pleroma.event`), by start time; `offset`/`limit` page it.
async fn directory_api(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Query(params): Query<DirectoryParams>,
) -> AppResult<Json<Vec<Status>>> {
    let viewer = viewer::<scope::ReadStatuses>(&auth)?;
    let own = state.urls.domain();
    let views = state
        .db
        .run(move |conn| {
            let query = directory::query_of(conn, &params, &own, chrono::Utc::now().naive_utc())?;
            let events = directory::page(
                conn,
                &query,
                params.offset.unwrap_or(0),
                params.limit.unwrap_or(DEFAULT_LIMIT),
            )?;
            let mut rows = Vec::with_capacity(events.len());
            for event in &events {
                if let Some(status) = store::statuses::find(conn, event.id)? {
                    rows.push(status);
                }
            }
            status_views::load(conn, viewer, rows, None)
        })
        .await?;
    Ok(Json(
        views
            .iter()
            .map(|v| Status::from_view(&state.urls, v))
            .collect(),
    ))
}

/// The private calendar URL: shown once, when made.
#[derive(Debug, Serialize)]
struct CalendarToken {
    /// Whether a private URL is live.
    active: bool,
    /// `https://.../calendar/private/<token>.ics` (only in the answer that made it).
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    /// The same as `webcal://`, which calendar apps subscribe to.
    #[serde(skip_serializing_if = "Option::is_none")]
    webcal: Option<String>,
}

async fn token_state(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadAccounts>,
) -> AppResult<Json<CalendarToken>> {
    let active = event_feeds::has_token(&state.db, me.user.account.id).await?;
    Ok(Json(CalendarToken {
        active,
        url: None,
        webcal: None,
    }))
}

/// Makes (or replaces: the old URL stops working) the member's private calendar URL.
async fn create_token(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteAccounts>,
) -> AppResult<Json<CalendarToken>> {
    let token = event_feeds::create_token(&state.db, me.user.account.id).await?;
    let url = private_url(&state, &token);
    let webcal = webcal(&url);
    Ok(Json(CalendarToken {
        active: true,
        url: Some(url),
        webcal: Some(webcal),
    }))
}

async fn revoke_token(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteAccounts>,
) -> AppResult<Json<CalendarToken>> {
    let revoked = event_feeds::revoke_tokens(&state.db, me.user.account.id).await?;
    if revoked == 0 {
        return Err(AppError::NotFound);
    }
    Ok(Json(CalendarToken {
        active: false,
        url: None,
        webcal: None,
    }))
}

/// The private feed's URL for a token.
pub fn private_url(state: &AppState, token: &str) -> String {
    state
        .urls
        .join(&format!("/calendar/private/{token}.ics"))
        .to_string()
}

/// `webcal://` for an `http(s)://` URL.
pub fn webcal(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => url.to_owned(),
    }
}
