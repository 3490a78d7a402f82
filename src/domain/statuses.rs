//! Statuses: posting, editing and deleting a member's posts, threads and edit history.

use std::collections::HashMap;

use chrono::Utc;

use crate::db::models::{AccountRow, NewStatus, StatusChanges, StatusEditRow, StatusRow};
use crate::db::store::statuses::Counter;
use crate::db::{DbConnection, ids, store};
use crate::domain::accounts::Role;
use crate::domain::effects::{Effects, Outgoing, StreamEvent};
use crate::domain::html::{self, MentionRef, MentionTarget};
use crate::domain::notifications::{self, kind};
use crate::domain::urls::Urls;
use crate::domain::visibility::{self, Visibility};
use crate::domain::{change, feed, groups};
use crate::error::AppError;
use crate::state::AppState;

/// Longest post, in characters (also in the instance entity).
pub const MAX_CHARACTERS: usize = 5000;

/// How deep a thread view goes, up or down.
const MAX_THREAD_DEPTH: usize = 200;

/// What a member writes.
#[derive(Debug, Clone, Default)]
pub struct NewPost {
    pub text: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub visibility: Option<Visibility>,
    pub language: Option<String>,
    pub in_reply_to_id: Option<i64>,
    /// The author's own unattached uploads to attach, in order (at most [`MAX_MEDIA`]).
    pub media_ids: Vec<i64>,
}

/// Most attachments on one post (also in the instance entity).
pub const MAX_MEDIA: usize = 4;

/// What an edit may change.
#[derive(Debug, Clone, Default)]
pub struct EditPost {
    pub text: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub language: Option<String>,
}

fn validate_text(text: &str, spoiler: &str) -> Result<(), AppError> {
    validate_post(text, spoiler, false)
}

/// Like [`validate_text`], where a post with media may have no text.
fn validate_post(text: &str, spoiler: &str, has_media: bool) -> Result<(), AppError> {
    if text.trim().is_empty() && !has_media {
        return Err(AppError::Unprocessable(
            "Validation failed: Text can't be blank".to_owned(),
        ));
    }
    let length = text.chars().count() + spoiler.chars().count();
    if length > MAX_CHARACTERS {
        return Err(AppError::Unprocessable(format!(
            "Validation failed: Text character limit of {MAX_CHARACTERS} exceeded"
        )));
    }
    Ok(())
}

/// Looks up the accounts a text mentions among those we know: local names, and remote accounts
/// already stored. Unknown remote accounts are resolved by the caller first (WebFinger).
pub fn known_mentions(
    conn: &mut DbConnection,
    urls: &Urls,
    text: &str,
) -> Result<HashMap<MentionRef, MentionTarget>, AppError> {
    let own_domain = urls.domain().to_lowercase();
    let mut resolved = HashMap::new();
    for mention in html::find_mentions(text) {
        let domain = mention.domain.as_deref().filter(|d| *d != own_domain);
        if let Some(account) = store::accounts::find_by_acct(conn, &mention.username, domain)? {
            let target = MentionTarget {
                account_id: account.id,
                url: account.url.clone().unwrap_or_else(|| account.ap_id.clone()),
                username: account.username.clone(),
            };
            resolved.insert(mention, target);
        }
    }
    Ok(resolved)
}

/// Posts a status by local member `author_id`.
pub async fn post(state: &AppState, author_id: i64, post: NewPost) -> Result<StatusRow, AppError> {
    validate_post(&post.text, &post.spoiler_text, !post.media_ids.is_empty())?;
    let urls = state.urls.clone();
    change(state, move |conn, fx| {
        create_local(conn, fx, &urls, author_id, post)
    })
    .await
}

