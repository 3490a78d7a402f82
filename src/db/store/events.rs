//! Events, their series and their participants.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::{EventRow, EventSeriesRow, NewParticipant, ParticipantRow};
use crate::db::schema::{event_participants, event_series, events};

pub fn insert(conn: &mut DbConnection, row: &EventRow) -> QueryResult<usize> {
    diesel::insert_into(events::table).values(row).execute(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<EventRow>> {
    events::table
        .find(id)
        .select(EventRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_ap_id(conn: &mut DbConnection, ap_id: &str) -> QueryResult<Option<EventRow>> {
    events::table
        .filter(events::ap_id.eq(ap_id))
        .select(EventRow::as_select())
        .first(conn)
        .optional()
}

/// The events among `ids` (statuses that are events).
pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<EventRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    events::table
        .filter(events::id.eq_any(ids))
        .select(EventRow::as_select())
        .load(conn)
}

/// Writes every column of the row (the caller read it in the same transaction).
pub fn save(conn: &mut DbConnection, row: &EventRow) -> QueryResult<usize> {
    diesel::update(events::table.find(row.id))
        .set(row)
        .execute(conn)
}

/// Takes the event's row lock for the rest of the transaction (PostgreSQL; SQLite has one
/// writer anyway), so that counting participants and adding one cannot interleave.
pub fn lock(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::update(events::table.find(id))
        .set(events::participant_count.eq(events::participant_count))
        .execute(conn)
}

pub fn set_participant_count(conn: &mut DbConnection, id: i64, count: i32) -> QueryResult<usize> {
    diesel::update(events::table.find(id))
        .set(events::participant_count.eq(count))
        .execute(conn)
}

pub fn set_reminded(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(events::table.find(id))
        .set(events::reminded_at.eq(Some(at)))
        .execute(conn)
}

/// Events starting in `(now, until]` not yet reminded of, not cancelled, with local
/// participants (local or remote events).
pub fn due_for_reminder(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<EventRow>> {
    let with_participants = event_participants::table
        .filter(event_participants::state.eq("accepted"))
        .select(event_participants::event_id);
    events::table
        .filter(events::starts_at.gt(now))
        .filter(events::starts_at.le(until))
        .filter(events::reminded_at.is_null())
        .filter(events::event_status.ne("cancelled"))
        .filter(events::id.eq_any(with_participants))
        .order(events::starts_at.asc())
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)
}

/// The other occurrences of a series, from `from` on, in start order.
pub fn series_from(
    conn: &mut DbConnection,
    series_id: i64,
    from: NaiveDateTime,
) -> QueryResult<Vec<EventRow>> {
    events::table
        .filter(events::series_id.eq(series_id))
        .filter(events::starts_at.ge(from))
        .order(events::starts_at.asc())
        .select(EventRow::as_select())
        .load(conn)
}

pub fn insert_series(conn: &mut DbConnection, row: &EventSeriesRow) -> QueryResult<usize> {
    diesel::insert_into(event_series::table)
        .values(row)
        .execute(conn)
}

pub fn find_series(conn: &mut DbConnection, id: i64) -> QueryResult<Option<EventSeriesRow>> {
    event_series::table
        .find(id)
        .select(EventSeriesRow::as_select())
        .first(conn)
        .optional()
}

// Participants.

pub fn find_participant(
    conn: &mut DbConnection,
    event_id: i64,
    account_id: i64,
) -> QueryResult<Option<ParticipantRow>> {
    event_participants::table
        .filter(event_participants::event_id.eq(event_id))
        .filter(event_participants::account_id.eq(account_id))
        .select(ParticipantRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_participant_by_id(
    conn: &mut DbConnection,
    id: i64,
) -> QueryResult<Option<ParticipantRow>> {
    event_participants::table
        .find(id)
        .select(ParticipantRow::as_select())
        .first(conn)
        .optional()
}

/// The participation whose request (a `Join`, or a Friendica answer) had this id.
pub fn find_participant_by_ap_id(
    conn: &mut DbConnection,
    ap_id: &str,
) -> QueryResult<Option<ParticipantRow>> {
    event_participants::table
        .filter(event_participants::ap_id.eq(ap_id))
        .select(ParticipantRow::as_select())
        .first(conn)
        .optional()
}

/// Stores a participation with a fresh id (ids grow with time, so id order is asking order:
/// the waiting list's order).
pub fn insert_participant(conn: &mut DbConnection, row: &NewParticipant) -> QueryResult<usize> {
    diesel::insert_into(event_participants::table)
        .values((event_participants::id.eq(crate::db::ids::next_id()), row))
        .execute(conn)
}

pub fn set_participant_state(
    conn: &mut DbConnection,
    id: i64,
    state: &str,
    ap_id: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(event_participants::table.find(id))
        .set((
            event_participants::state.eq(state),
            event_participants::ap_id.eq(ap_id),
            event_participants::updated_at.eq(now),
        ))
        .execute(conn)
}

pub fn delete_participant(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(event_participants::table.find(id)).execute(conn)
}

pub fn count_in_state(conn: &mut DbConnection, event_id: i64, state: &str) -> QueryResult<i64> {
    event_participants::table
        .filter(event_participants::event_id.eq(event_id))
        .filter(event_participants::state.eq(state))
        .count()
        .get_result(conn)
}

/// Participants of an event in `state`, in the order they asked.
pub fn participants_in_state(
    conn: &mut DbConnection,
    event_id: i64,
    state: &str,
) -> QueryResult<Vec<ParticipantRow>> {
    event_participants::table
        .filter(event_participants::event_id.eq(event_id))
        .filter(event_participants::state.eq(state))
        .order(event_participants::id.asc())
        .select(ParticipantRow::as_select())
        .load(conn)
}

/// Everyone with a participation of any state.
pub fn participants(conn: &mut DbConnection, event_id: i64) -> QueryResult<Vec<ParticipantRow>> {
    event_participants::table
        .filter(event_participants::event_id.eq(event_id))
        .order(event_participants::id.asc())
        .select(ParticipantRow::as_select())
        .load(conn)
}

/// The viewer's participations among `event_ids`.
pub fn participations_of(
    conn: &mut DbConnection,
    account_id: i64,
    event_ids: &[i64],
) -> QueryResult<Vec<ParticipantRow>> {
    if event_ids.is_empty() {
        return Ok(Vec::new());
    }
    event_participants::table
        .filter(event_participants::account_id.eq(account_id))
        .filter(event_participants::event_id.eq_any(event_ids))
        .select(ParticipantRow::as_select())
        .load(conn)
}

/// How many requests wait for the organiser, per event among `event_ids`.
pub fn pending_counts(conn: &mut DbConnection, event_ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    if event_ids.is_empty() {
        return Ok(Vec::new());
    }
    event_participants::table
        .filter(event_participants::event_id.eq_any(event_ids))
        .filter(event_participants::state.eq("pending"))
        .group_by(event_participants::event_id)
        .select((event_participants::event_id, diesel::dsl::count_star()))
        .load(conn)
}

/// Events the member takes part in (any state but rejected), by start time, newest-start first
/// when `descending`.
pub fn joined_by(
    conn: &mut DbConnection,
    account_id: i64,
    states: &[&str],
    limit: i64,
) -> QueryResult<Vec<EventRow>> {
    let mine = event_participants::table
        .filter(event_participants::account_id.eq(account_id))
        .filter(event_participants::state.eq_any(states.to_vec()))
        .select(event_participants::event_id);
    events::table
        .filter(events::id.eq_any(mine))
        .order(events::starts_at.asc())
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)
}

/// The visibility of the event's status row (it follows the event's).
pub fn set_status_visibility(
    conn: &mut DbConnection,
    event_id: i64,
    visibility: &str,
) -> QueryResult<usize> {
    use crate::db::schema::statuses;
    diesel::update(statuses::table.find(event_id))
        .set(statuses::visibility.eq(visibility))
        .execute(conn)
}
