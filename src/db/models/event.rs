//! Event rows: events (local and remote, each with its status row sharing the id), series,
//! participants, the search grams, private calendar tokens and federation partners.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{
    calendar_tokens, event_participants, event_series, events, federation_partners,
};

/// One event (FEP-8a8e / Mobilizon). `id` is also the id of its status row.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Identifiable, AsChangeset)]
#[diesel(table_name = events, treat_none_as_null = true)]
pub struct EventRow {
    pub id: i64,
    pub ap_id: String,
    pub local: bool,
    pub organiser_id: i64,
    /// The group that organises it, when a group does.
    pub group_id: Option<i64>,
    pub title: String,
    /// Sanitised HTML.
    pub description: String,
    /// What the organiser typed, for editing (local events).
    pub description_source: Option<String>,
    /// UTC.
    pub starts_at: NaiveDateTime,
    /// UTC.
    pub ends_at: Option<NaiveDateTime>,
    /// IANA name, `Asia/Tokyo` unless the organiser chose another.
    pub timezone: String,
    pub place_name: Option<String>,
    pub address: Option<String>,
    /// JIS X 0401 code, 1 (Hokkaido) to 47 (Okinawa).
    pub prefecture: Option<i32>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub online_url: Option<String>,
    /// One of FEP-8a8e's categories (`MEETING`, `LEARNING`, ...).
    pub category: Option<String>,
    pub banner_url: Option<String>,
    /// `scheduled`, `cancelled`, `postponed` or `moved_online`.
    pub event_status: String,
    /// Places; `None` is unlimited.
    pub capacity: Option<i32>,
    /// `free`, `restricted` (organiser approves), `invite` or `external`.
    pub join_mode: String,
    /// Where to register when `join_mode` is `external`.
    pub external_url: Option<String>,
    /// `public`, `unlisted` or `private` (followers or group members).
    pub visibility: String,
    pub series_id: Option<i64>,
    /// Accepted participants (remote events: as their organiser reports).
    pub participant_count: i32,
    /// iCalendar SEQUENCE: raised on every change a calendar should see.
    pub sequence: i32,
    /// Normalised title, description, place and tags: what the directory searches.
    pub search_text: String,
    pub reminded_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A recurring series: its RFC 5545 rule; every occurrence is an event of its own.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = event_series)]
pub struct EventSeriesRow {
    pub id: i64,
    pub rrule: String,
    pub timezone: String,
    pub organiser_id: i64,
    pub created_at: NaiveDateTime,
}

/// One person's part in an event.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = event_participants)]
pub struct ParticipantRow {
    pub id: i64,
    pub event_id: i64,
    pub account_id: i64,
    /// `accepted`, `pending`, `waitlisted` (in id order), `tentative` or `rejected`.
    pub state: String,
    /// The id of the Join (or Accept/TentativeAccept) that asked, for remote participants.
    pub ap_id: Option<String>,
    pub message: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = event_participants)]
pub struct NewParticipant<'a> {
    pub event_id: i64,
    pub account_id: i64,
    pub state: &'a str,
    pub ap_id: Option<&'a str>,
    pub message: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A secret, revocable URL of a member's personal calendar (only the hash is kept).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = calendar_tokens)]
pub struct CalendarTokenRow {
    pub id: i64,
    pub account_id: i64,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

/// An instance actor or relay we exchange public events with.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = federation_partners)]
pub struct PartnerRow {
    pub id: i64,
    pub actor_id: i64,
    /// `instance`, `litepub_relay` or `mastodon_relay`.
    pub kind: String,
    /// `pending`, `accepted` or `rejected`.
    pub state: String,
    /// The id of our Follow, for the Undo.
    pub follow_ap_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
