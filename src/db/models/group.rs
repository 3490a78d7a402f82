//! Group rows: settings, roles, bans, invites, the moderation log and reports.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{
    group_bans, group_invites, group_moderation_log, group_reports, group_roles, groups,
};

/// What only groups have; the group itself is an account with `actor_type = 'Group'`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = groups, primary_key(account_id))]
pub struct GroupRow {
    pub account_id: i64,
    pub local: bool,
    /// Plain text, one rule per line.
    pub rules: String,
    /// JSON array of topic tags.
    pub topics: String,
    /// Posts reach members only and are served only to them.
    pub members_only: bool,
    /// `open`, `approval` or `invite`.
    pub join_policy: String,
    pub moderators_url: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = group_roles)]
pub struct GroupRoleRow {
    pub group_id: i64,
    pub account_id: i64,
    /// `owner` or `moderator`.
    pub role: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = group_bans)]
pub struct GroupBanRow {
    pub group_id: i64,
    pub account_id: i64,
    pub reason: String,
    pub banned_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = group_invites)]
pub struct GroupInviteRow {
    pub group_id: i64,
    pub account_id: i64,
    pub invited_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = group_moderation_log)]
pub struct ModerationLogRow {
    pub id: i64,
    pub group_id: i64,
    pub actor_id: Option<i64>,
    pub action: String,
    pub target_account_id: Option<i64>,
    pub target_status_ap_id: Option<String>,
    pub reason: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = group_reports)]
pub struct GroupReportRow {
    pub id: i64,
    pub group_id: i64,
    pub reporter_id: Option<i64>,
    pub status_id: Option<i64>,
    pub target_account_id: Option<i64>,
    pub comment: String,
    pub ap_id: Option<String>,
    pub resolved_at: Option<NaiveDateTime>,
    pub resolved_by: Option<i64>,
    pub created_at: NaiveDateTime,
}
