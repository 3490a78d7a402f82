//! The inbox: checks every incoming activity (size, origin, Host, Digest, signature by a key the
//! actor's own document lists), applies each id once, and turns it into the same domain calls a
//! local action makes.

use std::time::SystemTime;

use axum::http::{HeaderMap, Method, StatusCode};
use bytes::Bytes;
use chrono::Utc;
use kakehashi_federation::fetch::same_origin;
use kakehashi_federation::protocol::activities::{self as wire, AnyActivity};
use kakehashi_federation::protocol::document::ObjectOrActivity;
use kakehashi_federation::protocol::object::AnyObject;
use kakehashi_federation::protocol::values::{HasId, IdOrObject};
use kakehashi_federation::signatures::{IncomingRequest, SignatureError, verify_inbox_request};
use serde_json::Value;
use url::Url;

use crate::db::models::{AccountRow, StatusRow};
use crate::db::{ids, store};
use crate::domain::visibility::Visibility;
use crate::domain::{blocks, change, follows, interactions, statuses};
use crate::error::AppError;
use crate::federation_glue::actors::{self, KeyResolver, domain_of};
use crate::federation_glue::events::{self, Answer};
use crate::federation_glue::objects;
use crate::jobs::retry;
use crate::state::AppState;

/// What the inbox answers when it took the activity (applied, or a duplicate, or one we ignore).
pub const ACCEPTED: StatusCode = StatusCode::ACCEPTED;

/// Checks and applies one POSTed activity.
pub async fn receive(
    state: &AppState,
    method: &Method,
    path_and_query: &str,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<StatusCode, AppError> {
    let limit = state.config.federation.max_inbox_bytes;
    if body.len() > limit {
        return Err(AppError::PayloadTooLarge(format!(
            "Activities over {limit} bytes are not accepted"
        )));
    }
    // Cheap refusals before any key is fetched.
    let json: Value = serde_json::from_slice(&body)
        .map_err(|e| AppError::BadRequest(format!("The body is not JSON: {e}")))?;
    let id = url_field(&json, "id")?;
    let actor_id = url_field(&json, "actor")?;
    if !same_origin(&id, &actor_id) {
        return Err(AppError::BadRequest(
            "The activity's id and its actor are on different servers".to_owned(),
        ));
    }
    let own = state.urls.domain().to_lowercase();
    if domain_of(&actor_id).as_deref() == Some(own.as_str()) {
        return Err(AppError::BadRequest("That actor is one of ours".to_owned()));
    }
    if is_unknown_actor_self_delete(state, &json, &actor_id).await? {
        // Mastodon's rule: an actor we never knew deleting itself needs no key fetch.
        return Ok(ACCEPTED);
    }

    verify(state, method, path_and_query, headers, &body).await?;

    let seen = id.to_string();
    let duplicate = state
        .db
        .run(move |conn| Ok(store::federation::was_received(conn, &seen)?))
        .await?;
    let actor = actors::fetch_actor(state, &actor_id, false).await?;
    revive_instance(state, &actor_id).await?;
    if duplicate {
        return Ok(ACCEPTED);
    }
    let activity: AnyActivity = match serde_json::from_value(json) {
        Ok(activity) => activity,
        Err(error) => {
            tracing::info!(%id, %error, "activity ignored");
            return Ok(ACCEPTED);
        }
    };
    apply(state, activity, &actor).await?;
    let received = id.to_string();
    state
        .db
        .run(move |conn| {
            store::federation::first_receipt(conn, &received, Utc::now().naive_utc())?;
            Ok(())
        })
        .await?;
    Ok(ACCEPTED)
}

fn url_field(json: &Value, field: &str) -> Result<Url, AppError> {
    let value = match json.get(field) {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(Value::Object(o)) => o.get("id").and_then(Value::as_str),
        _ => None,
    };
    value
        .and_then(|v| Url::parse(v).ok())
        .ok_or_else(|| AppError::BadRequest(format!("The activity has no usable {field}")))
}

async fn is_unknown_actor_self_delete(
    state: &AppState,
    json: &Value,
    actor: &Url,
) -> Result<bool, AppError> {
    let object = match json.get("object") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(o)) => o.get("id").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    };
    if json.get("type").and_then(Value::as_str) != Some("Delete")
        || object.as_deref() != Some(actor.as_str())
    {
        return Ok(false);
    }
    let ap_id = actor.to_string();
    let known = state
        .db
        .run(move |conn| Ok(store::accounts::find_by_ap_id(conn, &ap_id)?.is_some()))
        .await?;
    Ok(!known)
}

