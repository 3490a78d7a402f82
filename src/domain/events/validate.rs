//! Checking what an organiser sends: each field on its own, with a 422 that names it.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use url::Url;

use crate::domain::html;
use crate::domain::prefectures::Prefecture;
use crate::error::AppError;

use super::{CATEGORIES, JOIN_MODES, VISIBILITIES};

/// Longest title, description, place text, and most tags.
pub const MAX_TITLE: usize = 200;
pub const MAX_DESCRIPTION: usize = 20_000;
pub const MAX_PLACE: usize = 500;
pub const MAX_TAGS: usize = 10;
/// Largest capacity an event may have.
pub const MAX_CAPACITY: i32 = 100_000;

pub fn invalid(message: impl std::fmt::Display) -> AppError {
    AppError::Unprocessable(format!("Validation failed: {message}"))
}

pub fn title(text: &str) -> Result<String, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid("Name can't be blank"));
    }
    if text.chars().count() > MAX_TITLE {
        return Err(invalid(format!(
            "Name is longer than {MAX_TITLE} characters"
        )));
    }
    Ok(text.to_owned())
}

pub fn description(text: &str) -> Result<String, AppError> {
    if text.chars().count() > MAX_DESCRIPTION {
        return Err(invalid(format!(
            "Description is longer than {MAX_DESCRIPTION} characters"
        )));
    }
    Ok(text.to_owned())
}

pub fn timezone(name: Option<&str>) -> Result<Tz, AppError> {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        None => Ok(chrono_tz::Asia::Tokyo),
        Some(name) => name
            .parse::<Tz>()
            .map_err(|_| invalid(format!("Time zone {name:?} is not an IANA time zone"))),
    }
}

/// A time as sent: with an offset (`Z`, `+09:00`) it is that instant; without one it is the wall
/// time in `zone`.
pub fn time(field: &str, text: &str, zone: Tz) -> Result<DateTime<Utc>, AppError> {
    let text = text.trim();
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Ok(instant.with_timezone(&Utc));
    }
    let naive = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .ok_or_else(|| {
        invalid(format!(
            "{field} {text:?} is not a date and time (use 2027-03-12T19:00 or RFC 3339)"
        ))
    })?;
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            invalid(format!(
                "{field} {text:?} does not exist in {}",
                zone.name()
            ))
        })
}

pub fn end_after_start(start: DateTime<Utc>, end: Option<DateTime<Utc>>) -> Result<(), AppError> {
    if let Some(end) = end
        && end <= start
    {
        return Err(invalid("End time must be after the start time"));
    }
    Ok(())
}

/// Trimmed, `None` when empty, at most [`MAX_PLACE`] characters.
pub fn place_text(field: &str, text: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_PLACE {
        return Err(invalid(format!(
            "{field} is longer than {MAX_PLACE} characters"
        )));
    }
    Ok(Some(text.to_owned()))
}

pub fn prefecture(text: Option<&str>) -> Result<Option<i32>, AppError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => Prefecture::parse(text)
            .map(|p| Some(i32::from(p.code())))
            .ok_or_else(|| invalid(format!("Prefecture {text:?} is not one of the 47"))),
    }
}

pub fn coordinates(
    latitude: Option<f64>,
    longitude: Option<f64>,
) -> Result<(Option<f64>, Option<f64>), AppError> {
    match (latitude, longitude) {
        (None, None) => Ok((None, None)),
        (Some(lat), Some(lon))
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
        {
            Ok((Some(lat), Some(lon)))
        }
        (Some(_), Some(_)) => Err(invalid("Coordinates are out of range")),
        _ => Err(invalid("Latitude and longitude go together")),
    }
}

/// An `http(s)` URL (and `mailto:` where `mailto` is allowed).
pub fn web_url(field: &str, text: Option<&str>, mailto: bool) -> Result<Option<String>, AppError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let url = Url::parse(text).map_err(|_| invalid(format!("{field} is not a URL")))?;
    let allowed = matches!(url.scheme(), "http" | "https") || (mailto && url.scheme() == "mailto");
    if !allowed || text.len() > 2000 {
        return Err(invalid(format!("{field} must be an http(s) URL")));
    }
    Ok(Some(url.to_string()))
}

