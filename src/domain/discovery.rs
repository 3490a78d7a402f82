//! Partners and relays: our instance actor follows other instances' actors (a partnership when
//! both follow each other) and ActivityPub relays, so public events reach every directory.
//!
//! A partnership is two follows: ours of their instance actor (a `federation_partners` row, its
//! `state` is their answer) and theirs of ours (an ordinary row in `follows`, accepted because an
//! admin configured that instance). Relays are followed the same way; see docs/FEDERATION.md
//! "Partners and relays".

use chrono::Utc;

use crate::db::models::{AccountRow, FollowRow, PartnerRow};
use crate::db::{DbConnection, ids, store};
use crate::domain::effects::{Effects, Outgoing};
use crate::domain::groups::JoinDecision;
use crate::domain::{change, instance_actor};
use crate::error::AppError;
use crate::state::AppState;

/// Another instance's actor (FEP-2677), followed both ways.
pub const INSTANCE: &str = "instance";
/// A LitePub relay: we follow its actor, it `Announce`s what its followers send it.
pub const LITEPUB_RELAY: &str = "litepub_relay";
/// A Mastodon relay: we follow the public collection through its inbox, it forwards `Create`s.
pub const MASTODON_RELAY: &str = "mastodon_relay";

pub const PENDING: &str = "pending";
pub const ACCEPTED: &str = "accepted";
pub const REJECTED: &str = "rejected";

/// How a relay expects to be followed (FEP-ae0c).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelayStyle {
    LitePub,
    Mastodon,
}

impl RelayStyle {
    pub fn kind(self) -> &'static str {
        match self {
            RelayStyle::LitePub => LITEPUB_RELAY,
            RelayStyle::Mastodon => MASTODON_RELAY,
        }
    }

    /// `litepub` or `mastodon`.
    pub fn parse(text: &str) -> Result<RelayStyle, AppError> {
        match text.to_ascii_lowercase().as_str() {
            "litepub" | "pleroma" => Ok(RelayStyle::LitePub),
            "mastodon" => Ok(RelayStyle::Mastodon),
            other => Err(AppError::Unprocessable(format!(
                "\"{other}\" is not a relay style; use litepub or mastodon"
            ))),
        }
    }
}

/// A partner or relay as the admin sees it.
#[derive(Debug, Clone)]
pub struct PartnerView {
    pub partner: PartnerRow,
    pub actor: AccountRow,
    /// Whether (and how far) they follow our instance actor: `accepted`, `pending` or `None`.
    pub their_follow: Option<String>,
}

impl PartnerView {
    /// Both follows accepted (for relays: ours accepted).
    pub fn active(&self) -> bool {
        self.partner.state == ACCEPTED
            && (self.partner.kind != INSTANCE || self.their_follow.as_deref() == Some(ACCEPTED))
    }
}

/// The id of our instance actor's `Follow` of a partner or relay.
fn follow_id(state: &AppState, id: i64) -> String {
    state.urls.join(&format!("/actor/follows/{id}")).to_string()
}

/// Starts (or repairs) a partnership with another instance's actor: our instance actor follows
/// it, and its follow of ours, if it asked already, is accepted.
pub async fn add_partner(state: &AppState, actor: AccountRow) -> Result<PartnerView, AppError> {
    if actor.is_local() {
        return Err(AppError::Unprocessable(
            "That is this instance's own actor".to_owned(),
        ));
    }
    let ours = instance_actor::ensure(state).await?;
    let follow_ap_id = follow_id(state, ids::next_id());
    change(state, move |conn, fx| {
        let partner = follow_target(conn, fx, &actor, INSTANCE, &follow_ap_id)?;
        if let Some(their) = store::relations::find_follow(conn, actor.id, ours.id)?
            && !their.accepted()
        {
            accept_their_follow(conn, fx, &their, &actor)?;
        }
        view(conn, &ours, partner, actor)
    })
    .await
}

/// Follows a relay (LitePub: its actor; Mastodon: the public collection, through its inbox).
pub async fn add_relay(
    state: &AppState,
    actor: AccountRow,
    style: RelayStyle,
) -> Result<PartnerView, AppError> {
    if actor.is_local() {
        return Err(AppError::Unprocessable(
            "That is this instance's own actor".to_owned(),
        ));
    }
    let ours = instance_actor::ensure(state).await?;
    let follow_ap_id = follow_id(state, ids::next_id());
    change(state, move |conn, fx| {
        let partner = follow_target(conn, fx, &actor, style.kind(), &follow_ap_id)?;
        // A LitePub relay follows back; that follow is welcome once we follow it.
        if let Some(their) = store::relations::find_follow(conn, actor.id, ours.id)?
            && !their.accepted()
        {
            accept_their_follow(conn, fx, &their, &actor)?;
        }
        view(conn, &ours, partner, actor)
    })
    .await
}

/// Records and sends our follow, unless one is already pending or accepted.
fn follow_target(
    conn: &mut DbConnection,
    fx: &mut Effects,
    actor: &AccountRow,
    kind: &str,
    follow_ap_id: &str,
) -> Result<PartnerRow, AppError> {
    let now = Utc::now().naive_utc();
    if let Some(existing) = store::partners::find_by_actor(conn, actor.id)? {
        if existing.state != REJECTED && existing.kind == kind {
            // Asking again is harmless and repairs a lost Follow or Accept.
            fx.send(Outgoing::PartnerFollow {
                partner: existing.clone(),
                target: actor.clone(),
            });
            return Ok(existing);
        }
        store::partners::delete(conn, existing.id)?;
    }
    let partner = store::partners::insert(conn, ids::next_id(), actor.id, kind, follow_ap_id, now)?;
    fx.send(Outgoing::PartnerFollow {
        partner: partner.clone(),
        target: actor.clone(),
    });
    Ok(partner)
}

