//! Collections: `OrderedCollection` (outbox, followers, following, featured, moderators),
//! `Collection` (Lemmy's followers count) and their pages.
//!
//! Items default to raw JSON: an outbox holds activities, `featured` holds objects, followers
//! hold ids. The caller picks `T` when it knows what the collection holds.

use super::values::{HasId, IdOrObject};
use activitypub_federation::{
    kinds::collection::{
        CollectionPageType, CollectionType, OrderedCollectionPageType, OrderedCollectionType,
    },
    protocol::helpers::deserialize_skip_error,
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::Value;
use url::Url;

/// An ordered collection; either lists its items or points at its `first` page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: DeserializeOwned"))]
pub struct OrderedCollection<T = Value> {
    /// Always `OrderedCollection`.
    #[serde(rename = "type")]
    pub kind: OrderedCollectionType,
    /// The collection's URL.
    pub id: Url,
    /// The number of items, which may be all a server reveals (followers).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_items: Option<u64>,
    /// The first page, by id or embedded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<IdOrObject<OrderedCollectionPage<T>>>,
    /// The last page's id.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub last: Option<Url>,
    /// The items, newest first, when not paged.
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    pub ordered_items: Vec<T>,
}

/// One page of an [`OrderedCollection`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: DeserializeOwned"))]
pub struct OrderedCollectionPage<T = Value> {
    /// Always `OrderedCollectionPage`.
    #[serde(rename = "type")]
    pub kind: OrderedCollectionPageType,
    /// The page's URL.
    pub id: Url,
    /// The collection it belongs to.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub part_of: Option<Url>,
    /// The next (older) page.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub next: Option<Url>,
    /// The previous (newer) page.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub prev: Option<Url>,
    /// The items on this page.
    #[serde(default = "Vec::new")]
    pub ordered_items: Vec<T>,
}

/// An unordered collection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: DeserializeOwned"))]
pub struct Collection<T = Value> {
    /// Always `Collection`.
    #[serde(rename = "type")]
    pub kind: CollectionType,
    /// The collection's URL.
    pub id: Url,
    /// The number of items.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_items: Option<u64>,
    /// The first page, by id or embedded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<IdOrObject<CollectionPage<T>>>,
    /// The items, when not paged.
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
}

/// One page of a [`Collection`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: DeserializeOwned"))]
pub struct CollectionPage<T = Value> {
    /// Always `CollectionPage`.
    #[serde(rename = "type")]
    pub kind: CollectionPageType,
    /// The page's URL.
    pub id: Url,
    /// The collection it belongs to.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub part_of: Option<Url>,
    /// The next page.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub next: Option<Url>,
    /// The items on this page.
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
}

impl<T> HasId for OrderedCollectionPage<T> {
    fn id(&self) -> &Url {
        &self.id
    }
}

impl<T> HasId for CollectionPage<T> {
    fn id(&self) -> &Url {
        &self.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_paged_collection_reads_its_embedded_first_page() {
        let collection: OrderedCollection<Url> = serde_json::from_value(json!({
            "type": "OrderedCollection", "id": "https://a.example/u/1/followers", "totalItems": 2,
            "first": {"type": "OrderedCollectionPage", "id": "https://a.example/u/1/followers?page=1",
                      "next": "https://a.example/u/1/followers?page=2",
                      "orderedItems": ["https://b.example/u/2", "https://c.example/u/3"]}
        }))
        .unwrap();
        let first = collection.first.unwrap();
        assert_eq!(first.object().unwrap().ordered_items.len(), 2);
        assert_eq!(
            first.id().as_str(),
            "https://a.example/u/1/followers?page=1"
        );
    }

    #[test]
    fn items_of_the_wrong_shape_are_an_error_when_typed() {
        assert!(
            serde_json::from_value::<OrderedCollection<Url>>(json!({
                "type": "OrderedCollection", "id": "https://a.example/c", "orderedItems": [1, 2]
            }))
            .is_err()
        );
    }
}
