//! The landing page: what this instance is and who runs it, and the site stylesheet.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::config::RegistrationMode;
use crate::db::store;
use crate::error::AppResult;
use crate::http::web::page::{PageLang, render};
use crate::i18n::Lang;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(landing))
        .route("/static/site.css", get(stylesheet))
}

#[derive(Template)]
#[template(path = "landing.html")]
struct LandingPage<'a> {
    lang: Lang,
    site_name: &'a str,
    description: &'a str,
    organisation: Option<&'a str>,
    prefecture: Option<&'static str>,
    local_government_code: Option<&'a str>,
    contact_email: &'a str,
    registration: &'static str,
    members: i64,
    domain: String,
}

async fn landing(State(state): State<AppState>, PageLang(lang): PageLang) -> AppResult<Response> {
    let members = state
        .db
        .run(|conn| Ok(store::accounts::count_local_users(conn)?))
        .await?;
    let config = &state.config;
    let organisation = config.organisation.name.get(lang.code());
    let page = LandingPage {
        lang,
        site_name: config.instance.name.get(lang.code()),
        description: config.instance.description.get(lang.code()),
        organisation: (!organisation.is_empty()).then_some(organisation),
        prefecture: config.prefecture().map(|p| match lang {
            Lang::Ja => p.name_ja(),
            Lang::En => p.name_en(),
        }),
        local_government_code: config.organisation.local_government_code.as_deref(),
        contact_email: &config.instance.contact_email,
        registration: lang.t(match config.instance.registration {
            RegistrationMode::Closed => "registration.closed",
            RegistrationMode::Invite => "registration.invite",
            RegistrationMode::Approval => "registration.approval",
            RegistrationMode::Open => "registration.open",
        }),
        members,
        domain: state.urls.domain(),
    };
    Ok(render(&page))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../../static/site.css"),
    )
}
