//! Lists: `GET/POST /api/v1/lists`, `GET/PUT/DELETE /api/v1/lists/{id}`, and
//! `GET/POST/DELETE /api/v1/lists/{id}/accounts` (`account_ids[]`).

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::db::store::Page;
use crate::domain::lists::{self, ListInput};
use crate::error::{AppError, AppResult};
use crate::http::api::entities::{Account, List};
use crate::http::api::pagination::PageParams;
use crate::http::api::views::{self, Paged, path_id};
use crate::http::extract::{CurrentUser, Params, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/lists", get(index).post(create))
        .route("/api/v1/lists/{id}", get(show).put(update).delete(destroy))
        .route(
            "/api/v1/lists/{id}/accounts",
            get(members).post(add_members).delete(remove_members),
        )
}

#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    title: Option<String>,
    replies_policy: Option<String>,
    exclusive: Option<bool>,
}

impl From<ListParams> for ListInput {
    fn from(p: ListParams) -> ListInput {
        ListInput {
            title: p.title,
            replies_policy: p.replies_policy,
            exclusive: p.exclusive,
        }
    }
}

async fn index(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadLists>,
) -> AppResult<Json<Vec<List>>> {
    let rows = lists::all(&state.db, me.user.account.id).await?;
    Ok(Json(rows.iter().map(List::from_row).collect()))
}

async fn show(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadLists>,
    Path(id): Path<String>,
) -> AppResult<Json<List>> {
    let row = lists::get(&state.db, me.user.account.id, path_id(&id)?).await?;
    Ok(Json(List::from_row(&row)))
}

async fn create(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteLists>,
    Params(params): Params<ListParams>,
) -> AppResult<Json<List>> {
    let row = lists::create(&state.db, me.user.account.id, params.into()).await?;
    Ok(Json(List::from_row(&row)))
}

async fn update(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteLists>,
    Path(id): Path<String>,
    Params(params): Params<ListParams>,
) -> AppResult<Json<List>> {
    let row = lists::update(&state.db, me.user.account.id, path_id(&id)?, params.into()).await?;
    Ok(Json(List::from_row(&row)))
}

async fn destroy(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteLists>,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    lists::delete(&state.db, me.user.account.id, path_id(&id)?).await?;
    Ok(Json(json!({})))
}

/// Paging, and `limit=0` for every member at once (as Mastodon).
async fn members(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadLists>,
    uri: Uri,
    Path(id): Path<String>,
    Params(paging): Params<PageParams>,
) -> AppResult<Paged<Account>> {
    let all = paging.limit == Some(0);
    let page = if all {
        Page {
            limit: 10_000,
            ..Page::default()
        }
    } else {
        paging.page()
    };
    let rows = lists::members(&state.db, me.user.account.id, path_id(&id)?, page).await?;
    let cursors: Vec<i64> = rows.iter().map(|(m, _)| m.id).collect();
    let accounts = views::accounts(&state, rows.iter().map(|(_, a)| a.id).collect()).await?;
    if all {
        return Ok(Paged::all(accounts));
    }
    Ok(Paged::new(&state, &uri, accounts, &cursors))
}

#[derive(Debug, Default, Deserialize)]
pub struct MembersParams {
    #[serde(default)]
    account_ids: Vec<String>,
}

fn account_ids(params: &MembersParams) -> AppResult<Vec<i64>> {
    params
        .account_ids
        .iter()
        .map(|id| id.trim().parse().map_err(|_| AppError::NotFound))
        .collect()
}

async fn add_members(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteLists>,
    Path(id): Path<String>,
    Params(params): Params<MembersParams>,
) -> AppResult<Json<Value>> {
    let ids = account_ids(&params)?;
    lists::add_members(&state.db, me.user.account.id, path_id(&id)?, ids).await?;
    Ok(Json(json!({})))
}

async fn remove_members(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteLists>,
    Path(id): Path<String>,
    Params(params): Params<MembersParams>,
) -> AppResult<Json<Value>> {
    let ids = account_ids(&params)?;
    lists::remove_members(&state.db, me.user.account.id, path_id(&id)?, ids).await?;
    Ok(Json(json!({})))
}
