//! Activities we send, built from what happened (`Outgoing`), with their recipients.

use activitypub_federation::kinds::activity::{
    AcceptType, AnnounceType, BlockType, CreateType, DeleteType, FollowType, LikeType, RejectType,
    UndoType, UpdateType,
};
use activitypub_federation::kinds::object::TombstoneType;
use activitypub_federation::kinds::public;
use chrono::Utc;
use kakehashi_federation::protocol::activities::{
    Accept, Announce, AnyActivity, Block, Create, Delete, Follow, Like, Reject, Undo, Update,
};
use kakehashi_federation::protocol::document::ObjectOrActivity;
use kakehashi_federation::protocol::object::AnyObject;
use kakehashi_federation::protocol::tombstone::Tombstone;
use kakehashi_federation::protocol::values::{Addressing, IdOrObject};
use serde::Serialize;
use url::Url;

use crate::db::models::{AccountRow, BlockRow, FavouriteRow, FollowRow, StatusRow};
use crate::db::{DbConnection, store};
use crate::domain::effects::Outgoing;
use crate::domain::urls::Urls;
use crate::domain::visibility::Visibility;
use crate::error::AppError;
use crate::federation_glue::render::{self, url};
use crate::federation_glue::{audience, events};

/// An activity ready to store and send.
pub struct Rendered {
    pub ap_id: String,
    pub actor_id: i64,
    pub kind: &'static str,
    pub object_ap_id: Option<String>,
    pub body: String,
    pub public: bool,
    pub inboxes: Vec<String>,
}

fn to(recipient: &str) -> Result<Addressing, AppError> {
    Ok(Addressing {
        to: vec![url(recipient)?],
        ..Addressing::default()
    })
}

fn json<T: Serialize>(activity: T) -> Result<String, AppError> {
    serde_json::to_string(&kakehashi_federation::context::with_context(activity))
        .map_err(AppError::internal)
}

fn account(conn: &mut DbConnection, id: i64) -> Result<AccountRow, AppError> {
    store::accounts::find_by_id(conn, id)?.ok_or(AppError::NotFound)
}

fn inbox_of(account: &AccountRow) -> String {
    account.inbox_url.clone()
}

/// Builds the activities for one outgoing change (none when nobody remote needs one).
pub fn render(
    conn: &mut DbConnection,
    urls: &Urls,
    outgoing: &Outgoing,
) -> Result<Vec<Rendered>, AppError> {
    match outgoing {
        Outgoing::GroupRelay {
            group_id,
            status_id,
            activity,
        } => {
            return group_relay(conn, urls, *group_id, *status_id, activity.as_ref());
        }
        Outgoing::GroupDelete {
            group_id,
            moderator,
            object_ap_id,
            boost,
            inboxes,
        } => {
            return group_delete(
                conn,
                *group_id,
                moderator,
                object_ap_id,
                boost.as_ref(),
                inboxes,
            );
        }
        Outgoing::PartnerFollow { .. } | Outgoing::PartnerUndo { .. } => {
            return crate::federation_glue::discovery::render(conn, urls, outgoing);
        }
        _ => {}
    }
    Ok(render_one(conn, urls, outgoing)?.into_iter().collect())
}

