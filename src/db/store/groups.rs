//! Queries on groups: settings, roles, bans, invites, the moderation log and reports.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::{
    AccountRow, GroupBanRow, GroupInviteRow, GroupReportRow, GroupRoleRow, GroupRow,
    ModerationLogRow,
};
use crate::db::schema::{
    accounts, follows, group_bans, group_invites, group_moderation_log, group_reports, group_roles,
    groups,
};
use crate::db::store::{Backend, Page};

pub fn insert(conn: &mut DbConnection, row: &GroupRow) -> QueryResult<usize> {
    diesel::insert_into(groups::table).values(row).execute(conn)
}

pub fn find(conn: &mut DbConnection, account_id: i64) -> QueryResult<Option<GroupRow>> {
    groups::table
        .find(account_id)
        .select(GroupRow::as_select())
        .first(conn)
        .optional()
}

pub fn update_settings(
    conn: &mut DbConnection,
    account_id: i64,
    rules: &str,
    topics: &str,
    members_only: bool,
    join_policy: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(groups::table.find(account_id))
        .set((
            groups::rules.eq(rules),
            groups::topics.eq(topics),
            groups::members_only.eq(members_only),
            groups::join_policy.eq(join_policy),
            groups::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Groups a member belongs to (accepted follows of group accounts), newest first.
pub fn groups_of(conn: &mut DbConnection, member_id: i64) -> QueryResult<Vec<AccountRow>> {
    follows::table
        .inner_join(accounts::table.on(accounts::id.eq(follows::target_account_id)))
        .filter(follows::account_id.eq(member_id))
        .filter(follows::state.eq("accepted"))
        .filter(accounts::actor_type.eq("Group"))
        .order(follows::id.desc())
        .select(AccountRow::as_select())
        .load(conn)
}

/// Local groups, for the directory, newest first.
pub fn local_groups(conn: &mut DbConnection, page: &Page) -> QueryResult<Vec<AccountRow>> {
    let mut query = accounts::table
        .inner_join(groups::table.on(groups::account_id.eq(accounts::id)))
        .filter(groups::local.eq(true))
        .filter(accounts::suspended_at.is_null())
        .select(AccountRow::as_select())
        .into_boxed::<Backend>();
    if let Some(max) = page.max_id {
        query = query.filter(accounts::id.lt(max));
    }
    query
        .order(accounts::id.desc())
        .limit(page.limit)
        .load(conn)
}

pub fn role(
    conn: &mut DbConnection,
    group_id: i64,
    account_id: i64,
) -> QueryResult<Option<String>> {
    group_roles::table
        .filter(group_roles::group_id.eq(group_id))
        .filter(group_roles::account_id.eq(account_id))
        .select(group_roles::role)
        .first(conn)
        .optional()
}

pub fn set_role(conn: &mut DbConnection, row: &GroupRoleRow) -> QueryResult<()> {
    remove_role(conn, row.group_id, row.account_id)?;
    diesel::insert_into(group_roles::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn remove_role(conn: &mut DbConnection, group_id: i64, account_id: i64) -> QueryResult<usize> {
    diesel::delete(
        group_roles::table
            .filter(group_roles::group_id.eq(group_id))
            .filter(group_roles::account_id.eq(account_id)),
    )
    .execute(conn)
}

/// Owners and moderators with their accounts.
pub fn staff(
    conn: &mut DbConnection,
    group_id: i64,
) -> QueryResult<Vec<(GroupRoleRow, AccountRow)>> {
    group_roles::table
        .inner_join(accounts::table.on(accounts::id.eq(group_roles::account_id)))
        .filter(group_roles::group_id.eq(group_id))
        .order(group_roles::created_at.asc())
        .select((GroupRoleRow::as_select(), AccountRow::as_select()))
        .load(conn)
}

pub fn find_ban(
    conn: &mut DbConnection,
    group_id: i64,
    account_id: i64,
) -> QueryResult<Option<GroupBanRow>> {
    group_bans::table
        .filter(group_bans::group_id.eq(group_id))
        .filter(group_bans::account_id.eq(account_id))
        .select(GroupBanRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_ban(conn: &mut DbConnection, row: &GroupBanRow) -> QueryResult<()> {
    delete_ban(conn, row.group_id, row.account_id)?;
    diesel::insert_into(group_bans::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn delete_ban(conn: &mut DbConnection, group_id: i64, account_id: i64) -> QueryResult<usize> {
    diesel::delete(
        group_bans::table
            .filter(group_bans::group_id.eq(group_id))
            .filter(group_bans::account_id.eq(account_id)),
    )
    .execute(conn)
}

pub fn bans(conn: &mut DbConnection, group_id: i64) -> QueryResult<Vec<(GroupBanRow, AccountRow)>> {
    group_bans::table
        .inner_join(accounts::table.on(accounts::id.eq(group_bans::account_id)))
        .filter(group_bans::group_id.eq(group_id))
        .order(group_bans::created_at.desc())
        .select((GroupBanRow::as_select(), AccountRow::as_select()))
        .load(conn)
}

pub fn find_invite(
    conn: &mut DbConnection,
    group_id: i64,
    account_id: i64,
) -> QueryResult<Option<GroupInviteRow>> {
    group_invites::table
        .filter(group_invites::group_id.eq(group_id))
        .filter(group_invites::account_id.eq(account_id))
        .select(GroupInviteRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_invite(conn: &mut DbConnection, row: &GroupInviteRow) -> QueryResult<()> {
    if find_invite(conn, row.group_id, row.account_id)?.is_none() {
        diesel::insert_into(group_invites::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn log(conn: &mut DbConnection, row: &ModerationLogRow) -> QueryResult<usize> {
    diesel::insert_into(group_moderation_log::table)
        .values(row)
        .execute(conn)
}

pub fn log_of(
    conn: &mut DbConnection,
    group_id: i64,
    limit: i64,
) -> QueryResult<Vec<ModerationLogRow>> {
    group_moderation_log::table
        .filter(group_moderation_log::group_id.eq(group_id))
        .order(group_moderation_log::id.desc())
        .limit(limit)
        .select(ModerationLogRow::as_select())
        .load(conn)
}

pub fn insert_report(conn: &mut DbConnection, row: &GroupReportRow) -> QueryResult<usize> {
    diesel::insert_into(group_reports::table)
        .values(row)
        .execute(conn)
}

pub fn open_reports(conn: &mut DbConnection, group_id: i64) -> QueryResult<Vec<GroupReportRow>> {
    group_reports::table
        .filter(group_reports::group_id.eq(group_id))
        .filter(group_reports::resolved_at.is_null())
        .order(group_reports::id.desc())
        .select(GroupReportRow::as_select())
        .load(conn)
}

pub fn resolve_report(
    conn: &mut DbConnection,
    group_id: i64,
    id: i64,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        group_reports::table
            .filter(group_reports::group_id.eq(group_id))
            .filter(group_reports::id.eq(id)),
    )
    .set((
        group_reports::resolved_at.eq(Some(now)),
        group_reports::resolved_by.eq(Some(by)),
    ))
    .execute(conn)
}

pub fn count_members(conn: &mut DbConnection, group_id: i64) -> QueryResult<i64> {
    follows::table
        .filter(follows::target_account_id.eq(group_id))
        .filter(follows::state.eq("accepted"))
        .select(count_star())
        .first(conn)
}
