//! Events: seminars and meet-ups organised by a member or a group, local or learnt from other
//! servers. Each event has a status row sharing its id (its form in timelines); this module
//! keeps the two in step, checks who may change what, and tells participants.

pub mod display;
pub mod reminders;
pub mod rsvp;
pub mod series;
pub mod validate;

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

use crate::db::models::{EventRow, EventSeriesRow, NewStatus, StatusChanges};
use crate::db::{DbConnection, ids, store};
use crate::domain::effects::{Effects, Outgoing, StreamEvent};
use crate::domain::notifications::{self, kind};
use crate::domain::urls::Urls;
use crate::domain::visibility::Visibility;
use crate::domain::{change, groups, html, interactions, statuses};
use crate::error::AppError;
use crate::state::AppState;

pub const SCHEDULED: &str = "scheduled";
pub const CANCELLED: &str = "cancelled";
pub const POSTPONED: &str = "postponed";
pub const MOVED_ONLINE: &str = "moved_online";
pub const EVENT_STATUSES: &[&str] = &[SCHEDULED, CANCELLED, POSTPONED, MOVED_ONLINE];

pub const FREE: &str = "free";
pub const RESTRICTED: &str = "restricted";
pub const INVITE: &str = "invite";
pub const EXTERNAL: &str = "external";
pub const JOIN_MODES: &[&str] = &[FREE, RESTRICTED, INVITE, EXTERNAL];

pub const VISIBILITIES: &[&str] = &["public", "unlisted", "private"];

/// FEP-8a8e's recommended categories (`https://w3id.org/fep/8a8e/category`).
pub const CATEGORIES: &[&str] = &[
    "ARTS",
    "AUTO_BOAT_AIR",
    "BOOK_CLUBS",
    "BUSINESS",
    "CAUSES",
    "CLIMATE_ENVIRONMENT",
    "COMMUNITY",
    "COMEDY",
    "CRAFTS",
    "CREATIVE_JAM",
    "DIY_MAKER_SPACES",
    "FAMILY_EDUCATION",
    "FASHION_BEAUTY",
    "FESTIVALS",
    "FILM_MEDIA",
    "FOOD_DRINK",
    "GAMES",
    "INCLUSIVE_SPACES",
    "LANGUAGE_CULTURE",
    "LEARNING",
    "LGBTQ",
    "MEETING",
    "MEDITATION_WELLBEING",
    "MOVEMENTS_POLITICS",
    "MUSIC",
    "NETWORKING",
    "OUTDOORS_ADVENTURE",
    "PARTY",
    "PERFORMING_VISUAL_ARTS",
    "PETS",
    "PHOTOGRAPHY",
    "SCIENCE_TECH",
    "SPIRITUALITY_RELIGION_BELIEFS",
    "SPORTS",
    "THEATRE",
    "WORKSHOPS_SKILL_SHARING",
];

/// A new event as an organiser describes it. Times without an offset are wall times in
/// `timezone` (default `Asia/Tokyo`).
#[derive(Debug, Clone, Default)]
pub struct EventDraft {
    pub title: String,
    pub description: String,
    /// The description is HTML (sanitised) rather than plain text.
    pub description_is_html: bool,
    pub start_time: String,
    pub end_time: Option<String>,
    pub timezone: Option<String>,
    pub place_name: Option<String>,
    pub address: Option<String>,
    /// A JIS code or a name.
    pub prefecture: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub online_url: Option<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    /// One of the organiser's uploads.
    pub banner_id: Option<i64>,
    /// `None` or 0: no limit.
    pub capacity: Option<i64>,
    pub join_mode: Option<String>,
    pub external_url: Option<String>,
    pub visibility: Option<String>,
    /// The local group that organises it (the creator must be one of its moderators).
    pub group_id: Option<i64>,
    /// An RFC 5545 RRULE (`FREQ=WEEKLY;COUNT=4`): each occurrence becomes an event.
    pub rrule: Option<String>,
}