fn render_one(
    conn: &mut DbConnection,
    urls: &Urls,
    outgoing: &Outgoing,
) -> Result<Option<Rendered>, AppError> {
    Ok(Some(match outgoing {
        Outgoing::GroupRelay { .. }
        | Outgoing::GroupDelete { .. }
        | Outgoing::PartnerFollow { .. }
        | Outgoing::PartnerUndo { .. } => return Ok(None),
        Outgoing::Rsvp(rsvp) => return events::render_rsvp(conn, rsvp),
        Outgoing::CreateStatus { status_id } => {
            let Some(status) = store::statuses::find(conn, *status_id)? else {
                return Ok(None);
            };
            if status.object_type == "Event" {
                return events::create_or_update(conn, urls, &status, false);
            }
            if status.reblog_of_id.is_some() {
                announce(conn, &status)?
            } else {
                create(conn, urls, &status)?
            }
        }
        Outgoing::UpdateStatus { status_id } => {
            let Some(status) = store::statuses::find(conn, *status_id)? else {
                return Ok(None);
            };
            if status.object_type == "Event" {
                return events::create_or_update(conn, urls, &status, true);
            }
            update_status(conn, urls, &status)?
        }
        Outgoing::DeleteStatus { status, inboxes } => delete_status(conn, status, inboxes)?,
        Outgoing::UndoAnnounce { reblog, inboxes } => match undo_announce(conn, reblog, inboxes) {
            // The boosted status went first (its boosts go with it): nothing to undo remotely.
            Err(AppError::NotFound) => return Ok(None),
            other => other?,
        },
        Outgoing::Follow { follow, target } => {
            let follower = account(conn, follow.account_id)?;
            follow_activity(&follower, target, follow)?
        }
        Outgoing::UndoFollow { follow, target } => {
            let follower = account(conn, follow.account_id)?;
            let inner = follow_activity(&follower, target, follow)?;
            undo(&follower, inner, to(&target.ap_id)?, vec![inbox_of(target)])?
        }
        Outgoing::AcceptFollow { follow, follower } => respond(conn, follow, follower, true)?,
        Outgoing::RejectFollow { follow, follower } => respond(conn, follow, follower, false)?,
        Outgoing::Like { favourite, status } => like(conn, favourite, status)?,
        Outgoing::UndoLike { favourite, status } => {
            let inner = like(conn, favourite, status)?;
            let liker = account(conn, favourite.account_id)?;
            let addressing = inner_addressing(&inner)?;
            let inboxes = inner.inboxes.clone();
            undo(&liker, inner, addressing, inboxes)?
        }
        Outgoing::Block { block, target } => {
            let blocker = account(conn, block.account_id)?;
            block_activity(&blocker, target, block)?
        }
        Outgoing::UndoBlock { block, target } => {
            let blocker = account(conn, block.account_id)?;
            let inner = block_activity(&blocker, target, block)?;
            undo(&blocker, inner, to(&target.ap_id)?, vec![inbox_of(target)])?
        }
        Outgoing::UpdateActor { account_id } => update_actor(conn, urls, *account_id)?,
    }))
}

fn create(conn: &mut DbConnection, urls: &Urls, status: &StatusRow) -> Result<Rendered, AppError> {
    let parts = render::load_note_parts(conn, status)?;
    let note = render::note(urls, &parts)?;
    let addressing = note.addressing.clone();
    let activity = Create {
        kind: CreateType::Create,
        id: url(&format!("{}/activity", status.ap_id))?,
        actor: url(&parts.author.ap_id)?,
        object: IdOrObject::Object(Box::new(AnyObject::Note(Box::new(note)))),
        addressing: addressing.clone(),
        published: Some(status.created_at.and_utc()),
    };
    Ok(Rendered {
        ap_id: activity.id.to_string(),
        actor_id: status.account_id,
        kind: "Create",
        object_ap_id: Some(status.ap_id.clone()),
        body: json(&activity)?,
        public: addressing.is_public(),
        inboxes: audience::status_inboxes(conn, status, false)?,
    })
}

fn update_status(
    conn: &mut DbConnection,
    urls: &Urls,
    status: &StatusRow,
) -> Result<Rendered, AppError> {
    let parts = render::load_note_parts(conn, status)?;
    let note = render::note(urls, &parts)?;
    let addressing = note.addressing.clone();
    let stamp = status
        .edited_at
        .unwrap_or(status.updated_at)
        .and_utc()
        .timestamp_millis();
    let activity = Update {
        kind: UpdateType::Update,
        id: url(&format!("{}#updates/{stamp}", status.ap_id))?,
        actor: url(&parts.author.ap_id)?,
        object: IdOrObject::Object(Box::new(AnyObject::Note(Box::new(note)))),
        addressing: addressing.clone(),
        published: Some(Utc::now()),
    };
    Ok(Rendered {
        ap_id: activity.id.to_string(),
        actor_id: status.account_id,
        kind: "Update",
        object_ap_id: Some(status.ap_id.clone()),
        body: json(&activity)?,
        public: false,
        inboxes: audience::status_inboxes(conn, status, true)?,
    })
}

