//! The event directory: known upcoming public events, local and remote, filtered by date range,
//! prefecture, category, tag, online or not, organiser or group and free text, by start time.
//!
//! Free text uses the bigram index (`event_search_grams`): every bigram of every query word must
//! be indexed for an event, then every word must be in its normalised text (see
//! docs/adr/0007-directory-search-bigrams.md).

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::db::models::{AccountRow, EventRow};
use crate::db::store::directory::EventQuery;
use crate::db::{Db, DbConnection, store};
use crate::domain::events::CATEGORIES;
use crate::domain::prefectures::Prefecture;
use crate::domain::search;
use crate::error::AppError;

/// The most events one page shows.
pub const MAX_LIMIT: i64 = 80;
/// Events per page unless asked otherwise.
pub const DEFAULT_LIMIT: i64 = 20;

/// The directory's filters as a client or a form sends them (all optional text).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct DirectoryParams {
    /// Free text; every word must appear (Japanese needs no spaces).
    pub q: Option<String>,
    /// `YYYY-MM-DD` (a day in Asia/Tokyo) or RFC 3339: events not ended by then. Default: now.
    pub from: Option<String>,
    /// `YYYY-MM-DD` (through the end of that day) or RFC 3339: events starting by then.
    pub to: Option<String>,
    /// JIS code (`13`) or name (`東京都`, `Tokyo`).
    pub prefecture: Option<String>,
    pub category: Option<String>,
    pub tag: Option<String>,
    /// `online` (or `true`): with an online link; `offline` (or `false`): in person only.
    pub online: Option<String>,
    /// An organiser: account id or `name@domain` (`name` for a local member).
    pub organiser: Option<String>,
    /// A group: account id or `name@domain`.
    pub group: Option<String>,
    pub offset: Option<i64>,
    pub limit: Option<i64>,
}

impl DirectoryParams {
    /// Whether any filter is set (empty strings count as unset).
    pub fn is_filtered(&self) -> bool {
        [
            &self.q,
            &self.from,
            &self.to,
            &self.prefecture,
            &self.category,
            &self.tag,
            &self.online,
            &self.organiser,
            &self.group,
        ]
        .iter()
        .any(|v| v.as_deref().is_some_and(|s| !s.trim().is_empty()))
    }
}

fn set(value: Option<&String>) -> Option<&str> {
    value.map(|s| s.trim()).filter(|s| !s.is_empty())
}

const DEFAULT_ZONE: Tz = chrono_tz::Asia::Tokyo;

/// A date bound: `YYYY-MM-DD` is the start (or, for `end`, the end) of that day in Asia/Tokyo.
pub fn parse_bound(text: &str, end: bool) -> Result<NaiveDateTime, AppError> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc).naive_utc());
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        AppError::Unprocessable(format!(
            "\"{text}\" is not a date (YYYY-MM-DD) or an RFC 3339 time"
        ))
    })?;
    let local = if end {
        day.and_hms_opt(23, 59, 59)
    } else {
        day.and_hms_opt(0, 0, 0)
    }
    .ok_or_else(|| AppError::Unprocessable(format!("\"{text}\" is not a date")))?;
    DEFAULT_ZONE
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc).naive_utc())
        .ok_or_else(|| AppError::Unprocessable(format!("\"{text}\" is not a date")))
}

fn parse_online(text: &str) -> Result<bool, AppError> {
    match text.to_ascii_lowercase().as_str() {
        "online" | "true" | "1" | "yes" => Ok(true),
        "offline" | "false" | "0" | "no" => Ok(false),
        _ => Err(AppError::Unprocessable(format!(
            "online is \"online\" or \"offline\", not \"{text}\""
        ))),
    }
}

/// An account named by id or `name@domain` (`name` alone: local); `-1` (matches nothing) when
/// unknown, so an unknown organiser gives an empty list rather than everything.
fn account_id(conn: &mut DbConnection, text: &str, own_domain: &str) -> Result<i64, AppError> {
    if let Ok(id) = text.parse::<i64>() {
        return Ok(id);
    }
    let acct = text.trim_start_matches('@');
    let (name, domain) = match acct.rsplit_once('@') {
        Some((name, domain)) if !domain.eq_ignore_ascii_case(own_domain) => {
            (name, Some(domain.to_lowercase()))
        }
        Some((name, _)) => (name, None),
        None => (acct, None),
    };
    Ok(store::accounts::find_by_acct(conn, name, domain.as_deref())?.map_or(-1, |a| a.id))
}