/// An edit: `None` leaves a field as it is; an empty text clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct EventPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub description_is_html: bool,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub timezone: Option<String>,
    pub place_name: Option<String>,
    pub address: Option<String>,
    pub prefecture: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub online_url: Option<String>,
    pub category: Option<String>,
    pub tags: Option<Vec<String>>,
    pub banner_id: Option<i64>,
    pub capacity: Option<i64>,
    pub join_mode: Option<String>,
    pub external_url: Option<String>,
    pub visibility: Option<String>,
    pub event_status: Option<String>,
}

/// Which occurrences of a series an edit applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    One,
    /// This occurrence and the later ones.
    All,
}

/// An event by id.
pub fn find(conn: &mut DbConnection, id: i64) -> Result<EventRow, AppError> {
    store::events::find(conn, id)?.ok_or(AppError::NotFound)
}

/// The event's tags (kept on its status row).
pub fn tags_of(conn: &mut DbConnection, event_id: i64) -> Result<Vec<String>, AppError> {
    Ok(store::statuses::tags_of(conn, &[event_id])?
        .into_iter()
        .map(|(_, t)| t.name)
        .collect())
}

/// Whether `account_id` may edit the event and decide on participants: its organiser, or a
/// moderator of its group.
pub fn can_manage(
    conn: &mut DbConnection,
    event: &EventRow,
    account_id: i64,
) -> Result<bool, AppError> {
    if event.organiser_id == account_id {
        return Ok(true);
    }
    match event.group_id {
        Some(group) => groups::is_staff(conn, group, account_id),
        None => Ok(false),
    }
}

fn require_manager(
    conn: &mut DbConnection,
    event: &EventRow,
    account_id: i64,
) -> Result<(), AppError> {
    if !event.local {
        return Err(AppError::Forbidden(
            "This event is organised on another server".to_owned(),
        ));
    }
    if can_manage(conn, event, account_id)? {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Only the organiser may change this event".to_owned(),
        ))
    }
}

fn status_visibility(event_visibility: &str) -> Visibility {
    match event_visibility {
        "unlisted" => Visibility::Unlisted,
        "private" => Visibility::Private,
        _ => Visibility::Public,
    }
}

/// The description as HTML: sanitised HTML, or plain text formatted as posts are (links,
/// hashtags, which become tags too).
fn description_html(urls: &Urls, text: &str, is_html: bool) -> (String, Vec<String>) {
    if is_html {
        (html::sanitize(text), Vec::new())
    } else if text.trim().is_empty() {
        (String::new(), Vec::new())
    } else {
        let formatted = html::format_plain_text(text, &HashMap::new(), |tag| {
            urls.tag(&html::normalise_tag(tag)).to_string()
        });
        (formatted.html, formatted.tags)
    }
}

fn banner_url(
    conn: &mut DbConnection,
    urls: &Urls,
    owner: i64,
    media_id: i64,
) -> Result<String, AppError> {
    let media = store::media::find(conn, media_id)?
        .filter(|m| m.account_id == owner)
        .ok_or_else(|| validate::invalid("The banner is not one of your uploads"))?;
    if media.state != "ready" {
        return Err(validate::invalid("The banner is still being processed"));
    }
    match (&media.file_name, &media.remote_url) {
        (Some(file), _) => Ok(urls.media_file(file).to_string()),
        (None, Some(remote)) => Ok(remote.clone()),
        _ => Err(validate::invalid("The banner has no file")),
    }
}

/// Creates an event (or, with an RRULE, every occurrence of a series) and returns the first.
pub async fn create(
    state: &AppState,
    creator_id: i64,
    draft: EventDraft,
) -> Result<EventRow, AppError> {
    let urls = state.urls.clone();
    change(state, move |conn, fx| {
        create_in(conn, fx, &urls, creator_id, &draft)
    })
    .await
}

