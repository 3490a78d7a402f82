//! A group's people as the groups API lists them (members with their roles, join requests,
//! bans), a viewer's standing in many groups at once, and the owner deleting a group.

use chrono::Utc;

use crate::db::models::{AccountRow, GroupRow};
use crate::db::{DbConnection, store};
use crate::domain::effects::Outgoing;
use crate::domain::groups::{self, MODERATOR, OWNER, Standing};
use crate::domain::paging::Page;
use crate::domain::{change, follows};
use crate::error::AppError;
use crate::state::AppState;

/// A member's role as pl-fe names it: `owner`, `admin` (our moderators) or `user`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Owner,
    Admin,
    User,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::User => "user",
        }
    }

    /// Reads a role parameter: Rebased's and pl-fe's names, and ours (`moderator`, `member`).
    pub fn parse(text: &str) -> Result<Role, AppError> {
        match text.trim() {
            "owner" => Ok(Role::Owner),
            "admin" | "moderator" => Ok(Role::Admin),
            "user" | "member" => Ok(Role::User),
            other => Err(AppError::Unprocessable(format!(
                "Validation failed: \"{other}\" is not a group role; use owner, admin or user"
            ))),
        }
    }

    fn of_stored(role: Option<&str>) -> Role {
        match role {
            Some(OWNER) => Role::Owner,
            Some(MODERATOR) => Role::Admin,
            _ => Role::User,
        }
    }

    pub fn of_standing(standing: &Standing) -> Role {
        if standing.owner {
            Role::Owner
        } else if standing.moderator {
            Role::Admin
        } else {
            Role::User
        }
    }
}

/// One member with their role; `cursor` is the membership (follow) id, for paging.
#[derive(Debug, Clone)]
pub struct Member {
    pub account: AccountRow,
    pub role: Role,
    pub cursor: i64,
}

/// A group as the API shows it: its account, its settings, counts and owner.
#[derive(Debug, Clone)]
pub struct GroupInfo {
    pub account: AccountRow,
    pub group: GroupRow,
    pub members: i64,
    pub owner: Option<i64>,
}

/// The group behind account `id` (local or remote); `NotFound` for other accounts and for
/// deleted groups.
pub fn info(conn: &mut DbConnection, id: i64) -> Result<GroupInfo, AppError> {
    let account = store::accounts::find_by_id(conn, id)?
        .filter(|a| a.actor_type == "Group" && a.suspended_at.is_none())
        .ok_or(AppError::NotFound)?;
    let group = store::groups::find(conn, id)?.ok_or(AppError::NotFound)?;
    let members = store::groups::count_members(conn, id)?;
    let owner = store::groups::staff(conn, id)?
        .into_iter()
        .find(|(role, _)| role.role == OWNER)
        .map(|(role, _)| role.account_id);
    Ok(GroupInfo {
        account,
        group,
        members,
        owner,
    })
}

/// A group's members, newest first, optionally only those of one role. Members-only groups
/// list their members to members and moderators only.
pub fn members(
    conn: &mut DbConnection,
    viewer: Option<i64>,
    group_id: i64,
    role: Option<Role>,
    page: &Page,
) -> Result<Vec<Member>, AppError> {
    let group = info(conn, group_id)?;
    if group.group.members_only {
        let standing = match viewer {
            Some(viewer) => groups::standing(conn, group_id, viewer)?,
            None => Standing::default(),
        };
        if !standing.member && !standing.moderator {
            return Err(AppError::Forbidden(
                "Only members may see who belongs to this group".to_owned(),
            ));
        }
    }
    let staff = store::groups::staff(conn, group_id)?;
    let role_of = |account: i64| {
        Role::of_stored(
            staff
                .iter()
                .find(|(r, _)| r.account_id == account)
                .map(|(r, _)| r.role.as_str()),
        )
    };
    let rows = store::relations::followers_page(conn, group_id, follows::ACCEPTED, page)?;
    Ok(rows
        .into_iter()
        .map(|(follow, account)| Member {
            role: role_of(account.id),
            cursor: follow.id,
            account,
        })
        .filter(|m| role.is_none_or(|r| r == m.role))
        .collect())
}

/// Pending join requests, newest first (moderators only).
pub fn requests(
    conn: &mut DbConnection,
    moderator: i64,
    group_id: i64,
    page: &Page,
) -> Result<Vec<(i64, AccountRow)>, AppError> {
    groups::local_group(conn, group_id)?;
    require_staff(conn, group_id, moderator)?;
    Ok(
        store::relations::followers_page(conn, group_id, follows::PENDING, page)?
            .into_iter()
            .map(|(follow, account)| (follow.id, account))
            .collect(),
    )
}

/// Banned accounts, newest ban first (moderators only).
pub fn bans(
    conn: &mut DbConnection,
    moderator: i64,
    group_id: i64,
) -> Result<Vec<AccountRow>, AppError> {
    groups::local_group(conn, group_id)?;
    require_staff(conn, group_id, moderator)?;
    Ok(store::groups::bans(conn, group_id)?
        .into_iter()
        .map(|(_, account)| account)
        .collect())
}

fn require_staff(conn: &mut DbConnection, group_id: i64, account: i64) -> Result<(), AppError> {
    if groups::is_staff(conn, group_id, account)? {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Only the group's moderators may do this".to_owned(),
        ))
    }
}

/// The viewer's standing in each group of `ids` that exists, in order.
pub fn standings(
    conn: &mut DbConnection,
    viewer: i64,
    ids: &[i64],
) -> Result<Vec<(i64, Standing)>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        if info(conn, id).is_ok() {
            out.push((id, groups::standing(conn, id, viewer)?));
        }
    }
    Ok(out)
}

/// A member leaves; the owner cannot (the group would have nobody to run it).
pub async fn leave(state: &AppState, member: i64, group_id: i64) -> Result<(), AppError> {
    let is_owner = state
        .db
        .run(move |conn| {
            info(conn, group_id)?;
            Ok(store::groups::role(conn, group_id, member)?.as_deref() == Some(OWNER))
        })
        .await?;
    if is_owner {
        return Err(AppError::Unprocessable(
            "The owner cannot leave the group; delete it instead".to_owned(),
        ));
    }
    follows::unfollow(state, member, group_id).await
}

/// The owner deletes a local group: its members are let go, the actor is taken out of service
/// (its row and key stay, to sign its own `Delete`), and every server that had members is sent
/// `Delete` of the actor.
pub async fn delete_group(state: &AppState, owner: i64, group_id: i64) -> Result<(), AppError> {
    change(state, move |conn, fx| {
        groups::local_group(conn, group_id)?;
        info(conn, group_id)?;
        if store::groups::role(conn, group_id, owner)?.as_deref() != Some(OWNER) {
            return Err(AppError::Forbidden(
                "Only the group's owner may delete it".to_owned(),
            ));
        }
        let inboxes = store::relations::remote_follower_inboxes(conn, group_id)?;
        for state in [follows::ACCEPTED, follows::PENDING] {
            loop {
                let batch =
                    store::relations::followers_page(conn, group_id, state, &Page::first(200))?;
                if batch.is_empty() {
                    break;
                }
                for (follow, _) in batch {
                    follows::receive_end(conn, &follow)?;
                }
            }
        }
        store::accounts::mark_suspended(conn, group_id, Utc::now().naive_utc())?;
        groups::log(conn, group_id, Some(owner), "delete_group", None, None, "")?;
        fx.send(Outgoing::DeleteActor {
            account_id: group_id,
            inboxes,
        });
        Ok(())
    })
    .await
}
