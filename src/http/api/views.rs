//! Loading and rendering what several endpoints answer: statuses (through
//! `domain::status_views`, one batch per page), accounts, relationships, and pages of them with
//! their `Link` header.

use axum::Json;
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::db::DbConnection;
use crate::db::models::StatusRow;
use crate::domain::filters::FilterContext;
use crate::domain::{profiles, relationships, status_views};
use crate::error::{AppError, AppResult};
use crate::http::api::entities::{Account, Relationship, Status};
use crate::http::api::pagination::LinkHeader;
use crate::state::AppState;

/// A list answer with its `Link` header.
pub struct Paged<T> {
    pub items: Vec<T>,
    pub link: Option<HeaderValue>,
}

impl<T> Paged<T> {
    /// Items whose page cursors are `ids` (newest first).
    pub fn new(state: &AppState, uri: &Uri, items: Vec<T>, ids: &[i64]) -> Paged<T> {
        Paged {
            items,
            link: LinkHeader::for_ids(&state.urls, uri, ids).to_header(),
        }
    }

    /// Items without paging.
    pub fn all(items: Vec<T>) -> Paged<T> {
        Paged { items, link: None }
    }
}

impl<T: Serialize> IntoResponse for Paged<T> {
    fn into_response(self) -> Response {
        let mut response = Json(self.items).into_response();
        if let Some(link) = self.link {
            response.headers_mut().insert(header::LINK, link);
        }
        response
    }
}

/// Runs `load` and renders the statuses it returns as `viewer` sees them, with the viewer's
/// filters of `context`; statuses a `hide` filter matches are left out. Also returns the ids of
/// every loaded row, for the `Link` header (so paging goes on past hidden ones).
pub async fn statuses<F>(
    state: &AppState,
    viewer: Option<i64>,
    context: Option<FilterContext>,
    load: F,
) -> AppResult<(Vec<Status>, Vec<i64>)>
where
    F: FnOnce(&mut DbConnection) -> Result<Vec<StatusRow>, AppError> + Send + 'static,
{
    let (views, ids) = state
        .db
        .run(move |conn| {
            let rows = load(conn)?;
            let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
            Ok((status_views::load(conn, viewer, rows, context)?, ids))
        })
        .await?;
    let rendered = views
        .iter()
        .filter(|v| !v.hidden_by_filter())
        .map(|v| Status::from_view(&state.urls, v))
        .collect();
    Ok((rendered, ids))
}

/// A page of statuses with its `Link` header.
pub async fn status_page<F>(
    state: &AppState,
    uri: &Uri,
    viewer: Option<i64>,
    context: Option<FilterContext>,
    load: F,
) -> AppResult<Paged<Status>>
where
    F: FnOnce(&mut DbConnection) -> Result<Vec<StatusRow>, AppError> + Send + 'static,
{
    let (items, ids) = statuses(state, viewer, context, load).await?;
    Ok(Paged::new(state, uri, items, &ids))
}

/// One status `load` finds, as `viewer` sees it (filters of the thread context are shown, never
/// applied: a status asked for by id is always answered).
pub async fn status<F>(state: &AppState, viewer: Option<i64>, load: F) -> AppResult<Json<Status>>
where
    F: FnOnce(&mut DbConnection) -> Result<StatusRow, AppError> + Send + 'static,
{
    let view = state
        .db
        .run(move |conn| {
            let row = load(conn)?;
            status_views::load(conn, viewer, vec![row], Some(FilterContext::Thread))?
                .pop()
                .ok_or(AppError::NotFound)
        })
        .await?;
    Ok(Json(Status::from_view(&state.urls, &view)))
}

/// Accounts by id, in order, unknown and suspended ones left out.
pub async fn accounts(state: &AppState, ids: Vec<i64>) -> AppResult<Vec<Account>> {
    Ok(profiles::account_views(&state.db, ids)
        .await?
        .iter()
        .map(|v| Account::from_view(&state.urls, v))
        .collect())
}

/// The member's relationship with one account.
pub async fn relationship(state: &AppState, me: i64, target: i64) -> AppResult<Json<Relationship>> {
    let view = relationships::one(&state.db, me, target).await?;
    Ok(Json(Relationship::from_view(&view)))
}

/// A path id: a number, else 404 (as for an unknown record).
pub fn path_id(id: &str) -> AppResult<i64> {
    id.parse().map_err(|_| AppError::NotFound)
}
