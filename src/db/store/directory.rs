//! Queries of the event directory (known public events, local and remote, by start time), the
//! calendar feeds' event lists and private calendar tokens.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use crate::db::DbConnection;
use crate::db::models::{CalendarTokenRow, EventRow};
use crate::db::schema::{calendar_tokens, event_participants, events, statuses_tags, tags};
use crate::db::store::{Backend, lower};

/// How long before the start of the range an event may have begun and still be listed as
/// ongoing (exhibitions aside, events last hours or days).
pub const ONGOING_DAYS: i64 = 31;

/// What the directory is asked for; every field narrows the list.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    /// Events that have not ended by then (those without an end: not started before).
    pub from: Option<NaiveDateTime>,
    /// Events that start by then.
    pub until: Option<NaiveDateTime>,
    pub prefecture: Option<i32>,
    /// An FEP-8a8e category, upper case.
    pub category: Option<String>,
    /// A tag name, any case.
    pub tag: Option<String>,
    /// `Some(true)`: with an online URL; `Some(false)`: with a place and no online URL.
    pub online: Option<bool>,
    pub organiser_id: Option<i64>,
    pub group_id: Option<i64>,
    /// Grams that must all be indexed for the event (each query word's bigrams).
    pub grams: Vec<String>,
    /// Normalised words that must all appear in `search_text`.
    pub words: Vec<String>,
    /// Only public events (the directory and public feeds); `false` for a member's own feed.
    pub public_only: bool,
    /// Only events this account takes part in (`accepted` or `tentative`).
    pub participant: Option<i64>,
}

fn like_pattern(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    out.push('%');
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

fn filtered(query: &EventQuery) -> events::BoxedQuery<'static, Backend> {
    let mut q = events::table.into_boxed::<Backend>();
    if query.public_only {
        q = q.filter(events::visibility.eq("public"));
    }
    if let Some(from) = query.from {
        q = q.filter(
            events::ends_at
                .ge(from)
                .or(events::ends_at.is_null().and(events::starts_at.ge(from))),
        );
        // A bound the start-time indexes can use: longer events are not listed as ongoing.
        q = q.filter(events::starts_at.ge(from - chrono::Duration::days(ONGOING_DAYS)));
    }
    if let Some(until) = query.until {
        q = q.filter(events::starts_at.le(until));
    }
    if let Some(prefecture) = query.prefecture {
        q = q.filter(events::prefecture.eq(prefecture));
    }
    if let Some(category) = &query.category {
        q = q.filter(events::category.eq(category.clone()));
    }
    match query.online {
        Some(true) => q = q.filter(events::online_url.is_not_null()),
        Some(false) => {
            q = q.filter(events::online_url.is_null());
        }
        None => {}
    }
    if let Some(organiser) = query.organiser_id {
        q = q.filter(events::organiser_id.eq(organiser));
    }
    if let Some(group) = query.group_id {
        q = q.filter(events::group_id.eq(group));
    }
    if let Some(tag) = &query.tag {
        let tagged = statuses_tags::table
            .inner_join(tags::table)
            .filter(lower(tags::name).eq(tag.to_lowercase()))
            .select(statuses_tags::status_id);
        q = q.filter(events::id.eq_any(tagged));
    }
    if let Some(account) = query.participant {
        let joined = event_participants::table
            .filter(event_participants::account_id.eq(account))
            .filter(event_participants::state.eq_any(["accepted", "tentative"]))
            .select(event_participants::event_id);
        q = q.filter(events::id.eq_any(joined));
    }
    // Every gram must be indexed for the event, then every word must really be in its text
    // (bigrams in any order are not the word). The gram check is a correlated EXISTS on the
    // (gram, event_id) key: one lookup per candidate row, so the other filters and the start
    // order drive the plan (an IN list of a common gram's events costs far more).
    for gram in &query.grams {
        q = q.filter(
            sql::<Bool>(
                "EXISTS (SELECT 1 FROM event_search_grams g WHERE g.event_id = events.id AND g.gram = ",
            )
            .bind::<Text, _>(gram.clone())
            .sql(")"),
        );
    }
    for word in &query.words {
        q = q.filter(events::search_text.like(like_pattern(word)).escape('\\'));
    }
    q
}

/// One page of matching events by start time (then id), `offset` rows in.
pub fn events(
    conn: &mut DbConnection,
    query: &EventQuery,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<EventRow>> {
    filtered(query)
        .order((events::starts_at.asc(), events::id.asc()))
        .offset(offset)
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<EventRow>> {
    events::table
        .find(id)
        .select(EventRow::as_select())
        .first(conn)
        .optional()
}

/// The tags of an event (its status row's).
pub fn tags_of(conn: &mut DbConnection, event_id: i64) -> QueryResult<Vec<String>> {
    statuses_tags::table
        .inner_join(tags::table)
        .filter(statuses_tags::status_id.eq(event_id))
        .order(tags::name.asc())
        .select(tags::name)
        .load(conn)
}

/// Accepted participants of an event, oldest first: (account id, state).
pub fn participants(conn: &mut DbConnection, event_id: i64) -> QueryResult<Vec<(i64, String)>> {
    event_participants::table
        .filter(event_participants::event_id.eq(event_id))
        .order(event_participants::id.asc())
        .select((event_participants::account_id, event_participants::state))
        .load(conn)
}

/// This account's part in an event, if any.
pub fn participation(
    conn: &mut DbConnection,
    event_id: i64,
    account_id: i64,
) -> QueryResult<Option<String>> {
    event_participants::table
        .filter(event_participants::event_id.eq(event_id))
        .filter(event_participants::account_id.eq(account_id))
        .select(event_participants::state)
        .first(conn)
        .optional()
}

// ---- calendar tokens ----

pub fn insert_token(
    conn: &mut DbConnection,
    id: i64,
    account_id: i64,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(calendar_tokens::table)
        .values((
            calendar_tokens::id.eq(id),
            calendar_tokens::account_id.eq(account_id),
            calendar_tokens::token_hash.eq(token_hash),
            calendar_tokens::created_at.eq(now),
        ))
        .execute(conn)
}

/// The live (not revoked) token with this hash.
pub fn find_token(
    conn: &mut DbConnection,
    token_hash: &str,
) -> QueryResult<Option<CalendarTokenRow>> {
    calendar_tokens::table
        .filter(calendar_tokens::token_hash.eq(token_hash))
        .filter(calendar_tokens::revoked_at.is_null())
        .select(CalendarTokenRow::as_select())
        .first(conn)
        .optional()
}

/// The account's live tokens.
pub fn live_tokens(conn: &mut DbConnection, account_id: i64) -> QueryResult<Vec<CalendarTokenRow>> {
    calendar_tokens::table
        .filter(calendar_tokens::account_id.eq(account_id))
        .filter(calendar_tokens::revoked_at.is_null())
        .select(CalendarTokenRow::as_select())
        .load(conn)
}

/// Revokes every live token of the account.
pub fn revoke_tokens(
    conn: &mut DbConnection,
    account_id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        calendar_tokens::table
            .filter(calendar_tokens::account_id.eq(account_id))
            .filter(calendar_tokens::revoked_at.is_null()),
    )
    .set(calendar_tokens::revoked_at.eq(now))
    .execute(conn)
}
