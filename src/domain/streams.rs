//! Live streams: the streams a client can subscribe to, and which of a viewer's subscribed
//! streams each committed change ([`StreamEvent`]) goes to, as that viewer may see it.
//!
//! Every connection reads the instance's event channel (`AppState::events`) and asks [`route`]
//! what to send; a status event costs one lookup of the status per connection, plus its tags,
//! media or list members only when a subscribed stream needs them.

use chrono::Utc;

use crate::db::models::StatusRow;
use crate::db::{DbConnection, store};
use crate::domain::effects::StreamEvent;
use crate::domain::filters::FilterContext;
use crate::domain::html;
use crate::domain::visibility::{self, Visibility};
use crate::error::AppError;

/// One stream, as Mastodon names them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Stream {
    /// The home timeline and notifications.
    User,
    /// Notifications only.
    UserNotification,
    Public {
        local: Option<bool>,
        only_media: bool,
    },
    Hashtag {
        tag: String,
        local: bool,
    },
    List(i64),
    Direct,
}

/// What a stream message says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Update,
    StatusUpdate,
    Delete,
    Notification,
    /// A direct message, on the `direct` stream: the conversation it ends.
    Conversation,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Update => "update",
            EventKind::StatusUpdate => "status.update",
            EventKind::Delete => "delete",
            EventKind::Notification => "notification",
            EventKind::Conversation => "conversation",
        }
    }
}

impl Stream {
    /// A stream by its name (`user`, `public:local:media`, `hashtag`...), with `tag` for hashtag
    /// streams and `list` for list streams.
    pub fn parse(name: &str, tag: Option<&str>, list: Option<&str>) -> Result<Stream, String> {
        let public = |local, only_media| Ok(Stream::Public { local, only_media });
        let tag = || {
            tag.map(html::normalise_tag)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| "A hashtag stream needs a tag".to_owned())
        };
        match name {
            "user" => Ok(Stream::User),
            "user:notification" => Ok(Stream::UserNotification),
            "public" => public(None, false),
            "public:media" => public(None, true),
            "public:local" => public(Some(true), false),
            "public:local:media" => public(Some(true), true),
            "public:remote" => public(Some(false), false),
            "public:remote:media" => public(Some(false), true),
            "hashtag" => Ok(Stream::Hashtag {
                tag: tag()?,
                local: false,
            }),
            "hashtag:local" => Ok(Stream::Hashtag {
                tag: tag()?,
                local: true,
            }),
            "list" => list
                .and_then(|l| l.trim().parse().ok())
                .map(Stream::List)
                .ok_or_else(|| "A list stream needs a list id".to_owned()),
            "direct" => Ok(Stream::Direct),
            other => Err(format!("Unknown stream type: {other}")),
        }
    }

    /// The `stream` array of a message: `["user"]`, `["hashtag", "foo"]`, `["list", "12"]`.
    pub fn names(&self) -> Vec<String> {
        let name = match self {
            Stream::User => "user",
            Stream::UserNotification => "user:notification",
            Stream::Public { local, only_media } => match (local, only_media) {
                (None, false) => "public",
                (None, true) => "public:media",
                (Some(true), false) => "public:local",
                (Some(true), true) => "public:local:media",
                (Some(false), false) => "public:remote",
                (Some(false), true) => "public:remote:media",
            },
            Stream::Hashtag { local: false, .. } => "hashtag",
            Stream::Hashtag { local: true, .. } => "hashtag:local",
            Stream::List(_) => "list",
            Stream::Direct => "direct",
        };
        let mut names = vec![name.to_owned()];
        match self {
            Stream::Hashtag { tag, .. } => names.push(tag.clone()),
            Stream::List(id) => names.push(id.to_string()),
            _ => {}
        }
        names
    }

    /// Whether the stream carries notifications only (the scope it needs differs).
    pub fn is_notifications_only(&self) -> bool {
        *self == Stream::UserNotification
    }

    /// Where a status shown on this stream is filtered as.
    pub fn filter_context(&self) -> FilterContext {
        match self {
            Stream::User | Stream::List(_) | Stream::Direct | Stream::UserNotification => {
                FilterContext::Home
            }
            Stream::Public { .. } | Stream::Hashtag { .. } => FilterContext::Public,
        }
    }
}

/// Checks a new subscription: a list must be the viewer's own.
pub fn check(conn: &mut DbConnection, viewer: i64, stream: &Stream) -> Result<(), AppError> {
    if let Stream::List(id) = stream {
        store::lists::find(conn, viewer, *id)?.ok_or(AppError::NotFound)?;
    }
    Ok(())
}

/// Where one event goes for one viewer.
#[derive(Debug, Clone)]
pub struct Routed {
    pub kind: EventKind,
    /// The status to render (`update`, `status.update`), or the deleted id (`delete`).
    pub status_id: Option<i64>,
    pub notification_id: Option<i64>,
    pub streams: Vec<Stream>,
}

