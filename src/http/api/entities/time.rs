//! Times as Mastodon writes them: `2026-11-22T09:30:00.000Z` (Ice Cubes parses only this form),
//! and dates as `2026-11-22`.

use chrono::NaiveDateTime;

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, always with milliseconds.
pub fn timestamp(time: NaiveDateTime) -> String {
    time.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Midnight UTC of the day, as Mastodon shows an account's `created_at`.
pub fn day_start(time: NaiveDateTime) -> String {
    time.format("%Y-%m-%dT00:00:00.000Z").to_string()
}

/// `YYYY-MM-DD`, as in `last_status_at`.
pub fn date(time: NaiveDateTime) -> String {
    time.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn formats_with_milliseconds_and_z() {
        let t = NaiveDate::from_ymd_opt(2026, 11, 22)
            .and_then(|d| d.and_hms_micro_opt(9, 5, 7, 123_456))
            .expect("time");
        assert_eq!(timestamp(t), "2026-11-22T09:05:07.123Z");
        let whole = NaiveDate::from_ymd_opt(2026, 1, 2)
            .and_then(|d| d.and_hms_opt(3, 4, 5))
            .expect("time");
        assert_eq!(timestamp(whole), "2026-01-02T03:04:05.000Z");
        assert_eq!(day_start(t), "2026-11-22T00:00:00.000Z");
        assert_eq!(date(t), "2026-11-22");
    }
}
