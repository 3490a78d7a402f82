//! The middleware in front of every client API and OAuth endpoint: resolves the access token
//! once, applies the rate limits (per member or application when the token is valid, else per IP
//! address), and marks responses `Cache-Control: no-store` with the `X-RateLimit-*` headers.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::SecondsFormat;

use crate::error::AppError;
use crate::http::extract::auth::{ResolvedAuth, bearer_token};
use crate::http::ratelimit::{Decision, ip_key};
use crate::state::AppState;

/// Paths of media uploads, which count against the media limit too.
pub const MEDIA_UPLOAD_PATHS: &[&str] = &["/api/v1/media", "/api/v2/media"];

pub async fn gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let resolved = match bearer_token(&parts) {
        None => ResolvedAuth::Anonymous,
        Some(token) => match crate::domain::oauth::resolve_token(&state.db, &token).await {
            Ok(Some(owner)) => ResolvedAuth::Valid(Arc::new(owner)),
            Ok(None) => ResolvedAuth::Invalid,
            Err(error) => return error.into_response(),
        },
    };
    let key = match &resolved {
        ResolvedAuth::Valid(owner) => match &owner.user {
            Some(member) => format!("account:{}", member.account.id),
            None => format!("application:{}", owner.application.id),
        },
        _ => format!(
            "ip:{}",
            ip_key(client_ip(&state, &parts.headers, &parts.extensions))
        ),
    };
    let decision = limit(&state, &parts.method, parts.uri.path(), &key);
    if let Some(decision) = decision
        && !decision.allowed
    {
        let mut response = AppError::TooManyRequests.into_response();
        set_headers(response.headers_mut(), Some(decision));
        return response;
    }
    parts.extensions.insert(resolved);
    let mut response = next.run(Request::from_parts(parts, body)).await;
    set_headers(response.headers_mut(), decision);
    response
}

/// Counts the request; the media limit's decision wins for uploads. `None` when limits are off.
fn limit(state: &AppState, method: &Method, path: &str, key: &str) -> Option<Decision> {
    let config = &state.config.api;
    if config.rate_limit_requests == 0 {
        return None;
    }
    let limiter = &state.rate_limiter;
    let general = limiter.hit(
        "api",
        key,
        config.rate_limit_requests,
        Duration::from_secs(config.rate_limit_window_seconds),
    );
    if *method == Method::POST && MEDIA_UPLOAD_PATHS.contains(&path) && general.allowed {
        return Some(limiter.hit(
            "media",
            key,
            config.media_rate_limit_requests,
            Duration::from_secs(config.media_rate_limit_window_seconds),
        ));
    }
    Some(general)
}

fn set_headers(headers: &mut HeaderMap, decision: Option<Decision>) {
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    if let Some(d) = decision {
        headers.insert("x-ratelimit-limit", HeaderValue::from(d.limit));
        headers.insert("x-ratelimit-remaining", HeaderValue::from(d.remaining));
        if let Ok(reset) =
            HeaderValue::from_str(&d.reset.to_rfc3339_opts(SecondsFormat::Millis, true))
        {
            headers.insert("x-ratelimit-reset", reset);
        }
    }
}

/// The client's address: the last `X-Forwarded-For` entry behind a trusted proxy, else the peer.
pub fn client_ip(
    state: &AppState,
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
) -> IpAddr {
    if state.config.api.trust_forwarded_for
        && let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
    {
        return ip;
    }
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]))
}
