//! Searching accounts, hashtags and statuses by text: case-insensitive `LIKE`, the same on both
//! backends (no full-text index yet).

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::{AccountRow, StatusRow, TagRow};
use crate::db::schema::{accounts, follows, statuses, tags};
use crate::db::store::{Backend, lower};

/// `%text%` for `LIKE ... ESCAPE '\'`, with the wildcards of `text` escaped.
pub fn contains_pattern(text: &str) -> String {
    format!("%{}%", escape_like(text))
}

/// `text%`.
pub fn prefix_pattern(text: &str) -> String {
    format!("{}%", escape_like(text))
}

fn escape_like(text: &str) -> String {
    text.to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Accounts whose name or display name contains `text` (the domain too, for `name@domain`
/// queries: `domain` narrows it), not suspended, people and groups only; those `following_of`
/// follows when given. Local accounts first, then by name.
pub fn accounts(
    conn: &mut DbConnection,
    text: &str,
    domain: Option<&str>,
    following_of: Option<i64>,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<AccountRow>> {
    let pattern = contains_pattern(text);
    let mut query = accounts::table
        .filter(accounts::suspended_at.is_null())
        .filter(accounts::actor_type.eq_any(["Person", "Group", "Service", "Organization"]))
        .filter(
            lower(accounts::username)
                .like(pattern.clone())
                .escape('\\')
                .or(lower(accounts::display_name).like(pattern).escape('\\')),
        )
        .select(AccountRow::as_select())
        .into_boxed::<Backend>();
    if let Some(domain) = domain {
        query = query.filter(
            lower(accounts::domain.assume_not_null())
                .like(prefix_pattern(domain))
                .escape('\\'),
        );
    }
    if let Some(me) = following_of {
        let followed = follows::table
            .filter(follows::account_id.eq(me))
            .filter(follows::state.eq("accepted"))
            .select(follows::target_account_id);
        query = query.filter(accounts::id.eq_any(followed));
    }
    query
        .order((accounts::domain.is_not_null(), accounts::username.asc()))
        .limit(limit)
        .offset(offset)
        .load(conn)
}

/// Hashtags starting with `text`, shortest first.
pub fn tags(
    conn: &mut DbConnection,
    text: &str,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<TagRow>> {
    tags::table
        .filter(lower(tags::name).like(prefix_pattern(text)).escape('\\'))
        .order((
            diesel::dsl::sql::<diesel::sql_types::Integer>("length(name)"),
            tags::name.asc(),
        ))
        .limit(limit)
        .offset(offset)
        .select(TagRow::as_select())
        .load(conn)
}

/// Original statuses whose content contains `text`: public ones, and the viewer's own whatever
/// their visibility. Newest first.
pub fn statuses(
    conn: &mut DbConnection,
    text: &str,
    viewer: i64,
    by_account: Option<i64>,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<StatusRow>> {
    let pattern = contains_pattern(text);
    let mut query = statuses::table
        .filter(statuses::reblog_of_id.is_null())
        .filter(
            statuses::visibility
                .eq("public")
                .or(statuses::account_id.eq(viewer)),
        )
        .filter(
            lower(statuses::content)
                .like(pattern.clone())
                .escape('\\')
                .or(lower(statuses::spoiler_text).like(pattern).escape('\\')),
        )
        .select(StatusRow::as_select())
        .into_boxed::<Backend>();
    if let Some(account) = by_account {
        query = query.filter(statuses::account_id.eq(account));
    }
    query
        .order(statuses::id.desc())
        .limit(limit)
        .offset(offset)
        .load(conn)
}

/// A known status by its ActivityPub id or its web page URL.
pub fn status_by_url(conn: &mut DbConnection, url: &str) -> QueryResult<Option<StatusRow>> {
    statuses::table
        .filter(statuses::ap_id.eq(url).or(statuses::url.eq(url)))
        .select(StatusRow::as_select())
        .first(conn)
        .optional()
}

/// A known account by its ActivityPub id or its profile URL.
pub fn account_by_url(conn: &mut DbConnection, url: &str) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .filter(accounts::ap_id.eq(url).or(accounts::url.eq(url)))
        .filter(accounts::suspended_at.is_null())
        .select(AccountRow::as_select())
        .first(conn)
        .optional()
}
