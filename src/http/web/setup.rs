//! `/setup/{token}`: the one-time page that creates the first administrator.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use crate::domain::accounts::{self, NewLocalUser, Role};
use crate::http::web::page::{PageLang, render};
use crate::i18n::Lang;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/setup/{token}", get(show).post(submit))
}

#[derive(Template, Default)]
#[template(path = "setup.html")]
struct SetupPage<'a> {
    lang: Lang,
    site_name: &'a str,
    valid: bool,
    done: bool,
    error: Option<String>,
    username: String,
    display_name: String,
    email: String,
}

#[derive(Deserialize)]
struct SetupForm {
    username: String,
    #[serde(default)]
    display_name: String,
    email: String,
    password: String,
}

/// Whether `token` is the current one-time token (compared in constant time).
fn token_matches(state: &AppState, token: &str) -> bool {
    let current = state
        .setup_token
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    current.as_deref().is_some_and(|expected| {
        expected.len() == token.len()
            && expected
                .bytes()
                .zip(token.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    })
}

async fn show(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path(token): Path<String>,
) -> Response {
    render(&SetupPage {
        lang,
        site_name: state.config.instance.name.get(lang.code()),
        valid: token_matches(&state, &token),
        ..SetupPage::default()
    })
}

async fn submit(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path(token): Path<String>,
    Form(form): Form<SetupForm>,
) -> Response {
    let site_name = state.config.instance.name.get(lang.code());
    if !token_matches(&state, &token) {
        return render(&SetupPage {
            lang,
            site_name,
            ..SetupPage::default()
        });
    }
    let created = accounts::create_local_user(
        &state.db,
        &state.urls,
        NewLocalUser {
            username: form.username.clone(),
            email: form.email.clone(),
            password: form.password,
            display_name: Some(form.display_name.clone()),
            role: Role::Admin,
            locale: lang.code().to_owned(),
        },
    )
    .await;
    match created {
        Ok(admin) => {
            tracing::info!(username = %admin.account.username, "administrator created through the setup page");
            *state
                .setup_token
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
            render(&SetupPage {
                lang,
                site_name,
                valid: true,
                done: true,
                ..SetupPage::default()
            })
        }
        Err(e) => render(&SetupPage {
            lang,
            site_name,
            valid: true,
            error: Some(e.public_message()),
            username: form.username,
            display_name: form.display_name,
            email: form.email,
            ..SetupPage::default()
        }),
    }
}
