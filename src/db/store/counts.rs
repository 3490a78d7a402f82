//! Read-only counts: an account's followers, follows and posts, and the instance's statistics.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, max};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{accounts, follows, statuses, users};

/// What the Account entity counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccountCounts {
    pub followers: i64,
    pub following: i64,
    /// Posts and boosts, as Mastodon counts them.
    pub statuses: i64,
    pub last_status_at: Option<NaiveDateTime>,
}

/// The counts of several accounts in three queries; accounts without rows get zeros.
pub fn account_counts(
    conn: &mut DbConnection,
    account_ids: &[i64],
) -> QueryResult<HashMap<i64, AccountCounts>> {
    let mut out: HashMap<i64, AccountCounts> = account_ids
        .iter()
        .map(|id| (*id, AccountCounts::default()))
        .collect();
    if account_ids.is_empty() {
        return Ok(out);
    }
    let followers: Vec<(i64, i64)> = follows::table
        .filter(follows::target_account_id.eq_any(account_ids))
        .filter(follows::state.eq("accepted"))
        .group_by(follows::target_account_id)
        .select((follows::target_account_id, count_star()))
        .load(conn)?;
    for (id, n) in followers {
        out.entry(id).or_default().followers = n;
    }
    let following: Vec<(i64, i64)> = follows::table
        .filter(follows::account_id.eq_any(account_ids))
        .filter(follows::state.eq("accepted"))
        .group_by(follows::account_id)
        .select((follows::account_id, count_star()))
        .load(conn)?;
    for (id, n) in following {
        out.entry(id).or_default().following = n;
    }
    let posts: Vec<(i64, i64, Option<NaiveDateTime>)> = statuses::table
        .filter(statuses::account_id.eq_any(account_ids))
        .group_by(statuses::account_id)
        .select((
            statuses::account_id,
            count_star(),
            max(statuses::created_at),
        ))
        .load(conn)?;
    for (id, n, last) in posts {
        let entry = out.entry(id).or_default();
        entry.statuses = n;
        entry.last_status_at = last;
    }
    Ok(out)
}

/// Pending follow requests addressed to an account.
pub fn follow_requests(conn: &mut DbConnection, account_id: i64) -> QueryResult<i64> {
    follows::table
        .filter(follows::target_account_id.eq(account_id))
        .filter(follows::state.eq("pending"))
        .select(count_star())
        .first(conn)
}

/// The instance's statistics for the instance entity.
#[derive(Debug, Clone, Copy, Default)]
pub struct InstanceStats {
    pub users: i64,
    pub local_statuses: i64,
    /// Other instances we know accounts of.
    pub domains: i64,
}

pub fn instance_stats(conn: &mut DbConnection) -> QueryResult<InstanceStats> {
    let users = users::table
        .filter(users::disabled.eq(false))
        .select(count_star())
        .first(conn)?;
    let local_statuses = statuses::table
        .filter(statuses::local.eq(true))
        .filter(statuses::reblog_of_id.is_null())
        .select(count_star())
        .first(conn)?;
    let domains = known_domains(conn)?.len() as i64;
    Ok(InstanceStats {
        users,
        local_statuses,
        domains,
    })
}

/// The domains of the remote accounts we know, sorted.
pub fn known_domains(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    let mut domains: Vec<String> = accounts::table
        .filter(accounts::domain.is_not_null())
        .select(accounts::domain.assume_not_null())
        .distinct()
        .load(conn)?;
    domains.sort();
    Ok(domains)
}
