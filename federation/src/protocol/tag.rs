//! Tags on objects and actors: `Mention`, `Hashtag` and Mastodon's custom `Emoji`.

use super::{attachment::Document, helpers::type_of};
use activitypub_federation::kinds::link::MentionType;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, de::Error};
use serde_json::Value;
use url::Url;

/// A mention of an actor; how a Mastodon user addresses a group or a person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// Always `Mention`.
    #[serde(rename = "type")]
    pub kind: MentionType,
    /// The mentioned actor's id.
    pub href: Url,
    /// `@name@host`, as shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A hashtag: `{"type": "Hashtag", "name": "#gis", "href": ".../tags/gis"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hashtag {
    /// Always `Hashtag`.
    #[serde(rename = "type")]
    pub kind: HashtagKind,
    /// The tag with its `#`.
    pub name: String,
    /// The tag's page on the sending server.
    #[serde(
        default,
        deserialize_with = "activitypub_federation::protocol::helpers::deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub href: Option<Url>,
}

/// The one-value `type` of [`Hashtag`] (`as:Hashtag`, defined in our context).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum HashtagKind {
    /// `Hashtag`.
    #[default]
    Hashtag,
}

/// A custom emoji (Mastodon's `toot:Emoji`): `:name:` in the text is replaced by `icon`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Emoji {
    /// Always `Emoji`.
    #[serde(rename = "type")]
    pub kind: EmojiKind,
    /// The emoji's id, when the server gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Url>,
    /// The shortcode with colons, e.g. `:blobcat:`.
    pub name: String,
    /// The picture.
    pub icon: Document,
    /// When the picture last changed.
    #[serde(
        default,
        deserialize_with = "activitypub_federation::protocol::helpers::deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated: Option<DateTime<Utc>>,
}

/// The one-value `type` of [`Emoji`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmojiKind {
    /// `Emoji`.
    #[default]
    Emoji,
}

/// One entry of `tag`. Other tag types (Lemmy's `CommunityPostTag`, PeerTube's `Infohash`) are
/// dropped by the lenient list reader.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Tag {
    /// `Mention`.
    Mention(Mention),
    /// `Hashtag`.
    Hashtag(Hashtag),
    /// `Emoji` (boxed: much larger than the others).
    Emoji(Box<Emoji>),
}

impl<'de> Deserialize<'de> for Tag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let parsed = match type_of(&value) {
            Some("Mention") => serde_json::from_value(value).map(Tag::Mention),
            Some("Hashtag") => serde_json::from_value(value).map(Tag::Hashtag),
            Some("Emoji") => serde_json::from_value(value).map(|e| Tag::Emoji(Box::new(e))),
            other => return Err(D::Error::custom(format!("unknown tag type {other:?}"))),
        };
        parsed.map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::helpers::deserialize_vec_lenient;
    use serde_json::json;

    #[derive(Deserialize)]
    struct Tagged {
        #[serde(default, deserialize_with = "deserialize_vec_lenient")]
        tag: Vec<Tag>,
    }

    #[test]
    fn known_tags_parse_and_unknown_ones_are_dropped() {
        let tagged: Tagged = serde_json::from_value(json!({"tag": [
            {"type": "Mention", "href": "https://a.example/u/1", "name": "@one@a.example"},
            {"type": "Hashtag", "name": "#gis", "href": "https://a.example/tags/gis"},
            {"type": "Emoji", "id": "https://a.example/emojis/1", "name": ":cat:",
             "icon": {"type": "Image", "mediaType": "image/png", "url": "https://a.example/cat.png"}},
            {"type": "CommunityPostTag", "id": "https://a.example/c/x/tag/news"},
            {"type": "Mention"}
        ]}))
        .unwrap();
        assert_eq!(tagged.tag.len(), 3);
        assert!(matches!(tagged.tag[0], Tag::Mention(_)));
        assert!(matches!(tagged.tag[1], Tag::Hashtag(_)));
        assert!(matches!(tagged.tag[2], Tag::Emoji(_)));
    }
}
