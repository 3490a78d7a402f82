//! `Add` and `Remove`: a group changes a collection (moderators, pinned posts).

use crate::protocol::{
    helpers::deserialize_id,
    object::AnyObject,
    values::{Addressing, HasId, IdOrObject},
};
use activitypub_federation::{
    kinds::activity::{AddType, RemoveType},
    protocol::helpers::deserialize_skip_error,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

/// `Add`: `object` joins the collection `target`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Add {
    /// Always `Add`.
    #[serde(rename = "type")]
    pub kind: AddType,
    /// The activity's id.
    pub id: Url,
    /// Who changes the collection.
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// What is added (a moderator's id, a pinned post).
    pub object: IdOrObject<AnyObject>,
    /// The collection.
    #[serde(deserialize_with = "deserialize_id")]
    pub target: Url,
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

/// `Remove`: `object` leaves the collection `target`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Remove {
    /// Always `Remove`.
    #[serde(rename = "type")]
    pub kind: RemoveType,
    /// The activity's id.
    pub id: Url,
    /// Who changes the collection.
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// What is removed.
    pub object: IdOrObject<AnyObject>,
    /// The collection.
    #[serde(deserialize_with = "deserialize_id")]
    pub target: Url,
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

impl HasId for Add {
    fn id(&self) -> &Url {
        &self.id
    }
}

impl HasId for Remove {
    fn id(&self) -> &Url {
        &self.id
    }
}