fn delete_status(
    conn: &mut DbConnection,
    status: &StatusRow,
    inboxes: &[String],
) -> Result<Rendered, AppError> {
    let author = account(conn, status.account_id)?;
    let mut addressing = render::addressing(&author, Visibility::of(status), &[]);
    if !addressing.is_public() {
        addressing.cc.push(public());
    }
    let activity = Delete {
        kind: DeleteType::Delete,
        id: url(&format!("{}#delete", status.ap_id))?,
        actor: url(&author.ap_id)?,
        object: IdOrObject::Object(Box::new(AnyObject::Tombstone(Tombstone {
            kind: TombstoneType::Tombstone,
            id: url(&status.ap_id)?,
            former_type: Some(if status.object_type == "Event" {
                "Event".to_owned()
            } else {
                "Note".to_owned()
            }),
            deleted: Some(Utc::now()),
        }))),
        summary: None,
        addressing,
        published: Some(Utc::now()),
    };
    Ok(Rendered {
        ap_id: activity.id.to_string(),
        actor_id: author.id,
        kind: "Delete",
        object_ap_id: Some(status.ap_id.clone()),
        body: json(&activity)?,
        public: false,
        inboxes: inboxes.to_vec(),
    })
}

fn announce_activity(
    conn: &mut DbConnection,
    boost: &StatusRow,
) -> Result<(Announce, AccountRow, StatusRow), AppError> {
    let booster = account(conn, boost.account_id)?;
    let original_id = boost.reblog_of_id.ok_or(AppError::NotFound)?;
    let original = store::statuses::find(conn, original_id)?.ok_or(AppError::NotFound)?;
    let original_author = account(conn, original.account_id)?;
    let mut addressing = render::addressing(&booster, Visibility::of(boost), &[]);
    addressing.cc.push(url(&original_author.ap_id)?);
    Ok((
        Announce {
            kind: AnnounceType::Announce,
            id: url(&boost.ap_id)?,
            actor: url(&booster.ap_id)?,
            object: IdOrObject::Id(url(&original.ap_id)?),
            addressing,
            published: Some(boost.created_at.and_utc()),
        },
        booster,
        original,
    ))
}

fn announce(conn: &mut DbConnection, boost: &StatusRow) -> Result<Rendered, AppError> {
    let (activity, booster, original) = announce_activity(conn, boost)?;
    Ok(Rendered {
        ap_id: activity.id.to_string(),
        actor_id: booster.id,
        kind: "Announce",
        object_ap_id: Some(original.ap_id.clone()),
        public: activity.addressing.is_public(),
        body: json(&activity)?,
        inboxes: audience::status_inboxes(conn, boost, false)?,
    })
}

fn undo_announce(
    conn: &mut DbConnection,
    boost: &StatusRow,
    inboxes: &[String],
) -> Result<Rendered, AppError> {
    // The boost row is gone; rebuild the Announce from what was kept.
    let booster = account(conn, boost.account_id)?;
    let original = match boost.reblog_of_id {
        Some(id) => store::statuses::find(conn, id)?,
        None => None,
    };
    let Some(original) = original else {
        return Err(AppError::NotFound);
    };
    let addressing = render::addressing(&booster, Visibility::of(boost), &[]);
    let inner = Announce {
        kind: AnnounceType::Announce,
        id: url(&boost.ap_id)?,
        actor: url(&booster.ap_id)?,
        object: IdOrObject::Id(url(&original.ap_id)?),
        addressing: addressing.clone(),
        published: Some(boost.created_at.and_utc()),
    };
    let activity = Undo {
        kind: UndoType::Undo,
        id: url(&format!("{}#undo", boost.ap_id))?,
        actor: url(&booster.ap_id)?,
        object: IdOrObject::Object(Box::new(AnyActivity::Announce(Box::new(inner)))),
        addressing,
        published: Some(Utc::now()),
    };
    Ok(Rendered {
        ap_id: activity.id.to_string(),
        actor_id: booster.id,
        kind: "Undo",
        object_ap_id: Some(boost.ap_id.clone()),
        body: json(&activity)?,
        public: false,
        inboxes: inboxes.to_vec(),
    })
}

