//! Event pages: the directory with its filter form (`/events`), one event (`/events/{id}`, and
//! `/events/{id}.ics`) with add-to-calendar links, join and leave for signed-in members and the
//! participant list for its organiser, and the member's private calendar URL.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::db::models::{AccountRow, EventRow};
use crate::db::store;
use crate::domain::directory::{self, DEFAULT_LIMIT, DirectoryParams, EventView};
use crate::domain::event_feeds;
use crate::domain::events::CATEGORIES;
use crate::domain::events::rsvp;
use crate::domain::prefectures::Prefecture;
use crate::domain::{groups, visibility};
use crate::error::{AppError, AppResult};
use crate::http::activitypub::{document, signed_fetcher, wants_json};
use crate::http::api::directory::{private_url, webcal};
use crate::http::web::page::{PageLang, render};
use crate::http::web::session::WebSession;
use crate::i18n::Lang;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events", get(directory_page))
        .route("/events/calendar", post(calendar_token))
        .route("/events/{file}", get(event_page))
        .route("/events/{id}/join", post(join))
        .route("/events/{id}/leave", post(leave))
}

/// An event as the pages show it.
pub struct EventCard {
    pub id: i64,
    pub title: String,
    /// Start (and end) in the event's own time zone, with the zone's name.
    pub when: String,
    pub starts_iso: String,
    pub timezone: String,
    pub place: Option<String>,
    pub address: Option<String>,
    pub prefecture: Option<String>,
    pub online_url: Option<String>,
    /// The category's name in the page's language.
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub status: String,
    pub organiser_name: String,
    pub organiser_url: String,
    pub group_name: Option<String>,
    pub group_url: Option<String>,
    pub local: bool,
    /// The original page of a remote event.
    pub origin_url: String,
    pub participants: i32,
    pub capacity: Option<i32>,
    pub join_mode: String,
    pub external_url: Option<String>,
}

fn name_of(account: &AccountRow) -> String {
    if account.display_name.trim().is_empty() {
        account.username.clone()
    } else {
        account.display_name.clone()
    }
}

fn url_of(account: &AccountRow) -> String {
    account.url.clone().unwrap_or_else(|| account.ap_id.clone())
}

/// `2026-03-12 (木) 19:00–21:00 Asia/Tokyo` in the event's zone.
fn when(event: &EventRow, lang: Lang) -> String {
    let zone: Tz = event.timezone.parse().unwrap_or(chrono_tz::Asia::Tokyo);
    let start = event.starts_at.and_utc().with_timezone(&zone);
    let day = match lang {
        Lang::Ja => {
            const DAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
            let weekday = DAYS
                .get(
                    usize::try_from(chrono::Datelike::weekday(&start).num_days_from_monday())
                        .unwrap_or(0),
                )
                .copied()
                .unwrap_or_default();
            format!("{} ({weekday})", start.format("%Y年%-m月%-d日"))
        }
        Lang::En => start.format("%a %d %b %Y").to_string(),
    };
    let mut text = format!("{day} {}", start.format("%H:%M"));
    if let Some(end) = event.ends_at {
        let end = end.and_utc().with_timezone(&zone);
        if end.date_naive() == start.date_naive() {
            text.push_str(&format!("–{}", end.format("%H:%M")));
        } else {
            text.push_str(&format!(" – {}", end.format("%Y-%m-%d %H:%M")));
        }
    }
    format!("{text} ({})", zone.name())
}

/// A participant's state in the organiser's list, in the page's language.
fn participant_state(lang: Lang, state: &str) -> String {
    let key = match state {
        "accepted" => "participant_state.accepted",
        "pending" => "participant_state.pending",
        "waitlisted" => "participant_state.waitlisted",
        "tentative" => "participant_state.tentative",
        "rejected" => "participant_state.rejected",
        other => return other.to_owned(),
    };
    lang.t(key).to_owned()
}

