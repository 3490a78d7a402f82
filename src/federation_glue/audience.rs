//! Who receives a local status: the inboxes its activities go to, each shared inbox once.

use crate::db::models::StatusRow;
use crate::db::{DbConnection, store};
use crate::domain::visibility::Visibility;
use crate::error::AppError;

/// The remote inboxes for a local status: followers' (unless direct), mentioned accounts', the
/// replied-to account's, and with `with_reblogs` those of remote accounts that boosted it (for
/// updates and deletions); for a local event also its group's followers and its remote
/// participants. Shared inboxes are used where known, each once.
pub fn status_inboxes(
    conn: &mut DbConnection,
    status: &StatusRow,
    with_reblogs: bool,
) -> Result<Vec<String>, AppError> {
    let mut inboxes = Vec::new();
    if Visibility::of(status) != Visibility::Direct {
        inboxes.extend(store::relations::remote_follower_inboxes(
            conn,
            status.account_id,
        )?);
    }
    let mut accounts: Vec<i64> = store::statuses::mentions_of(conn, &[status.id])?
        .into_iter()
        .map(|m| m.account_id)
        .collect();
    accounts.extend(status.in_reply_to_account_id);
    // A post in a remote group goes to the group, which relays it to its members.
    accounts.extend(status.group_id);
    if with_reblogs {
        accounts.extend(
            store::statuses::reblogs_of(conn, status.id)?
                .into_iter()
                .map(|r| r.account_id),
        );
    }
    if let Some(original) = status.reblog_of_id
        && let Some(original) = store::statuses::find(conn, original)?
    {
        accounts.push(original.account_id);
    }
    if status.object_type == "Event" && status.local {
        inboxes.extend(crate::federation_glue::events::extra_inboxes(conn, status)?);
    }
    for account in store::accounts::find_many(conn, &accounts)? {
        if !account.is_local() {
            inboxes.push(
                account
                    .shared_inbox_url
                    .clone()
                    .unwrap_or(account.inbox_url.clone()),
            );
        }
    }
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}
