//! Mastodon-style snowflake ids: `(unix_ms << 16) | sequence`, sortable by time, shown as strings.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};

static LAST: AtomicI64 = AtomicI64::new(0);
static PROCESS_SALT: OnceLock<i64> = OnceLock::new();

/// A new id, larger than every id this process issued before.
///
/// Within one millisecond the low 16 bits count up from a per-process random start, so two
/// processes sharing a database rarely meet; a collision is caught by the primary key.
pub fn next_id() -> i64 {
    let salt = *PROCESS_SALT.get_or_init(|| rand::random::<i64>() & 0x7FFF);
    let base = (Utc::now().timestamp_millis() << 16) | salt;
    let mut last = LAST.load(Ordering::Relaxed);
    loop {
        let candidate = base.max(last + 1);
        match LAST.compare_exchange_weak(last, candidate, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return candidate,
            Err(seen) => last = seen,
        }
    }
}

/// An id placed at `time`, for things that happened earlier (a remote post's publication).
/// The low bits are random; callers insert with a retry on the rare clash.
pub fn id_at(time: DateTime<Utc>) -> i64 {
    (time.timestamp_millis() << 16) | (rand::random::<i64>() & 0xFFFF)
}

/// The smallest id at `time`, for turning a date into a `min_id`/`max_id` bound.
pub fn lowest_id_at(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis() << 16
}

/// When an id was issued.
pub fn time_of(id: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(id >> 16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_increase_and_carry_their_time() {
        let before = Utc::now().timestamp_millis();
        let ids: Vec<i64> = (0..10_000).map(|_| next_id()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        let first = time_of(ids[0]).map(|t| t.timestamp_millis());
        assert!(first.is_some_and(|ms| ms >= before && ms <= before + 5_000));
        assert!(ids.iter().all(|id| *id > 0));
    }
}
