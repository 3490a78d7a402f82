//! How an event reads as text: its date and time in its own time zone (Japanese and English),
//! its place, and the status HTML that timelines show (Mobilizon's `summary` idea).

use chrono::{DateTime, Datelike, Offset, Utc};
use chrono_tz::Tz;

use crate::db::models::EventRow;
use crate::domain::prefectures::Prefecture;
use crate::domain::text::escape_html;

const WEEKDAYS_JA: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

/// The event's zone; an unknown name (only possible for odd remote data) reads as UTC.
pub fn zone(event: &EventRow) -> Tz {
    event.timezone.parse().unwrap_or(Tz::UTC)
}

fn gmt_offset(time: DateTime<Tz>) -> String {
    let seconds = time.offset().fix().local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.abs();
    match seconds % 3600 {
        0 => format!("GMT{sign}{}", seconds / 3600),
        rest => format!("GMT{sign}{}:{:02}", seconds / 3600, rest / 60),
    }
}

/// `2027年3月12日(金) 19:00〜21:00 (Asia/Tokyo)`.
pub fn when_ja(event: &EventRow) -> String {
    let tz = zone(event);
    let start = event.starts_at.and_utc().with_timezone(&tz);
    let weekday = WEEKDAYS_JA[start.weekday().num_days_from_monday() as usize];
    let mut text = format!(
        "{}年{}月{}日({weekday}) {}",
        start.year(),
        start.month(),
        start.day(),
        start.format("%H:%M")
    );
    if let Some(end) = event.ends_at {
        let end = end.and_utc().with_timezone(&tz);
        if end.date_naive() == start.date_naive() {
            text.push_str(&format!("〜{}", end.format("%H:%M")));
        } else {
            let weekday = WEEKDAYS_JA[end.weekday().num_days_from_monday() as usize];
            text.push_str(&format!(
                "〜{}年{}月{}日({weekday}) {}",
                end.year(),
                end.month(),
                end.day(),
                end.format("%H:%M")
            ));
        }
    }
    text.push_str(&format!(" ({})", tz.name()));
    text
}

/// `Fri 12 Mar 2027, 19:00–21:00 (Asia/Tokyo, GMT+9)`.
pub fn when_en(event: &EventRow) -> String {
    let tz = zone(event);
    let start = event.starts_at.and_utc().with_timezone(&tz);
    let mut text = format!("{}", start.format("%a %-d %b %Y, %H:%M"));
    if let Some(end) = event.ends_at {
        let end = end.and_utc().with_timezone(&tz);
        if end.date_naive() == start.date_naive() {
            text.push_str(&format!("–{}", end.format("%H:%M")));
        } else {
            text.push_str(&format!(" – {}", end.format("%a %-d %b %Y, %H:%M")));
        }
    }
    text.push_str(&format!(" ({}, {})", tz.name(), gmt_offset(start)));
    text
}

/// The place in one line: name, address, prefecture (when the address does not name it).
pub fn place_line(event: &EventRow) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if let Some(name) = event.place_name.as_deref().filter(|s| !s.trim().is_empty()) {
        parts.push(name.trim().to_owned());
    }
    if let Some(address) = event.address.as_deref().filter(|s| !s.trim().is_empty()) {
        parts.push(address.trim().to_owned());
    }
    if let Some(prefecture) = event
        .prefecture
        .and_then(|p| u32::try_from(p).ok())
        .and_then(Prefecture::from_code)
        && !parts.iter().any(|p| p.contains(prefecture.name_ja()))
    {
        parts.push(prefecture.name_ja().to_owned());
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The status label, for anything but a scheduled event.
pub fn status_label(event: &EventRow) -> Option<&'static str> {
    match event.event_status.as_str() {
        super::CANCELLED => Some("【中止 / Cancelled】"),
        super::POSTPONED => Some("【延期 / Postponed】"),
        super::MOVED_ONLINE => Some("【オンライン開催に変更 / Moved online】"),
        _ => None,
    }
}

/// The text of the ActivityPub `summary`: what Mastodon shows under the title.
pub fn summary(event: &EventRow) -> String {
    let mut text = String::new();
    if let Some(label) = status_label(event) {
        text.push_str(label);
        text.push(' ');
    }
    text.push_str(&when_ja(event));
    text.push_str(" / ");
    text.push_str(&when_en(event));
    if let Some(place) = place_line(event) {
        text.push_str(" – ");
        text.push_str(&place);
    }
    if event.place_name.is_none() && event.address.is_none() && event.online_url.is_some() {
        text.push_str(" – オンライン / Online");
    }
    text
}

