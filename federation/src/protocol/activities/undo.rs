//! `Undo`: withdraws an earlier `Follow`, `Like`, `Announce`, `Block`, `Delete` (Lemmy's
//! restore) and so on.

use crate::protocol::{
    activities::AnyActivity,
    helpers::deserialize_id,
    values::{Addressing, HasId, IdOrObject},
};
use activitypub_federation::{
    kinds::activity::UndoType, protocol::helpers::deserialize_skip_error,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

/// `Undo`. The undone activity is usually embedded; an id alone must be looked up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Undo {
    /// Always `Undo`.
    #[serde(rename = "type")]
    pub kind: UndoType,
    /// The activity's id.
    pub id: Url,
    /// Who withdraws; must be the undone activity's actor.
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// The activity withdrawn.
    pub object: IdOrObject<AnyActivity>,
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

impl HasId for Undo {
    fn id(&self) -> &Url {
        &self.id
    }
}
