//! Recurring series: an RFC 5545 RRULE expanded (with the `rrule` crate) into occurrences in
//! the event's time zone, bounded so that one request cannot create an unbounded calendar.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use rrule::RRuleSet;

use crate::error::AppError;

use super::validate::invalid;

/// Most occurrences one series may have.
pub const MAX_OCCURRENCES: u16 = 100;
/// How far a series may reach beyond its first start.
pub const MAX_SPAN_DAYS: i64 = 366;

/// The rule as stored: upper case, without a leading `RRULE:`.
pub fn normalise(rule: &str) -> String {
    let rule = rule.trim();
    let rule = rule
        .strip_prefix("RRULE:")
        .or_else(|| rule.strip_prefix("rrule:"))
        .unwrap_or(rule);
    rule.to_uppercase()
}

/// The starts of every occurrence of `rule` from `start` (the first is `start` itself), in
/// `zone`'s wall time. The rule must end (COUNT or UNTIL) within [`MAX_SPAN_DAYS`] and give at
/// most [`MAX_OCCURRENCES`].
pub fn occurrences(
    rule: &str,
    start: DateTime<Utc>,
    zone: Tz,
) -> Result<Vec<DateTime<Utc>>, AppError> {
    let rule = normalise(rule);
    if rule.contains('\n') || rule.contains("DTSTART") {
        return Err(invalid("The recurrence rule must be one RRULE line"));
    }
    if !rule.contains("COUNT=") && !rule.contains("UNTIL=") {
        return Err(invalid(
            "The recurrence rule needs COUNT or UNTIL (a series must end)",
        ));
    }
    let local = start.with_timezone(&zone);
    let text = format!(
        "DTSTART;TZID={}:{}\nRRULE:{rule}",
        zone.name(),
        local.format("%Y%m%dT%H%M%S")
    );
    let set: RRuleSet = text
        .parse()
        .map_err(|e| invalid(format!("The recurrence rule is not valid: {e}")))?;
    let result = set.all(MAX_OCCURRENCES + 1);
    if result.dates.len() > usize::from(MAX_OCCURRENCES) {
        return Err(invalid(format!(
            "A series has at most {MAX_OCCURRENCES} occurrences"
        )));
    }
    let limit = start + Duration::days(MAX_SPAN_DAYS);
    let dates: Vec<DateTime<Utc>> = result.dates.iter().map(|d| d.with_timezone(&Utc)).collect();
    if dates.iter().any(|d| *d > limit) {
        return Err(invalid(format!(
            "A series may not reach more than {MAX_SPAN_DAYS} days ahead"
        )));
    }
    if dates.is_empty() {
        return Err(invalid("The recurrence rule gives no occurrence"));
    }
    Ok(dates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn tokyo(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        chrono_tz::Asia::Tokyo
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn weekly_occurrences_keep_the_wall_time() {
        let dates = occurrences(
            "FREQ=WEEKLY;COUNT=3",
            tokyo(2027, 3, 12, 19),
            chrono_tz::Asia::Tokyo,
        )
        .unwrap_or_default();
        assert_eq!(
            dates,
            vec![
                tokyo(2027, 3, 12, 19),
                tokyo(2027, 3, 19, 19),
                tokyo(2027, 3, 26, 19)
            ]
        );
        // Across a daylight-saving change the local hour stays 18:00.
        let vienna = chrono_tz::Europe::Vienna;
        let start = vienna
            .with_ymd_and_hms(2027, 3, 22, 18, 0, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let dates = occurrences("RRULE:FREQ=WEEKLY;COUNT=2", start, vienna).unwrap_or_default();
        assert_eq!(
            dates[1].with_timezone(&vienna).format("%H:%M").to_string(),
            "18:00"
        );
    }

    #[test]
    fn unbounded_or_huge_series_are_refused() {
        let start = tokyo(2027, 3, 12, 19);
        let zone = chrono_tz::Asia::Tokyo;
        assert!(occurrences("FREQ=DAILY", start, zone).is_err());
        assert!(occurrences("FREQ=DAILY;COUNT=101", start, zone).is_err());
        assert!(occurrences("FREQ=MONTHLY;COUNT=24", start, zone).is_err());
        assert!(occurrences("FREQ=SOMETIMES;COUNT=2", start, zone).is_err());
    }
}
