//! `Create` and `Update`: a new or changed object (a post, an event, an actor's profile).

use crate::protocol::{
    helpers::deserialize_id,
    object::AnyObject,
    values::{Addressing, HasId, IdOrObject},
};
use activitypub_federation::{
    kinds::activity::{CreateType, UpdateType},
    protocol::helpers::deserialize_skip_error,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

/// `Create`: `actor` made `object`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Create {
    /// Always `Create`.
    #[serde(rename = "type")]
    pub kind: CreateType,
    /// The activity's id.
    pub id: Url,
    /// Who created the object.
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// The new object, normally embedded.
    pub object: IdOrObject<AnyObject>,
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

/// `Update`: `actor` changed `object`, which carries its new state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Update {
    /// Always `Update`.
    #[serde(rename = "type")]
    pub kind: UpdateType,
    /// The activity's id.
    pub id: Url,
    /// Who changed the object.
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// The object's new state, normally embedded.
    pub object: IdOrObject<AnyObject>,
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

impl HasId for Create {
    fn id(&self) -> &Url {
        &self.id
    }
}

impl HasId for Update {
    fn id(&self) -> &Url {
        &self.id
    }
}