/// A FEP-8a8e category in the page's language; one from elsewhere that we do not know shows as
/// sent.
fn category_label(lang: Lang, category: &str) -> String {
    if CATEGORIES.contains(&category) {
        lang.t(&format!("event_category.{category}")).to_owned()
    } else {
        category.to_owned()
    }
}

fn card(view: &EventView, lang: Lang) -> EventCard {
    let event = &view.event;
    EventCard {
        id: event.id,
        title: event.title.clone(),
        when: when(event, lang),
        starts_iso: event.starts_at.and_utc().to_rfc3339(),
        timezone: event.timezone.clone(),
        place: event.place_name.clone(),
        address: event.address.clone(),
        prefecture: event
            .prefecture
            .and_then(|c| u32::try_from(c).ok())
            .and_then(Prefecture::from_code)
            .map(|p| match lang {
                Lang::Ja => p.name_ja().to_owned(),
                Lang::En => p.name_en().to_owned(),
            }),
        online_url: event.online_url.clone(),
        category: event.category.as_deref().map(|c| category_label(lang, c)),
        tags: view.tags.clone(),
        status: event.event_status.clone(),
        organiser_name: name_of(&view.organiser),
        organiser_url: url_of(&view.organiser),
        group_name: view.group.as_ref().map(name_of),
        group_url: view.group.as_ref().map(url_of),
        local: event.local,
        origin_url: event.ap_id.clone(),
        participants: event.participant_count,
        capacity: event.capacity,
        join_mode: event.join_mode.clone(),
        external_url: event.external_url.clone(),
    }
}

#[derive(Template)]
#[template(path = "events.html")]
struct DirectoryPage<'a> {
    lang: Lang,
    site_name: &'a str,
    events: Vec<EventCard>,
    form: DirectoryParams,
    prefectures: Vec<(String, String)>,
    /// Each category's name and its label in the page's language.
    categories: Vec<(String, String)>,
    /// This page's query (for the feed links and the next page).
    query: String,
    next: Option<String>,
    error: Option<String>,
    signed_in: bool,
    csrf: String,
    has_token: bool,
    /// The private calendar URL right after it was made.
    new_token_url: Option<String>,
}

impl DirectoryPage<'_> {
    fn value<'b>(&self, field: &'b Option<String>) -> &'b str {
        field.as_deref().unwrap_or_default()
    }
}

fn query_string(params: &DirectoryParams, offset: Option<i64>) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (key, value) in [
        ("q", &params.q),
        ("from", &params.from),
        ("to", &params.to),
        ("prefecture", &params.prefecture),
        ("category", &params.category),
        ("tag", &params.tag),
        ("online", &params.online),
        ("organiser", &params.organiser),
        ("group", &params.group),
    ] {
        if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            out.append_pair(key, value);
        }
    }
    if let Some(offset) = offset.filter(|o| *o > 0) {
        out.append_pair("offset", &offset.to_string());
    }
    out.finish()
}

/// Set once after a private calendar URL was made (shown once).
#[derive(Deserialize, Default)]
struct TokenQuery {
    token: Option<String>,
}

