//! Filters: v2 (`/api/v2/filters` with `keywords_attributes[]`, `/{id}/keywords`,
//! `/{id}/statuses`, `/keywords/{id}`, `/statuses/{id}`) and v1 (`/api/v1/filters`, one keyword
//! each).

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::filters::{self, FilterInput, KeywordInput, V1Input};
use crate::error::{AppError, AppResult};
use crate::http::api::entities::filter::{FilterKeyword, FilterStatus};
use crate::http::api::entities::{Filter, V1FilterEntity};
use crate::http::api::views::path_id;
use crate::http::extract::{CurrentUser, Params, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v2/filters", get(index).post(create))
        .route(
            "/api/v2/filters/{id}",
            get(show).put(update).delete(destroy),
        )
        .route(
            "/api/v2/filters/{id}/keywords",
            get(keywords).post(add_keyword),
        )
        .route(
            "/api/v2/filters/keywords/{id}",
            get(keyword).put(update_keyword).delete(delete_keyword),
        )
        .route(
            "/api/v2/filters/{id}/statuses",
            get(statuses).post(add_status),
        )
        .route(
            "/api/v2/filters/statuses/{id}",
            get(status).delete(delete_status),
        )
        .route("/api/v1/filters", get(v1_index).post(v1_create))
        .route(
            "/api/v1/filters/{id}",
            get(v1_show).put(v1_update).delete(v1_destroy),
        )
}

/// `expires_in`: left out keeps the expiry, empty text removes it, seconds set it.
fn expires_in(value: Option<String>) -> AppResult<Option<Option<i64>>> {
    match value.as_deref().map(str::trim) {
        None => Ok(None),
        Some("") => Ok(Some(None)),
        Some(seconds) => seconds.parse::<i64>().map(|s| Some(Some(s))).map_err(|_| {
            AppError::Unprocessable(format!(
                "Validation failed: Expires in \"{seconds}\" is not a number of seconds"
            ))
        }),
    }
}

fn optional_id(id: Option<String>) -> AppResult<Option<i64>> {
    id.filter(|i| !i.trim().is_empty())
        .map(|i| i.trim().parse().map_err(|_| AppError::NotFound))
        .transpose()
}

