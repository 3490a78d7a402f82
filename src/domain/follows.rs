//! Follows: following and unfollowing, follow requests for locked accounts, and the same events
//! when they arrive from other instances.

use chrono::Utc;

use crate::db::models::{AccountRow, FollowRow};
use crate::db::{DbConnection, ids, store};
use crate::domain::change;
use crate::domain::effects::{Effects, Outgoing};
use crate::domain::feed;
use crate::domain::groups::{self, JoinDecision};
use crate::domain::notifications::{self, kind};
use crate::error::AppError;
use crate::state::AppState;

pub const PENDING: &str = "pending";
pub const ACCEPTED: &str = "accepted";

/// Options a follower sets on a follow.
#[derive(Debug, Clone, Copy)]
pub struct FollowOptions {
    /// Show the target's boosts in the home timeline.
    pub reblogs: bool,
    /// Notify the follower of each new post.
    pub notify: bool,
}

impl Default for FollowOptions {
    fn default() -> Self {
        FollowOptions {
            reblogs: true,
            notify: false,
        }
    }
}

fn account(conn: &mut DbConnection, id: i64) -> Result<AccountRow, AppError> {
    store::accounts::find_by_id(conn, id)?.ok_or(AppError::NotFound)
}

/// Local member `follower_id` follows `target_id`. Immediate for unlocked local accounts; a
/// request for locked ones and for every remote account until it answers `Accept`.
pub async fn follow(
    state: &AppState,
    follower_id: i64,
    target_id: i64,
    options: FollowOptions,
) -> Result<FollowRow, AppError> {
    let urls = state.urls.clone();
    change(state, move |conn, fx| {
        if follower_id == target_id {
            return Err(AppError::Forbidden("You cannot follow yourself".to_owned()));
        }
        let follower = account(conn, follower_id)?;
        let target = account(conn, target_id)?;
        if store::relations::blocked_either_way(conn, follower_id, target_id)? {
            return Err(AppError::Forbidden("This action is not allowed".to_owned()));
        }
        if let Some(existing) = store::relations::find_follow(conn, follower_id, target_id)? {
            store::relations::set_follow_options(
                conn,
                existing.id,
                options.reblogs,
                options.notify,
            )?;
            return store::relations::find_follow(conn, follower_id, target_id)?
                .ok_or(AppError::NotFound);
        }
        let now = Utc::now().naive_utc();
        let id = ids::next_id();
        // A local group answers by its join policy; other local accounts by `locked`.
        let immediate = match local_group_decision(conn, &target, follower_id)? {
            Some(JoinDecision::Refuse) => {
                return Err(AppError::Forbidden(
                    "This group accepts members by invitation only".to_owned(),
                ));
            }
            Some(decision) => decision == JoinDecision::Accept,
            None => target.is_local() && !target.locked,
        };
        let row = FollowRow {
            id,
            account_id: follower_id,
            target_account_id: target_id,
            ap_id: Some(urls.follow_activity(&follower.username, id).to_string()),
            state: if immediate { ACCEPTED } else { PENDING }.to_owned(),
            show_reblogs: options.reblogs,
            notify: options.notify,
            created_at: now,
            updated_at: now,
        };
        store::relations::insert_follow(conn, &row)?;
        if target.is_local() {
            let kind = if immediate {
                kind::FOLLOW
            } else {
                kind::FOLLOW_REQUEST
            };
            notify_target(conn, fx, &target, follower_id, kind)?;
            if immediate {
                feed::backfill(conn, follower_id, target_id)?;
            }
        } else {
            fx.send(Outgoing::Follow {
                follow: row.clone(),
                target,
            });
        }
        Ok(row)
    })
    .await
}

/// Stops following (or withdraws a request).
pub async fn unfollow(state: &AppState, follower_id: i64, target_id: i64) -> Result<(), AppError> {
    change(state, move |conn, fx| {
        let Some(follow) = store::relations::find_follow(conn, follower_id, target_id)? else {
            return Ok(());
        };
        let target = account(conn, target_id)?;
        end_follow(conn, &follow)?;
        if !target.is_local() {
            fx.send(Outgoing::UndoFollow { follow, target });
        }
        Ok(())
    })
    .await
}

/// How a local group answers `follower`, or `None` when `target` is not a local group.
fn local_group_decision(
    conn: &mut DbConnection,
    target: &AccountRow,
    follower: i64,
) -> Result<Option<JoinDecision>, AppError> {
    if target.actor_type != "Group" || !target.is_local() {
        return Ok(None);
    }
    match store::groups::find(conn, target.id)? {
        Some(group) => Ok(Some(groups::decide_join(conn, &group, follower)?)),
        None => Ok(None),
    }
}

/// Tells the followed account, or a group's moderators, about a new follower or request.
fn notify_target(
    conn: &mut DbConnection,
    fx: &mut Effects,
    target: &AccountRow,
    follower: i64,
    kind: &str,
) -> Result<(), AppError> {
    if target.actor_type == "Group" {
        for (role, _) in store::groups::staff(conn, target.id)? {
            notifications::notify(conn, fx, role.account_id, follower, kind, None)?;
        }
        return Ok(());
    }
    notifications::notify(conn, fx, target.id, follower, kind, None)?;
    Ok(())
}

/// Deletes a follow with its feed entries and pending notifications.
fn end_follow(conn: &mut DbConnection, follow: &FollowRow) -> Result<(), AppError> {
    store::relations::delete_follow(conn, follow.id)?;
    feed::remove_author(conn, follow.account_id, follow.target_account_id)?;
    store::relations::delete_follow_notifications(
        conn,
        follow.target_account_id,
        follow.account_id,
    )?;
    Ok(())
}

