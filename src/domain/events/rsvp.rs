//! Taking part: joining (free, approval, invite-only or elsewhere), the capacity and its waiting
//! list, leaving, the organiser's decisions, and the answers exchanged with other servers.
//!
//! Every change runs in one transaction that first takes the event's row lock and counts the
//! accepted participants inside it, so concurrent joins cannot overbook.

use chrono::Utc;

use crate::db::models::{EventRow, NewParticipant, ParticipantRow};
use crate::db::{DbConnection, ids, store};
use crate::domain::effects::{Effects, Outgoing, RsvpOutgoing};
use crate::domain::notifications;
use crate::domain::{change, groups, visibility};
use crate::error::AppError;
use crate::state::AppState;

use super::{CANCELLED, EXTERNAL, INVITE, RESTRICTED, find, require_manager};

pub const ACCEPTED: &str = "accepted";
pub const PENDING: &str = "pending";
pub const WAITLISTED: &str = "waitlisted";
pub const TENTATIVE: &str = "tentative";
pub const REJECTED: &str = "rejected";

/// Notification types pl-fe knows (Rebased's).
pub mod kind {
    /// To the organiser: someone joined or asks to join.
    pub const PARTICIPATION_REQUEST: &str = "pleroma:participation_request";
    /// To the participant: accepted (at once, by the organiser, or from the waiting list).
    pub const PARTICIPATION_ACCEPTED: &str = "pleroma:participation_accepted";
    /// To participants, before the start.
    pub const EVENT_REMINDER: &str = "pleroma:event_reminder";
}

/// Where someone asking to join a local event ends up, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admission {
    Accepted,
    /// Waiting for the organiser (restricted events).
    Pending,
    /// The event is full: on the waiting list.
    Waitlisted,
    Refused(String),
}

impl Admission {
    fn state(&self) -> &'static str {
        match self {
            Admission::Accepted => ACCEPTED,
            Admission::Pending => PENDING,
            Admission::Waitlisted => WAITLISTED,
            Admission::Refused(_) => REJECTED,
        }
    }
}

fn count_accepted(conn: &mut DbConnection, event_id: i64) -> Result<i64, AppError> {
    Ok(store::events::count_in_state(conn, event_id, ACCEPTED)?)
}

/// Sets the event's `participant_count` from its accepted participants.
pub fn recount(conn: &mut DbConnection, event_id: i64) -> Result<i32, AppError> {
    let count = i32::try_from(count_accepted(conn, event_id)?).unwrap_or(i32::MAX);
    store::events::set_participant_count(conn, event_id, count)?;
    Ok(count)
}

fn has_room(conn: &mut DbConnection, event: &EventRow) -> Result<bool, AppError> {
    Ok(match event.capacity {
        None => true,
        Some(capacity) => count_accepted(conn, event.id)? < i64::from(capacity),
    })
}

/// How the event's rules answer `account_id` (the event row is locked by the caller).
fn decide(
    conn: &mut DbConnection,
    event: &EventRow,
    account_id: i64,
) -> Result<Admission, AppError> {
    if event.event_status == CANCELLED {
        return Ok(Admission::Refused("This event is cancelled".to_owned()));
    }
    if event.organiser_id == account_id {
        return Ok(Admission::Refused(
            "The organiser takes part already".to_owned(),
        ));
    }
    match event.join_mode.as_str() {
        EXTERNAL => {
            return Ok(Admission::Refused(format!(
                "Registration is at {}",
                event.external_url.as_deref().unwrap_or("another site")
            )));
        }
        INVITE => {
            let invited = match event.group_id {
                Some(group) => groups::standing(conn, group, account_id)?.member,
                None => false,
            };
            if !invited {
                return Ok(Admission::Refused(
                    "This event is by invitation only".to_owned(),
                ));
            }
        }
        RESTRICTED => return Ok(Admission::Pending),
        _ => {}
    }
    if has_room(conn, event)? {
        Ok(Admission::Accepted)
    } else {
        Ok(Admission::Waitlisted)
    }
}

