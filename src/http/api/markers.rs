//! `GET /api/v1/markers?timeline[]=` and `POST /api/v1/markers` (`home[last_read_id]` form keys
//! or a JSON object, the same thing after bracket parsing).

use std::collections::BTreeMap;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::Deserialize;

use crate::domain::markers;
use crate::error::AppResult;
use crate::http::api::entities::Marker;
use crate::http::extract::{CurrentUser, Params, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/markers", get(show).post(update))
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowParams {
    #[serde(default)]
    timeline: Vec<String>,
}

async fn show(
    State(state): State<AppState>,
    me: CurrentUser<scope::ReadStatuses>,
    Params(params): Params<ShowParams>,
) -> AppResult<Json<BTreeMap<String, Marker>>> {
    let rows = markers::get(&state.db, me.user.account.id, params.timeline).await?;
    Ok(Json(
        rows.iter()
            .map(|m| (m.timeline.clone(), Marker::from_row(m)))
            .collect(),
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct Position {
    last_read_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct UpdateParams {
    home: Option<Position>,
    notifications: Option<Position>,
}

async fn update(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteStatuses>,
    Params(params): Params<UpdateParams>,
) -> AppResult<Json<BTreeMap<String, Marker>>> {
    let mut positions = Vec::new();
    for (timeline, position) in [
        ("home", params.home),
        ("notifications", params.notifications),
    ] {
        if let Some(id) = position.and_then(|p| p.last_read_id) {
            positions.push((timeline.to_owned(), id));
        }
    }
    let rows = markers::set(&state.db, me.user.account.id, positions).await?;
    Ok(Json(
        rows.iter()
            .map(|m| (m.timeline.clone(), Marker::from_row(m)))
            .collect(),
    ))
}