/// [`create`] inside the caller's transaction.
pub fn create_in(
    conn: &mut DbConnection,
    fx: &mut Effects,
    urls: &Urls,
    creator_id: i64,
    draft: &EventDraft,
) -> Result<EventRow, AppError> {
    let creator = store::accounts::find_by_id(conn, creator_id)?.ok_or(AppError::NotFound)?;
    if !creator.is_local() {
        return Err(AppError::Forbidden("Not a local member".to_owned()));
    }
    let title = validate::title(&draft.title)?;
    let description = validate::description(&draft.description)?;
    let zone = validate::timezone(draft.timezone.as_deref())?;
    let start = validate::time("Start time", &draft.start_time, zone)?;
    let end = match draft.end_time.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(text) => Some(validate::time("End time", text, zone)?),
        None => None,
    };
    validate::end_after_start(start, end)?;
    let (latitude, longitude) = validate::coordinates(draft.latitude, draft.longitude)?;
    let join_mode = validate::join_mode(draft.join_mode.as_deref())?;
    let external_url = validate::web_url("External URL", draft.external_url.as_deref(), true)?;
    if join_mode == EXTERNAL && external_url.is_none() {
        return Err(validate::invalid(
            "An external join mode needs the external URL",
        ));
    }
    let mut tags = validate::tags(&draft.tags)?;
    if let Some(group_id) = draft.group_id {
        groups::local_group(conn, group_id)?;
        if !groups::is_staff(conn, group_id, creator_id)? {
            return Err(AppError::Forbidden(
                "Only the group's moderators may create its events".to_owned(),
            ));
        }
    }
    let banner = match draft.banner_id {
        Some(id) => Some(banner_url(conn, urls, creator_id, id)?),
        None => None,
    };
    let (description_html, text_tags) =
        description_html(urls, &description, draft.description_is_html);
    for tag in text_tags {
        if !tags.contains(&tag) && tags.len() < validate::MAX_TAGS {
            tags.push(tag);
        }
    }
    let now = Utc::now().naive_utc();
    let template = EventRow {
        id: 0,
        ap_id: String::new(),
        local: true,
        organiser_id: creator_id,
        group_id: draft.group_id,
        title,
        description: description_html,
        description_source: Some(description),
        starts_at: start.naive_utc(),
        ends_at: end.map(|e| e.naive_utc()),
        timezone: zone.name().to_owned(),
        place_name: validate::place_text("Place name", draft.place_name.as_deref())?,
        address: validate::place_text("Address", draft.address.as_deref())?,
        prefecture: validate::prefecture(draft.prefecture.as_deref())?,
        latitude,
        longitude,
        online_url: validate::web_url("Online URL", draft.online_url.as_deref(), false)?,
        category: validate::category(draft.category.as_deref())?,
        banner_url: banner,
        event_status: SCHEDULED.to_owned(),
        capacity: validate::capacity(draft.capacity)?,
        join_mode,
        external_url,
        visibility: validate::visibility(draft.visibility.as_deref())?,
        series_id: None,
        participant_count: 0,
        sequence: 0,
        search_text: String::new(),
        reminded_at: None,
        created_at: now,
        updated_at: now,
    };
    let Some(rule) = draft.rrule.as_deref().filter(|r| !r.trim().is_empty()) else {
        return insert_local(conn, fx, urls, template, &tags);
    };
    let starts = series::occurrences(rule, start, zone)?;
    let series_id = ids::next_id();
    store::events::insert_series(
        conn,
        &EventSeriesRow {
            id: series_id,
            rrule: series::normalise(rule),
            timezone: zone.name().to_owned(),
            organiser_id: creator_id,
            created_at: now,
        },
    )?;
    let length = end.map(|e| e - start);
    let mut first = None;
    for occurrence in starts {
        let mut row = template.clone();
        row.series_id = Some(series_id);
        row.starts_at = occurrence.naive_utc();
        row.ends_at = length.map(|l| (occurrence + l).naive_utc());
        let stored = insert_local(conn, fx, urls, row, &tags)?;
        first.get_or_insert(stored);
    }
    first.ok_or_else(|| validate::invalid("The recurrence rule gives no occurrence"))
}

