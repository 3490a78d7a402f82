//! Queries on `federation_partners`: the instance actors and relays our instance actor follows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::{AccountRow, PartnerRow};
use crate::db::schema::{accounts, activities, federation_partners};

/// Records a partner or relay we are about to follow (`state` is `pending` until it answers).
pub fn insert(
    conn: &mut DbConnection,
    id: i64,
    actor_id: i64,
    kind: &str,
    follow_ap_id: &str,
    now: NaiveDateTime,
) -> QueryResult<PartnerRow> {
    diesel::insert_into(federation_partners::table)
        .values((
            federation_partners::id.eq(id),
            federation_partners::actor_id.eq(actor_id),
            federation_partners::kind.eq(kind),
            federation_partners::state.eq("pending"),
            federation_partners::follow_ap_id.eq(follow_ap_id),
            federation_partners::created_at.eq(now),
            federation_partners::updated_at.eq(now),
        ))
        .execute(conn)?;
    federation_partners::table
        .find(id)
        .select(PartnerRow::as_select())
        .first(conn)
}

pub fn find_by_actor(conn: &mut DbConnection, actor_id: i64) -> QueryResult<Option<PartnerRow>> {
    federation_partners::table
        .filter(federation_partners::actor_id.eq(actor_id))
        .select(PartnerRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_follow(
    conn: &mut DbConnection,
    follow_ap_id: &str,
) -> QueryResult<Option<PartnerRow>> {
    federation_partners::table
        .filter(federation_partners::follow_ap_id.eq(follow_ap_id))
        .select(PartnerRow::as_select())
        .first(conn)
        .optional()
}

/// Partners (kind `instance`) whose actor lives on `domain` (`host[:port]`, lower case).
pub fn find_instance_on(conn: &mut DbConnection, domain: &str) -> QueryResult<Option<PartnerRow>> {
    federation_partners::table
        .inner_join(accounts::table.on(accounts::id.eq(federation_partners::actor_id)))
        .filter(federation_partners::kind.eq("instance"))
        .filter(accounts::domain.eq(domain))
        .select(PartnerRow::as_select())
        .first(conn)
        .optional()
}

pub fn set_state(
    conn: &mut DbConnection,
    id: i64,
    state: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(federation_partners::table.find(id))
        .set((
            federation_partners::state.eq(state),
            federation_partners::updated_at.eq(now),
        ))
        .execute(conn)
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(federation_partners::table.find(id)).execute(conn)
}

/// Every partner and relay with its actor, oldest first; `relays` picks relays or instances.
pub fn list(conn: &mut DbConnection, relays: bool) -> QueryResult<Vec<(PartnerRow, AccountRow)>> {
    let query = federation_partners::table
        .inner_join(accounts::table.on(accounts::id.eq(federation_partners::actor_id)))
        .order(federation_partners::id.asc())
        .select((PartnerRow::as_select(), AccountRow::as_select()))
        .into_boxed();
    if relays {
        query
            .filter(federation_partners::kind.ne("instance"))
            .load(conn)
    } else {
        query
            .filter(federation_partners::kind.eq("instance"))
            .load(conn)
    }
}

/// The accepted partners and relays of one kind, with their actors.
pub fn accepted_of_kind(
    conn: &mut DbConnection,
    kind: &str,
) -> QueryResult<Vec<(PartnerRow, AccountRow)>> {
    federation_partners::table
        .inner_join(accounts::table.on(accounts::id.eq(federation_partners::actor_id)))
        .filter(federation_partners::kind.eq(kind))
        .filter(federation_partners::state.eq("accepted"))
        .order(federation_partners::id.asc())
        .select((PartnerRow::as_select(), AccountRow::as_select()))
        .load(conn)
}

/// A stored actor whose inbox is `inbox` (a Mastodon relay is named by its inbox).
pub fn find_actor_by_inbox(
    conn: &mut DbConnection,
    inbox: &str,
) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .filter(accounts::inbox_url.eq(inbox))
        .select(AccountRow::as_select())
        .first(conn)
        .optional()
}

/// The body of the `Create` we sent of `object_ap_id`, if any.
pub fn public_create_of(
    conn: &mut DbConnection,
    object_ap_id: &str,
) -> QueryResult<Option<String>> {
    activities::table
        .filter(activities::object_ap_id.eq(object_ap_id))
        .filter(activities::kind.eq("Create"))
        .select(activities::body)
        .first(conn)
        .optional()
}
