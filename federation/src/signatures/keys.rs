//! Finding the key a signature names, and whose it really is.
//!
//! A `keyId` dereferences either to the actor (Mastodon: `actor#main-key`) or to a standalone
//! key document that names an `owner`. Anyone can publish a key document claiming any owner,
//! so only the owner's own actor document decides: the lookup returns the keys *the actor*
//! lists, and verification refuses a key that is not among them.

use crate::protocol::{actor::Actor, helpers::type_of, object::ACTOR_TYPES};
use activitypub_federation::protocol::public_key::PublicKey;
use serde_json::Value;
use std::future::Future;
use url::Url;

/// An actor and the keys its own document lists.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorKeys {
    /// The actor's id.
    pub actor_id: Url,
    /// The keys the actor's document lists under `publicKey`.
    pub keys: Vec<PublicKey>,
}

impl ActorKeys {
    /// The keys `actor` lists.
    pub fn from_actor(actor: &Actor) -> Self {
        ActorKeys {
            actor_id: actor.id.clone(),
            keys: actor.public_key.clone(),
        }
    }

    /// The listed key with this id that names this actor as owner.
    pub(crate) fn listed(&self, key_id: &Url) -> Option<&PublicKey> {
        self.keys.iter().find(|key| {
            Url::parse(&key.id).is_ok_and(|id| &id == key_id) && key.owner == self.actor_id
        })
    }
}

/// Why a key could not be looked up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyLookupError {
    /// There is no such key or actor (404, 410, not an actor document).
    #[error("not found")]
    NotFound,
    /// The lookup could not be done now (network, database); worth retrying later.
    #[error("unavailable: {0}")]
    Unavailable(String),
}

/// Looks up the actor behind a `keyId`: the server implements this over its database and the
/// fetcher, normally with [`resolve_actor_keys`] for the remote part.
pub trait KeyLookup: Sync {
    /// The actor that `key_id` belongs to and the keys that actor lists. Never the claims of a
    /// standalone key document: those are what the check exists to see through.
    fn actor_keys(
        &self,
        key_id: &Url,
    ) -> impl Future<Output = Result<ActorKeys, KeyLookupError>> + Send;
}

/// Any `Fn(Url) -> impl Future<Output = Result<ActorKeys, KeyLookupError>>` is a lookup.
impl<F, Fut> KeyLookup for F
where
    F: Fn(Url) -> Fut + Sync,
    Fut: Future<Output = Result<ActorKeys, KeyLookupError>> + Send,
{
    fn actor_keys(
        &self,
        key_id: &Url,
    ) -> impl Future<Output = Result<ActorKeys, KeyLookupError>> + Send {
        self(key_id.clone())
    }
}

/// Resolves a `keyId` with `fetch` (which returns a checked document, see
/// [`crate::fetch::check_fetched_object`]): fetches the key's URL without its fragment; if that
/// is an actor, returns its keys; if it is a key document, fetches the `owner` and returns the
/// keys that actor lists, so a key merely claiming an owner is not among them.
pub async fn resolve_actor_keys<F, Fut>(key_id: &Url, fetch: F) -> Result<ActorKeys, KeyLookupError>
where
    F: Fn(Url) -> Fut,
    Fut: Future<Output = Result<Value, KeyLookupError>>,
{
    let mut document_url = key_id.clone();
    document_url.set_fragment(None);
    let document = fetch(document_url).await?;
    if let Some(actor) = as_actor(&document) {
        return Ok(ActorKeys::from_actor(&actor));
    }
    let owner = document
        .get("owner")
        .and_then(Value::as_str)
        .and_then(|owner| Url::parse(owner).ok())
        .ok_or(KeyLookupError::NotFound)?;
    let owner_document = fetch(owner).await?;
    as_actor(&owner_document)
        .map(|actor| ActorKeys::from_actor(&actor))
        .ok_or(KeyLookupError::NotFound)
}

fn as_actor(document: &Value) -> Option<Actor> {
    let kind = type_of(document)?;
    if !ACTOR_TYPES.contains(&kind) {
        return None;
    }
    serde_json::from_value(document.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::HashMap;

    fn actor(id: &str, key_ids: &[&str]) -> Value {
        json!({
            "type": "Person", "id": id, "inbox": format!("{id}/inbox"),
            "publicKey": key_ids.iter().map(|k| json!({"id": k, "owner": id, "publicKeyPem": "PEM"})).collect::<Vec<_>>()
        })
    }

    async fn resolve(
        documents: &HashMap<&str, Value>,
        key: &str,
    ) -> Result<ActorKeys, KeyLookupError> {
        resolve_actor_keys(&Url::parse(key).unwrap(), |url: Url| {
            let found = documents.get(url.as_str()).cloned();
            async move { found.ok_or(KeyLookupError::NotFound) }
        })
        .await
    }

    #[tokio::test]
    async fn a_key_in_the_actor_document_resolves_to_the_actor() {
        let documents = HashMap::from([(
            "https://a.example/u/alice",
            actor(
                "https://a.example/u/alice",
                &["https://a.example/u/alice#main-key"],
            ),
        )]);
        let keys = resolve(&documents, "https://a.example/u/alice#main-key")
            .await
            .unwrap();
        assert_eq!(keys.actor_id.as_str(), "https://a.example/u/alice");
        assert!(
            keys.listed(&Url::parse("https://a.example/u/alice#main-key").unwrap())
                .is_some()
        );
    }

    #[tokio::test]
    async fn a_key_document_claiming_an_owner_yields_only_the_owners_own_keys() {
        let documents = HashMap::from([
            (
                "https://evil.example/keys/1",
                json!({"id": "https://evil.example/keys/1", "owner": "https://a.example/u/alice",
                       "publicKeyPem": "EVIL"}),
            ),
            (
                "https://a.example/u/alice",
                actor(
                    "https://a.example/u/alice",
                    &["https://a.example/u/alice#main-key"],
                ),
            ),
        ]);
        let keys = resolve(&documents, "https://evil.example/keys/1")
            .await
            .unwrap();
        assert_eq!(keys.actor_id.as_str(), "https://a.example/u/alice");
        assert!(
            keys.listed(&Url::parse("https://evil.example/keys/1").unwrap())
                .is_none(),
            "alice does not list the key that claims her"
        );
    }

    #[tokio::test]
    async fn a_key_without_owner_or_a_non_actor_owner_is_not_found() {
        let documents = HashMap::from([
            (
                "https://a.example/k",
                json!({"id": "https://a.example/k", "publicKeyPem": "X"}),
            ),
            (
                "https://a.example/k2",
                json!({"id": "https://a.example/k2", "owner": "https://a.example/n/1"}),
            ),
            (
                "https://a.example/n/1",
                json!({"type": "Note", "id": "https://a.example/n/1"}),
            ),
        ]);
        assert_eq!(
            resolve(&documents, "https://a.example/k").await,
            Err(KeyLookupError::NotFound)
        );
        assert_eq!(
            resolve(&documents, "https://a.example/k2").await,
            Err(KeyLookupError::NotFound)
        );
    }

    #[test]
    fn a_listed_key_must_name_the_actor_as_owner() {
        let keys = ActorKeys {
            actor_id: Url::parse("https://a.example/u/alice").unwrap(),
            keys: vec![PublicKey {
                id: "https://a.example/u/alice#main-key".into(),
                owner: Url::parse("https://a.example/u/bob").unwrap(),
                public_key_pem: "PEM".into(),
            }],
        };
        assert!(
            keys.listed(&Url::parse("https://a.example/u/alice#main-key").unwrap())
                .is_none()
        );
    }
}