/// Stores a local post and everything it causes, inside the caller's transaction.
pub fn create_local(
    conn: &mut DbConnection,
    fx: &mut Effects,
    urls: &Urls,
    author_id: i64,
    post: NewPost,
) -> Result<StatusRow, AppError> {
    validate_post(&post.text, &post.spoiler_text, !post.media_ids.is_empty())?;
    let media_ids = own_unattached_media(conn, author_id, &post.media_ids)?;
    let author = store::accounts::find_by_id(conn, author_id)?.ok_or(AppError::NotFound)?;
    let parent = match post.in_reply_to_id {
        Some(id) => Some(
            visibility::visible_status(conn, Some(author_id), id).map_err(|_| {
                AppError::Missing("The status you are replying to does not exist".to_owned())
            })?,
        ),
        None => None,
    };
    if let Some(parent) = &parent
        && store::relations::blocked_either_way(conn, author_id, parent.account_id)?
    {
        return Err(AppError::Missing(
            "The status you are replying to does not exist".to_owned(),
        ));
    }
    let mentions = known_mentions(conn, urls, &post.text)?;
    let formatted = html::format_plain_text(&post.text, &mentions, |tag| {
        urls.join(&format!("/tags/{}", html::normalise_tag(tag)))
            .to_string()
    });
    let mentioned_ids: Vec<i64> = mentions.values().map(|m| m.account_id).collect();
    let group = groups::target_group(conn, parent.as_ref(), &mentioned_ids)?;
    let mut visibility = post.visibility.unwrap_or(Visibility::Public);
    if let Some(target) = &group
        && target.group.members_only
        && target.group.local
    {
        // Only the group and, through it, its members: never the author's own followers.
        visibility = Visibility::Direct;
    }
    let id = ids::next_id();
    let now = Utc::now().naive_utc();
    let new = NewStatus {
        id,
        account_id: author.id,
        ap_id: urls.status(&author.username, id).to_string(),
        url: Some(urls.status_page(&author.username, id).to_string()),
        local: true,
        object_type: "Note".to_owned(),
        in_reply_to_id: parent.as_ref().map(|p| p.id),
        in_reply_to_account_id: parent.as_ref().map(|p| p.account_id),
        in_reply_to_ap_id: parent.as_ref().map(|p| p.ap_id.clone()),
        reblog_of_id: None,
        thread_ap_id: parent
            .as_ref()
            .map(|p| p.thread_ap_id.clone().unwrap_or_else(|| p.ap_id.clone())),
        title: None,
        content: formatted.html,
        source_text: Some(post.text.clone()),
        spoiler_text: post.spoiler_text.trim().to_owned(),
        sensitive: post.sensitive || !post.spoiler_text.trim().is_empty(),
        visibility: visibility.as_str().to_owned(),
        language: post.language.filter(|l| !l.is_empty()),
        group_id: None,
        created_at: now,
        updated_at: now,
    };
    let status = store::statuses::insert(conn, &new)?;
    store::media::attach(conn, &media_ids, status.id)?;
    let mentioned: Vec<i64> = formatted.mentions.iter().map(|m| m.account_id).collect();
    store::statuses::set_mentions(conn, status.id, &mentioned)?;
    store::statuses::set_tags(conn, status.id, &formatted.tags, now)?;
    if let Some(parent) = &parent {
        store::statuses::bump(conn, parent.id, Counter::Replies, true)?;
    }
    after_new_status(conn, fx, &status, &mentioned)?;
    fx.send(Outgoing::CreateStatus {
        status_id: status.id,
    });
    match group {
        Some(target) if target.group.local => {
            match groups::accept_post(conn, fx, &target.group, &status, None)? {
                Ok(accepted) => return Ok(accepted),
                Err(refusal) if target.mentioned => {
                    return Err(AppError::Forbidden(match refusal {
                        groups::Refusal::Banned => "You are banned from this group".to_owned(),
                        groups::Refusal::Locked => "This thread is locked".to_owned(),
                        groups::Refusal::NotMember => {
                            "Only members may post in this group".to_owned()
                        }
                    }));
                }
                Err(_) => {}
            }
        }
        Some(target) => {
            // A remote group: the post goes to it (it is mentioned, or the author replies in
            // its thread) and it announces it; here it is marked as the group's.
            store::statuses::set_group(conn, status.id, target.group.account_id)?;
            return store::statuses::find(conn, status.id)?.ok_or(AppError::NotFound);
        }
        None => {}
    }
    Ok(status)
}

/// Checks that `ids` name at most [`MAX_MEDIA`] of the author's own processed uploads that no
/// post has yet; returns them without repeats, in the order given.
fn own_unattached_media(
    conn: &mut DbConnection,
    author_id: i64,
    ids: &[i64],
) -> Result<Vec<i64>, AppError> {
    let mut wanted: Vec<i64> = Vec::with_capacity(ids.len());
    for id in ids {
        if !wanted.contains(id) {
            wanted.push(*id);
        }
    }
    if wanted.len() > MAX_MEDIA {
        return Err(AppError::Unprocessable(format!(
            "Validation failed: Media attachments can be at most {MAX_MEDIA}"
        )));
    }
    let rows = store::media::find_many(conn, &wanted)?;
    for id in &wanted {
        let usable = rows
            .iter()
            .find(|m| m.id == *id)
            .filter(|m| m.account_id == author_id && m.status_id.is_none());
        match usable {
            None => {
                return Err(AppError::Unprocessable(format!(
                    "Validation failed: Media attachment {id} is not one of your unattached uploads"
                )));
            }
            Some(media) if media.state != "ready" => {
                return Err(AppError::Unprocessable(
                    "Validation failed: Media attachments are still being processed".to_owned(),
                ));
            }
            Some(_) => {}
        }
    }
    Ok(wanted)
}