fn follow_activity(
    follower: &AccountRow,
    target: &AccountRow,
    follow: &FollowRow,
) -> Result<Rendered, AppError> {
    let ap_id = follow
        .ap_id
        .clone()
        .unwrap_or_else(|| format!("{}#follows/{}", follower.ap_id, follow.id));
    let activity = Follow {
        kind: FollowType::Follow,
        id: url(&ap_id)?,
        actor: url(&follower.ap_id)?,
        object: url(&target.ap_id)?,
        addressing: to(&target.ap_id)?,
        published: Some(follow.created_at.and_utc()),
    };
    Ok(Rendered {
        ap_id,
        actor_id: follower.id,
        kind: "Follow",
        object_ap_id: Some(target.ap_id.clone()),
        body: json(&activity)?,
        public: false,
        inboxes: vec![inbox_of(target)],
    })
}

/// `Accept` or `Reject` of a remote follower's `Follow`, quoting it as they sent it.
fn respond(
    conn: &mut DbConnection,
    follow: &FollowRow,
    follower: &AccountRow,
    accept: bool,
) -> Result<Rendered, AppError> {
    let target = account(conn, follow.target_account_id)?;
    let follow_id = follow
        .ap_id
        .clone()
        .unwrap_or_else(|| format!("{}#follows/{}", follower.ap_id, follow.id));
    let quoted = Follow {
        kind: FollowType::Follow,
        id: url(&follow_id)?,
        actor: url(&follower.ap_id)?,
        object: url(&target.ap_id)?,
        addressing: Addressing::default(),
        published: None,
    };
    let object = IdOrObject::Object(Box::new(ObjectOrActivity::Activity(Box::new(
        AnyActivity::Follow(Box::new(quoted)),
    ))));
    let word = if accept { "accepts" } else { "rejects" };
    let ap_id = format!("{}#{word}/follows/{}", target.ap_id, follow.id);
    let addressing = to(&follower.ap_id)?;
    let body = if accept {
        json(&Accept {
            kind: AcceptType::Accept,
            id: url(&ap_id)?,
            actor: url(&target.ap_id)?,
            object,
            addressing,
            published: Some(Utc::now()),
        })?
    } else {
        json(&Reject {
            kind: RejectType::Reject,
            id: url(&ap_id)?,
            actor: url(&target.ap_id)?,
            object,
            addressing,
            published: Some(Utc::now()),
        })?
    };
    Ok(Rendered {
        ap_id,
        actor_id: target.id,
        kind: if accept { "Accept" } else { "Reject" },
        object_ap_id: Some(follow_id),
        body,
        public: false,
        inboxes: vec![inbox_of(follower)],
    })
}

fn like(
    conn: &mut DbConnection,
    favourite: &FavouriteRow,
    status: &StatusRow,
) -> Result<Rendered, AppError> {
    let liker = account(conn, favourite.account_id)?;
    let author = account(conn, status.account_id)?;
    let ap_id = favourite
        .ap_id
        .clone()
        .unwrap_or_else(|| format!("{}#likes/{}", liker.ap_id, favourite.id));
    let activity = Like {
        kind: LikeType::Like,
        id: url(&ap_id)?,
        actor: url(&liker.ap_id)?,
        object: url(&status.ap_id)?,
        content: None,
        addressing: to(&author.ap_id)?,
        published: Some(favourite.created_at.and_utc()),
    };
    let inboxes = if author.is_local() {
        Vec::new()
    } else {
        vec![
            author
                .shared_inbox_url
                .clone()
                .unwrap_or(author.inbox_url.clone()),
        ]
    };
    Ok(Rendered {
        ap_id,
        actor_id: liker.id,
        kind: "Like",
        object_ap_id: Some(status.ap_id.clone()),
        body: json(&activity)?,
        public: false,
        inboxes,
    })
}

