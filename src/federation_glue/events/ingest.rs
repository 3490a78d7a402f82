//! Remote events: reading an `Event` (Mobilizon, Gancio, FEP-8a8e, our own) into an event row,
//! and storing or refreshing it with its organiser and group.

use activitypub_federation::kinds::public;
use chrono::{FixedOffset, Utc};
use kakehashi_federation::fetch::same_origin;
use kakehashi_federation::protocol::attachment::Attachment;
use kakehashi_federation::protocol::event::{Event, EventStatus, JoinMode};
use kakehashi_federation::protocol::object::AnyObject;
use kakehashi_federation::protocol::place::{Address, Location};
use kakehashi_federation::protocol::tag::Tag;
use url::Url;

use crate::db::models::EventRow;
use crate::db::store;
use crate::domain::events::{self, RemoteEvent};
use crate::domain::prefectures::Prefecture;
use crate::domain::{change, html};
use crate::error::AppError;
use crate::federation_glue::actors::{self, domain_of};
use crate::state::AppState;

const MAX_TITLE: usize = 500;
const MAX_DESCRIPTION_BYTES: usize = 100_000;
const MAX_TAGS: usize = 20;

/// An event as read from its document, before its actors are known.
#[derive(Debug, Clone)]
pub struct ParsedEvent {
    /// The row, with `organiser_id`, `group_id` and `id` still 0/None.
    pub row: EventRow,
    pub has_count: bool,
    pub tags: Vec<String>,
    /// Who it belongs to (`attributedTo`, else `actor`).
    pub owner: Url,
    /// Who created it, when another actor than the owner (Mobilizon's `actor`).
    pub creator: Option<Url>,
    pub url: Option<String>,
}

fn unprocessable(message: &str) -> AppError {
    AppError::Unprocessable(message.to_owned())
}

/// The IANA zone: the one given when valid, else one with the start's offset.
fn zone_of(given: Option<&str>, offset: Option<FixedOffset>) -> String {
    if let Some(name) = given
        && name.parse::<chrono_tz::Tz>().is_ok()
    {
        return name.to_owned();
    }
    match offset.map(|o| o.local_minus_utc()) {
        Some(32_400) => "Asia/Tokyo".to_owned(),
        Some(seconds) if seconds != 0 && seconds % 3600 == 0 => {
            // POSIX style: Etc/GMT-9 is nine hours ahead of UTC.
            let hours = -seconds / 3600;
            let name = format!("Etc/GMT{hours:+}");
            if name.parse::<chrono_tz::Tz>().is_ok() {
                name
            } else {
                "UTC".to_owned()
            }
        }
        _ => "UTC".to_owned(),
    }
}

fn address_text(address: &Address) -> (Option<String>, Option<i32>) {
    match address {
        Address::Text(text) => {
            let text = text.trim();
            (Some(text.to_owned()).filter(|t| !t.is_empty()), None)
        }
        Address::Postal(postal) => {
            let prefecture = postal
                .address_region
                .as_deref()
                .and_then(Prefecture::parse)
                .map(|p| i32::from(p.code()));
            let locality = [
                postal.postal_code.as_deref(),
                postal.address_locality.as_deref(),
            ]
            .into_iter()
            .flatten()
            .filter(|p| !p.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ");
            let mut parts: Vec<String> = Vec::new();
            parts.extend(postal.street_address.clone());
            if !locality.is_empty() {
                parts.push(locality);
            }
            if prefecture.is_none() {
                parts.extend(postal.address_region.clone());
                parts.extend(postal.address_country.clone());
            }
            let parts: Vec<String> = parts
                .into_iter()
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect();
            ((!parts.is_empty()).then(|| parts.join(", ")), prefecture)
        }
    }
}

fn status_of(event: &Event) -> &'static str {
    match event.event_status {
        Some(EventStatus::EventCancelled) => events::CANCELLED,
        Some(EventStatus::EventPostponed) => events::POSTPONED,
        Some(EventStatus::EventMovedOnline) => events::MOVED_ONLINE,
        Some(_) => events::SCHEDULED,
        None => match event.ical_status() {
            Some(s) if s.eq_ignore_ascii_case("CANCELLED") => events::CANCELLED,
            _ => events::SCHEDULED,
        },
    }
}

fn truncate(text: &str, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text.to_owned();
    }
    text.char_indices()
        .take_while(|(i, _)| *i < max_bytes)
        .map(|(_, c)| c)
        .collect()
}