/// Verifies the signature; once more with freshly fetched keys when it fails with stored ones
/// (the actor may have rotated its key).
async fn verify(
    state: &AppState,
    method: &Method,
    path_and_query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), AppError> {
    let request = IncomingRequest {
        method,
        path_and_query,
        headers,
        body,
    };
    let policy = &state.federation.verify;
    let first = verify_inbox_request(
        &request,
        policy,
        SystemTime::now(),
        &KeyResolver {
            state,
            refresh: false,
        },
    )
    .await;
    let result = match first {
        Err(SignatureError::SignatureInvalid | SignatureError::KeyNotListedByActor { .. }) => {
            verify_inbox_request(
                &request,
                policy,
                SystemTime::now(),
                &KeyResolver {
                    state,
                    refresh: true,
                },
            )
            .await
        }
        other => other,
    };
    result.map(|_| ()).map_err(signature_error)
}

/// A signature failure as the answer the sender gets.
pub fn signature_error(error: SignatureError) -> AppError {
    let message = error.to_string();
    match error.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge(message),
        StatusCode::SERVICE_UNAVAILABLE => AppError::Unavailable(message),
        _ => AppError::Unauthorized(format!("Signature not accepted: {message}")),
    }
}

/// Any signed activity from an instance shows it is up: resume deliveries to it.
async fn revive_instance(state: &AppState, actor: &Url) -> Result<(), AppError> {
    let Some(domain) = domain_of(actor) else {
        return Ok(());
    };
    state
        .db
        .run(move |conn| {
            if let Some(mut instance) = store::federation::find_instance(conn, &domain)? {
                let before = (instance.unavailable, instance.retry_at);
                retry::instance_contacted_us(&mut instance, Utc::now().naive_utc());
                if before != (instance.unavailable, instance.retry_at) {
                    store::federation::save_instance(conn, &instance)?;
                }
            }
            Ok(())
        })
        .await
}

fn ensure_same_actor(inner: &Url, outer: &AccountRow) -> Result<(), AppError> {
    if inner.as_str() == outer.ap_id {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "An actor may only act for itself".to_owned(),
        ))
    }
}

async fn local_account(state: &AppState, id: &Url) -> Result<Option<AccountRow>, AppError> {
    if domain_of(id).as_deref() != Some(state.urls.domain().to_lowercase().as_str()) {
        return Ok(None);
    }
    let ap_id = id.to_string();
    state
        .db
        .run(move |conn| Ok(store::accounts::find_by_ap_id(conn, &ap_id)?))
        .await
}

async fn status_by_ap_id(state: &AppState, id: &Url) -> Result<Option<StatusRow>, AppError> {
    let ap_id = id.to_string();
    state
        .db
        .run(move |conn| Ok(store::statuses::find_by_ap_id(conn, &ap_id)?))
        .await
}

/// Turns a verified activity into domain calls.
async fn apply(
    state: &AppState,
    activity: AnyActivity,
    actor: &AccountRow,
) -> Result<(), AppError> {
    ensure_same_actor(activity.actor(), actor)?;
    // Instance actors and relays announce events for the directory (partners and relays only).
    if let AnyActivity::Announce(announce) = &activity
        && crate::federation_glue::discovery::receive_announce(state, announce, actor)
            .await?
            .is_some()
    {
        return Ok(());
    }
    match activity {
        AnyActivity::Follow(follow) => receive_follow(state, &follow, actor).await,
        AnyActivity::Accept(accept) => {
            if events::receive_answer(state, Answer::Accept, &accept.id, &accept.object, actor)
                .await?
            {
                return Ok(());
            }
            receive_response(state, &accept.object, actor, true).await
        }
        AnyActivity::Reject(reject) => {
            if events::receive_answer(state, Answer::Reject, &reject.id, &reject.object, actor)
                .await?
            {
                return Ok(());
            }
            receive_response(state, &reject.object, actor, false).await
        }
        AnyActivity::TentativeAccept(answer) => {
            let answer = &*answer;
            events::receive_answer(
                state,
                Answer::TentativeAccept,
                &answer.id,
                &answer.object,
                actor,
            )
            .await
            .map(|_| ())
        }
        AnyActivity::Join(join) if events::is_event_join(state, &join.object).await? => {
            events::receive_join(state, &join, actor).await
        }
        AnyActivity::Leave(leave) => {
            events::receive_leave(state, Some(&leave.object), None, actor).await
        }
        AnyActivity::Undo(undo) => receive_undo(state, &undo, actor).await,
        AnyActivity::Create(create) => {
            let relay = serde_json::to_value(&create).ok();
            receive_create(state, &create.object, actor, relay).await
        }
        AnyActivity::Update(update) => receive_update(state, &update.object, actor).await,
        AnyActivity::Delete(delete) => receive_delete(state, delete.object.id(), actor).await,
        AnyActivity::Like(like) => receive_like(state, &like, actor).await,
        AnyActivity::Announce(announce) => receive_announce(state, &announce, actor).await,
        AnyActivity::Block(block) => receive_block(state, &block, actor).await,
        AnyActivity::Flag(flag) => receive_flag(state, &flag, actor).await,
        other => {
            tracing::info!(kind = other.kind(), actor = %actor.ap_id, "activity type not handled yet");
            Ok(())
        }
    }
}

