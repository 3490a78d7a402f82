//! What members do to statuses: `POST /api/v1/statuses/{id}/{favourite,unfavourite,reblog,
//! unreblog,bookmark,unbookmark,pin,unpin}` (each answers the updated Status), and who did it:
//! `GET /{id}/favourited_by`, `/{id}/reblogged_by`.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::{get, post};

use crate::db::store::{self, Page};
use crate::domain::interactions;
use crate::domain::visibility;
use crate::error::AppResult;
use crate::http::api::entities::{Account, Status};
use crate::http::api::pagination::PageParams;
use crate::http::api::statuses::viewer;
use crate::http::api::views::{self, Paged, path_id};
use crate::http::extract::{CurrentUser, MaybeAuth, Params, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/statuses/{id}/favourite", post(favourite))
        .route("/api/v1/statuses/{id}/unfavourite", post(unfavourite))
        .route("/api/v1/statuses/{id}/reblog", post(reblog))
        .route("/api/v1/statuses/{id}/unreblog", post(unreblog))
        .route("/api/v1/statuses/{id}/bookmark", post(bookmark))
        .route("/api/v1/statuses/{id}/unbookmark", post(unbookmark))
        .route("/api/v1/statuses/{id}/pin", post(pin))
        .route("/api/v1/statuses/{id}/unpin", post(unpin))
        .route("/api/v1/statuses/{id}/favourited_by", get(favourited_by))
        .route("/api/v1/statuses/{id}/reblogged_by", get(reblogged_by))
}

/// Renders the row an action returned, as its member now sees it.
async fn answer(
    state: &AppState,
    me: i64,
    row: crate::db::models::StatusRow,
) -> AppResult<Json<Status>> {
    views::status(state, Some(me), move |_| Ok(row)).await
}

async fn favourite(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFavourites>,
    Path(id): Path<String>,
) -> AppResult<Json<Status>> {
    let me = me.user.account.id;
    let row = interactions::favourite(&state, me, path_id(&id)?).await?;
    answer(&state, me, row).await
}

async fn unfavourite(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFavourites>,
    Path(id): Path<String>,
) -> AppResult<Json<Status>> {
    let me = me.user.account.id;
    let row = interactions::unfavourite(&state, me, path_id(&id)?).await?;
    answer(&state, me, row).await
}

/// Answers the boost, with the original in `reblog`. A `visibility` parameter is not taken: a
/// boost has its original's visibility.
async fn reblog(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteStatuses>,
    Path(id): Path<String>,
) -> AppResult<Json<Status>> {
    let me = me.user.account.id;
    let row = interactions::reblog(&state, me, path_id(&id)?).await?;
    answer(&state, me, row).await
}

async fn unreblog(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteStatuses>,
    Path(id): Path<String>,
) -> AppResult<Json<Status>> {
    let me = me.user.account.id;
    let row = interactions::unreblog(&state, me, path_id(&id)?).await?;
    answer(&state, me, row).await
}

async fn bookmark(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteBookmarks>,
    Path(id): Path<String>,
) -> AppResult<Json<Status>> {
    let me = me.user.account.id;
    let row = interactions::bookmark(&state, me, path_id(&id)?).await?;
    answer(&state, me, row).await
}

async fn unbookmark(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteBookmarks>,
    Path(id): Path<String>,
) -> AppResult<Json<Status>> {
    let me = me.user.account.id;
    let row = interactions::unbookmark(&state, me, path_id(&id)?).await?;
    answer(&state, me, row).await
}

async fn pin(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteAccounts>,
    Path(id): Path<String>,
) -> AppResult<Json<Status>> {
    let me = me.user.account.id;
    let row = interactions::pin(&state, me, path_id(&id)?).await?;
    answer(&state, me, row).await
}

async fn unpin(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteAccounts>,
    Path(id): Path<String>,
) -> AppResult<Json<Status>> {
    let me = me.user.account.id;
    let row = interactions::unpin(&state, me, path_id(&id)?).await?;
    answer(&state, me, row).await
}

/// Accounts that favourited a status the viewer may see, paged by favourite.
async fn favourited_by(
    State(state): State<AppState>,
    auth: MaybeAuth,
    uri: Uri,
    Path(id): Path<String>,
    Params(paging): Params<PageParams>,
) -> AppResult<Paged<Account>> {
    let viewer = viewer::<scope::ReadAccounts>(&auth)?;
    let id = path_id(&id)?;
    let page = paging.page();
    let rows = state
        .db
        .run(move |conn| {
            let status = visibility::visible_status(conn, viewer, id)?;
            Ok(store::relations::favourited_by(conn, status.id, &page)?)
        })
        .await?;
    let cursors: Vec<i64> = rows.iter().map(|(f, _)| f.id).collect();
    let accounts = views::accounts(&state, rows.iter().map(|(_, a)| a.id).collect()).await?;
    Ok(Paged::new(&state, &uri, accounts, &cursors))
}

/// Accounts that boosted a status the viewer may see, paged by boost.
async fn reblogged_by(
    State(state): State<AppState>,
    auth: MaybeAuth,
    uri: Uri,
    Path(id): Path<String>,
    Params(paging): Params<PageParams>,
) -> AppResult<Paged<Account>> {
    let viewer = viewer::<scope::ReadAccounts>(&auth)?;
    let id = path_id(&id)?;
    let page: Page = paging.page();
    let rows = state
        .db
        .run(move |conn| {
            let status = visibility::visible_status(conn, viewer, id)?;
            Ok(store::timelines::reblogs_page(conn, status.id, &page)?)
        })
        .await?;
    let cursors: Vec<i64> = rows.iter().map(|s| s.id).collect();
    let accounts = views::accounts(&state, rows.iter().map(|s| s.account_id).collect()).await?;
    Ok(Paged::new(&state, &uri, accounts, &cursors))
}
