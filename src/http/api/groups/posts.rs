//! Posts in a group: `GET /api/v1/groups/{id}/statuses` (its timeline, paged with `Link`),
//! `POST /api/v1/groups/{id}/statuses` (posting into it: the same as mentioning the group) and
//! `DELETE /api/v1/groups/{id}/statuses/{status_id}` (a moderator removes a post everywhere).

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::routing::{delete, get};
use serde_json::{Value, json};

use crate::db::store;
use crate::domain::filters::FilterContext;
use crate::domain::group_members;
use crate::domain::groups::{self, Standing};
use crate::domain::{posting, visibility};
use crate::error::{AppError, AppResult};
use crate::http::api::entities::Status;
use crate::http::api::groups::manage::ensure_group;
use crate::http::api::pagination::PageParams;
use crate::http::api::statuses::crud::{PostParams, client_post};
use crate::http::api::statuses::viewer;
use crate::http::api::views::{self, Paged, path_id};
use crate::http::extract::{CurrentUser, MaybeAuth, Params, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/groups/{id}/statuses", get(timeline).post(create))
        .route("/api/v1/groups/{id}/statuses/{status_id}", delete(destroy))
}

/// The group's posts, newest first; a members-only group's only for members.
async fn timeline(
    State(state): State<AppState>,
    auth: MaybeAuth,
    uri: Uri,
    Path(id): Path<String>,
    Params(paging): Params<PageParams>,
) -> AppResult<Paged<Status>> {
    let viewer = viewer::<scope::ReadStatuses>(&auth)?;
    let id = path_id(&id)?;
    let page = paging.page();
    let allowed = state
        .db
        .run(move |conn| {
            let info = group_members::info(conn, id)?;
            let standing = match viewer {
                Some(viewer) => groups::standing(conn, id, viewer)?,
                None => Standing::default(),
            };
            Ok(!info.group.members_only || standing.member || standing.moderator)
        })
        .await?;
    if !allowed {
        return Err(AppError::Forbidden(
            "This group's posts are for its members".to_owned(),
        ));
    }
    views::status_page(
        &state,
        &uri,
        viewer,
        Some(FilterContext::Public),
        move |conn| {
            let rows = store::statuses::by_group(conn, id, &page)?;
            visibility::filter_visible(conn, viewer, rows)
        },
    )
    .await
}

/// Posts into the group (members only), as `POST /api/v1/statuses` takes it.
async fn create(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteStatuses>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Params(params): Params<PostParams>,
) -> AppResult<Json<Status>> {
    let id = path_id(&id)?;
    ensure_group(&state, id).await?;
    let author = me.user.account.id;
    let mut request = client_post(params, me.auth.0.application.id, &headers)?;
    request.post.group_id = Some(id);
    let row = posting::publish(&state, author, request).await?;
    views::status(&state, Some(author), move |_| Ok(row)).await
}

/// A moderator removes a post from the group (and from every server its members are on).
async fn destroy(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteGroups>,
    Path((id, status_id)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    let (id, status_id) = (path_id(&id)?, path_id(&status_id)?);
    ensure_group(&state, id).await?;
    groups::delete_post(&state, me.user.account.id, id, status_id, "").await?;
    Ok(Json(json!({})))
}
