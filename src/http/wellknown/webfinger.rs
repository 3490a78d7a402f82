//! `/.well-known/webfinger` (RFC 7033): `acct:name@domain` or an actor URL to its actor.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kakehashi_federation::media_types::{ACTIVITY_JSON, JRD_JSON};
use serde::Deserialize;
use serde_json::json;

use crate::db::models::AccountRow;
use crate::db::store;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/.well-known/webfinger", get(webfinger))
}

#[derive(Deserialize)]
struct WebfingerQuery {
    resource: Option<String>,
}

async fn webfinger(
    State(state): State<AppState>,
    Query(query): Query<WebfingerQuery>,
) -> AppResult<Response> {
    let resource = query
        .resource
        .filter(|r| !r.trim().is_empty())
        .ok_or_else(|| AppError::BadRequest("The resource parameter is missing".to_owned()))?;
    let account = find(&state, resource.trim()).await?;
    let subject = format!("acct:{}@{}", account.username, state.urls.domain());
    let profile = account.url.clone().unwrap_or_else(|| account.ap_id.clone());
    let body = json!({
        "subject": subject,
        "aliases": [account.ap_id, profile],
        "links": [
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": profile,
            },
            {
                "rel": "self",
                "type": ACTIVITY_JSON,
                "href": account.ap_id,
            },
        ],
    });
    Ok((
        [
            (header::CONTENT_TYPE, format!("{JRD_JSON}; charset=utf-8")),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_owned()),
        ],
        body.to_string(),
    )
        .into_response())
}

/// `acct:name@our.domain`, `name@our.domain` or one of our actor URLs.
async fn find(state: &AppState, resource: &str) -> AppResult<AccountRow> {
    let domain = state.urls.domain().to_lowercase();
    let resource = resource.to_owned();
    if resource.starts_with("http://") || resource.starts_with("https://") {
        return state
            .db
            .run(move |conn| {
                let account = store::accounts::find_by_ap_id(conn, &resource)?
                    .or(store::accounts::find_by_url(conn, &resource)?)
                    .filter(AccountRow::is_local)
                    .ok_or(AppError::NotFound)?;
                Ok(account)
            })
            .await;
    }
    let acct = resource.strip_prefix("acct:").unwrap_or(&resource);
    let acct = acct.trim_start_matches('@');
    let (name, host) = acct
        .rsplit_once('@')
        .ok_or_else(|| AppError::BadRequest("The resource is not acct:name@domain".to_owned()))?;
    if host.to_lowercase().trim_end_matches('.') != domain {
        return Err(AppError::NotFound);
    }
    let name = name.to_owned();
    state
        .db
        .run(move |conn| {
            store::accounts::find_by_acct(conn, &name, None)?
                .filter(|a| a.suspended_at.is_none())
                .ok_or(AppError::NotFound)
        })
        .await
}
