//! Our events as ActivityPub: the `Event` object (FEP-8a8e plus Mobilizon's fields) and the
//! `Create`/`Update` that carry it.

use activitypub_federation::kinds::public;
use chrono::Utc;
use serde_json::{Map, Value, json};
use url::Url;

use crate::db::models::{AccountRow, EventRow, StatusRow};
use crate::db::{DbConnection, store};
use crate::domain::events::{self, display};
use crate::domain::prefectures::Prefecture;
use crate::domain::urls::Urls;
use crate::error::AppError;
use crate::federation_glue::activities::Rendered;
use crate::federation_glue::audience;

fn account(conn: &mut DbConnection, id: i64) -> Result<AccountRow, AppError> {
    store::accounts::find_by_id(conn, id)?.ok_or(AppError::NotFound)
}

/// FEP-8a8e `eventStatus`.
pub fn event_status(event: &EventRow) -> &'static str {
    match event.event_status.as_str() {
        events::CANCELLED => "EventCancelled",
        events::POSTPONED => "EventPostponed",
        events::MOVED_ONLINE => "EventMovedOnline",
        _ => "EventScheduled",
    }
}

/// iCalendar `STATUS` (Mobilizon's `status` / `ical:status`).
pub fn ical_status(event: &EventRow) -> &'static str {
    match event.event_status.as_str() {
        events::CANCELLED => "CANCELLED",
        events::POSTPONED => "TENTATIVE",
        _ => "CONFIRMED",
    }
}

/// `to`/`cc` of an event: public (to Public, cc followers), unlisted (to followers, cc Public),
/// private (to followers); followers are the organiser's and the group's.
pub fn addressing(
    event: &EventRow,
    organiser: &AccountRow,
    group: Option<&AccountRow>,
) -> (Vec<String>, Vec<String>) {
    let followers: Vec<String> = [Some(organiser), group]
        .into_iter()
        .flatten()
        .filter_map(|a| a.followers_url.clone())
        .collect();
    let public = public().to_string();
    match event.visibility.as_str() {
        "unlisted" => (followers, vec![public]),
        "private" => (followers, Vec::new()),
        _ => (vec![public], followers),
    }
}

fn location(event: &EventRow) -> Vec<Value> {
    let mut places = Vec::new();
    if event.place_name.is_some() || event.address.is_some() || event.latitude.is_some() {
        let mut place = Map::new();
        place.insert("type".into(), json!("Place"));
        if let Some(name) = &event.place_name {
            place.insert("name".into(), json!(name));
        }
        let prefecture = event
            .prefecture
            .and_then(|p| u32::try_from(p).ok())
            .and_then(Prefecture::from_code);
        if event.address.is_some() || prefecture.is_some() {
            let mut address = Map::new();
            address.insert("type".into(), json!("PostalAddress"));
            if let Some(street) = &event.address {
                address.insert("streetAddress".into(), json!(street));
            }
            if let Some(prefecture) = prefecture {
                address.insert("addressRegion".into(), json!(prefecture.name_ja()));
                address.insert("addressCountry".into(), json!("JP"));
            }
            place.insert("address".into(), Value::Object(address));
        }
        if let (Some(lat), Some(lon)) = (event.latitude, event.longitude) {
            place.insert("latitude".into(), json!(lat));
            place.insert("longitude".into(), json!(lon));
        }
        places.push(Value::Object(place));
    }
    if let Some(online) = &event.online_url {
        places
            .push(json!({"type": "VirtualLocation", "name": "オンライン / Online", "url": online}));
    }
    places
}

