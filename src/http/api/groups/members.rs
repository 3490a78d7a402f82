//! Membership: `POST /api/v1/groups/{id}/join` and `/leave`, `GET …/memberships` (`role`),
//! `GET …/membership_requests` with `…/{account_id}/authorize|reject`, `POST …/kick`,
//! `GET/POST/DELETE …/blocks`, `POST …/promote|demote` (`role`, `account_ids[]`), and ours,
//! `POST …/invite` (`account_ids[]`).

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::follows::{self, FollowOptions};
use crate::domain::group_members::{self, Role};
use crate::domain::groups;
use crate::error::{AppError, AppResult};
use crate::http::api::entities::Account;
use crate::http::api::entities::group::{GroupMember, GroupRelationship};
use crate::http::api::groups::AccountIds;
use crate::http::api::groups::manage::ensure_group;
use crate::http::api::pagination::PageParams;
use crate::http::api::statuses::viewer;
use crate::http::api::views::{self, Paged, path_id};
use crate::http::extract::{CurrentUser, MaybeAuth, Params, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/groups/{id}/join", post(join))
        .route("/api/v1/groups/{id}/leave", post(leave))
        .route("/api/v1/groups/{id}/memberships", get(memberships))
        .route("/api/v1/groups/{id}/membership_requests", get(requests))
        .route(
            "/api/v1/groups/{id}/membership_requests/{account_id}/authorize",
            post(authorize),
        )
        .route(
            "/api/v1/groups/{id}/membership_requests/{account_id}/reject",
            post(reject),
        )
        .route("/api/v1/groups/{id}/kick", post(kick))
        .route(
            "/api/v1/groups/{id}/blocks",
            get(blocks).post(block).delete(unblock),
        )
        .route("/api/v1/groups/{id}/invite", post(invite))
        .route("/api/v1/groups/{id}/promote", post(promote))
        .route("/api/v1/groups/{id}/demote", post(demote))
}

async fn relationship(state: &AppState, me: i64, group: i64) -> AppResult<Json<GroupRelationship>> {
    let standing = state
        .db
        .run(move |conn| groups::standing(conn, group, me))
        .await?;
    Ok(Json(GroupRelationship::new(group, &standing)))
}

/// Joins (follows) the group: a member at once in open groups, a request in approval groups
/// and in groups on other servers until they answer.
async fn join(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteGroups>,
    Path(id): Path<String>,
) -> AppResult<Json<GroupRelationship>> {
    let id = path_id(&id)?;
    let me = me.user.account.id;
    ensure_group(&state, id).await?;
    let banned = state
        .db
        .run(move |conn| Ok(groups::standing(conn, id, me)?.banned))
        .await?;
    if banned {
        return Err(AppError::Forbidden(
            "You are banned from this group".to_owned(),
        ));
    }
    follows::follow(&state, me, id, FollowOptions::default()).await?;
    relationship(&state, me, id).await
}

async fn leave(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteGroups>,
    Path(id): Path<String>,
) -> AppResult<Json<GroupRelationship>> {
    let id = path_id(&id)?;
    let me = me.user.account.id;
    group_members::leave(&state, me, id).await?;
    relationship(&state, me, id).await
}

/// `role` (`owner`, `admin`, `user`) and the page.
#[derive(Debug, Default, Deserialize)]
pub struct MembershipParams {
    role: Option<String>,
    #[serde(flatten)]
    page: PageParams,
}

async fn memberships(
    State(state): State<AppState>,
    auth: MaybeAuth,
    uri: Uri,
    Path(id): Path<String>,
    Params(params): Params<MembershipParams>,
) -> AppResult<Paged<GroupMember>> {
    let viewer = viewer::<scope::ReadGroups>(&auth)?;
    let id = path_id(&id)?;
    let role = params
        .role
        .as_deref()
        .filter(|r| !r.trim().is_empty())
        .map(Role::parse)
        .transpose()?;
    let page = params.page.page();
    let members = state
        .db
        .run(move |conn| group_members::members(conn, viewer, id, role, &page))
        .await?;
    let cursors: Vec<i64> = members.iter().map(|m| m.cursor).collect();
    let accounts = views::accounts(&state, members.iter().map(|m| m.account.id).collect()).await?;
    let items = members
        .iter()
        .filter_map(|m| {
            let account = accounts.iter().find(|a| a.id == m.account.id.to_string())?;
            Some(GroupMember {
                id: account.id.clone(),
                account: account.clone(),
                role: m.role.as_str(),
            })
        })
        .collect();
    Ok(Paged::new(&state, &uri, items, &cursors))
}