fn block_activity(
    blocker: &AccountRow,
    target: &AccountRow,
    block: &BlockRow,
) -> Result<Rendered, AppError> {
    let ap_id = block
        .ap_id
        .clone()
        .unwrap_or_else(|| format!("{}#blocks/{}", blocker.ap_id, block.id));
    let activity = Block {
        kind: BlockType::Block,
        id: url(&ap_id)?,
        actor: url(&blocker.ap_id)?,
        object: url(&target.ap_id)?,
        target: None,
        summary: None,
        end_time: None,
        addressing: to(&target.ap_id)?,
        published: Some(block.created_at.and_utc()),
    };
    Ok(Rendered {
        ap_id,
        actor_id: blocker.id,
        kind: "Block",
        object_ap_id: Some(target.ap_id.clone()),
        body: json(&activity)?,
        public: false,
        inboxes: vec![inbox_of(target)],
    })
}

fn inner_addressing(inner: &Rendered) -> Result<Addressing, AppError> {
    let value: serde_json::Value = serde_json::from_str(&inner.body).map_err(AppError::internal)?;
    let activity: AnyActivity = serde_json::from_value(value).map_err(AppError::internal)?;
    Ok(activity.addressing().clone())
}

/// `Undo` of an activity we rendered before, embedding it.
fn undo(
    actor: &AccountRow,
    inner: Rendered,
    addressing: Addressing,
    inboxes: Vec<String>,
) -> Result<Rendered, AppError> {
    let value: serde_json::Value = serde_json::from_str(&inner.body).map_err(AppError::internal)?;
    let activity: AnyActivity = serde_json::from_value(value).map_err(AppError::internal)?;
    let undo = Undo {
        kind: UndoType::Undo,
        id: url(&format!("{}#undo", inner.ap_id))?,
        actor: url(&actor.ap_id)?,
        object: IdOrObject::Object(Box::new(activity)),
        addressing,
        published: Some(Utc::now()),
    };
    Ok(Rendered {
        ap_id: undo.id.to_string(),
        actor_id: actor.id,
        kind: "Undo",
        object_ap_id: Some(inner.ap_id),
        body: json(&undo)?,
        public: false,
        inboxes,
    })
}

fn update_actor(
    conn: &mut DbConnection,
    urls: &Urls,
    account_id: i64,
) -> Result<Rendered, AppError> {
    let account = account(conn, account_id)?;
    let actor = render::actor(conn, urls, &account)?;
    let mut addressing = Addressing {
        to: vec![public()],
        ..Addressing::default()
    };
    addressing.cc.extend(
        account
            .followers_url
            .as_deref()
            .and_then(|f| Url::parse(f).ok()),
    );
    let activity = Update {
        kind: UpdateType::Update,
        id: url(&format!(
            "{}#updates/{}",
            account.ap_id,
            Utc::now().timestamp_millis()
        ))?,
        actor: url(&account.ap_id)?,
        object: IdOrObject::Object(Box::new(AnyObject::Actor(Box::new(actor)))),
        addressing,
        published: Some(Utc::now()),
    };
    Ok(Rendered {
        ap_id: activity.id.to_string(),
        actor_id: account.id,
        kind: "Update",
        object_ap_id: Some(account.ap_id.clone()),
        body: json(&activity)?,
        public: false,
        inboxes: store::relations::remote_follower_inboxes(conn, account.id)?,
    })
}

/// `to`/`cc` of what a group sends its members: public groups address the public too.
fn group_addressing(conn: &mut DbConnection, group: &AccountRow) -> Result<Addressing, AppError> {
    let members_only = store::groups::find(conn, group.id)?.is_some_and(|g| g.members_only);
    let followers = group.followers_url.as_deref().map(url).transpose()?;
    let mut addressing = Addressing::default();
    if members_only {
        addressing.to.extend(followers);
    } else {
        addressing.to.push(public());
        addressing.cc.extend(followers);
    }
    addressing.audience.push(url(&group.ap_id)?);
    Ok(addressing)
}

