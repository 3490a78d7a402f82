//! `Like` (favourite, upvote) and `Dislike` (Lemmy's and Friendica's downvote).
//!
//! We read `Dislike` so that its `Undo` and its announce by a group parse; what a downvote does
//! (probably nothing visible, as in Mastodon) is the server's decision.

use crate::protocol::{
    helpers::deserialize_id,
    values::{Addressing, HasId},
};
use activitypub_federation::{
    kinds::activity::{DislikeType, LikeType},
    protocol::helpers::deserialize_skip_error,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

/// `Like`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Like {
    /// Always `Like`.
    #[serde(rename = "type")]
    pub kind: LikeType,
    /// The activity's id.
    pub id: Url,
    /// Who likes.
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// The liked object's id (an embedded object is reduced to its id; we trust our copy).
    #[serde(deserialize_with = "deserialize_id")]
    pub object: Url,
    /// An emoji reaction's emoji (Misskey, Pleroma).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub content: Option<String>,
    /// Who it is delivered to.
    #[serde(flatten)]
    pub addressing: Addressing,
    /// When.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub published: Option<DateTime<Utc>>,
}

/// `Dislike`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dislike {
    /// Always `Dislike`.
    #[serde(rename = "type")]
    pub kind: DislikeType,
    /// The activity's id.
    pub id: Url,
    /// Who dislikes.
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// The disliked object's id.
    #[serde(deserialize_with = "deserialize_id")]
    pub object: Url,
    /// Who it is delivered to.
    #[serde(flatten)]
    pub addressing: Addressing,
    /// When.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub published: Option<DateTime<Utc>>,
}

impl HasId for Like {
    fn id(&self) -> &Url {
        &self.id
    }
}

impl HasId for Dislike {
    fn id(&self) -> &Url {
        &self.id
    }
}