#[derive(Debug, Default, Deserialize)]
pub struct KeywordParams {
    id: Option<String>,
    keyword: Option<String>,
    whole_word: Option<bool>,
    #[serde(rename = "_destroy", default)]
    destroy: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct FilterParams {
    title: Option<String>,
    context: Option<Vec<String>>,
    filter_action: Option<String>,
    expires_in: Option<String>,
    #[serde(default)]
    keywords_attributes: Vec<KeywordParams>,
}

fn input(params: FilterParams) -> AppResult<FilterInput> {
    Ok(FilterInput {
        title: params.title,
        context: params.context,
        action: params.filter_action,
        expires_in: expires_in(params.expires_in)?,
        keywords: params
            .keywords_attributes
            .into_iter()
            .map(|k| {
                Ok(KeywordInput {
                    id: optional_id(k.id)?,
                    keyword: k.keyword,
                    whole_word: k.whole_word,
                    destroy: k.destroy,
                })
            })
            .collect::<AppResult<_>>()?,
    })
}

async fn index(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadFilters>,
) -> AppResult<Json<Vec<Filter>>> {
    let views = filters::list(&state.db, me.user.account.id).await?;
    Ok(Json(views.iter().map(Filter::from_view).collect()))
}

async fn show(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadFilters>,
    Path(id): Path<String>,
) -> AppResult<Json<Filter>> {
    let view = filters::get(&state.db, me.user.account.id, path_id(&id)?).await?;
    Ok(Json(Filter::from_view(&view)))
}

async fn create(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFilters>,
    Params(params): Params<FilterParams>,
) -> AppResult<Json<Filter>> {
    let view = filters::create(&state.db, me.user.account.id, input(params)?).await?;
    Ok(Json(Filter::from_view(&view)))
}

async fn update(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFilters>,
    Path(id): Path<String>,
    Params(params): Params<FilterParams>,
) -> AppResult<Json<Filter>> {
    let view =
        filters::update(&state.db, me.user.account.id, path_id(&id)?, input(params)?).await?;
    Ok(Json(Filter::from_view(&view)))
}

async fn destroy(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFilters>,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    filters::delete(&state.db, me.user.account.id, path_id(&id)?).await?;
    Ok(Json(json!({})))
}

async fn keywords(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadFilters>,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<FilterKeyword>>> {
    let view = filters::get(&state.db, me.user.account.id, path_id(&id)?).await?;
    Ok(Json(
        view.keywords.iter().map(FilterKeyword::from_row).collect(),
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct OneKeywordParams {
    keyword: Option<String>,
    whole_word: Option<bool>,
}

async fn add_keyword(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFilters>,
    Path(id): Path<String>,
    Params(params): Params<OneKeywordParams>,
) -> AppResult<Json<FilterKeyword>> {
    let row = filters::add_keyword(
        &state.db,
        me.user.account.id,
        path_id(&id)?,
        params.keyword.unwrap_or_default(),
        params.whole_word,
    )
    .await?;
    Ok(Json(FilterKeyword::from_row(&row)))
}

async fn keyword(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadFilters>,
    Path(id): Path<String>,
) -> AppResult<Json<FilterKeyword>> {
    let row = filters::keyword(&state.db, me.user.account.id, path_id(&id)?).await?;
    Ok(Json(FilterKeyword::from_row(&row)))
}

async fn update_keyword(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFilters>,
    Path(id): Path<String>,
    Params(params): Params<OneKeywordParams>,
) -> AppResult<Json<FilterKeyword>> {
    let row = filters::update_keyword(
        &state.db,
        me.user.account.id,
        path_id(&id)?,
        params.keyword,
        params.whole_word,
    )
    .await?;
    Ok(Json(FilterKeyword::from_row(&row)))
}

async fn delete_keyword(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFilters>,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    filters::delete_keyword(&state.db, me.user.account.id, path_id(&id)?).await?;
    Ok(Json(json!({})))
}

async fn statuses(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadFilters>,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<FilterStatus>>> {
    let view = filters::get(&state.db, me.user.account.id, path_id(&id)?).await?;
    Ok(Json(
        view.statuses.iter().map(FilterStatus::from_row).collect(),
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct StatusParams {
    status_id: Option<String>,
}

async fn add_status(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFilters>,
    Path(id): Path<String>,
    Params(params): Params<StatusParams>,
) -> AppResult<Json<FilterStatus>> {
    let status_id = optional_id(params.status_id)?.ok_or(AppError::NotFound)?;
    let row = filters::add_status(&state.db, me.user.account.id, path_id(&id)?, status_id).await?;
    Ok(Json(FilterStatus::from_row(&row)))
}

async fn status(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadFilters>,
    Path(id): Path<String>,
) -> AppResult<Json<FilterStatus>> {
    let row = filters::status(&state.db, me.user.account.id, path_id(&id)?).await?;
    Ok(Json(FilterStatus::from_row(&row)))
}

async fn delete_status(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFilters>,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    filters::delete_status(&state.db, me.user.account.id, path_id(&id)?).await?;
    Ok(Json(json!({})))
}

#[derive(Debug, Default, Deserialize)]
pub struct V1Params {
    phrase: Option<String>,
    context: Option<Vec<String>>,
    irreversible: Option<bool>,
    whole_word: Option<bool>,
    expires_in: Option<String>,
}

fn v1_input(params: V1Params) -> AppResult<V1Input> {
    Ok(V1Input {
        phrase: params.phrase,
        context: params.context,
        irreversible: params.irreversible,
        whole_word: params.whole_word,
        expires_in: expires_in(params.expires_in)?,
    })
}

async fn v1_index(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadFilters>,
) -> AppResult<Json<Vec<V1FilterEntity>>> {
    let rows = filters::v1_list(&state.db, me.user.account.id).await?;
    Ok(Json(rows.iter().map(V1FilterEntity::from_v1).collect()))
}

async fn v1_show(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadFilters>,
    Path(id): Path<String>,
) -> AppResult<Json<V1FilterEntity>> {
    let row = filters::v1_get(&state.db, me.user.account.id, path_id(&id)?).await?;
    Ok(Json(V1FilterEntity::from_v1(&row)))
}

async fn v1_create(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFilters>,
    Params(params): Params<V1Params>,
) -> AppResult<Json<V1FilterEntity>> {
    let row = filters::v1_create(&state.db, me.user.account.id, v1_input(params)?).await?;
    Ok(Json(V1FilterEntity::from_v1(&row)))
}

async fn v1_update(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFilters>,
    Path(id): Path<String>,
    Params(params): Params<V1Params>,
) -> AppResult<Json<V1FilterEntity>> {
    let row = filters::v1_update(
        &state.db,
        me.user.account.id,
        path_id(&id)?,
        v1_input(params)?,
    )
    .await?;
    Ok(Json(V1FilterEntity::from_v1(&row)))
}

async fn v1_destroy(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteFilters>,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    filters::v1_delete(&state.db, me.user.account.id, path_id(&id)?).await?;
    Ok(Json(json!({})))
}
