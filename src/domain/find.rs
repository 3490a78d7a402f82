//! Finding accounts, hashtags and statuses for the search endpoints: by URL (known objects), by
//! `acct`, or by text (case-insensitive substring over names, hashtag prefixes, and the content
//! of public statuses and the viewer's own).
//!
//! Remote accounts and statuses are found only when already stored: `resolve` (WebFinger and
//! fetching by URL) waits for the federation side to offer a resolver.

use crate::db::models::{AccountRow, StatusRow, TagRow};
use crate::db::{DbConnection, store};
use crate::domain::urls::Urls;
use crate::domain::visibility;
use crate::error::AppError;

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub q: String,
    /// `accounts`, `hashtags` or `statuses`; `None` for all three.
    pub kind: Option<String>,
    /// Only accounts the viewer follows.
    pub following: bool,
    /// Only statuses by this account.
    pub account_id: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// What a search found; accounts by id, for rendering.
#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    pub accounts: Vec<AccountRow>,
    pub hashtags: Vec<TagRow>,
    pub statuses: Vec<StatusRow>,
}

fn wants(kind: &Option<String>, what: &str) -> bool {
    kind.as_deref().is_none_or(|k| k == what)
}

/// `name`, `@name`, `name@domain`, `@name@domain`: the name and the domain (`None` for ours).
pub fn split_acct(urls: &Urls, q: &str) -> (String, Option<String>) {
    let q = q.trim().trim_start_matches('@');
    match q.split_once('@') {
        Some((name, domain)) if domain.eq_ignore_ascii_case(&urls.domain()) => {
            (name.to_owned(), None)
        }
        Some((name, domain)) => (name.to_owned(), Some(domain.to_lowercase())),
        None => (q.to_owned(), None),
    }
}

/// Accounts matching `q` (an `acct` finds its exact account first).
pub fn accounts(
    conn: &mut DbConnection,
    urls: &Urls,
    q: &str,
    following_of: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<AccountRow>, AppError> {
    let (name, domain) = split_acct(urls, q);
    if name.is_empty() && domain.is_none() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    if offset == 0
        && !name.is_empty()
        && let Some(exact) = store::profiles::find_by_acct(conn, &name, domain.as_deref())?
        && exact.suspended_at.is_none()
        && exact.actor_type != "Application"
    {
        let followed = match following_of {
            None => true,
            Some(me) => {
                store::relations::find_follow(conn, me, exact.id)?.is_some_and(|f| f.accepted())
            }
        };
        if followed {
            found.push(exact);
        }
    }
    for account in
        store::search::accounts(conn, &name, domain.as_deref(), following_of, limit, offset)?
    {
        if !found.iter().any(|a| a.id == account.id) {
            found.push(account);
        }
    }
    found.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(found)
}

/// Accounts, hashtags and statuses for `GET /api/v2/search`, as `viewer` may see them.
pub fn search(
    conn: &mut DbConnection,
    urls: &Urls,
    viewer: Option<i64>,
    query: &SearchQuery,
) -> Result<SearchResults, AppError> {
    let q = query.q.trim();
    let mut results = SearchResults::default();
    if q.is_empty() {
        return Ok(results);
    }
    if q.starts_with("https://") || q.starts_with("http://") {
        if wants(&query.kind, "accounts")
            && let Some(account) = store::search::account_by_url(conn, q)?
        {
            results.accounts.push(account);
        }
        if wants(&query.kind, "statuses")
            && let Some(status) = store::search::status_by_url(conn, q)?
            && visibility::can_view(conn, viewer, &status)?
        {
            results.statuses.push(status);
        }
        return Ok(results);
    }
    let following_of = if query.following { viewer } else { None };
    if wants(&query.kind, "accounts") && !(query.following && viewer.is_none()) {
        results.accounts = accounts(conn, urls, q, following_of, query.limit, query.offset)?;
    }
    if wants(&query.kind, "hashtags") {
        let name = q.trim_start_matches(['#', '＃']);
        if !name.is_empty() && !name.contains(char::is_whitespace) {
            results.hashtags = store::search::tags(conn, name, query.limit, query.offset)?;
        }
    }
    if wants(&query.kind, "statuses")
        && let Some(viewer) = viewer
    {
        let rows =
            store::search::statuses(conn, q, viewer, query.account_id, query.limit, query.offset)?;
        results.statuses = visibility::filter_visible(conn, Some(viewer), rows)?;
    }
    Ok(results)
}
