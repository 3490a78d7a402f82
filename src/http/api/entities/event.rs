//! `Status.pleroma.event`: the event a status stands for, in Rebased's shape (what pl-fe reads)
//! plus our own fields.

use serde::Serialize;
use serde_json::{Value, json};

use crate::domain::events::display;
use crate::domain::events::rsvp;
use crate::domain::prefectures::Prefecture;
use crate::domain::status_views::EventView;
use crate::http::api::entities::time;

/// `pleroma` on a Status, present for events.
#[derive(Debug, Clone, Serialize)]
pub struct StatusPleroma {
    pub event: Event,
}

/// Rebased's `location`.
#[derive(Debug, Clone, Serialize)]
pub struct Location {
    pub name: Option<String>,
    pub url: Option<String>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub name: String,
    /// UTC, as Rebased answers.
    pub start_time: String,
    pub end_time: Option<String>,
    pub join_mode: String,
    pub participants_count: i32,
    pub location: Option<Location>,
    /// Rebased's view of the viewer's participation: `pending`, `accept` or `reject`.
    pub join_state: Option<String>,
    pub participation_request_count: Option<i64>,
    pub banner: Option<Value>,
    // Ours.
    /// IANA zone the times belong to.
    pub timezone: String,
    /// Start and end with the zone's offset (`2027-03-12T19:00:00+09:00`).
    pub local_start_time: String,
    pub local_end_time: Option<String>,
    pub capacity: Option<i32>,
    pub online_url: Option<String>,
    pub external_url: Option<String>,
    pub category: Option<String>,
    /// `scheduled`, `cancelled`, `postponed` or `moved_online`.
    pub event_status: String,
    /// The viewer's exact state: `accepted`, `pending`, `waitlisted`, `tentative`, `rejected`.
    pub participation_state: Option<String>,
    pub visibility: String,
    pub prefecture: Option<String>,
    pub series_id: Option<String>,
    pub sequence: i32,
    pub local: bool,
}

impl Event {
    pub fn from_view(view: &EventView) -> Event {
        let e = &view.event;
        let prefecture = e
            .prefecture
            .and_then(|p| u32::try_from(p).ok())
            .and_then(Prefecture::from_code);
        let has_place = e.place_name.is_some()
            || e.address.is_some()
            || e.latitude.is_some()
            || prefecture.is_some();
        Event {
            name: e.title.clone(),
            start_time: time::timestamp(e.starts_at),
            end_time: e.ends_at.map(time::timestamp),
            join_mode: e.join_mode.clone(),
            participants_count: e.participant_count,
            location: has_place.then(|| Location {
                name: e.place_name.clone(),
                url: None,
                longitude: e.longitude,
                latitude: e.latitude,
                street: e.address.clone(),
                postal_code: None,
                locality: None,
                region: prefecture.map(|p| p.name_ja().to_owned()),
                country: prefecture.map(|_| "JP".to_owned()),
            }),
            join_state: view.participation.as_deref().map(|state| {
                match state {
                    rsvp::ACCEPTED => "accept",
                    rsvp::REJECTED => "reject",
                    _ => "pending",
                }
                .to_owned()
            }),
            participation_request_count: view.pending_requests,
            banner: e.banner_url.as_ref().map(|url| {
                json!({
                    "id": format!("{}-banner", e.id),
                    "type": "image",
                    "url": url,
                    "preview_url": url,
                    "remote_url": url,
                    "preview_remote_url": null,
                    "text_url": null,
                    "meta": null,
                    "description": "Banner",
                    "blurhash": null,
                })
            }),
            timezone: e.timezone.clone(),
            local_start_time: display::local_rfc3339(e, e.starts_at.and_utc()),
            local_end_time: e.ends_at.map(|t| display::local_rfc3339(e, t.and_utc())),
            capacity: e.capacity,
            online_url: e.online_url.clone(),
            external_url: e.external_url.clone(),
            category: e.category.clone(),
            event_status: e.event_status.clone(),
            participation_state: view.participation.clone(),
            visibility: e.visibility.clone(),
            prefecture: prefecture.map(|p| p.code_string()),
            series_id: e.series_id.map(|id| id.to_string()),
            sequence: e.sequence,
            local: e.local,
        }
    }
}
