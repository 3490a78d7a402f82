//! Media uploads: `POST /api/v2/media` (202, processed in the background), `POST /api/v1/media`
//! (200 once processed), `GET /api/v1/media/{id}` (206 while processing, 200 when ready, 422 when
//! processing failed) and `PUT /api/v1/media/{id}` (alt text and focus).

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::Deserialize;

use crate::db::models::MediaRow;
use crate::domain::media::{self, Upload};
use crate::error::{AppError, AppResult};
use crate::http::api::entities::MediaAttachment;
use crate::http::extract::{CurrentUser, Params, ParamsWithFiles, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/media", post(create_v1))
        .route("/api/v2/media", post(create_v2))
        .route("/api/v1/media/{id}", get(show).put(update))
}

#[derive(Debug, Deserialize)]
pub struct UploadParams {
    description: Option<String>,
    focus: Option<String>,
}

fn upload_of(mut form: ParamsWithFiles<UploadParams>) -> AppResult<Upload> {
    let file = form.take_file("file").ok_or_else(|| {
        AppError::Unprocessable("Validation failed: File can't be blank".to_owned())
    })?;
    let thumbnail = form.take_file("thumbnail");
    Ok(Upload {
        file: file.bytes.to_vec(),
        thumbnail: thumbnail.map(|t| t.bytes.to_vec()),
        description: form.params.description,
        focus: form.params.focus,
    })
}

fn entity(state: &AppState, row: &MediaRow) -> Json<MediaAttachment> {
    Json(MediaAttachment::from_row(&state.urls, row))
}

async fn create_v2(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteMedia>,
    form: ParamsWithFiles<UploadParams>,
) -> AppResult<(StatusCode, Json<MediaAttachment>)> {
    let row = media::upload(
        &state.db,
        &state.media,
        me.user.account.id,
        upload_of(form)?,
        false,
    )
    .await?;
    let status = if row.state == "ready" {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    Ok((status, entity(&state, &row)))
}

async fn create_v1(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteMedia>,
    form: ParamsWithFiles<UploadParams>,
) -> AppResult<Json<MediaAttachment>> {
    let row = media::upload(
        &state.db,
        &state.media,
        me.user.account.id,
        upload_of(form)?,
        true,
    )
    .await?;
    if row.state == "failed" {
        return Err(processing_failed());
    }
    Ok(entity(&state, &row))
}

fn processing_failed() -> AppError {
    AppError::Unprocessable("Error processing thumbnail for uploaded media".to_owned())
}

fn media_id(id: &str) -> AppResult<i64> {
    id.parse().map_err(|_| AppError::NotFound)
}

async fn show(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteMedia>,
    Path(id): Path<String>,
) -> AppResult<(StatusCode, Json<MediaAttachment>)> {
    let row = media::find_own_unattached(&state.db, me.user.account.id, media_id(&id)?).await?;
    match row.state.as_str() {
        "ready" => Ok((StatusCode::OK, entity(&state, &row))),
        "processing" => Ok((StatusCode::PARTIAL_CONTENT, entity(&state, &row))),
        _ => Err(processing_failed()),
    }
}

#[derive(Debug, Deserialize)]
pub struct UpdateParams {
    description: Option<String>,
    focus: Option<String>,
}

async fn update(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteMedia>,
    Path(id): Path<String>,
    Params(params): Params<UpdateParams>,
) -> AppResult<Json<MediaAttachment>> {
    let row = media::update(
        &state.db,
        me.user.account.id,
        media_id(&id)?,
        params.description,
        params.focus,
    )
    .await?;
    Ok(entity(&state, &row))
}
