//! Our rows as ActivityPub objects: local actors (`Person`, `Group`, `Application`) and statuses
//! (`Note`), addressed exactly as Mastodon addresses each visibility.

use activitypub_federation::kinds::public;
use activitypub_federation::protocol::public_key::PublicKey;
use chrono::{DateTime, Utc};
use kakehashi_federation::protocol::actor::{Actor, ActorKind, Endpoints};
use kakehashi_federation::protocol::attachment::{
    Attachment, Document, DocumentKind, PropertyValue, PropertyValueKind,
};
use kakehashi_federation::protocol::note::{Note, NoteKind};
use kakehashi_federation::protocol::tag::{Hashtag, HashtagKind, Mention, Tag};
use kakehashi_federation::protocol::values::{Addressing, Source};
use url::Url;

use crate::db::models::{AccountRow, MediaRow, StatusRow};
use crate::db::{DbConnection, store};
use crate::domain::profiles::{AccountView, fields_of};
use crate::domain::urls::Urls;
use crate::domain::visibility::Visibility;
use crate::error::AppError;

/// Parses a URL we stored; stored URLs were checked when written.
pub fn url(text: &str) -> Result<Url, AppError> {
    Url::parse(text).map_err(|e| AppError::internal(format!("stored URL {text}: {e}")))
}

fn opt_url(text: Option<&str>) -> Option<Url> {
    text.and_then(|t| Url::parse(t).ok())
}

fn utc(time: chrono::NaiveDateTime) -> DateTime<Utc> {
    time.and_utc()
}

/// A local actor as its ActivityPub document.
pub fn actor(
    conn: &mut DbConnection,
    urls: &Urls,
    account: &AccountRow,
) -> Result<Actor, AppError> {
    let settings = store::settings::find(conn, account.id)?;
    let view = AccountView {
        account: account.clone(),
        settings,
        role: None,
        counts: Default::default(),
    };
    let kind = match account.actor_type.as_str() {
        "Group" => ActorKind::Group,
        "Application" => ActorKind::Application,
        "Service" => ActorKind::Service,
        _ => ActorKind::Person,
    };
    let group = if kind == ActorKind::Group {
        store::groups::find(conn, account.id)?
    } else {
        None
    };
    let moderators = group
        .as_ref()
        .and_then(|g| g.moderators_url.as_deref())
        .and_then(|m| Url::parse(m).ok());
    let has_avatar = view
        .settings
        .as_ref()
        .is_some_and(|s| s.avatar_file.is_some());
    let has_header = view
        .settings
        .as_ref()
        .is_some_and(|s| s.header_file.is_some());
    let id = url(&account.ap_id)?;
    Ok(Actor {
        kind,
        id: id.clone(),
        preferred_username: Some(account.username.clone()),
        name: Some(if account.display_name.is_empty() {
            account.username.clone()
        } else {
            account.display_name.clone()
        }),
        summary: Some(account.note.clone()),
        url: opt_url(account.url.as_deref()),
        inbox: url(&account.inbox_url)?,
        outbox: opt_url(account.outbox_url.as_deref()),
        followers: opt_url(account.followers_url.as_deref()),
        following: opt_url(account.following_url.as_deref()),
        featured: opt_url(account.featured_url.as_deref()),
        endpoints: Some(Endpoints {
            shared_inbox: Some(urls.shared_inbox()),
        }),
        public_key: vec![PublicKey {
            id: super::key_id(account),
            owner: id,
            public_key_pem: account.public_key_pem.clone(),
        }],
        manually_approves_followers: account.locked,
        discoverable: Some(account.discoverable),
        indexable: Some(account.discoverable),
        icon: has_avatar
            .then(|| Document::image(view.avatar_url(urls), Some("image/png".to_owned()))),
        image: has_header
            .then(|| Document::image(view.header_url(urls), Some("image/png".to_owned()))),
        attachment: fields_of(&account.fields)
            .into_iter()
            .map(|f| PropertyValue {
                kind: PropertyValueKind::PropertyValue,
                name: f.name,
                value: f.value,
            })
            .collect(),
        tag: Vec::new(),
        // Lemmy's convention: a group is attributed to its moderators collection.
        attributed_to: moderators.iter().cloned().collect(),
        moderators,
        posting_restricted_to_mods: group.as_ref().map(|_| false),
        also_known_as: Vec::new(),
        published: Some(utc(account.created_at)),
        updated: None,
    })
}

/// `to`/`cc` of a status, as Mastodon: public (to Public, cc followers), unlisted (to followers,
/// cc Public), followers-only (to followers), direct (to the mentioned); mentioned accounts in cc
/// otherwise.
pub fn addressing(author: &AccountRow, visibility: Visibility, mentioned: &[Url]) -> Addressing {
    let followers = opt_url(author.followers_url.as_deref());
    let mut to = Vec::new();
    let mut cc = Vec::new();
    match visibility {
        Visibility::Public => {
            to.push(public());
            cc.extend(followers);
            cc.extend(mentioned.iter().cloned());
        }
        Visibility::Unlisted => {
            to.extend(followers);
            cc.push(public());
            cc.extend(mentioned.iter().cloned());
        }
        Visibility::Private => {
            to.extend(followers);
            cc.extend(mentioned.iter().cloned());
        }
        Visibility::Direct => to.extend(mentioned.iter().cloned()),
    }
    Addressing {
        to,
        cc,
        ..Addressing::default()
    }
}