pub fn category(text: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let upper = text.to_uppercase();
    if CATEGORIES.contains(&upper.as_str()) {
        Ok(Some(upper))
    } else {
        Err(invalid(format!(
            "Category {text:?} is not one of FEP-8a8e's categories"
        )))
    }
}

pub fn tags(list: &[String]) -> Result<Vec<String>, AppError> {
    let mut out: Vec<String> = Vec::new();
    for tag in list {
        let name = html::normalise_tag(tag.trim().trim_start_matches('#'));
        if name.is_empty() {
            continue;
        }
        if name.chars().count() > 100 {
            return Err(invalid("A tag is longer than 100 characters"));
        }
        if !out.contains(&name) {
            out.push(name);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(invalid(format!("An event has at most {MAX_TAGS} tags")));
    }
    Ok(out)
}

/// `None` or 0 means no limit.
pub fn capacity(value: Option<i64>) -> Result<Option<i32>, AppError> {
    match value {
        None | Some(0) => Ok(None),
        Some(n) if n < 0 || n > i64::from(MAX_CAPACITY) => Err(invalid(format!(
            "Capacity must be between 0 (no limit) and {MAX_CAPACITY}"
        ))),
        Some(n) => Ok(i32::try_from(n).ok()),
    }
}

pub fn join_mode(text: Option<&str>) -> Result<String, AppError> {
    let mode = text
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("free");
    let mode = if mode == "approval" {
        "restricted"
    } else {
        mode
    };
    if JOIN_MODES.contains(&mode) {
        Ok(mode.to_owned())
    } else {
        Err(invalid(format!(
            "Join mode {mode:?} is not one of free, restricted, invite, external"
        )))
    }
}

pub fn visibility(text: Option<&str>) -> Result<String, AppError> {
    let value = text
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("public");
    let value = if matches!(value, "followers" | "members") {
        "private"
    } else {
        value
    };
    if VISIBILITIES.contains(&value) {
        Ok(value.to_owned())
    } else {
        Err(invalid(format!(
            "Visibility {value:?} is not one of public, unlisted, private"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_times_are_read_in_the_zone_and_offsets_are_kept() {
        let tokyo = chrono_tz::Asia::Tokyo;
        let local = time("Start time", "2027-03-12T19:00", tokyo).unwrap_or_default();
        assert_eq!(local.to_rfc3339(), "2027-03-12T10:00:00+00:00");
        let absolute = time("Start time", "2027-03-12T19:00:00+01:00", tokyo).unwrap_or_default();
        assert_eq!(absolute.to_rfc3339(), "2027-03-12T18:00:00+00:00");
        assert!(time("Start time", "next Tuesday", tokyo).is_err());
        // 02:30 on 2027-03-28 does not exist in Vienna (clocks jump to 03:00).
        assert!(time("Start time", "2027-03-28T02:30", chrono_tz::Europe::Vienna).is_err());
    }

    #[test]
    fn fields_are_checked() {
        assert!(timezone(Some("Mars/Olympus")).is_err());
        assert_eq!(timezone(None).ok(), Some(chrono_tz::Asia::Tokyo));
        assert_eq!(
            category(Some("learning")).ok().flatten().as_deref(),
            Some("LEARNING")
        );
        assert!(category(Some("PICNIC")).is_err());
        assert_eq!(prefecture(Some("東京都")).ok().flatten(), Some(13));
        assert!(prefecture(Some("Atlantis")).is_err());
        assert!(web_url("Online URL", Some("javascript:alert(1)"), false).is_err());
        assert!(web_url("External URL", Some("mailto:a@b.example"), true).is_ok());
        assert_eq!(capacity(Some(0)).ok().flatten(), None);
        assert!(capacity(Some(-1)).is_err());
        assert_eq!(
            join_mode(Some("approval")).ok().as_deref(),
            Some("restricted")
        );
        assert!(coordinates(Some(35.0), None).is_err());
    }
}
