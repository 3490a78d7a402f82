//! iCalendar (RFC 5545) output: events with their IANA time zone as TZID and a VTIMEZONE built
//! from the time-zone database, stable UIDs and SEQUENCE across updates.

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use ics::components::{Component, Property};
use ics::properties::{
    Categories, Description, DtEnd, DtStart, Geo, LastModified, Location, Sequence, Status,
    Summary, URL,
};
use ics::{ICalendar, escape_text};

/// What a calendar entry says about one event.
#[derive(Debug, Clone)]
pub struct CalendarEvent {
    /// Stable across edits: the event's ActivityPub id.
    pub uid: String,
    /// Grows by one with every change that matters to attendees.
    pub sequence: i32,
    pub title: String,
    /// Plain text.
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    /// IANA name, such as `Asia/Tokyo`.
    pub timezone: Tz,
    pub location: Option<String>,
    pub geo: Option<(f64, f64)>,
    pub url: String,
    pub cancelled: bool,
    pub categories: Vec<String>,
    pub organizer: Option<(String, String)>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A whole calendar (one event, or a feed) as `text/calendar` text.
pub fn render(name: &str, events: &[CalendarEvent]) -> String {
    let mut calendar = ICalendar::new("2.0", "-//Kakehashi//Kakehashi events//JA");
    calendar.push(Property::new("CALSCALE", "GREGORIAN"));
    calendar.push(Property::new("METHOD", "PUBLISH"));
    calendar.push(Property::new("X-WR-CALNAME", escape_text(name)));
    let mut zones: Vec<Tz> = events.iter().map(|e| e.timezone).collect();
    zones.sort_by_key(|tz| tz.name());
    zones.dedup();
    for zone in zones {
        let starts = events
            .iter()
            .filter(|e| e.timezone == zone)
            .map(|e| e.starts_at);
        let ends = events
            .iter()
            .filter(|e| e.timezone == zone)
            .map(|e| e.ends_at.unwrap_or(e.starts_at));
        let (Some(first), Some(last)) = (starts.min(), ends.max()) else {
            continue;
        };
        calendar.add_component(vtimezone(zone, first, last));
    }
    for event in events {
        calendar.add_event(vevent(event));
    }
    calendar.to_string()
}

fn local_stamp(time: DateTime<Utc>, zone: Tz) -> String {
    time.with_timezone(&zone)
        .format("%Y%m%dT%H%M%S")
        .to_string()
}

fn utc_stamp(time: DateTime<Utc>) -> String {
    time.format("%Y%m%dT%H%M%SZ").to_string()
}

fn vevent(event: &CalendarEvent) -> ics::Event<'static> {
    let mut vevent = ics::Event::new(event.uid.clone(), utc_stamp(event.updated_at));
    let mut start = DtStart::new(local_stamp(event.starts_at, event.timezone));
    start.add(ics::parameters::TzIDParam::new(event.timezone.name()));
    vevent.push(start);
    let end_at = event
        .ends_at
        .unwrap_or(event.starts_at + Duration::hours(1));
    let mut end = DtEnd::new(local_stamp(end_at, event.timezone));
    end.add(ics::parameters::TzIDParam::new(event.timezone.name()));
    vevent.push(end);
    vevent.push(Summary::new(escape_text(event.title.clone())));
    if !event.description.is_empty() {
        vevent.push(Description::new(escape_text(event.description.clone())));
    }
    if let Some(location) = &event.location {
        vevent.push(Location::new(escape_text(location.clone())));
    }
    if let Some((lat, lon)) = event.geo {
        vevent.push(Geo::new(format!("{lat};{lon}")));
    }
    vevent.push(URL::new(event.url.clone()));
    vevent.push(Sequence::new(event.sequence.to_string()));
    vevent.push(Status::new(if event.cancelled {
        "CANCELLED"
    } else {
        "CONFIRMED"
    }));
    vevent.push(Property::new("CREATED", utc_stamp(event.created_at)));
    vevent.push(LastModified::new(utc_stamp(event.updated_at)));
    if !event.categories.is_empty() {
        let joined: Vec<String> = event
            .categories
            .iter()
            .map(|c| escape_text(c.clone()).into_owned())
            .collect();
        vevent.push(Categories::new(joined.join(",")));
    }
    if let Some((name, url)) = &event.organizer {
        let mut organizer = Property::new("ORGANIZER", url.clone());
        organizer.add(ics::parameters::CN::new(quote_param(name)));
        vevent.push(organizer);
    }
    vevent
}

/// Parameter values with `:`, `;` or `,` must be quoted; quotes cannot appear inside.
fn quote_param(value: &str) -> String {
    let clean = value.replace('"', "'");
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.abs();
    format!("{sign}{:02}{:02}", seconds / 3600, (seconds % 3600) / 60)
}

