//! Blocks and mutes between accounts.

use chrono::{Duration, Utc};

use crate::db::models::{BlockRow, MuteRow};
use crate::db::{ids, store};
use crate::domain::change;
use crate::domain::effects::Outgoing;
use crate::domain::feed;
use crate::error::AppError;
use crate::state::AppState;

/// Blocks `target_id`: ends follows both ways, hides each from the other.
pub async fn block(state: &AppState, account_id: i64, target_id: i64) -> Result<(), AppError> {
    let urls = state.urls.clone();
    change(state, move |conn, fx| {
        if account_id == target_id {
            return Err(AppError::Forbidden("You cannot block yourself".to_owned()));
        }
        let me = store::accounts::find_by_id(conn, account_id)?.ok_or(AppError::NotFound)?;
        let target = store::accounts::find_by_id(conn, target_id)?.ok_or(AppError::NotFound)?;
        if store::relations::find_block(conn, account_id, target_id)?.is_some() {
            return Ok(());
        }
        for (from, to) in [(account_id, target_id), (target_id, account_id)] {
            if let Some(follow) = store::relations::find_follow(conn, from, to)? {
                store::relations::delete_follow(conn, follow.id)?;
                feed::remove_author(conn, from, to)?;
            }
        }
        let id = ids::next_id();
        let row = BlockRow {
            id,
            account_id,
            target_account_id: target_id,
            ap_id: Some(format!("{}#blocks/{id}", urls.actor(&me.username))),
            created_at: Utc::now().naive_utc(),
        };
        store::relations::insert_block(conn, &row)?;
        if !target.is_local() {
            fx.send(Outgoing::Block { block: row, target });
        }
        Ok(())
    })
    .await
}

/// A remote account blocked a local one: follows end both ways, and it stays out of the
/// member's feed.
pub fn receive_block(
    conn: &mut crate::db::DbConnection,
    blocker: i64,
    target: i64,
    ap_id: &str,
) -> Result<(), AppError> {
    if store::relations::find_block(conn, blocker, target)?.is_some() {
        return Ok(());
    }
    for (from, to) in [(blocker, target), (target, blocker)] {
        if let Some(follow) = store::relations::find_follow(conn, from, to)? {
            store::relations::delete_follow(conn, follow.id)?;
            feed::remove_author(conn, from, to)?;
        }
    }
    store::relations::insert_block(
        conn,
        &BlockRow {
            id: ids::next_id(),
            account_id: blocker,
            target_account_id: target,
            ap_id: Some(ap_id.to_owned()),
            created_at: Utc::now().naive_utc(),
        },
    )?;
    Ok(())
}

pub async fn unblock(state: &AppState, account_id: i64, target_id: i64) -> Result<(), AppError> {
    change(state, move |conn, fx| {
        let Some(block) = store::relations::find_block(conn, account_id, target_id)? else {
            return Ok(());
        };
        let target = store::accounts::find_by_id(conn, target_id)?.ok_or(AppError::NotFound)?;
        store::relations::delete_block(conn, account_id, target_id)?;
        if !target.is_local() {
            fx.send(Outgoing::UndoBlock { block, target });
        }
        Ok(())
    })
    .await
}

/// Mutes `target_id` (their posts leave the member's timelines), optionally their notifications
/// too, optionally for `duration_seconds`.
pub async fn mute(
    state: &AppState,
    account_id: i64,
    target_id: i64,
    notifications: bool,
    duration_seconds: Option<i64>,
) -> Result<(), AppError> {
    state
        .db
        .transaction(move |conn| {
            if account_id == target_id {
                return Err(AppError::Forbidden("You cannot mute yourself".to_owned()));
            }
            store::accounts::find_by_id(conn, target_id)?.ok_or(AppError::NotFound)?;
            let now = Utc::now().naive_utc();
            store::relations::upsert_mute(
                conn,
                &MuteRow {
                    id: ids::next_id(),
                    account_id,
                    target_account_id: target_id,
                    notifications,
                    expires_at: duration_seconds
                        .filter(|s| *s > 0)
                        .map(|s| now + Duration::seconds(s)),
                    created_at: now,
                },
            )?;
            Ok(())
        })
        .await
}

pub async fn unmute(state: &AppState, account_id: i64, target_id: i64) -> Result<(), AppError> {
    state
        .db
        .run(move |conn| {
            store::relations::delete_mute(conn, account_id, target_id)?;
            Ok(())
        })
        .await
}
