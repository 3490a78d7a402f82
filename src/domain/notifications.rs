//! Telling members what happened: who may notify whom, and reading notifications.

use chrono::Utc;

use crate::db::models::NotificationRow;
use crate::db::store::{self, Page};
use crate::db::{DbConnection, ids};
use crate::domain::effects::{Effects, StreamEvent};
use crate::error::AppError;

/// Mastodon's notification types we create.
pub mod kind {
    pub const MENTION: &str = "mention";
    pub const STATUS: &str = "status";
    pub const REBLOG: &str = "reblog";
    pub const FOLLOW: &str = "follow";
    pub const FOLLOW_REQUEST: &str = "follow_request";
    pub const FAVOURITE: &str = "favourite";
    pub const UPDATE: &str = "update";
}

/// Every type a client may filter on.
pub const ALL_KINDS: &[&str] = &[
    kind::MENTION,
    kind::STATUS,
    kind::REBLOG,
    kind::FOLLOW,
    kind::FOLLOW_REQUEST,
    kind::FAVOURITE,
    kind::UPDATE,
    "poll",
    "pleroma:participation_request",
    "pleroma:participation_accepted",
    "pleroma:event_reminder",
    "admin.sign_up",
    "admin.report",
];

/// Notifies local member `account_id` that `from_account_id` did `kind` (about `status_id`),
/// unless it is about themselves, they blocked each other, or the member muted `from` with
/// notifications. Returns whether a notification was made.
pub fn notify(
    conn: &mut DbConnection,
    fx: &mut Effects,
    account_id: i64,
    from_account_id: i64,
    kind: &str,
    status_id: Option<i64>,
) -> Result<bool, AppError> {
    if account_id == from_account_id {
        return Ok(false);
    }
    let Some(recipient) = store::accounts::find_by_id(conn, account_id)? else {
        return Ok(false);
    };
    if !recipient.is_local() {
        return Ok(false);
    }
    if store::relations::blocked_either_way(conn, account_id, from_account_id)? {
        return Ok(false);
    }
    let now = Utc::now().naive_utc();
    if let Some(mute) = store::relations::find_mute(conn, account_id, from_account_id)?
        && mute.notifications
        && mute.expires_at.is_none_or(|t| t > now)
    {
        return Ok(false);
    }
    let row = NotificationRow {
        id: ids::next_id(),
        account_id,
        from_account_id,
        kind: kind.to_owned(),
        status_id,
        created_at: now,
    };
    store::relations::insert_notification(conn, &row)?;
    fx.publish(StreamEvent::Notification {
        account_id,
        notification_id: row.id,
    });
    Ok(true)
}

/// Which notifications to list.
#[derive(Debug, Clone, Default)]
pub struct NotificationFilter {
    /// Only these types (`types[]`); empty means all.
    pub types: Vec<String>,
    /// Not these types (`exclude_types[]`).
    pub exclude_types: Vec<String>,
    /// Only from this account (`account_id`).
    pub account_id: Option<i64>,
}

pub fn list(
    conn: &mut DbConnection,
    account_id: i64,
    filter: &NotificationFilter,
    page: &Page,
) -> Result<Vec<NotificationRow>, AppError> {
    Ok(store::relations::notifications_page(
        conn,
        account_id,
        &filter.types,
        &filter.exclude_types,
        filter.account_id,
        page,
    )?)
}

/// One of the member's notifications.
pub fn find(
    conn: &mut DbConnection,
    account_id: i64,
    id: i64,
) -> Result<NotificationRow, AppError> {
    store::relations::find_notification(conn, account_id, id)?.ok_or(AppError::NotFound)
}

/// Removes one of the member's notifications.
pub fn dismiss(conn: &mut DbConnection, account_id: i64, id: i64) -> Result<(), AppError> {
    find(conn, account_id, id)?;
    store::relations::delete_notification(conn, account_id, id)?;
    Ok(())
}

/// Removes all of the member's notifications.
pub fn clear(conn: &mut DbConnection, account_id: i64) -> Result<(), AppError> {
    store::relations::clear_notifications(conn, account_id)?;
    Ok(())
}
