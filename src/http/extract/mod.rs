//! Request extractors of the client API: the access token and its scopes (`auth`), and one
//! parameter extractor for every encoding clients use (`params`, with `brackets` and `lenient`).

pub mod auth;
pub mod brackets;
pub mod lenient;
pub mod params;

pub use auth::{Auth, CurrentUser, MaybeAuth, RequireScope, ScopeRequirement, scope};
pub use params::{Params, ParamsWithFiles, UploadedFile};
