//! Partners and relays on the wire: finding another instance's actor, our instance actor's
//! `Follow`/`Undo`, its `Announce` of public local events to partners and relays (added to the
//! outbox whatever code sent the event's `Create`/`Update`/`Delete`), and what partners and
//! relays send us.

use activitypub_federation::kinds::public;
use axum::http::StatusCode;
use chrono::Utc;
use kakehashi_federation::client::FetchError;
use kakehashi_federation::protocol::activities::{Announce, AnyActivity};
use kakehashi_federation::protocol::document::ObjectOrActivity;
use kakehashi_federation::protocol::object::AnyObject;
use serde_json::{Value, json};
use url::Url;

use crate::db::models::{AccountRow, PartnerRow};
use crate::db::{DbConnection, ids, store};
use crate::domain::discovery::{self, LITEPUB_RELAY, MASTODON_RELAY, RelayStyle};
use crate::domain::effects::Outgoing;
use crate::domain::urls::Urls;
use crate::domain::{change, statuses};
use crate::error::AppError;
use crate::federation_glue::activities::Rendered;
use crate::federation_glue::resolve;
use crate::federation_glue::{actors, events};
use crate::state::AppState;

/// FEP-2677's NodeInfo link to an instance's application actor.
const APPLICATION_REL: &str = "https://www.w3.org/ns/activitystreams#Application";

fn wrap(value: &Value) -> Result<String, AppError> {
    serde_json::to_string(&kakehashi_federation::context::with_context(value))
        .map_err(AppError::internal)
}

/// Another instance's actor, from a domain (`city-b.example`) or an actor URL: the URL itself;
/// else the NodeInfo `Application` link (FEP-2677), WebFinger `acct:domain@domain` (Mastodon's
/// instance actor), or `/actor`.
pub async fn resolve_instance_actor(
    state: &AppState,
    target: &str,
) -> Result<AccountRow, AppError> {
    let target = target.trim();
    if target.contains("://") {
        let url = Url::parse(target)
            .map_err(|_| AppError::Unprocessable(format!("\"{target}\" is not a URL")))?;
        return actors::fetch_actor(state, &url, true).await;
    }
    let domain = target.trim_end_matches('/').to_lowercase();
    if domain.is_empty() || domain.contains('/') || domain.contains('@') {
        return Err(AppError::Unprocessable(format!(
            "\"{target}\" is neither a domain nor an actor URL"
        )));
    }
    let scheme = if state.federation.allow_http {
        "http"
    } else {
        "https"
    };
    if let Some(url) = nodeinfo_actor(state, scheme, &domain).await
        && let Ok(actor) = actors::fetch_actor(state, &url, true).await
    {
        return Ok(actor);
    }
    if let Ok(Some(actor)) = resolve::resolve_acct(state, &format!("{domain}@{domain}")).await {
        return Ok(actor);
    }
    let fallback = Url::parse(&format!("{scheme}://{domain}/actor"))
        .map_err(|_| AppError::Unprocessable(format!("\"{domain}\" is not a domain")))?;
    actors::fetch_actor(state, &fallback, true).await
}

async fn nodeinfo_actor(state: &AppState, scheme: &str, domain: &str) -> Option<Url> {
    let url = Url::parse(&format!("{scheme}://{domain}/.well-known/nodeinfo")).ok()?;
    let response = state
        .federation
        .client
        .get(&url, "application/json", None)
        .await
        .ok()?;
    if !response.status.is_success() {
        return None;
    }
    let links: Value = serde_json::from_slice(&response.body).ok()?;
    links.get("links")?.as_array()?.iter().find_map(|link| {
        (link.get("rel")?.as_str()? == APPLICATION_REL)
            .then(|| Url::parse(link.get("href")?.as_str()?).ok())
            .flatten()
    })
}

