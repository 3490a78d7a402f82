//! Conversations: a member's direct-message threads, computed from the direct statuses they
//! wrote or are mentioned in (the newest [`SCAN`] of them), with read and removed marks.

use std::collections::HashMap;

use chrono::Utc;

use crate::db::models::{ConversationMarkRow, StatusRow};
use crate::db::store::{self, Page};
use crate::db::{Db, DbConnection};
use crate::error::AppError;

/// How many of the newest direct statuses conversations are made from.
pub const SCAN: i64 = 400;

/// One conversation as the member sees it.
#[derive(Debug, Clone)]
pub struct ConversationView {
    /// The id of the thread's first status we know (stable while it exists).
    pub id: i64,
    pub unread: bool,
    /// The other participants.
    pub participants: Vec<i64>,
    pub last_status: StatusRow,
}

/// Every conversation of the member, newest message first, removed ones left out.
fn all(conn: &mut DbConnection, me: i64) -> Result<Vec<ConversationView>, AppError> {
    let scan = Page {
        limit: SCAN,
        ..Page::default()
    };
    let rows = store::timelines::direct_page(conn, me, &scan)?;
    let key = |s: &StatusRow| s.thread_ap_id.clone().unwrap_or_else(|| s.ap_id.clone());
    let mut groups: Vec<(String, Vec<StatusRow>)> = Vec::new();
    for row in rows {
        let k = key(&row);
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, members)) => members.push(row),
            None => groups.push((k, vec![row])),
        }
    }
    let keys: Vec<String> = groups.iter().map(|(k, _)| k.clone()).collect();
    let roots: HashMap<String, i64> = store::conversations::ids_by_ap_id(conn, &keys)?
        .into_iter()
        .collect();
    let ids: Vec<i64> = groups
        .iter()
        .flat_map(|(_, m)| m.iter().map(|s| s.id))
        .collect();
    let mut mentioned: HashMap<i64, Vec<i64>> = HashMap::new();
    for mention in store::statuses::mentions_of(conn, &ids)? {
        mentioned
            .entry(mention.status_id)
            .or_default()
            .push(mention.account_id);
    }
    let mut views: Vec<ConversationView> = groups
        .into_iter()
        .filter_map(|(k, members)| {
            let id = roots
                .get(&k)
                .copied()
                .or_else(|| members.iter().map(|s| s.id).min())?;
            let mut participants: Vec<i64> = Vec::new();
            for status in &members {
                let mut people = vec![status.account_id];
                people.extend(mentioned.get(&status.id).into_iter().flatten().copied());
                for person in people {
                    if person != me && !participants.contains(&person) {
                        participants.push(person);
                    }
                }
            }
            let last_status = members.into_iter().max_by_key(|s| s.id)?;
            Some(ConversationView {
                id,
                unread: false,
                participants,
                last_status,
            })
        })
        .collect();
    let conversation_ids: Vec<i64> = views.iter().map(|v| v.id).collect();
    let marks: HashMap<i64, ConversationMarkRow> =
        store::conversations::marks_of(conn, me, &conversation_ids)?
            .into_iter()
            .map(|m| (m.conversation_id, m))
            .collect();
    views.retain(|v| {
        marks
            .get(&v.id)
            .and_then(|m| m.hidden_status_id)
            .is_none_or(|hidden| hidden < v.last_status.id)
    });
    for view in &mut views {
        view.unread = view.last_status.account_id != me
            && marks
                .get(&view.id)
                .and_then(|m| m.read_status_id)
                .is_none_or(|read| read < view.last_status.id);
    }
    views.sort_by_key(|v| std::cmp::Reverse(v.last_status.id));
    Ok(views)
}

/// The member's conversation whose newest message is `status_id` (for the `direct` stream).
pub fn ending_with(
    conn: &mut DbConnection,
    me: i64,
    status_id: i64,
) -> Result<Option<ConversationView>, AppError> {
    Ok(all(conn, me)?
        .into_iter()
        .find(|v| v.last_status.id == status_id))
}

/// A page of conversations, paged by their last status.
pub fn page(
    conn: &mut DbConnection,
    me: i64,
    page: &Page,
) -> Result<Vec<ConversationView>, AppError> {
    let views = all(conn, me)?;
    let wanted = page.select(&views.iter().map(|v| v.last_status.id).collect::<Vec<_>>());
    Ok(wanted
        .into_iter()
        .filter_map(|id| views.iter().find(|v| v.last_status.id == id).cloned())
        .collect())
}

fn mark(
    conn: &mut DbConnection,
    me: i64,
    id: i64,
    hide: bool,
) -> Result<ConversationView, AppError> {
    let mut view = all(conn, me)?
        .into_iter()
        .find(|v| v.id == id)
        .ok_or(AppError::NotFound)?;
    let existing = store::conversations::marks_of(conn, me, &[id])?.pop();
    let mut row = existing.unwrap_or(ConversationMarkRow {
        account_id: me,
        conversation_id: id,
        read_status_id: None,
        hidden_status_id: None,
        updated_at: Utc::now().naive_utc(),
    });
    row.read_status_id = Some(view.last_status.id);
    if hide {
        row.hidden_status_id = Some(view.last_status.id);
    }
    row.updated_at = Utc::now().naive_utc();
    store::conversations::save_mark(conn, &row)?;
    view.unread = false;
    Ok(view)
}

/// Marks a conversation read; answers it.
pub async fn read(db: &Db, me: i64, id: i64) -> Result<ConversationView, AppError> {
    db.transaction(move |conn| mark(conn, me, id, false)).await
}

/// Removes a conversation from the list until a new message arrives in it.
pub async fn remove(db: &Db, me: i64, id: i64) -> Result<(), AppError> {
    db.transaction(move |conn| mark(conn, me, id, true).map(drop))
        .await
}