/// Reads an `Event` into a row. `start` stands in for a missing `startTime` (a postponed event
/// we stored before); without either the event cannot be kept.
pub fn parse_event(
    event: &Event,
    stored_start: Option<chrono::NaiveDateTime>,
) -> Result<ParsedEvent, AppError> {
    let owner = event
        .attributed_to
        .first()
        .cloned()
        .or_else(|| event.actor.clone())
        .ok_or_else(|| unprocessable("The event has no organiser"))?;
    if !same_origin(&owner, &event.id) {
        return Err(unprocessable(
            "The event and its organiser are on different servers",
        ));
    }
    let creator = event
        .actor
        .clone()
        .filter(|a| *a != owner && same_origin(a, &event.id));
    let title: String = event
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| unprocessable("The event has no name"))?
        .chars()
        .take(MAX_TITLE)
        .collect();
    let starts_at = match (&event.start_time, stored_start) {
        (Some(start), _) => start.with_timezone(&Utc).naive_utc(),
        (None, Some(stored)) => stored,
        (None, None) => return Err(unprocessable("The event has no start time")),
    };
    let ends_at = event
        .end_time
        .map(|e| e.with_timezone(&Utc).naive_utc())
        .filter(|e| *e > starts_at);
    let timezone = zone_of(
        event.timezone.as_deref(),
        event.start_time.map(|t| *t.offset()),
    );
    let mut place_name = None;
    let mut address = None;
    let mut prefecture = None;
    let mut latitude = None;
    let mut longitude = None;
    let mut online_url = None;
    for location in &event.location {
        match location {
            Location::Place(place) if place_name.is_none() && address.is_none() => {
                place_name = place.name.clone().filter(|n| !n.trim().is_empty());
                if let Some(a) = &place.address {
                    (address, prefecture) = address_text(a);
                }
                if let (Some(lat), Some(lon)) = (place.latitude, place.longitude)
                    && (-90.0..=90.0).contains(&lat)
                    && (-180.0..=180.0).contains(&lon)
                {
                    latitude = Some(lat);
                    longitude = Some(lon);
                }
            }
            Location::Virtual(virtual_location) if online_url.is_none() => {
                online_url = Some(virtual_location.url.to_string());
            }
            _ => {}
        }
    }
    let mut banner_url = None;
    for attachment in &event.attachment {
        match attachment {
            Attachment::Link(link)
                if online_url.is_none()
                    && link.name.as_deref() == Some("Website")
                    && matches!(link.href.scheme(), "http" | "https") =>
            {
                online_url = Some(link.href.to_string());
            }
            Attachment::Document(document)
                if banner_url.is_none()
                    && (document.name.as_deref() == Some("Banner")
                        || document
                            .media_type
                            .as_deref()
                            .is_some_and(|t| t.starts_with("image/"))) =>
            {
                banner_url = Some(document.url.to_string());
            }
            _ => {}
        }
    }
    let (join_mode, external_url) = match event.join_mode {
        Some(JoinMode::Restricted) => (events::RESTRICTED, None),
        Some(JoinMode::Invite) => (events::INVITE, None),
        Some(JoinMode::External) => (
            events::EXTERNAL,
            event
                .external_participation_url
                .as_ref()
                .map(Url::to_string),
        ),
        // The server takes no Joins: send people to the event's page.
        Some(JoinMode::None) => (
            events::EXTERNAL,
            Some(event.url.as_ref().unwrap_or(&event.id).to_string()),
        ),
        Some(JoinMode::Free) | None => (events::FREE, None),
    };
    let category = event
        .category
        .as_deref()
        .map(str::to_uppercase)
        .filter(|c| events::CATEGORIES.contains(&c.as_str()));
    let mut tags = Vec::new();
    for tag in event.tag.iter().take(MAX_TAGS) {
        if let Tag::Hashtag(hashtag) = tag {
            let name = html::normalise_tag(&hashtag.name);
            if !name.is_empty() && name.chars().count() <= 100 && !tags.contains(&name) {
                tags.push(name);
            }
        }
    }
    let public = public();
    let visibility = if event.addressing.to.contains(&public) {
        "public"
    } else if event.addressing.cc.contains(&public) {
        "unlisted"
    } else {
        "private"
    };
    let now = Utc::now().naive_utc();
    let description = html::sanitize(&truncate(
        event.content.as_deref().unwrap_or_default(),
        MAX_DESCRIPTION_BYTES,
    ));
    let row = EventRow {
        id: 0,
        ap_id: event.id.to_string(),
        local: false,
        organiser_id: 0,
        group_id: None,
        title,
        description,
        description_source: None,
        starts_at,
        ends_at,
        timezone,
        place_name,
        address,
        prefecture,
        latitude,
        longitude,
        online_url,
        category,
        banner_url,
        event_status: status_of(event).to_owned(),
        capacity: event
            .maximum_attendee_capacity
            .filter(|c| *c > 0)
            .and_then(|c| i32::try_from(c).ok()),
        join_mode: join_mode.to_owned(),
        external_url,
        visibility: visibility.to_owned(),
        series_id: None,
        participant_count: event
            .participant_count
            .and_then(|c| i32::try_from(c).ok())
            .unwrap_or(0),
        sequence: 0,
        search_text: String::new(),
        reminded_at: None,
        created_at: now,
        updated_at: now,
    };
    Ok(ParsedEvent {
        row,
        has_count: event.participant_count.is_some(),
        tags,
        owner,
        creator,
        url: event
            .url
            .as_ref()
            .filter(|u| same_origin(u, &event.id))
            .map(Url::to_string),
    })
}