/// A relay from its actor URL (LitePub) or inbox URL (Mastodon; its actor is at `/actor` on the
/// same server). Without `style`, an URL ending in `/inbox` means a Mastodon relay.
pub async fn resolve_relay(
    state: &AppState,
    target: &str,
    style: Option<RelayStyle>,
) -> Result<(AccountRow, RelayStyle), AppError> {
    let url = Url::parse(target.trim())
        .map_err(|_| AppError::Unprocessable(format!("\"{target}\" is not a URL")))?;
    let is_inbox = url.path().trim_end_matches('/').ends_with("/inbox");
    let style = style.unwrap_or(if is_inbox {
        RelayStyle::Mastodon
    } else {
        RelayStyle::LitePub
    });
    let actor_url = if is_inbox {
        let mut actor = url.clone();
        actor.set_path("/actor");
        actor.set_query(None);
        actor
    } else {
        url.clone()
    };
    let actor = actors::fetch_actor(state, &actor_url, true).await?;
    Ok((actor, style))
}

/// A partner or relay already stored, by actor URL, inbox URL or domain (no network).
pub async fn find_known(state: &AppState, target: &str) -> Result<AccountRow, AppError> {
    let target = target.trim().to_owned();
    state
        .db
        .run(move |conn| {
            let by_url = match store::accounts::find_by_ap_id(conn, &target)? {
                Some(a) => Some(a),
                None => store::partners::find_actor_by_inbox(conn, &target)?,
            };
            if let Some(actor) = by_url {
                return Ok(actor);
            }
            let domain = target.trim_end_matches('/').to_lowercase();
            let partner =
                store::partners::find_instance_on(conn, &domain)?.ok_or(AppError::NotFound)?;
            store::accounts::find_by_id(conn, partner.actor_id)?.ok_or(AppError::NotFound)
        })
        .await
}

fn instance_actor(conn: &mut DbConnection, urls: &Urls) -> Result<AccountRow, AppError> {
    store::accounts::find_by_ap_id(conn, urls.instance_actor().as_str())?.ok_or(AppError::NotFound)
}

fn follow_json(ours: &AccountRow, partner: &PartnerRow, target: &AccountRow) -> Value {
    let id = partner
        .follow_ap_id
        .clone()
        .unwrap_or_else(|| format!("{}/follows/{}", ours.ap_id, partner.id));
    // A Mastodon relay is followed by following the public collection (FEP-ae0c).
    let object = if partner.kind == MASTODON_RELAY {
        public().to_string()
    } else {
        target.ap_id.clone()
    };
    json!({
        "type": "Follow",
        "id": id,
        "actor": ours.ap_id,
        "object": object,
        "to": [target.ap_id],
    })
}

/// Renders our instance actor's `Follow` or its `Undo`.
pub fn render(
    conn: &mut DbConnection,
    urls: &Urls,
    outgoing: &Outgoing,
) -> Result<Vec<Rendered>, AppError> {
    let (partner, target, undo) = match outgoing {
        Outgoing::PartnerFollow { partner, target } => (partner, target, false),
        Outgoing::PartnerUndo { partner, target } => (partner, target, true),
        _ => return Ok(Vec::new()),
    };
    let ours = instance_actor(conn, urls)?;
    let follow = follow_json(&ours, partner, target);
    let follow_id = follow["id"].as_str().unwrap_or_default().to_owned();
    let (ap_id, kind, body) = if undo {
        let ap_id = format!("{follow_id}/undo");
        let body = json!({
            "type": "Undo",
            "id": ap_id,
            "actor": ours.ap_id,
            "object": follow,
            "to": [target.ap_id],
        });
        (ap_id, "Undo", body)
    } else {
        (follow_id.clone(), "Follow", follow)
    };
    Ok(vec![Rendered {
        ap_id,
        actor_id: ours.id,
        kind,
        object_ap_id: Some(target.ap_id.clone()),
        body: wrap(&body)?,
        public: false,
        inboxes: vec![target.inbox_url.clone()],
    }])
}

