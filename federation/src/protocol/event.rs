//! Events: FEP-8a8e with Mobilizon's fields. Where they happen is in [`super::place`].

use super::{
    attachment::Attachment,
    helpers::{deserialize_ids, deserialize_link, deserialize_vec_lenient, serialize_one_or_many},
    place::Location,
    tag::Tag,
    values::{Addressing, HasId, Source},
};
use activitypub_federation::{kinds::object::EventType, protocol::helpers::deserialize_skip_error};
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

/// An event.
///
/// Times keep the sender's offset (Mobilizon shifts them to the event's time zone); `timezone`
/// is the IANA zone, which an offset alone cannot give back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// Always `Event`.
    #[serde(rename = "type")]
    pub kind: EventType,
    /// The event's URL, its identity.
    pub id: Url,
    /// The organiser: the owning group, or the person when there is no group. Sent as one id.
    #[serde(
        default,
        deserialize_with = "deserialize_ids",
        serialize_with = "serialize_one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub attributed_to: Vec<Url>,
    /// The member who created it (Mobilizon).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub actor: Option<Url>,
    /// The title, plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Date, time and place as text: the only part Mastodon shows besides the title.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub summary: Option<String>,
    /// The description, as HTML.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub content: Option<String>,
    /// The media type of `content`.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub media_type: Option<String>,
    /// The description as written.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<Source>,
    /// The event's page.
    #[serde(
        default,
        deserialize_with = "deserialize_link",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<Url>,
    /// When it starts. Absent while postponed (FEP-8a8e); unreadable is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<DateTime<FixedOffset>>,
    /// When it ends; absent for an open end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<DateTime<FixedOffset>>,
    /// The IANA time zone, e.g. `Asia/Tokyo` (`mz:timezone`).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub timezone: Option<String>,
    /// Where: one place, or several for a hybrid event. Plain-text locations are dropped.
    #[serde(
        default,
        deserialize_with = "deserialize_vec_lenient",
        serialize_with = "serialize_one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub location: Vec<Location>,
    /// How people take part (`mz:joinMode`).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub join_mode: Option<JoinMode>,
    /// Where to register when `joinMode` is `external`.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub external_participation_url: Option<Url>,
    /// How many take part (`mz:participantCount`).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub participant_count: Option<u64>,
    /// The capacity; Mobilizon sends 0 for "no limit".
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub maximum_attendee_capacity: Option<u64>,
    /// Seats left.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub remaining_attendee_capacity: Option<u64>,
    /// One of FEP-8a8e's shared categories (MEETING, LEARNING, ...).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub category: Option<String>,
    /// FEP-8a8e's status (schema.org `EventScheduled`, `EventCancelled`, ...).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_status: Option<EventStatus>,
    /// The iCalendar status (`TENTATIVE`, `CONFIRMED` or `CANCELLED`) under its plain name,
    /// as Mobilizon 4 and later send it.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<String>,
    /// The same under the prefixed name older Mobilizon reads and sends. A separate field,
    /// not a serde alias: a document carrying both names would be a duplicate-field error.
    #[serde(
        rename = "ical:status",
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub ical_status: Option<String>,
    /// Whether it happens online only (Mobilizon).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_online: Option<bool>,
    /// Whether comments are accepted (PeerTube's term, which Mobilizon also sends).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub comments_enabled: Option<bool>,
    /// Actors to contact about the event.
    #[serde(
        default,
        deserialize_with = "deserialize_vec_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub contacts: Vec<Url>,
    /// Who may see it.
    #[serde(flatten)]
    pub addressing: Addressing,
    /// Hashtags and mentions.
    #[serde(
        default,
        deserialize_with = "deserialize_vec_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tag: Vec<Tag>,
    /// The banner (a `Document` named "Banner"), a "Website" `Link`, extra `PropertyValue`s.
    #[serde(
        default,
        deserialize_with = "deserialize_vec_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub attachment: Vec<Attachment>,
    /// When it was published.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub published: Option<DateTime<Utc>>,
    /// When it last changed.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated: Option<DateTime<Utc>>,
}

impl Event {
    /// The iCalendar status under either name.
    pub fn ical_status(&self) -> Option<&str> {
        self.status.as_deref().or(self.ical_status.as_deref())
    }
}

impl HasId for Event {
    fn id(&self) -> &Url {
        &self.id
    }
}

/// How people join an event (Mobilizon, FEP-8a8e).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JoinMode {
    /// A `Join` is accepted at once.
    Free,
    /// A `Join` waits for the organiser's `Accept` or `Reject`.
    Restricted,
    /// Only invited people take part.
    Invite,
    /// Registration happens elsewhere (`externalParticipationUrl`).
    External,
    /// The server does not take part in RSVPs; answer a `Join` with `Ignore` (FEP-8a8e).
    None,
}

/// FEP-8a8e `eventStatus`, schema.org's EventStatusType.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventStatus {
    /// Going ahead as planned.
    EventScheduled,
    /// Cancelled.
    EventCancelled,
    /// Postponed to a date not yet known.
    EventPostponed,
    /// Moved to a new date.
    EventRescheduled,
    /// Moved online.
    EventMovedOnline,
    /// Not yet confirmed.
    EventTentative,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_hybrid_fep_8a8e_event_parses() {
        let event: Event = serde_json::from_value(json!({
            "type": "Event", "id": "https://a.example/events/1",
            "attributedTo": "https://a.example/groups/gis",
            "name": "Regional GIS staff meetup",
            "startTime": "2026-03-12T18:00:00+09:00", "endTime": "2026-03-12T20:00:00+09:00",
            "timezone": "Asia/Tokyo",
            "location": [
                {"type": "Place", "name": "Town Hall", "address": {"type": "PostalAddress",
                 "streetAddress": "1-1", "postalCode": "100-0001", "addressLocality": "Chiyoda",
                 "addressRegion": "Tokyo", "addressCountry": "JP"}, "latitude": 35.68, "longitude": 139.76},
                {"type": "VirtualLocation", "name": "Video call", "url": "https://meet.a.example/1"},
                "Somewhere"
            ],
            "joinMode": "restricted", "maximumAttendeeCapacity": 40, "remainingAttendeeCapacity": null,
            "participantCount": 12, "category": "MEETING", "eventStatus": "EventScheduled",
            "ical:status": "CONFIRMED"
        }))
        .unwrap();
        assert_eq!(
            event.location.len(),
            2,
            "the plain-text location is dropped"
        );
        assert!(matches!(event.location[1], Location::Virtual(_)));
        assert_eq!(event.join_mode, Some(JoinMode::Restricted));
        assert_eq!(event.ical_status(), Some("CONFIRMED"));
        assert_eq!(event.remaining_attendee_capacity, None);
        assert_eq!(
            event.start_time.unwrap().offset().local_minus_utc(),
            9 * 3600,
            "the sender's offset is kept"
        );
    }

    #[test]
    fn both_names_of_the_ical_status_may_appear_together() {
        let event: Event = serde_json::from_value(json!({
            "type": "Event", "id": "https://a.example/events/1",
            "status": "CANCELLED", "ical:status": "CANCELLED"
        }))
        .unwrap();
        assert_eq!(event.ical_status(), Some("CANCELLED"));
    }

    #[test]
    fn an_unreadable_start_time_rejects_the_event() {
        assert!(
            serde_json::from_value::<Event>(json!({
                "type": "Event", "id": "https://a.example/events/1", "startTime": "next Tuesday"
            }))
            .is_err()
        );
    }
}
