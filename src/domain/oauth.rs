//! OAuth 2 for Mastodon clients: application registration, authorization codes (with optional
//! PKCE S256), access tokens and their revocation. Secrets, codes and tokens are random 256-bit
//! strings stored only as SHA-256 hashes (see docs/adr/0002-oauth-tokens.md).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, NaiveDateTime, Utc};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::db::models::{AccessTokenRow, ApplicationRow, AuthorizationCodeRow};
use crate::db::{Db, ids, store};
use crate::domain::accounts::{self, LocalUser};
use crate::domain::scopes::Scopes;
use crate::error::AppError;

/// The redirect URI that asks the server to show the code instead of redirecting.
pub const OOB_REDIRECT_URI: &str = "urn:ietf:wg:oauth:2.0:oob";
/// How long an authorization code may wait to be exchanged.
pub const CODE_LIFETIME_MINUTES: i64 = 10;
const APP_NAME_MAX: usize = 200;
const REDIRECT_URI_MAX: usize = 2000;
const REDIRECT_URIS_MAX: usize = 20;

/// A random 256-bit string, URL-safe: client ids and secrets, codes, tokens.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// How a secret, code or token is stored: SHA-256, hex. A random 256-bit value needs no slow
/// hash; the hash only keeps a leaked database from handing out working tokens.
pub fn hash_secret(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn secret_matches(secret: &str, stored_hash: &str) -> bool {
    hash_secret(secret)
        .as_bytes()
        .ct_eq(stored_hash.as_bytes())
        .into()
}

/// PKCE S256: BASE64URL(SHA256(verifier)) == challenge.
pub fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    computed.as_bytes().ct_eq(challenge.as_bytes()).into()
}

/// What a client sends to register.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub name: String,
    pub website: Option<String>,
    pub redirect_uris: Vec<String>,
    pub scopes: String,
}

/// A registered application and, only at registration, its secret in clear.
#[derive(Debug, Clone)]
pub struct RegisteredApplication {
    pub app: ApplicationRow,
    pub client_secret: String,
}

/// The redirect URIs of an application, in the order registered.
pub fn redirect_uris(app: &ApplicationRow) -> Vec<String> {
    app.redirect_uris.lines().map(str::to_owned).collect()
}

/// An absolute URI without a fragment (custom schemes such as `oauth2redirect://` are fine), or
/// the out-of-band URN. Script-bearing schemes are refused.
pub fn validate_redirect_uri(uri: &str) -> Result<(), AppError> {
    if uri == OOB_REDIRECT_URI {
        return Ok(());
    }
    let invalid = || {
        AppError::Unprocessable(format!(
            "Validation failed: Redirect URI {uri:?} must be an absolute URI."
        ))
    };
    if uri.len() > REDIRECT_URI_MAX {
        return Err(invalid());
    }
    let parsed = url::Url::parse(uri).map_err(|_| invalid())?;
    if parsed.fragment().is_some() {
        return Err(AppError::Unprocessable(format!(
            "Validation failed: Redirect URI {uri:?} cannot contain a fragment."
        )));
    }
    if matches!(
        parsed.scheme(),
        "javascript" | "data" | "vbscript" | "file" | "blob"
    ) {
        return Err(invalid());
    }
    Ok(())
}

/// Registers a client application (`POST /api/v1/apps`).
pub async fn register_application(
    db: &Db,
    new: NewApplication,
) -> Result<RegisteredApplication, AppError> {
    let name = new.name.trim().to_owned();
    if name.is_empty() {
        return Err(AppError::Unprocessable(
            "Validation failed: Application name can't be blank".to_owned(),
        ));
    }
    if name.chars().count() > APP_NAME_MAX {
        return Err(AppError::Unprocessable(format!(
            "Validation failed: Application name is too long (maximum is {APP_NAME_MAX} characters)"
        )));
    }
    let uris: Vec<String> = new
        .redirect_uris
        .iter()
        .flat_map(|u| u.lines())
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned)
        .collect();
    if uris.is_empty() {
        return Err(AppError::Unprocessable(
            "Validation failed: Redirect URI can't be blank".to_owned(),
        ));
    }
    if uris.len() > REDIRECT_URIS_MAX {
        return Err(AppError::Unprocessable(
            "Validation failed: too many redirect URIs".to_owned(),
        ));
    }
    for uri in &uris {
        validate_redirect_uri(uri)?;
    }
    let scopes = Scopes::parse(&new.scopes)?;
    let website = new
        .website
        .map(|w| w.trim().to_owned())
        .filter(|w| !w.is_empty());
    if let Some(site) = &website
        && url::Url::parse(site).is_err()
    {
        return Err(AppError::Unprocessable(
            "Validation failed: Website is invalid".to_owned(),
        ));
    }
    let client_secret = random_token();
    let app = ApplicationRow {
        id: ids::next_id(),
        name,
        website,
        redirect_uris: uris.join("\n"),
        scopes: scopes.to_string(),
        client_id: random_token(),
        client_secret_hash: hash_secret(&client_secret),
        created_at: Utc::now().naive_utc(),
    };
    let row = app.clone();
    db.run(move |conn| Ok(store::oauth::insert_application(conn, &row)?))
        .await?;
    Ok(RegisteredApplication { app, client_secret })
}

