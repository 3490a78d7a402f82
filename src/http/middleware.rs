//! The middleware every request passes: request id, tracing, panics, body limit, JSON errors.

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Response, StatusCode, header};
use axum::response::IntoResponse;
use http_body_util::BodyExt;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::error::AppError;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest plain-text error body we rewrite into JSON; anything larger is not an error message.
const MAX_ERROR_TEXT: usize = 4096;

/// The largest request bodies: `default` everywhere but on `large_paths` (media uploads).
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    pub default: usize,
    pub large: usize,
    pub large_paths: &'static [&'static str],
}

impl BodyLimits {
    fn for_path(&self, path: &str) -> usize {
        if self.large_paths.contains(&path.trim_end_matches('/')) {
            self.large
        } else {
            self.default
        }
    }
}

/// Wraps `router` in the layers, outermost first: a request id is set (or kept from the proxy),
/// the request is traced under it, the id is echoed back, panics become 500s, oversized bodies
/// 413s, and plain-text errors from any layer or extractor become `{"error": ...}`.
pub fn apply(router: Router, limits: BodyLimits) -> Router {
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(request_span)
                    .on_response(DefaultOnResponse::new().level(Level::INFO)),
            )
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(axum::middleware::map_response(json_error_body))
            .layer(axum::middleware::from_fn(move |request, next| {
                limit_body(limits, request, next)
            })),
    )
}

/// Refuses a declared length over the path's limit at once, and cuts a streamed body that grows
/// past it (the extractors then answer 413).
async fn limit_body(
    limits: BodyLimits,
    request: Request,
    next: axum::middleware::Next,
) -> Response<Body> {
    let limit = limits.for_path(request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return AppError::PayloadTooLarge("The request body is too large".to_owned())
            .into_response();
    }
    let request = request.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    next.run(request).await
}

fn request_span(request: &Request) -> tracing::Span {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
    )
}

fn panic_response(_: Box<dyn std::any::Any + Send>) -> Response<Body> {
    AppError::internal("a request handler panicked").into_response()
}

/// Layers and extractors answer errors in text/plain (413 from the body limit, 400 or 422 from a
/// JSON extractor, 405...). Clients expect `{"error": "..."}` with `application/json` everywhere,
/// so such bodies are rewritten, keeping their text as the message.
async fn json_error_body<B>(response: Response<B>) -> Response<Body>
where
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    let response = response.map(Body::new);
    let status = response.status();
    let is_text = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !is_text {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = match axum::body::to_bytes(body, MAX_ERROR_TEXT).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_owned(),
        Err(_) => String::new(),
    };
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "The request body is too large".to_owned(),
        _ if text.is_empty() => status.canonical_reason().unwrap_or("Error").to_owned(),
        _ => text,
    };
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = Body::from(serde_json::json!({ "error": message }).to_string());
    Response::from_parts(parts, body)
}

/// Collects a body up to `limit` bytes; for handlers that need the raw bytes.
pub async fn read_body(body: Body, limit: usize) -> Result<bytes::Bytes, AppError> {
    let limited = http_body_util::Limited::new(body, limit);
    limited
        .collect()
        .await
        .map(|c| c.to_bytes())
        .map_err(|_| AppError::PayloadTooLarge("The request body is too large".to_owned()))
}
