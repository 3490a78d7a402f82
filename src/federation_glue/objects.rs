//! Remote posts: fetching them (with their thread, to a bounded depth) and storing them as
//! statuses, sanitised, with their audience read from the addressing as Mastodon reads it.

use std::future::Future;
use std::pin::Pin;

use activitypub_federation::kinds::public;
use chrono::Utc;
use kakehashi_federation::fetch::same_origin;
use kakehashi_federation::protocol::attachment::{Attachment, DocumentKind};
use kakehashi_federation::protocol::note::{Note, NoteKind};
use kakehashi_federation::protocol::object::AnyObject;
use kakehashi_federation::protocol::tag::Tag;
use url::Url;

use crate::db::models::{AccountRow, MediaRow, NewStatus, StatusChanges, StatusRow};
use crate::db::store::statuses::Counter;
use crate::db::{DbConnection, ids, store};
use crate::domain::effects::Effects;
use crate::domain::visibility::Visibility;
use crate::domain::{change, groups, html, statuses};
use crate::error::AppError;
use crate::federation_glue::actors::{self, domain_of};
use crate::state::AppState;

/// How many ancestors of a reply we fetch at most (a reply chain of 10⁴ stays cheap).
pub const MAX_THREAD_DEPTH: usize = 10;

/// Longest remote text we keep, in bytes, and the most tags and attachments we read.
const MAX_CONTENT_BYTES: usize = 100_000;
const MAX_TAGS: usize = 100;
const MAX_ATTACHMENTS: usize = 16;

/// A status we know by its id, or fetched now (with up to `depth` more ancestors).
pub fn fetch_status<'a>(
    state: &'a AppState,
    id: &'a Url,
    depth: usize,
) -> Pin<Box<dyn Future<Output = Result<StatusRow, AppError>> + Send + 'a>> {
    Box::pin(async move {
        let ap_id = id.to_string();
        let lookup = ap_id.clone();
        let (stored, gone) = state
            .db
            .run(move |conn| {
                Ok((
                    store::statuses::find_by_ap_id(conn, &lookup)?,
                    store::statuses::is_tombstoned(conn, &lookup)?,
                ))
            })
            .await?;
        if let Some(status) = stored {
            return Ok(status);
        }
        if gone {
            return Err(AppError::Gone("That post was deleted".to_owned()));
        }
        if domain_of(id).as_deref() == Some(state.urls.domain().to_lowercase().as_str()) {
            return Err(AppError::NotFound);
        }
        let (final_id, json) = actors::fetch_json(state, id).await?;
        match serde_json::from_value::<AnyObject>(json) {
            Ok(AnyObject::Note(note)) if note.id == final_id => {
                ingest_note(state, *note, depth, None).await
            }
            // An event shows in timelines as its status (boosted by a group or an instance).
            Ok(AnyObject::Event(event)) if event.id == final_id => {
                let event = crate::federation_glue::events::ingest_event(state, *event).await?;
                let id = event.id;
                state
                    .db
                    .run(move |conn| store::statuses::find(conn, id)?.ok_or(AppError::NotFound))
                    .await
            }
            Ok(_) => Err(AppError::Unprocessable(format!(
                "{final_id} is not a post we can show"
            ))),
            Err(e) => Err(AppError::Unprocessable(format!(
                "{final_id} is not readable: {e}"
            ))),
        }
    })
}

/// Stores a remote post whose content we trust (fetched from its id, or embedded in an activity
/// signed by its author's server): its author and ancestors are fetched first. `relay` is the
/// activity that carried it, kept for a local group to relay as sent (FEP-1b12).
pub async fn ingest_note(
    state: &AppState,
    note: Note,
    depth: usize,
    relay: Option<serde_json::Value>,
) -> Result<StatusRow, AppError> {
    let author_id = note
        .attributed_to
        .first()
        .ok_or_else(|| AppError::Unprocessable("The post has no author".to_owned()))?
        .clone();
    if !same_origin(&author_id, &note.id) {
        return Err(AppError::Unprocessable(
            "The post and its author are on different servers".to_owned(),
        ));
    }
    let author = actors::fetch_actor(state, &author_id, false).await?;
    if let Some(parent) = &note.in_reply_to
        && depth < MAX_THREAD_DEPTH
        && let Err(error) = fetch_status(state, parent, depth + 1).await
    {
        // The reply is kept; it joins its thread if the parent arrives later.
        tracing::debug!(parent = %parent, %error, "parent not fetched");
    }
    let own_domain = state.urls.domain().to_lowercase();
    change(state, move |conn, fx| {
        store_note(conn, fx, &note, &author, &own_domain, relay.as_ref())
    })
    .await
}

