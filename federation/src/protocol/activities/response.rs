//! Answers: `Accept`, `Reject` and `TentativeAccept`, to a `Follow`, a `Join`, an `Invite`, or
//! (Friendica's RSVP) directly to an `Event`.

use crate::protocol::{
    document::ObjectOrActivity,
    helpers::deserialize_id,
    values::{Addressing, HasId, IdOrObject},
};
use activitypub_federation::{
    kinds::activity::{AcceptType, RejectType, TentativeAcceptType},
    protocol::helpers::deserialize_skip_error,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

/// `Accept`: a follow or join request is granted, or (Friendica) "I will attend".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Accept {
    /// Always `Accept`.
    #[serde(rename = "type")]
    pub kind: AcceptType,
    /// The activity's id.
    pub id: Url,
    /// Who accepts.
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// What is accepted: the request (by id or embedded) or an event.
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

/// `Reject`: a request is refused, or (Friendica) "I will not attend".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reject {
    /// Always `Reject`.
    #[serde(rename = "type")]
    pub kind: RejectType,
    /// The activity's id.
    pub id: Url,
    /// Who refuses.
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// What is refused.
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

/// `TentativeAccept`: Friendica's "maybe" for an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TentativeAccept {
    /// Always `TentativeAccept`.
    #[serde(rename = "type")]
    pub kind: TentativeAcceptType,
    /// The activity's id.
    pub id: Url,
    /// Who answers.
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// The event or invitation.
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

impl HasId for Accept {
    fn id(&self) -> &Url {
        &self.id
    }
}

impl HasId for Reject {
    fn id(&self) -> &Url {
        &self.id
    }
}

impl HasId for TentativeAccept {
    fn id(&self) -> &Url {
        &self.id
    }
}
