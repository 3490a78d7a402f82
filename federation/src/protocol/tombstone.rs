//! `Tombstone`: what a deleted object's URL answers with, and what `Delete` may carry.

use super::values::HasId;
use activitypub_federation::{
    kinds::object::TombstoneType, protocol::helpers::deserialize_skip_error,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

/// A deleted object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tombstone {
    /// Always `Tombstone`.
    #[serde(rename = "type")]
    pub kind: TombstoneType,
    /// The deleted object's id.
    pub id: Url,
    /// What the object was, e.g. `Note`.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub former_type: Option<String>,
    /// When it was deleted.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub deleted: Option<DateTime<Utc>>,
}

impl Tombstone {
    /// A tombstone for `id`.
    pub fn new(id: Url) -> Self {
        Tombstone {
            kind: TombstoneType::Tombstone,
            id,
            former_type: None,
            deleted: None,
        }
    }
}

impl HasId for Tombstone {
    fn id(&self) -> &Url {
        &self.id
    }
}
