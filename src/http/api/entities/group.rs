//! The Group, GroupRelationship and GroupMember entities of the groups API, in the shapes
//! Rebased answers and pl-api (`packages/pl-api/lib/entities/group*.ts`) reads.

use serde::Serialize;

use crate::domain::group_members::{GroupInfo, Role};
use crate::domain::groups::Standing;
use crate::domain::html;
use crate::domain::profiles::AccountView;
use crate::domain::urls::Urls;
use crate::http::api::entities::Account;
use crate::http::api::entities::time;

/// `owner` of a Group: only its id, as Rebased sends it.
#[derive(Debug, Clone, Serialize)]
pub struct GroupOwner {
    pub id: String,
}

/// What a moderator edits, in plain text.
#[derive(Debug, Clone, Serialize)]
pub struct GroupSource {
    pub note: String,
    pub rules: String,
    pub topics: Vec<String>,
}

/// The Group entity.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: String,
    /// The handle, as `username` of the group's account.
    pub slug: String,
    /// `slug` here, `slug@domain` for a group on another server.
    pub acct: String,
    pub display_name: String,
    pub note: String,
    pub avatar: String,
    pub avatar_static: String,
    pub avatar_description: String,
    pub header: String,
    pub header_static: String,
    pub header_description: String,
    pub created_at: String,
    /// Joining needs a moderator's approval or an invitation.
    pub locked: bool,
    /// Only members may post (always, here).
    pub membership_required: bool,
    pub members_count: i64,
    pub owner: Option<GroupOwner>,
    /// `public`, or `members_only` when posts are for members.
    pub statuses_visibility: &'static str,
    /// `everyone`, or `members_only` when the group is left out of the directory.
    pub group_visibility: &'static str,
    pub url: String,
    pub uri: String,
    /// The group's server.
    pub domain: String,
    pub emojis: Vec<serde_json::Value>,
    pub source: GroupSource,
    /// `open`, `approval` or `invite` (ours; `locked` is what pl-fe reads).
    pub join_policy: String,
    pub relationship: Option<GroupRelationship>,
}

impl Group {
    /// Renders a group; `relationship` is the viewer's standing in it, when there is a viewer.
    pub fn new(
        urls: &Urls,
        info: &GroupInfo,
        view: &AccountView,
        relationship: Option<&Standing>,
    ) -> Group {
        let a = &info.account;
        let domain = a.domain.clone().unwrap_or_else(|| urls.domain());
        let acct = match &a.domain {
            None => a.username.clone(),
            Some(domain) => format!("{}@{domain}", a.username),
        };
        let avatar = view.avatar_url(urls).to_string();
        let header = view.header_url(urls).to_string();
        let members_only = info.group.members_only;
        Group {
            id: a.id.to_string(),
            slug: a.username.clone(),
            acct,
            display_name: a.display_name.clone(),
            note: a.note.clone(),
            avatar_static: avatar.clone(),
            avatar,
            avatar_description: String::new(),
            header_static: header.clone(),
            header,
            header_description: String::new(),
            created_at: time::timestamp(info.group.created_at),
            locked: a.locked,
            membership_required: true,
            members_count: if a.is_local() {
                info.members
            } else {
                view.counts.followers.max(info.members)
            },
            owner: info.owner.map(|id| GroupOwner { id: id.to_string() }),
            statuses_visibility: if members_only {
                "members_only"
            } else {
                "public"
            },
            group_visibility: if members_only {
                "members_only"
            } else {
                "everyone"
            },
            url: a.url.clone().unwrap_or_else(|| a.ap_id.clone()),
            uri: a.ap_id.clone(),
            domain,
            emojis: Vec::new(),
            source: GroupSource {
                note: html::to_plain_text(&a.note),
                rules: info.group.rules.clone(),
                topics: serde_json::from_str(&info.group.topics).unwrap_or_default(),
            },
            join_policy: info.group.join_policy.clone(),
            relationship: relationship.map(|s| GroupRelationship::new(a.id, s)),
        }
    }
}

/// The viewer's standing in one group: Rebased's booleans and pl-api's `role`.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRelationship {
    pub id: String,
    pub member: bool,
    pub requested: bool,
    /// `owner`, `admin` or `user` (pl-api).
    pub role: &'static str,
    pub owner: bool,
    /// A moderator (Rebased's name).
    pub admin: bool,
    pub moderator: bool,
    /// Ours: banned from the group.
    pub blocked_by: bool,
}

impl GroupRelationship {
    pub fn new(group_id: i64, standing: &Standing) -> GroupRelationship {
        let role = Role::of_standing(standing);
        GroupRelationship {
            id: group_id.to_string(),
            member: standing.member,
            requested: standing.requested,
            role: role.as_str(),
            owner: standing.owner,
            admin: standing.moderator,
            moderator: standing.moderator,
            blocked_by: standing.banned,
        }
    }
}

/// A member with their role.
#[derive(Debug, Clone, Serialize)]
pub struct GroupMember {
    /// The member's account id.
    pub id: String,
    pub account: Account,
    /// `owner`, `admin` or `user`.
    pub role: &'static str,
}
