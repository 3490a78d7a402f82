//! `POST /api/v1/statuses`, `GET`/`PUT`/`DELETE /api/v1/statuses/{id}`.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::Value;

use crate::db::store;
use crate::domain::posting::{self, ClientPost};
use crate::domain::status_views;
use crate::domain::statuses::{self, EditPost, NewPost};
use crate::domain::visibility::{self, Visibility};
use crate::error::{AppError, AppResult};
use crate::http::api::entities::Status;
use crate::http::api::statuses::viewer;
use crate::http::api::views::{self, path_id};
use crate::http::extract::{CurrentUser, MaybeAuth, Params, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/statuses", post(create)).route(
        "/api/v1/statuses/{id}",
        get(show).put(update).delete(destroy),
    )
}

/// `status`, `media_ids[]`, `in_reply_to_id`, `sensitive`, `spoiler_text`, `visibility`,
/// `language`; `poll` and `scheduled_at` are refused while they are not supported.
#[derive(Debug, Default, Deserialize)]
pub struct PostParams {
    status: Option<String>,
    #[serde(default)]
    media_ids: Option<Vec<String>>,
    in_reply_to_id: Option<String>,
    sensitive: Option<bool>,
    spoiler_text: Option<String>,
    visibility: Option<String>,
    language: Option<String>,
    poll: Option<Value>,
    scheduled_at: Option<String>,
}

fn ids(values: &[String]) -> AppResult<Vec<i64>> {
    values
        .iter()
        .filter(|v| !v.trim().is_empty())
        .map(|v| {
            v.trim().parse().map_err(|_| {
                AppError::Unprocessable(format!("Validation failed: \"{v}\" is not an id"))
            })
        })
        .collect()
}

fn refuse_unsupported(params: &PostParams) -> AppResult<()> {
    let has_poll = params
        .poll
        .as_ref()
        .is_some_and(|p| p.as_object().is_some_and(|o| !o.is_empty()));
    if has_poll {
        return Err(AppError::Unprocessable(
            "Polls are not supported on this server yet".to_owned(),
        ));
    }
    if params
        .scheduled_at
        .as_deref()
        .is_some_and(|s| !s.trim().is_empty())
    {
        return Err(AppError::Unprocessable(
            "Scheduled statuses are not supported on this server yet".to_owned(),
        ));
    }
    Ok(())
}

async fn create(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteStatuses>,
    headers: HeaderMap,
    Params(params): Params<PostParams>,
) -> AppResult<Json<Status>> {
    let author = me.user.account.id;
    let request = client_post(params, me.auth.0.application.id, &headers)?;
    let row = posting::publish(&state, author, request).await?;
    views::status(&state, Some(author), move |_| Ok(row)).await
}

/// A post as a client sent it (`POST /api/v1/statuses`, and into a group).
pub fn client_post(
    params: PostParams,
    application_id: i64,
    headers: &HeaderMap,
) -> AppResult<ClientPost> {
    refuse_unsupported(&params)?;
    Ok(ClientPost {
        post: NewPost {
            text: params.status.unwrap_or_default(),
            spoiler_text: params.spoiler_text.unwrap_or_default(),
            sensitive: false,
            visibility: params
                .visibility
                .as_deref()
                .filter(|v| !v.is_empty())
                .map(Visibility::parse)
                .transpose()?,
            language: params.language.filter(|l| !l.trim().is_empty()),
            in_reply_to_id: params
                .in_reply_to_id
                .as_deref()
                .filter(|v| !v.trim().is_empty())
                .map(|v| {
                    v.trim().parse().map_err(|_| {
                        AppError::Missing(
                            "The status you are replying to does not exist".to_owned(),
                        )
                    })
                })
                .transpose()?,
            media_ids: ids(&params.media_ids.unwrap_or_default())?,
            group_id: None,
        },
        sensitive: params.sensitive,
        application_id: Some(application_id),
        idempotency_key: headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    })
}

async fn show(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Path(id): Path<String>,
) -> AppResult<Json<Status>> {
    let viewer = viewer::<scope::ReadStatuses>(&auth)?;
    let id = path_id(&id)?;
    views::status(&state, viewer, move |conn| {
        visibility::visible_status(conn, viewer, id)
    })
    .await
}

async fn update(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteStatuses>,
    Path(id): Path<String>,
    Params(params): Params<PostParams>,
) -> AppResult<Json<Status>> {
    refuse_unsupported(&params)?;
    let editor = me.user.account.id;
    let id = path_id(&id)?;
    let (current, media) = state
        .db
        .run(move |conn| {
            let status = store::statuses::find(conn, id)?
                .filter(|s| s.account_id == editor && s.reblog_of_id.is_none())
                .ok_or(AppError::NotFound)?;
            let media: Vec<i64> = store::media::for_statuses(conn, &[id])?
                .iter()
                .map(|m| m.id)
                .collect();
            Ok((status, media))
        })
        .await?;
    if let Some(wanted) = &params.media_ids {
        let mut wanted = ids(wanted)?;
        let mut current_media = media.clone();
        wanted.sort_unstable();
        wanted.dedup();
        current_media.sort_unstable();
        if wanted != current_media {
            return Err(AppError::Unprocessable(
                "Changing the attachments of a status is not supported on this server yet"
                    .to_owned(),
            ));
        }
    }
    let edit = EditPost {
        text: params
            .status
            .unwrap_or_else(|| current.source_text.clone().unwrap_or_default()),
        spoiler_text: params
            .spoiler_text
            .unwrap_or_else(|| current.spoiler_text.clone()),
        sensitive: params.sensitive.unwrap_or(current.sensitive),
        language: params.language.filter(|l| !l.trim().is_empty()),
    };
    let row = statuses::edit(&state, editor, id, edit).await?;
    views::status(&state, Some(editor), move |_| Ok(row)).await
}

async fn destroy(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteStatuses>,
    Path(id): Path<String>,
) -> AppResult<Json<Status>> {
    let actor = me.user.account.id;
    let id = path_id(&id)?;
    // Rendered before the rows go: clients redraft from the text and the attachments.
    let view = state
        .db
        .run(move |conn| {
            let status = visibility::visible_status(conn, Some(actor), id)?;
            status_views::load(conn, Some(actor), vec![status], None)?
                .pop()
                .ok_or(AppError::NotFound)
        })
        .await?;
    statuses::delete(&state, actor, me.user.role(), id).await?;
    Ok(Json(Status::deleted(&state.urls, &view)))
}
