//! Statuses: posting, reading, editing and deleting (`crud`), threads and versions (`thread`),
//! and what members do to statuses (`actions`).

pub mod actions;
pub mod crud;
pub mod thread;

use axum::Router;

use crate::error::AppResult;
use crate::http::extract::{MaybeAuth, ScopeRequirement};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(crud::routes())
        .merge(thread::routes())
        .merge(actions::routes())
}

/// The member behind an optional token: `None` when anonymous (or an application's own token);
/// a token without scope `S` is a 403, as Mastodon's `authorize_if_got_token!`.
pub fn viewer<S: ScopeRequirement>(auth: &MaybeAuth) -> AppResult<Option<i64>> {
    match &auth.0 {
        None => Ok(None),
        Some(auth) => {
            auth.require_any(S::ANY_OF)?;
            Ok(auth.0.user.as_ref().map(|u| u.account.id))
        }
    }
}