async fn directory_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    session: WebSession,
    Query(params): Query<DirectoryParams>,
    Query(TokenQuery { token }): Query<TokenQuery>,
) -> AppResult<Response> {
    let offset = params.offset.unwrap_or(0).max(0);
    let limit = params
        .limit
        .unwrap_or(DEFAULT_LIMIT)
        .clamp(1, directory::MAX_LIMIT);
    let own = state.urls.domain();
    let lookup = params.clone();
    let found = state
        .db
        .run(move |conn| {
            let query = directory::query_of(conn, &lookup, &own, Utc::now().naive_utc())?;
            let rows = directory::page(conn, &query, offset, limit + 1)?;
            directory::views(conn, rows)
        })
        .await;
    let (mut views, error) = match found {
        Ok(views) => (views, None),
        Err(AppError::Unprocessable(message)) => (Vec::new(), Some(message)),
        Err(other) => return Err(other),
    };
    let more = views.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    views.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let has_token = match &session.user {
        Some(user) => event_feeds::has_token(&state.db, user.account.id).await?,
        None => false,
    };
    let new_token_url = token
        .filter(|_| session.user.is_some())
        .map(|t| private_url(&state, &t));
    Ok(render(&DirectoryPage {
        lang,
        site_name: state.config.instance.name.get(lang.code()),
        events: views.iter().map(|v| card(v, lang)).collect(),
        query: query_string(&params, None),
        next: more.then(|| query_string(&params, Some(offset + limit))),
        form: params,
        prefectures: Prefecture::all()
            .map(|p| {
                (
                    p.code().to_string(),
                    match lang {
                        Lang::Ja => p.name_ja().to_owned(),
                        Lang::En => p.name_en().to_owned(),
                    },
                )
            })
            .collect(),
        categories: CATEGORIES
            .iter()
            .map(|c| ((*c).to_owned(), category_label(lang, c)))
            .collect(),
        error,
        signed_in: session.user.is_some(),
        csrf: session.csrf.clone(),
        has_token,
        new_token_url,
    }))
}

#[derive(Deserialize)]
struct TokenForm {
    csrf: String,
    /// `create` (or rotate) or `revoke`.
    action: String,
}

/// Makes, replaces or revokes the member's private calendar URL from the directory page.
async fn calendar_token(
    State(state): State<AppState>,
    session: WebSession,
    Form(form): Form<TokenForm>,
) -> AppResult<Response> {
    let user = match session.require("/events") {
        Ok(user) => user,
        Err(redirect) => return Ok(redirect.into_response()),
    };
    session.check(&form.csrf)?;
    match form.action.as_str() {
        "create" => {
            let token = event_feeds::create_token(&state.db, user.account.id).await?;
            Ok(Redirect::to(&format!("/events?token={token}#calendar")).into_response())
        }
        "revoke" => {
            event_feeds::revoke_tokens(&state.db, user.account.id).await?;
            Ok(Redirect::to("/events#calendar").into_response())
        }
        _ => Err(AppError::BadRequest("Unknown action".to_owned())),
    }
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage<'a> {
    lang: Lang,
    site_name: &'a str,
    event: EventCard,
    description: String,
    ics_url: String,
    webcal_url: String,
    signed_in: bool,
    csrf: String,
    /// The viewer's part: `accepted`, `pending`, `waitlisted`, `tentative`, `rejected`.
    participation: Option<String>,
    /// Whether the viewer organises it (or moderates its group): sees the participants.
    organiser: bool,
    participants: Vec<(String, String, String)>,
    ended: bool,
}

/// Whether `viewer` may see the event (public and unlisted: anyone; private: its organiser,
/// participants, and the group's members).
fn may_see(
    conn: &mut crate::db::DbConnection,
    event: &EventRow,
    viewer: Option<i64>,
) -> Result<bool, AppError> {
    if event.visibility != "private" {
        return Ok(true);
    }
    let Some(viewer) = viewer else {
        return Ok(false);
    };
    if viewer == event.organiser_id
        || store::directory::participation(conn, event.id, viewer)?.is_some()
    {
        return Ok(true);
    }
    if let Some(group) = event.group_id {
        return Ok(groups::standing(conn, group, viewer)?.member);
    }
    Ok(
        store::relations::find_follow(conn, viewer, event.organiser_id)?
            .is_some_and(|f| f.accepted()),
    )
}

/// Whether `viewer` organises the event: its organiser, or a moderator of its group.
fn organises(
    conn: &mut crate::db::DbConnection,
    event: &EventRow,
    viewer: i64,
) -> Result<bool, AppError> {
    if viewer == event.organiser_id {
        return Ok(true);
    }
    match event.group_id {
        Some(group) => Ok(groups::standing(conn, group, viewer)?.moderator),
        None => Ok(false),
    }
}

