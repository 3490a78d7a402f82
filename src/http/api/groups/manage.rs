//! `POST/GET /api/v1/groups`, `GET/PUT/DELETE /api/v1/groups/{id}` and
//! `GET /api/v1/groups/relationships?id[]=`.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::db::store;
use crate::domain::group_members;
use crate::domain::groups::{self, GroupChanges, NewGroup};
use crate::error::{AppError, AppResult};
use crate::http::api::entities::group::{Group, GroupRelationship};
use crate::http::api::groups::{render, render_one};
use crate::http::api::statuses::viewer;
use crate::http::api::views::path_id;
use crate::http::extract::{CurrentUser, MaybeAuth, Params, lenient, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/groups", get(index).post(create))
        .route("/api/v1/groups/relationships", get(relationships))
        .route(
            "/api/v1/groups/{id}",
            get(show).put(update).patch(update).delete(destroy),
        )
}

/// Rebased's `slug`, `display_name`, `note`, `locked` (approval) and `privacy`
/// (`members_only` keeps posts for members); ours: `join_policy` (`open`, `approval`,
/// `invite`), `rules`, `topics[]`, `members_only`.
#[derive(Debug, Default, Deserialize)]
pub struct GroupParams {
    slug: Option<String>,
    display_name: Option<String>,
    note: Option<String>,
    #[serde(default, deserialize_with = "lenient::option_bool")]
    locked: Option<bool>,
    privacy: Option<String>,
    statuses_visibility: Option<String>,
    #[serde(default, deserialize_with = "lenient::option_bool")]
    members_only: Option<bool>,
    join_policy: Option<String>,
    rules: Option<String>,
    topics: Option<Vec<String>>,
}

impl GroupParams {
    fn members_only(&self) -> Option<bool> {
        self.members_only.or_else(|| {
            self.privacy
                .as_deref()
                .or(self.statuses_visibility.as_deref())
                .map(|p| matches!(p, "members_only" | "private"))
        })
    }

    fn join_policy(&self) -> Option<String> {
        self.join_policy
            .clone()
            .filter(|p| !p.trim().is_empty())
            .or_else(|| {
                self.locked.map(|locked| {
                    if locked {
                        groups::APPROVAL
                    } else {
                        groups::OPEN
                    }
                    .to_owned()
                })
            })
    }
}

async fn create(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteGroups>,
    Params(params): Params<GroupParams>,
) -> AppResult<Json<Group>> {
    let slug = params
        .slug
        .clone()
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| AppError::Unprocessable("Validation failed: slug is missing".to_owned()))?;
    let row = groups::create(
        &state,
        &me.user,
        NewGroup {
            display_name: params.display_name.clone().unwrap_or_else(|| slug.clone()),
            slug,
            note: params.note.clone().unwrap_or_default(),
            rules: params.rules.clone().unwrap_or_default(),
            topics: params.topics.clone().unwrap_or_default(),
            members_only: params.members_only().unwrap_or(false),
            join_policy: params.join_policy().unwrap_or_default(),
        },
    )
    .await?;
    Ok(Json(
        render_one(&state, Some(me.user.account.id), row.id).await?,
    ))
}

/// The groups the member belongs to.
async fn index(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadGroups>,
) -> AppResult<Json<Vec<Group>>> {
    let me = me.user.account.id;
    let ids = state
        .db
        .run(move |conn| {
            Ok(store::groups::groups_of(conn, me)?
                .iter()
                .map(|a| a.id)
                .collect())
        })
        .await?;
    Ok(Json(render(&state, Some(me), ids).await?))
}

async fn show(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Path(id): Path<String>,
) -> AppResult<Json<Group>> {
    let viewer = viewer::<scope::ReadGroups>(&auth)?;
    Ok(Json(render_one(&state, viewer, path_id(&id)?).await?))
}

/// Owner and moderators; `slug` cannot change (it is the actor's address).
async fn update(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteGroups>,
    Path(id): Path<String>,
    Params(params): Params<GroupParams>,
) -> AppResult<Json<Group>> {
    let id = path_id(&id)?;
    let me = me.user.account.id;
    ensure_group(&state, id).await?;
    groups::update(
        &state,
        me,
        id,
        GroupChanges {
            display_name: params.display_name.clone(),
            note: params.note.clone(),
            rules: params.rules.clone(),
            topics: params.topics.clone(),
            members_only: params.members_only(),
            join_policy: params.join_policy(),
        },
    )
    .await?;
    Ok(Json(render_one(&state, Some(me), id).await?))
}

/// The owner deletes the group; every server with members is sent `Delete` of the actor.
async fn destroy(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteGroups>,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let id = path_id(&id)?;
    ensure_group(&state, id).await?;
    group_members::delete_group(&state, me.user.account.id, id).await?;
    Ok(Json(json!({})))
}

/// 404 unless `id` is a group (local or remote) that still exists.
pub async fn ensure_group(state: &AppState, id: i64) -> AppResult<()> {
    state
        .db
        .run(move |conn| group_members::info(conn, id).map(|_| ()))
        .await
}

/// `id[]` (one or several).
#[derive(Debug, Default, Deserialize)]
pub struct RelationshipsParams {
    #[serde(default)]
    id: Vec<String>,
}

async fn relationships(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadGroups>,
    Params(params): Params<RelationshipsParams>,
) -> AppResult<Json<Vec<GroupRelationship>>> {
    let ids: Vec<i64> = params
        .id
        .iter()
        .filter_map(|i| i.trim().parse().ok())
        .collect();
    let me = me.user.account.id;
    let standings = state
        .db
        .run(move |conn| group_members::standings(conn, me, &ids))
        .await?;
    Ok(Json(
        standings
            .iter()
            .map(|(id, s)| GroupRelationship::new(*id, s))
            .collect(),
    ))
}