/// Stores one local event with its status row, and what a new post causes.
fn insert_local(
    conn: &mut DbConnection,
    fx: &mut Effects,
    urls: &Urls,
    mut row: EventRow,
    tags: &[String],
) -> Result<EventRow, AppError> {
    let id = ids::next_id();
    row.id = id;
    row.ap_id = urls.join(&format!("/events/{id}")).to_string();
    let visibility = status_visibility(&row.visibility);
    let status = store::statuses::insert(
        conn,
        &NewStatus {
            id,
            account_id: row.organiser_id,
            ap_id: row.ap_id.clone(),
            url: Some(row.ap_id.clone()),
            local: true,
            object_type: "Event".to_owned(),
            in_reply_to_id: None,
            in_reply_to_account_id: None,
            in_reply_to_ap_id: None,
            reblog_of_id: None,
            thread_ap_id: None,
            title: Some(row.title.clone()),
            content: display::status_html(&row, &row.ap_id),
            source_text: row.description_source.clone(),
            spoiler_text: String::new(),
            sensitive: false,
            visibility: visibility.as_str().to_owned(),
            language: None,
            group_id: row.group_id,
            created_at: row.created_at,
            updated_at: row.updated_at,
        },
    )?;
    store::events::insert(conn, &row)?;
    store::statuses::set_tags(conn, id, tags, row.created_at)?;
    store::event_index::reindex(conn, id, &display::search_text(&row, tags))?;
    statuses::after_new_status(conn, fx, &status, &[])?;
    fx.send(Outgoing::CreateStatus { status_id: id });
    if let Some(group_id) = row.group_id {
        // The group boosts its event: its members see it at home, Mastodon followers as a boost.
        let group = store::accounts::find_by_id(conn, group_id)?.ok_or(AppError::NotFound)?;
        let boost_id = ids::next_id();
        interactions::add_reblog(
            conn,
            fx,
            group_id,
            &status,
            boost_id,
            interactions::boost_ap_id_for(&group.ap_id, boost_id),
            visibility,
        )?;
    }
    find(conn, id)
}

/// Whether attendees should hear about the change: when, where, or whether it happens.
pub fn matters_to_attendees(before: &EventRow, after: &EventRow) -> bool {
    before.starts_at != after.starts_at
        || before.ends_at != after.ends_at
        || before.timezone != after.timezone
        || before.place_name != after.place_name
        || before.address != after.address
        || before.online_url != after.online_url
        || before.event_status != after.event_status
}

/// Rewrites the event's status row from the event (title, content, visibility), its tags and
/// its search index; records an edit and tells streams.
pub fn sync_status_row(
    conn: &mut DbConnection,
    fx: &mut Effects,
    event: &EventRow,
    tags: &[String],
) -> Result<(), AppError> {
    let Some(status) = store::statuses::find(conn, event.id)? else {
        return Ok(());
    };
    let url = status.url.clone().unwrap_or_else(|| event.ap_id.clone());
    let changes = StatusChanges {
        title: Some(event.title.clone()),
        content: display::status_html(event, &url),
        source_text: event.description_source.clone(),
        spoiler_text: String::new(),
        sensitive: status.sensitive,
        language: status.language.clone(),
        updated_at: event.updated_at,
        edited_at: Some(event.updated_at),
    };
    store::statuses::update(conn, event.id, &changes)?;
    store::statuses::set_tags(conn, event.id, tags, event.updated_at)?;
    store::event_index::reindex(conn, event.id, &display::search_text(event, tags))?;
    fx.publish(StreamEvent::StatusUpdated {
        status_id: event.id,
    });
    Ok(())
}

/// Tells the local members taking part (accepted, pending or waitlisted) with `kind`.
pub fn notify_participants(
    conn: &mut DbConnection,
    fx: &mut Effects,
    event: &EventRow,
    from: i64,
    kind: &str,
) -> Result<(), AppError> {
    for participant in store::events::participants(conn, event.id)? {
        if participant.state == rsvp::REJECTED {
            continue;
        }
        notifications::notify(conn, fx, participant.account_id, from, kind, Some(event.id))?;
    }
    Ok(())
}