/// Who may see a remote post, read from its addressing as Mastodon reads it.
pub fn visibility_of(note: &Note, author: &AccountRow) -> Visibility {
    let public = public();
    let followers = author
        .followers_url
        .as_deref()
        .and_then(|f| Url::parse(f).ok());
    if note.addressing.to.contains(&public) {
        Visibility::Public
    } else if note.addressing.cc.contains(&public) {
        Visibility::Unlisted
    } else if followers
        .is_some_and(|f| note.addressing.to.contains(&f) || note.addressing.cc.contains(&f))
    {
        Visibility::Private
    } else {
        Visibility::Direct
    }
}

fn content_of(note: &Note) -> String {
    let raw = note
        .content
        .clone()
        .or_else(|| {
            note.content_map
                .as_ref()
                .and_then(|m| m.values().next().cloned())
        })
        .unwrap_or_default();
    let raw: String = if raw.len() > MAX_CONTENT_BYTES {
        raw.char_indices()
            .take_while(|(i, _)| *i < MAX_CONTENT_BYTES)
            .map(|(_, c)| c)
            .collect()
    } else {
        raw
    };
    let mut content = html::sanitize(&raw);
    // Pages and Articles (Lemmy, forums) carry a title: show it, and the link, as Mastodon does.
    if matches!(
        note.kind,
        NoteKind::Page | NoteKind::Article | NoteKind::Video
    ) && let Some(name) = &note.name
    {
        let title = format!("<p><strong>{}</strong></p>", html_escape::encode_text(name));
        let link = note
            .url
            .as_ref()
            .map(|u| {
                let u = html_escape::encode_double_quoted_attribute(u.as_str()).into_owned();
                format!("<p><a href=\"{u}\" target=\"_blank\" rel=\"nofollow noopener noreferrer\">{u}</a></p>")
            })
            .unwrap_or_default();
        content = format!("{title}{content}{link}");
    }
    content
}

/// Stores a remote post inside a change; a post already stored is returned as it is.
pub fn store_note(
    conn: &mut DbConnection,
    fx: &mut Effects,
    note: &Note,
    author: &AccountRow,
    own_domain: &str,
    relay: Option<&serde_json::Value>,
) -> Result<StatusRow, AppError> {
    let ap_id = note.id.to_string();
    if let Some(existing) = store::statuses::find_by_ap_id(conn, &ap_id)? {
        return Ok(existing);
    }
    if store::statuses::is_tombstoned(conn, &ap_id)? {
        return Err(AppError::Gone("That post was deleted".to_owned()));
    }
    let parent = match &note.in_reply_to {
        Some(parent) => store::statuses::find_by_ap_id(conn, parent.as_str())?,
        None => None,
    };
    let visibility = visibility_of(note, author);
    let now = Utc::now().naive_utc();
    let published = note
        .published
        .map(|t| t.naive_utc())
        .filter(|t| *t <= now)
        .unwrap_or(now);
    let language = note
        .content_map
        .as_ref()
        .and_then(|m| m.keys().next().cloned())
        .filter(|l| l.len() <= 16);
    let spoiler = note
        .summary
        .as_deref()
        .map(html::to_plain_text)
        .unwrap_or_default();
    let kind = match note.kind {
        NoteKind::Note => "Note",
        NoteKind::Page => "Page",
        NoteKind::Article => "Article",
        NoteKind::Question => "Question",
        NoteKind::Video => "Video",
    };
    let mut new = NewStatus {
        id: ids::id_at(published.and_utc()),
        account_id: author.id,
        ap_id: ap_id.clone(),
        url: note.url.as_ref().map(Url::to_string),
        local: false,
        object_type: kind.to_owned(),
        in_reply_to_id: parent.as_ref().map(|p| p.id),
        in_reply_to_account_id: parent.as_ref().map(|p| p.account_id),
        in_reply_to_ap_id: note.in_reply_to.as_ref().map(Url::to_string),
        reblog_of_id: None,
        thread_ap_id: parent
            .as_ref()
            .map(|p| p.thread_ap_id.clone().unwrap_or_else(|| p.ap_id.clone())),
        title: note.name.clone(),
        content: content_of(note),
        source_text: None,
        spoiler_text: spoiler.clone(),
        sensitive: note.sensitive.unwrap_or(false) || !spoiler.is_empty(),
        visibility: visibility.as_str().to_owned(),
        language,
        group_id: None,
        created_at: published,
        updated_at: now,
    };
    // Ids from a past time carry random low bits; a clash is rare and retried.
    let mut status = None;
    for _ in 0..3 {
        if store::statuses::find(conn, new.id)?.is_none() {
            status = Some(store::statuses::insert(conn, &new)?);
            break;
        }
        new.id = ids::id_at(published.and_utc());
    }
    let status = status.ok_or_else(|| AppError::internal("no free id for a remote status"))?;

    let mut mentioned = Vec::new();
    let mut tags = Vec::new();
    for tag in note.tag.iter().take(MAX_TAGS) {
        match tag {
            Tag::Mention(mention) => {
                let href = mention.href.to_string();
                let account = match store::accounts::find_by_ap_id(conn, &href)? {
                    Some(account) => Some(account),
                    None if domain_of(&mention.href).as_deref() == Some(own_domain) => {
                        store::accounts::find_by_url(conn, &href)?
                    }
                    None => None,
                };
                if let Some(account) = account
                    && !mentioned.contains(&account.id)
                {
                    mentioned.push(account.id);
                }
            }
            Tag::Hashtag(hashtag) => {
                let name = html::normalise_tag(&hashtag.name);
                if !name.is_empty() && name.chars().count() <= 100 && !tags.contains(&name) {
                    tags.push(name);
                }
            }
            Tag::Emoji(_) => {}
        }
    }
    store::statuses::set_mentions(conn, status.id, &mentioned)?;
    store::statuses::set_tags(conn, status.id, &tags, now)?;
    store_remote_media(conn, &status, author, note, now)?;
    if let Some(parent) = &parent {
        store::statuses::bump(conn, parent.id, Counter::Replies, true)?;
    }
    store::statuses::link_orphan_replies(conn, &status)?;
    statuses::after_new_status(conn, fx, &status, &mentioned)?;
    // A post to a group: one it mentions or addresses, or the group of the thread.
    let mut named = mentioned.clone();
    for recipient in note.addressing.recipients() {
        if let Some(account) = store::accounts::find_by_ap_id(conn, recipient.as_str())?
            && account.actor_type == "Group"
            && !named.contains(&account.id)
        {
            named.push(account.id);
        }
    }
    match groups::target_group(conn, parent.as_ref(), &named)? {
        Some(target) if target.group.local => {
            if let Err(refusal) =
                groups::accept_post(conn, fx, &target.group, &status, relay.cloned())?
            {
                tracing::info!(post = %status.ap_id, ?refusal, "post not taken into the group");
            }
        }
        Some(target) => {
            store::statuses::set_group(conn, status.id, target.group.account_id)?;
        }
        None => {}
    }
    store::statuses::find(conn, status.id)?.ok_or(AppError::NotFound)
}

