//! Remote actors: fetching them (signed by our instance actor), storing them as accounts, and
//! finding the key a signature names.

use activitypub_federation::protocol::public_key::PublicKey;
use chrono::{Duration, NaiveDateTime, Utc};
use kakehashi_federation::client::FetchError;
use kakehashi_federation::fetch::same_origin;
use kakehashi_federation::protocol::actor::{Actor, ActorKind};
use kakehashi_federation::protocol::helpers::type_of;
use kakehashi_federation::protocol::object::ACTOR_TYPES;
use kakehashi_federation::signatures::{ActorKeys, KeyLookup, KeyLookupError};
use serde_json::Value;
use url::Url;

use crate::db::models::{AccountRow, NewAccount};
use crate::db::{DbConnection, ids, store};
use crate::domain::html;
use crate::domain::profiles::Field;
use crate::error::AppError;
use crate::state::AppState;

/// How long a stored remote actor is used before it is fetched again.
const REFRESH_AFTER_HOURS: i64 = 24;

/// `host` or `host:port` of a URL, the domain an account is stored under.
pub fn domain_of(url: &Url) -> Option<String> {
    let host = url.host_str()?.trim_end_matches('.').to_lowercase();
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

fn fetch_failed(error: FetchError) -> AppError {
    match error {
        FetchError::Gone
        | FetchError::Status(_)
        | FetchError::Policy(_)
        | FetchError::Json(_)
        | FetchError::Refused(_) => {
            AppError::Unprocessable(format!("The remote object is not usable: {error}"))
        }
        other => AppError::Unavailable(format!("The remote server did not answer: {other}")),
    }
}

/// A remote document, fetched with our instance actor's signature.
pub async fn fetch_json(state: &AppState, url: &Url) -> Result<(Url, Value), AppError> {
    let document = state
        .federation
        .client
        .fetch_activity_json(url, state.federation.instance_key())
        .await
        .map_err(fetch_failed)?;
    Ok((document.id, document.json))
}

/// The actor with this id: stored and fresh, or fetched (and stored) now. `force` fetches anyway.
pub async fn fetch_actor(state: &AppState, id: &Url, force: bool) -> Result<AccountRow, AppError> {
    if domain_of(id).as_deref() == Some(state.urls.domain().to_lowercase().as_str()) {
        let ap_id = id.to_string();
        return state
            .db
            .run(move |conn| {
                store::accounts::find_by_ap_id(conn, &ap_id)?.ok_or(AppError::NotFound)
            })
            .await;
    }
    let ap_id = id.to_string();
    let stored = state
        .db
        .run(move |conn| Ok(store::accounts::find_by_ap_id(conn, &ap_id)?))
        .await?;
    if let Some(account) = &stored
        && !force
        && account
            .last_fetched_at
            .is_some_and(|t| Utc::now().naive_utc() - t < Duration::hours(REFRESH_AFTER_HOURS))
    {
        return Ok(account.clone());
    }
    let fetched = fetch_json(state, id).await;
    let (final_id, json) = match fetched {
        Ok(found) => found,
        // Keep using what we have when the server is down for a moment.
        Err(AppError::Unavailable(_)) if stored.is_some() && !force => {
            return stored.ok_or(AppError::NotFound);
        }
        Err(e) => return Err(e),
    };
    let actor = parse_actor(&json)?;
    if actor.id != final_id {
        return Err(AppError::Unprocessable(
            "The actor document's id is not where it was fetched from".to_owned(),
        ));
    }
    store_actor(state, actor).await
}

/// Reads an actor document.
pub fn parse_actor(json: &Value) -> Result<Actor, AppError> {
    match type_of(json) {
        Some(kind) if ACTOR_TYPES.contains(&kind) => serde_json::from_value(json.clone())
            .map_err(|e| AppError::Unprocessable(format!("The actor document is not usable: {e}"))),
        _ => Err(AppError::Unprocessable(
            "The document is not an actor".to_owned(),
        )),
    }
}

/// Stores (or refreshes) a remote actor that was fetched from its own id or arrived signed by
/// itself.
pub async fn store_actor(state: &AppState, actor: Actor) -> Result<AccountRow, AppError> {
    let own = state.urls.domain().to_lowercase();
    state
        .db
        .transaction(move |conn| upsert_actor(conn, &actor, &own, Utc::now().naive_utc()))
        .await
}

/// Inserts or updates the account of a remote actor.
pub fn upsert_actor(
    conn: &mut DbConnection,
    actor: &Actor,
    own_domain: &str,
    now: NaiveDateTime,
) -> Result<AccountRow, AppError> {
    let domain = domain_of(&actor.id)
        .ok_or_else(|| AppError::Unprocessable("The actor has no host".to_owned()))?;
    if domain == own_domain {
        return Err(AppError::Forbidden(
            "That is one of our own actors".to_owned(),
        ));
    }
    if !same_origin(&actor.id, &actor.inbox) {
        return Err(AppError::Unprocessable(
            "The actor's inbox is on another server".to_owned(),
        ));
    }
    let key = actor
        .public_key
        .iter()
        .find(|k| k.owner == actor.id)
        .or(actor.public_key.first());
    let username = actor
        .preferred_username
        .clone()
        .filter(|u| !u.trim().is_empty())
        .or_else(|| {
            actor
                .id
                .path_segments()
                .and_then(|mut s| s.next_back())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let fields: Vec<Field> = actor
        .attachment
        .iter()
        .map(|f| Field {
            name: f.name.chars().take(255).collect(),
            value: html::sanitize(&f.value),
        })
        .collect();
    let kind = match actor.kind {
        ActorKind::Person => "Person",
        ActorKind::Group => "Group",
        ActorKind::Application => "Application",
        ActorKind::Service => "Service",
        ActorKind::Organization => "Organization",
    };
    let display_name: String = actor
        .name
        .clone()
        .unwrap_or_default()
        .chars()
        .take(100)
        .collect();
    let note = html::sanitize(actor.summary.as_deref().unwrap_or_default());
    let fields_json = serde_json::to_string(&fields).map_err(AppError::internal)?;
    let shared_inbox = actor
        .endpoints
        .as_ref()
        .and_then(|e| e.shared_inbox.as_ref())
        .filter(|s| same_origin(s, &actor.id))
        .map(Url::to_string);
    let ap_id = actor.id.to_string();
    let existing = store::accounts::find_by_ap_id(conn, &ap_id)?;
    match existing {
        Some(account) => {
            store::accounts::refresh_remote(
                conn,
                account.id,
                &store::accounts::RemoteActorChanges {
                    username: username.clone(),
                    actor_type: kind.to_owned(),
                    display_name,
                    note,
                    url: actor.url.as_ref().map(Url::to_string),
                    inbox_url: actor.inbox.to_string(),
                    shared_inbox_url: shared_inbox,
                    outbox_url: actor.outbox.as_ref().map(Url::to_string),
                    followers_url: actor.followers.as_ref().map(Url::to_string),
                    following_url: actor.following.as_ref().map(Url::to_string),
                    featured_url: actor.featured.as_ref().map(Url::to_string),
                    public_key_pem: key
                        .map(|k| k.public_key_pem.clone())
                        .unwrap_or(account.public_key_pem.clone()),
                    public_key_id: key.map(|k| k.id.clone()),
                    locked: actor.manually_approves_followers,
                    discoverable: actor.discoverable.unwrap_or(false),
                    bot: matches!(actor.kind, ActorKind::Service | ActorKind::Application),
                    fields: fields_json,
                    avatar_remote_url: actor.icon.as_ref().map(|i| i.url.to_string()),
                    header_remote_url: actor.image.as_ref().map(|i| i.url.to_string()),
                    updated_at: now,
                    last_fetched_at: now,
                },
            )?;
        }
        None => {
            // Another actor already holds the name on that server (Lemmy has users and
            // communities of the same name): the older one keeps it, this one gets its id.
            let taken = store::accounts::find_by_acct(conn, &username, Some(&domain))?.is_some();
            let id = ids::next_id();
            let stored_name = if taken {
                format!("{username}_{id}")
            } else {
                username
            };
            let new = NewAccount {
                id,
                username: stored_name,
                domain: Some(domain),
                actor_type: kind.to_owned(),
                display_name,
                note,
                ap_id: ap_id.clone(),
                url: actor.url.as_ref().map(Url::to_string),
                inbox_url: actor.inbox.to_string(),
                shared_inbox_url: shared_inbox,
                outbox_url: actor.outbox.as_ref().map(Url::to_string),
                followers_url: actor.followers.as_ref().map(Url::to_string),
                following_url: actor.following.as_ref().map(Url::to_string),
                featured_url: actor.featured.as_ref().map(Url::to_string),
                public_key_pem: key.map(|k| k.public_key_pem.clone()).unwrap_or_default(),
                private_key_pem: None,
                locked: actor.manually_approves_followers,
                discoverable: actor.discoverable.unwrap_or(false),
                bot: matches!(actor.kind, ActorKind::Service | ActorKind::Application),
                fields: fields_json,
                created_at: actor.published.map(|t| t.naive_utc()).unwrap_or(now),
                updated_at: now,
            };
            store::accounts::insert(conn, &new)?;
            store::accounts::set_remote_extras(
                conn,
                id,
                key.map(|k| k.id.as_str()),
                actor.icon.as_ref().map(|i| i.url.as_str()),
                actor.image.as_ref().map(|i| i.url.as_str()),
                now,
            )?;
        }
    }
    store::accounts::find_by_ap_id(conn, &ap_id)?.ok_or(AppError::NotFound)
}

/// The keys an account is known to sign with.
pub fn keys_of(account: &AccountRow) -> Result<ActorKeys, KeyLookupError> {
    let actor_id = Url::parse(&account.ap_id).map_err(|_| KeyLookupError::NotFound)?;
    Ok(ActorKeys {
        actor_id: actor_id.clone(),
        keys: vec![PublicKey {
            id: super::key_id(account),
            owner: actor_id,
            public_key_pem: account.public_key_pem.clone(),
        }],
    })
}

/// Finds the actor a signature's `keyId` belongs to: from storage, or by fetching the key's
/// document and, when it is a key document, its owner's actor (whose own document must list
/// the key; the verifier checks that).
pub struct KeyResolver<'a> {
    pub state: &'a AppState,
    /// Ignore what is stored (the actor may have rotated its key).
    pub refresh: bool,
}

impl KeyLookup for KeyResolver<'_> {
    async fn actor_keys(&self, key_id: &Url) -> Result<ActorKeys, KeyLookupError> {
        let state = self.state;
        let mut actor_url = key_id.clone();
        actor_url.set_fragment(None);
        if !self.refresh {
            let by_key = key_id.to_string();
            let by_actor = actor_url.to_string();
            let stored = state
                .db
                .run(move |conn| {
                    Ok(match store::accounts::find_by_key_id(conn, &by_key)? {
                        Some(account) => Some(account),
                        None => store::accounts::find_by_ap_id(conn, &by_actor)?,
                    })
                })
                .await
                .map_err(|e| KeyLookupError::Unavailable(e.to_string()))?;
            if let Some(account) = stored.filter(|a| !a.is_local()) {
                return keys_of(&account);
            }
        }
        let (final_url, json) = fetch_json(state, &actor_url).await.map_err(lookup_error)?;
        let account = if type_of(&json).is_some_and(|k| ACTOR_TYPES.contains(&k)) {
            let actor = parse_actor(&json).map_err(|_| KeyLookupError::NotFound)?;
            if actor.id != final_url {
                return Err(KeyLookupError::NotFound);
            }
            store_actor(state, actor).await.map_err(lookup_error)?
        } else {
            let owner = json
                .get("owner")
                .and_then(Value::as_str)
                .and_then(|o| Url::parse(o).ok())
                .ok_or(KeyLookupError::NotFound)?;
            fetch_actor(state, &owner, true)
                .await
                .map_err(lookup_error)?
        };
        keys_of(&account)
    }
}

fn lookup_error(error: AppError) -> KeyLookupError {
    tracing::info!(%error, "looking up a signing key failed");
    match error {
        AppError::Unavailable(why) => KeyLookupError::Unavailable(why),
        _ => KeyLookupError::NotFound,
    }
}
