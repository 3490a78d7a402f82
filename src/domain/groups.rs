//! Groups (communities of practice, FEP-1b12): creation, membership by following, roles, bans,
//! invites, posts accepted into a group and announced to its members, and moderation.

use chrono::Utc;

use crate::db::models::{
    AccountRow, GroupBanRow, GroupInviteRow, GroupReportRow, GroupRoleRow, GroupRow,
    ModerationLogRow, NewAccount, StatusRow,
};
use crate::db::{DbConnection, ids, store};
use crate::domain::accounts::LocalUser;
use crate::domain::effects::{Effects, Outgoing};
use crate::domain::visibility::Visibility;
use crate::domain::{change, follows, interactions, keys, statuses};
use crate::error::AppError;
use crate::state::AppState;

pub const OPEN: &str = "open";
pub const APPROVAL: &str = "approval";
pub const INVITE: &str = "invite";

pub const OWNER: &str = "owner";
pub const MODERATOR: &str = "moderator";

/// What it takes to create a group.
#[derive(Debug, Clone, Default)]
pub struct NewGroup {
    /// The handle (`dx-study` in `@dx-study@city.example`).
    pub slug: String,
    pub display_name: String,
    pub note: String,
    pub rules: String,
    pub topics: Vec<String>,
    pub members_only: bool,
    /// `open`, `approval` or `invite`.
    pub join_policy: String,
}

/// What may change in a group's settings (`None` keeps the current value).
#[derive(Debug, Clone, Default)]
pub struct GroupChanges {
    pub display_name: Option<String>,
    pub note: Option<String>,
    pub rules: Option<String>,
    pub topics: Option<Vec<String>>,
    pub members_only: Option<bool>,
    pub join_policy: Option<String>,
}

/// A member's standing in a group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    pub member: bool,
    pub requested: bool,
    pub owner: bool,
    pub moderator: bool,
    pub banned: bool,
    pub invited: bool,
}

/// Group handles: letters, digits, `_`, and `-` or `.` between them (as remote user names may
/// have), 1 to 30 characters; they share the local user-name namespace.
pub fn validate_slug(slug: &str) -> Result<(), AppError> {
    let ok_chars = slug
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    let ok_ends = slug
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && slug
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    if slug.is_empty() || slug.chars().count() > 30 || !ok_chars || !ok_ends {
        return Err(AppError::Unprocessable(format!(
            "Validation failed: \"{slug}\" must be 1 to 30 letters, digits, '_', and '-' or '.' between them"
        )));
    }
    if crate::domain::accounts::validate_username(&slug.replace(['-', '.'], "_")).is_err()
        && !slug.contains(['-', '.'])
    {
        return Err(AppError::Unprocessable(format!(
            "Validation failed: \"{slug}\" is reserved"
        )));
    }
    Ok(())
}

fn validate_policy(policy: &str) -> Result<(), AppError> {
    if [OPEN, APPROVAL, INVITE].contains(&policy) {
        Ok(())
    } else {
        Err(AppError::Unprocessable(format!(
            "Validation failed: \"{policy}\" is not a join policy; use open, approval or invite"
        )))
    }
}

