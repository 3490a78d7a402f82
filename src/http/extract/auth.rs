//! The access token of a request and what it may do. The API gate (`http::api::gate`) resolves
//! the token once per request; these extractors read the result:
//!
//! - [`MaybeAuth`]: public endpoints; no token is fine, an invalid one is a 401;
//! - [`Auth`]: any valid token (a member's or an application's own);
//! - [`RequireScope<S>`]: a valid token granting scope `S`, else 403;
//! - [`CurrentUser<S>`]: a member's token granting `S` (an application token is a 422, as on
//!   Mastodon).
//!
//! Errors: 401 `{"error":"The access token is invalid"}`, 403 `{"error":"This action is outside
//! the authorized scopes"}`.

use std::marker::PhantomData;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::domain::accounts::LocalUser;
use crate::domain::oauth::{self, TokenOwner};
use crate::error::AppError;
use crate::state::AppState;

pub const INVALID_TOKEN: &str = "The access token is invalid";
pub const OUTSIDE_SCOPES: &str = "This action is outside the authorized scopes";
pub const USER_REQUIRED: &str = "This method requires an authenticated user";

/// What the gate found for a request's token, kept in the request's extensions.
#[derive(Debug, Clone)]
pub enum ResolvedAuth {
    Anonymous,
    Invalid,
    Valid(Arc<TokenOwner>),
}

/// The token of a request: `Authorization: Bearer ...`, else `?access_token=` (streaming).
pub fn bearer_token(parts: &Parts) -> Option<String> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let value = value.to_str().ok()?.trim();
        let (scheme, token) = value.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_owned())
            .filter(|t| !t.is_empty());
    }
    parts.uri.query().and_then(|query| {
        form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == "access_token")
            .map(|(_, value)| value.into_owned())
            .filter(|t| !t.is_empty())
    })
}

/// Resolves the request's token (unless the gate already did).
pub async fn resolve(parts: &mut Parts, state: &AppState) -> Result<ResolvedAuth, AppError> {
    if let Some(resolved) = parts.extensions.get::<ResolvedAuth>() {
        return Ok(resolved.clone());
    }
    let resolved = match bearer_token(parts) {
        None => ResolvedAuth::Anonymous,
        Some(token) => match oauth::resolve_token(&state.db, &token).await? {
            Some(owner) => ResolvedAuth::Valid(Arc::new(owner)),
            None => ResolvedAuth::Invalid,
        },
    };
    parts.extensions.insert(resolved.clone());
    Ok(resolved)
}

/// A valid access token.
#[derive(Debug, Clone)]
pub struct Auth(pub Arc<TokenOwner>);

impl Auth {
    /// 403 unless the token grants `scope` (broad scopes cover granular ones).
    pub fn require(&self, scope: &str) -> Result<(), AppError> {
        self.require_any(&[scope])
    }

    /// 403 unless the token grants one of `scopes`.
    pub fn require_any(&self, scopes: &[&str]) -> Result<(), AppError> {
        if self.0.scopes.allows_any(scopes) {
            Ok(())
        } else {
            Err(AppError::Forbidden(OUTSIDE_SCOPES.to_owned()))
        }
    }

    /// The member the token belongs to; 422 for an application's own token.
    pub fn user(&self) -> Result<&LocalUser, AppError> {
        self.0
            .user
            .as_ref()
            .ok_or_else(|| AppError::Unprocessable(USER_REQUIRED.to_owned()))
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match resolve(parts, state).await? {
            ResolvedAuth::Valid(owner) => Ok(Auth(owner)),
            _ => Err(AppError::Unauthorized(INVALID_TOKEN.to_owned())),
        }
    }
}

/// A token when there is one; `None` for anonymous requests. An invalid token is still a 401, so
/// a client learns its token was revoked.
#[derive(Debug, Clone)]
pub struct MaybeAuth(pub Option<Auth>);

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match resolve(parts, state).await? {
            ResolvedAuth::Anonymous => Ok(MaybeAuth(None)),
            ResolvedAuth::Invalid => Err(AppError::Unauthorized(INVALID_TOKEN.to_owned())),
            ResolvedAuth::Valid(owner) => Ok(MaybeAuth(Some(Auth(owner)))),
        }
    }
}

/// A scope an endpoint needs: any one of `ANY_OF` will do.
pub trait ScopeRequirement {
    const ANY_OF: &'static [&'static str];
}

/// A valid token that grants `S`.
#[derive(Debug, Clone)]
pub struct RequireScope<S>(pub Auth, PhantomData<S>);

impl<S: ScopeRequirement + Send + Sync> FromRequestParts<AppState> for RequireScope<S> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let auth = Auth::from_request_parts(parts, state).await?;
        auth.require_any(S::ANY_OF)?;
        Ok(RequireScope(auth, PhantomData))
    }
}

/// A member's token that grants `S`.
#[derive(Debug, Clone)]
pub struct CurrentUser<S> {
    pub user: LocalUser,
    pub auth: Auth,
    scope: PhantomData<S>,
}

impl<S: ScopeRequirement + Send + Sync> FromRequestParts<AppState> for CurrentUser<S> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let RequireScope(auth, _) = RequireScope::<S>::from_request_parts(parts, state).await?;
        let user = auth.user()?.clone();
        Ok(CurrentUser {
            user,
            auth,
            scope: PhantomData,
        })
    }
}

/// Scope markers for [`RequireScope`] and [`CurrentUser`], one per granular scope.
pub mod scope {
    use super::ScopeRequirement;

    macro_rules! scopes {
        ($($(#[$doc:meta])* $name:ident => [$($scope:literal),+];)+) => {$(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl ScopeRequirement for $name {
                const ANY_OF: &'static [&'static str] = &[$($scope),+];
            }
        )+};
    }

    scopes! {
        /// Reading one's own account: `read:accounts`, or `profile` alone.
        Profile => ["read:accounts", "profile"];
        ReadAccounts => ["read:accounts"];
        ReadBlocks => ["read:blocks"];
        ReadBookmarks => ["read:bookmarks"];
        ReadFavourites => ["read:favourites"];
        ReadFilters => ["read:filters"];
        ReadFollows => ["read:follows"];
        /// The groups API (covered by `read`, as every `read:*`).
        ReadGroups => ["read:groups"];
        ReadLists => ["read:lists"];
        ReadMutes => ["read:mutes"];
        ReadNotifications => ["read:notifications"];
        ReadSearch => ["read:search"];
        ReadStatuses => ["read:statuses"];
        WriteAccounts => ["write:accounts"];
        WriteBlocks => ["write:blocks"];
        WriteBookmarks => ["write:bookmarks"];
        WriteConversations => ["write:conversations"];
        WriteFavourites => ["write:favourites"];
        WriteFilters => ["write:filters"];
        WriteFollows => ["write:follows"];
        /// Creating, joining and moderating groups (covered by `write`).
        WriteGroups => ["write:groups"];
        WriteLists => ["write:lists"];
        WriteMedia => ["write:media"];
        WriteMutes => ["write:mutes"];
        WriteNotifications => ["write:notifications"];
        WriteReports => ["write:reports"];
        WriteStatuses => ["write:statuses"];
        Push => ["push"];
        /// The broad `read` scope itself, where Mastodon asks for it (announcements,
        /// suggestions).
        Read => ["read"];
    }
}