/// Whether a JSON object is addressed to the public collection in `to` (FEP-8a8e: only such
/// events are listed in public calendars).
fn public_in_to(value: &Value) -> bool {
    let public = public();
    match value.get("to") {
        Some(Value::String(s)) => s == public.as_str() || s == "as:Public" || s == "Public",
        Some(Value::Array(items)) => items.iter().any(|v| {
            v.as_str()
                .is_some_and(|s| s == public.as_str() || s == "as:Public" || s == "Public")
        }),
        _ => false,
    }
}

/// The public local event a rendered `Create`/`Update`/`Delete` carries, if it does.
fn carried_event(conn: &mut DbConnection, rendered: &Rendered) -> Result<Option<String>, AppError> {
    if !matches!(rendered.kind, "Create" | "Update" | "Delete") {
        return Ok(None);
    }
    let body: Value = serde_json::from_str(&rendered.body).map_err(AppError::internal)?;
    let Some(object) = body.get("object") else {
        return Ok(None);
    };
    let kind = object.get("type").and_then(Value::as_str);
    let id = match object {
        Value::String(s) => Some(s.clone()),
        other => other.get("id").and_then(Value::as_str).map(str::to_owned),
    };
    let Some(id) = id else {
        return Ok(None);
    };
    if rendered.kind == "Delete" {
        // The event's rows may be gone already: it was public if its Create was.
        let former = object.get("formerType").and_then(Value::as_str);
        if former.is_some_and(|f| f != "Event") {
            return Ok(None);
        }
        let created = store::partners::public_create_of(conn, &id)?;
        let was_public_event = created.is_some_and(|body| {
            serde_json::from_str::<Value>(&body).is_ok_and(|v| {
                v["object"]["type"].as_str() == Some("Event") && public_in_to(&v["object"])
            })
        });
        return Ok(was_public_event.then_some(id));
    }
    Ok((kind == Some("Event") && public_in_to(object)).then_some(id))
}

/// What the instance actor adds when an outgoing activity carries a public local event: its
/// `Announce` for partners and LitePub relays, and the Mastodon relays' inboxes, which take the
/// activity itself.
pub fn announce_extras(
    conn: &mut DbConnection,
    urls: &Urls,
    rendered: &Rendered,
) -> Result<(Vec<String>, Option<Rendered>), AppError> {
    let Some(event_id) = carried_event(conn, rendered)? else {
        return Ok((Vec::new(), None));
    };
    let Some(ours) = store::accounts::find_by_ap_id(conn, urls.instance_actor().as_str())? else {
        return Ok((Vec::new(), None));
    };
    if rendered.actor_id == ours.id {
        return Ok((Vec::new(), None));
    }
    let mastodon_relays: Vec<String> = store::partners::accepted_of_kind(conn, MASTODON_RELAY)?
        .into_iter()
        .map(|(_, actor)| actor.inbox_url)
        .collect();
    // Partners: instance actors we accepted as followers; LitePub relays we follow.
    let mut inboxes = store::relations::remote_follower_inboxes(conn, ours.id)?;
    for (_, relay) in store::partners::accepted_of_kind(conn, LITEPUB_RELAY)? {
        inboxes.push(relay.inbox_url);
    }
    inboxes.sort();
    inboxes.dedup();
    if inboxes.is_empty() {
        return Ok((mastodon_relays, None));
    }
    // Mobilizon's relay announces the event itself; an update or deletion is announced as the
    // activity, so the receiver knows to refresh (it refetches either way).
    let object = if rendered.kind == "Create" {
        Value::String(event_id.clone())
    } else {
        let mut inner: Value = serde_json::from_str(&rendered.body).map_err(AppError::internal)?;
        if let Some(map) = inner.as_object_mut() {
            map.remove("@context");
        }
        inner
    };
    let ap_id = urls
        .join(&format!("/actor/announces/{}", ids::next_id()))
        .to_string();
    let followers = ours
        .followers_url
        .clone()
        .unwrap_or_else(|| format!("{}/followers", ours.ap_id));
    let body = json!({
        "type": "Announce",
        "id": ap_id,
        "actor": ours.ap_id,
        "object": object,
        "to": [public().to_string()],
        "cc": [followers],
        "published": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    });
    Ok((
        mastodon_relays,
        Some(Rendered {
            ap_id,
            actor_id: ours.id,
            kind: "Announce",
            object_ap_id: Some(event_id),
            body: wrap(&body)?,
            public: true,
            inboxes,
        }),
    ))
}

