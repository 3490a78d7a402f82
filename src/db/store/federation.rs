//! Queries on the outbox, the delivery queue, instance health and received activities.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamp};

use crate::db::DbConnection;
use crate::db::models::{ActivityRow, DeliveryRow, InstanceRow, ReceivedActivityRow};
use crate::db::schema::{activities, deliveries, instances, received_activities};

pub fn insert_activity(conn: &mut DbConnection, row: &ActivityRow) -> QueryResult<usize> {
    diesel::insert_into(activities::table)
        .values(row)
        .execute(conn)
}

pub fn find_activity(conn: &mut DbConnection, id: i64) -> QueryResult<Option<ActivityRow>> {
    activities::table
        .find(id)
        .select(ActivityRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_activity_by_ap_id(
    conn: &mut DbConnection,
    ap_id: &str,
) -> QueryResult<Option<ActivityRow>> {
    activities::table
        .filter(activities::ap_id.eq(ap_id))
        .select(ActivityRow::as_select())
        .first(conn)
        .optional()
}

/// An actor's public activities, newest first (the outbox collection).
pub fn public_activities(
    conn: &mut DbConnection,
    actor_id: i64,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<ActivityRow>> {
    let mut query = activities::table
        .filter(activities::actor_id.eq(actor_id))
        .filter(activities::public.eq(true))
        .filter(activities::kind.eq_any(["Create", "Announce"]))
        .select(ActivityRow::as_select())
        .into_boxed::<crate::db::store::Backend>();
    if let Some(before) = before {
        query = query.filter(activities::id.lt(before));
    }
    query.order(activities::id.desc()).limit(limit).load(conn)
}

pub fn count_public_activities(conn: &mut DbConnection, actor_id: i64) -> QueryResult<i64> {
    activities::table
        .filter(activities::actor_id.eq(actor_id))
        .filter(activities::public.eq(true))
        .filter(activities::kind.eq_any(["Create", "Announce"]))
        .select(count_star())
        .first(conn)
}

/// Queues `activity_id` for `inbox_url` (once: a second call for the same pair does nothing).
pub fn insert_delivery(conn: &mut DbConnection, row: &DeliveryRow) -> QueryResult<()> {
    let exists: i64 = deliveries::table
        .filter(deliveries::activity_id.eq(row.activity_id))
        .filter(deliveries::inbox_url.eq(&row.inbox_url))
        .select(count_star())
        .first(conn)?;
    if exists == 0 {
        diesel::insert_into(deliveries::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

const CLAIM_POSTGRES: &str = "
UPDATE deliveries SET claimed_until = $1, updated_at = $2
WHERE id IN (
    SELECT d.id FROM deliveries d
    WHERE d.state = 'pending' AND d.next_attempt_at <= $2
      AND (d.claimed_until IS NULL OR d.claimed_until < $2)
      AND NOT EXISTS (
          SELECT 1 FROM instances i
          WHERE i.domain = d.domain AND i.retry_at IS NOT NULL AND i.retry_at > $2)
    ORDER BY d.next_attempt_at, d.id
    LIMIT $3
    FOR UPDATE SKIP LOCKED)
RETURNING *";

const CLAIM_SQLITE: &str = "
UPDATE deliveries SET claimed_until = ?1, updated_at = ?2
WHERE id IN (
    SELECT d.id FROM deliveries d
    WHERE d.state = 'pending' AND d.next_attempt_at <= ?2
      AND (d.claimed_until IS NULL OR d.claimed_until < ?2)
      AND NOT EXISTS (
          SELECT 1 FROM instances i
          WHERE i.domain = d.domain AND i.retry_at IS NOT NULL AND i.retry_at > ?2)
    ORDER BY d.next_attempt_at, d.id
    LIMIT ?3)
RETURNING *";

/// Takes up to `limit` due deliveries for this worker until `lease_until`, skipping instances in
/// backoff. On PostgreSQL rows another process is claiming are skipped (`FOR UPDATE SKIP
/// LOCKED`), so no two workers anywhere hold the same delivery; SQLite serves one process, whose
/// write transactions take turns.
pub fn claim_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<DeliveryRow>> {
    match conn {
        DbConnection::Postgres(pg) => diesel::sql_query(CLAIM_POSTGRES)
            .bind::<Timestamp, _>(lease_until)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .load(pg),
        DbConnection::Sqlite(sqlite) => diesel::sql_query(CLAIM_SQLITE)
            .bind::<Timestamp, _>(lease_until)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .load(sqlite),
    }
}

pub fn mark_delivered(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(deliveries::table.find(id))
        .set((
            deliveries::state.eq("delivered"),
            deliveries::attempts.eq(deliveries::attempts + 1),
            deliveries::claimed_until.eq(None::<NaiveDateTime>),
            deliveries::last_error.eq(None::<String>),
            deliveries::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Records a failed attempt: retried at `next_attempt_at`, or given up (`failed`) when `None`.
pub fn mark_attempt_failed(
    conn: &mut DbConnection,
    id: i64,
    next_attempt_at: Option<NaiveDateTime>,
    error: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let state = if next_attempt_at.is_some() {
        "pending"
    } else {
        "failed"
    };
    diesel::update(deliveries::table.find(id))
        .set((
            deliveries::state.eq(state),
            deliveries::attempts.eq(deliveries::attempts + 1),
            deliveries::next_attempt_at.eq(next_attempt_at.unwrap_or(now)),
            deliveries::claimed_until.eq(None::<NaiveDateTime>),
            deliveries::last_error.eq(Some(error)),
            deliveries::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Gives a delivery back unattempted (the worker is stopping).
pub fn release(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::update(deliveries::table.find(id))
        .set(deliveries::claimed_until.eq(None::<NaiveDateTime>))
        .execute(conn)
}

pub fn find_delivery(conn: &mut DbConnection, id: i64) -> QueryResult<Option<DeliveryRow>> {
    deliveries::table
        .find(id)
        .select(DeliveryRow::as_select())
        .first(conn)
        .optional()
}

/// Deliveries of an activity (for tests and the admin view).
pub fn deliveries_of(conn: &mut DbConnection, activity_id: i64) -> QueryResult<Vec<DeliveryRow>> {
    deliveries::table
        .filter(deliveries::activity_id.eq(activity_id))
        .order(deliveries::id.asc())
        .select(DeliveryRow::as_select())
        .load(conn)
}

/// Pending deliveries, for operators and tests.
pub fn count_pending(conn: &mut DbConnection) -> QueryResult<i64> {
    deliveries::table
        .filter(deliveries::state.eq("pending"))
        .select(count_star())
        .first(conn)
}

/// Gives up on deliveries pending since before `cutoff` (an instance gone for good).
pub fn expire_pending(
    conn: &mut DbConnection,
    cutoff: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        deliveries::table
            .filter(deliveries::state.eq("pending"))
            .filter(deliveries::created_at.lt(cutoff)),
    )
    .set((
        deliveries::state.eq("failed"),
        deliveries::last_error.eq(Some("expired")),
        deliveries::updated_at.eq(now),
    ))
    .execute(conn)
}

pub fn find_instance(conn: &mut DbConnection, domain: &str) -> QueryResult<Option<InstanceRow>> {
    instances::table
        .find(domain)
        .select(InstanceRow::as_select())
        .first(conn)
        .optional()
}

/// The instance's row, created as healthy when first seen.
pub fn instance(
    conn: &mut DbConnection,
    domain: &str,
    now: NaiveDateTime,
) -> QueryResult<InstanceRow> {
    if let Some(row) = find_instance(conn, domain)? {
        return Ok(row);
    }
    let row = InstanceRow {
        domain: domain.to_owned(),
        consecutive_failures: 0,
        failure_days: 0,
        last_failure_at: None,
        last_success_at: None,
        retry_at: None,
        unavailable: false,
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(instances::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

pub fn save_instance(conn: &mut DbConnection, row: &InstanceRow) -> QueryResult<usize> {
    diesel::update(instances::table.find(&row.domain))
        .set((
            instances::consecutive_failures.eq(row.consecutive_failures),
            instances::failure_days.eq(row.failure_days),
            instances::last_failure_at.eq(row.last_failure_at),
            instances::last_success_at.eq(row.last_success_at),
            instances::retry_at.eq(row.retry_at),
            instances::unavailable.eq(row.unavailable),
            instances::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
}

/// Whether an activity with this id was applied before.
pub fn was_received(conn: &mut DbConnection, ap_id: &str) -> QueryResult<bool> {
    let seen: i64 = received_activities::table
        .filter(received_activities::ap_id.eq(ap_id))
        .select(count_star())
        .first(conn)?;
    Ok(seen > 0)
}

/// Records `ap_id` as received; `false` when it was already (a duplicate to acknowledge only).
pub fn first_receipt(
    conn: &mut DbConnection,
    ap_id: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let seen: i64 = received_activities::table
        .filter(received_activities::ap_id.eq(ap_id))
        .select(count_star())
        .first(conn)?;
    if seen > 0 {
        return Ok(false);
    }
    diesel::insert_into(received_activities::table)
        .values(&ReceivedActivityRow {
            ap_id: ap_id.to_owned(),
            received_at: now,
        })
        .execute(conn)?;
    Ok(true)
}

/// Forgets received ids older than `cutoff` (they cannot be replayed: signatures expire sooner).
pub fn prune_received(conn: &mut DbConnection, cutoff: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(received_activities::table.filter(received_activities::received_at.lt(cutoff)))
        .execute(conn)
}
