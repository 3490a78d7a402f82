//! `Delete`: an object (or, with `object` = the actor, an account) is gone.

use crate::protocol::{
    helpers::deserialize_id,
    object::AnyObject,
    values::{Addressing, HasId, IdOrObject},
};
use activitypub_federation::{
    kinds::activity::DeleteType, protocol::helpers::deserialize_skip_error,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

/// `Delete`. The object is an id, a `Tombstone` (Mastodon, Friendica) or the object itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delete {
    /// Always `Delete`.
    #[serde(rename = "type")]
    pub kind: DeleteType,
    /// The activity's id.
    pub id: Url,
    /// Who deleted it: the author, or a moderator (Lemmy's removals).
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// What was deleted.
    pub object: IdOrObject<AnyObject>,
    /// A moderator's reason (Lemmy).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub summary: Option<String>,
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

impl HasId for Delete {
    fn id(&self) -> &Url {
        &self.id
    }
}
