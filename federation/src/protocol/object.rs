//! [`AnyObject`]: any actor or object we handle, read by its `type`.

use super::{
    actor::Actor, event::Event, helpers::type_of, note::Note, tombstone::Tombstone, values::HasId,
};
use serde::{Deserialize, Deserializer, Serialize, de::Error};
use serde_json::Value;
use url::Url;

/// The `type`s read as an [`Actor`].
pub const ACTOR_TYPES: &[&str] = &["Person", "Group", "Application", "Service", "Organization"];
/// The `type`s read as a [`Note`].
pub const NOTE_TYPES: &[&str] = &["Note", "Page", "Article", "Question", "Video"];

/// An actor or object, as embedded in `Create`, `Update`, `Delete`, `Announce` and so on.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AnyObject {
    /// A person, group, application, service or organisation.
    Actor(Box<Actor>),
    /// A post of any kind.
    Note(Box<Note>),
    /// An event.
    Event(Box<Event>),
    /// A deleted object.
    Tombstone(Tombstone),
}

impl AnyObject {
    /// Whether `kind` is a `type` this enum reads.
    pub fn handles(kind: &str) -> bool {
        ACTOR_TYPES.contains(&kind)
            || NOTE_TYPES.contains(&kind)
            || kind == "Event"
            || kind == "Tombstone"
    }
}

impl HasId for AnyObject {
    fn id(&self) -> &Url {
        match self {
            AnyObject::Actor(actor) => &actor.id,
            AnyObject::Note(note) => &note.id,
            AnyObject::Event(event) => &event.id,
            AnyObject::Tombstone(tombstone) => &tombstone.id,
        }
    }
}

impl<'de> Deserialize<'de> for AnyObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let kind = type_of(&value).map(str::to_owned);
        let parsed = match kind.as_deref() {
            Some(k) if ACTOR_TYPES.contains(&k) => {
                serde_json::from_value(value).map(|a| AnyObject::Actor(Box::new(a)))
            }
            Some(k) if NOTE_TYPES.contains(&k) => {
                serde_json::from_value(value).map(|n| AnyObject::Note(Box::new(n)))
            }
            Some("Event") => serde_json::from_value(value).map(|e| AnyObject::Event(Box::new(e))),
            Some("Tombstone") => serde_json::from_value(value).map(AnyObject::Tombstone),
            other => return Err(D::Error::custom(format!("unhandled object type {other:?}"))),
        };
        parsed.map_err(|e| D::Error::custom(format!("{}: {e}", kind.unwrap_or_default())))
    }
}