async fn receive_follow(
    state: &AppState,
    follow: &wire::Follow,
    actor: &AccountRow,
) -> Result<(), AppError> {
    let Some(target) = local_account(state, &follow.object).await? else {
        return Err(AppError::Missing("No such actor here".to_owned()));
    };
    let follower = actor.clone();
    let ap_id = follow.id.to_string();
    change(state, move |conn, fx| {
        follows::receive_follow(conn, fx, &follower, &target, &ap_id)?;
        Ok(())
    })
    .await
}

/// `Accept` or `Reject` of one of our `Follow`s, by the account that was followed.
async fn receive_response(
    state: &AppState,
    object: &IdOrObject<ObjectOrActivity>,
    actor: &AccountRow,
    accepted: bool,
) -> Result<(), AppError> {
    let follow_id = object.id().to_string();
    let embedded_follower = match object.object() {
        Some(ObjectOrActivity::Activity(inner)) => match inner.as_ref() {
            AnyActivity::Follow(f) => Some(f.actor.to_string()),
            _ => None,
        },
        _ => None,
    };
    let target_id = actor.id;
    change(state, move |conn, _fx| {
        // Our instance actor's follow of a partner or relay.
        if crate::domain::discovery::receive_response(conn, &follow_id, target_id, accepted)? {
            return Ok(());
        }
        let mut follow = store::relations::find_follow_by_ap_id(conn, &follow_id)?;
        if follow.is_none()
            && let Some(follower) = embedded_follower
            && let Some(follower) = store::accounts::find_by_ap_id(conn, &follower)?
        {
            follow = store::relations::find_follow(conn, follower.id, target_id)?;
        }
        let Some(follow) = follow else {
            return Ok(());
        };
        if follow.target_account_id != target_id {
            return Err(AppError::Forbidden(
                "Only the followed account may answer a follow".to_owned(),
            ));
        }
        if accepted {
            follows::receive_accept(conn, &follow)
        } else {
            follows::receive_end(conn, &follow)
        }
    })
    .await
}

