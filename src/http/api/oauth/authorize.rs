//! `GET` and `POST /oauth/authorize`: the page where a member signs in (name or e-mail address and
//! password) and lets an app use their account. There is no web session yet, so every
//! authorization asks for the password and `force_login` always holds.

use std::time::Duration;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::domain::accounts;
use crate::domain::oauth::{
    self, AuthorizationError, AuthorizationRequest, CheckedAuthorization, OAuthError,
};
use crate::domain::secrets;
use crate::error::AppError;
use crate::http::api::gate::client_ip;
use crate::http::api::oauth::csrf;
use crate::http::extract::{Params, lenient};
use crate::http::ratelimit::ip_key;
use crate::http::web::page::{PageLang, render};
use crate::i18n::Lang;
use crate::state::AppState;

/// The name of the key that signs CSRF tokens, in `server_secrets`.
const CSRF_KEY: &str = "oauth_csrf";

/// The parameters of the request, carried through the form as hidden fields.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuthorizeParams {
    #[serde(default)]
    response_type: Option<String>,
    #[serde(default)]
    client_id: String,
    redirect_uri: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    /// Accepted; every authorization asks for the password anyway.
    #[serde(default, deserialize_with = "lenient::option_bool")]
    #[expect(
        dead_code,
        reason = "read so the parameter is accepted; there is no session to ignore"
    )]
    force_login: Option<bool>,
}

impl AuthorizeParams {
    fn request(&self) -> AuthorizationRequest {
        AuthorizationRequest {
            response_type: self.response_type.clone(),
            client_id: self.client_id.clone(),
            redirect_uri: self.redirect_uri.clone(),
            scope: self.scope.clone(),
            code_challenge: self.code_challenge.clone(),
            code_challenge_method: self.code_challenge_method.clone(),
        }
    }

    /// The query string that reopens this page in another language.
    fn query_with_lang(&self, lang: Lang) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        let pairs = [
            ("response_type", self.response_type.as_deref()),
            ("client_id", Some(self.client_id.as_str())),
            ("redirect_uri", self.redirect_uri.as_deref()),
            ("scope", self.scope.as_deref()),
            ("state", self.state.as_deref()),
            ("code_challenge", self.code_challenge.as_deref()),
            (
                "code_challenge_method",
                self.code_challenge_method.as_deref(),
            ),
            ("lang", Some(lang.code())),
        ];
        for (key, value) in pairs {
            if let Some(value) = value {
                query.append_pair(key, value);
            }
        }
        format!("?{}", query.finish())
    }
}

#[derive(Debug, Deserialize)]
pub struct SubmitParams {
    #[serde(flatten)]
    request: AuthorizeParams,
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    decision: String,
}

#[derive(Template)]
#[template(path = "oauth_authorize.html")]
struct AuthorizePage {
    lang: Lang,
    site_name: String,
    lang_href: String,
    /// A problem that stops the flow (unknown app, wrong redirect URI).
    fatal: Option<String>,
    /// A problem with what was typed (wrong password).
    error: Option<String>,
    app_name: String,
    app_website: Option<String>,
    scopes: Vec<(String, &'static str)>,
    params: AuthorizeParams,
    csrf_token: String,
    login: String,
    /// The code, for the out-of-band redirect URI.
    code: Option<String>,
}

impl AuthorizePage {
    fn new(state: &AppState, lang: Lang, params: &AuthorizeParams) -> AuthorizePage {
        AuthorizePage {
            lang,
            site_name: state.config.instance.name.get(lang.code()).to_owned(),
            lang_href: params.query_with_lang(lang.other()),
            fatal: None,
            error: None,
            app_name: String::new(),
            app_website: None,
            scopes: Vec::new(),
            params: params.clone(),
            csrf_token: String::new(),
            login: String::new(),
            code: None,
        }
    }

    fn for_app(mut self, checked: &CheckedAuthorization) -> AuthorizePage {
        self.app_name = checked.app.name.clone();
        self.app_website = checked.app.website.clone();
        self.scopes = checked
            .scopes
            .iter()
            .map(|s| (s.to_owned(), scope_description(self.lang, s)))
            .collect();
        self
    }
}

/// What a scope lets an app do, in the page's language.
fn scope_description(lang: Lang, scope: &str) -> &'static str {
    let key = match scope {
        "read" => "oauth.scope_read",
        "write" => "oauth.scope_write",
        "follow" => "oauth.scope_follow",
        "push" => "oauth.scope_push",
        "profile" => "oauth.scope_profile",
        s if s.starts_with("read:") => "oauth.scope_read_part",
        _ => "oauth.scope_write_part",
    };
    lang.t(key)
}

/// A response carrying the page, the CSRF cookie and no caching.
fn page_response(status: StatusCode, page: &AuthorizePage, cookie: Option<String>) -> Response {
    let mut response = render(page);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    if let Some(cookie) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    response
}

fn fatal(
    state: &AppState,
    lang: Lang,
    params: &AuthorizeParams,
    error: AuthorizationError,
) -> Response {
    let (status, key) = match error {
        AuthorizationError::UnknownClient => (StatusCode::BAD_REQUEST, "oauth.unknown_client"),
        AuthorizationError::BadRedirectUri => (StatusCode::BAD_REQUEST, "oauth.bad_redirect_uri"),
        AuthorizationError::Redirect {
            redirect_uri,
            error,
        } => {
            return redirect_error(&redirect_uri, &error, params.state.as_deref());
        }
        AuthorizationError::Server(error) => return error.into_response(),
    };
    let mut page = AuthorizePage::new(state, lang, params);
    page.fatal = Some(lang.t(key).to_owned());
    page_response(status, &page, None)
}

