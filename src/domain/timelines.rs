//! Timelines: home (the member's feed), public (local, remote or all), hashtag and profile.

use chrono::Utc;

use crate::db::DbConnection;
use crate::db::models::StatusRow;
use crate::db::store::statuses::{AccountStatusesFilter, Origin};
use crate::db::store::{self, Page};
use crate::domain::visibility;
use crate::error::AppError;

/// The member's home timeline: what the accounts they follow posted and boosted, and their own.
pub fn home(
    conn: &mut DbConnection,
    account_id: i64,
    page: &Page,
) -> Result<Vec<StatusRow>, AppError> {
    let hidden = store::relations::hidden_accounts(conn, account_id, Utc::now().naive_utc())?;
    let rows = store::relations::home_page(conn, account_id, &hidden, page)?;
    hide_boosts_of_hidden(conn, account_id, rows, &hidden)
}

/// Public statuses, without those of accounts the viewer muted or blocked.
pub fn public(
    conn: &mut DbConnection,
    viewer: Option<i64>,
    origin: Origin,
    tag: Option<&str>,
    page: &Page,
) -> Result<Vec<StatusRow>, AppError> {
    public_filtered(conn, viewer, origin, tag, false, page)
}

/// [`public`], with only statuses that have attachments when `only_media`.
pub fn public_filtered(
    conn: &mut DbConnection,
    viewer: Option<i64>,
    origin: Origin,
    tag: Option<&str>,
    only_media: bool,
    page: &Page,
) -> Result<Vec<StatusRow>, AppError> {
    let rows = store::statuses::public_filtered(conn, origin, tag, only_media, page)?;
    match viewer {
        None => Ok(rows),
        Some(viewer) => {
            let hidden = store::relations::hidden_accounts(conn, viewer, Utc::now().naive_utc())?;
            Ok(rows
                .into_iter()
                .filter(|s| !hidden.contains(&s.account_id))
                .collect())
        }
    }
}

/// A profile's statuses as the viewer may see them.
pub fn account_statuses(
    conn: &mut DbConnection,
    viewer: Option<i64>,
    account_id: i64,
    mut filter: AccountStatusesFilter,
    page: &Page,
) -> Result<Vec<StatusRow>, AppError> {
    if let Some(viewer) = viewer
        && viewer != account_id
        && store::relations::blocked_either_way(conn, viewer, account_id)?
    {
        return Ok(Vec::new());
    }
    let follows = match viewer {
        Some(viewer) if viewer == account_id => true,
        Some(viewer) => {
            store::relations::find_follow(conn, viewer, account_id)?.is_some_and(|f| f.accepted())
        }
        None => false,
    };
    filter.visibilities = if follows {
        vec!["public", "unlisted", "private", "direct"]
    } else {
        vec!["public", "unlisted", "direct"]
    };
    let rows = store::statuses::by_account(conn, account_id, &filter, page)?;
    // Direct messages only where the viewer is mentioned; the query let them through.
    visibility::filter_visible(conn, viewer, rows)
}

/// Drops boosts whose original author the viewer has muted or blocked.
fn hide_boosts_of_hidden(
    conn: &mut DbConnection,
    _viewer: i64,
    rows: Vec<StatusRow>,
    hidden: &[i64],
) -> Result<Vec<StatusRow>, AppError> {
    if hidden.is_empty() {
        return Ok(rows);
    }
    let originals: Vec<i64> = rows.iter().filter_map(|s| s.reblog_of_id).collect();
    let hidden_originals: Vec<i64> = store::statuses::find_many(conn, &originals)?
        .into_iter()
        .filter(|s| hidden.contains(&s.account_id))
        .map(|s| s.id)
        .collect();
    Ok(rows
        .into_iter()
        .filter(|s| {
            s.reblog_of_id
                .is_none_or(|o| !hidden_originals.contains(&o))
        })
        .collect())
}
