//! Event discovery: the directory and its filters, calendar and Atom feeds, the event pages, and
//! partners and relays carrying public events between instances.

mod cli;
mod directory;
mod feeds;
mod partners;
mod relay;

use chrono::{Duration, Utc};
use kakehashi::db::models::EventRow;
use kakehashi::domain::events::{self, EventDraft};
use kakehashi::state::AppState;

/// A start time `days` from now at 19:00 in Asia/Tokyo, as the events API takes it.
pub fn at_seven_pm(days: i64) -> String {
    let day = (Utc::now() + Duration::days(days))
        .with_timezone(&chrono_tz::Asia::Tokyo)
        .date_naive();
    format!("{}T19:00:00", day.format("%Y-%m-%d"))
}

/// A public event by `creator`; `adjust` fills in the rest.
pub async fn event(
    state: &AppState,
    creator: i64,
    title: &str,
    days: i64,
    adjust: impl FnOnce(&mut EventDraft),
) -> EventRow {
    let mut draft = EventDraft {
        title: title.to_owned(),
        description: format!("{title}の詳細です。"),
        start_time: at_seven_pm(days),
        end_time: Some(at_seven_pm(days).replace("T19:00", "T21:00")),
        timezone: Some("Asia/Tokyo".to_owned()),
        visibility: Some("public".to_owned()),
        ..EventDraft::default()
    };
    adjust(&mut draft);
    events::create(state, creator, draft)
        .await
        .expect("create event")
}
