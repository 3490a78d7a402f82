//! The outbox: activities to send, written in the transaction of the change that caused them,
//! with one delivery per remote inbox.

use chrono::Utc;

use crate::db::models::{ActivityRow, DeliveryRow};
use crate::db::{DbConnection, ids, store};
use crate::domain::effects::Outgoing;
use crate::error::AppError;
use crate::federation_glue::{activities, discovery};
use crate::state::AppState;

/// Renders each outgoing activity, stores it and queues it for each remote inbox (a shared inbox
/// once). Returns how many deliveries were queued.
pub fn write(
    conn: &mut DbConnection,
    state: &AppState,
    outgoing: &[Outgoing],
) -> Result<usize, AppError> {
    let mut queued = 0;
    let own_host = state.urls.domain().to_lowercase();
    let mut all = Vec::new();
    for mut rendered in outgoing
        .iter()
        .map(|item| activities::render(conn, &state.urls, item))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
    {
        // A public local event also goes to partners and relays, whoever sent it.
        let (relay_inboxes, announce) = discovery::announce_extras(conn, &state.urls, &rendered)?;
        rendered.inboxes.extend(relay_inboxes);
        all.push(rendered);
        all.extend(announce);
    }
    for rendered in all {
        let now = Utc::now().naive_utc();
        let activity_id = ids::next_id();
        // An id can repeat (a second Accept of a re-sent Follow): keep the first row.
        if let Some(existing) = store::federation::find_activity_by_ap_id(conn, &rendered.ap_id)? {
            queue(
                conn,
                existing.id,
                &rendered.inboxes,
                &own_host,
                now,
                &mut queued,
            )?;
            continue;
        }
        store::federation::insert_activity(
            conn,
            &ActivityRow {
                id: activity_id,
                ap_id: rendered.ap_id.clone(),
                actor_id: rendered.actor_id,
                kind: rendered.kind.to_owned(),
                object_ap_id: rendered.object_ap_id.clone(),
                body: rendered.body.clone(),
                public: rendered.public,
                created_at: now,
            },
        )?;
        queue(
            conn,
            activity_id,
            &rendered.inboxes,
            &own_host,
            now,
            &mut queued,
        )?;
    }
    Ok(queued)
}

fn queue(
    conn: &mut DbConnection,
    activity_id: i64,
    inboxes: &[String],
    own_host: &str,
    now: chrono::NaiveDateTime,
    queued: &mut usize,
) -> Result<(), AppError> {
    let mut seen: Vec<&str> = Vec::new();
    for inbox in inboxes {
        if seen.contains(&inbox.as_str()) {
            continue;
        }
        seen.push(inbox);
        let Ok(parsed) = url::Url::parse(inbox) else {
            continue;
        };
        let domain = match (parsed.host_str(), parsed.port()) {
            (Some(host), Some(port)) => format!("{}:{port}", host.to_lowercase()),
            (Some(host), None) => host.to_lowercase(),
            _ => continue,
        };
        if domain == own_host {
            continue;
        }
        store::federation::insert_delivery(
            conn,
            &DeliveryRow {
                id: ids::next_id(),
                activity_id,
                inbox_url: inbox.clone(),
                domain,
                state: "pending".to_owned(),
                attempts: 0,
                next_attempt_at: now,
                claimed_until: None,
                last_error: None,
                created_at: now,
                updated_at: now,
            },
        )?;
        *queued += 1;
    }
    Ok(())
}