fn accept_their_follow(
    conn: &mut DbConnection,
    fx: &mut Effects,
    follow: &FollowRow,
    follower: &AccountRow,
) -> Result<(), AppError> {
    store::relations::set_follow_state(conn, follow.id, ACCEPTED, Utc::now().naive_utc())?;
    store::relations::delete_follow_notifications(conn, follow.target_account_id, follower.id)?;
    fx.send(Outgoing::AcceptFollow {
        follow: follow.clone(),
        follower: follower.clone(),
    });
    Ok(())
}

fn view(
    conn: &mut DbConnection,
    ours: &AccountRow,
    partner: PartnerRow,
    actor: AccountRow,
) -> Result<PartnerView, AppError> {
    let their_follow = store::relations::find_follow(conn, actor.id, ours.id)?.map(|f| f.state);
    Ok(PartnerView {
        partner,
        actor,
        their_follow,
    })
}

/// Ends a partnership or stops following a relay: `Undo` of our follow, and their follow of our
/// instance actor is removed (`Reject`), so neither side sends events any more.
pub async fn remove(state: &AppState, actor: AccountRow) -> Result<(), AppError> {
    let ours = instance_actor::ensure(state).await?;
    change(state, move |conn, fx| {
        let partner = store::partners::find_by_actor(conn, actor.id)?;
        let their = store::relations::find_follow(conn, actor.id, ours.id)?;
        if partner.is_none() && their.is_none() {
            return Err(AppError::NotFound);
        }
        if let Some(partner) = partner {
            store::partners::delete(conn, partner.id)?;
            fx.send(Outgoing::PartnerUndo {
                partner,
                target: actor.clone(),
            });
        }
        if let Some(their) = their {
            store::relations::delete_follow(conn, their.id)?;
            store::relations::delete_follow_notifications(conn, ours.id, actor.id)?;
            fx.send(Outgoing::RejectFollow {
                follow: their,
                follower: actor,
            });
        }
        Ok(())
    })
    .await
}

/// Partners (`relays == false`) or relays, with both directions' state.
pub async fn list(state: &AppState, relays: bool) -> Result<Vec<PartnerView>, AppError> {
    let ours = instance_actor::ensure(state).await?;
    state
        .db
        .run(move |conn| {
            let mut out = Vec::new();
            for (partner, actor) in store::partners::list(conn, relays)? {
                out.push(view(conn, &ours, partner, actor)?);
            }
            Ok(out)
        })
        .await
}

/// Instance actors that asked to follow ours and wait for an admin (not configured partners).
pub async fn requests(state: &AppState) -> Result<Vec<AccountRow>, AppError> {
    let ours = instance_actor::ensure(state).await?;
    state
        .db
        .run(move |conn| {
            let page = store::Page::first(200);
            let requests = store::relations::followers_page(conn, ours.id, PENDING, &page)?;
            Ok(requests.into_iter().map(|(_, account)| account).collect())
        })
        .await
}

/// How a remote actor's `Follow` of our instance actor is answered: accepted from an actor we
/// follow as partner or relay (or another actor of a partner instance), held for an admin
/// otherwise (`admin partner add` of that instance accepts it).
pub fn decide_instance_follow(
    conn: &mut DbConnection,
    follower: &AccountRow,
) -> Result<JoinDecision, AppError> {
    if let Some(partner) = store::partners::find_by_actor(conn, follower.id)? {
        return Ok(if partner.state == REJECTED {
            JoinDecision::Hold
        } else {
            JoinDecision::Accept
        });
    }
    if let Some(domain) = follower.domain.as_deref()
        && store::partners::find_instance_on(conn, &domain.to_lowercase())?.is_some()
    {
        return Ok(JoinDecision::Accept);
    }
    Ok(JoinDecision::Hold)
}

/// An `Accept` or `Reject` by `actor_id` of the follow `follow_ap_id`: `true` when it answered
/// one of our instance actor's follows (and was recorded).
pub fn receive_response(
    conn: &mut DbConnection,
    follow_ap_id: &str,
    actor_id: i64,
    accepted: bool,
) -> Result<bool, AppError> {
    let Some(partner) = store::partners::find_by_follow(conn, follow_ap_id)? else {
        return Ok(false);
    };
    if partner.actor_id != actor_id {
        return Err(AppError::Forbidden(
            "Only the followed actor may answer a follow".to_owned(),
        ));
    }
    let state = if accepted { ACCEPTED } else { REJECTED };
    store::partners::set_state(conn, partner.id, state, Utc::now().naive_utc())?;
    Ok(true)
}

/// Whether public events announced (or relayed) by this actor go into our directory: only from
/// partners and relays we follow and that accepted.
pub fn is_trusted_source(conn: &mut DbConnection, actor_id: i64) -> Result<bool, AppError> {
    Ok(store::partners::find_by_actor(conn, actor_id)?.is_some_and(|p| p.state == ACCEPTED))
}
