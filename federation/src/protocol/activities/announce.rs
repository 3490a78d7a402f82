//! `Announce`: a boost (Mastodon: the object), or a group forwarding a member's activity
//! (FEP-1b12: the activity, embedded unchanged).

use crate::protocol::{
    document::ObjectOrActivity,
    helpers::deserialize_id,
    values::{Addressing, HasId, IdOrObject},
};
use activitypub_federation::{
    kinds::activity::AnnounceType, protocol::helpers::deserialize_skip_error,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

/// `Announce`.
///
/// An embedded object or activity is trusted only as far as the announcing actor is (a group
/// for its own members' activities); anything else must be refetched from its origin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Announce {
    /// Always `Announce`.
    #[serde(rename = "type")]
    pub kind: AnnounceType,
    /// The activity's id.
    pub id: Url,
    /// Who announces: the booster, or the group.
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// What is announced: an object or an activity, by id or embedded.
    pub object: IdOrObject<ObjectOrActivity>,
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

impl HasId for Announce {
    fn id(&self) -> &Url {
        &self.id
    }
}
