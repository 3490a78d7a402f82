//! Read-only counts: an account's followers, follows and posts, and the instance's statistics.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{account_stats, accounts, follows, statuses, users};

/// What the Account entity counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccountCounts {
    pub followers: i64,
    pub following: i64,
    /// Posts and boosts, as Mastodon counts them.
    pub statuses: i64,
    pub last_status_at: Option<NaiveDateTime>,
}

/// The counts of several accounts, from `account_stats` (kept by triggers); accounts without a
/// row get zeros.
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
    let rows: Vec<(i64, i64, i64, i64, Option<NaiveDateTime>)> = account_stats::table
        .filter(account_stats::account_id.eq_any(account_ids))
        .select((
            account_stats::account_id,
            account_stats::followers_count,
            account_stats::following_count,
            account_stats::statuses_count,
            account_stats::last_status_at,
        ))
        .load(conn)?;
    for (id, followers, following, statuses, last_status_at) in rows {
        out.insert(
            id,
            AccountCounts {
                followers,
                following,
                statuses,
                last_status_at,
            },
        );
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
