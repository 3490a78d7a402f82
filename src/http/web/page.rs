//! What every page needs: its language (from `?lang=`, else the language cookie a `?lang=` set,
//! else `Accept-Language`) and rendering.

use askama::Template;
use axum::extract::Request;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::error::AppError;
use crate::i18n::Lang;

/// The language a page is shown in.
#[derive(Debug, Clone, Copy)]
pub struct PageLang(pub Lang);

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let from_query = Query::<LangQuery>::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|q| q.0.lang)
            .and_then(|code| Lang::parse(&code));
        let lang = from_query
            .or_else(|| cookie_lang(&parts.headers))
            .unwrap_or_else(|| {
                parts
                    .headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .map(Lang::negotiate)
                    .unwrap_or_default()
            });
        Ok(PageLang(lang))
    }
}

/// The cookie that remembers the language chosen with `?lang=`.
const LANG_COOKIE: &str = "kakehashi_lang";

fn cookie_lang(headers: &HeaderMap) -> Option<Lang> {
    super::session::cookie_named(headers, LANG_COOKIE).and_then(|value| Lang::parse(&value))
}

/// Remembers a language chosen with `?lang=` in a cookie, so the links of the page keep it.
pub async fn remember_lang(request: Request, next: Next) -> Response {
    let chosen = request
        .uri()
        .query()
        .and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(key, _)| key == "lang")
                .map(|(_, value)| value.into_owned())
        })
        .and_then(|code| Lang::parse(&code));
    let mut response = next.run(request).await;
    if let Some(lang) = chosen
        && let Ok(value) = HeaderValue::from_str(&format!(
            "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
            lang.code()
        ))
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Renders a template into an HTML response.
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => AppError::internal(e).into_response(),
    }
}