/// Creates a local group owned by `creator`.
pub async fn create(
    state: &AppState,
    creator: &LocalUser,
    new: NewGroup,
) -> Result<AccountRow, AppError> {
    let slug = new.slug.trim().to_owned();
    validate_slug(&slug)?;
    let policy = if new.join_policy.is_empty() {
        OPEN.to_owned()
    } else {
        new.join_policy.clone()
    };
    validate_policy(&policy)?;
    if new.display_name.chars().count() > 100
        || new.note.chars().count() > 2000
        || new.rules.chars().count() > 5000
    {
        return Err(AppError::Unprocessable(
            "Validation failed: the name, description or rules are too long".to_owned(),
        ));
    }
    let keys = tokio::task::spawn_blocking(keys::generate)
        .await
        .map_err(AppError::internal)??;
    let urls = state.urls.clone();
    let creator_id = creator.account.id;
    change(state, move |conn, _fx| {
        if store::accounts::local_username_taken(conn, &slug)? {
            return Err(AppError::Conflict(format!(
                "The handle \"{slug}\" is already taken."
            )));
        }
        let id = ids::next_id();
        let now = Utc::now().naive_utc();
        let actor = urls.actor(&slug);
        store::accounts::insert(
            conn,
            &NewAccount {
                id,
                username: slug.clone(),
                domain: None,
                actor_type: "Group".to_owned(),
                display_name: new.display_name.trim().to_owned(),
                note: crate::domain::text::plain_to_html(&new.note),
                ap_id: actor.to_string(),
                url: Some(urls.profile(&slug).to_string()),
                inbox_url: urls.actor_inbox(&slug).to_string(),
                shared_inbox_url: Some(urls.shared_inbox().to_string()),
                outbox_url: Some(urls.actor_outbox(&slug).to_string()),
                followers_url: Some(urls.actor_followers(&slug).to_string()),
                following_url: Some(urls.actor_following(&slug).to_string()),
                featured_url: Some(urls.actor_featured(&slug).to_string()),
                public_key_pem: keys.public_pem,
                private_key_pem: Some(keys.private_pem),
                locked: policy != OPEN,
                discoverable: !new.members_only,
                bot: false,
                fields: "[]".to_owned(),
                created_at: now,
                updated_at: now,
            },
        )?;
        store::groups::insert(
            conn,
            &GroupRow {
                account_id: id,
                local: true,
                rules: new.rules.trim().to_owned(),
                topics: serde_json::to_string(&new.topics).map_err(AppError::internal)?,
                members_only: new.members_only,
                join_policy: policy,
                moderators_url: Some(format!("{actor}/moderators")),
                created_by: Some(creator_id),
                created_at: now,
                updated_at: now,
            },
        )?;
        store::groups::set_role(
            conn,
            &GroupRoleRow {
                group_id: id,
                account_id: creator_id,
                role: OWNER.to_owned(),
                created_at: now,
            },
        )?;
        // The owner is the first member.
        store::relations::insert_follow(
            conn,
            &crate::db::models::FollowRow {
                id: ids::next_id(),
                account_id: creator_id,
                target_account_id: id,
                ap_id: None,
                state: follows::ACCEPTED.to_owned(),
                show_reblogs: true,
                notify: false,
                created_at: now,
                updated_at: now,
            },
        )?;
        log(conn, id, Some(creator_id), "create", None, None, "")?;
        store::accounts::find_by_id(conn, id)?.ok_or(AppError::NotFound)
    })
    .await
}

/// Changes a local group's settings (owner or moderator).
pub async fn update(
    state: &AppState,
    actor: i64,
    group_id: i64,
    changes: GroupChanges,
) -> Result<AccountRow, AppError> {
    if let Some(policy) = &changes.join_policy {
        validate_policy(policy)?;
    }
    change(state, move |conn, fx| {
        let group = local_group(conn, group_id)?;
        require_staff(conn, group_id, actor)?;
        let account = store::accounts::find_by_id(conn, group_id)?.ok_or(AppError::NotFound)?;
        let policy = changes
            .join_policy
            .clone()
            .unwrap_or(group.join_policy.clone());
        let members_only = changes.members_only.unwrap_or(group.members_only);
        let topics = match &changes.topics {
            Some(topics) => serde_json::to_string(topics).map_err(AppError::internal)?,
            None => group.topics.clone(),
        };
        let now = Utc::now().naive_utc();
        store::groups::update_settings(
            conn,
            group_id,
            changes.rules.as_deref().unwrap_or(&group.rules),
            &topics,
            members_only,
            &policy,
            now,
        )?;
        store::profiles::update_profile(
            conn,
            group_id,
            &store::profiles::ProfileChanges {
                display_name: changes
                    .display_name
                    .clone()
                    .unwrap_or(account.display_name.clone()),
                note: changes
                    .note
                    .as_deref()
                    .map(crate::domain::text::plain_to_html)
                    .unwrap_or(account.note.clone()),
                locked: policy != OPEN,
                bot: false,
                discoverable: !members_only,
                fields: account.fields.clone(),
                updated_at: now,
            },
        )?;
        log(conn, group_id, Some(actor), "update", None, None, "")?;
        fx.send(Outgoing::UpdateActor {
            account_id: group_id,
        });
        store::accounts::find_by_id(conn, group_id)?.ok_or(AppError::NotFound)
    })
    .await
}

