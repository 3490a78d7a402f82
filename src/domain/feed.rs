//! Home feeds, filled when a status arrives (fan-out on write), so reading one is an index range.

use crate::db::DbConnection;
use crate::db::models::{FeedEntryRow, StatusRow};
use crate::db::store;
use crate::domain::visibility::Visibility;
use crate::error::AppError;

/// How many recent statuses a new follow brings into the follower's feed.
const BACKFILL: i64 = 40;

/// Puts a new status (or boost) into the home feeds of the local members who should see it;
/// returns their ids.
///
/// As on Mastodon: the author's local followers (boosts only where the follow shows boosts), the
/// author themselves when local; no direct messages; a reply only for followers who also follow
/// the account replied to (or when it is a self-reply).
pub fn fan_out(conn: &mut DbConnection, status: &StatusRow) -> Result<Vec<i64>, AppError> {
    let visibility = Visibility::of(status);
    if visibility == Visibility::Direct {
        return Ok(Vec::new());
    }
    let author = store::accounts::find_by_id(conn, status.account_id)?.ok_or(AppError::NotFound)?;
    let mut recipients: Vec<i64> = Vec::new();
    if author.is_local() {
        recipients.push(author.id);
    }
    for follow in store::relations::local_followers(conn, author.id)? {
        if status.reblog_of_id.is_some() && !follow.show_reblogs {
            continue;
        }
        recipients.push(follow.account_id);
    }
    if let Some(replied_to) = status.in_reply_to_account_id
        && replied_to != status.account_id
    {
        let mut kept = Vec::with_capacity(recipients.len());
        for member in recipients {
            let follows_other = member == replied_to
                || member == author.id
                || store::relations::find_follow(conn, member, replied_to)?
                    .is_some_and(|f| f.accepted());
            if follows_other {
                kept.push(member);
            }
        }
        recipients = kept;
    }
    let entries: Vec<FeedEntryRow> = recipients
        .iter()
        .map(|&account_id| FeedEntryRow {
            account_id,
            status_id: status.id,
            author_id: author.id,
        })
        .collect();
    store::relations::insert_feed_entries(conn, &entries)?;
    Ok(recipients)
}

/// After `follower` starts following `author`: bring the author's recent statuses in.
pub fn backfill(conn: &mut DbConnection, follower: i64, author: i64) -> Result<(), AppError> {
    let entries: Vec<FeedEntryRow> = store::relations::recent_for_feed(conn, author, BACKFILL)?
        .into_iter()
        .filter(|s| s.in_reply_to_account_id.is_none_or(|r| r == author))
        .map(|s| FeedEntryRow {
            account_id: follower,
            status_id: s.id,
            author_id: author,
        })
        .collect();
    store::relations::insert_feed_entries(conn, &entries)?;
    Ok(())
}

/// After an unfollow: take out what the author put there.
pub fn remove_author(conn: &mut DbConnection, follower: i64, author: i64) -> Result<(), AppError> {
    store::relations::remove_feed_author(conn, follower, author)?;
    Ok(())
}