async fn receive_undo(
    state: &AppState,
    undo: &wire::Undo,
    actor: &AccountRow,
) -> Result<(), AppError> {
    let inner_id = undo.object.id().to_string();
    let actor_id = actor.id;
    match undo.object.object() {
        Some(inner) => {
            ensure_same_actor(inner.actor(), actor)?;
            match inner {
                AnyActivity::Follow(follow) => {
                    let target = local_account(state, &follow.object).await?;
                    change(state, move |conn, _fx| {
                        let follow = match store::relations::find_follow_by_ap_id(conn, &inner_id)?
                        {
                            Some(f) => Some(f),
                            None => match target {
                                Some(target) => {
                                    store::relations::find_follow(conn, actor_id, target.id)?
                                }
                                None => None,
                            },
                        };
                        match follow {
                            Some(follow) if follow.account_id == actor_id => {
                                follows::receive_end(conn, &follow)
                            }
                            _ => Ok(()),
                        }
                    })
                    .await
                }
                AnyActivity::Like(like) => {
                    let object = like.object.to_string();
                    change(state, move |conn, fx| {
                        if let Some(status) = store::statuses::find_by_ap_id(conn, &object)? {
                            interactions::remove_favourite(conn, fx, actor_id, &status)?;
                        }
                        Ok(())
                    })
                    .await
                }
                AnyActivity::Announce(_) => undo_announce(state, inner_id, actor_id).await,
                AnyActivity::Join(join) => {
                    events::receive_leave(state, Some(&join.object), Some(&join.id), actor).await
                }
                AnyActivity::Block(block) => {
                    let Some(target) = local_account(state, &block.object).await? else {
                        return Ok(());
                    };
                    state
                        .db
                        .run(move |conn| {
                            store::relations::delete_block(conn, actor_id, target.id)?;
                            Ok(())
                        })
                        .await
                }
                other => {
                    tracing::info!(
                        kind = other.kind(),
                        "undo of an activity type not handled yet"
                    );
                    Ok(())
                }
            }
        }
        // Only an id: it names something this actor did before, whatever it was.
        None => {
            events::receive_leave(state, None, Some(undo.object.id()), actor).await?;
            change(state, move |conn, fx| {
                if let Some(follow) = store::relations::find_follow_by_ap_id(conn, &inner_id)?
                    && follow.account_id == actor_id
                {
                    return follows::receive_end(conn, &follow);
                }
                if let Some(favourite) = store::relations::find_favourite_by_ap_id(conn, &inner_id)?
                    && favourite.account_id == actor_id
                    && let Some(status) = store::statuses::find(conn, favourite.status_id)?
                {
                    return interactions::remove_favourite(conn, fx, actor_id, &status);
                }
                if let Some(boost) = store::statuses::find_by_ap_id(conn, &inner_id)?
                    && boost.account_id == actor_id
                    && boost.reblog_of_id.is_some()
                {
                    return statuses::remove(conn, fx, &boost);
                }
                Ok(())
            })
            .await
        }
    }
}

async fn undo_announce(
    state: &AppState,
    announce_id: String,
    actor_id: i64,
) -> Result<(), AppError> {
    change(state, move |conn, fx| {
        if let Some(boost) = store::statuses::find_by_ap_id(conn, &announce_id)?
            && boost.account_id == actor_id
            && boost.reblog_of_id.is_some()
        {
            statuses::remove(conn, fx, &boost)?;
        }
        Ok(())
    })
    .await
}

/// A post arrived: trust the embedded copy only when it comes from its author's own server and
/// names this actor as author; otherwise fetch it from its id.
async fn receive_create(
    state: &AppState,
    object: &IdOrObject<AnyObject>,
    actor: &AccountRow,
    relay: Option<Value>,
) -> Result<(), AppError> {
    let actor_url = crate::federation_glue::render::url(&actor.ap_id)?;
    match object.object() {
        Some(AnyObject::Note(note))
            if same_origin(&note.id, &actor_url)
                && note.attributed_to.first() == Some(&actor_url) =>
        {
            match objects::ingest_note(state, (**note).clone(), 0, relay).await {
                Err(AppError::Gone(_)) => Ok(()),
                other => other.map(|_| ()),
            }
        }
        Some(AnyObject::Note(_)) | None => match objects::fetch_status(state, object.id(), 0).await
        {
            Ok(_) | Err(AppError::Gone(_)) => Ok(()),
            Err(e) => Err(e),
        },
        Some(AnyObject::Event(event)) => events::receive_event(state, event, actor).await,
        Some(other) => {
            tracing::info!(id = %other.id(), "created object type not handled yet");
            Ok(())
        }
    }
}

async fn receive_update(
    state: &AppState,
    object: &IdOrObject<AnyObject>,
    actor: &AccountRow,
) -> Result<(), AppError> {
    let actor_url = crate::federation_glue::render::url(&actor.ap_id)?;
    match object.object() {
        Some(AnyObject::Actor(updated)) => {
            if updated.id != actor_url {
                return Err(AppError::Forbidden(
                    "An actor may only update itself".to_owned(),
                ));
            }
            actors::store_actor(state, (**updated).clone())
                .await
                .map(|_| ())
        }
        Some(AnyObject::Note(note)) => {
            if !same_origin(&note.id, &actor_url) {
                return Err(AppError::Forbidden(
                    "Only the author may edit a post".to_owned(),
                ));
            }
            let note = (**note).clone();
            let author = actor.clone();
            change(state, move |conn, fx| {
                objects::apply_update(conn, fx, &note, &author).map(|_| ())
            })
            .await
        }
        Some(AnyObject::Event(event)) => events::receive_event(state, event, actor).await,
        _ => Ok(()),
    }
}

