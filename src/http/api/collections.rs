//! The member's own collections, paged by the row that put each item there: follow requests
//! (`/api/v1/follow_requests` with `authorize` and `reject`), `/api/v1/blocks`, `/api/v1/mutes`,
//! `/api/v1/endorsements`, `/api/v1/bookmarks`, `/api/v1/favourites`.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::{get, post};

use crate::db::store;
use crate::domain::{follows, visibility};
use crate::error::AppResult;
use crate::http::api::entities::{Account, Relationship, Status};
use crate::http::api::pagination::PageParams;
use crate::http::api::views::{self, Paged, path_id};
use crate::http::extract::{CurrentUser, Params, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/follow_requests", get(follow_requests))
        .route("/api/v1/follow_requests/{id}/authorize", post(authorize))
        .route("/api/v1/follow_requests/{id}/reject", post(reject))
        .route("/api/v1/blocks", get(blocks))
        .route("/api/v1/mutes", get(mutes))
        .route("/api/v1/endorsements", get(endorsements))
        .route("/api/v1/bookmarks", get(bookmarks))
        .route("/api/v1/favourites", get(favourites))
}

/// Accounts with their page cursors, rendered.
async fn account_page(
    state: &AppState,
    uri: &Uri,
    rows: Vec<(i64, i64)>,
) -> AppResult<Paged<Account>> {
    let cursors: Vec<i64> = rows.iter().map(|(cursor, _)| *cursor).collect();
    let accounts = views::accounts(state, rows.iter().map(|(_, id)| *id).collect()).await?;
    Ok(Paged::new(state, uri, accounts, &cursors))
}

async fn follow_requests(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadFollows>,
    uri: Uri,
    Params(paging): Params<PageParams>,
) -> AppResult<Paged<Account>> {
    let me = me.user.account.id;
    let page = paging.page();
    let rows = state
        .db
        .run(move |conn| {
            Ok(store::relations::followers_page(
                conn, me, "pending", &page,
            )?)
        })
        .await?;
    account_page(
        &state,
        &uri,
        rows.iter().map(|(f, a)| (f.id, a.id)).collect(),
    )
    .await
}

async fn authorize(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFollows>,
    Path(id): Path<String>,
) -> AppResult<Json<Relationship>> {
    let (me, follower) = (me.user.account.id, path_id(&id)?);
    follows::authorize(&state, me, follower).await?;
    views::relationship(&state, me, follower).await
}

async fn reject(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFollows>,
    Path(id): Path<String>,
) -> AppResult<Json<Relationship>> {
    let (me, follower) = (me.user.account.id, path_id(&id)?);
    follows::reject(&state, me, follower).await?;
    views::relationship(&state, me, follower).await
}

async fn blocks(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadBlocks>,
    uri: Uri,
    Params(paging): Params<PageParams>,
) -> AppResult<Paged<Account>> {
    let me = me.user.account.id;
    let page = paging.page();
    let rows = state
        .db
        .run(move |conn| Ok(store::relations::blocks_page(conn, me, &page)?))
        .await?;
    account_page(
        &state,
        &uri,
        rows.iter().map(|(b, a)| (b.id, a.id)).collect(),
    )
    .await
}

async fn mutes(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadMutes>,
    uri: Uri,
    Params(paging): Params<PageParams>,
) -> AppResult<Paged<Account>> {
    let me = me.user.account.id;
    let page = paging.page();
    let rows = state
        .db
        .run(move |conn| Ok(store::relations::mutes_page(conn, me, &page)?))
        .await?;
    account_page(
        &state,
        &uri,
        rows.iter().map(|(m, a)| (m.id, a.id)).collect(),
    )
    .await
}

async fn endorsements(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadAccounts>,
    uri: Uri,
    Params(paging): Params<PageParams>,
) -> AppResult<Paged<Account>> {
    let me = me.user.account.id;
    let page = paging.page();
    let rows = state
        .db
        .run(move |conn| Ok(store::relationships::endorsements_page(conn, me, &page)?))
        .await?;
    account_page(&state, &uri, rows.iter().map(|(e, a)| (*e, a.id)).collect()).await
}

async fn bookmarks(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadBookmarks>,
    uri: Uri,
    Params(paging): Params<PageParams>,
) -> AppResult<Paged<Status>> {
    let me = me.user.account.id;
    let page = paging.page();
    let (rows, cursors) = state
        .db
        .run(move |conn| {
            let rows = store::relations::bookmarks_of(conn, me, &page)?;
            let cursors: Vec<i64> = rows.iter().map(|(b, _)| b.id).collect();
            let statuses = rows.into_iter().map(|(_, s)| s).collect();
            Ok((
                visibility::filter_visible(conn, Some(me), statuses)?,
                cursors,
            ))
        })
        .await?;
    let (items, _) = views::statuses(&state, Some(me), None, move |_| Ok(rows)).await?;
    Ok(Paged::new(&state, &uri, items, &cursors))
}

async fn favourites(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadFavourites>,
    uri: Uri,
    Params(paging): Params<PageParams>,
) -> AppResult<Paged<Status>> {
    let me = me.user.account.id;
    let page = paging.page();
    let (rows, cursors) = state
        .db
        .run(move |conn| {
            let rows = store::relations::favourites_of(conn, me, &page)?;
            let cursors: Vec<i64> = rows.iter().map(|(f, _)| f.id).collect();
            let statuses = rows.into_iter().map(|(_, s)| s).collect();
            Ok((
                visibility::filter_visible(conn, Some(me), statuses)?,
                cursors,
            ))
        })
        .await?;
    let (items, _) = views::statuses(&state, Some(me), None, move |_| Ok(rows)).await?;
    Ok(Paged::new(&state, &uri, items, &cursors))
}