fn offset_at(zone: Tz, time: NaiveDateTime) -> (i32, bool, String) {
    let offset = zone.offset_from_utc_datetime(&time);
    let total = offset.base_utc_offset() + offset.dst_offset();
    let seconds = i32::try_from(total.num_seconds()).unwrap_or_default();
    let name = offset.abbreviation().unwrap_or(zone.name()).to_owned();
    (seconds, !offset.dst_offset().is_zero(), name)
}

/// A VTIMEZONE with every observance of `zone` between a year before `first` and a year after
/// `last`, read from the time-zone database (explicit DTSTARTs, no RRULE to get wrong).
fn vtimezone(zone: Tz, first: DateTime<Utc>, last: DateTime<Utc>) -> Component<'static> {
    let mut component = Component::new("VTIMEZONE");
    component.add_property(Property::new("TZID", zone.name()));
    let from = Utc
        .with_ymd_and_hms(first.year() - 1, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(first)
        .naive_utc();
    let to = Utc
        .with_ymd_and_hms(last.year() + 1, 12, 31, 0, 0, 0)
        .single()
        .unwrap_or(last)
        .naive_utc();
    let (start_offset, start_dst, start_name) = offset_at(zone, from);
    let mut observances = vec![(from, start_offset, start_offset, start_dst, start_name)];
    let mut previous = start_offset;
    let mut day = from;
    while day < to {
        let next = day + Duration::days(1);
        let (offset, dst, name) = offset_at(zone, next);
        if offset != previous {
            // Narrow to the second of the change.
            let (mut low, mut high) = (day, next);
            while high - low > Duration::seconds(1) {
                let mid = low + (high - low) / 2;
                if offset_at(zone, mid).0 == previous {
                    low = mid;
                } else {
                    high = mid;
                }
            }
            observances.push((high, previous, offset, dst, name));
            previous = offset;
        }
        day = next;
    }
    for (at_utc, from_offset, to_offset, dst, name) in observances {
        let mut observance = Component::new(if dst { "DAYLIGHT" } else { "STANDARD" });
        // DTSTART is the local time of the change, in the offset before it.
        let local = at_utc + Duration::seconds(i64::from(from_offset));
        observance.add_property(Property::new(
            "DTSTART",
            local.format("%Y%m%dT%H%M%S").to_string(),
        ));
        observance.add_property(Property::new("TZOFFSETFROM", offset_text(from_offset)));
        observance.add_property(Property::new("TZOFFSETTO", offset_text(to_offset)));
        observance.add_property(Property::new("TZNAME", name));
        component.add_component(observance);
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(zone: Tz, local: (i32, u32, u32, u32, u32)) -> CalendarEvent {
        let start = zone
            .with_ymd_and_hms(local.0, local.1, local.2, local.3, local.4, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        CalendarEvent {
            uid: "https://alpha.test/events/1".into(),
            sequence: 2,
            title: "防災DX勉強会; 第3回, オンライン".into(),
            description: "line one\nline two".into(),
            starts_at: start,
            ends_at: Some(start + Duration::hours(2)),
            timezone: zone,
            location: Some("市役所 3階, 会議室".into()),
            geo: Some((35.69, 139.75)),
            url: "https://alpha.test/events/1".into(),
            cancelled: false,
            categories: vec!["LEARNING".into()],
            organizer: Some(("DX研究会".into(), "https://alpha.test/@dx".into())),
            created_at: start - Duration::days(10),
            updated_at: start - Duration::days(1),
        }
    }

    #[test]
    fn tokyo_event_keeps_its_wall_time_and_zone() {
        let text = render(
            "テスト",
            &[event(chrono_tz::Asia::Tokyo, (2027, 3, 12, 19, 0))],
        );
        assert!(
            text.contains("DTSTART;TZID=Asia/Tokyo:20270312T190000"),
            "{text}"
        );
        assert!(
            text.contains("DTEND;TZID=Asia/Tokyo:20270312T210000"),
            "{text}"
        );
        assert!(
            text.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo"),
            "{text}"
        );
        assert!(text.contains("TZOFFSETTO:+0900"), "{text}");
        assert!(
            text.contains("SUMMARY:防災DX勉強会\\; 第3回\\, オンライン"),
            "{text}"
        );
        assert!(text.contains("DESCRIPTION:line one\\nline two"), "{text}");
        assert!(text.contains("UID:https://alpha.test/events/1"));
        assert!(text.contains("SEQUENCE:2"));
    }

    #[test]
    fn a_zone_with_daylight_saving_lists_its_changes() {
        let text = render(
            "x",
            &[event(chrono_tz::Europe::Vienna, (2027, 3, 12, 18, 0))],
        );
        assert!(text.contains("BEGIN:DAYLIGHT"), "{text}");
        // 2027-03-28 02:00 CET becomes 03:00 CEST.
        assert!(
            text.contains("DTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200"),
            "{text}"
        );
        assert!(
            text.contains("DTSTART;TZID=Europe/Vienna:20270312T180000"),
            "{text}"
        );
    }
}