/// Stores (or refreshes) a remote event whose document we trust: fetched from its id, or
/// embedded in an activity its own server signed. Its organiser (and group) are fetched first.
pub async fn ingest_event(state: &AppState, event: Event) -> Result<EventRow, AppError> {
    let own = state.urls.domain().to_lowercase();
    if domain_of(&event.id).as_deref() == Some(own.as_str()) {
        // Our own events are ours to change.
        let ap_id = event.id.to_string();
        return state
            .db
            .run(move |conn| store::events::find_by_ap_id(conn, &ap_id)?.ok_or(AppError::NotFound))
            .await;
    }
    let ap_id = event.id.to_string();
    let stored_start = state
        .db
        .run(move |conn| Ok(store::events::find_by_ap_id(conn, &ap_id)?.map(|e| e.starts_at)))
        .await?;
    let parsed = parse_event(&event, stored_start)?;
    let owner = actors::fetch_actor(state, &parsed.owner, false).await?;
    let creator = match &parsed.creator {
        Some(url) => actors::fetch_actor(state, url, false).await.ok(),
        None => None,
    };
    let (organiser, group) = if owner.actor_type == "Group" {
        (
            creator.clone().unwrap_or_else(|| owner.clone()),
            Some(owner.id),
        )
    } else {
        (owner.clone(), None)
    };
    let mut row = parsed.row;
    row.organiser_id = organiser.id;
    row.group_id = group;
    let remote = RemoteEvent {
        row,
        has_count: parsed.has_count,
        tags: parsed.tags,
        author_id: organiser.id,
        url: parsed.url,
        published: event.published.unwrap_or_else(Utc::now),
    };
    change(state, move |conn, fx| {
        events::store_remote(conn, fx, remote)
    })
    .await
}

