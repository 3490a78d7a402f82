//! Reminders: shortly before an event starts (`events.reminder_lead_minutes`), each local
//! participant gets a `pleroma:event_reminder` notification, once per start time.

use chrono::{Duration, Utc};

use crate::db::store;
use crate::domain::change;
use crate::domain::notifications;
use crate::error::AppError;
use crate::state::AppState;

use super::rsvp::{self, ACCEPTED};

/// Most events reminded of in one pass; the next pass takes the rest.
const BATCH: i64 = 100;

/// Sends the reminders that are due; returns how many events were reminded of.
pub async fn send_due(state: &AppState) -> Result<usize, AppError> {
    let lead = i64::try_from(state.config.events.reminder_lead_minutes).unwrap_or(i64::MAX / 120);
    change(state, move |conn, fx| {
        let now = Utc::now().naive_utc();
        let until = now + Duration::minutes(lead);
        let due = store::events::due_for_reminder(conn, now, until, BATCH)?;
        for event in &due {
            for participant in store::events::participants_in_state(conn, event.id, ACCEPTED)? {
                notifications::notify(
                    conn,
                    fx,
                    participant.account_id,
                    event.organiser_id,
                    rsvp::kind::EVENT_REMINDER,
                    Some(event.id),
                )?;
            }
            store::events::set_reminded(conn, event.id, now)?;
        }
        Ok(due.len())
    })
    .await
}
