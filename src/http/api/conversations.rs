//! `GET /api/v1/conversations` (paged by the last status), `POST /{id}/read`, `DELETE /{id}`.

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::{delete, get, post};
use serde::Serialize;
use serde_json::{Value, json};

use crate::db::DbConnection;
use crate::domain::conversations::{self, ConversationView};
use crate::domain::{profiles, status_views};
use crate::error::AppResult;
use crate::http::api::entities::{Account, Status};
use crate::http::api::pagination::PageParams;
use crate::http::api::views::{Paged, path_id};
use crate::http::extract::{CurrentUser, Params, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/conversations", get(index))
        .route("/api/v1/conversations/{id}", delete(remove))
        .route("/api/v1/conversations/{id}/read", post(read))
}

/// Mastodon's Conversation entity.
#[derive(Debug, Clone, Serialize)]
pub struct Conversation {
    pub id: String,
    pub unread: bool,
    pub accounts: Vec<Account>,
    pub last_status: Option<Status>,
}

/// Renders conversations: the participants and last statuses in one batch each.
pub fn render(
    conn: &mut DbConnection,
    state: &AppState,
    me: i64,
    views: Vec<ConversationView>,
) -> AppResult<Vec<Conversation>> {
    let mut people: Vec<i64> = views.iter().flat_map(|v| v.participants.clone()).collect();
    people.sort_unstable();
    people.dedup();
    let accounts: HashMap<i64, Account> = profiles::account_views_in(conn, &people)?
        .iter()
        .map(|v| (v.account.id, Account::from_view(&state.urls, v)))
        .collect();
    let rows = views.iter().map(|v| v.last_status.clone()).collect();
    let statuses: HashMap<i64, Status> = status_views::load(conn, Some(me), rows, None)?
        .iter()
        .map(|v| (v.status.id, Status::from_view(&state.urls, v)))
        .collect();
    Ok(views
        .iter()
        .map(|v| Conversation {
            id: v.id.to_string(),
            unread: v.unread,
            accounts: v
                .participants
                .iter()
                .filter_map(|id| accounts.get(id).cloned())
                .collect(),
            last_status: statuses.get(&v.last_status.id).cloned(),
        })
        .collect())
}

async fn index(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadStatuses>,
    uri: Uri,
    Params(paging): Params<PageParams>,
) -> AppResult<Paged<Conversation>> {
    let me = me.user.account.id;
    let page = paging.page();
    let worker = state.clone();
    let (items, cursors) = state
        .db
        .run(move |conn| {
            let views = conversations::page(conn, me, &page)?;
            let cursors: Vec<i64> = views.iter().map(|v| v.last_status.id).collect();
            Ok((render(conn, &worker, me, views)?, cursors))
        })
        .await?;
    Ok(Paged::new(&state, &uri, items, &cursors))
}

async fn read(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteConversations>,
    Path(id): Path<String>,
) -> AppResult<Json<Conversation>> {
    let me = me.user.account.id;
    let view = conversations::read(&state.db, me, path_id(&id)?).await?;
    let worker = state.clone();
    let mut rendered = state
        .db
        .run(move |conn| render(conn, &worker, me, vec![view]))
        .await?;
    rendered
        .pop()
        .map(Json)
        .ok_or(crate::error::AppError::NotFound)
}

async fn remove(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteConversations>,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    conversations::remove(&state.db, me.user.account.id, path_id(&id)?).await?;
    Ok(Json(json!({})))
}
