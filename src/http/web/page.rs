//! What every page needs: its language (from `?lang=`, else `Accept-Language`) and rendering.

use askama::Template;
use axum::extract::{FromRequestParts, Query};
use axum::http::header;
use axum::http::request::Parts;
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
        let lang = from_query.unwrap_or_else(|| {
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

/// Renders a template into an HTML response.
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => AppError::internal(e).into_response(),
    }
}
