//! Signing in to the web pages: a signed, HttpOnly session cookie and a CSRF token derived from it
//! for every form that changes something. The sign-in form itself carries a signed double-submit
//! token (as the OAuth page does, `oauth::csrf`), so another site cannot sign a visitor in to an
//! account of its choosing.

use askama::Template;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::config::Scheme;
use crate::domain::accounts::{self, LocalUser};
use crate::domain::secrets;
use crate::error::AppError;
use crate::http::api::oauth::csrf;
use crate::http::web::page::{PageLang, render};
use crate::i18n::Lang;
use crate::state::AppState;

const COOKIE: &str = "kakehashi_session";
const KEY: &str = "web_session";
/// The cookie holding the sign-in form's nonce, and the key that signs its tokens.
const SIGN_IN_COOKIE: &str = "kakehashi_sign_in_csrf";
const SIGN_IN_KEY: &str = "web_sign_in_csrf";
/// What the sign-in tokens are bound to besides the nonce (`csrf::token` takes a client id).
const SIGN_IN_PURPOSE: &str = "web-sign-in";
/// Sessions last two weeks.
const LIFETIME_SECONDS: i64 = 14 * 24 * 3600;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/sign_in", get(sign_in_form).post(sign_in))
        .route("/auth/sign_out", post(sign_out))
}

#[expect(clippy::expect_used, reason = "HMAC takes keys of any length")]
fn mac(key: &[u8; 32], message: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length");
    mac.update(message.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The member signed in to the web pages, if any, with the CSRF token their forms carry.
pub struct WebSession {
    pub user: Option<LocalUser>,
    pub csrf: String,
}

impl WebSession {
    /// The member, or a redirect to the sign-in page that comes back to `next`.
    pub fn require(&self, next: &str) -> Result<&LocalUser, Redirect> {
        self.user.as_ref().ok_or_else(|| {
            let next: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
            Redirect::to(&format!("/auth/sign_in?next={next}"))
        })
    }

    /// Checks a form's CSRF token.
    pub fn check(&self, token: &str) -> Result<(), AppError> {
        if self.user.is_some() && !self.csrf.is_empty() && same(&self.csrf, token) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "The form has expired; reload the page".to_owned(),
            ))
        }
    }
}

/// The value of the request's cookie called `cookie`.
pub(crate) fn cookie_named(headers: &HeaderMap, cookie: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == cookie)
        .map(|(_, value)| value.to_owned())
}

fn cookie_value(headers: &HeaderMap) -> Option<String> {
    cookie_named(headers, COOKIE)
}

impl FromRequestParts<AppState> for WebSession {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(value) = cookie_value(&parts.headers) else {
            return Ok(WebSession {
                user: None,
                csrf: String::new(),
            });
        };
        let key = secrets::key(&state.db, KEY).await?;
        let mut pieces = value.splitn(3, '.');
        let (Some(id), Some(expires), Some(signature)) =
            (pieces.next(), pieces.next(), pieces.next())
        else {
            return Ok(WebSession {
                user: None,
                csrf: String::new(),
            });
        };
        let payload = format!("{id}.{expires}");
        let valid = same(&mac(&key, &payload), signature)
            && expires
                .parse::<i64>()
                .is_ok_and(|e| e > Utc::now().timestamp());
        let Some(account_id) = id.parse::<i64>().ok().filter(|_| valid) else {
            return Ok(WebSession {
                user: None,
                csrf: String::new(),
            });
        };
        let user = state
            .db
            .run(move |conn| {
                Ok(
                    crate::db::store::profiles::find_local_user_by_id(conn, account_id)?
                        .map(|(account, user)| LocalUser { account, user })
                        .filter(|u| !u.user.disabled),
                )
            })
            .await?;
        let csrf = mac(&key, &format!("csrf:{payload}"));
        Ok(WebSession { user, csrf })
    }
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage<'a> {
    lang: Lang,
    site_name: &'a str,
    next: String,
    error: Option<String>,
    login: String,
    csrf_token: String,
}

/// The sign-in page with a CSRF token for `nonce`, the cookie that holds the nonce, no caching.
fn sign_in_page(
    state: &AppState,
    key: &[u8; 32],
    nonce: &str,
    status: StatusCode,
    mut page: SignInPage<'_>,
) -> Response {
    page.csrf_token = csrf::token(key, nonce, SIGN_IN_PURPOSE);
    let mut response = render(&page);
    *response.status_mut() = status;
    let secure = if state.config.instance.scheme == Scheme::Https {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SIGN_IN_COOKIE}={nonce}; Path=/auth; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
        csrf::LIFETIME_SECONDS
    );
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        headers.insert(header::SET_COOKIE, value);
    }
    response
}

/// The sign-in nonce from the request's cookie, when it has a well-formed one.
fn sign_in_nonce(headers: &HeaderMap) -> Option<String> {
    cookie_named(headers, SIGN_IN_COOKIE).filter(|n| csrf::is_nonce(n))
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Only paths on this site, never another origin.
fn safe_next(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or_else(|| "/".to_owned())
}

async fn sign_in_form(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let key = secrets::key(&state.db, SIGN_IN_KEY).await?;
    let nonce = sign_in_nonce(&headers).unwrap_or_else(csrf::new_nonce);
    let page = SignInPage {
        lang,
        site_name: state.config.instance.name.get(lang.code()),
        next: safe_next(query.next),
        error: None,
        login: String::new(),
        csrf_token: String::new(),
    };
    Ok(sign_in_page(&state, &key, &nonce, StatusCode::OK, page))
}

#[derive(Deserialize)]
struct SignInForm {
    login: String,
    password: String,
    next: Option<String>,
    #[serde(default)]
    csrf_token: String,
}

async fn sign_in(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    let next = safe_next(form.next);
    let csrf_key = secrets::key(&state.db, SIGN_IN_KEY).await?;
    let nonce = sign_in_nonce(&headers);
    let again = |error: &str, login: String| SignInPage {
        lang,
        site_name: state.config.instance.name.get(lang.code()),
        next: next.clone(),
        error: Some(lang.t(error).to_owned()),
        login,
        csrf_token: String::new(),
    };
    let fresh_nonce = nonce.clone().unwrap_or_else(csrf::new_nonce);
    let csrf_ok = nonce
        .as_deref()
        .is_some_and(|n| csrf::verify(&csrf_key, n, SIGN_IN_PURPOSE, &form.csrf_token));
    if !csrf_ok {
        let page = again("session.form_expired", form.login);
        return Ok(sign_in_page(
            &state,
            &csrf_key,
            &fresh_nonce,
            StatusCode::FORBIDDEN,
            page,
        ));
    }
    let user = match accounts::authenticate(&state.db, &form.login, &form.password).await {
        Ok(user) => user,
        Err(AppError::Unauthorized(_)) => {
            let page = again("session.wrong_password", form.login);
            return Ok(sign_in_page(
                &state,
                &csrf_key,
                &fresh_nonce,
                StatusCode::UNAUTHORIZED,
                page,
            ));
        }
        Err(other) => return Err(other),
    };
    let key = secrets::key(&state.db, KEY).await?;
    let expires = Utc::now().timestamp() + LIFETIME_SECONDS;
    let payload = format!("{}.{expires}", user.account.id);
    let secure = if state.config.instance.scheme == Scheme::Https {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{COOKIE}={payload}.{}; Path=/; HttpOnly; SameSite=Lax; Max-Age={LIFETIME_SECONDS}{secure}",
        mac(&key, &payload)
    );
    let mut response = Redirect::to(&next).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

async fn sign_out() -> Response {
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("kakehashi_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    response
}