/// An OAuth error as RFC 6749 names it; the HTTP layer gives each its status.
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    #[error("{0}")]
    InvalidRequest(String),
    #[error(
        "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."
    )]
    InvalidClient,
    #[error("{0}")]
    InvalidGrant(String),
    #[error("{0}")]
    UnauthorizedClient(String),
    #[error("The authorization grant type is not supported by the authorization server.")]
    UnsupportedGrantType,
    #[error("{0}")]
    InvalidScope(String),
    #[error("{0}")]
    AccessDenied(String),
    #[error(transparent)]
    Server(#[from] AppError),
}

impl OAuthError {
    /// The `error` code of the JSON body.
    pub fn code(&self) -> &'static str {
        match self {
            OAuthError::InvalidRequest(_) => "invalid_request",
            OAuthError::InvalidClient => "invalid_client",
            OAuthError::InvalidGrant(_) => "invalid_grant",
            OAuthError::UnauthorizedClient(_) => "unauthorized_client",
            OAuthError::UnsupportedGrantType => "unsupported_grant_type",
            OAuthError::InvalidScope(_) => "invalid_scope",
            OAuthError::AccessDenied(_) => "access_denied",
            OAuthError::Server(_) => "server_error",
        }
    }
}

/// The parameters of `GET /oauth/authorize` that matter to the decision.
#[derive(Debug, Clone, Default)]
pub struct AuthorizationRequest {
    pub response_type: Option<String>,
    pub client_id: String,
    pub redirect_uri: Option<String>,
    pub scope: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
}

/// A request that may be shown to the member for consent.
#[derive(Debug, Clone)]
pub struct CheckedAuthorization {
    pub app: ApplicationRow,
    pub redirect_uri: String,
    pub scopes: Scopes,
    pub code_challenge: Option<String>,
}

/// Why an authorization request cannot go on. Only `Redirect` errors may be sent back to the
/// client's redirect URI; the others are shown on our page, as the URI is not trusted.
#[derive(Debug)]
pub enum AuthorizationError {
    UnknownClient,
    BadRedirectUri,
    Redirect {
        redirect_uri: String,
        error: OAuthError,
    },
    Server(AppError),
}

/// Checks an authorization request against the registered application.
pub async fn check_authorization(
    db: &Db,
    request: &AuthorizationRequest,
) -> Result<CheckedAuthorization, AuthorizationError> {
    let client_id = request.client_id.clone();
    let app = db
        .run(move |conn| {
            Ok(store::oauth::find_application_by_client_id(
                conn, &client_id,
            )?)
        })
        .await
        .map_err(AuthorizationError::Server)?
        .ok_or(AuthorizationError::UnknownClient)?;
    let registered = redirect_uris(&app);
    let redirect_uri = match request.redirect_uri.as_deref().filter(|u| !u.is_empty()) {
        Some(uri) if registered.iter().any(|r| r == uri) => uri.to_owned(),
        Some(_) => return Err(AuthorizationError::BadRedirectUri),
        None if registered.len() == 1 => registered[0].clone(),
        None => return Err(AuthorizationError::BadRedirectUri),
    };
    let fail = |error: OAuthError| AuthorizationError::Redirect {
        redirect_uri: redirect_uri.clone(),
        error,
    };
    if request.response_type.as_deref() != Some("code") {
        return Err(fail(OAuthError::InvalidRequest(
            "response_type must be code".to_owned(),
        )));
    }
    let requested = Scopes::parse(request.scope.as_deref().unwrap_or_default())
        .map_err(|e| fail(OAuthError::InvalidScope(e.public_message())))?;
    if !Scopes::from_stored(&app.scopes).contains_all(&requested) {
        return Err(fail(OAuthError::InvalidScope(
            "The requested scope is invalid, unknown, or malformed.".to_owned(),
        )));
    }
    let code_challenge = match (
        request.code_challenge.as_deref().filter(|c| !c.is_empty()),
        request.code_challenge_method.as_deref(),
    ) {
        (None, _) => None,
        (Some(challenge), Some("S256")) if (43..=128).contains(&challenge.len()) => {
            Some(challenge.to_owned())
        }
        (Some(_), Some("S256")) => {
            return Err(fail(OAuthError::InvalidRequest(
                "code_challenge must be 43 to 128 characters".to_owned(),
            )));
        }
        (Some(_), _) => {
            return Err(fail(OAuthError::InvalidRequest(
                "code_challenge_method must be S256".to_owned(),
            )));
        }
    };
    Ok(CheckedAuthorization {
        app,
        redirect_uri,
        scopes: requested,
        code_challenge,
    })
}