/// The status HTML of an event: title, when, where, online link, status, description, link.
pub fn status_html(event: &EventRow, url: &str) -> String {
    let mut html = format!("<p><strong>{}</strong></p>", escape_html(&event.title));
    if let Some(label) = status_label(event) {
        html.push_str(&format!("<p>{}</p>", escape_html(label)));
    }
    html.push_str(&format!(
        "<p>日時: {}<br>When: {}</p>",
        escape_html(&when_ja(event)),
        escape_html(&when_en(event))
    ));
    if let Some(place) = place_line(event) {
        html.push_str(&format!("<p>場所 / Where: {}</p>", escape_html(&place)));
    }
    if let Some(online) = &event.online_url {
        let href = escape_html(online);
        html.push_str(&format!(
            "<p>オンライン / Online: <a href=\"{href}\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">{href}</a></p>"
        ));
    }
    html.push_str(&event.description);
    let href = escape_html(url);
    html.push_str(&format!(
        "<p><a href=\"{href}\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">{href}</a></p>"
    ));
    html
}

/// The text the directory searches: title, description, place, address, tags.
pub fn search_text(event: &EventRow, tags: &[String]) -> String {
    let mut text = vec![
        event.title.clone(),
        crate::domain::html::to_plain_text(&event.description),
    ];
    text.extend(event.place_name.clone());
    text.extend(event.address.clone());
    if let Some(prefecture) = event
        .prefecture
        .and_then(|p| u32::try_from(p).ok())
        .and_then(Prefecture::from_code)
    {
        text.push(prefecture.name_ja().to_owned());
        text.push(prefecture.name_en().to_owned());
    }
    text.extend(tags.iter().map(|t| format!("#{t}")));
    text.join("\n")
}

/// When the event starts, in its zone.
pub fn local_start(event: &EventRow) -> DateTime<Tz> {
    event.starts_at.and_utc().with_timezone(&zone(event))
}

/// A UTC time as the RFC 3339 text with the event zone's offset (`2027-03-12T19:00:00+09:00`).
pub fn local_rfc3339(event: &EventRow, time: DateTime<Utc>) -> String {
    time.with_timezone(&zone(event))
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn event() -> EventRow {
        let at = |h| {
            NaiveDate::from_ymd_opt(2027, 3, 12)
                .and_then(|d| d.and_hms_opt(h, 0, 0))
                .unwrap_or_default()
        };
        EventRow {
            id: 1,
            ap_id: "https://alpha.test/events/1".into(),
            local: true,
            organiser_id: 1,
            group_id: None,
            title: "防災DX勉強会".into(),
            description: "<p>説明</p>".into(),
            description_source: None,
            starts_at: at(10),
            ends_at: Some(at(12)),
            timezone: "Asia/Tokyo".into(),
            place_name: Some("市役所 3階".into()),
            address: Some("千代田区1-1".into()),
            prefecture: Some(13),
            latitude: None,
            longitude: None,
            online_url: None,
            category: None,
            banner_url: None,
            event_status: "scheduled".into(),
            capacity: None,
            join_mode: "free".into(),
            external_url: None,
            visibility: "public".into(),
            series_id: None,
            participant_count: 0,
            sequence: 0,
            search_text: String::new(),
            reminded_at: None,
            created_at: at(1),
            updated_at: at(1),
        }
    }

    #[test]
    fn times_read_in_the_event_zone() {
        let e = event();
        assert_eq!(when_ja(&e), "2027年3月12日(金) 19:00〜21:00 (Asia/Tokyo)");
        assert_eq!(
            when_en(&e),
            "Fri 12 Mar 2027, 19:00–21:00 (Asia/Tokyo, GMT+9)"
        );
        assert_eq!(
            place_line(&e).as_deref(),
            Some("市役所 3階, 千代田区1-1, 東京都")
        );
        let summary = summary(&e);
        assert!(summary.contains("19:00"), "{summary}");
        assert!(summary.contains("市役所"), "{summary}");
        assert_eq!(
            local_rfc3339(&e, e.starts_at.and_utc()),
            "2027-03-12T19:00:00+09:00"
        );
    }

    #[test]
    fn a_cancelled_event_says_so_first() {
        let mut e = event();
        e.event_status = super::super::CANCELLED.into();
        assert!(summary(&e).starts_with("【中止 / Cancelled】"));
        assert!(status_html(&e, &e.ap_id).contains("Cancelled"));
    }
}
