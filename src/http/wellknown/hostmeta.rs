//! `/.well-known/host-meta` (RFC 6415): where WebFinger is, as XRD (and JSON).

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use kakehashi_federation::media_types::XRD_XML;
use serde_json::json;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/.well-known/host-meta", get(host_meta))
        .route("/.well-known/host-meta.json", get(host_meta_json))
}

fn template(state: &AppState) -> String {
    format!(
        "{}.well-known/webfinger?resource={{uri}}",
        state.urls.base()
    )
}

async fn host_meta(State(state): State<AppState>) -> impl IntoResponse {
    let template = html_escape::encode_double_quoted_attribute(&template(&state)).into_owned();
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  <Link rel=\"lrdd\" template=\"{template}\"/>\n</XRD>\n"
    );
    (
        [
            (header::CONTENT_TYPE, format!("{XRD_XML}; charset=utf-8")),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_owned()),
        ],
        body,
    )
}

async fn host_meta_json(State(state): State<AppState>) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        json!({ "links": [{ "rel": "lrdd", "template": template(&state) }] }).to_string(),
    )
}
