//! Small values shared by actors, objects and activities: ids-or-objects, addressing, sources.

use super::helpers::{deserialize_recipients, id_from_value};
use activitypub_federation::kinds::public;
use serde::{Deserialize, Deserializer, Serialize, de::DeserializeOwned, de::Error};
use serde_json::Value;
use url::Url;

/// A property that holds either an id or the embedded object, as ActivityPub allows
/// everywhere (`"object": "https://..."` or `"object": {"type": "Note", ...}`).
///
/// An embedded object that does not parse is an error, not silently an id: an activity whose
/// object we cannot read must be rejected or refetched, never half-processed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum IdOrObject<T> {
    /// Only the id; the receiver dereferences it when it needs the object.
    Id(Url),
    /// The object, embedded.
    Object(Box<T>),
}

impl<T: HasId> IdOrObject<T> {
    /// The id, whether given alone or inside the embedded object.
    pub fn id(&self) -> &Url {
        match self {
            IdOrObject::Id(id) => id,
            IdOrObject::Object(object) => object.id(),
        }
    }
}

impl<T> IdOrObject<T> {
    /// The embedded object, if there is one.
    pub fn object(&self) -> Option<&T> {
        match self {
            IdOrObject::Id(_) => None,
            IdOrObject::Object(object) => Some(object),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for IdOrObject<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        match value {
            Value::String(_) => id_from_value(&value)
                .map(IdOrObject::Id)
                .map_err(D::Error::custom),
            Value::Object(_) => serde_json::from_value(value)
                .map(|object| IdOrObject::Object(Box::new(object)))
                .map_err(D::Error::custom),
            other => Err(D::Error::custom(format!(
                "expected an id or an object, found {other}"
            ))),
        }
    }
}

/// Anything with an ActivityPub `id`.
pub trait HasId {
    /// The object's `id`.
    fn id(&self) -> &Url;
}

/// Who an object or activity is addressed to. Flattened into every object and activity.
///
/// `bto` and `bcc` are read (so we can deliver to them) but never serialised: the spec says a
/// server must remove them before delivery.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Addressing {
    /// Primary recipients.
    #[serde(
        default,
        deserialize_with = "deserialize_recipients",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub to: Vec<Url>,
    /// Secondary recipients.
    #[serde(
        default,
        deserialize_with = "deserialize_recipients",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub cc: Vec<Url>,
    /// Hidden primary recipients (never sent on).
    #[serde(default, deserialize_with = "deserialize_recipients", skip_serializing)]
    pub bto: Vec<Url>,
    /// Hidden secondary recipients (never sent on).
    #[serde(default, deserialize_with = "deserialize_recipients", skip_serializing)]
    pub bcc: Vec<Url>,
    /// The group (FEP-1b12) the object belongs to. One group is written as a single value:
    /// Lemmy reads `audience` as one community id and refuses an array.
    #[serde(
        default,
        deserialize_with = "deserialize_recipients",
        serialize_with = "serialize_one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub audience: Vec<Url>,
}

/// A list of one as its only value, longer lists as lists.
fn serialize_one_or_many<S: serde::Serializer>(
    urls: &[Url],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match urls {
        [one] => one.serialize(serializer),
        many => many.serialize(serializer),
    }
}

impl Addressing {
    /// Whether the public collection is among `to` or `cc`.
    pub fn is_public(&self) -> bool {
        let public = public();
        self.to.contains(&public) || self.cc.contains(&public)
    }

    /// Every recipient, `to`, `cc`, `bto`, `bcc` and `audience`, without duplicates.
    pub fn recipients(&self) -> Vec<&Url> {
        let mut all: Vec<&Url> = Vec::new();
        for url in self
            .to
            .iter()
            .chain(&self.cc)
            .chain(&self.bto)
            .chain(&self.bcc)
            .chain(&self.audience)
        {
            if !all.contains(&url) {
                all.push(url);
            }
        }
        all
    }
}

/// The source text an object was written in (`{"content": "...", "mediaType": "text/markdown"}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// The text as written.
    pub content: String,
    /// Its media type, e.g. `text/markdown` or `text/plain`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Deserialize)]
    struct Thing {
        id: Url,
        #[serde(rename = "type")]
        kind: String,
    }

    impl HasId for Thing {
        fn id(&self) -> &Url {
            &self.id
        }
    }

    #[test]
    fn id_or_object_reads_both_and_rejects_broken_objects() {
        let id: IdOrObject<Thing> = serde_json::from_value(json!("https://a.example/1")).unwrap();
        assert_eq!(id.id().as_str(), "https://a.example/1");
        assert!(id.object().is_none());
        let object: IdOrObject<Thing> =
            serde_json::from_value(json!({"id": "https://a.example/2", "type": "Note"})).unwrap();
        assert_eq!(object.id().as_str(), "https://a.example/2");
        assert_eq!(object.object().unwrap().kind, "Note");
        assert!(serde_json::from_value::<IdOrObject<Thing>>(json!({"type": "Note"})).is_err());
        assert!(serde_json::from_value::<IdOrObject<Thing>>(json!(7)).is_err());
    }

    #[test]
    fn addressing_drops_blind_copies_when_sent() {
        let addressing: Addressing = serde_json::from_value(json!({
            "to": "https://www.w3.org/ns/activitystreams#Public",
            "bcc": ["https://a.example/u/secret"]
        }))
        .unwrap();
        assert!(addressing.is_public());
        assert_eq!(addressing.recipients().len(), 2);
        let sent = serde_json::to_value(&addressing).unwrap();
        assert_eq!(
            sent,
            json!({"to": ["https://www.w3.org/ns/activitystreams#Public"]})
        );
    }
}