/// The group row of a local group, or `NotFound`.
pub fn local_group(conn: &mut DbConnection, group_id: i64) -> Result<GroupRow, AppError> {
    store::groups::find(conn, group_id)?
        .filter(|g| g.local)
        .ok_or(AppError::NotFound)
}

/// Whether `account_id` is a moderator or the owner of the group.
pub fn is_staff(conn: &mut DbConnection, group_id: i64, account_id: i64) -> Result<bool, AppError> {
    Ok(store::groups::role(conn, group_id, account_id)?.is_some())
}

fn require_staff(conn: &mut DbConnection, group_id: i64, account_id: i64) -> Result<(), AppError> {
    if is_staff(conn, group_id, account_id)? {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Only the group's moderators may do this".to_owned(),
        ))
    }
}

/// Where an account stands in a group.
pub fn standing(
    conn: &mut DbConnection,
    group_id: i64,
    account_id: i64,
) -> Result<Standing, AppError> {
    let follow = store::relations::find_follow(conn, account_id, group_id)?;
    let role = store::groups::role(conn, group_id, account_id)?;
    Ok(Standing {
        member: follow.as_ref().is_some_and(|f| f.accepted()),
        requested: follow.as_ref().is_some_and(|f| !f.accepted()),
        owner: role.as_deref() == Some(OWNER),
        moderator: role.as_deref() == Some(MODERATOR) || role.as_deref() == Some(OWNER),
        banned: store::groups::find_ban(conn, group_id, account_id)?.is_some(),
        invited: store::groups::find_invite(conn, group_id, account_id)?.is_some(),
    })
}

/// How a local group answers someone who wants to join (follow) it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinDecision {
    Accept,
    /// Held for a moderator.
    Hold,
    Refuse,
}

/// The group's join policy applied to `account_id`: banned people are refused; open groups
/// accept; approval groups hold the request; invite-only groups accept the invited and refuse
/// others.
pub fn decide_join(
    conn: &mut DbConnection,
    group: &GroupRow,
    account_id: i64,
) -> Result<JoinDecision, AppError> {
    if store::groups::find_ban(conn, group.account_id, account_id)?.is_some() {
        return Ok(JoinDecision::Refuse);
    }
    Ok(match group.join_policy.as_str() {
        APPROVAL => JoinDecision::Hold,
        INVITE if store::groups::find_invite(conn, group.account_id, account_id)?.is_some() => {
            JoinDecision::Accept
        }
        INVITE => JoinDecision::Refuse,
        _ => JoinDecision::Accept,
    })
}

/// Records a moderation action.
pub fn log(
    conn: &mut DbConnection,
    group_id: i64,
    actor: Option<i64>,
    action: &str,
    target_account: Option<i64>,
    target_status: Option<&str>,
    reason: &str,
) -> Result<(), AppError> {
    store::groups::log(
        conn,
        &ModerationLogRow {
            id: ids::next_id(),
            group_id,
            actor_id: actor,
            action: action.to_owned(),
            target_account_id: target_account,
            target_status_ap_id: target_status.map(str::to_owned),
            reason: reason.chars().take(1000).collect(),
            created_at: Utc::now().naive_utc(),
        },
    )?;
    Ok(())
}

/// A moderator accepts a held join request.
pub async fn approve(
    state: &AppState,
    moderator: i64,
    group_id: i64,
    account_id: i64,
) -> Result<(), AppError> {
    {
        let check = state
            .db
            .run(move |conn| require_staff(conn, group_id, moderator))
            .await;
        check?;
    }
    follows::authorize(state, group_id, account_id).await?;
    state
        .db
        .run(move |conn| {
            log(
                conn,
                group_id,
                Some(moderator),
                "approve",
                Some(account_id),
                None,
                "",
            )
        })
        .await
}

/// A moderator refuses a join request or removes a member.
pub async fn remove_member(
    state: &AppState,
    moderator: i64,
    group_id: i64,
    account_id: i64,
    reason: &str,
) -> Result<(), AppError> {
    let check = state
        .db
        .run(move |conn| require_staff(conn, group_id, moderator))
        .await;
    check?;
    let was_member = state
        .db
        .run(move |conn| {
            Ok(store::relations::find_follow(conn, account_id, group_id)?
                .is_some_and(|f| f.accepted()))
        })
        .await?;
    follows::reject(state, group_id, account_id).await?;
    let reason = reason.to_owned();
    let action = if was_member { "kick" } else { "reject" };
    state
        .db
        .run(move |conn| {
            log(
                conn,
                group_id,
                Some(moderator),
                action,
                Some(account_id),
                None,
                &reason,
            )
        })
        .await
}

