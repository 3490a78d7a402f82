//! Favourites, boosts, bookmarks and pins of statuses.

use chrono::Utc;

use crate::db::models::{BookmarkRow, FavouriteRow, NewStatus, PinRow, StatusRow};
use crate::db::store::statuses::Counter;
use crate::db::{DbConnection, ids, store};
use crate::domain::change;
use crate::domain::effects::{Effects, Outgoing};
use crate::domain::notifications::{self, kind};
use crate::domain::statuses;
use crate::domain::urls::Urls;
use crate::domain::visibility::{self, Visibility};
use crate::error::AppError;
use crate::state::AppState;

/// Boosts point at the original; acting on a boost acts on what it boosts.
fn original(conn: &mut DbConnection, status: StatusRow) -> Result<StatusRow, AppError> {
    match status.reblog_of_id {
        Some(id) => store::statuses::find(conn, id)?.ok_or(AppError::NotFound),
        None => Ok(status),
    }
}

/// Favourites a status the member may see; doing it twice changes nothing.
pub async fn favourite(
    state: &AppState,
    account_id: i64,
    status_id: i64,
) -> Result<StatusRow, AppError> {
    change(state, move |conn, fx| {
        let status = visibility::visible_status(conn, Some(account_id), status_id)?;
        let status = original(conn, status)?;
        add_favourite(conn, fx, account_id, &status, None)?;
        store::statuses::find(conn, status.id)?.ok_or(AppError::NotFound)
    })
    .await
}

/// Records a favourite (local, or received with its `Like` id) and what it causes.
pub fn add_favourite(
    conn: &mut DbConnection,
    fx: &mut Effects,
    account_id: i64,
    status: &StatusRow,
    like_ap_id: Option<String>,
) -> Result<(), AppError> {
    if store::relations::find_favourite(conn, account_id, status.id)?.is_some() {
        return Ok(());
    }
    let liker = store::accounts::find_by_id(conn, account_id)?.ok_or(AppError::NotFound)?;
    let id = ids::next_id();
    let row = FavouriteRow {
        id,
        account_id,
        status_id: status.id,
        ap_id: like_ap_id.or_else(|| {
            liker
                .is_local()
                .then(|| format!("{}#likes/{id}", liker.ap_id))
        }),
        created_at: Utc::now().naive_utc(),
    };
    store::relations::insert_favourite(conn, &row)?;
    store::statuses::bump(conn, status.id, Counter::Favourites, true)?;
    notifications::notify(
        conn,
        fx,
        status.account_id,
        account_id,
        kind::FAVOURITE,
        Some(status.id),
    )?;
    if liker.is_local() {
        fx.send(Outgoing::Like {
            favourite: row,
            status: status.clone(),
        });
    }
    Ok(())
}

pub async fn unfavourite(
    state: &AppState,
    account_id: i64,
    status_id: i64,
) -> Result<StatusRow, AppError> {
    change(state, move |conn, fx| {
        let status = visibility::visible_status(conn, Some(account_id), status_id)?;
        let status = original(conn, status)?;
        remove_favourite(conn, fx, account_id, &status)?;
        store::statuses::find(conn, status.id)?.ok_or(AppError::NotFound)
    })
    .await
}

/// Removes a favourite (a local undo, or a received `Undo(Like)`).
pub fn remove_favourite(
    conn: &mut DbConnection,
    fx: &mut Effects,
    account_id: i64,
    status: &StatusRow,
) -> Result<(), AppError> {
    let Some(favourite) = store::relations::find_favourite(conn, account_id, status.id)? else {
        return Ok(());
    };
    store::relations::delete_favourite(conn, favourite.id)?;
    store::statuses::bump(conn, status.id, Counter::Favourites, false)?;
    store::relations::delete_notifications_about(conn, account_id, kind::FAVOURITE, status.id)?;
    let liker = store::accounts::find_by_id(conn, account_id)?.ok_or(AppError::NotFound)?;
    if liker.is_local() {
        fx.send(Outgoing::UndoLike {
            favourite,
            status: status.clone(),
        });
    }
    Ok(())
}

/// Boosts a public or unlisted status (or one's own followers-only status); returns the boost.
pub async fn reblog(
    state: &AppState,
    account_id: i64,
    status_id: i64,
) -> Result<StatusRow, AppError> {
    let urls = state.urls.clone();
    change(state, move |conn, fx| {
        let status = visibility::visible_status(conn, Some(account_id), status_id)?;
        let status = original(conn, status)?;
        let own_private =
            status.account_id == account_id && Visibility::of(&status) == Visibility::Private;
        if !Visibility::of(&status).boostable() && !own_private {
            return Err(AppError::Forbidden("This action is not allowed".to_owned()));
        }
        if let Some(existing) = store::statuses::find_reblog(conn, account_id, status.id)? {
            return Ok(existing);
        }
        let booster = store::accounts::find_by_id(conn, account_id)?.ok_or(AppError::NotFound)?;
        let id = ids::next_id();
        let ap_id = boost_ap_id(&urls, &booster.username, id);
        add_reblog(
            conn,
            fx,
            account_id,
            &status,
            id,
            ap_id,
            Visibility::of(&status),
        )
    })
    .await
}