async fn receive_delete(
    state: &AppState,
    object: &Url,
    actor: &AccountRow,
) -> Result<(), AppError> {
    let actor_url = crate::federation_glue::render::url(&actor.ap_id)?;
    if object == &actor_url {
        let id = actor.id;
        return state
            .db
            .transaction(move |conn| {
                store::accounts::delete(conn, id)?;
                Ok(())
            })
            .await;
    }
    if !same_origin(object, &actor_url) {
        return Err(AppError::Forbidden(
            "Only the author may delete a post".to_owned(),
        ));
    }
    let object = object.to_string();
    let actor_id = actor.id;
    change(state, move |conn, fx| {
        match store::statuses::find_by_ap_id(conn, &object)? {
            // A group's event is the group's to delete too (Mobilizon sends the Delete as the
            // group that owns it, while the organiser is the person who created it).
            Some(status)
                if status.account_id != actor_id
                    && store::events::find(conn, status.id)?
                        .is_none_or(|event| event.group_id != Some(actor_id)) =>
            {
                Err(AppError::Forbidden(
                    "Only the author may delete a post".to_owned(),
                ))
            }
            Some(status) => statuses::remove(conn, fx, &status),
            // Not here (yet): remember, so a late Create is refused.
            None => Ok(store::statuses::add_tombstone(
                conn,
                &object,
                Utc::now().naive_utc(),
            )?),
        }
    })
    .await
}

async fn receive_like(
    state: &AppState,
    like: &wire::Like,
    actor: &AccountRow,
) -> Result<(), AppError> {
    let Some(status) = status_by_ap_id(state, &like.object).await? else {
        return Ok(());
    };
    let like_id = like.id.to_string();
    let actor_id = actor.id;
    change(state, move |conn, fx| {
        interactions::add_favourite(conn, fx, actor_id, &status, Some(like_id))
    })
    .await
}

async fn receive_announce(
    state: &AppState,
    announce: &wire::Announce,
    actor: &AccountRow,
) -> Result<(), AppError> {
    let from_group = actor.actor_type == "Group";
    let relayed = matches!(
        announce.object.object(),
        Some(ObjectOrActivity::Activity(_))
    );
    let original = if let Some(ObjectOrActivity::Activity(inner)) = announce.object.object() {
        match inner.as_ref() {
            // FEP-1b12: a group relays a member's post; it shows as the group's boost, as the
            // plain `Announce` Lemmy and we send alongside would (whichever comes first counts).
            AnyActivity::Create(create) if from_group => {
                match relayed_post(state, create, actor).await? {
                    Some(status) => status,
                    None => return Ok(()),
                }
            }
            // A group relays a moderator's deletion of a post in it.
            AnyActivity::Delete(delete) if from_group => {
                return relayed_delete(state, delete.object.id(), actor).await;
            }
            _ => return Ok(()),
        }
    } else {
        match objects::fetch_status(state, announce.object.id(), 0).await {
            Ok(status) => status,
            Err(AppError::Gone(_) | AppError::NotFound) => return Ok(()),
            Err(e) => return Err(e),
        }
    };
    if !Visibility::of(&original).boostable() {
        return Ok(());
    }
    let visibility = if announce
        .addressing
        .to
        .contains(&activitypub_federation::kinds::public())
    {
        Visibility::Public
    } else if announce.addressing.is_public() {
        Visibility::Unlisted
    } else {
        Visibility::Private
    };
    let ap_id = announce.id.to_string();
    let actor_id = actor.id;
    let published = announce.published.unwrap_or_else(Utc::now);
    change(state, move |conn, fx| {
        if from_group && original.group_id.is_none() {
            store::statuses::set_group(conn, original.id, actor_id)?;
        }
        if store::statuses::find_by_ap_id(conn, &ap_id)?.is_some() {
            return Ok(());
        }
        if let Some(existing) = store::statuses::find_reblog(conn, actor_id, original.id)? {
            // The group's relay made the boost first; from now on it goes by the plain
            // Announce's id, which the group's `Undo(Announce)` names.
            if from_group && !relayed {
                store::statuses::set_ap_id(conn, existing.id, &ap_id)?;
            }
            return Ok(());
        }
        interactions::add_reblog(
            conn,
            fx,
            actor_id,
            &original,
            ids::id_at(published),
            ap_id,
            visibility,
        )?;
        Ok(())
    })
    .await
}