/// An event we know by its id, or fetched now.
pub async fn fetch_event(state: &AppState, id: &Url) -> Result<EventRow, AppError> {
    let ap_id = id.to_string();
    let (stored, gone) = state
        .db
        .run(move |conn| {
            Ok((
                store::events::find_by_ap_id(conn, &ap_id)?,
                store::statuses::is_tombstoned(conn, &ap_id)?,
            ))
        })
        .await?;
    if let Some(event) = stored {
        return Ok(event);
    }
    if gone {
        return Err(AppError::Gone("That event was deleted".to_owned()));
    }
    let (final_id, json) = actors::fetch_json(state, id).await?;
    match serde_json::from_value::<AnyObject>(json) {
        Ok(AnyObject::Event(event)) if event.id == final_id => ingest_event(state, *event).await,
        Ok(_) => Err(AppError::Unprocessable(format!(
            "{final_id} is not an event"
        ))),
        Err(e) => Err(AppError::Unprocessable(format!(
            "{final_id} is not readable: {e}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fixture(name: &str) -> serde_json::Value {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/fixtures/activitypub")
            .join(name);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
    }

    fn event(value: serde_json::Value) -> Event {
        match serde_json::from_value::<AnyObject>(value) {
            Ok(AnyObject::Event(event)) => *event,
            other => panic!("not an event: {other:?}"),
        }
    }

    #[test]
    fn the_mobilizon_fixture_reads_into_an_event() {
        let parsed = parse_event(&event(fixture("mobilizon/objects/event.json")), None)
            .unwrap_or_else(|e| panic!("{e}"));
        let row = &parsed.row;
        assert_eq!(row.title, "Caledonian scottish dance class");
        assert_eq!(row.timezone, "Europe/London");
        assert_eq!(row.starts_at.to_string(), "2022-12-11 19:00:00");
        assert_eq!(
            row.ends_at.map(|e| e.to_string()).as_deref(),
            Some("2022-12-11 21:00:00")
        );
        assert_eq!(row.place_name.as_deref(), Some("The Kenn Centre"));
        assert_eq!(
            row.address.as_deref(),
            Some("Devon Expressway, EX6 7TW Teignbridge, England, United Kingdom")
        );
        assert_eq!(row.prefecture, None);
        assert!(row.latitude.is_some_and(|l| (l - 50.668).abs() < 0.01));
        assert_eq!(row.join_mode, "free");
        assert_eq!(row.capacity, None, "Mobilizon's 0 means no limit");
        assert_eq!(row.category.as_deref(), Some("SPORTS"));
        assert_eq!(row.event_status, "scheduled");
        assert_eq!(row.visibility, "public");
        assert!(
            row.banner_url
                .as_deref()
                .is_some_and(|b| b.contains("/media/"))
        );
        assert!(row.description.contains("ceilidhs"));
        assert_eq!(parsed.tags, vec!["dance", "caledonian", "lesson"]);
        assert_eq!(
            parsed.owner.as_str(),
            "https://rendezvous.nomagic.uk/@devon_caledonian_society"
        );
        assert_eq!(
            parsed.creator.as_ref().map(Url::as_str),
            Some("https://rendezvous.nomagic.uk/@emorrp1")
        );
    }

    #[test]
    fn a_gancio_style_event_reads_with_its_offset_and_online_place() {
        // As Gancio's `toAP` writes it: an Application actor, offsets but no zone name, an
        // array of a Place and a VirtualLocation, an image Document with a focal point.
        let value = json!({
            "@context": ["https://www.w3.org/ns/activitystreams"],
            "type": "Event",
            "id": "https://gancio.city-b.example/federation/m/42",
            "url": "https://gancio.city-b.example/event/bosai-seminar",
            "attributedTo": "https://gancio.city-b.example/federation/u/relay",
            "name": "防災セミナー",
            "summary": "市民会館, 3月12日 19:00",
            "content": "<p>地域防災の<b>勉強会</b><script>x()</script></p>",
            "startTime": "2027-03-12T19:00:00+09:00",
            "endTime": "2027-03-12T21:00:00+09:00",
            "location": [
                {"type": "Place", "name": "市民会館", "address": "札幌市中央区北1条西1丁目",
                 "latitude": 43.06, "longitude": 141.35},
                {"type": "VirtualLocation", "url": "https://meet.city-b.example/bosai"}
            ],
            "tag": [{"type": "Hashtag", "name": "#防災", "href": "https://gancio.city-b.example/tag/防災"}],
            "attachment": [{"type": "Document", "mediaType": "image/jpeg",
                            "url": "https://gancio.city-b.example/media/flyer.jpg",
                            "name": null, "focalPoint": [0.0, 0.0]}],
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": ["https://gancio.city-b.example/federation/u/relay/followers"],
            "published": "2027-02-01T00:00:00Z"
        });
        let parsed = parse_event(&event(value), None).unwrap_or_else(|e| panic!("{e}"));
        let row = &parsed.row;
        assert_eq!(row.timezone, "Asia/Tokyo", "from the +09:00 offset");
        assert_eq!(row.starts_at.to_string(), "2027-03-12 10:00:00");
        assert_eq!(row.place_name.as_deref(), Some("市民会館"));
        assert_eq!(row.address.as_deref(), Some("札幌市中央区北1条西1丁目"));
        assert_eq!(
            row.online_url.as_deref(),
            Some("https://meet.city-b.example/bosai")
        );
        assert_eq!(row.join_mode, "free");
        assert!(!row.description.contains("script"));
        assert_eq!(parsed.tags, vec!["防災"]);
        assert_eq!(
            row.banner_url.as_deref(),
            Some("https://gancio.city-b.example/media/flyer.jpg")
        );
    }

    #[test]
    fn events_without_name_or_from_elsewhere_are_refused() {
        let base = json!({"type": "Event", "id": "https://a.example/e/1",
                          "attributedTo": "https://a.example/u/1",
                          "startTime": "2027-03-12T19:00:00Z"});
        assert!(parse_event(&event(base.clone()), None).is_err(), "no name");
        let mut foreign = base.clone();
        foreign["name"] = json!("x");
        foreign["attributedTo"] = json!("https://b.example/u/1");
        assert!(
            parse_event(&event(foreign), None).is_err(),
            "organiser elsewhere"
        );
        let mut no_start = base;
        no_start["name"] = json!("x");
        no_start.as_object_mut().map(|m| m.remove("startTime"));
        assert!(parse_event(&event(no_start.clone()), None).is_err());
        assert!(parse_event(&event(no_start), Some(chrono::NaiveDateTime::default())).is_ok());
    }
}