/// The viewer's subscribed streams `event` goes to, if any.
pub fn route(
    conn: &mut DbConnection,
    viewer: i64,
    subscribed: &[Stream],
    event: &StreamEvent,
) -> Result<Option<Routed>, AppError> {
    if subscribed.is_empty() {
        return Ok(None);
    }
    let routed = match event {
        StreamEvent::Notification {
            account_id,
            notification_id,
        } => {
            if *account_id != viewer {
                return Ok(None);
            }
            Routed {
                kind: EventKind::Notification,
                status_id: None,
                notification_id: Some(*notification_id),
                streams: subscribed
                    .iter()
                    .filter(|s| matches!(s, Stream::User | Stream::UserNotification))
                    .cloned()
                    .collect(),
            }
        }
        StreamEvent::StatusDeleted { status_id } => Routed {
            kind: EventKind::Delete,
            status_id: Some(*status_id),
            notification_id: None,
            streams: subscribed
                .iter()
                .filter(|s| !s.is_notifications_only())
                .cloned()
                .collect(),
        },
        StreamEvent::StatusCreated { status_id, home } => {
            let Some(status) = visible(conn, viewer, *status_id)? else {
                return Ok(None);
            };
            let in_home = home.contains(&viewer);
            Routed {
                kind: message_kind(&status, EventKind::Update),
                status_id: Some(status.id),
                notification_id: None,
                streams: status_streams(conn, subscribed, &status, in_home)?,
            }
        }
        StreamEvent::StatusUpdated { status_id } => {
            let Some(status) = visible(conn, viewer, *status_id)? else {
                return Ok(None);
            };
            let in_home = status.account_id == viewer
                || store::relations::find_follow(conn, viewer, status.account_id)?
                    .is_some_and(|f| f.accepted());
            Routed {
                kind: message_kind(&status, EventKind::StatusUpdate),
                status_id: Some(status.id),
                notification_id: None,
                streams: status_streams(conn, subscribed, &status, in_home)?,
            }
        }
    };
    Ok((!routed.streams.is_empty()).then_some(routed))
}

/// Direct messages go out as conversations.
fn message_kind(status: &StatusRow, otherwise: EventKind) -> EventKind {
    if Visibility::of(status) == Visibility::Direct {
        EventKind::Conversation
    } else {
        otherwise
    }
}

/// The status if the viewer may see it and has not muted or blocked its author (or, for a
/// boost, the original's author).
fn visible(
    conn: &mut DbConnection,
    viewer: i64,
    status_id: i64,
) -> Result<Option<StatusRow>, AppError> {
    let Some(status) = store::statuses::find(conn, status_id)? else {
        return Ok(None);
    };
    if !visibility::can_view(conn, Some(viewer), &status)? {
        return Ok(None);
    }
    let hidden = store::relations::hidden_accounts(conn, viewer, Utc::now().naive_utc())?;
    if hidden.contains(&status.account_id) {
        return Ok(None);
    }
    if let Some(original) = status.reblog_of_id
        && let Some(original) = store::statuses::find(conn, original)?
        && hidden.contains(&original.account_id)
    {
        return Ok(None);
    }
    Ok(Some(status))
}

fn status_streams(
    conn: &mut DbConnection,
    subscribed: &[Stream],
    status: &StatusRow,
    in_home: bool,
) -> Result<Vec<Stream>, AppError> {
    let public = Visibility::of(status) == Visibility::Public && status.reblog_of_id.is_none();
    let direct = Visibility::of(status) == Visibility::Direct;
    let mut tags: Option<Vec<String>> = None;
    let mut has_media: Option<bool> = None;
    let mut out = Vec::new();
    for stream in subscribed {
        let goes = match stream {
            Stream::User => in_home && !direct,
            Stream::UserNotification => false,
            Stream::Public { local, only_media } => {
                if !public || local.is_some_and(|l| l != status.local) {
                    false
                } else if *only_media {
                    if has_media.is_none() {
                        has_media = Some(media_of(conn, status.id)?);
                    }
                    has_media.unwrap_or(false)
                } else {
                    true
                }
            }
            Stream::Hashtag { tag, local } => {
                if !public || (*local && !status.local) {
                    false
                } else {
                    if tags.is_none() {
                        tags = Some(tags_of(conn, status.id)?);
                    }
                    tags.as_ref().is_some_and(|t| t.contains(tag))
                }
            }
            Stream::List(id) => {
                in_home
                    && !direct
                    && store::lists::member_ids(conn, *id)?.contains(&status.account_id)
            }
            Stream::Direct => direct,
        };
        if goes {
            out.push(stream.clone());
        }
    }
    Ok(out)
}

fn media_of(conn: &mut DbConnection, status_id: i64) -> Result<bool, AppError> {
    Ok(!store::media::for_statuses(conn, &[status_id])?.is_empty())
}

fn tags_of(conn: &mut DbConnection, status_id: i64) -> Result<Vec<String>, AppError> {
    Ok(store::statuses::tags_of(conn, &[status_id])?
        .into_iter()
        .map(|(_, t)| html::normalise_tag(&t.name))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in [
            "user",
            "user:notification",
            "public",
            "public:media",
            "public:local",
            "public:local:media",
            "public:remote",
            "public:remote:media",
            "direct",
        ] {
            let stream = Stream::parse(name, None, None).expect(name);
            assert_eq!(stream.names(), vec![name.to_owned()]);
        }
        assert_eq!(
            Stream::parse("hashtag", Some("#Bousai"), None)
                .expect("tag")
                .names(),
            vec!["hashtag", "bousai"]
        );
        assert_eq!(
            Stream::parse("list", None, Some("12"))
                .expect("list")
                .names(),
            vec!["list", "12"]
        );
        assert!(Stream::parse("hashtag", None, None).is_err());
        assert!(Stream::parse("everything", None, None).is_err());
    }
}
