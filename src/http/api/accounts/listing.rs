//! Lists about one account: `GET /api/v1/accounts/{id}/statuses`, `/followers`, `/following`,
//! `/lists`; and about many: `GET /api/v1/accounts/relationships`, `/search`.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::get;
use serde::Deserialize;

use crate::db::store;
use crate::db::store::statuses::AccountStatusesFilter;
use crate::domain::filters::FilterContext;
use crate::domain::relationships::{self, FollowList};
use crate::domain::{find, lists, timelines, visibility};
use crate::error::{AppError, AppResult};
use crate::http::api::entities::{Account, List, Relationship, Status};
use crate::http::api::pagination::PageParams;
use crate::http::api::statuses::viewer;
use crate::http::api::views::{self, Paged, path_id};
use crate::http::extract::{CurrentUser, MaybeAuth, Params, lenient, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/accounts/relationships", get(relationships_of))
        .route("/api/v1/accounts/search", get(search))
        .route("/api/v1/accounts/{id}/statuses", get(statuses))
        .route("/api/v1/accounts/{id}/followers", get(followers))
        .route("/api/v1/accounts/{id}/following", get(following))
        .route("/api/v1/accounts/{id}/lists", get(lists_of))
}

#[derive(Debug, Default, Deserialize)]
pub struct StatusesParams {
    #[serde(default, deserialize_with = "lenient::option_bool")]
    pinned: Option<bool>,
    #[serde(default, deserialize_with = "lenient::option_bool")]
    exclude_replies: Option<bool>,
    #[serde(default, deserialize_with = "lenient::option_bool")]
    exclude_reblogs: Option<bool>,
    #[serde(default, deserialize_with = "lenient::option_bool")]
    only_media: Option<bool>,
    tagged: Option<String>,
    #[serde(flatten)]
    page: PageParams,
}

async fn statuses(
    State(state): State<AppState>,
    auth: MaybeAuth,
    uri: Uri,
    Path(id): Path<String>,
    Params(params): Params<StatusesParams>,
) -> AppResult<Paged<Status>> {
    let viewer = viewer::<scope::ReadStatuses>(&auth)?;
    let id = path_id(&id)?;
    let page = params.page.page();
    if params.pinned.unwrap_or(false) {
        // At most five, on one page: a cursor past them is an empty page.
        let paged = page.max_id.is_some() || page.min_id.is_some() || page.since_id.is_some();
        let (items, _) =
            views::statuses(&state, viewer, Some(FilterContext::Account), move |conn| {
                store::accounts::find_by_id(conn, id)?.ok_or(AppError::NotFound)?;
                if paged {
                    return Ok(Vec::new());
                }
                let pinned = store::relations::pinned_of(conn, id)?;
                visibility::filter_visible(conn, viewer, pinned)
            })
            .await?;
        return Ok(Paged::all(items));
    }
    let filter = AccountStatusesFilter {
        exclude_replies: params.exclude_replies.unwrap_or(false),
        exclude_reblogs: params.exclude_reblogs.unwrap_or(false),
        visibilities: Vec::new(),
        tagged: params
            .tagged
            .filter(|t| !t.trim().is_empty())
            .map(|t| crate::domain::html::normalise_tag(&t)),
        only_media: params.only_media.unwrap_or(false),
    };
    views::status_page(
        &state,
        &uri,
        viewer,
        Some(FilterContext::Account),
        move |conn| {
            store::accounts::find_by_id(conn, id)?
                .filter(|a| a.suspended_at.is_none())
                .ok_or(AppError::NotFound)?;
            timelines::account_statuses(conn, viewer, id, filter, &page)
        },
    )
    .await
}

async fn follow_list(
    state: AppState,
    auth: MaybeAuth,
    uri: Uri,
    id: String,
    paging: PageParams,
    which: FollowList,
) -> AppResult<Paged<Account>> {
    let viewer = viewer::<scope::ReadAccounts>(&auth)?;
    let rows =
        relationships::follow_list(&state.db, viewer, path_id(&id)?, which, paging.page()).await?;
    let cursors: Vec<i64> = rows.iter().map(|(f, _)| f.id).collect();
    let accounts = views::accounts(&state, rows.iter().map(|(_, a)| a.id).collect()).await?;
    Ok(Paged::new(&state, &uri, accounts, &cursors))
}

async fn followers(
    State(state): State<AppState>,
    auth: MaybeAuth,
    uri: Uri,
    Path(id): Path<String>,
    Params(paging): Params<PageParams>,
) -> AppResult<Paged<Account>> {
    follow_list(state, auth, uri, id, paging, FollowList::Followers).await
}

async fn following(
    State(state): State<AppState>,
    auth: MaybeAuth,
    uri: Uri,
    Path(id): Path<String>,
    Params(paging): Params<PageParams>,
) -> AppResult<Paged<Account>> {
    follow_list(state, auth, uri, id, paging, FollowList::Following).await
}

async fn lists_of(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadLists>,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<List>>> {
    let rows = lists::containing(&state.db, me.user.account.id, path_id(&id)?).await?;
    Ok(Json(rows.iter().map(List::from_row).collect()))
}

/// `id[]` (one or several).
#[derive(Debug, Default, Deserialize)]
pub struct RelationshipsParams {
    #[serde(default)]
    id: Vec<String>,
}

async fn relationships_of(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadFollows>,
    Params(params): Params<RelationshipsParams>,
) -> AppResult<Json<Vec<Relationship>>> {
    let ids: Vec<i64> = params
        .id
        .iter()
        .filter_map(|i| i.trim().parse().ok())
        .collect();
    let views = relationships::of(&state.db, me.user.account.id, ids).await?;
    Ok(Json(views.iter().map(Relationship::from_view).collect()))
}

/// `q`, `limit` (default 40, at most 80), `offset`, `resolve`, `following`.
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    limit: Option<i64>,
    offset: Option<i64>,
    #[serde(default)]
    resolve: bool,
    #[serde(default)]
    following: bool,
}

/// Known accounts by name or display name; `resolve` finds nothing more yet (no WebFinger
/// lookup from the API).
async fn search(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadAccounts>,
    Params(params): Params<SearchParams>,
) -> AppResult<Json<Vec<Account>>> {
    if params.resolve {
        crate::http::api::search::resolve(&state, &params.q).await;
    }
    let me = me.user.account.id;
    let limit = params.limit.unwrap_or(40).clamp(1, 80);
    let offset = params.offset.unwrap_or(0).max(0);
    let following_of = params.following.then_some(me);
    let urls = state.urls.clone();
    let q = params.q;
    let found = state
        .db
        .run(move |conn| find::accounts(conn, &urls, &q, following_of, limit, offset))
        .await?;
    Ok(Json(
        views::accounts(&state, found.iter().map(|a| a.id).collect()).await?,
    ))
}