/// A moderator bans someone: membership ends, posts are refused, and a `Block` by the group
/// tells their server.
pub async fn ban(
    state: &AppState,
    moderator: i64,
    group_id: i64,
    account_id: i64,
    reason: &str,
) -> Result<(), AppError> {
    let reason = reason.to_owned();
    change(state, move |conn, fx| {
        local_group(conn, group_id)?;
        require_staff(conn, group_id, moderator)?;
        if is_staff(conn, group_id, account_id)?
            && store::groups::role(conn, group_id, moderator)?.as_deref() != Some(OWNER)
        {
            return Err(AppError::Forbidden(
                "Only the owner may ban a moderator".to_owned(),
            ));
        }
        let now = Utc::now().naive_utc();
        store::groups::insert_ban(
            conn,
            &GroupBanRow {
                group_id,
                account_id,
                reason: reason.clone(),
                banned_by: Some(moderator),
                created_at: now,
            },
        )?;
        store::groups::remove_role(conn, group_id, account_id)?;
        if let Some(follow) = store::relations::find_follow(conn, account_id, group_id)? {
            follows::receive_end(conn, &follow)?;
        }
        let target = store::accounts::find_by_id(conn, account_id)?.ok_or(AppError::NotFound)?;
        let group = store::accounts::find_by_id(conn, group_id)?.ok_or(AppError::NotFound)?;
        if !target.is_local() {
            let id = ids::next_id();
            fx.send(Outgoing::Block {
                block: crate::db::models::BlockRow {
                    id,
                    account_id: group_id,
                    target_account_id: account_id,
                    ap_id: Some(format!("{}#bans/{id}", group.ap_id)),
                    created_at: now,
                },
                target,
            });
        }
        log(
            conn,
            group_id,
            Some(moderator),
            "ban",
            Some(account_id),
            None,
            &reason,
        )
    })
    .await
}

pub async fn unban(
    state: &AppState,
    moderator: i64,
    group_id: i64,
    account_id: i64,
) -> Result<(), AppError> {
    state
        .db
        .transaction(move |conn| {
            require_staff(conn, group_id, moderator)?;
            store::groups::delete_ban(conn, group_id, account_id)?;
            log(
                conn,
                group_id,
                Some(moderator),
                "unban",
                Some(account_id),
                None,
                "",
            )
        })
        .await
}

/// A moderator invites someone (needed to join invite-only groups; it also lets them skip
/// approval).
pub async fn invite(
    state: &AppState,
    moderator: i64,
    group_id: i64,
    account_id: i64,
) -> Result<(), AppError> {
    state
        .db
        .transaction(move |conn| {
            local_group(conn, group_id)?;
            require_staff(conn, group_id, moderator)?;
            store::groups::insert_invite(
                conn,
                &GroupInviteRow {
                    group_id,
                    account_id,
                    invited_by: Some(moderator),
                    created_at: Utc::now().naive_utc(),
                },
            )?;
            log(
                conn,
                group_id,
                Some(moderator),
                "invite",
                Some(account_id),
                None,
                "",
            )
        })
        .await
}

/// The owner gives or takes the moderator role.
pub async fn set_moderator(
    state: &AppState,
    owner: i64,
    group_id: i64,
    account_id: i64,
    moderator: bool,
) -> Result<(), AppError> {
    state
        .db
        .transaction(move |conn| {
            local_group(conn, group_id)?;
            if store::groups::role(conn, group_id, owner)?.as_deref() != Some(OWNER) {
                return Err(AppError::Forbidden(
                    "Only the group's owner may change roles".to_owned(),
                ));
            }
            if account_id == owner {
                return Err(AppError::Unprocessable(
                    "The owner keeps the owner role".to_owned(),
                ));
            }
            if moderator {
                if !standing(conn, group_id, account_id)?.member {
                    return Err(AppError::Unprocessable(
                        "Only members can become moderators".to_owned(),
                    ));
                }
                store::groups::set_role(
                    conn,
                    &GroupRoleRow {
                        group_id,
                        account_id,
                        role: MODERATOR.to_owned(),
                        created_at: Utc::now().naive_utc(),
                    },
                )?;
                log(
                    conn,
                    group_id,
                    Some(owner),
                    "promote",
                    Some(account_id),
                    None,
                    "",
                )
            } else {
                store::groups::remove_role(conn, group_id, account_id)?;
                log(
                    conn,
                    group_id,
                    Some(owner),
                    "demote",
                    Some(account_id),
                    None,
                    "",
                )
            }
        })
        .await
}

