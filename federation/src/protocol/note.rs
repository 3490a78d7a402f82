//! Posts: `Note` (statuses, replies), `Page` and `Article` (Lemmy and forum threads), `Question`
//! (polls) and PeerTube's `Video`, one struct with a `kind` since they share nearly every field.

use super::{
    attachment::{Attachment, Document},
    helpers::{
        deserialize_first_lenient, deserialize_ids, deserialize_link, deserialize_opt_id,
        deserialize_vec_lenient, serialize_one_or_many,
    },
    tag::Tag,
    values::{Addressing, HasId, Source},
};
use activitypub_federation::{kinds::object::NoteType, protocol::helpers::deserialize_skip_error};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use url::Url;

/// The post types we read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoteKind {
    /// A status or a reply.
    Note,
    /// A titled post (Lemmy).
    Page,
    /// A titled post (WordPress, Friendica, NodeBB).
    Article,
    /// A poll.
    Question,
    /// A PeerTube video, read as a titled link post as Mastodon does.
    Video,
}

/// A post.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    /// See [`NoteKind`].
    #[serde(rename = "type")]
    pub kind: NoteKind,
    /// The post's URL, its identity.
    pub id: Url,
    /// The author(s); sent as one id. PeerTube lists the account and the channel.
    #[serde(
        default,
        deserialize_with = "deserialize_ids",
        serialize_with = "serialize_one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub attributed_to: Vec<Url>,
    /// The title of a `Page`/`Article`, the text of a poll answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The content warning (Mastodon) or abstract.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub summary: Option<String>,
    /// The body, as HTML.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub content: Option<String>,
    /// The body per language, for servers that send only this.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub content_map: Option<BTreeMap<String, String>>,
    /// The media type of `content` (`text/html` when absent).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub media_type: Option<String>,
    /// The text as written (Markdown for Lemmy).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<Source>,
    /// The post's page.
    #[serde(
        default,
        deserialize_with = "deserialize_link",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<Url>,
    /// The post this replies to.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub in_reply_to: Option<Url>,
    /// Who may see it.
    #[serde(flatten)]
    pub addressing: Addressing,
    /// Whether the media is sensitive (hidden behind a warning).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub sensitive: Option<bool>,
    /// Mentions, hashtags and emoji.
    #[serde(
        default,
        deserialize_with = "deserialize_vec_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tag: Vec<Tag>,
    /// Media and links.
    #[serde(
        default,
        deserialize_with = "deserialize_vec_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub attachment: Vec<Attachment>,
    /// A preview picture (Lemmy link posts).
    #[serde(
        default,
        deserialize_with = "deserialize_first_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub image: Option<Document>,
    /// When it was posted.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub published: Option<DateTime<Utc>>,
    /// When it was last edited.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated: Option<DateTime<Utc>>,
    /// A single-choice poll's options.
    #[serde(
        default,
        deserialize_with = "deserialize_vec_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub one_of: Vec<PollOption>,
    /// A multiple-choice poll's options.
    #[serde(
        default,
        deserialize_with = "deserialize_vec_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub any_of: Vec<PollOption>,
    /// When a poll closes.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time: Option<DateTime<Utc>>,
    /// When a poll closed.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub closed: Option<DateTime<Utc>>,
    /// How many people voted (Mastodon `toot:votersCount`).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub voters_count: Option<u64>,
}

impl HasId for Note {
    fn id(&self) -> &Url {
        &self.id
    }
}

/// One answer of a poll: `{"type": "Note", "name": "Yes", "replies": {"totalItems": 3}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PollOption {
    /// Always `Note`.
    #[serde(rename = "type")]
    pub kind: NoteType,
    /// The answer's text.
    pub name: String,
    /// The vote count, in `totalItems`.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub replies: Option<VoteCount>,
}

/// A poll option's `replies`, of which only the count matters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VoteCount {
    /// Votes for the option.
    pub total_items: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_poll_reads_its_options() {
        let poll: Note = serde_json::from_value(json!({
            "type": "Question", "id": "https://a.example/q/1",
            "attributedTo": "https://a.example/u/1",
            "content": "Lunch?",
            "oneOf": [
                {"type": "Note", "name": "Soba", "replies": {"type": "Collection", "totalItems": 2}},
                {"type": "Note", "name": "Udon", "replies": {"type": "Collection", "totalItems": 5}}
            ],
            "endTime": "2030-01-01T00:00:00Z",
            "votersCount": 7
        }))
        .unwrap();
        assert_eq!(poll.kind, NoteKind::Question);
        assert_eq!(poll.one_of.len(), 2);
        assert_eq!(poll.one_of[1].replies.as_ref().unwrap().total_items, 5);
        assert_eq!(poll.voters_count, Some(7));
    }

    #[test]
    fn garbage_in_optional_fields_is_dropped_but_a_bad_id_is_not() {
        let note: Note = serde_json::from_value(json!({
            "type": "Note", "id": "https://a.example/n/1",
            "sensitive": null, "published": "yesterday", "tag": "nonsense", "quoteUrl": "x"
        }))
        .unwrap();
        assert_eq!(note.sensitive, None);
        assert_eq!(note.published, None);
        assert!(note.tag.is_empty());
        assert!(
            serde_json::from_value::<Note>(json!({"type": "Note", "id": "not a url"})).is_err()
        );
        assert!(
            serde_json::from_value::<Note>(json!({
                "type": "Note", "id": "https://a.example/n/1", "inReplyTo": 5
            }))
            .is_err(),
            "a reply whose parent we cannot read would be misthreaded"
        );
    }
}
