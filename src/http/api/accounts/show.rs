//! `GET /api/v1/accounts/{id}` and `GET /api/v1/accounts/lookup?acct=`: public.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use serde::Deserialize;

use crate::domain::profiles;
use crate::error::{AppError, AppResult};
use crate::http::api::entities::Account;
use crate::http::extract::{MaybeAuth, Params};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/accounts/lookup", get(lookup))
        .route("/api/v1/accounts/{id}", get(show))
}

async fn show(
    State(state): State<AppState>,
    _auth: MaybeAuth,
    Path(id): Path<String>,
) -> AppResult<Json<Account>> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let view = profiles::account_view(&state.db, id).await?;
    Ok(Json(Account::from_view(&state.urls, &view)))
}

#[derive(Debug, Deserialize)]
pub struct LookupParams {
    #[serde(default)]
    acct: String,
}

async fn lookup(
    State(state): State<AppState>,
    _auth: MaybeAuth,
    Params(params): Params<LookupParams>,
) -> AppResult<Json<Account>> {
    let view = profiles::lookup(&state.db, &state.urls, &params.acct).await?;
    Ok(Json(Account::from_view(&state.urls, &view)))
}
