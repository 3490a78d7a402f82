//! Calendar and Atom feeds of events: per event, group, person and directory query, and a
//! member's private feed of the events they joined behind a secret, revocable URL (only the
//! token's hash is stored).

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::db::models::EventRow;
use crate::db::store::directory::EventQuery;
use crate::db::{Db, DbConnection, ids, store};
use crate::domain::calendar::{self, CalendarEvent};
use crate::domain::directory::EventView;
use crate::domain::html;
use crate::domain::oauth::{hash_secret, random_token};
use crate::domain::prefectures::Prefecture;
use crate::domain::urls::Urls;
use crate::error::AppError;

/// How many events a feed holds at most.
pub const FEED_LIMIT: i64 = 200;

/// The page of an event on this instance (remote events too: the page links to the original).
pub fn event_page(urls: &Urls, event: &EventRow) -> String {
    urls.join(&format!("/events/{}", event.id)).to_string()
}

/// Where an event is, as one line: place, address and prefecture, or the online link.
pub fn location_line(event: &EventRow) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if let Some(place) = &event.place_name {
        parts.push(place.clone());
    }
    if let Some(address) = &event.address {
        parts.push(address.clone());
    }
    if parts.is_empty()
        && let Some(prefecture) = event
            .prefecture
            .and_then(|c| u32::try_from(c).ok())
            .and_then(Prefecture::from_code)
    {
        parts.push(prefecture.name_ja().to_owned());
    }
    if parts.is_empty() {
        return event.online_url.clone();
    }
    Some(parts.join(", "))
}

/// The iCalendar form of an event: UID is its ActivityPub id, SEQUENCE its row's.
pub fn calendar_event(urls: &Urls, view: &EventView) -> CalendarEvent {
    let event = &view.event;
    let mut description = html::to_plain_text(&event.description);
    if let Some(online) = &event.online_url {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(online);
    }
    let mut categories: Vec<String> = event.category.iter().cloned().collect();
    categories.extend(view.tags.iter().cloned());
    let organiser = view.group.as_ref().unwrap_or(&view.organiser);
    let name = if organiser.display_name.is_empty() {
        organiser.username.clone()
    } else {
        organiser.display_name.clone()
    };
    CalendarEvent {
        uid: event.ap_id.clone(),
        sequence: event.sequence,
        title: event.title.clone(),
        description,
        starts_at: event.starts_at.and_utc(),
        ends_at: event.ends_at.map(|t| t.and_utc()),
        timezone: event
            .timezone
            .parse::<Tz>()
            .unwrap_or(chrono_tz::Asia::Tokyo),
        location: location_line(event),
        geo: event.latitude.zip(event.longitude),
        url: event_page(urls, event),
        cancelled: event.event_status == "cancelled",
        categories,
        organizer: Some((name, organiser.ap_id.clone())),
        created_at: event.created_at.and_utc(),
        updated_at: event.updated_at.and_utc(),
    }
}

/// A calendar of these events as `text/calendar` text.
pub fn ics(urls: &Urls, name: &str, views: &[EventView]) -> String {
    let events: Vec<CalendarEvent> = views.iter().map(|v| calendar_event(urls, v)).collect();
    calendar::render(name, &events)
}

fn fixed(time: DateTime<Utc>) -> FixedDateTime {
    time.fixed_offset()
}

/// An Atom feed of these events, newest change first in `updated`, each linking to its page.
pub fn atom(urls: &Urls, title: &str, self_url: &str, views: &[EventView]) -> String {
    let updated = views
        .iter()
        .map(|v| v.event.updated_at.and_utc())
        .max()
        .unwrap_or_else(Utc::now);
    let entries: Vec<Entry> = views
        .iter()
        .map(|view| {
            let event = &view.event;
            let zone = event
                .timezone
                .parse::<Tz>()
                .unwrap_or(chrono_tz::Asia::Tokyo);
            let when = event
                .starts_at
                .and_utc()
                .with_timezone(&zone)
                .format("%Y-%m-%d %H:%M")
                .to_string();
            let mut summary = format!("{when} ({})", zone.name());
            if let Some(place) = location_line(event) {
                summary.push_str(" · ");
                summary.push_str(&place);
            }
            if event.event_status == "cancelled" {
                summary = format!("[CANCELLED] {summary}");
            }
            let organiser = view.group.as_ref().unwrap_or(&view.organiser);
            Entry {
                id: event.ap_id.clone(),
                title: Text::plain(event.title.clone()),
                updated: fixed(event.updated_at.and_utc()),
                published: Some(fixed(event.created_at.and_utc())),
                authors: vec![Person {
                    name: if organiser.display_name.is_empty() {
                        organiser.username.clone()
                    } else {
                        organiser.display_name.clone()
                    },
                    uri: Some(organiser.ap_id.clone()),
                    ..Person::default()
                }],
                links: vec![Link {
                    href: event_page(urls, event),
                    rel: "alternate".to_owned(),
                    mime_type: Some("text/html".to_owned()),
                    ..Link::default()
                }],
                summary: Some(Text::plain(summary)),
                content: Some(Content {
                    value: Some(event.description.clone()),
                    content_type: Some("html".to_owned()),
                    ..Content::default()
                }),
                ..Entry::default()
            }
        })
        .collect();
    let feed = Feed {
        id: self_url.to_owned(),
        title: Text::plain(title.to_owned()),
        updated: fixed(updated),
        links: vec![
            Link {
                href: self_url.to_owned(),
                rel: "self".to_owned(),
                mime_type: Some("application/atom+xml".to_owned()),
                ..Link::default()
            },
            Link {
                href: urls.join("/events").to_string(),
                rel: "alternate".to_owned(),
                mime_type: Some("text/html".to_owned()),
                ..Link::default()
            },
        ],
        entries,
        ..Feed::default()
    };
    feed.to_string()
}

/// The events of a feed: those of `query` (upcoming unless it says otherwise), by start time.
pub fn feed_events(
    conn: &mut DbConnection,
    query: &EventQuery,
) -> Result<Vec<EventView>, AppError> {
    let rows = crate::domain::directory::page(conn, query, 0, FEED_LIMIT)?;
    crate::domain::directory::views(conn, rows)
}

/// A new private calendar URL token for a member; earlier ones stop working (rotation). Returns
/// the token, shown once.
pub async fn create_token(db: &Db, account_id: i64) -> Result<String, AppError> {
    let token = random_token();
    let hash = hash_secret(&token);
    db.transaction(move |conn| {
        let now = Utc::now().naive_utc();
        store::directory::revoke_tokens(conn, account_id, now)?;
        store::directory::insert_token(conn, ids::next_id(), account_id, &hash, now)?;
        Ok(())
    })
    .await?;
    Ok(token)
}

/// Revokes a member's private calendar URL.
pub async fn revoke_tokens(db: &Db, account_id: i64) -> Result<usize, AppError> {
    db.run(move |conn| {
        Ok(store::directory::revoke_tokens(
            conn,
            account_id,
            Utc::now().naive_utc(),
        )?)
    })
    .await
}

/// Whether the member has a live private calendar URL.
pub async fn has_token(db: &Db, account_id: i64) -> Result<bool, AppError> {
    db.run(move |conn| Ok(!store::directory::live_tokens(conn, account_id)?.is_empty()))
        .await
}

/// The member a private calendar token belongs to (`None` for unknown or revoked tokens).
pub async fn token_owner(db: &Db, token: &str) -> Result<Option<i64>, AppError> {
    let hash = hash_secret(token);
    db.run(move |conn| Ok(store::directory::find_token(conn, &hash)?.map(|t| t.account_id)))
        .await
}
