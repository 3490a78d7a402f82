//! The events API pl-fe speaks (Rebased's `/api/v1/pleroma/events…`), extended with our fields.
//! Events are answered as Statuses carrying `pleroma.event`.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::{Deserialize, Serialize};

use crate::db::store;
use crate::domain::events::{self, EventDraft, EventPatch, Scope, rsvp};
use crate::domain::{calendar, visibility};
use crate::error::{AppError, AppResult};
use crate::http::api::entities::{Account, Status};
use crate::http::api::statuses::viewer;
use crate::http::api::views::{self, Paged, path_id};
use crate::http::extract::{CurrentUser, MaybeAuth, Params, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/pleroma/events", post(create))
        .route("/api/v1/pleroma/events/joined_events", get(joined_events))
        .route("/api/v1/pleroma/events/{id}", put(update))
        .route("/api/v1/pleroma/events/{id}/join", post(join))
        .route("/api/v1/pleroma/events/{id}/leave", post(leave))
        .route(
            "/api/v1/pleroma/events/{id}/participations",
            get(participations),
        )
        .route(
            "/api/v1/pleroma/events/{id}/participation_requests",
            get(participation_requests),
        )
        .route(
            "/api/v1/pleroma/events/{id}/participation_requests/{account_id}/authorize",
            post(authorize),
        )
        .route(
            "/api/v1/pleroma/events/{id}/participation_requests/{account_id}/reject",
            post(reject),
        )
        .route("/api/v1/pleroma/events/{id}/ics", get(ics))
}

/// Rebased's parameters (`name`, `status`, `start_time`, `end_time`, `join_mode`, `banner_id`)
/// and ours.
#[derive(Debug, Default, Deserialize)]
pub struct EventParams {
    name: Option<String>,
    /// The description (Rebased calls it `status`; `content` and `description` also work).
    status: Option<String>,
    content: Option<String>,
    description: Option<String>,
    /// `text/html` for an HTML description; plain text otherwise.
    content_type: Option<String>,
    start_time: Option<String>,
    end_time: Option<String>,
    timezone: Option<String>,
    join_mode: Option<String>,
    banner_id: Option<String>,
    place_name: Option<String>,
    address: Option<String>,
    prefecture: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    online_url: Option<String>,
    category: Option<String>,
    tags: Option<Vec<String>>,
    capacity: Option<i64>,
    external_url: Option<String>,
    visibility: Option<String>,
    group_id: Option<String>,
    rrule: Option<String>,
    /// Edits: `cancelled`, `postponed`, `moved_online`, `scheduled`.
    event_status: Option<String>,
    /// Edits of a series: `one` (default) or `all` (this and later occurrences).
    scope: Option<String>,
}

impl EventParams {
    fn description(&self) -> Option<String> {
        self.status
            .clone()
            .or_else(|| self.content.clone())
            .or_else(|| self.description.clone())
    }

    fn is_html(&self) -> bool {
        self.content_type.as_deref() == Some("text/html")
    }
}

fn id_param(field: &str, value: Option<&str>) -> AppResult<Option<i64>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            AppError::Unprocessable(format!("Validation failed: {field} \"{v}\" is not an id"))
        }),
    }
}

async fn answer(state: &AppState, viewer: Option<i64>, event_id: i64) -> AppResult<Json<Status>> {
    views::status(state, viewer, move |conn| {
        visibility::visible_status(conn, viewer, event_id)
    })
    .await
}