/// Edits a local event (or it and the later occurrences of its series); returns it.
pub async fn update(
    state: &AppState,
    editor_id: i64,
    event_id: i64,
    patch: EventPatch,
    scope: Scope,
) -> Result<EventRow, AppError> {
    let urls = state.urls.clone();
    change(state, move |conn, fx| {
        let event = find(conn, event_id)?;
        require_manager(conn, &event, editor_id)?;
        let targets = match (scope, event.series_id) {
            (Scope::All, Some(series)) => {
                store::events::series_from(conn, series, event.starts_at)?
            }
            _ => vec![event.clone()],
        };
        let shift = time_shift(&event, &patch)?;
        for target in targets {
            let edited = if target.id == event.id {
                apply_patch(conn, &urls, editor_id, &target, &patch, None)?
            } else {
                apply_patch(conn, &urls, editor_id, &target, &patch, Some(shift))?
            };
            save_edit(conn, fx, editor_id, &target, edited.0, &edited.1)?;
        }
        find(conn, event_id)
    })
    .await
}

/// How far an edit moves the event's start and end, for the other occurrences of a series.
fn time_shift(
    event: &EventRow,
    patch: &EventPatch,
) -> Result<(Duration, Option<Duration>), AppError> {
    let zone = validate::timezone(patch.timezone.as_deref().or(Some(&event.timezone)))?;
    let start = match patch.start_time.as_deref() {
        Some(text) => validate::time("Start time", text, zone)?.naive_utc(),
        None => event.starts_at,
    };
    let end = match patch.end_time.as_deref() {
        Some(text) if text.trim().is_empty() => None,
        Some(text) => Some(validate::time("End time", text, zone)?.naive_utc() - start),
        None => event.ends_at.map(|e| e - event.starts_at),
    };
    Ok((start - event.starts_at, end))
}

/// The event with the patch applied (not yet saved), and its tags. Other occurrences of a
/// series (`shift` given) move by the same amount instead of taking the times as sent.
fn apply_patch(
    conn: &mut DbConnection,
    urls: &Urls,
    editor_id: i64,
    event: &EventRow,
    patch: &EventPatch,
    shift: Option<(Duration, Option<Duration>)>,
) -> Result<(EventRow, Vec<String>), AppError> {
    let mut next = event.clone();
    if let Some(title) = &patch.title {
        next.title = validate::title(title)?;
    }
    let mut tags = match &patch.tags {
        Some(list) => validate::tags(list)?,
        None => tags_of(conn, event.id)?,
    };
    if let Some(text) = &patch.description {
        let text = validate::description(text)?;
        let (html, text_tags) = description_html(urls, &text, patch.description_is_html);
        next.description = html;
        next.description_source = Some(text);
        for tag in text_tags {
            if !tags.contains(&tag) && tags.len() < validate::MAX_TAGS {
                tags.push(tag);
            }
        }
    }
    let zone = validate::timezone(patch.timezone.as_deref().or(Some(&event.timezone)))?;
    next.timezone = zone.name().to_owned();
    match shift {
        Some((start_shift, length)) => {
            next.starts_at = event.starts_at + start_shift;
            next.ends_at = length.map(|l| next.starts_at + l);
        }
        None => {
            if let Some(text) = &patch.start_time {
                next.starts_at = validate::time("Start time", text, zone)?.naive_utc();
            }
            match patch.end_time.as_deref() {
                Some(text) if text.trim().is_empty() => next.ends_at = None,
                Some(text) => {
                    next.ends_at = Some(validate::time("End time", text, zone)?.naive_utc())
                }
                None => {}
            }
        }
    }
    validate::end_after_start(
        next.starts_at.and_utc(),
        next.ends_at.map(|e: NaiveDateTime| e.and_utc()),
    )?;
    if let Some(text) = &patch.place_name {
        next.place_name = validate::place_text("Place name", Some(text))?;
    }
    if let Some(text) = &patch.address {
        next.address = validate::place_text("Address", Some(text))?;
    }
    if let Some(text) = &patch.prefecture {
        next.prefecture = validate::prefecture(Some(text))?;
    }
    if patch.latitude.is_some() || patch.longitude.is_some() {
        (next.latitude, next.longitude) = validate::coordinates(patch.latitude, patch.longitude)?;
    }
    if let Some(text) = &patch.online_url {
        next.online_url = validate::web_url("Online URL", Some(text), false)?;
    }
    if let Some(text) = &patch.category {
        next.category = validate::category(Some(text))?;
    }
    if let Some(id) = patch.banner_id {
        next.banner_url = Some(banner_url(conn, urls, editor_id, id)?);
    }
    if patch.capacity.is_some() {
        next.capacity = validate::capacity(patch.capacity)?;
    }
    if let Some(mode) = &patch.join_mode {
        next.join_mode = validate::join_mode(Some(mode))?;
    }
    if let Some(text) = &patch.external_url {
        next.external_url = validate::web_url("External URL", Some(text), true)?;
    }
    if next.join_mode == EXTERNAL && next.external_url.is_none() {
        return Err(validate::invalid(
            "An external join mode needs the external URL",
        ));
    }
    if let Some(visibility) = &patch.visibility {
        next.visibility = validate::visibility(Some(visibility))?;
    }
    if let Some(status) = &patch.event_status {
        if !EVENT_STATUSES.contains(&status.as_str()) {
            return Err(validate::invalid(format!(
                "Status {status:?} is not one of scheduled, cancelled, postponed, moved_online"
            )));
        }
        next.event_status.clone_from(status);
    }
    Ok((next, tags))
}