async fn receive_block(
    state: &AppState,
    block: &wire::Block,
    actor: &AccountRow,
) -> Result<(), AppError> {
    let Some(target) = local_account(state, &block.object).await? else {
        return Ok(());
    };
    let blocker = actor.id;
    let ap_id = block.id.to_string();
    change(state, move |conn, _fx| {
        blocks::receive_block(conn, blocker, target.id, &ap_id)
    })
    .await
}

/// A remote group relayed a member's post: fetch it from its author's server; when that is not
/// possible (a members-only group's post is not public), take the copy the group vouches for,
/// provided it is addressed to the group.
async fn relayed_post(
    state: &AppState,
    create: &wire::Create,
    group: &AccountRow,
) -> Result<Option<StatusRow>, AppError> {
    let group_url = crate::federation_glue::render::url(&group.ap_id)?;
    let stored = match objects::fetch_status(state, create.object.id(), 0).await {
        Ok(status) => Some(status),
        Err(AppError::Gone(_)) => return Ok(None),
        Err(error) => match create.object.object() {
            Some(AnyObject::Note(note))
                if note.addressing.recipients().contains(&&group_url)
                    && note
                        .attributed_to
                        .first()
                        .is_some_and(|a| same_origin(a, &note.id)) =>
            {
                match objects::ingest_note(state, (**note).clone(), 0, None).await {
                    Ok(status) => Some(status),
                    Err(AppError::Gone(_)) => return Ok(None),
                    Err(e) => return Err(e),
                }
            }
            _ => return Err(error),
        },
    };
    let Some(status) = stored else {
        return Ok(None);
    };
    let group_id = group.id;
    state
        .db
        .run(move |conn| {
            if status.group_id.is_none() {
                store::statuses::set_group(conn, status.id, group_id)?;
            }
            Ok(store::statuses::find(conn, status.id)?)
        })
        .await
}

/// A remote group announced the deletion of a post in it: the group decides over its content.
async fn relayed_delete(
    state: &AppState,
    object: &Url,
    group: &AccountRow,
) -> Result<(), AppError> {
    let object = object.to_string();
    let group_id = group.id;
    change(state, move |conn, fx| {
        // Posts made into the group are the group's to remove, wherever they were written.
        if let Some(status) = store::statuses::find_by_ap_id(conn, &object)?
            && status.group_id == Some(group_id)
        {
            statuses::remove(conn, fx, &status)?;
        }
        Ok(())
    })
    .await
}

/// A report (`Flag`) about a local group's content goes to that group's moderators.
async fn receive_flag(
    state: &AppState,
    flag: &wire::Flag,
    actor: &AccountRow,
) -> Result<(), AppError> {
    let objects: Vec<String> = flag.object.iter().map(Url::to_string).collect();
    let recipients: Vec<String> = flag
        .addressing
        .recipients()
        .iter()
        .map(|u| u.to_string())
        .collect();
    let comment = flag.content.clone().unwrap_or_default();
    let reporter = actor.id;
    let ap_id = flag.id.to_string();
    state
        .db
        .transaction(move |conn| {
            let mut group = None;
            let mut status_id = None;
            let mut target = None;
            for id in objects.iter().chain(recipients.iter()) {
                if let Some(account) = store::accounts::find_by_ap_id(conn, id)? {
                    if account.actor_type == "Group" && account.is_local() {
                        group = Some(account.id);
                    } else if account.is_local() || target.is_none() {
                        target = Some(account.id);
                    }
                } else if let Some(status) = store::statuses::find_by_ap_id(conn, id)? {
                    status_id = Some(status.id);
                    group = group.or(status.group_id);
                }
            }
            if let Some(group) = group
                && store::groups::find(conn, group)?.is_some_and(|g| g.local)
            {
                crate::domain::groups::report(
                    conn,
                    group,
                    Some(reporter),
                    status_id,
                    target,
                    &comment,
                    Some(ap_id),
                )?;
            } else {
                tracing::info!(reporter, "report received (no local group named)");
            }
            Ok(())
        })
        .await
}
