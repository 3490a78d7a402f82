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

/// How the schedule is stretched: `jitter` in 0..1 adds up to half the delay; `scale` (1 in
/// production) shrinks every delay for tests.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    pub jitter: f64,
    pub scale: f64,
}

impl Schedule {
    /// Mastodon's schedule without jitter.
    pub const PLAIN: Schedule = Schedule {
        jitter: 0.0,
        scale: 1.0,
    };
}

/// The wait after failed attempt number `attempts` (1-based): `attempts^4 + 15` seconds plus up
/// to half as much jitter, as Mastodon's Sidekiq schedule. Sixteen attempts span about three days.
pub fn delay_after(attempts: i32, schedule: Schedule) -> Duration {
    let n = i64::from(attempts.clamp(1, MAX_ATTEMPTS));
    let base = (n.pow(4) + 15) as f64;
    let seconds =
        base * (1.0 + 0.5 * schedule.jitter.clamp(0.0, 1.0)) * schedule.scale.clamp(0.0001, 1.0);
    #[expect(
        clippy::cast_possible_truncation,
        reason = "at most a few days in milliseconds"
    )]
    Duration::milliseconds((seconds * 1000.0) as i64)
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
pub fn instance_failed(row: &mut InstanceRow, now: NaiveDateTime, schedule: Schedule) {
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
        now + delay_after(row.consecutive_failures, schedule)
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
            .map(|n| delay_after(n, Schedule::PLAIN).num_seconds())
            .sum();
        assert!(total > 2 * 86_400 && total < 4 * 86_400, "{total} s");
        assert_eq!(delay_after(1, Schedule::PLAIN).num_seconds(), 16);
        let jittered = Schedule {
            jitter: 1.0,
            scale: 1.0,
        };
        assert_eq!(delay_after(2, jittered).num_milliseconds(), 46_500);
        let fast = Schedule {
            jitter: 0.0,
            scale: 0.01,
        };
        assert_eq!(delay_after(1, fast).num_milliseconds(), 160);
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
            instance_failed(&mut row, start + Duration::days(day), Schedule::PLAIN);
            instance_failed(
                &mut row,
                start + Duration::days(day) + Duration::hours(1),
                Schedule::PLAIN,
            );
        }
        assert_eq!(row.failure_days, 6);
        assert!(!row.unavailable);
        instance_failed(&mut row, start + Duration::days(6), Schedule::PLAIN);
        assert!(row.unavailable);
        assert_eq!(
            row.retry_at,
            Some(start + Duration::days(6) + Duration::hours(24))
        );
        instance_contacted_us(&mut row, start + Duration::days(7));
        assert!(!row.unavailable && row.retry_at.is_none());
        instance_failed(&mut row, start + Duration::days(8), Schedule::PLAIN);
        instance_succeeded(&mut row, start + Duration::days(8));
        assert_eq!(
            (row.consecutive_failures, row.failure_days, row.retry_at),
            (0, 0, None)
        );
    }
}
