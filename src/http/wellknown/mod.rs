//! Discovery documents: WebFinger, host-meta and NodeInfo.

pub mod hostmeta;
pub mod nodeinfo;
pub mod webfinger;

use axum::Router;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(webfinger::routes())
        .merge(hostmeta::routes())
        .merge(nodeinfo::routes())
}
