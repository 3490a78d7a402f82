//! CORS for the endpoints browser clients (Elk, Phanpy) call from another origin: `/api/*`,
//! `/oauth/token`, `/oauth/revoke`, `/.well-known/*` and `/nodeinfo/*`. Any origin (echoed back, since
//! the origin test depends on the path), no cookies.
//! Other paths (the login page above all) get no CORS headers.

use std::time::Duration;

use axum::http::{HeaderName, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Whether browsers on other origins may call this path.
pub fn is_cross_origin_path(path: &str) -> bool {
    path.starts_with("/api/")
        || path == "/oauth/token"
        || path == "/oauth/revoke"
        || path.starts_with("/.well-known/")
        || path.starts_with("/nodeinfo/")
}

pub fn layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|_origin, parts| {
            is_cross_origin_path(parts.uri.path().trim_end_matches('/'))
                || is_cross_origin_path(parts.uri.path())
        }))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
            header::SEC_WEBSOCKET_PROTOCOL,
        ])
        .expose_headers([
            header::LINK,
            HeaderName::from_static("x-ratelimit-limit"),
            HeaderName::from_static("x-ratelimit-remaining"),
            HeaderName::from_static("x-ratelimit-reset"),
            HeaderName::from_static("x-request-id"),
        ])
        .max_age(Duration::from_secs(86400))
}
