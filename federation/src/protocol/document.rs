//! Top-level readers: [`ObjectOrActivity`] (what `Announce` and `Accept` carry) and
//! [`AnyDocument`] (anything a server may send or serve us).

use super::{
    activities::{ACTIVITY_TYPES, AnyActivity},
    collection::{Collection, CollectionPage, OrderedCollection, OrderedCollectionPage},
    helpers::type_of,
    object::AnyObject,
    values::HasId,
};
use serde::{Deserialize, Deserializer, Serialize, de::Error};
use serde_json::Value;
use url::Url;

/// An object or an activity, told apart by `type`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ObjectOrActivity {
    /// An activity (FEP-1b12 announces, `Accept` of a `Follow`).
    Activity(Box<AnyActivity>),
    /// An object (a Mastodon boost, Friendica's `Accept` of an `Event`).
    Object(Box<AnyObject>),
}

impl HasId for ObjectOrActivity {
    fn id(&self) -> &Url {
        match self {
            ObjectOrActivity::Activity(activity) => activity.id(),
            ObjectOrActivity::Object(object) => object.id(),
        }
    }
}

impl<'de> Deserialize<'de> for ObjectOrActivity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        if type_of(&value).is_some_and(|kind| ACTIVITY_TYPES.contains(&kind)) {
            serde_json::from_value(value)
                .map(|a| ObjectOrActivity::Activity(Box::new(a)))
                .map_err(D::Error::custom)
        } else {
            serde_json::from_value(value)
                .map(|o| ObjectOrActivity::Object(Box::new(o)))
                .map_err(D::Error::custom)
        }
    }
}

/// Any document we handle: an activity, an object or actor, or a collection (page).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AnyDocument {
    /// An activity.
    Activity(Box<AnyActivity>),
    /// An object or actor.
    Object(Box<AnyObject>),
    /// An ordered collection.
    OrderedCollection(Box<OrderedCollection>),
    /// A page of one.
    OrderedCollectionPage(Box<OrderedCollectionPage>),
    /// An unordered collection.
    Collection(Box<Collection>),
    /// A page of one.
    CollectionPage(Box<CollectionPage>),
}

impl<'de> Deserialize<'de> for AnyDocument {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let parsed = match type_of(&value) {
            Some(kind) if ACTIVITY_TYPES.contains(&kind) => {
                serde_json::from_value(value).map(|a| AnyDocument::Activity(Box::new(a)))
            }
            Some("OrderedCollection") => {
                serde_json::from_value(value).map(|c| AnyDocument::OrderedCollection(Box::new(c)))
            }
            Some("OrderedCollectionPage") => serde_json::from_value(value)
                .map(|c| AnyDocument::OrderedCollectionPage(Box::new(c))),
            Some("Collection") => {
                serde_json::from_value(value).map(|c| AnyDocument::Collection(Box::new(c)))
            }
            Some("CollectionPage") => {
                serde_json::from_value(value).map(|c| AnyDocument::CollectionPage(Box::new(c)))
            }
            _ => serde_json::from_value(value).map(|o| AnyDocument::Object(Box::new(o))),
        };
        parsed.map_err(D::Error::custom)
    }
}
