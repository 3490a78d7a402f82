//! `GET /api/v2/search` and the older `GET /api/v1/search` (hashtags as plain names).

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use crate::domain::find::{self, SearchQuery};
use crate::domain::profiles;
use crate::domain::status_views;
use crate::error::{AppError, AppResult};
use crate::http::api::entities::{Account, Status, Tag};
use crate::http::api::statuses::viewer;
use crate::http::extract::auth::INVALID_TOKEN;
use crate::http::extract::{MaybeAuth, Params, lenient, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v2/search", get(search_v2))
        .route("/api/v1/search", get(search_v1))
}

/// `q`, `type`, `resolve`, `following`, `account_id`, `offset`, `limit` (default 20, at most 40).
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    resolve: bool,
    #[serde(default)]
    following: bool,
    #[serde(default, deserialize_with = "lenient::option_i64")]
    account_id: Option<i64>,
    offset: Option<i64>,
    limit: Option<i64>,
}

/// Mastodon's Search entity.
#[derive(Debug, Serialize)]
pub struct Search<H> {
    pub accounts: Vec<Account>,
    pub statuses: Vec<Status>,
    pub hashtags: Vec<H>,
}

async fn run(state: &AppState, auth: &MaybeAuth, params: SearchParams) -> AppResult<Search<Tag>> {
    let viewer = viewer::<scope::ReadSearch>(auth)?;
    let offset = params.offset.unwrap_or(0).max(0);
    // As Mastodon: paging through results and looking remote things up need a signed-in member.
    if viewer.is_none() && (params.resolve || offset > 0) {
        return Err(AppError::Unauthorized(INVALID_TOKEN.to_owned()));
    }
    if params.resolve && viewer.is_some() {
        resolve(state, &params.q).await;
    }
    let query = SearchQuery {
        q: params.q,
        kind: params.kind.filter(|k| !k.is_empty()),
        following: params.following,
        account_id: params.account_id,
        limit: params.limit.unwrap_or(20).clamp(1, 40),
        offset,
    };
    let urls = state.urls.clone();
    let (accounts, hashtags, statuses) = state
        .db
        .run(move |conn| {
            let found = find::search(conn, &urls, viewer, &query)?;
            let ids: Vec<i64> = found.accounts.iter().map(|a| a.id).collect();
            let accounts = profiles::account_views_in(conn, &ids)?;
            let statuses = status_views::load(conn, viewer, found.statuses, None)?;
            Ok((accounts, found.hashtags, statuses))
        })
        .await?;
    Ok(Search {
        accounts: accounts
            .iter()
            .map(|v| Account::from_view(&state.urls, v))
            .collect(),
        statuses: statuses
            .iter()
            .map(|v| Status::from_view(&state.urls, v))
            .collect(),
        hashtags: hashtags
            .iter()
            .map(|t| Tag::from_row(&state.urls, t))
            .collect(),
    })
}

/// Looks a remote account (`name@domain`) or object (a URL) up and stores it, so the search
/// below finds it; a failed lookup only means it is not found.
pub async fn resolve(state: &AppState, q: &str) {
    use crate::federation_glue::resolve::{resolve_acct, resolve_url};
    let q = q.trim();
    let outcome = if q.starts_with("https://") || q.starts_with("http://") {
        match url::Url::parse(q) {
            Ok(url) => resolve_url(state, &url).await.map(drop),
            Err(_) => Ok(()),
        }
    } else if q.trim_start_matches('@').contains('@') {
        resolve_acct(state, q).await.map(drop)
    } else {
        Ok(())
    };
    if let Err(error) = outcome {
        tracing::info!(%error, query = q, "remote lookup for search failed");
    }
}

async fn search_v2(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Params(params): Params<SearchParams>,
) -> AppResult<Json<Search<Tag>>> {
    Ok(Json(run(&state, &auth, params).await?))
}

async fn search_v1(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Params(params): Params<SearchParams>,
) -> AppResult<Json<Search<String>>> {
    let found = run(&state, &auth, params).await?;
    Ok(Json(Search {
        accounts: found.accounts,
        statuses: found.statuses,
        hashtags: found.hashtags.into_iter().map(|t| t.name).collect(),
    }))
}