/// How a post reaches a group.
#[derive(Debug, Clone)]
pub struct GroupTarget {
    pub group: GroupRow,
    /// The post names the group (an explicit post into it), rather than only replying in one of
    /// its threads.
    pub mentioned: bool,
}

/// The group a post goes to: a group it mentions, or the group of the thread it replies in.
pub fn target_group(
    conn: &mut DbConnection,
    parent: Option<&StatusRow>,
    mentioned: &[i64],
) -> Result<Option<GroupTarget>, AppError> {
    for account in store::accounts::find_many(conn, mentioned)? {
        if account.actor_type == "Group"
            && let Some(group) = store::groups::find(conn, account.id)?
        {
            return Ok(Some(GroupTarget {
                group,
                mentioned: true,
            }));
        }
    }
    if let Some(group_id) = parent.and_then(|p| p.group_id)
        && let Some(group) = store::groups::find(conn, group_id)?
    {
        return Ok(Some(GroupTarget {
            group,
            mentioned: false,
        }));
    }
    Ok(None)
}

/// Why a post was not taken into a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotMember,
    Banned,
    Locked,
}

/// Takes a post into a local group (FEP-1b12): the author must be a member and not banned, the
/// thread not locked. The group then boosts it to its members (a plain `Announce(Note)`, which
/// Mastodon shows as a boost by the group) and relays the original activity (`Announce(Create)`)
/// for FEP-1b12 software.
pub fn accept_post(
    conn: &mut DbConnection,
    fx: &mut Effects,
    group: &GroupRow,
    status: &StatusRow,
    original_activity: Option<serde_json::Value>,
) -> Result<Result<StatusRow, Refusal>, AppError> {
    let standing = standing(conn, group.account_id, status.account_id)?;
    if standing.banned {
        return Ok(Err(Refusal::Banned));
    }
    if !standing.member && !standing.moderator {
        return Ok(Err(Refusal::NotMember));
    }
    if let Some(parent) = status.in_reply_to_id {
        let mut cursor = store::statuses::find(conn, parent)?;
        while let Some(ancestor) = cursor {
            if ancestor.locked {
                return Ok(Err(Refusal::Locked));
            }
            cursor = match ancestor.in_reply_to_id {
                Some(id) => store::statuses::find(conn, id)?,
                None => None,
            };
        }
    }
    store::statuses::set_group(conn, status.id, group.account_id)?;
    let status = store::statuses::find(conn, status.id)?.ok_or(AppError::NotFound)?;
    if store::statuses::find_reblog(conn, group.account_id, status.id)?.is_none() {
        let group_account =
            store::accounts::find_by_id(conn, group.account_id)?.ok_or(AppError::NotFound)?;
        let visibility = if group.members_only {
            Visibility::Private
        } else {
            Visibility::of(&status)
        };
        let visibility = if visibility == Visibility::Direct {
            Visibility::Private
        } else {
            visibility
        };
        let id = ids::next_id();
        let ap_id = interactions::boost_ap_id_for(&group_account.ap_id, id);
        interactions::add_reblog(conn, fx, group.account_id, &status, id, ap_id, visibility)?;
    }
    fx.send(Outgoing::GroupRelay {
        group_id: group.account_id,
        status_id: status.id,
        activity: original_activity,
    });
    Ok(Ok(status))
}

