//! Taking part in events and groups: `Join`, `Leave` (Mobilizon, FEP-8a8e) and `Invite`
//! (Hubzilla, Friendica).

use crate::protocol::{
    helpers::{deserialize_id, deserialize_opt_id},
    object::AnyObject,
    values::{Addressing, HasId, IdOrObject},
};
use activitypub_federation::{
    kinds::activity::{InviteType, JoinType, LeaveType},
    protocol::helpers::deserialize_skip_error,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

/// `Join`: asks to take part in an event (answered by `Accept` or `Reject`) or a group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Join {
    /// Always `Join`.
    #[serde(rename = "type")]
    pub kind: JoinType,
    /// The activity's id; the answer refers to it.
    pub id: Url,
    /// Who joins.
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// The event or group.
    #[serde(deserialize_with = "deserialize_id")]
    pub object: Url,
    /// A note to the organiser (Mobilizon).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub participation_message: Option<String>,
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

/// `Leave`: withdraws from an event or group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Leave {
    /// Always `Leave`.
    #[serde(rename = "type")]
    pub kind: LeaveType,
    /// The activity's id.
    pub id: Url,
    /// Who leaves.
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// The event or group.
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

/// `Invite`: invites the recipients to an event (Hubzilla embeds the event).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invite {
    /// Always `Invite`.
    #[serde(rename = "type")]
    pub kind: InviteType,
    /// The activity's id.
    pub id: Url,
    /// Who invites.
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// The event, by id or embedded.
    pub object: IdOrObject<AnyObject>,
    /// The invitee, when not given by the addressing.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub target: Option<Url>,
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

impl HasId for Join {
    fn id(&self) -> &Url {
        &self.id
    }
}

impl HasId for Leave {
    fn id(&self) -> &Url {
        &self.id
    }
}

impl HasId for Invite {
    fn id(&self) -> &Url {
        &self.id
    }
}
