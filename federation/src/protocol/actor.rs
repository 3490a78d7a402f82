//! Actors: `Person`, `Group`, `Application`, `Service` and `Organization`, one struct with a
//! `kind`, since every server sends them with the same fields.

use super::{
    attachment::{Document, PropertyValue},
    helpers::{
        deserialize_first_lenient, deserialize_ids, deserialize_link, deserialize_opt_id,
        deserialize_vec_lenient, serialize_one_or_many,
    },
    tag::Tag,
    values::HasId,
};
use activitypub_federation::protocol::{helpers::deserialize_skip_error, public_key::PublicKey};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

/// The actor types we federate with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActorKind {
    /// A member.
    Person,
    /// A community of practice (FEP-1b12), a Lemmy community, a Mobilizon group.
    Group,
    /// An instance actor (ours signs fetches and follows partner instances).
    Application,
    /// A bot.
    Service,
    /// An organisation (Friendica pages, some municipal accounts).
    Organization,
}

/// An actor document.
///
/// What we send always carries `inbox`, `outbox`, `followers`, `following`, `publicKey` and
/// `endpoints.sharedInbox` (Lemmy refuses a `Person` without `outbox`); what we receive may
/// lack all but `id` and `inbox`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    /// `Person`, `Group`, `Application`, `Service` or `Organization`.
    #[serde(rename = "type")]
    pub kind: ActorKind,
    /// The actor's URL, its identity.
    pub id: Url,
    /// The account name, the part before `@host` in WebFinger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    /// The display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The biography, as HTML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The profile page for people.
    #[serde(
        default,
        deserialize_with = "deserialize_link",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<Url>,
    /// Where activities for this actor are posted.
    pub inbox: Url,
    /// The actor's activities.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub outbox: Option<Url>,
    /// Who follows the actor.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub followers: Option<Url>,
    /// Whom the actor follows.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub following: Option<Url>,
    /// Pinned posts (Mastodon `toot:featured`, Lemmy's pinned posts).
    #[serde(
        default,
        deserialize_with = "deserialize_opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub featured: Option<Url>,
    /// Server-wide endpoints; `sharedInbox` lets one delivery reach every follower on a server.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub endpoints: Option<Endpoints>,
    /// The actor's signing key(s). Sent as one object; read as one or many.
    #[serde(
        default,
        deserialize_with = "deserialize_vec_lenient",
        serialize_with = "serialize_one_or_many"
    )]
    pub public_key: Vec<PublicKey>,
    /// Whether follows need approval.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub manually_approves_followers: bool,
    /// Whether the actor may be listed in directories (Mastodon).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub discoverable: Option<bool>,
    /// Whether the actor's public posts may be indexed for search (FEP-5feb, Mastodon 4.2).
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub indexable: Option<bool>,
    /// The avatar.
    #[serde(
        default,
        deserialize_with = "deserialize_first_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub icon: Option<Document>,
    /// The header picture.
    #[serde(
        default,
        deserialize_with = "deserialize_first_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub image: Option<Document>,
    /// Profile fields; other attachment types are dropped.
    #[serde(
        default,
        deserialize_with = "deserialize_vec_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub attachment: Vec<PropertyValue>,
    /// Custom emoji used in `name` and `summary`.
    #[serde(
        default,
        deserialize_with = "deserialize_vec_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tag: Vec<Tag>,
    /// For Lemmy groups, the moderators collection; for PeerTube channels, the owners.
    #[serde(
        default,
        deserialize_with = "deserialize_ids",
        serialize_with = "serialize_one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub attributed_to: Vec<Url>,
    /// A group's moderators collection, where a server names it so.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub moderators: Option<Url>,
    /// Lemmy: only moderators may post in this group.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub posting_restricted_to_mods: Option<bool>,
    /// Other ids of the same person (account moves).
    #[serde(
        default,
        deserialize_with = "deserialize_vec_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub also_known_as: Vec<Url>,
    /// When the account was created.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub published: Option<DateTime<Utc>>,
    /// When the profile last changed.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated: Option<DateTime<Utc>>,
}

impl Actor {
    /// The shared inbox when the actor names one, otherwise its own inbox: where to deliver.
    pub fn shared_inbox_or_inbox(&self) -> &Url {
        self.endpoints
            .as_ref()
            .and_then(|e| e.shared_inbox.as_ref())
            .unwrap_or(&self.inbox)
    }
}

impl HasId for Actor {
    fn id(&self) -> &Url {
        &self.id
    }
}

/// An actor's `endpoints`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    /// One inbox for every actor on the server.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub shared_inbox: Option<Url>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minimal() -> serde_json::Value {
        json!({"type": "Person", "id": "https://a.example/u/1", "inbox": "https://a.example/u/1/inbox"})
    }

    #[test]
    fn a_minimal_actor_parses_and_sends_its_inbox_for_delivery() {
        let actor: Actor = serde_json::from_value(minimal()).unwrap();
        assert_eq!(actor.kind, ActorKind::Person);
        assert_eq!(
            actor.shared_inbox_or_inbox().as_str(),
            "https://a.example/u/1/inbox"
        );
        assert!(actor.public_key.is_empty());
    }

    #[test]
    fn an_actor_needs_an_inbox_and_a_known_type() {
        let mut no_inbox = minimal();
        no_inbox.as_object_mut().unwrap().remove("inbox");
        assert!(serde_json::from_value::<Actor>(no_inbox).is_err());
        let mut chat = minimal();
        chat["type"] = json!("ChatBot");
        assert!(serde_json::from_value::<Actor>(chat).is_err());
    }

    #[test]
    fn a_single_key_is_sent_as_an_object_and_several_are_read() {
        let mut value = minimal();
        value["publicKey"] = json!([
            {"id": "https://a.example/u/1#main-key", "owner": "https://a.example/u/1", "publicKeyPem": "A"},
            {"id": "https://a.example/u/1#other", "owner": "https://a.example/u/1", "publicKeyPem": "B"}
        ]);
        let mut actor: Actor = serde_json::from_value(value).unwrap();
        assert_eq!(actor.public_key.len(), 2);
        actor.public_key.truncate(1);
        let sent = serde_json::to_value(&actor).unwrap();
        assert!(sent["publicKey"].is_object());
    }
}