/// Issues a single-use code for a member who consented.
pub async fn issue_code(
    db: &Db,
    checked: &CheckedAuthorization,
    member: &LocalUser,
) -> Result<String, AppError> {
    let code = random_token();
    let now = Utc::now().naive_utc();
    let row = AuthorizationCodeRow {
        code_hash: hash_secret(&code),
        application_id: checked.app.id,
        account_id: member.account.id,
        redirect_uri: checked.redirect_uri.clone(),
        scopes: checked.scopes.to_string(),
        code_challenge: checked.code_challenge.clone(),
        expires_at: now + Duration::minutes(CODE_LIFETIME_MINUTES),
        created_at: now,
    };
    db.run(move |conn| {
        store::oauth::delete_expired_codes(conn, now)?;
        store::oauth::insert_code(conn, &row)?;
        Ok(())
    })
    .await?;
    Ok(code)
}

/// How a client proves who it is at the token and revoke endpoints.
#[derive(Debug, Clone, Default)]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: Option<String>,
}

/// The client's application, when its id is known and (if `secret_required` or a secret was
/// given) its secret matches.
async fn authenticate_client(
    db: &Db,
    client: &ClientCredentials,
    secret_required: bool,
) -> Result<ApplicationRow, OAuthError> {
    let client_id = client.client_id.clone();
    let app = db
        .run(move |conn| {
            Ok(store::oauth::find_application_by_client_id(
                conn, &client_id,
            )?)
        })
        .await?
        .ok_or(OAuthError::InvalidClient)?;
    match client.client_secret.as_deref().filter(|s| !s.is_empty()) {
        Some(secret) if secret_matches(secret, &app.client_secret_hash) => Ok(app),
        Some(_) => Err(OAuthError::InvalidClient),
        None if secret_required => Err(OAuthError::InvalidClient),
        None => Ok(app),
    }
}

/// A token as handed to the client, once.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub access_token: String,
    pub scopes: Scopes,
    pub created_at: NaiveDateTime,
}

/// Creates an access token. `account_id` is `None` for an application's own token.
pub async fn create_token(
    db: &Db,
    application_id: i64,
    account_id: Option<i64>,
    scopes: &Scopes,
) -> Result<IssuedToken, AppError> {
    let access_token = random_token();
    let row = AccessTokenRow {
        id: ids::next_id(),
        token_hash: hash_secret(&access_token),
        application_id,
        account_id,
        scopes: scopes.to_string(),
        created_at: Utc::now().naive_utc(),
    };
    let created_at = row.created_at;
    db.run(move |conn| Ok(store::oauth::insert_token(conn, &row)?))
        .await?;
    Ok(IssuedToken {
        access_token,
        scopes: scopes.clone(),
        created_at,
    })
}

/// `grant_type=authorization_code`. With PKCE the verifier authenticates the client and the
/// secret may be left out; without it the secret is required.
pub async fn exchange_code(
    db: &Db,
    client: &ClientCredentials,
    code: &str,
    redirect_uri: Option<&str>,
    code_verifier: Option<&str>,
) -> Result<IssuedToken, OAuthError> {
    let app = authenticate_client(db, client, false).await?;
    let code_hash = hash_secret(code);
    let row = db
        .transaction(move |conn| Ok(store::oauth::take_code(conn, &code_hash)?))
        .await?;
    let invalid = || {
        OAuthError::InvalidGrant(
            "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.".to_owned(),
        )
    };
    let row = row.ok_or_else(invalid)?;
    if row.application_id != app.id || row.expires_at < Utc::now().naive_utc() {
        return Err(invalid());
    }
    if redirect_uri.is_some_and(|uri| !uri.is_empty() && uri != row.redirect_uri) {
        return Err(invalid());
    }
    match (&row.code_challenge, code_verifier.filter(|v| !v.is_empty())) {
        (Some(challenge), Some(verifier)) if pkce_matches(verifier, challenge) => {}
        (Some(_), _) => return Err(invalid()),
        (None, _) if client.client_secret.as_deref().is_none_or(str::is_empty) => {
            return Err(OAuthError::InvalidClient);
        }
        (None, _) => {}
    }
    Ok(create_token(
        db,
        app.id,
        Some(row.account_id),
        &Scopes::from_stored(&row.scopes),
    )
    .await?)
}

