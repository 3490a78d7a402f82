//! When to try again: Mastodon's delivery schedule and per-instance health.

use chrono::{Duration, NaiveDateTime};

use crate::db::models::InstanceRow;

/// Attempts per delivery before giving up, as Mastodon (`DeliveryWorker` `retry: 16`).
pub const MAX_ATTEMPTS: i32 = 16;

/// Distinct days of failure after which an instance counts as unavailable, as Mastodon's
/// `DeliveryFailureTracker`.
pub const UNAVAILABLE_AFTER_DAYS: i32 = 7;

/// How often an unavailable instance is probed with one delivery.
pub const PROBE_INTERVAL_HOURS: i64 = 24;

/// The wait after failed attempt number `attempts` (1-based): `attempts^4 + 15` seconds plus up
/// to half as much jitter, as Mastodon's Sidekiq schedule. Sixteen attempts span about three days.
pub fn delay_after(attempts: i32, jitter: f64) -> Duration {
    let n = i64::from(attempts.clamp(1, MAX_ATTEMPTS));
    let base = n.pow(4) + 15;
    #[expect(clippy::cast_possible_truncation, reason = "bounded by the base delay")]
    let extra = (base as f64 * 0.5 * jitter.clamp(0.0, 1.0)) as i64;
    Duration::seconds(base + extra)
}

/// Records a successful delivery: the instance is healthy again.
pub fn instance_succeeded(row: &mut InstanceRow, now: NaiveDateTime) {
    row.consecutive_failures = 0;
    row.failure_days = 0;
    row.retry_at = None;
    row.unavailable = false;
    row.last_success_at = Some(now);
    row.updated_at = now;
}

/// Records a failed delivery (network error, 5xx, 429...): back off the whole instance on the
/// same schedule as one delivery, count failure days, mark it unavailable after enough of them.
pub fn instance_failed(row: &mut InstanceRow, now: NaiveDateTime, jitter: f64) {
    let new_day = row
        .last_failure_at
        .is_none_or(|last| last.date() != now.date());
    if new_day {
        row.failure_days += 1;
    }
    row.consecutive_failures += 1;
    row.last_failure_at = Some(now);
    row.unavailable = row.failure_days >= UNAVAILABLE_AFTER_DAYS;
    row.retry_at = Some(if row.unavailable {
        now + Duration::hours(PROBE_INTERVAL_HOURS)
    } else {
        now + delay_after(row.consecutive_failures, jitter)
    });
    row.updated_at = now;
}

/// The instance wrote to us: whatever we thought, it is up; resume deliveries now.
pub fn instance_contacted_us(row: &mut InstanceRow, now: NaiveDateTime) {
    if row.unavailable || row.retry_at.is_some() {
        row.unavailable = false;
        row.retry_at = None;
        row.consecutive_failures = 0;
        row.failure_days = 0;
        row.updated_at = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixteen_attempts_span_about_three_days() {
        let total: i64 = (1..=MAX_ATTEMPTS)
            .map(|n| delay_after(n, 0.0).num_seconds())
            .sum();
        assert!(total > 2 * 86_400 && total < 4 * 86_400, "{total} s");
        assert_eq!(delay_after(1, 0.0).num_seconds(), 16);
        assert_eq!(delay_after(2, 1.0).num_seconds(), 31 + 15);
    }

    #[test]
    fn an_instance_becomes_unavailable_after_days_of_failure_and_recovers() {
        let start = chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .map(|t| t.naive_utc())
            .unwrap_or_default();
        let mut row = InstanceRow {
            domain: "down.example".into(),
            consecutive_failures: 0,
            failure_days: 0,
            last_failure_at: None,
            last_success_at: None,
            retry_at: None,
            unavailable: false,
            created_at: start,
            updated_at: start,
        };
        for day in 0..6 {
            instance_failed(&mut row, start + Duration::days(day), 0.0);
            instance_failed(
                &mut row,
                start + Duration::days(day) + Duration::hours(1),
                0.0,
            );
        }
        assert_eq!(row.failure_days, 6);
        assert!(!row.unavailable);
        instance_failed(&mut row, start + Duration::days(6), 0.0);
        assert!(row.unavailable);
        assert_eq!(
            row.retry_at,
            Some(start + Duration::days(6) + Duration::hours(24))
        );
        instance_contacted_us(&mut row, start + Duration::days(7));
        assert!(!row.unavailable && row.retry_at.is_none());
        instance_failed(&mut row, start + Duration::days(8), 0.0);
        instance_succeeded(&mut row, start + Duration::days(8));
        assert_eq!(
            (row.consecutive_failures, row.failure_days, row.retry_at),
            (0, 0, None)
        );
    }
}