/// Saves an edited local event: sequence raised, status row rewritten, participants told when
/// it matters, places filled when the capacity grew, the `Update` sent.
fn save_edit(
    conn: &mut DbConnection,
    fx: &mut Effects,
    editor_id: i64,
    before: &EventRow,
    mut after: EventRow,
    tags: &[String],
) -> Result<(), AppError> {
    after.sequence = before.sequence + 1;
    after.updated_at = Utc::now().naive_utc();
    if before.starts_at != after.starts_at {
        after.reminded_at = None;
    }
    store::events::save(conn, &after)?;
    let visibility = status_visibility(&after.visibility);
    store::events::set_status_visibility(conn, after.id, visibility.as_str())?;
    sync_status_row(conn, fx, &after, tags)?;
    if matters_to_attendees(before, &after) {
        notify_participants(conn, fx, &after, editor_id, kind::UPDATE)?;
    }
    rsvp::fill_places(conn, fx, &after)?;
    fx.send(Outgoing::UpdateStatus {
        status_id: after.id,
    });
    Ok(())
}

/// Sets the event's status (`cancelled`, `postponed`, `moved_online`, or `scheduled` again).
pub async fn set_status(
    state: &AppState,
    editor_id: i64,
    event_id: i64,
    event_status: &str,
    scope: Scope,
) -> Result<EventRow, AppError> {
    let patch = EventPatch {
        event_status: Some(event_status.to_owned()),
        ..EventPatch::default()
    };
    update(state, editor_id, event_id, patch, scope).await
}

/// Cancels an event (it stays, marked cancelled, so calendars show `STATUS:CANCELLED`).
pub async fn cancel(
    state: &AppState,
    editor_id: i64,
    event_id: i64,
    scope: Scope,
) -> Result<EventRow, AppError> {
    set_status(state, editor_id, event_id, CANCELLED, scope).await
}

/// What a remote server says about one of its events, ready to store.
#[derive(Debug, Clone)]
pub struct RemoteEvent {
    /// The event; `id`, `local`, `participant_count` (unless the sender gave one), `sequence`,
    /// `series_id`, `search_text` and `reminded_at` are ours to set.
    pub row: EventRow,
    /// Whether the sender gave a participant count.
    pub has_count: bool,
    pub tags: Vec<String>,
    /// The account whose status it is in timelines.
    pub author_id: i64,
    /// Its page, when not its id.
    pub url: Option<String>,
    pub published: DateTime<Utc>,
}

