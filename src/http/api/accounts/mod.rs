//! Accounts: the member's own (`credentials`) and anyone's by id or `acct` (`show`).

pub mod credentials;
pub mod show;

use axum::Router;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(credentials::routes())
        .merge(show::routes())
}