fn store_remote_media(
    conn: &mut DbConnection,
    status: &StatusRow,
    author: &AccountRow,
    note: &Note,
    now: chrono::NaiveDateTime,
) -> Result<(), AppError> {
    for attachment in note.attachment.iter().take(MAX_ATTACHMENTS) {
        let Attachment::Document(document) = attachment else {
            continue;
        };
        let kind = match document.kind {
            DocumentKind::Video => "video",
            DocumentKind::Audio => "audio",
            DocumentKind::Image => "image",
            DocumentKind::Document => match document.media_type.as_deref() {
                Some(t) if t.starts_with("video/") => "video",
                Some(t) if t.starts_with("audio/") => "audio",
                Some(t) if t.starts_with("image/") => "image",
                _ => "unknown",
            },
        };
        store::media::insert(
            conn,
            &MediaRow {
                id: ids::next_id(),
                account_id: author.id,
                status_id: Some(status.id),
                kind: kind.to_owned(),
                state: "ready".to_owned(),
                file_name: None,
                content_type: document.media_type.clone(),
                file_size: None,
                width: document.width.map(i32::try_from).and_then(Result::ok),
                height: document.height.map(i32::try_from).and_then(Result::ok),
                thumbnail_file_name: None,
                thumbnail_width: None,
                thumbnail_height: None,
                description: document
                    .name
                    .clone()
                    .map(|d| d.chars().take(1500).collect()),
                focus_x: document.focal_point.map(|p| p[0]),
                focus_y: document.focal_point.map(|p| p[1]),
                blurhash: document.blurhash.clone().filter(|b| b.len() <= 100),
                remote_url: Some(document.url.to_string()),
                created_at: now,
                updated_at: now,
            },
        )?;
    }
    Ok(())
}

/// Applies an `Update` of a remote post by its author.
pub fn apply_update(
    conn: &mut DbConnection,
    fx: &mut Effects,
    note: &Note,
    author: &AccountRow,
) -> Result<Option<StatusRow>, AppError> {
    let Some(status) = store::statuses::find_by_ap_id(conn, note.id.as_str())? else {
        return Ok(None);
    };
    if status.account_id != author.id {
        return Err(AppError::Forbidden(
            "Only the author may edit a post".to_owned(),
        ));
    }
    let now = Utc::now().naive_utc();
    let spoiler = note
        .summary
        .as_deref()
        .map(html::to_plain_text)
        .unwrap_or_default();
    let changes = StatusChanges {
        title: note.name.clone(),
        content: content_of(note),
        source_text: None,
        spoiler_text: spoiler.clone(),
        sensitive: note.sensitive.unwrap_or(false) || !spoiler.is_empty(),
        language: status.language.clone(),
        updated_at: now,
        edited_at: Some(note.updated.map(|t| t.naive_utc()).unwrap_or(now)),
    };
    let edited = statuses::apply_edit(conn, fx, &status, &changes)?;
    Ok(Some(edited))
}
