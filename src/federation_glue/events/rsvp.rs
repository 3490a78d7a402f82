//! Taking part across servers: the `Join`, `Leave`, `Accept` and `Reject` we send, and those
//! (plus Friendica's `Accept`/`TentativeAccept`/`Reject` of an event) we receive.

use chrono::Utc;
use kakehashi_federation::fetch::same_origin;
use kakehashi_federation::protocol::activities as wire;
use kakehashi_federation::protocol::document::ObjectOrActivity;
use kakehashi_federation::protocol::values::IdOrObject;
use serde_json::json;
use url::Url;

use crate::db::models::AccountRow;
use crate::db::{DbConnection, ids, store};
use crate::domain::change;
use crate::domain::effects::RsvpOutgoing;
use crate::domain::events::rsvp;
use crate::error::AppError;
use crate::federation_glue::activities::Rendered;

use super::render::body;
use crate::state::AppState;

fn account(conn: &mut DbConnection, id: i64) -> Result<AccountRow, AppError> {
    store::accounts::find_by_id(conn, id)?.ok_or(AppError::NotFound)
}

fn inbox(account: &AccountRow) -> String {
    account
        .shared_inbox_url
        .clone()
        .unwrap_or_else(|| account.inbox_url.clone())
}

/// Renders one participation activity.
pub fn render_rsvp(
    conn: &mut DbConnection,
    outgoing: &RsvpOutgoing,
) -> Result<Option<Rendered>, AppError> {
    match outgoing {
        RsvpOutgoing::Answer {
            participant_id,
            accept,
        } => {
            let Some(participant) = store::events::find_participant_by_id(conn, *participant_id)?
            else {
                return Ok(None);
            };
            let Some(join_id) = participant.ap_id.clone() else {
                return Ok(None);
            };
            let Some(event) = store::events::find(conn, participant.event_id)? else {
                return Ok(None);
            };
            let organiser = account(conn, event.organiser_id)?;
            let member = account(conn, participant.account_id)?;
            let kind = if *accept { "Accept" } else { "Reject" };
            let ap_id = format!(
                "{}/participants/{}#{}",
                event.ap_id,
                participant.id,
                kind.to_lowercase()
            );
            let mut activity = json!({
                "type": kind,
                "id": ap_id,
                "actor": organiser.ap_id,
                "object": {
                    "type": "Join",
                    "id": join_id,
                    "actor": member.ap_id,
                    "object": event.ap_id,
                },
                "to": [member.ap_id],
                "published": Utc::now(),
            });
            if let Some(group) = event.group_id {
                activity["attributedTo"] = json!(account(conn, group)?.ap_id);
            }
            Ok(Some(Rendered {
                ap_id,
                actor_id: organiser.id,
                kind: if *accept { "Accept" } else { "Reject" },
                object_ap_id: Some(join_id),
                body: body(activity),
                public: false,
                inboxes: vec![member.inbox_url.clone()],
            }))
        }
        RsvpOutgoing::Join { participant_id } => {
            let Some(participant) = store::events::find_participant_by_id(conn, *participant_id)?
            else {
                return Ok(None);
            };
            let Some(join_id) = participant.ap_id.clone() else {
                return Ok(None);
            };
            let event = super::find_event(conn, participant.event_id)?;
            let member = account(conn, participant.account_id)?;
            let organiser = account(conn, event.organiser_id)?;
            let mut to = vec![organiser.ap_id.clone()];
            let mut inboxes = vec![inbox(&organiser)];
            if let Some(group) = event.group_id {
                let group = account(conn, group)?;
                to.push(group.ap_id.clone());
                inboxes.push(inbox(&group));
            }
            let mut activity = json!({
                "type": "Join",
                "id": join_id,
                "actor": member.ap_id,
                "object": event.ap_id,
                "to": to,
                "published": participant.created_at.and_utc(),
            });
            if !participant.message.is_empty() {
                activity["participationMessage"] = json!(participant.message);
            }
            Ok(Some(Rendered {
                ap_id: join_id,
                actor_id: member.id,
                kind: "Join",
                object_ap_id: Some(event.ap_id.clone()),
                body: body(activity),
                public: false,
                inboxes,
            }))
        }
        RsvpOutgoing::Leave {
            event_id,
            account_id,
            join_ap_id,
        } => {
            let event = super::find_event(conn, *event_id)?;
            let member = account(conn, *account_id)?;
            let organiser = account(conn, event.organiser_id)?;
            let ap_id = format!("{}#leaves/{}", member.ap_id, ids::next_id());
            let mut inboxes = vec![inbox(&organiser)];
            if let Some(group) = event.group_id {
                inboxes.push(inbox(&account(conn, group)?));
            }
            let mut activity = json!({
                "type": "Leave",
                "id": ap_id,
                "actor": member.ap_id,
                "object": event.ap_id,
                "to": [organiser.ap_id],
                "published": Utc::now(),
            });
            if let Some(join) = join_ap_id {
                // Not part of Leave; lets a receiver that keys participations by Join find it.
                activity["inReplyTo"] = json!(join);
            }
            Ok(Some(Rendered {
                ap_id,
                actor_id: member.id,
                kind: "Leave",
                object_ap_id: Some(event.ap_id.clone()),
                body: body(activity),
                public: false,
                inboxes,
            }))
        }
    }
}