/// Turns the parameters into a query (the date default is `now`: upcoming events).
pub fn query_of(
    conn: &mut DbConnection,
    params: &DirectoryParams,
    own_domain: &str,
    now: NaiveDateTime,
) -> Result<EventQuery, AppError> {
    let mut query = EventQuery {
        public_only: true,
        from: Some(match set(params.from.as_ref()) {
            Some(text) => parse_bound(text, false)?,
            None => now,
        }),
        until: set(params.to.as_ref())
            .map(|t| parse_bound(t, true))
            .transpose()?,
        ..EventQuery::default()
    };
    if let Some(text) = set(params.prefecture.as_ref()) {
        let prefecture = Prefecture::parse(text).ok_or_else(|| {
            AppError::Unprocessable(format!("\"{text}\" is not a prefecture (JIS code or name)"))
        })?;
        query.prefecture = Some(i32::from(prefecture.code()));
    }
    if let Some(text) = set(params.category.as_ref()) {
        let upper = text.to_ascii_uppercase();
        if !CATEGORIES.contains(&upper.as_str()) {
            return Err(AppError::Unprocessable(format!(
                "\"{text}\" is not an FEP-8a8e category"
            )));
        }
        query.category = Some(upper);
    }
    query.tag = set(params.tag.as_ref()).map(|t| t.trim_start_matches('#').to_owned());
    query.online = set(params.online.as_ref()).map(parse_online).transpose()?;
    if let Some(text) = set(params.organiser.as_ref()) {
        query.organiser_id = Some(account_id(conn, text, own_domain)?);
    }
    if let Some(text) = set(params.group.as_ref()) {
        query.group_id = Some(account_id(conn, text, own_domain)?);
    }
    if let Some(text) = set(params.q.as_ref()) {
        query.words = search::query_terms(text);
        let mut grams: Vec<String> = query.words.iter().flat_map(|w| search::grams(w)).collect();
        // A one-letter word is its own gram only when the indexed word was one letter too: such
        // words are checked on the text alone.
        grams.retain(|g| g.chars().count() == 2);
        grams.sort();
        grams.dedup();
        query.grams = grams;
    }
    Ok(query)
}

/// One page of events matching `query`, checked against the text once more.
pub fn page(
    conn: &mut DbConnection,
    query: &EventQuery,
    offset: i64,
    limit: i64,
) -> Result<Vec<EventRow>, AppError> {
    let rows = store::directory::events(conn, query, offset.max(0), limit.clamp(1, MAX_LIMIT))?;
    Ok(rows
        .into_iter()
        .filter(|e| search::matches(&e.search_text, &query.words))
        .collect())
}

/// A directory search: the matching events, by start time.
pub async fn search(
    db: &Db,
    params: DirectoryParams,
    own_domain: String,
) -> Result<Vec<EventRow>, AppError> {
    db.run(move |conn| {
        let query = query_of(conn, &params, &own_domain, Utc::now().naive_utc())?;
        page(
            conn,
            &query,
            params.offset.unwrap_or(0),
            params.limit.unwrap_or(DEFAULT_LIMIT),
        )
    })
    .await
}

/// An event with what pages and feeds show beside it.
#[derive(Debug, Clone)]
pub struct EventView {
    pub event: EventRow,
    pub organiser: AccountRow,
    pub group: Option<AccountRow>,
    pub tags: Vec<String>,
}

/// Loads the organiser, group and tags of each event.
pub fn views(conn: &mut DbConnection, events: Vec<EventRow>) -> Result<Vec<EventView>, AppError> {
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        let Some(organiser) = store::accounts::find_by_id(conn, event.organiser_id)? else {
            continue;
        };
        let group = match event.group_id {
            Some(id) => store::accounts::find_by_id(conn, id)?,
            None => None,
        };
        let tags = store::directory::tags_of(conn, event.id)?;
        out.push(EventView {
            event,
            organiser,
            group,
            tags,
        });
    }
    Ok(out)
}