/// What every new status causes locally, whoever wrote it: home feeds, mention and
/// subscription notifications, the stream event.
pub fn after_new_status(
    conn: &mut DbConnection,
    fx: &mut Effects,
    status: &StatusRow,
    mentioned: &[i64],
) -> Result<(), AppError> {
    let home = feed::fan_out(conn, status)?;
    for &account_id in mentioned {
        notifications::notify(
            conn,
            fx,
            account_id,
            status.account_id,
            kind::MENTION,
            Some(status.id),
        )?;
    }
    if status.reblog_of_id.is_none() && Visibility::of(status) != Visibility::Direct {
        for follow in store::relations::local_followers(conn, status.account_id)? {
            if follow.notify && !mentioned.contains(&follow.account_id) {
                notifications::notify(
                    conn,
                    fx,
                    follow.account_id,
                    status.account_id,
                    kind::STATUS,
                    Some(status.id),
                )?;
            }
        }
    }
    fx.publish(StreamEvent::StatusCreated {
        status_id: status.id,
        home,
    });
    Ok(())
}

/// Edits a local member's own status, keeping the earlier version in its history.
pub async fn edit(
    state: &AppState,
    editor_id: i64,
    status_id: i64,
    edit: EditPost,
) -> Result<StatusRow, AppError> {
    validate_text(&edit.text, &edit.spoiler_text)?;
    let urls = state.urls.clone();
    change(state, move |conn, fx| {
        let status = store::statuses::find(conn, status_id)?.ok_or(AppError::NotFound)?;
        if status.account_id != editor_id || status.reblog_of_id.is_some() {
            return Err(AppError::NotFound);
        }
        if status.object_type == "Event" {
            return Err(AppError::Unprocessable(
                "Events are edited through /api/v1/pleroma/events/:id".to_owned(),
            ));
        }
        let mentions = known_mentions(conn, &urls, &edit.text)?;
        let formatted = html::format_plain_text(&edit.text, &mentions, |tag| {
            urls.join(&format!("/tags/{}", html::normalise_tag(tag)))
                .to_string()
        });
        let now = Utc::now().naive_utc();
        let changes = StatusChanges {
            title: status.title.clone(),
            content: formatted.html,
            source_text: Some(edit.text.clone()),
            spoiler_text: edit.spoiler_text.trim().to_owned(),
            sensitive: edit.sensitive || !edit.spoiler_text.trim().is_empty(),
            language: edit.language.clone().or(status.language.clone()),
            updated_at: now,
            edited_at: Some(now),
        };
        let edited = apply_edit(conn, fx, &status, &changes)?;
        let mentioned: Vec<i64> = formatted.mentions.iter().map(|m| m.account_id).collect();
        store::statuses::set_mentions(conn, status.id, &mentioned)?;
        store::statuses::set_tags(conn, status.id, &formatted.tags, now)?;
        fx.send(Outgoing::UpdateStatus {
            status_id: status.id,
        });
        Ok(edited)
    })
    .await
}

/// Records the version before `changes` in the history (the original too, the first time),
/// applies them and tells those who boosted it. Shared by local edits and remote `Update`s.
pub fn apply_edit(
    conn: &mut DbConnection,
    fx: &mut Effects,
    status: &StatusRow,
    changes: &StatusChanges,
) -> Result<StatusRow, AppError> {
    if store::statuses::edits_of(conn, status.id)?.is_empty() {
        store::statuses::insert_edit(
            conn,
            &StatusEditRow {
                id: ids::next_id(),
                status_id: status.id,
                account_id: status.account_id,
                content: status.content.clone(),
                spoiler_text: status.spoiler_text.clone(),
                sensitive: status.sensitive,
                media_ids: "[]".to_owned(),
                created_at: status.created_at,
            },
        )?;
    }
    store::statuses::insert_edit(
        conn,
        &StatusEditRow {
            id: ids::next_id(),
            status_id: status.id,
            account_id: status.account_id,
            content: changes.content.clone(),
            spoiler_text: changes.spoiler_text.clone(),
            sensitive: changes.sensitive,
            media_ids: "[]".to_owned(),
            created_at: changes.edited_at.unwrap_or(changes.updated_at),
        },
    )?;
    store::statuses::update(conn, status.id, changes)?;
    for reblog in store::statuses::reblogs_of(conn, status.id)? {
        notifications::notify(
            conn,
            fx,
            reblog.account_id,
            status.account_id,
            kind::UPDATE,
            Some(status.id),
        )?;
    }
    fx.publish(StreamEvent::StatusUpdated {
        status_id: status.id,
    });
    store::statuses::find(conn, status.id)?.ok_or(AppError::NotFound)
}