/// A local event by its ActivityPub id.
fn local_event_id(conn: &mut DbConnection, ap_id: &str) -> Result<Option<i64>, AppError> {
    Ok(store::events::find_by_ap_id(conn, ap_id)?
        .filter(|e| e.local)
        .map(|e| e.id))
}

/// `Join` of one of our events.
pub async fn receive_join(
    state: &AppState,
    join: &wire::Join,
    actor: &AccountRow,
) -> Result<(), AppError> {
    let event_ap_id = join.object.to_string();
    let join_id = join.id.to_string();
    let message = join.participation_message.clone().unwrap_or_default();
    let account_id = actor.id;
    change(state, move |conn, fx| {
        let Some(event_id) = local_event_id(conn, &event_ap_id)? else {
            // A group Join, or an event not ours: not for this module.
            return Ok(());
        };
        rsvp::admit(
            conn,
            fx,
            event_id,
            account_id,
            Some(&join_id),
            &message,
            true,
        )?;
        Ok(())
    })
    .await
}

/// Whether a `Join` names one of our events (rather than, say, a group).
pub async fn is_event_join(state: &AppState, object: &Url) -> Result<bool, AppError> {
    let ap_id = object.to_string();
    state
        .db
        .run(move |conn| Ok(store::events::find_by_ap_id(conn, &ap_id)?.is_some()))
        .await
}

/// `Leave` of one of our events, or `Undo` of a `Join` (by its id or embedded).
pub async fn receive_leave(
    state: &AppState,
    event: Option<&Url>,
    join_id: Option<&Url>,
    actor: &AccountRow,
) -> Result<(), AppError> {
    let event_ap_id = event.map(Url::to_string);
    let join_id = join_id.map(Url::to_string);
    let account_id = actor.id;
    change(state, move |conn, fx| {
        let mut participant = match &join_id {
            Some(id) => store::events::find_participant_by_ap_id(conn, id)?,
            None => None,
        };
        if participant.is_none()
            && let Some(ap_id) = &event_ap_id
            && let Some(event_id) = local_event_id(conn, ap_id)?
        {
            participant = store::events::find_participant(conn, event_id, account_id)?;
        }
        let Some(participant) = participant.filter(|p| p.account_id == account_id) else {
            return Ok(());
        };
        let event = super::find_event(conn, participant.event_id)?;
        if event.local {
            rsvp::withdraw(conn, fx, event.id, &participant)?;
        }
        Ok(())
    })
    .await
}

/// Which answer arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Accept,
    TentativeAccept,
    Reject,
}

/// `Accept`, `Reject` or `TentativeAccept` that concerns events: an organiser answering our
/// member's `Join`, or (Friendica) someone answering one of our events directly. Returns
/// whether it was about an event (otherwise it is a follow's answer).
pub async fn receive_answer(
    state: &AppState,
    answer: Answer,
    activity_id: &Url,
    object: &IdOrObject<ObjectOrActivity>,
    actor: &AccountRow,
) -> Result<bool, AppError> {
    let object_id = object.id().to_string();
    let activity_id = activity_id.to_string();
    let actor = actor.clone();
    let actor_url = super::render::parse_url(&actor.ap_id)?;
    change(state, move |conn, fx| {
        if let Some(participant) = store::events::find_participant_by_ap_id(conn, &object_id)? {
            let event = super::find_event(conn, participant.event_id)?;
            let member = account(conn, participant.account_id)?;
            let event_url = super::render::parse_url(&event.ap_id)?;
            if event.local || !member.is_local() || !same_origin(&event_url, &actor_url) {
                return Err(AppError::Forbidden(
                    "Only the event's server may answer a join".to_owned(),
                ));
            }
            match answer {
                Answer::Accept => rsvp::answered(conn, fx, &participant, true)?,
                Answer::Reject => rsvp::answered(conn, fx, &participant, false)?,
                Answer::TentativeAccept => {}
            }
            return Ok(true);
        }
        let Some(event_id) = local_event_id(conn, &object_id)? else {
            return Ok(false);
        };
        match answer {
            Answer::Accept => {
                rsvp::admit(conn, fx, event_id, actor.id, Some(&activity_id), "", false)?;
            }
            Answer::TentativeAccept => {
                let event = super::find_event(conn, event_id)?;
                rsvp::tentative(conn, &event, actor.id, &activity_id)?;
            }
            Answer::Reject => {
                if let Some(participant) =
                    store::events::find_participant(conn, event_id, actor.id)?
                {
                    rsvp::withdraw(conn, fx, event_id, &participant)?;
                }
            }
        }
        Ok(true)
    })
    .await
}
