//! Activities, one file per group, and [`AnyActivity`], which reads any of them by its `type`.

mod announce;
mod collection_ops;
mod create_update;
mod delete;
mod follow;
mod moderation;
mod reaction;
mod response;
mod rsvp;
mod undo;

pub use announce::Announce;
pub use collection_ops::{Add, Remove};
pub use create_update::{Create, Update};
pub use delete::Delete;
pub use follow::Follow;
pub use moderation::{Block, Flag};
pub use reaction::{Dislike, Like};
pub use response::{Accept, Reject, TentativeAccept};
pub use rsvp::{Invite, Join, Leave};
pub use undo::Undo;

use super::{
    helpers::type_of,
    values::{Addressing, HasId},
};
use serde::{Deserialize, Deserializer, Serialize, de::Error};
use serde_json::Value;
use url::Url;

/// Declares [`AnyActivity`] over the activity structs, each named as its `type`: the enum, its
/// dispatch on `type` and the accessors every activity shares. A macro because the same list
/// would otherwise be repeated in five matches.
macro_rules! any_activity {
    ($($kind:ident),* $(,)?) => {
        /// Any activity we handle, read by its `type` so an error names the field that failed.
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(untagged)]
        pub enum AnyActivity {
            $(
                #[doc = concat!("`", stringify!($kind), "`.")]
                $kind(Box<$kind>),
            )*
        }

        /// The `type`s [`AnyActivity`] reads.
        pub const ACTIVITY_TYPES: &[&str] = &[$(stringify!($kind)),*];

        impl AnyActivity {
            /// The activity's `type`.
            pub fn kind(&self) -> &'static str {
                match self {
                    $(AnyActivity::$kind(_) => stringify!($kind),)*
                }
            }

            /// Who performed it.
            pub fn actor(&self) -> &Url {
                match self {
                    $(AnyActivity::$kind(activity) => &activity.actor,)*
                }
            }

            /// Who it is addressed to.
            pub fn addressing(&self) -> &Addressing {
                match self {
                    $(AnyActivity::$kind(activity) => &activity.addressing,)*
                }
            }
        }

        impl HasId for AnyActivity {
            fn id(&self) -> &Url {
                match self {
                    $(AnyActivity::$kind(activity) => &activity.id,)*
                }
            }
        }

        impl<'de> Deserialize<'de> for AnyActivity {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = Value::deserialize(deserializer)?;
                match type_of(&value) {
                    $(
                        Some(stringify!($kind)) => serde_json::from_value(value)
                            .map(|activity| AnyActivity::$kind(Box::new(activity)))
                            .map_err(|e| D::Error::custom(format!("{}: {e}", stringify!($kind)))),
                    )*
                    other => Err(D::Error::custom(format!("unhandled activity type {other:?}"))),
                }
            }
        }
    };
}

any_activity!(
    Create,
    Update,
    Delete,
    Follow,
    Accept,
    Reject,
    TentativeAccept,
    Undo,
    Like,
    Dislike,
    Announce,
    Block,
    Flag,
    Add,
    Remove,
    Join,
    Leave,
    Invite,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{document::ObjectOrActivity, object::AnyObject, values::IdOrObject};
    use serde_json::json;

    #[test]
    fn activities_dispatch_on_type_and_keep_their_object() {
        let undo: AnyActivity = serde_json::from_value(json!({
            "type": "Undo", "id": "https://a.example/undo/1", "actor": "https://a.example/u/1",
            "object": {"type": "Follow", "id": "https://a.example/follow/1",
                       "actor": {"type": "Person", "id": "https://a.example/u/1"},
                       "object": "https://b.example/g/gis"}
        }))
        .unwrap();
        assert_eq!(undo.kind(), "Undo");
        let AnyActivity::Undo(undo) = undo else {
            panic!("expected an Undo")
        };
        let Some(AnyActivity::Follow(follow)) = undo.object.object() else {
            panic!("expected an embedded Follow")
        };
        assert_eq!(follow.actor.as_str(), "https://a.example/u/1");
    }

    #[test]
    fn an_announce_carries_an_object_or_an_activity() {
        let boost: Announce = serde_json::from_value(json!({
            "type": "Announce", "id": "https://g.example/a/1", "actor": "https://g.example/g/gis",
            "object": {"type": "Note", "id": "https://a.example/n/1", "content": "hi"}
        }))
        .unwrap();
        assert!(matches!(
            boost.object.object(),
            Some(ObjectOrActivity::Object(object)) if matches!(**object, AnyObject::Note(_))
        ));
        let wrapped: Announce = serde_json::from_value(json!({
            "type": "Announce", "id": "https://g.example/a/2", "actor": "https://g.example/g/gis",
            "object": {"type": "Like", "id": "https://a.example/l/1", "actor": "https://a.example/u/1",
                       "object": "https://g.example/p/1"}
        }))
        .unwrap();
        assert!(matches!(
            wrapped.object.object(),
            Some(ObjectOrActivity::Activity(_))
        ));
        assert!(matches!(wrapped.object, IdOrObject::Object(_)));
    }

    #[test]
    fn unknown_activities_and_missing_actors_are_errors() {
        assert!(
            serde_json::from_value::<AnyActivity>(json!({
                "type": "Lock", "id": "https://a.example/1", "actor": "https://a.example/u/1",
                "object": "https://a.example/p/1"
            }))
            .is_err()
        );
        assert!(
            serde_json::from_value::<AnyActivity>(json!({
                "type": "Like", "id": "https://a.example/1", "object": "https://a.example/p/1"
            }))
            .is_err()
        );
    }
}