/// A moderator removes a post from the group everywhere: deleted here, the deletion announced
/// to the members' servers, the group's boost undone for Mastodon followers.
pub async fn delete_post(
    state: &AppState,
    moderator: i64,
    group_id: i64,
    status_id: i64,
    reason: &str,
) -> Result<(), AppError> {
    let reason = reason.to_owned();
    change(state, move |conn, fx| {
        local_group(conn, group_id)?;
        require_staff(conn, group_id, moderator)?;
        let status = store::statuses::find(conn, status_id)?.ok_or(AppError::NotFound)?;
        if status.group_id != Some(group_id) {
            return Err(AppError::NotFound);
        }
        let moderator_account =
            store::accounts::find_by_id(conn, moderator)?.ok_or(AppError::NotFound)?;
        let boost = store::statuses::find_reblog(conn, group_id, status.id)?;
        let inboxes = store::relations::remote_follower_inboxes(conn, group_id)?;
        log(
            conn,
            group_id,
            Some(moderator),
            "delete",
            Some(status.account_id),
            Some(&status.ap_id),
            &reason,
        )?;
        statuses::remove(conn, fx, &status)?;
        fx.send(Outgoing::GroupDelete {
            group_id,
            moderator: moderator_account,
            object_ap_id: status.ap_id.clone(),
            boost,
            inboxes,
        });
        Ok(())
    })
    .await
}

/// A moderator locks or unlocks a thread (no new replies are accepted into the group).
pub async fn set_locked(
    state: &AppState,
    moderator: i64,
    group_id: i64,
    status_id: i64,
    locked: bool,
) -> Result<StatusRow, AppError> {
    state
        .db
        .transaction(move |conn| {
            require_staff(conn, group_id, moderator)?;
            let status = store::statuses::find(conn, status_id)?.ok_or(AppError::NotFound)?;
            if status.group_id != Some(group_id) {
                return Err(AppError::NotFound);
            }
            store::statuses::set_locked(conn, status.id, locked)?;
            log(
                conn,
                group_id,
                Some(moderator),
                if locked { "lock" } else { "unlock" },
                None,
                Some(&status.ap_id),
                "",
            )?;
            store::statuses::find(conn, status.id)?.ok_or(AppError::NotFound)
        })
        .await
}

/// A moderator pins (or unpins) a group post to the group's featured collection.
pub async fn set_pinned(
    state: &AppState,
    moderator: i64,
    group_id: i64,
    status_id: i64,
    pinned: bool,
) -> Result<(), AppError> {
    state
        .db
        .transaction(move |conn| {
            require_staff(conn, group_id, moderator)?;
            let status = store::statuses::find(conn, status_id)?.ok_or(AppError::NotFound)?;
            if status.group_id != Some(group_id) {
                return Err(AppError::NotFound);
            }
            if pinned {
                if !store::relations::pinned_of(conn, group_id)?
                    .iter()
                    .any(|p| p.id == status.id)
                {
                    store::relations::insert_pin(
                        conn,
                        &crate::db::models::PinRow {
                            id: ids::next_id(),
                            account_id: group_id,
                            status_id: status.id,
                            created_at: Utc::now().naive_utc(),
                        },
                    )?;
                }
            } else {
                store::relations::delete_pin(conn, group_id, status.id)?;
            }
            log(
                conn,
                group_id,
                Some(moderator),
                if pinned { "pin" } else { "unpin" },
                None,
                Some(&status.ap_id),
                "",
            )
        })
        .await
}

/// Someone reports a post or an account to the group's moderators.
pub fn report(
    conn: &mut DbConnection,
    group_id: i64,
    reporter: Option<i64>,
    status_id: Option<i64>,
    target_account: Option<i64>,
    comment: &str,
    ap_id: Option<String>,
) -> Result<GroupReportRow, AppError> {
    let row = GroupReportRow {
        id: ids::next_id(),
        group_id,
        reporter_id: reporter,
        status_id,
        target_account_id: target_account,
        comment: comment.chars().take(1000).collect(),
        ap_id,
        resolved_at: None,
        resolved_by: None,
        created_at: Utc::now().naive_utc(),
    };
    store::groups::insert_report(conn, &row)?;
    Ok(row)
}

/// A moderator closes a report.
pub async fn resolve_report(
    state: &AppState,
    moderator: i64,
    group_id: i64,
    report_id: i64,
    note: &str,
) -> Result<(), AppError> {
    let note = note.to_owned();
    state
        .db
        .transaction(move |conn| {
            require_staff(conn, group_id, moderator)?;
            if store::groups::resolve_report(
                conn,
                group_id,
                report_id,
                moderator,
                Utc::now().naive_utc(),
            )? == 0
            {
                return Err(AppError::NotFound);
            }
            log(
                conn,
                group_id,
                Some(moderator),
                "resolve_report",
                None,
                None,
                &note,
            )
        })
        .await
}