/// Deletes a status: the author's own, or any as a moderator. Returns the deleted row (clients
/// use its source text to "delete and redraft").
pub async fn delete(
    state: &AppState,
    actor_id: i64,
    actor_role: Role,
    status_id: i64,
) -> Result<StatusRow, AppError> {
    change(state, move |conn, fx| {
        let status = store::statuses::find(conn, status_id)?.ok_or(AppError::NotFound)?;
        let own = status.account_id == actor_id;
        if !own && actor_role < Role::Moderator {
            return Err(AppError::NotFound);
        }
        remove(conn, fx, &status)?;
        Ok(status)
    })
    .await
}

/// Removes a status and its boosts, leaves a tombstone, and (for local ones) tells the
/// instances that had it. Shared by deletions from the API and from federation.
pub fn remove(
    conn: &mut DbConnection,
    fx: &mut Effects,
    status: &StatusRow,
) -> Result<(), AppError> {
    let local = status.local;
    let inboxes = if local {
        crate::federation_glue::audience::status_inboxes(conn, status, true)?
    } else {
        Vec::new()
    };
    for reblog in store::statuses::reblogs_of(conn, status.id)? {
        fx.publish(StreamEvent::StatusDeleted {
            status_id: reblog.id,
        });
    }
    if let Some(parent) = status.in_reply_to_id {
        store::statuses::bump(conn, parent, Counter::Replies, false)?;
    }
    if let Some(original) = status.reblog_of_id {
        store::statuses::bump(conn, original, Counter::Reblogs, false)?;
    }
    store::statuses::delete(conn, status.id)?;
    store::statuses::add_tombstone(conn, &status.ap_id, Utc::now().naive_utc())?;
    fx.publish(StreamEvent::StatusDeleted {
        status_id: status.id,
    });
    if local {
        if status.reblog_of_id.is_some() {
            fx.send(Outgoing::UndoAnnounce {
                reblog: status.clone(),
                inboxes,
            });
        } else {
            fx.send(Outgoing::DeleteStatus {
                status: status.clone(),
                inboxes,
            });
        }
    }
    Ok(())
}

/// The ancestors (oldest first) and descendants (in thread order) the viewer may see.
pub fn context(
    conn: &mut DbConnection,
    viewer: Option<i64>,
    status: &StatusRow,
) -> Result<(Vec<StatusRow>, Vec<StatusRow>), AppError> {
    let mut ancestors = Vec::new();
    let mut cursor = status.in_reply_to_id;
    while let Some(id) = cursor {
        if ancestors.len() >= MAX_THREAD_DEPTH {
            break;
        }
        let Some(parent) = store::statuses::find(conn, id)? else {
            break;
        };
        cursor = parent.in_reply_to_id;
        ancestors.push(parent);
    }
    ancestors.reverse();
    let ancestors = visibility::filter_visible(conn, viewer, ancestors)?;

    // Depth-first, so each reply follows its parent as in Mastodon's thread view.
    let mut descendants = Vec::new();
    let mut stack: Vec<(StatusRow, usize)> = store::statuses::replies_of(conn, &[status.id])?
        .into_iter()
        .rev()
        .map(|s| (s, 1))
        .collect();
    while let Some((reply, depth)) = stack.pop() {
        if descendants.len() >= MAX_THREAD_DEPTH * 20 {
            break;
        }
        if depth < MAX_THREAD_DEPTH {
            for child in store::statuses::replies_of(conn, &[reply.id])?
                .into_iter()
                .rev()
            {
                stack.push((child, depth + 1));
            }
        }
        descendants.push(reply);
    }
    let descendants = visibility::filter_visible(conn, viewer, descendants)?;
    Ok((ancestors, descendants))
}

/// Every version of a status, oldest first, the current one last.
pub fn history(
    conn: &mut DbConnection,
    status: &StatusRow,
) -> Result<Vec<StatusEditRow>, AppError> {
    let edits = store::statuses::edits_of(conn, status.id)?;
    if edits.is_empty() {
        return Ok(vec![StatusEditRow {
            id: status.id,
            status_id: status.id,
            account_id: status.account_id,
            content: status.content.clone(),
            spoiler_text: status.spoiler_text.clone(),
            sensitive: status.sensitive,
            media_ids: "[]".to_owned(),
            created_at: status.created_at,
        }]);
    }
    Ok(edits)
}

/// The author of a status, for rendering.
pub fn author(conn: &mut DbConnection, status: &StatusRow) -> Result<AccountRow, AppError> {
    store::accounts::find_by_id(conn, status.account_id)?.ok_or(AppError::NotFound)
}