/// A locked member accepts a follow request.
pub async fn authorize(
    state: &AppState,
    target_id: i64,
    follower_id: i64,
) -> Result<FollowRow, AppError> {
    change(state, move |conn, fx| {
        let follow = store::relations::find_follow(conn, follower_id, target_id)?
            .filter(|f| !f.accepted())
            .ok_or(AppError::NotFound)?;
        accept(conn, &follow)?;
        store::relations::delete_follow_notifications(conn, target_id, follower_id)?;
        notifications::notify(conn, fx, target_id, follower_id, kind::FOLLOW, None)?;
        let follower = account(conn, follower_id)?;
        if !follower.is_local() {
            fx.send(Outgoing::AcceptFollow {
                follow: follow.clone(),
                follower,
            });
        }
        store::relations::find_follow(conn, follower_id, target_id)?.ok_or(AppError::NotFound)
    })
    .await
}

/// A member refuses a follow request, or removes an existing follower.
pub async fn reject(state: &AppState, target_id: i64, follower_id: i64) -> Result<(), AppError> {
    change(state, move |conn, fx| {
        let follow = store::relations::find_follow(conn, follower_id, target_id)?
            .ok_or(AppError::NotFound)?;
        end_follow(conn, &follow)?;
        let follower = account(conn, follower_id)?;
        if !follower.is_local() {
            fx.send(Outgoing::RejectFollow { follow, follower });
        }
        Ok(())
    })
    .await
}

/// Marks a follow accepted and fills the follower's feed.
fn accept(conn: &mut DbConnection, follow: &FollowRow) -> Result<(), AppError> {
    store::relations::set_follow_state(conn, follow.id, ACCEPTED, Utc::now().naive_utc())?;
    let follower = account(conn, follow.account_id)?;
    if follower.is_local() {
        feed::backfill(conn, follow.account_id, follow.target_account_id)?;
    }
    Ok(())
}

/// A remote `Follow` of a local account arrived.
pub fn receive_follow(
    conn: &mut DbConnection,
    fx: &mut Effects,
    follower: &AccountRow,
    target: &AccountRow,
    ap_id: &str,
) -> Result<FollowRow, AppError> {
    if store::relations::find_block(conn, target.id, follower.id)?.is_some() {
        let refused = FollowRow {
            id: ids::next_id(),
            account_id: follower.id,
            target_account_id: target.id,
            ap_id: Some(ap_id.to_owned()),
            state: PENDING.to_owned(),
            show_reblogs: true,
            notify: false,
            created_at: Utc::now().naive_utc(),
            updated_at: Utc::now().naive_utc(),
        };
        fx.send(Outgoing::RejectFollow {
            follow: refused.clone(),
            follower: follower.clone(),
        });
        return Ok(refused);
    }
    if let Some(existing) = store::relations::find_follow(conn, follower.id, target.id)? {
        // A repeated Follow: answer again (the first Accept may have been lost).
        if existing.accepted() {
            let mut follow = existing.clone();
            follow.ap_id = Some(ap_id.to_owned());
            fx.send(Outgoing::AcceptFollow {
                follow,
                follower: follower.clone(),
            });
        }
        return Ok(existing);
    }
    let decision = match local_group_decision(conn, target, follower.id)? {
        Some(decision) => decision,
        // Our instance actor: partners and relays are accepted, other instances wait for an admin.
        None if target.actor_type == "Application" => {
            crate::domain::discovery::decide_instance_follow(conn, follower)?
        }
        None if target.locked => JoinDecision::Hold,
        None => JoinDecision::Accept,
    };
    if decision == JoinDecision::Refuse {
        let refused = FollowRow {
            id: ids::next_id(),
            account_id: follower.id,
            target_account_id: target.id,
            ap_id: Some(ap_id.to_owned()),
            state: PENDING.to_owned(),
            show_reblogs: true,
            notify: false,
            created_at: Utc::now().naive_utc(),
            updated_at: Utc::now().naive_utc(),
        };
        fx.send(Outgoing::RejectFollow {
            follow: refused.clone(),
            follower: follower.clone(),
        });
        return Ok(refused);
    }
    let held = decision == JoinDecision::Hold;
    let now = Utc::now().naive_utc();
    let row = FollowRow {
        id: ids::next_id(),
        account_id: follower.id,
        target_account_id: target.id,
        ap_id: Some(ap_id.to_owned()),
        state: if held { PENDING } else { ACCEPTED }.to_owned(),
        show_reblogs: true,
        notify: false,
        created_at: now,
        updated_at: now,
    };
    store::relations::insert_follow(conn, &row)?;
    if held {
        notify_target(conn, fx, target, follower.id, kind::FOLLOW_REQUEST)?;
    } else {
        notify_target(conn, fx, target, follower.id, kind::FOLLOW)?;
        fx.send(Outgoing::AcceptFollow {
            follow: row.clone(),
            follower: follower.clone(),
        });
    }
    Ok(row)
}

/// The remote target accepted a local member's follow.
pub fn receive_accept(conn: &mut DbConnection, follow: &FollowRow) -> Result<(), AppError> {
    if !follow.accepted() {
        accept(conn, follow)?;
    }
    Ok(())
}

/// The remote target refused (or removed) a local member's follow, or the remote follower undid
/// theirs.
pub fn receive_end(conn: &mut DbConnection, follow: &FollowRow) -> Result<(), AppError> {
    end_follow(conn, follow)
}
