//! Accounts: the member's own (`credentials`), anyone's by id or `acct` (`show`), what a member
//! does to others (`actions`) and lists about accounts (`listing`).

pub mod actions;
pub mod credentials;
pub mod listing;
pub mod show;

use axum::Router;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(credentials::routes())
        .merge(show::routes())
        .merge(actions::routes())
        .merge(listing::routes())
}
