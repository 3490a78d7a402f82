//! `GET /api/v1/notifications` (`types[]`, `exclude_types[]`, `account_id`, paging),
//! `GET /{id}`, `POST /{id}/dismiss`, `POST /clear`.

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::db::DbConnection;
use crate::db::models::NotificationRow;
use crate::db::store;
use crate::domain::filters::FilterContext;
use crate::domain::notifications::{self, NotificationFilter};
use crate::domain::{profiles, status_views};
use crate::error::{AppError, AppResult};
use crate::http::api::entities::{Account, Notification, Status};
use crate::http::api::pagination::PageParams;
use crate::http::api::views::{Paged, path_id};
use crate::http::extract::{CurrentUser, Params, lenient, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/notifications", get(index))
        .route("/api/v1/notifications/clear", post(clear))
        .route("/api/v1/notifications/{id}", get(show))
        .route("/api/v1/notifications/{id}/dismiss", post(dismiss))
}

/// Renders notifications for their recipient: the accounts and statuses of the whole page in
/// one batch each. Notifications about a status a `hide` filter drops are left out.
pub fn render(
    conn: &mut DbConnection,
    state: &AppState,
    recipient: i64,
    rows: Vec<NotificationRow>,
) -> AppResult<Vec<Notification>> {
    let mut account_ids: Vec<i64> = rows.iter().map(|n| n.from_account_id).collect();
    account_ids.sort_unstable();
    account_ids.dedup();
    let accounts: HashMap<i64, Account> = profiles::account_views_in(conn, &account_ids)?
        .iter()
        .map(|v| (v.account.id, Account::from_view(&state.urls, v)))
        .collect();
    let status_ids: Vec<i64> = rows.iter().filter_map(|n| n.status_id).collect();
    let status_rows = store::statuses::find_many(conn, &status_ids)?;
    let statuses: HashMap<i64, Option<Status>> = status_views::load(
        conn,
        Some(recipient),
        status_rows,
        Some(FilterContext::Notifications),
    )?
    .iter()
    .map(|v| {
        let shown = (!v.hidden_by_filter()).then(|| Status::from_view(&state.urls, v));
        (v.status.id, shown)
    })
    .collect();
    Ok(rows
        .iter()
        .filter_map(|row| {
            let account = accounts.get(&row.from_account_id)?.clone();
            let status = match row.status_id {
                None => None,
                Some(id) => Some(statuses.get(&id)?.clone()?),
            };
            Some(Notification::new(row, account, status))
        })
        .collect())
}

#[derive(Debug, Default, Deserialize)]
pub struct IndexParams {
    #[serde(default)]
    types: Vec<String>,
    #[serde(default)]
    exclude_types: Vec<String>,
    #[serde(default, deserialize_with = "lenient::option_i64")]
    account_id: Option<i64>,
    #[serde(flatten)]
    page: PageParams,
}

async fn index(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadNotifications>,
    uri: Uri,
    Params(params): Params<IndexParams>,
) -> AppResult<Paged<Notification>> {
    let me = me.user.account.id;
    let filter = NotificationFilter {
        types: params.types,
        exclude_types: params.exclude_types,
        account_id: params.account_id,
    };
    let page = params.page.page();
    let worker = state.clone();
    let (items, ids) = state
        .db
        .run(move |conn| {
            let rows = notifications::list(conn, me, &filter, &page)?;
            let ids: Vec<i64> = rows.iter().map(|n| n.id).collect();
            Ok((render(conn, &worker, me, rows)?, ids))
        })
        .await?;
    Ok(Paged::new(&state, &uri, items, &ids))
}

async fn show(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadNotifications>,
    Path(id): Path<String>,
) -> AppResult<Json<Notification>> {
    let me = me.user.account.id;
    let id = path_id(&id)?;
    let worker = state.clone();
    let rendered = state
        .db
        .run(move |conn| {
            let row = notifications::find(conn, me, id)?;
            render(conn, &worker, me, vec![row])
        })
        .await?;
    rendered
        .into_iter()
        .next()
        .map(Json)
        .ok_or(AppError::NotFound)
}

async fn dismiss(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteNotifications>,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let me = me.user.account.id;
    let id = path_id(&id)?;
    state
        .db
        .run(move |conn| notifications::dismiss(conn, me, id))
        .await?;
    Ok(Json(json!({})))
}

async fn clear(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteNotifications>,
) -> AppResult<Json<Value>> {
    let me = me.user.account.id;
    state
        .db
        .run(move |conn| notifications::clear(conn, me))
        .await?;
    Ok(Json(json!({})))
}
