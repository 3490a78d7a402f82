//! `Follow`: a person follows a person or joins a group; an instance actor follows another
//! (partners, relays).

use crate::protocol::{
    helpers::deserialize_id,
    values::{Addressing, HasId},
};
use activitypub_federation::{
    kinds::activity::FollowType, protocol::helpers::deserialize_skip_error,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

/// `Follow`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Follow {
    /// Always `Follow`.
    #[serde(rename = "type")]
    pub kind: FollowType,
    /// The activity's id; `Accept`/`Reject`/`Undo` refer to it.
    pub id: Url,
    /// The follower.
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// The followed actor (or, for a Mastodon-style relay, the public collection).
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

impl HasId for Follow {
    fn id(&self) -> &Url {
        &self.id
    }
}