/// A status with what its Note needs, loaded in one go.
pub struct NoteParts {
    pub status: StatusRow,
    pub author: AccountRow,
    pub mentioned: Vec<AccountRow>,
    pub tags: Vec<String>,
    pub media: Vec<MediaRow>,
    pub parent_ap_id: Option<String>,
    /// The group the post was made in (FEP-1b12 `audience`).
    pub group: Option<AccountRow>,
}

pub fn load_note_parts(conn: &mut DbConnection, status: &StatusRow) -> Result<NoteParts, AppError> {
    let author = store::accounts::find_by_id(conn, status.account_id)?.ok_or(AppError::NotFound)?;
    let mention_ids: Vec<i64> = store::statuses::mentions_of(conn, &[status.id])?
        .into_iter()
        .map(|m| m.account_id)
        .collect();
    let mentioned = store::accounts::find_many(conn, &mention_ids)?;
    let tags = store::statuses::tags_of(conn, &[status.id])?
        .into_iter()
        .map(|(_, t)| t.name)
        .collect();
    let media = store::media::for_statuses(conn, &[status.id])?;
    let group = match status.group_id {
        Some(id) => store::accounts::find_by_id(conn, id)?,
        None => None,
    };
    Ok(NoteParts {
        group,
        status: status.clone(),
        author,
        mentioned,
        tags,
        media,
        parent_ap_id: status.in_reply_to_ap_id.clone(),
    })
}

/// A status as its `Note`.
pub fn note(urls: &Urls, parts: &NoteParts) -> Result<Note, AppError> {
    let status = &parts.status;
    let mentioned: Vec<Url> = parts
        .mentioned
        .iter()
        .filter_map(|a| Url::parse(&a.ap_id).ok())
        .collect();
    let mut tag: Vec<Tag> = parts
        .mentioned
        .iter()
        .filter_map(|a| {
            Some(Tag::Mention(Mention {
                kind: Default::default(),
                href: Url::parse(&a.ap_id).ok()?,
                name: Some(format!(
                    "@{}@{}",
                    a.username,
                    a.domain.clone().unwrap_or_else(|| urls.domain())
                )),
            }))
        })
        .collect();
    tag.extend(parts.tags.iter().map(|name| {
        Tag::Hashtag(Hashtag {
            kind: HashtagKind::Hashtag,
            name: format!("#{name}"),
            href: Some(urls.tag(&crate::domain::html::normalise_tag(name))),
        })
    }));
    let attachment = parts
        .media
        .iter()
        .filter_map(|m| media_document(urls, m))
        .map(Attachment::Document)
        .collect();
    let content = status.content.clone();
    let mut addressing = addressing(&parts.author, Visibility::of(status), &mentioned);
    if let Some(group) = &parts.group {
        let group_id = url(&group.ap_id)?;
        if !addressing.to.contains(&group_id) && !addressing.cc.contains(&group_id) {
            addressing.cc.push(group_id.clone());
        }
        addressing.audience.push(group_id);
    }
    Ok(Note {
        kind: NoteKind::Note,
        id: url(&status.ap_id)?,
        attributed_to: vec![url(&parts.author.ap_id)?],
        name: None,
        summary: (!status.spoiler_text.is_empty()).then(|| status.spoiler_text.clone()),
        content_map: status
            .language
            .clone()
            .map(|lang| std::iter::once((lang, content.clone())).collect()),
        content: Some(content),
        media_type: Some("text/html".to_owned()),
        source: status.source_text.clone().map(|text| Source {
            content: text,
            media_type: Some("text/plain".to_owned()),
        }),
        url: opt_url(status.url.as_deref()),
        in_reply_to: opt_url(parts.parent_ap_id.as_deref()),
        addressing,
        sensitive: Some(status.sensitive),
        tag,
        attachment,
        image: None,
        published: Some(utc(status.created_at)),
        updated: status.edited_at.map(utc),
        one_of: Vec::new(),
        any_of: Vec::new(),
        end_time: None,
        closed: None,
        voters_count: None,
    })
}

/// A media attachment as a `Document` (local files by their public URL, remote by theirs).
pub fn media_document(urls: &Urls, media: &MediaRow) -> Option<Document> {
    let address = match (&media.file_name, &media.remote_url) {
        (Some(file), _) => urls.media_file(file),
        (None, Some(remote)) => Url::parse(remote).ok()?,
        _ => return None,
    };
    Some(Document {
        kind: DocumentKind::Document,
        url: address,
        media_type: media.content_type.clone(),
        name: media.description.clone(),
        blurhash: media.blurhash.clone(),
        focal_point: media.focus_x.zip(media.focus_y).map(|(x, y)| [x, y]),
        width: media.width.and_then(|w| u32::try_from(w).ok()),
        height: media.height.and_then(|h| u32::try_from(h).ok()),
    })
}
