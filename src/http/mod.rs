//! The HTTP side: router, middleware and extractors; `api/` (Mastodon client API), `web/` (HTML
//! pages), `wellknown/` (discovery documents).

pub mod activitypub;
pub mod api;
pub mod calendar;
pub mod cors;
pub mod extract;
pub mod health;
pub mod media_files;
pub mod middleware;
pub mod ratelimit;
pub mod web;
pub mod wellknown;

use axum::Router;
use axum::extract::Request;
use tower::Layer;
use tower_http::normalize_path::{NormalizePath, NormalizePathLayer};

use crate::error::AppError;
use crate::state::AppState;

/// Every route of the instance, with the middleware stack.
pub fn router(state: AppState) -> Router {
    let limits = middleware::BodyLimits {
        default: state.config.server.body_limit_bytes,
        large: state.config.api.media_size_limit_bytes + 1024 * 1024,
        large_paths: api::LARGE_BODY_PATHS,
    };
    let routes = Router::new()
        .merge(health::routes())
        .merge(web::routes())
        .merge(calendar::routes())
        .merge(wellknown::routes())
        .merge(activitypub::routes())
        .merge(api::routes(&state))
        .merge(media_files::routes(&state))
        .fallback(not_found)
        .with_state(state);
    middleware::apply(routes, limits).layer(cors::layer())
}

/// The router behind trailing-slash trimming (`/api/v1/instance/` is `/api/v1/instance`), which
/// must wrap the router rather than sit inside it to run before routing.
pub fn app(state: AppState) -> NormalizePath<Router> {
    NormalizePathLayer::trim_trailing_slash().layer(router(state))
}

/// The service `axum::serve` runs, with the peer address available to handlers.
pub fn make_service(
    state: AppState,
) -> axum::extract::connect_info::IntoMakeServiceWithConnectInfo<
    NormalizePath<Router>,
    std::net::SocketAddr,
> {
    axum::ServiceExt::<Request>::into_make_service_with_connect_info::<std::net::SocketAddr>(app(
        state,
    ))
}

async fn not_found() -> AppError {
    AppError::NotFound
}