/// `redirect_uri` with `pairs` added to its query.
fn with_query(redirect_uri: &str, pairs: &[(&str, &str)]) -> String {
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            {
                let mut query = url.query_pairs_mut();
                for (k, v) in pairs {
                    query.append_pair(k, v);
                }
            }
            url.to_string()
        }
        Err(_) => redirect_uri.to_owned(),
    }
}

fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (StatusCode::FOUND, [(header::LOCATION, value)]).into_response(),
        Err(_) => AppError::BadRequest("The redirect URI is not valid".to_owned()).into_response(),
    }
}

fn redirect_error(redirect_uri: &str, error: &OAuthError, state: Option<&str>) -> Response {
    let description = error.to_string();
    let mut pairs = vec![
        ("error", error.code()),
        ("error_description", description.as_str()),
    ];
    if let Some(state) = state {
        pairs.push(("state", state));
    }
    redirect(&with_query(redirect_uri, &pairs))
}

/// The CSRF nonce from the request's cookie, when it has a valid one.
fn cookie_nonce(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == csrf::COOKIE && csrf::is_nonce(value))
        .map(|(_, value)| value.to_owned())
}

fn csrf_cookie(state: &AppState, nonce: &str) -> String {
    let secure = if state.urls.base().scheme() == "https" {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={nonce}; Path=/oauth; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
        csrf::COOKIE,
        csrf::LIFETIME_SECONDS
    )
}

/// Shows the login and consent form.
pub async fn show(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    Params(params): Params<AuthorizeParams>,
) -> Response {
    let checked = match oauth::check_authorization(&state.db, &params.request()).await {
        Ok(checked) => checked,
        Err(error) => return fatal(&state, lang, &params, error),
    };
    let key = match secrets::key(&state.db, CSRF_KEY).await {
        Ok(key) => key,
        Err(error) => return error.into_response(),
    };
    let nonce = cookie_nonce(&headers).unwrap_or_else(csrf::new_nonce);
    let mut page = AuthorizePage::new(&state, lang, &params).for_app(&checked);
    page.csrf_token = csrf::token(&key, &nonce, &params.client_id);
    page_response(StatusCode::OK, &page, Some(csrf_cookie(&state, &nonce)))
}

/// Signs the member in and, on consent, redirects back to the app with a code.
pub async fn submit(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    Params(form): Params<SubmitParams>,
) -> Response {
    let params = form.request;
    let checked = match oauth::check_authorization(&state.db, &params.request()).await {
        Ok(checked) => checked,
        Err(error) => return fatal(&state, lang, &params, error),
    };
    let key = match secrets::key(&state.db, CSRF_KEY).await {
        Ok(key) => key,
        Err(error) => return error.into_response(),
    };
    let nonce = cookie_nonce(&headers);
    let mut page = AuthorizePage::new(&state, lang, &params).for_app(&checked);
    let fresh_nonce = nonce.clone().unwrap_or_else(csrf::new_nonce);
    page.csrf_token = csrf::token(&key, &fresh_nonce, &params.client_id);
    page.login = form.login.clone();
    let cookie = Some(csrf_cookie(&state, &fresh_nonce));

    let csrf_ok = nonce
        .as_deref()
        .is_some_and(|n| csrf::verify(&key, n, &params.client_id, &form.csrf_token));
    if !csrf_ok {
        page.error = Some(lang.t("oauth.form_expired").to_owned());
        return page_response(StatusCode::FORBIDDEN, &page, cookie);
    }
    if form.decision == "deny" {
        return redirect_error(
            &checked.redirect_uri,
            &OAuthError::AccessDenied(
                "The resource owner or authorization server denied the request.".to_owned(),
            ),
            params.state.as_deref(),
        );
    }

    let ip = ip_key(client_ip(&state, &headers, &extensions));
    let api = &state.config.api;
    let attempt = state.rate_limiter.hit(
        "login",
        &ip,
        api.login_rate_limit_requests,
        Duration::from_secs(api.login_rate_limit_window_seconds),
    );
    if api.rate_limit_requests > 0 && !attempt.allowed {
        page.error = Some(lang.t("oauth.too_many_attempts").to_owned());
        return page_response(StatusCode::TOO_MANY_REQUESTS, &page, cookie);
    }

    let member = match accounts::authenticate(&state.db, &form.login, &form.password).await {
        Ok(member) => member,
        Err(AppError::Unauthorized(_)) => {
            page.error = Some(lang.t("oauth.wrong_password").to_owned());
            return page_response(StatusCode::UNAUTHORIZED, &page, cookie);
        }
        Err(error) => return error.into_response(),
    };
    let code = match oauth::issue_code(&state.db, &checked, &member).await {
        Ok(code) => code,
        Err(error) => return error.into_response(),
    };
    if checked.redirect_uri == oauth::OOB_REDIRECT_URI {
        page.code = Some(code);
        return page_response(StatusCode::OK, &page, cookie);
    }
    let mut pairs = vec![("code", code.as_str())];
    if let Some(state) = params.state.as_deref() {
        pairs.push(("state", state));
    }
    redirect(&with_query(&checked.redirect_uri, &pairs))
}
