//! `GET /api/v1/timelines/home`, `/public`, `/tag/{hashtag}` and `/list/{id}`, paged with `Link`.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::get;
use serde::Deserialize;

use crate::db::store::statuses::Origin;
use crate::domain::filters::FilterContext;
use crate::domain::{lists, timelines};
use crate::error::AppResult;
use crate::http::api::entities::Status;
use crate::http::api::pagination::PageParams;
use crate::http::api::statuses::viewer;
use crate::http::api::views::{self, Paged, path_id};
use crate::http::extract::{CurrentUser, MaybeAuth, Params, lenient, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/timelines/home", get(home))
        .route("/api/v1/timelines/public", get(public))
        .route("/api/v1/timelines/tag/{hashtag}", get(tag))
        .route("/api/v1/timelines/list/{id}", get(list))
}

async fn home(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadStatuses>,
    uri: Uri,
    Params(paging): Params<PageParams>,
) -> AppResult<Paged<Status>> {
    let me = me.user.account.id;
    let page = paging.page();
    views::status_page(
        &state,
        &uri,
        Some(me),
        Some(FilterContext::Home),
        move |conn| {
            let rows = timelines::home(conn, me, &page)?;
            lists::without_exclusive(conn, me, rows)
        },
    )
    .await
}

/// `local`, `remote`, `only_media` and the page.
#[derive(Debug, Default, Deserialize)]
pub struct PublicParams {
    #[serde(default, deserialize_with = "lenient::option_bool")]
    local: Option<bool>,
    #[serde(default, deserialize_with = "lenient::option_bool")]
    remote: Option<bool>,
    #[serde(default, deserialize_with = "lenient::option_bool")]
    only_media: Option<bool>,
    #[serde(flatten)]
    page: PageParams,
}

impl PublicParams {
    fn origin(&self) -> Origin {
        match (self.local.unwrap_or(false), self.remote.unwrap_or(false)) {
            (true, false) => Origin::Local,
            (false, true) => Origin::Remote,
            _ => Origin::All,
        }
    }
}

async fn public(
    State(state): State<AppState>,
    auth: MaybeAuth,
    uri: Uri,
    Params(params): Params<PublicParams>,
) -> AppResult<Paged<Status>> {
    let viewer = viewer::<scope::ReadStatuses>(&auth)?;
    let page = params.page.page();
    let (origin, only_media) = (params.origin(), params.only_media.unwrap_or(false));
    views::status_page(
        &state,
        &uri,
        viewer,
        Some(FilterContext::Public),
        move |conn| timelines::public_filtered(conn, viewer, origin, None, only_media, &page),
    )
    .await
}

async fn tag(
    State(state): State<AppState>,
    auth: MaybeAuth,
    uri: Uri,
    Path(hashtag): Path<String>,
    Params(params): Params<PublicParams>,
) -> AppResult<Paged<Status>> {
    let viewer = viewer::<scope::ReadStatuses>(&auth)?;
    let page = params.page.page();
    let (origin, only_media) = (params.origin(), params.only_media.unwrap_or(false));
    let tag = crate::domain::html::normalise_tag(&hashtag);
    views::status_page(
        &state,
        &uri,
        viewer,
        Some(FilterContext::Public),
        move |conn| timelines::public_filtered(conn, viewer, origin, Some(&tag), only_media, &page),
    )
    .await
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadLists>,
    uri: Uri,
    Path(id): Path<String>,
    Params(paging): Params<PageParams>,
) -> AppResult<Paged<Status>> {
    let me = me.user.account.id;
    let id = path_id(&id)?;
    let page = paging.page();
    views::status_page(
        &state,
        &uri,
        Some(me),
        Some(FilterContext::Home),
        move |conn| lists::timeline(conn, me, id, &page),
    )
    .await
}