/// The requested scopes, which must lie within the application's.
fn requested_scopes(app: &ApplicationRow, scope: Option<&str>) -> Result<Scopes, OAuthError> {
    let app_scopes = Scopes::from_stored(&app.scopes);
    match scope.filter(|s| !s.trim().is_empty()) {
        None => Ok(Scopes::parse("").unwrap_or_default()),
        Some(text) => {
            let requested =
                Scopes::parse(text).map_err(|e| OAuthError::InvalidScope(e.public_message()))?;
            if app_scopes.contains_all(&requested) {
                Ok(requested)
            } else {
                Err(OAuthError::InvalidScope(
                    "The requested scope is invalid, unknown, or malformed.".to_owned(),
                ))
            }
        }
    }
}

/// `grant_type=client_credentials`: a token for the application itself, with no member.
pub async fn client_credentials_token(
    db: &Db,
    client: &ClientCredentials,
    scope: Option<&str>,
) -> Result<IssuedToken, OAuthError> {
    let app = authenticate_client(db, client, true).await?;
    let scopes = requested_scopes(&app, scope)?;
    Ok(create_token(db, app.id, None, &scopes).await?)
}

/// `grant_type=password`, for test tooling only; the caller checks `api.allow_password_grant`.
pub async fn password_token(
    db: &Db,
    client: &ClientCredentials,
    username: &str,
    password: &str,
    scope: Option<&str>,
) -> Result<IssuedToken, OAuthError> {
    let app = authenticate_client(db, client, true).await?;
    let scopes = requested_scopes(&app, scope)?;
    let member = accounts::authenticate(db, username, password)
        .await
        .map_err(|e| match e {
            AppError::Unauthorized(message) => OAuthError::InvalidGrant(message),
            other => OAuthError::Server(other),
        })?;
    Ok(create_token(db, app.id, Some(member.account.id), &scopes).await?)
}

/// `POST /oauth/revoke`: deletes the token when it belongs to the authenticated client. Unknown
/// tokens are not an error (RFC 7009).
pub async fn revoke(db: &Db, client: &ClientCredentials, token: &str) -> Result<(), OAuthError> {
    let app = authenticate_client(db, client, true)
        .await
        .map_err(|e| match e {
            OAuthError::InvalidClient => OAuthError::UnauthorizedClient(
                "You are not authorized to revoke this token".to_owned(),
            ),
            other => other,
        })?;
    let token_hash = hash_secret(token);
    db.run(move |conn| Ok(store::oauth::delete_token(conn, &token_hash, app.id)?))
        .await?;
    Ok(())
}

/// What a valid access token stands for.
#[derive(Debug, Clone)]
pub struct TokenOwner {
    pub token_id: i64,
    pub application: ApplicationRow,
    pub scopes: Scopes,
    /// The member, for user tokens; `None` for an application's own token.
    pub user: Option<LocalUser>,
}

/// Looks an access token up. `None` when it is unknown or revoked, or its member is disabled or
/// suspended.
pub async fn resolve_token(db: &Db, token: &str) -> Result<Option<TokenOwner>, AppError> {
    let token_hash = hash_secret(token);
    db.run(move |conn| {
        let Some((row, application)) = store::oauth::find_token(conn, &token_hash)? else {
            return Ok(None);
        };
        let user = match row.account_id {
            None => None,
            Some(account_id) => match store::profiles::find_local_user_by_id(conn, account_id)? {
                Some((account, user)) if !user.disabled && account.suspended_at.is_none() => {
                    Some(LocalUser { account, user })
                }
                _ => return Ok(None),
            },
        };
        Ok(Some(TokenOwner {
            token_id: row.id,
            application,
            scopes: Scopes::from_stored(&row.scopes),
            user,
        }))
    })
    .await
}

/// The application a client id names, for `GET /oauth/authorize` pages and verify_credentials.
pub async fn find_application(db: &Db, id: i64) -> Result<ApplicationRow, AppError> {
    db.run(move |conn| store::oauth::find_application(conn, id)?.ok_or(AppError::NotFound))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_the_rfc_example() {
        // RFC 7636, appendix B.
        assert!(pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
    }

    #[test]
    fn redirect_uris_are_checked() {
        for ok in [
            "urn:ietf:wg:oauth:2.0:oob",
            "https://elk.zone/api/social.example/oauth/https%3A%2F%2Felk.zone",
            "oauth2redirect://com.keylesspalace.tusky/",
            "icecubesapp://",
            "org.joinmastodon.android-auth://callback",
            "http://localhost:4000/callback",
        ] {
            assert!(validate_redirect_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "not a uri",
            "/relative/path",
            "https://example.org/cb#fragment",
            "javascript:alert(1)",
            "data:text/html,hi",
        ] {
            assert!(validate_redirect_uri(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tokens_are_random_and_hashes_fixed_length() {
        let a = random_token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_token());
        assert_eq!(hash_secret(&a).len(), 64);
        assert!(secret_matches(&a, &hash_secret(&a)));
        assert!(!secret_matches("other", &hash_secret(&a)));
    }
}
