//! The instance endpoints: `/api/v1/instance`, `/api/v2/instance` and the v1 extras (rules,
//! peers, activity, extended description). All public.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

use crate::db::store;
use crate::domain::profiles;
use crate::domain::text;
use crate::error::AppResult;
use crate::http::api::entities::instance::{self, InstanceFacts};
use crate::http::api::entities::{Account, time};
use crate::http::web::page::PageLang;
use crate::i18n::Lang;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/instance", get(v1))
        .route("/api/v2/instance", get(v2))
        .route("/api/v1/instance/rules", get(rules))
        .route("/api/v1/instance/peers", get(peers))
        .route("/api/v1/instance/activity", get(activity))
        .route(
            "/api/v1/instance/extended_description",
            get(extended_description),
        )
}

/// The statistics and the contact account, then the entity.
async fn facts(state: &AppState, lang: Lang) -> AppResult<InstanceFacts<'_>> {
    let (stats, admin) = state
        .db
        .run(|conn| {
            Ok((
                store::counts::instance_stats(conn)?,
                store::profiles::first_admin(conn)?.map(|(account, _)| account.id),
            ))
        })
        .await?;
    let contact = match admin {
        Some(id) => profiles::account_views(&state.db, vec![id])
            .await?
            .first()
            .map(|view| Account::from_view(&state.urls, view)),
        None => None,
    };
    Ok(InstanceFacts {
        config: &state.config,
        urls: &state.urls,
        lang,
        stats,
        contact,
    })
}

async fn v1(State(state): State<AppState>, PageLang(lang): PageLang) -> AppResult<Json<Value>> {
    Ok(Json(instance::v1(&facts(&state, lang).await?)))
}

async fn v2(State(state): State<AppState>, PageLang(lang): PageLang) -> AppResult<Json<Value>> {
    Ok(Json(instance::v2(&facts(&state, lang).await?)))
}

/// No rules are configured yet.
async fn rules() -> Json<Value> {
    Json(json!([]))
}

/// The domains of the remote accounts we know.
async fn peers(State(state): State<AppState>) -> AppResult<Json<Vec<String>>> {
    Ok(Json(
        state
            .db
            .run(|conn| Ok(store::counts::known_domains(conn)?))
            .await?,
    ))
}

/// Weekly activity is not recorded yet.
async fn activity() -> Json<Value> {
    Json(json!([]))
}

/// The instance description in the request's language, as HTML.
async fn extended_description(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
) -> Json<Value> {
    let description = state.config.instance.description.get(lang.code());
    Json(json!({
        "updated_at": time::timestamp(state.started_at),
        "content": text::plain_to_html(description),
    }))
}
