//! How the member relates to other accounts (Mastodon's Relationship), for many accounts at
//! once, and endorsing accounts on one's profile.

use chrono::Utc;

use crate::db::models::EndorsementRow;
use crate::db::{Db, DbConnection, ids, store};
use crate::error::AppError;

/// The member's relationship with one account.
#[derive(Debug, Clone, Default)]
pub struct RelationshipView {
    pub id: i64,
    pub following: bool,
    pub showing_reblogs: bool,
    pub notifying: bool,
    pub followed_by: bool,
    pub blocking: bool,
    pub blocked_by: bool,
    pub muting: bool,
    pub muting_notifications: bool,
    pub muting_expires_at: Option<chrono::NaiveDateTime>,
    pub requested: bool,
    pub requested_by: bool,
    pub endorsed: bool,
}

/// The member's relationships with `targets`, in order, in five queries.
pub fn load(
    conn: &mut DbConnection,
    me: i64,
    targets: &[i64],
) -> Result<Vec<RelationshipView>, AppError> {
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let follows = store::relations::follows_between(conn, me, targets)?;
    let blocks = store::relationships::blocks_between(conn, me, targets)?;
    let mutes = store::relationships::mutes_of(conn, me, targets, Utc::now().naive_utc())?;
    let endorsed = store::relationships::endorsed_of(conn, me, targets)?;
    Ok(targets
        .iter()
        .map(|&id| {
            let mine = follows
                .iter()
                .find(|f| f.account_id == me && f.target_account_id == id);
            let theirs = follows
                .iter()
                .find(|f| f.account_id == id && f.target_account_id == me);
            let mute = mutes.iter().find(|m| m.target_account_id == id);
            RelationshipView {
                id,
                following: mine.is_some_and(|f| f.accepted()),
                showing_reblogs: mine.is_some_and(|f| f.show_reblogs),
                notifying: mine.is_some_and(|f| f.notify),
                followed_by: theirs.is_some_and(|f| f.accepted()),
                blocking: blocks
                    .iter()
                    .any(|b| b.account_id == me && b.target_account_id == id),
                blocked_by: blocks
                    .iter()
                    .any(|b| b.account_id == id && b.target_account_id == me),
                muting: mute.is_some(),
                muting_notifications: mute.is_some_and(|m| m.notifications),
                muting_expires_at: mute.and_then(|m| m.expires_at),
                requested: mine.is_some_and(|f| !f.accepted()),
                requested_by: theirs.is_some_and(|f| !f.accepted()),
                endorsed: endorsed.contains(&id),
            }
        })
        .collect())
}

/// The member's relationships with existing accounts among `targets`.
pub async fn of(db: &Db, me: i64, targets: Vec<i64>) -> Result<Vec<RelationshipView>, AppError> {
    db.run(move |conn| {
        let known: Vec<i64> = store::profiles::find_accounts(conn, &targets)?
            .into_iter()
            .filter(|a| a.suspended_at.is_none())
            .map(|a| a.id)
            .collect();
        let kept: Vec<i64> = targets.into_iter().filter(|t| known.contains(t)).collect();
        load(conn, me, &kept)
    })
    .await
}

/// The member's relationship with one account; `NotFound` when it does not exist.
pub async fn one(db: &Db, me: i64, target: i64) -> Result<RelationshipView, AppError> {
    of(db, me, vec![target])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Features an account the member follows on their profile.
pub async fn endorse(db: &Db, me: i64, target: i64) -> Result<(), AppError> {
    db.transaction(move |conn| {
        store::accounts::find_by_id(conn, target)?.ok_or(AppError::NotFound)?;
        let follows =
            store::relations::find_follow(conn, me, target)?.is_some_and(|f| f.accepted());
        if !follows {
            return Err(AppError::Unprocessable(
                "Validation failed: You must be following this account to endorse it".to_owned(),
            ));
        }
        store::relationships::insert_endorsement(
            conn,
            &EndorsementRow {
                id: ids::next_id(),
                account_id: me,
                target_account_id: target,
                created_at: Utc::now().naive_utc(),
            },
        )?;
        Ok(())
    })
    .await
}

pub async fn unendorse(db: &Db, me: i64, target: i64) -> Result<(), AppError> {
    db.run(move |conn| {
        store::accounts::find_by_id(conn, target)?.ok_or(AppError::NotFound)?;
        store::relationships::delete_endorsement(conn, me, target)?;
        Ok(())
    })
    .await
}

/// The options of a new or changed follow: what the client sent, else what the existing follow
/// has, else Mastodon's defaults (boosts shown, no notifications).
pub async fn follow_options(
    db: &Db,
    me: i64,
    target: i64,
    reblogs: Option<bool>,
    notify: Option<bool>,
) -> Result<crate::domain::follows::FollowOptions, AppError> {
    let existing = db
        .run(move |conn| Ok(store::relations::find_follow(conn, me, target)?))
        .await?;
    let defaults = crate::domain::follows::FollowOptions::default();
    Ok(crate::domain::follows::FollowOptions {
        reblogs: reblogs
            .or(existing.as_ref().map(|f| f.show_reblogs))
            .unwrap_or(defaults.reblogs),
        notify: notify
            .or(existing.as_ref().map(|f| f.notify))
            .unwrap_or(defaults.notify),
    })
}

/// Which follow list of an account to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowList {
    Followers,
    Following,
}

/// A page of an account's followers or follows (accepted), newest follow first; empty when the
/// account hides its collections from everyone but itself.
pub async fn follow_list(
    db: &Db,
    viewer: Option<i64>,
    account_id: i64,
    which: FollowList,
    page: store::Page,
) -> Result<Vec<(crate::db::models::FollowRow, crate::db::models::AccountRow)>, AppError> {
    db.run(move |conn| {
        let account = store::accounts::find_by_id(conn, account_id)?
            .filter(|a| a.suspended_at.is_none())
            .ok_or(AppError::NotFound)?;
        let hidden = store::settings::find(conn, account.id)?.is_some_and(|s| s.hide_collections);
        if hidden && viewer != Some(account.id) {
            return Ok(Vec::new());
        }
        Ok(match which {
            FollowList::Followers => {
                store::relations::followers_page(conn, account.id, "accepted", &page)?
            }
            FollowList::Following => store::relations::following_page(conn, account.id, &page)?,
        })
    })
    .await
}