/// A local event as its ActivityStreams `Event` (the event's id is this page's URL): public and
/// unlisted ones to anyone, private ones to a signed fetch by someone in their audience.
async fn event_document(
    state: &AppState,
    id: i64,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> AppResult<Response> {
    let path = uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let fetcher = signed_fetcher(state, method, &path, headers).await?;
    let urls = state.urls.clone();
    let object = state
        .db
        .run(move |conn| {
            let viewer = match fetcher {
                Some(url) => store::accounts::find_by_ap_id(conn, url.as_str())?.map(|a| a.id),
                None => None,
            };
            visibility::visible_status(conn, viewer, id)?;
            let event = store::directory::find(conn, id)?
                .filter(|e| e.local)
                .ok_or(AppError::NotFound)?;
            crate::federation_glue::events::render_event(conn, &urls, &event)
        })
        .await?;
    Ok(document(object))
}

async fn event_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    session: WebSession,
    Path(file): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    if let Some(id) = file.strip_suffix(".ics") {
        let id = id.parse::<i64>().map_err(|_| AppError::NotFound)?;
        return crate::http::calendar::event_ics(&state, id).await;
    }
    let id = file.parse::<i64>().map_err(|_| AppError::NotFound)?;
    if wants_json(&headers) {
        return event_document(&state, id, &method, &uri, &headers).await;
    }
    let viewer = session.user.as_ref().map(|u| u.account.id);
    let domain = state.urls.domain();
    let (view, participation, organiser, participants) = state
        .db
        .run(move |conn| {
            let event = store::directory::find(conn, id)?.ok_or(AppError::NotFound)?;
            if !may_see(conn, &event, viewer)? {
                return Err(AppError::NotFound);
            }
            let participation = match viewer {
                Some(v) => store::directory::participation(conn, id, v)?,
                None => None,
            };
            let organiser = match viewer {
                Some(v) => organises(conn, &event, v)?,
                None => false,
            };
            let mut participants = Vec::new();
            if organiser {
                for (account_id, state) in store::directory::participants(conn, id)? {
                    if let Some(account) = store::accounts::find_by_id(conn, account_id)? {
                        let acct = format!(
                            "@{}@{}",
                            account.username,
                            account.domain.clone().unwrap_or_else(|| domain.clone())
                        );
                        participants.push((
                            name_of(&account),
                            acct,
                            participant_state(lang, &state),
                        ));
                    }
                }
            }
            let view = directory::views(conn, vec![event])?
                .pop()
                .ok_or(AppError::NotFound)?;
            Ok((view, participation, organiser, participants))
        })
        .await?;
    let ics_url = state.urls.join(&format!("/events/{id}.ics")).to_string();
    let now: NaiveDateTime = Utc::now().naive_utc();
    let ended = view.event.ends_at.unwrap_or(view.event.starts_at) < now;
    Ok(render(&EventPage {
        lang,
        site_name: state.config.instance.name.get(lang.code()),
        description: view.event.description.clone(),
        event: card(&view, lang),
        webcal_url: webcal(&ics_url),
        ics_url,
        signed_in: session.user.is_some(),
        csrf: session.csrf.clone(),
        participation,
        organiser,
        participants,
        ended,
    }))
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

/// A signed-in member joins the event (local or remote: part A's RSVP rules apply).
async fn join(
    State(state): State<AppState>,
    session: WebSession,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> AppResult<Response> {
    let user = match session.require(&format!("/events/{id}")) {
        Ok(user) => user,
        Err(redirect) => return Ok(redirect.into_response()),
    };
    session.check(&form.csrf)?;
    rsvp::join(&state, user.account.id, id, String::new()).await?;
    Ok(Redirect::to(&format!("/events/{id}")).into_response())
}

async fn leave(
    State(state): State<AppState>,
    session: WebSession,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> AppResult<Response> {
    let user = match session.require(&format!("/events/{id}")) {
        Ok(user) => user,
        Err(redirect) => return Ok(redirect.into_response()),
    };
    session.check(&form.csrf)?;
    rsvp::leave(&state, user.account.id, id).await?;
    Ok(Redirect::to(&format!("/events/{id}")).into_response())
}
