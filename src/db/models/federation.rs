//! Outbox, delivery queue, instance health and received-activity rows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{activities, deliveries, instances, received_activities};

/// An activity a local actor sent, as sent.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = activities)]
pub struct ActivityRow {
    pub id: i64,
    pub ap_id: String,
    pub actor_id: i64,
    /// `Create`, `Follow`, `Announce`...
    pub kind: String,
    pub object_ap_id: Option<String>,
    /// The JSON body.
    pub body: String,
    /// Addressed to `as:Public` (may be served to anyone).
    pub public: bool,
    pub created_at: NaiveDateTime,
}

/// One activity to one inbox.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable, QueryableByName)]
#[diesel(table_name = deliveries)]
pub struct DeliveryRow {
    pub id: i64,
    pub activity_id: i64,
    pub inbox_url: String,
    /// The inbox's host (and port), for per-instance backoff.
    pub domain: String,
    /// `pending`, `delivered` or `failed` (gave up).
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    /// Set while a worker holds the row; another worker may take it once this passes.
    pub claimed_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// How deliveries to one remote instance have gone.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = instances, primary_key(domain))]
pub struct InstanceRow {
    pub domain: String,
    pub consecutive_failures: i32,
    /// Distinct days with failures since the last success.
    pub failure_days: i32,
    pub last_failure_at: Option<NaiveDateTime>,
    pub last_success_at: Option<NaiveDateTime>,
    /// No delivery to this instance before this time.
    pub retry_at: Option<NaiveDateTime>,
    /// Failing for many days: only probed now and then, until it answers or writes to us.
    pub unavailable: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = received_activities)]
pub struct ReceivedActivityRow {
    pub ap_id: String,
    pub received_at: NaiveDateTime,
}