/// FEP-1b12: the group relays the member's activity, embedded as it was sent.
fn group_relay(
    conn: &mut DbConnection,
    urls: &Urls,
    group_id: i64,
    status_id: i64,
    activity: Option<&serde_json::Value>,
) -> Result<Vec<Rendered>, AppError> {
    let group = account(conn, group_id)?;
    let Some(status) = store::statuses::find(conn, status_id)? else {
        return Ok(Vec::new());
    };
    let mut inner = match activity {
        Some(original) => original.clone(),
        None => {
            serde_json::from_str(&create(conn, urls, &status)?.body).map_err(AppError::internal)?
        }
    };
    if let Some(map) = inner.as_object_mut() {
        map.remove("@context");
    }
    let addressing = group_addressing(conn, &group)?;
    let ap_id = format!("{}#announces/{}", group.ap_id, status.id);
    let mut announce = serde_json::json!({
        "type": "Announce",
        "id": ap_id,
        "actor": group.ap_id,
        "object": inner,
        "to": addressing.to,
        "cc": addressing.cc,
        "audience": group.ap_id,
        "published": Utc::now(),
    });
    if let Some(map) = announce.as_object_mut() {
        map.insert(
            "@context".to_owned(),
            kakehashi_federation::context::context().clone(),
        );
    }
    Ok(vec![Rendered {
        ap_id,
        actor_id: group.id,
        kind: "Announce",
        object_ap_id: Some(status.ap_id.clone()),
        body: announce.to_string(),
        public: false,
        inboxes: store::relations::remote_follower_inboxes(conn, group.id)?,
    }])
}

/// A moderator's deletion, announced by the group; and the group's boost undone.
fn group_delete(
    conn: &mut DbConnection,
    group_id: i64,
    moderator: &AccountRow,
    object_ap_id: &str,
    boost: Option<&StatusRow>,
    inboxes: &[String],
) -> Result<Vec<Rendered>, AppError> {
    let group = account(conn, group_id)?;
    let addressing = group_addressing(conn, &group)?;
    let delete_id = format!(
        "{}#moderation/deletes/{}",
        group.ap_id,
        crate::db::ids::next_id()
    );
    let ap_id = format!("{delete_id}/announce");
    let mut announce = serde_json::json!({
        "type": "Announce",
        "id": ap_id,
        "actor": group.ap_id,
        "object": {
            "type": "Delete",
            "id": delete_id,
            "actor": moderator.ap_id,
            "object": object_ap_id,
            "to": addressing.to,
            "cc": addressing.cc,
            "audience": group.ap_id,
        },
        "to": addressing.to,
        "cc": addressing.cc,
        "audience": group.ap_id,
    });
    if let Some(map) = announce.as_object_mut() {
        map.insert(
            "@context".to_owned(),
            kakehashi_federation::context::context().clone(),
        );
    }
    let mut rendered = vec![Rendered {
        ap_id,
        actor_id: group.id,
        kind: "Announce",
        object_ap_id: Some(object_ap_id.to_owned()),
        body: announce.to_string(),
        public: false,
        inboxes: inboxes.to_vec(),
    }];
    if let Some(boost) = boost {
        let addressing = render::addressing(&group, Visibility::of(boost), &[]);
        let inner = Announce {
            kind: AnnounceType::Announce,
            id: url(&boost.ap_id)?,
            actor: url(&group.ap_id)?,
            object: IdOrObject::Id(url(object_ap_id)?),
            addressing: addressing.clone(),
            published: Some(boost.created_at.and_utc()),
        };
        let undo = Undo {
            kind: UndoType::Undo,
            id: url(&format!("{}#undo", boost.ap_id))?,
            actor: url(&group.ap_id)?,
            object: IdOrObject::Object(Box::new(AnyActivity::Announce(Box::new(inner)))),
            addressing,
            published: Some(Utc::now()),
        };
        rendered.push(Rendered {
            ap_id: undo.id.to_string(),
            actor_id: group.id,
            kind: "Undo",
            object_ap_id: Some(boost.ap_id.clone()),
            body: json(&undo)?,
            public: false,
            inboxes: inboxes.to_vec(),
        });
    }
    Ok(rendered)
}