async fn create(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteStatuses>,
    Params(params): Params<EventParams>,
) -> AppResult<Json<Status>> {
    let me = me.user.account.id;
    let draft = EventDraft {
        title: params.name.clone().unwrap_or_default(),
        description: params.description().unwrap_or_default(),
        description_is_html: params.is_html(),
        start_time: params.start_time.clone().ok_or_else(|| {
            AppError::Unprocessable("Validation failed: Start time can't be blank".to_owned())
        })?,
        end_time: params.end_time.clone(),
        timezone: params.timezone.clone(),
        place_name: params.place_name.clone(),
        address: params.address.clone(),
        prefecture: params.prefecture.clone(),
        latitude: params.latitude,
        longitude: params.longitude,
        online_url: params.online_url.clone(),
        category: params.category.clone(),
        tags: params.tags.clone().unwrap_or_default(),
        banner_id: id_param("banner_id", params.banner_id.as_deref())?,
        capacity: params.capacity,
        join_mode: params.join_mode.clone(),
        external_url: params.external_url.clone(),
        visibility: params.visibility.clone(),
        group_id: id_param("group_id", params.group_id.as_deref())?,
        rrule: params.rrule.clone(),
    };
    let event = events::create(&state, me, draft).await?;
    answer(&state, Some(me), event.id).await
}

async fn update(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteStatuses>,
    Path(id): Path<String>,
    Params(params): Params<EventParams>,
) -> AppResult<Json<Status>> {
    let me = me.user.account.id;
    let id = path_id(&id)?;
    let scope = match params.scope.as_deref() {
        None | Some("" | "one") => Scope::One,
        Some("all") => Scope::All,
        Some(other) => {
            return Err(AppError::Unprocessable(format!(
                "Validation failed: scope {other:?} is not one or all"
            )));
        }
    };
    let patch = EventPatch {
        title: params.name.clone(),
        description: params.description(),
        description_is_html: params.is_html(),
        start_time: params.start_time.clone(),
        end_time: params.end_time.clone(),
        timezone: params.timezone.clone(),
        place_name: params.place_name.clone(),
        address: params.address.clone(),
        prefecture: params.prefecture.clone(),
        latitude: params.latitude,
        longitude: params.longitude,
        online_url: params.online_url.clone(),
        category: params.category.clone(),
        tags: params.tags.clone(),
        banner_id: id_param("banner_id", params.banner_id.as_deref())?,
        capacity: params.capacity,
        join_mode: params.join_mode.clone(),
        external_url: params.external_url.clone(),
        visibility: params.visibility.clone(),
        event_status: params.event_status.clone(),
    };
    let event = events::update(&state, me, id, patch, scope).await?;
    answer(&state, Some(me), event.id).await
}

#[derive(Debug, Default, Deserialize)]
pub struct JoinParams {
    participation_message: Option<String>,
}

async fn join(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteStatuses>,
    Path(id): Path<String>,
    Params(params): Params<JoinParams>,
) -> AppResult<Json<Status>> {
    let me = me.user.account.id;
    let id = path_id(&id)?;
    rsvp::join(
        &state,
        me,
        id,
        params.participation_message.unwrap_or_default(),
    )
    .await?;
    answer(&state, Some(me), id).await
}

async fn leave(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteStatuses>,
    Path(id): Path<String>,
) -> AppResult<Json<Status>> {
    let me = me.user.account.id;
    let id = path_id(&id)?;
    rsvp::leave(&state, me, id).await?;
    answer(&state, Some(me), id).await
}

#[derive(Debug, Default, Deserialize)]
pub struct JoinedParams {
    /// Rebased's `pending`, `accept` or `reject`; ours also `waitlisted`.
    state: Option<String>,
    limit: Option<i64>,
}

async fn joined_events(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadStatuses>,
    Params(params): Params<JoinedParams>,
) -> AppResult<Paged<Status>> {
    let me = me.user.account.id;
    let states: Vec<&'static str> = match params.state.as_deref() {
        None | Some("") => vec![
            rsvp::ACCEPTED,
            rsvp::PENDING,
            rsvp::WAITLISTED,
            rsvp::TENTATIVE,
        ],
        Some("accept") => vec![rsvp::ACCEPTED],
        Some("pending") => vec![rsvp::PENDING, rsvp::WAITLISTED],
        Some("waitlisted") => vec![rsvp::WAITLISTED],
        Some("reject") => vec![rsvp::REJECTED],
        Some(other) => {
            return Err(AppError::Unprocessable(format!(
                "Validation failed: state {other:?} is not pending, accept or reject"
            )));
        }
    };
    let limit = params.limit.unwrap_or(40).clamp(1, 80);
    let (items, _) = views::statuses(&state, Some(me), None, move |conn| {
        let events = store::events::joined_by(conn, me, &states, limit)?;
        let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
        let mut rows = store::statuses::find_many(conn, &ids)?;
        rows.sort_by_key(|s| ids.iter().position(|id| *id == s.id));
        visibility::filter_visible(conn, Some(me), rows)
    })
    .await?;
    Ok(Paged::all(items))
}