/// Whether `actor` is an accepted partner or relay (the only senders whose announces of events
/// fill the directory).
pub async fn trusted(state: &AppState, actor: &AccountRow) -> Result<bool, AppError> {
    let id = actor.id;
    state
        .db
        .run(move |conn| discovery::is_trusted_source(conn, id))
        .await
}

/// What became of an event announced by a partner or relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Announced {
    /// Stored or refreshed from its origin.
    Stored(i64),
    /// Gone at its origin: our copy was removed.
    Removed,
    /// Not an event (relays announce posts too): not taken.
    Ignored,
}

/// An `Announce` by an instance actor or relay. From an accepted partner or relay, the event
/// (announced itself, or in a `Create`/`Update`/`Delete`) is fetched from its origin, never
/// trusted as embedded, and stored for the directory. From another instance actor or relay it is
/// refused. `Ok(None)`: not ours to handle (an ordinary boost by a person or group).
pub async fn receive_announce(
    state: &AppState,
    announce: &Announce,
    actor: &AccountRow,
) -> Result<Option<Announced>, AppError> {
    let service = matches!(actor.actor_type.as_str(), "Application" | "Service");
    let trusted = trusted(state, actor).await?;
    if !trusted {
        if service {
            return Err(AppError::Forbidden(
                "Only partner instances and relays this instance follows may announce here"
                    .to_owned(),
            ));
        }
        return Ok(None);
    }
    let (object, deleted) = match announce.object.object() {
        Some(ObjectOrActivity::Activity(inner)) => match inner.as_ref() {
            AnyActivity::Create(create) => (create.object.id().clone(), false),
            AnyActivity::Update(update) => (update.object.id().clone(), false),
            AnyActivity::Delete(delete) => (delete.object.id().clone(), true),
            _ => return Ok(Some(Announced::Ignored)),
        },
        _ => (announce.object.id().clone(), false),
    };
    refresh_event(state, &object, deleted).await.map(Some)
}

/// Fetches an event from its origin and stores it; when the origin says it is gone, removes
/// our copy. `deleted`: a `Delete` was announced, so an object that is still there is kept.
pub async fn refresh_event(
    state: &AppState,
    id: &Url,
    deleted: bool,
) -> Result<Announced, AppError> {
    let fetched = state
        .federation
        .client
        .fetch_activity_json(id, state.federation.instance_key())
        .await;
    let document = match fetched {
        Ok(document) => document,
        Err(FetchError::Gone | FetchError::Status(StatusCode::NOT_FOUND)) => {
            return remove_remote_event(state, id).await;
        }
        Err(error) => {
            return Err(AppError::Unavailable(format!(
                "The announced object could not be fetched: {error}"
            )));
        }
    };
    if deleted {
        return Ok(Announced::Ignored);
    }
    match serde_json::from_value::<AnyObject>(document.json) {
        Ok(AnyObject::Event(event)) if event.id == document.id => {
            let row = events::ingest_event(state, *event).await?;
            Ok(Announced::Stored(row.id))
        }
        Ok(AnyObject::Tombstone(_)) => remove_remote_event(state, id).await,
        _ => Ok(Announced::Ignored),
    }
}

async fn remove_remote_event(state: &AppState, id: &Url) -> Result<Announced, AppError> {
    let ap_id = id.to_string();
    change(state, move |conn, fx| {
        if let Some(status) = store::statuses::find_by_ap_id(conn, &ap_id)?
            && !status.local
        {
            statuses::remove(conn, fx, &status)?;
        }
        store::statuses::add_tombstone(conn, &ap_id, Utc::now().naive_utc())?;
        Ok(Announced::Removed)
    })
    .await
}
