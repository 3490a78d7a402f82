//! `GET /api/v1/statuses/{id}/context`, `/source` and `/history`.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use serde::Serialize;

use crate::domain::filters::FilterContext;
use crate::domain::status_views;
use crate::domain::statuses;
use crate::domain::visibility;
use crate::error::{AppError, AppResult};
use crate::http::api::entities::{Status, StatusEdit, StatusSource};
use crate::http::api::statuses::viewer;
use crate::http::api::views::path_id;
use crate::http::extract::{CurrentUser, MaybeAuth, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/statuses/{id}/context", get(context))
        .route("/api/v1/statuses/{id}/source", get(source))
        .route("/api/v1/statuses/{id}/history", get(history))
}

/// Mastodon's Context entity.
#[derive(Debug, Serialize)]
pub struct Context {
    pub ancestors: Vec<Status>,
    pub descendants: Vec<Status>,
}

async fn context(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Path(id): Path<String>,
) -> AppResult<Json<Context>> {
    let viewer = viewer::<scope::ReadStatuses>(&auth)?;
    let id = path_id(&id)?;
    let (ancestors, descendants) = state
        .db
        .run(move |conn| {
            let status = visibility::visible_status(conn, viewer, id)?;
            let (ancestors, descendants) = statuses::context(conn, viewer, &status)?;
            let thread = Some(FilterContext::Thread);
            Ok((
                status_views::load(conn, viewer, ancestors, thread)?,
                status_views::load(conn, viewer, descendants, thread)?,
            ))
        })
        .await?;
    let render = |views: Vec<status_views::StatusView>| {
        views
            .iter()
            .filter(|v| !v.hidden_by_filter())
            .map(|v| Status::from_view(&state.urls, v))
            .collect()
    };
    Ok(Json(Context {
        ancestors: render(ancestors),
        descendants: render(descendants),
    }))
}

async fn source(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadStatuses>,
    Path(id): Path<String>,
) -> AppResult<Json<StatusSource>> {
    let viewer = me.user.account.id;
    let id = path_id(&id)?;
    let status = state
        .db
        .run(move |conn| visibility::visible_status(conn, Some(viewer), id))
        .await?;
    Ok(Json(StatusSource::from_row(&status)))
}

async fn history(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<StatusEdit>>> {
    let viewer = viewer::<scope::ReadStatuses>(&auth)?;
    let id = path_id(&id)?;
    let (edits, view) = state
        .db
        .run(move |conn| {
            let status = visibility::visible_status(conn, viewer, id)?;
            let edits = statuses::history(conn, &status)?;
            let view = status_views::load(conn, viewer, vec![status], None)?
                .pop()
                .ok_or(AppError::NotFound)?;
            Ok((edits, view))
        })
        .await?;
    Ok(Json(
        edits
            .iter()
            .map(|e| StatusEdit::from_row(&state.urls, e, &view))
            .collect(),
    ))
}