/// A local event as its `Event` document (without `@context`).
pub fn render_event(
    conn: &mut DbConnection,
    urls: &Urls,
    event: &EventRow,
) -> Result<Value, AppError> {
    let organiser = account(conn, event.organiser_id)?;
    let group = match event.group_id {
        Some(id) => Some(account(conn, id)?),
        None => None,
    };
    let status = store::statuses::find(conn, event.id)?;
    let page = status
        .as_ref()
        .and_then(|s| s.url.clone())
        .unwrap_or_else(|| event.ap_id.clone());
    let owner = group.as_ref().unwrap_or(&organiser);
    let (to, cc) = addressing(event, &organiser, group.as_ref());
    let tags: Vec<Value> = events::tags_of(conn, event.id)?
        .iter()
        .map(|name| {
            json!({"type": "Hashtag", "name": format!("#{name}"),
                   "href": urls.tag(&crate::domain::html::normalise_tag(name)).to_string()})
        })
        .collect();
    let mut object = json!({
        "type": "Event",
        "id": event.ap_id,
        "url": page,
        "attributedTo": owner.ap_id,
        "actor": organiser.ap_id,
        "organizers": [owner.ap_id],
        "name": event.title,
        "summary": display::summary(event),
        "content": event.description,
        "mediaType": "text/html",
        "startTime": display::local_rfc3339(event, event.starts_at.and_utc()),
        "timezone": event.timezone,
        "joinMode": event.join_mode,
        "participantCount": event.participant_count,
        "eventStatus": event_status(event),
        "status": ical_status(event),
        "commentsEnabled": true,
        "repliesModerationOption": "allow_all",
        "isOnline": event.online_url.is_some() && event.place_name.is_none() && event.address.is_none(),
        "attendees": format!("{}/attendees", event.ap_id),
        "contacts": [organiser.ap_id],
        "tag": tags,
        "published": event.created_at.and_utc(),
        "updated": event.updated_at.and_utc(),
        "to": to,
        "cc": cc,
    });
    let Some(map) = object.as_object_mut() else {
        return Err(AppError::internal("event JSON is an object"));
    };
    if let Some(source) = &event.description_source {
        map.insert(
            "source".into(),
            json!({"content": source, "mediaType": "text/plain"}),
        );
    }
    if let Some(end) = event.ends_at {
        map.insert(
            "endTime".into(),
            json!(display::local_rfc3339(event, end.and_utc())),
        );
    }
    let places = location(event);
    match places.len() {
        0 => {}
        1 => {
            map.insert("location".into(), places[0].clone());
        }
        _ => {
            map.insert("location".into(), Value::Array(places));
        }
    }
    if let Some(external) = &event.external_url {
        map.insert("externalParticipationUrl".into(), json!(external));
    }
    if let Some(capacity) = event.capacity {
        map.insert("maximumAttendeeCapacity".into(), json!(capacity));
        map.insert(
            "remainingAttendeeCapacity".into(),
            json!((capacity - event.participant_count).max(0)),
        );
    }
    if let Some(category) = &event.category {
        map.insert("category".into(), json!(category));
    }
    let mut attachment = Vec::new();
    if let Some(banner) = &event.banner_url {
        map.insert("image".into(), json!({"type": "Image", "url": banner}));
        attachment.push(json!({"type": "Document", "name": "Banner", "url": banner,
                               "mediaType": media_type_of(banner)}));
    }
    if let Some(online) = &event.online_url {
        // Mobilizon reads the online address only from this Link.
        attachment.push(
            json!({"type": "Link", "name": "Website", "href": online, "mediaType": "text/html"}),
        );
    }
    if !attachment.is_empty() {
        map.insert("attachment".into(), Value::Array(attachment));
    }
    Ok(object)
}

fn media_type_of(url: &str) -> &'static str {
    let lower = url.to_lowercase();
    if lower.ends_with(".png") {
        "image/png"
    } else if lower.ends_with(".webp") {
        "image/webp"
    } else if lower.ends_with(".gif") {
        "image/gif"
    } else {
        "image/jpeg"
    }
}

fn with_context(mut value: Value) -> Value {
    if let Some(map) = value.as_object_mut() {
        map.insert(
            "@context".to_owned(),
            kakehashi_federation::context::context().clone(),
        );
    }
    value
}

/// A document with our `@context`, as a string.
pub fn body(value: Value) -> String {
    with_context(value).to_string()
}

/// Remote inboxes an event's activities go to beyond a status's usual audience: the group's
/// remote followers and the remote participants (so their servers can tell them of changes).
pub fn extra_inboxes(conn: &mut DbConnection, status: &StatusRow) -> Result<Vec<String>, AppError> {
    let mut inboxes = Vec::new();
    if let Some(group) = status.group_id {
        inboxes.extend(store::relations::remote_follower_inboxes(conn, group)?);
    }
    let accounts: Vec<i64> = store::events::participants(conn, status.id)?
        .into_iter()
        .map(|p| p.account_id)
        .collect();
    for account in store::accounts::find_many(conn, &accounts)? {
        if !account.is_local() {
            inboxes.push(
                account
                    .shared_inbox_url
                    .clone()
                    .unwrap_or(account.inbox_url),
            );
        }
    }
    Ok(inboxes)
}

/// `Create` (new) or `Update` (edited) of a local event, to everyone who should have it.
pub fn create_or_update(
    conn: &mut DbConnection,
    urls: &Urls,
    status: &StatusRow,
    update: bool,
) -> Result<Option<Rendered>, AppError> {
    let Some(event) = store::events::find(conn, status.id)? else {
        return Ok(None);
    };
    let object = render_event(conn, urls, &event)?;
    let (kind, ap_id) = if update {
        (
            "Update",
            format!(
                "{}#updates/{}-{}",
                event.ap_id,
                event.sequence,
                Utc::now().timestamp_millis()
            ),
        )
    } else {
        ("Create", format!("{}/activity", event.ap_id))
    };
    let activity = json!({
        "type": kind,
        "id": ap_id,
        "actor": object["actor"],
        "object": object,
        "to": object["to"],
        "cc": object["cc"],
        "published": Utc::now(),
    });
    let public = event.visibility == "public";
    Ok(Some(Rendered {
        ap_id,
        actor_id: event.organiser_id,
        kind: if update { "Update" } else { "Create" },
        object_ap_id: Some(event.ap_id.clone()),
        body: body(activity),
        public,
        inboxes: audience::status_inboxes(conn, status, update)?,
    }))
}

/// A URL we stored, parsed.
pub fn parse_url(text: &str) -> Result<Url, AppError> {
    crate::federation_glue::render::url(text)
}
