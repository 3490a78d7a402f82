//! The groups API pl-fe speaks (Rebased's `/api/v1/groups…`, switched on by `pleroma:groups` in
//! the instance's features): groups themselves (`manage`), membership and moderation of people
//! (`members`), and posts in a group (`posts`). See docs/API.md for the differences from Rebased.

pub mod manage;
pub mod members;
pub mod posts;

use axum::Router;
use serde::Deserialize;

use crate::domain::group_members;
use crate::domain::{groups, profiles};
use crate::error::{AppError, AppResult};
use crate::http::api::entities::group::Group;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(manage::routes())
        .merge(members::routes())
        .merge(posts::routes())
}

/// Groups by account id, in order, as `viewer` sees them (with their relationship); ids that are
/// not groups, or deleted ones, are left out.
pub async fn render(state: &AppState, viewer: Option<i64>, ids: Vec<i64>) -> AppResult<Vec<Group>> {
    let urls = state.urls.clone();
    state
        .db
        .run(move |conn| {
            let mut out = Vec::with_capacity(ids.len());
            for view in profiles::account_views_in(conn, &ids)? {
                let info = match group_members::info(conn, view.account.id) {
                    Ok(info) => info,
                    Err(AppError::NotFound) => continue,
                    Err(e) => return Err(e),
                };
                let standing = viewer
                    .map(|v| groups::standing(conn, info.account.id, v))
                    .transpose()?;
                out.push(Group::new(&urls, &info, &view, standing.as_ref()));
            }
            Ok(out)
        })
        .await
}

/// One group, or 404 `Record not found`.
pub async fn render_one(state: &AppState, viewer: Option<i64>, id: i64) -> AppResult<Group> {
    render(state, viewer, vec![id])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// `account_ids[]` (one or several), as `kick`, `blocks`, `promote` and `demote` take them.
#[derive(Debug, Default, Deserialize)]
pub struct AccountIds {
    #[serde(default)]
    pub account_ids: Vec<String>,
    /// `promote` and `demote`: the role to give.
    pub role: Option<String>,
}

impl AccountIds {
    /// The ids; 422 when there are none, 404 for one that is not a number.
    pub fn ids(&self) -> AppResult<Vec<i64>> {
        let ids = self
            .account_ids
            .iter()
            .filter(|v| !v.trim().is_empty())
            .map(|v| v.trim().parse().map_err(|_| AppError::NotFound))
            .collect::<AppResult<Vec<i64>>>()?;
        if ids.is_empty() {
            return Err(AppError::Unprocessable(
                "Validation failed: account_ids is missing".to_owned(),
            ));
        }
        Ok(ids)
    }
}