/// Stores a boost (local, or a received `Announce` with its id) and what it causes.
pub fn add_reblog(
    conn: &mut DbConnection,
    fx: &mut Effects,
    account_id: i64,
    status: &StatusRow,
    id: i64,
    ap_id: String,
    visibility: Visibility,
) -> Result<StatusRow, AppError> {
    let booster = store::accounts::find_by_id(conn, account_id)?.ok_or(AppError::NotFound)?;
    let now = Utc::now().naive_utc();
    let boost = store::statuses::insert(
        conn,
        &NewStatus {
            id,
            account_id,
            ap_id,
            url: None,
            local: booster.is_local(),
            object_type: "Announce".to_owned(),
            in_reply_to_id: None,
            in_reply_to_account_id: None,
            in_reply_to_ap_id: None,
            reblog_of_id: Some(status.id),
            thread_ap_id: None,
            title: None,
            content: String::new(),
            source_text: None,
            spoiler_text: String::new(),
            sensitive: false,
            visibility: visibility.as_str().to_owned(),
            language: None,
            group_id: None,
            created_at: now,
            updated_at: now,
        },
    )?;
    store::statuses::bump(conn, status.id, Counter::Reblogs, true)?;
    notifications::notify(
        conn,
        fx,
        status.account_id,
        account_id,
        kind::REBLOG,
        Some(status.id),
    )?;
    statuses::after_new_status(conn, fx, &boost, &[])?;
    if booster.is_local() {
        fx.send(Outgoing::CreateStatus {
            status_id: boost.id,
        });
    }
    Ok(boost)
}

/// Undoes a member's boost; returns the original status.
pub async fn unreblog(
    state: &AppState,
    account_id: i64,
    status_id: i64,
) -> Result<StatusRow, AppError> {
    change(state, move |conn, fx| {
        let status = visibility::visible_status(conn, Some(account_id), status_id)?;
        let status = original(conn, status)?;
        if let Some(boost) = store::statuses::find_reblog(conn, account_id, status.id)? {
            statuses::remove(conn, fx, &boost)?;
            store::relations::delete_notifications_about(
                conn,
                account_id,
                kind::REBLOG,
                status.id,
            )?;
        }
        store::statuses::find(conn, status.id)?.ok_or(AppError::NotFound)
    })
    .await
}

pub async fn bookmark(
    state: &AppState,
    account_id: i64,
    status_id: i64,
) -> Result<StatusRow, AppError> {
    state
        .db
        .transaction(move |conn| {
            let status = visibility::visible_status(conn, Some(account_id), status_id)?;
            let status = original(conn, status)?;
            if store::relations::find_bookmark(conn, account_id, status.id)?.is_none() {
                store::relations::insert_bookmark(
                    conn,
                    &BookmarkRow {
                        id: ids::next_id(),
                        account_id,
                        status_id: status.id,
                        created_at: Utc::now().naive_utc(),
                    },
                )?;
            }
            Ok(status)
        })
        .await
}

pub async fn unbookmark(
    state: &AppState,
    account_id: i64,
    status_id: i64,
) -> Result<StatusRow, AppError> {
    state
        .db
        .transaction(move |conn| {
            let status = visibility::visible_status(conn, Some(account_id), status_id)?;
            let status = original(conn, status)?;
            store::relations::delete_bookmark(conn, account_id, status.id)?;
            Ok(status)
        })
        .await
}

/// Pins one of the member's own public or unlisted statuses to their profile (at most 5).
pub async fn pin(state: &AppState, account_id: i64, status_id: i64) -> Result<StatusRow, AppError> {
    state
        .db
        .transaction(move |conn| {
            let status = store::statuses::find(conn, status_id)?.ok_or(AppError::NotFound)?;
            if status.account_id != account_id || status.reblog_of_id.is_some() {
                return Err(AppError::Unprocessable(
                    "Validation failed: Status can only pin your own statuses".to_owned(),
                ));
            }
            if !Visibility::of(&status).boostable() {
                return Err(AppError::Unprocessable(
                    "Validation failed: Status can not pin non-public statuses".to_owned(),
                ));
            }
            let pinned = store::relations::pinned_of(conn, account_id)?;
            if pinned.iter().any(|p| p.id == status.id) {
                return Ok(status);
            }
            if pinned.len() >= 5 {
                return Err(AppError::Unprocessable(
                    "Validation failed: Status limit of pinned statuses reached".to_owned(),
                ));
            }
            store::relations::insert_pin(
                conn,
                &PinRow {
                    id: ids::next_id(),
                    account_id,
                    status_id: status.id,
                    created_at: Utc::now().naive_utc(),
                },
            )?;
            Ok(status)
        })
        .await
}

pub async fn unpin(
    state: &AppState,
    account_id: i64,
    status_id: i64,
) -> Result<StatusRow, AppError> {
    state
        .db
        .transaction(move |conn| {
            let status = visibility::visible_status(conn, Some(account_id), status_id)?;
            store::relations::delete_pin(conn, account_id, status.id)?;
            Ok(status)
        })
        .await
}

/// The URLs a boost gets, for callers that need them before inserting.
pub fn boost_ap_id(urls: &Urls, username: &str, id: i64) -> String {
    urls.status(username, id).to_string() + "/activity"
}

/// The id of a boost by the local actor `actor_ap_id` (`{actor}/statuses/{id}/activity`).
pub fn boost_ap_id_for(actor_ap_id: &str, id: i64) -> String {
    format!("{actor_ap_id}/statuses/{id}/activity")
}