/// Someone (local, or remote with the id of their `Join`) asks to join a local event. A
/// remote participant gets the `Accept` or `Reject` (a waitlisted one gets the `Accept` when
/// promoted) unless `answer` is false (Friendica's RSVP is itself the answer).
pub fn admit(
    conn: &mut DbConnection,
    fx: &mut Effects,
    event_id: i64,
    account_id: i64,
    join_ap_id: Option<&str>,
    message: &str,
    answer: bool,
) -> Result<(Admission, Option<ParticipantRow>), AppError> {
    store::events::lock(conn, event_id)?;
    let event = find(conn, event_id)?;
    let existing = store::events::find_participant(conn, event.id, account_id)?;
    if let Some(existing) = &existing
        && existing.state != REJECTED
        && existing.state != TENTATIVE
    {
        // Asked before: the same answer again (a re-sent Join gets its Accept again).
        let admission = match existing.state.as_str() {
            ACCEPTED => Admission::Accepted,
            PENDING => Admission::Pending,
            _ => Admission::Waitlisted,
        };
        if answer && existing.state == ACCEPTED && join_ap_id.is_some() {
            fx.send(Outgoing::Rsvp(RsvpOutgoing::Answer {
                participant_id: existing.id,
                accept: true,
            }));
        }
        return Ok((admission, Some(existing.clone())));
    }
    let admission = decide(conn, &event, account_id)?;
    let remote = join_ap_id.is_some();
    if matches!(admission, Admission::Refused(_)) && !remote {
        return Ok((admission, None));
    }
    let now = Utc::now().naive_utc();
    let message: String = message.chars().take(1000).collect();
    let participant = match existing {
        Some(row) => {
            store::events::set_participant_state(conn, row.id, admission.state(), join_ap_id, now)?;
            row.id
        }
        None => {
            store::events::insert_participant(
                conn,
                &NewParticipant {
                    event_id: event.id,
                    account_id,
                    state: admission.state(),
                    ap_id: join_ap_id,
                    message: &message,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            store::events::find_participant(conn, event.id, account_id)?
                .ok_or(AppError::NotFound)?
                .id
        }
    };
    recount(conn, event.id)?;
    match &admission {
        Admission::Accepted | Admission::Pending | Admission::Waitlisted => {
            notifications::notify(
                conn,
                fx,
                event.organiser_id,
                account_id,
                kind::PARTICIPATION_REQUEST,
                Some(event.id),
            )?;
        }
        Admission::Refused(_) => {}
    }
    if remote && answer {
        match admission {
            Admission::Accepted => fx.send(Outgoing::Rsvp(RsvpOutgoing::Answer {
                participant_id: participant,
                accept: true,
            })),
            Admission::Refused(_) => fx.send(Outgoing::Rsvp(RsvpOutgoing::Answer {
                participant_id: participant,
                accept: false,
            })),
            Admission::Pending | Admission::Waitlisted => {}
        }
    }
    let row = store::events::find_participant_by_id(conn, participant)?;
    Ok((admission, row))
}

/// A local member joins an event, local or on another server (then our `Join` goes there and
/// the participation is pending until its answer). Returns the participation.
pub async fn join(
    state: &AppState,
    account_id: i64,
    event_id: i64,
    message: String,
) -> Result<ParticipantRow, AppError> {
    change(state, move |conn, fx| {
        visibility::visible_status(conn, Some(account_id), event_id)?;
        let event = find(conn, event_id)?;
        if event.local {
            let (admission, row) = admit(conn, fx, event.id, account_id, None, &message, true)?;
            return match (admission, row) {
                (Admission::Refused(reason), _) => Err(AppError::Unprocessable(reason)),
                (_, Some(row)) => Ok(row),
                (_, None) => Err(AppError::NotFound),
            };
        }
        if let Some(existing) = store::events::find_participant(conn, event.id, account_id)?
            && existing.state != REJECTED
        {
            return Ok(existing);
        }
        if event.event_status == CANCELLED {
            return Err(AppError::Unprocessable(
                "This event is cancelled".to_owned(),
            ));
        }
        if event.join_mode == EXTERNAL {
            return Err(AppError::Unprocessable(format!(
                "Registration is at {}",
                event.external_url.as_deref().unwrap_or("another site")
            )));
        }
        let member = store::accounts::find_by_id(conn, account_id)?.ok_or(AppError::NotFound)?;
        let join_id = format!("{}#joins/{}", member.ap_id, ids::next_id());
        let now = Utc::now().naive_utc();
        let message: String = message.chars().take(1000).collect();
        if let Some(old) = store::events::find_participant(conn, event.id, account_id)? {
            store::events::delete_participant(conn, old.id)?;
        }
        store::events::insert_participant(
            conn,
            &NewParticipant {
                event_id: event.id,
                account_id,
                state: PENDING,
                ap_id: Some(&join_id),
                message: &message,
                created_at: now,
                updated_at: now,
            },
        )?;
        let row = store::events::find_participant(conn, event.id, account_id)?
            .ok_or(AppError::NotFound)?;
        fx.send(Outgoing::Rsvp(RsvpOutgoing::Join {
            participant_id: row.id,
        }));
        Ok(row)
    })
    .await
}

/// Removes a participation from a local event; a place it frees goes to the waiting list.
pub fn withdraw(
    conn: &mut DbConnection,
    fx: &mut Effects,
    event_id: i64,
    participant: &ParticipantRow,
) -> Result<(), AppError> {
    store::events::lock(conn, event_id)?;
    store::events::delete_participant(conn, participant.id)?;
    recount(conn, event_id)?;
    let event = find(conn, event_id)?;
    fill_places(conn, fx, &event)
}

/// A local member leaves an event (for a remote one, our `Leave` goes there).
pub async fn leave(state: &AppState, account_id: i64, event_id: i64) -> Result<(), AppError> {
    change(state, move |conn, fx| {
        let event = find(conn, event_id)?;
        let participant = store::events::find_participant(conn, event.id, account_id)?
            .ok_or_else(|| AppError::Unprocessable("You are not taking part".to_owned()))?;
        if event.local {
            return withdraw(conn, fx, event.id, &participant);
        }
        store::events::delete_participant(conn, participant.id)?;
        fx.send(Outgoing::Rsvp(RsvpOutgoing::Leave {
            event_id: event.id,
            account_id,
            join_ap_id: participant.ap_id.clone(),
        }));
        Ok(())
    })
    .await
}

/// Promotes people from the waiting list, in the order they asked, while the event has room.
pub fn fill_places(
    conn: &mut DbConnection,
    fx: &mut Effects,
    event: &EventRow,
) -> Result<(), AppError> {
    if !event.local || event.event_status == CANCELLED {
        return Ok(());
    }
    for waiting in store::events::participants_in_state(conn, event.id, WAITLISTED)? {
        if !has_room(conn, event)? {
            break;
        }
        accept(conn, fx, event, &waiting)?;
    }
    recount(conn, event.id)?;
    Ok(())
}

/// Accepts one participation: the participant is told (a remote one by an `Accept`).
fn accept(
    conn: &mut DbConnection,
    fx: &mut Effects,
    event: &EventRow,
    participant: &ParticipantRow,
) -> Result<(), AppError> {
    let now = Utc::now().naive_utc();
    store::events::set_participant_state(
        conn,
        participant.id,
        ACCEPTED,
        participant.ap_id.as_deref(),
        now,
    )?;
    notifications::notify(
        conn,
        fx,
        participant.account_id,
        event.organiser_id,
        kind::PARTICIPATION_ACCEPTED,
        Some(event.id),
    )?;
    let remote =
        store::accounts::find_by_id(conn, participant.account_id)?.is_some_and(|a| !a.is_local());
    if remote && participant.ap_id.is_some() {
        fx.send(Outgoing::Rsvp(RsvpOutgoing::Answer {
            participant_id: participant.id,
            accept: true,
        }));
    }
    Ok(())
}

/// The organiser (or a group moderator) accepts or rejects a pending (or waitlisted) request.
/// An acceptance beyond the capacity puts the person on the waiting list.
pub async fn decide_request(
    state: &AppState,
    manager_id: i64,
    event_id: i64,
    participant_account_id: i64,
    approve: bool,
) -> Result<ParticipantRow, AppError> {
    change(state, move |conn, fx| {
        store::events::lock(conn, event_id)?;
        let event = find(conn, event_id)?;
        require_manager(conn, &event, manager_id)?;
        let participant = store::events::find_participant(conn, event.id, participant_account_id)?
            .filter(|p| p.state == PENDING || p.state == WAITLISTED)
            .ok_or(AppError::NotFound)?;
        if approve {
            if has_room(conn, &event)? {
                accept(conn, fx, &event, &participant)?;
            } else {
                store::events::set_participant_state(
                    conn,
                    participant.id,
                    WAITLISTED,
                    participant.ap_id.as_deref(),
                    Utc::now().naive_utc(),
                )?;
            }
        } else {
            store::events::set_participant_state(
                conn,
                participant.id,
                REJECTED,
                participant.ap_id.as_deref(),
                Utc::now().naive_utc(),
            )?;
            let remote = store::accounts::find_by_id(conn, participant.account_id)?
                .is_some_and(|a| !a.is_local());
            if remote && participant.ap_id.is_some() {
                fx.send(Outgoing::Rsvp(RsvpOutgoing::Answer {
                    participant_id: participant.id,
                    accept: false,
                }));
            }
        }
        recount(conn, event.id)?;
        store::events::find_participant_by_id(conn, participant.id)?.ok_or(AppError::NotFound)
    })
    .await
}

/// A remote organiser answered our member's `Join` (`Accept` or `Reject`).
pub fn answered(
    conn: &mut DbConnection,
    fx: &mut Effects,
    participant: &ParticipantRow,
    accepted: bool,
) -> Result<(), AppError> {
    let event = find(conn, participant.event_id)?;
    let state = if accepted { ACCEPTED } else { REJECTED };
    if participant.state == state {
        return Ok(());
    }
    store::events::set_participant_state(
        conn,
        participant.id,
        state,
        participant.ap_id.as_deref(),
        Utc::now().naive_utc(),
    )?;
    if accepted {
        notifications::notify(
            conn,
            fx,
            participant.account_id,
            event.organiser_id,
            kind::PARTICIPATION_ACCEPTED,
            Some(event.id),
        )?;
    }
    Ok(())
}

/// Friendica's "maybe" (`TentativeAccept` of the event) from a remote account.
pub fn tentative(
    conn: &mut DbConnection,
    event: &EventRow,
    account_id: i64,
    ap_id: &str,
) -> Result<(), AppError> {
    let now = Utc::now().naive_utc();
    match store::events::find_participant(conn, event.id, account_id)? {
        Some(row) if row.state == ACCEPTED || row.state == PENDING || row.state == WAITLISTED => {}
        Some(row) => {
            store::events::set_participant_state(conn, row.id, TENTATIVE, Some(ap_id), now)?;
        }
        None => {
            store::events::insert_participant(
                conn,
                &NewParticipant {
                    event_id: event.id,
                    account_id,
                    state: TENTATIVE,
                    ap_id: Some(ap_id),
                    message: "",
                    created_at: now,
                    updated_at: now,
                },
            )?;
        }
    }
    Ok(())
}

/// The participants of an event in `state`, for its managers (`accepted` participants are
/// public, as the `attendees` collection is).
pub fn list(
    conn: &mut DbConnection,
    viewer: Option<i64>,
    event_id: i64,
    state: &str,
) -> Result<Vec<ParticipantRow>, AppError> {
    visibility::visible_status(conn, viewer, event_id)?;
    let event = find(conn, event_id)?;
    if state != ACCEPTED {
        let allowed = match viewer {
            Some(viewer) => super::can_manage(conn, &event, viewer)?,
            None => false,
        };
        if !allowed {
            return Err(AppError::Forbidden(
                "Only the organiser sees requests".to_owned(),
            ));
        }
    }
    Ok(store::events::participants_in_state(conn, event.id, state)?)
}