async fn requests(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadGroups>,
    uri: Uri,
    Path(id): Path<String>,
    Params(paging): Params<PageParams>,
) -> AppResult<Paged<Account>> {
    let id = path_id(&id)?;
    let me = me.user.account.id;
    let page = paging.page();
    let rows = state
        .db
        .run(move |conn| group_members::requests(conn, me, id, &page))
        .await?;
    let cursors: Vec<i64> = rows.iter().map(|(cursor, _)| *cursor).collect();
    let accounts = views::accounts(&state, rows.iter().map(|(_, a)| a.id).collect()).await?;
    Ok(Paged::new(&state, &uri, accounts, &cursors))
}

/// 404 unless `account` has asked to join `group`.
async fn ensure_request(state: &AppState, group: i64, account: i64) -> AppResult<()> {
    let requested = state
        .db
        .run(move |conn| Ok(groups::standing(conn, group, account)?.requested))
        .await?;
    if requested {
        Ok(())
    } else {
        Err(AppError::Missing("No such membership request".to_owned()))
    }
}

async fn authorize(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteGroups>,
    Path((id, account_id)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    let (id, account_id) = (path_id(&id)?, path_id(&account_id)?);
    ensure_group(&state, id).await?;
    require_moderator(&state, id, me.user.account.id).await?;
    ensure_request(&state, id, account_id).await?;
    groups::approve(&state, me.user.account.id, id, account_id).await?;
    Ok(Json(json!({})))
}

async fn reject(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteGroups>,
    Path((id, account_id)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    let (id, account_id) = (path_id(&id)?, path_id(&account_id)?);
    ensure_group(&state, id).await?;
    require_moderator(&state, id, me.user.account.id).await?;
    ensure_request(&state, id, account_id).await?;
    groups::remove_member(&state, me.user.account.id, id, account_id, "").await?;
    Ok(Json(json!({})))
}

/// 403 unless `account` moderates the local group `group` (404 for a group elsewhere).
async fn require_moderator(state: &AppState, group: i64, account: i64) -> AppResult<()> {
    state
        .db
        .run(move |conn| {
            groups::local_group(conn, group)?;
            if groups::is_staff(conn, group, account)? {
                Ok(())
            } else {
                Err(AppError::Forbidden(
                    "Only the group's moderators may do this".to_owned(),
                ))
            }
        })
        .await
}

/// Removes members (they may ask to join again).
async fn kick(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteGroups>,
    Path(id): Path<String>,
    Params(params): Params<AccountIds>,
) -> AppResult<Json<Value>> {
    let id = path_id(&id)?;
    let me = me.user.account.id;
    ensure_group(&state, id).await?;
    require_moderator(&state, id, me).await?;
    for account in params.ids()? {
        let standing = state
            .db
            .run(move |conn| groups::standing(conn, id, account))
            .await?;
        if standing.owner || (standing.moderator && !is_owner(&state, id, me).await?) {
            return Err(AppError::Forbidden(
                "Only the owner may remove a moderator, and nobody the owner".to_owned(),
            ));
        }
        if standing.member || standing.requested {
            groups::remove_member(&state, me, id, account, "").await?;
        }
    }
    Ok(Json(json!({})))
}

async fn is_owner(state: &AppState, group: i64, account: i64) -> AppResult<bool> {
    state
        .db
        .run(move |conn| Ok(groups::standing(conn, group, account)?.owner))
        .await
}

async fn blocks(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadGroups>,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<Account>>> {
    let id = path_id(&id)?;
    let me = me.user.account.id;
    ensure_group(&state, id).await?;
    let banned = state
        .db
        .run(move |conn| group_members::bans(conn, me, id))
        .await?;
    Ok(Json(
        views::accounts(&state, banned.iter().map(|a| a.id).collect()).await?,
    ))
}

/// Bans: membership ends, posts are refused, and their server is sent `Block` by the group.
async fn block(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteGroups>,
    Path(id): Path<String>,
    Params(params): Params<AccountIds>,
) -> AppResult<Json<Value>> {
    let id = path_id(&id)?;
    let me = me.user.account.id;
    ensure_group(&state, id).await?;
    for account in params.ids()? {
        if account == me {
            return Err(AppError::Unprocessable(
                "You cannot ban yourself".to_owned(),
            ));
        }
        if is_owner(&state, id, account).await? {
            return Err(AppError::Forbidden("The owner cannot be banned".to_owned()));
        }
        ensure_account(&state, account).await?;
        groups::ban(&state, me, id, account, "").await?;
    }
    Ok(Json(json!({})))
}

async fn ensure_account(state: &AppState, id: i64) -> AppResult<()> {
    state
        .db
        .run(move |conn| {
            crate::db::store::accounts::find_by_id(conn, id)?
                .map(|_| ())
                .ok_or(AppError::NotFound)
        })
        .await
}

async fn unblock(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteGroups>,
    Path(id): Path<String>,
    Params(params): Params<AccountIds>,
) -> AppResult<Json<Value>> {
    let id = path_id(&id)?;
    let me = me.user.account.id;
    ensure_group(&state, id).await?;
    require_moderator(&state, id, me).await?;
    for account in params.ids()? {
        groups::unban(&state, me, id, account).await?;
    }
    Ok(Json(json!({})))
}

/// Ours: moderators invite accounts (invite-only groups admit only them; they skip approval).
async fn invite(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteGroups>,
    Path(id): Path<String>,
    Params(params): Params<AccountIds>,
) -> AppResult<Json<Value>> {
    let id = path_id(&id)?;
    ensure_group(&state, id).await?;
    for account in params.ids()? {
        ensure_account(&state, account).await?;
        groups::invite(&state, me.user.account.id, id, account).await?;
    }
    Ok(Json(json!({})))
}

/// The owner makes members moderators (`role=admin`; `moderator` is read the same).
async fn promote(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteGroups>,
    Path(id): Path<String>,
    Params(params): Params<AccountIds>,
) -> AppResult<Json<Vec<GroupMember>>> {
    set_roles(&state, me.user.account.id, &id, &params, true).await
}

/// The owner makes moderators plain members again (`role=user`).
async fn demote(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteGroups>,
    Path(id): Path<String>,
    Params(params): Params<AccountIds>,
) -> AppResult<Json<Vec<GroupMember>>> {
    set_roles(&state, me.user.account.id, &id, &params, false).await
}

async fn set_roles(
    state: &AppState,
    me: i64,
    id: &str,
    params: &AccountIds,
    promote: bool,
) -> AppResult<Json<Vec<GroupMember>>> {
    let id = path_id(id)?;
    ensure_group(state, id).await?;
    let wanted = match params.role.as_deref().filter(|r| !r.trim().is_empty()) {
        Some(role) => Role::parse(role)?,
        None if promote => Role::Admin,
        None => Role::User,
    };
    match (promote, wanted) {
        (true, Role::Admin) | (false, Role::User) => {}
        (_, Role::Owner) => {
            return Err(AppError::Unprocessable(
                "Ownership cannot be handed over yet".to_owned(),
            ));
        }
        _ => {
            return Err(AppError::Unprocessable(format!(
                "Validation failed: cannot {} to {}",
                if promote { "promote" } else { "demote" },
                wanted.as_str()
            )));
        }
    }
    let ids = params.ids()?;
    for &account in &ids {
        groups::set_moderator(state, me, id, account, promote).await?;
    }
    let accounts = views::accounts(state, ids.clone()).await?;
    Ok(Json(
        accounts
            .into_iter()
            .map(|account| GroupMember {
                id: account.id.clone(),
                account,
                role: wanted.as_str(),
            })
            .collect(),
    ))
}