#[derive(Debug, Default, Deserialize)]
pub struct ParticipantsParams {
    /// Ours: `waitlisted` lists the waiting list (organisers only).
    state: Option<String>,
}

async fn participant_accounts(
    state: &AppState,
    viewer: Option<i64>,
    event_id: i64,
    wanted: &'static str,
) -> AppResult<Vec<(Account, String)>> {
    let rows = state
        .db
        .run(move |conn| rsvp::list(conn, viewer, event_id, wanted))
        .await?;
    let ids: Vec<i64> = rows.iter().map(|p| p.account_id).collect();
    let accounts = views::accounts(state, ids).await?;
    Ok(accounts
        .into_iter()
        .filter_map(|account| {
            let message = rows
                .iter()
                .find(|p| p.account_id.to_string() == account.id)?
                .message
                .clone();
            Some((account, message))
        })
        .collect())
}

async fn participations(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Path(id): Path<String>,
    Params(params): Params<ParticipantsParams>,
) -> AppResult<Paged<Account>> {
    let viewer = viewer::<scope::ReadStatuses>(&auth)?;
    let id = path_id(&id)?;
    let wanted = match params.state.as_deref() {
        None | Some("" | "accepted" | "accept") => rsvp::ACCEPTED,
        Some("waitlisted") => rsvp::WAITLISTED,
        Some(other) => {
            return Err(AppError::Unprocessable(format!(
                "Validation failed: state {other:?} is not accepted or waitlisted"
            )));
        }
    };
    let accounts = participant_accounts(&state, viewer, id, wanted).await?;
    Ok(Paged::all(accounts.into_iter().map(|(a, _)| a).collect()))
}

/// Rebased's ParticipationRequest.
#[derive(Debug, Serialize)]
pub struct ParticipationRequest {
    account: Account,
    participation_message: String,
}

async fn participation_requests(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadStatuses>,
    Path(id): Path<String>,
) -> AppResult<Paged<ParticipationRequest>> {
    let me = me.user.account.id;
    let id = path_id(&id)?;
    let accounts = participant_accounts(&state, Some(me), id, rsvp::PENDING).await?;
    Ok(Paged::all(
        accounts
            .into_iter()
            .map(|(account, participation_message)| ParticipationRequest {
                account,
                participation_message,
            })
            .collect(),
    ))
}

async fn decide(
    state: AppState,
    me: i64,
    id: String,
    account_id: String,
    approve: bool,
) -> AppResult<Json<Status>> {
    let id = path_id(&id)?;
    let account_id = path_id(&account_id)?;
    rsvp::decide_request(&state, me, id, account_id, approve).await?;
    answer(&state, Some(me), id).await
}

async fn authorize(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteStatuses>,
    Path((id, account_id)): Path<(String, String)>,
) -> AppResult<Json<Status>> {
    decide(state, me.user.account.id, id, account_id, true).await
}

async fn reject(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteStatuses>,
    Path((id, account_id)): Path<(String, String)>,
) -> AppResult<Json<Status>> {
    decide(state, me.user.account.id, id, account_id, false).await
}

async fn ics(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let viewer = viewer::<scope::ReadStatuses>(&auth)?;
    let id = path_id(&id)?;
    let (name, entry) = state
        .db
        .run(move |conn| {
            visibility::visible_status(conn, viewer, id)?;
            let event = events::find(conn, id)?;
            Ok((event.title.clone(), events::calendar_entry(conn, &event)?))
        })
        .await?;
    let body = calendar::render(&name, &[entry]);
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        body,
    )
        .into_response())
}
