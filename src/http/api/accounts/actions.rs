//! What a member does to another account, each answering the Relationship:
//! `POST /api/v1/accounts/{id}/{follow,unfollow,block,unblock,mute,unmute,
//! remove_from_followers,pin,unpin}`.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::post;
use serde::Deserialize;

use crate::domain::{blocks, follows, relationships};
use crate::error::AppResult;
use crate::http::api::entities::Relationship;
use crate::http::api::views::{self, path_id};
use crate::http::extract::{CurrentUser, Params, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/accounts/{id}/follow", post(follow))
        .route("/api/v1/accounts/{id}/unfollow", post(unfollow))
        .route("/api/v1/accounts/{id}/block", post(block))
        .route("/api/v1/accounts/{id}/unblock", post(unblock))
        .route("/api/v1/accounts/{id}/mute", post(mute))
        .route("/api/v1/accounts/{id}/unmute", post(unmute))
        .route(
            "/api/v1/accounts/{id}/remove_from_followers",
            post(remove_from_followers),
        )
        .route("/api/v1/accounts/{id}/pin", post(endorse))
        .route("/api/v1/accounts/{id}/unpin", post(unendorse))
}

/// `reblogs` and `notify`; left out, they keep their current value.
#[derive(Debug, Default, Deserialize)]
pub struct FollowParams {
    reblogs: Option<bool>,
    notify: Option<bool>,
}

async fn follow(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFollows>,
    Path(id): Path<String>,
    Params(params): Params<FollowParams>,
) -> AppResult<Json<Relationship>> {
    let (me, target) = (me.user.account.id, path_id(&id)?);
    let options =
        relationships::follow_options(&state.db, me, target, params.reblogs, params.notify).await?;
    follows::follow(&state, me, target, options).await?;
    views::relationship(&state, me, target).await
}

async fn unfollow(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFollows>,
    Path(id): Path<String>,
) -> AppResult<Json<Relationship>> {
    let (me, target) = (me.user.account.id, path_id(&id)?);
    relationships::one(&state.db, me, target).await?;
    follows::unfollow(&state, me, target).await?;
    views::relationship(&state, me, target).await
}

async fn block(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteBlocks>,
    Path(id): Path<String>,
) -> AppResult<Json<Relationship>> {
    let (me, target) = (me.user.account.id, path_id(&id)?);
    blocks::block(&state, me, target).await?;
    views::relationship(&state, me, target).await
}

async fn unblock(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteBlocks>,
    Path(id): Path<String>,
) -> AppResult<Json<Relationship>> {
    let (me, target) = (me.user.account.id, path_id(&id)?);
    relationships::one(&state.db, me, target).await?;
    blocks::unblock(&state, me, target).await?;
    views::relationship(&state, me, target).await
}

/// `notifications` (default true) and `duration` in seconds (0 or none: until unmuted).
#[derive(Debug, Default, Deserialize)]
pub struct MuteParams {
    notifications: Option<bool>,
    duration: Option<i64>,
}

async fn mute(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteMutes>,
    Path(id): Path<String>,
    Params(params): Params<MuteParams>,
) -> AppResult<Json<Relationship>> {
    let (me, target) = (me.user.account.id, path_id(&id)?);
    blocks::mute(
        &state,
        me,
        target,
        params.notifications.unwrap_or(true),
        params.duration,
    )
    .await?;
    views::relationship(&state, me, target).await
}

async fn unmute(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteMutes>,
    Path(id): Path<String>,
) -> AppResult<Json<Relationship>> {
    let (me, target) = (me.user.account.id, path_id(&id)?);
    relationships::one(&state.db, me, target).await?;
    blocks::unmute(&state, me, target).await?;
    views::relationship(&state, me, target).await
}

/// Stops `id` from following the member (as a refused follow request).
async fn remove_from_followers(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFollows>,
    Path(id): Path<String>,
) -> AppResult<Json<Relationship>> {
    let (me, target) = (me.user.account.id, path_id(&id)?);
    relationships::one(&state.db, me, target).await?;
    match follows::reject(&state, me, target).await {
        Ok(()) | Err(crate::error::AppError::NotFound) => {}
        Err(other) => return Err(other),
    }
    views::relationship(&state, me, target).await
}

async fn endorse(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteAccounts>,
    Path(id): Path<String>,
) -> AppResult<Json<Relationship>> {
    let (me, target) = (me.user.account.id, path_id(&id)?);
    relationships::endorse(&state.db, me, target).await?;
    views::relationship(&state, me, target).await
}

async fn unendorse(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteAccounts>,
    Path(id): Path<String>,
) -> AppResult<Json<Relationship>> {
    let (me, target) = (me.user.account.id, path_id(&id)?);
    relationships::unendorse(&state.db, me, target).await?;
    views::relationship(&state, me, target).await
}