/// Stores a remote event, or refreshes the stored one (participants are told when the change
/// matters to them). Returns the stored row.
pub fn store_remote(
    conn: &mut DbConnection,
    fx: &mut Effects,
    incoming: RemoteEvent,
) -> Result<EventRow, AppError> {
    let mut row = incoming.row;
    let now = Utc::now().naive_utc();
    row.local = false;
    row.updated_at = now;
    if let Some(before) = store::events::find_by_ap_id(conn, &row.ap_id)? {
        row.id = before.id;
        row.series_id = before.series_id;
        row.created_at = before.created_at;
        row.reminded_at = if before.starts_at == row.starts_at {
            before.reminded_at
        } else {
            None
        };
        if !incoming.has_count {
            row.participant_count = before.participant_count;
        }
        let changed = EventRow {
            search_text: before.search_text.clone(),
            updated_at: before.updated_at,
            sequence: before.sequence,
            ..row.clone()
        } != before;
        if !changed && tags_of(conn, before.id)? == incoming.tags {
            return Ok(before);
        }
        row.sequence = before.sequence + 1;
        store::events::save(conn, &row)?;
        store::events::set_status_visibility(
            conn,
            row.id,
            status_visibility(&row.visibility).as_str(),
        )?;
        sync_status_row(conn, fx, &row, &incoming.tags)?;
        if matters_to_attendees(&before, &row) {
            notify_participants(conn, fx, &row, row.organiser_id, kind::UPDATE)?;
        }
        return find(conn, row.id);
    }
    if store::statuses::is_tombstoned(conn, &row.ap_id)? {
        return Err(AppError::Gone("That event was deleted".to_owned()));
    }
    let published = incoming.published.naive_utc().min(now);
    let mut id = ids::id_at(published.and_utc());
    for _ in 0..3 {
        if store::statuses::find(conn, id)?.is_none() {
            break;
        }
        id = ids::id_at(published.and_utc());
    }
    row.id = id;
    row.created_at = published;
    row.sequence = 0;
    let url = incoming.url.clone().unwrap_or_else(|| row.ap_id.clone());
    let status = store::statuses::insert(
        conn,
        &NewStatus {
            id,
            account_id: incoming.author_id,
            ap_id: row.ap_id.clone(),
            url: Some(url.clone()),
            local: false,
            object_type: "Event".to_owned(),
            in_reply_to_id: None,
            in_reply_to_account_id: None,
            in_reply_to_ap_id: None,
            reblog_of_id: None,
            thread_ap_id: None,
            title: Some(row.title.clone()),
            content: display::status_html(&row, &url),
            source_text: None,
            spoiler_text: String::new(),
            sensitive: false,
            visibility: status_visibility(&row.visibility).as_str().to_owned(),
            language: None,
            group_id: row.group_id,
            created_at: published,
            updated_at: now,
        },
    )?;
    store::events::insert(conn, &row)?;
    store::statuses::set_tags(conn, id, &incoming.tags, now)?;
    store::event_index::reindex(conn, id, &display::search_text(&row, &incoming.tags))?;
    statuses::after_new_status(conn, fx, &status, &[])?;
    find(conn, id)
}

/// The event as a calendar entry (UID = its ActivityPub id, SEQUENCE from the row).
pub fn calendar_entry(
    conn: &mut DbConnection,
    event: &EventRow,
) -> Result<crate::domain::calendar::CalendarEvent, AppError> {
    let organiser = store::accounts::find_by_id(conn, event.organiser_id)?;
    let url = store::statuses::find(conn, event.id)?
        .and_then(|s| s.url)
        .unwrap_or_else(|| event.ap_id.clone());
    let mut categories: Vec<String> = event.category.iter().cloned().collect();
    categories.extend(tags_of(conn, event.id)?);
    let mut description = html::to_plain_text(&event.description);
    if let Some(online) = &event.online_url {
        description.push_str(&format!("\n\nOnline: {online}"));
    }
    Ok(crate::domain::calendar::CalendarEvent {
        uid: event.ap_id.clone(),
        sequence: event.sequence,
        title: event.title.clone(),
        description: description.trim().to_owned(),
        starts_at: event.starts_at.and_utc(),
        ends_at: event.ends_at.map(|e| e.and_utc()),
        timezone: display::zone(event),
        location: display::place_line(event).or_else(|| event.online_url.clone()),
        geo: event.latitude.zip(event.longitude),
        url,
        cancelled: event.event_status == CANCELLED,
        categories,
        organizer: organiser.map(|a| {
            let name = if a.display_name.is_empty() {
                a.username.clone()
            } else {
                a.display_name.clone()
            };
            (name, a.url.clone().unwrap_or(a.ap_id))
        }),
        created_at: event.created_at.and_utc(),
        updated_at: event.updated_at.and_utc(),
    })
}
