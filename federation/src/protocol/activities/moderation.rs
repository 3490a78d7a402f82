//! Moderation: `Block` (an account blocks another, a group bans a member) and `Flag` (a report).

use crate::protocol::{
    helpers::{deserialize_id, deserialize_ids, deserialize_opt_id},
    values::{Addressing, HasId},
};
use activitypub_federation::{
    kinds::activity::{BlockType, FlagType},
    protocol::helpers::deserialize_skip_error,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

/// `Block`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Block {
    /// Always `Block`.
    #[serde(rename = "type")]
    pub kind: BlockType,
    /// The activity's id.
    pub id: Url,
    /// Who blocks (a person, or a group's moderator).
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// The blocked actor.
    #[serde(deserialize_with = "deserialize_id")]
    pub object: Url,
    /// Where the ban applies (Lemmy: the community or the whole site).
    #[serde(
        default,
        deserialize_with = "deserialize_opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub target: Option<Url>,
    /// The reason.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub summary: Option<String>,
    /// When a temporary ban ends (Lemmy).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time: Option<DateTime<Utc>>,
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

/// `Flag`: a report to the receiving server's moderators.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    /// Always `Flag`.
    #[serde(rename = "type")]
    pub kind: FlagType,
    /// The activity's id.
    pub id: Url,
    /// The reporter; Mastodon sends its instance actor to keep the reporter anonymous.
    #[serde(deserialize_with = "deserialize_id")]
    pub actor: Url,
    /// The reported account and posts (Mastodon lists both).
    #[serde(deserialize_with = "deserialize_ids")]
    pub object: Vec<Url>,
    /// The comment (Mastodon).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub content: Option<String>,
    /// The reason (Lemmy).
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

impl HasId for Block {
    fn id(&self) -> &Url {
        &self.id
    }
}

impl HasId for Flag {
    fn id(&self) -> &Url {
        &self.id
    }
}
