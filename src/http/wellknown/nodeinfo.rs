//! NodeInfo 2.0 and 2.1: what software this is, its protocols and usage, and (FEP-2677) where
//! the instance actor is.

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::config::RegistrationMode;
use crate::db::store;
use crate::error::AppResult;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/.well-known/nodeinfo", get(links))
        .route("/nodeinfo/2.0", get(nodeinfo_20))
        .route("/nodeinfo/2.1", get(nodeinfo_21))
}

async fn links(State(state): State<AppState>) -> Response {
    let body = json!({
        "links": [
            {
                "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
                "href": state.urls.join("/nodeinfo/2.0"),
            },
            {
                "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                "href": state.urls.join("/nodeinfo/2.1"),
            },
            {
                "rel": "https://www.w3.org/ns/activitystreams#Application",
                "href": state.urls.instance_actor(),
            },
        ]
    });
    (
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        body.to_string(),
    )
        .into_response()
}

async fn nodeinfo_20(State(state): State<AppState>) -> AppResult<Response> {
    document(&state, "2.0").await
}

async fn nodeinfo_21(State(state): State<AppState>) -> AppResult<Response> {
    document(&state, "2.1").await
}

async fn document(state: &AppState, version: &str) -> AppResult<Response> {
    let now = Utc::now().naive_utc();
    let (users, month, half_year, posts) = state
        .db
        .run(move |conn| {
            Ok((
                store::accounts::count_local_users(conn)?,
                store::accounts::count_active_users(conn, now - Duration::days(30))?,
                store::accounts::count_active_users(conn, now - Duration::days(180))?,
                store::statuses::count_local(conn)?,
            ))
        })
        .await?;
    let config = &state.config;
    let mut software = json!({
        "name": "kakehashi",
        "version": env!("CARGO_PKG_VERSION"),
    });
    if version == "2.1" {
        software["repository"] = Value::from(env!("CARGO_PKG_REPOSITORY"));
    }
    let body = json!({
        "version": version,
        "software": software,
        "protocols": ["activitypub"],
        "services": { "inbound": [], "outbound": [] },
        "openRegistrations": config.instance.registration == RegistrationMode::Open,
        "usage": {
            "users": { "total": users, "activeMonth": month, "activeHalfyear": half_year },
            "localPosts": posts,
        },
        "metadata": {
            "nodeName": config.instance.name.get("ja"),
            "nodeNameEn": config.instance.name.get("en"),
            "nodeDescription": config.instance.description.get("ja"),
            "nodeDescriptionEn": config.instance.description.get("en"),
            "organisation": {
                "name": config.organisation.name.get("ja"),
                "nameEn": config.organisation.name.get("en"),
                "localGovernmentCode": config.organisation.local_government_code,
                "prefecture": config.prefecture().map(|p| p.code_string()),
            },
            "languages": ["ja", "en"],
        },
    });
    let profile = format!(
        "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/{version}#\""
    );
    Ok((
        [
            (header::CONTENT_TYPE, profile),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_owned()),
        ],
        body.to_string(),
    )
        .into_response())
}
