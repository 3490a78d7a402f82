//! The outbound HTTP client, with the protections a federated server needs against being used
//! to reach its own network (SSRF): checked schemes, IP literals and resolved addresses,
//! redirects followed only after the same checks, a total deadline per request and a cap on
//! response size.
//!
//! One [`HttpClient`] serves both our own fetches ([`HttpClient::get`],
//! [`HttpClient::fetch_activity_json`], [`HttpClient::post`]) and the crate's
//! ([`HttpClient::with_middleware`] for `FederationConfig::client`), so every request passes the
//! same guards.

mod guard;
mod ip;

pub use guard::Refused;
pub use ip::is_forbidden_ip;

use crate::{
    fetch::{FetchPolicyError, IdCheck, check_fetched_object, normalise_domain},
    media_types::ACTIVITY_JSON,
    signatures::{OutgoingRequest, SignError, SigningKey, sign_request},
};
use bytes::{Bytes, BytesMut};
use guard::{Guard, GuardedResolver, UrlGuard};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use reqwest::redirect::Policy;
use reqwest_middleware::ClientWithMiddleware;
use serde_json::Value;
use std::{
    collections::BTreeMap,
    error::Error as _,
    net::SocketAddr,
    sync::Arc,
    time::{Duration, SystemTime},
};
use url::Url;

/// How many redirects [`HttpClient::get`] follows, each re-checked like the first request.
pub const MAX_REDIRECTS: usize = 3;

/// The outbound client's settings, as the server's `federation.*` configuration gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientPolicy {
    /// Our domain, named in the User-Agent so remote admins can reach us.
    pub our_domain: String,
    /// Whether `http://` URLs may be requested (tests, closed networks without TLS).
    pub allow_http: bool,
    /// Hosts exempt from the private-address check (names, or IP literals).
    pub allow_private_hosts: Vec<String>,
    /// Host → addresses, used instead of DNS: how tests make `alpha.test` reach a loopback
    /// port, never `/etc/hosts`. The address's port is used when the URL names none; an
    /// explicit port in the URL wins. The addresses are still checked unless the host is also
    /// in `allow_private_hosts`.
    pub resolve: BTreeMap<String, Vec<SocketAddr>>,
    /// The deadline for a whole request, connection to last body byte (redirects included).
    pub request_timeout: Duration,
    /// The largest response body read; a longer one is cut and refused.
    pub max_response_bytes: usize,
}

impl ClientPolicy {
    /// The defaults: https only, no exemptions, 10 s, 1 MiB.
    pub fn new(our_domain: impl Into<String>) -> Self {
        ClientPolicy {
            our_domain: our_domain.into(),
            allow_http: false,
            allow_private_hosts: Vec::new(),
            resolve: BTreeMap::new(),
            request_timeout: Duration::from_secs(10),
            max_response_bytes: 1024 * 1024,
        }
    }

    /// The User-Agent we send: `Kakehashi/<version> (+https://<our domain>)`.
    pub fn user_agent(&self) -> String {
        format!(
            "Kakehashi/{} (+https://{})",
            env!("CARGO_PKG_VERSION"),
            self.our_domain
        )
    }
}

/// Why the client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ClientBuildError {
    /// A host in `allow_private_hosts` or `resolve` is not a valid host name.
    #[error("invalid host in the client policy: {0}")]
    InvalidHost(String),
    /// reqwest refused the configuration.
    #[error("cannot build the HTTP client: {0}")]
    Reqwest(#[from] reqwest::Error),
}

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The URL, a redirect target or a resolved address was refused by the policy. Nothing
    /// was sent to it.
    #[error("refused: {0}")]
    Refused(#[from] Refused),
    /// The total deadline passed.
    #[error("timed out")]
    Timeout,
    /// The response body is over the cap.
    #[error("the response is over {limit} bytes")]
    TooLarge {
        /// The cap.
        limit: usize,
    },
    /// More than [`MAX_REDIRECTS`] redirects, or a redirect without a usable `Location`.
    #[error("too many or unusable redirects")]
    Redirect,
    /// The object is gone (410).
    #[error("gone")]
    Gone,
    /// Another unsuccessful status.
    #[error("status {0}")]
    Status(StatusCode),
    /// The document fails the fetch rules (content type, id).
    #[error(transparent)]
    Policy(#[from] FetchPolicyError),
    /// The body is not JSON.
    #[error("invalid JSON: {0}")]
    Json(String),
    /// Signing the request failed.
    #[error(transparent)]
    Sign(#[from] SignError),
    /// A connection or protocol error.
    #[error("HTTP error: {0}")]
    Http(String),
}

/// A response read within the deadline and the size cap.
#[derive(Debug, Clone)]
pub struct FetchedBody {
    /// The status.
    pub status: StatusCode,
    /// The URL the body came from, after redirects.
    pub final_url: Url,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl FetchedBody {
    /// The `Content-Type` header, if readable.
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }
}

/// An ActivityStreams document that passed [`check_fetched_object`].
#[derive(Debug, Clone, PartialEq)]
pub struct FetchedDocument {
    /// Its id, which is where it was served from.
    pub id: Url,
    /// The document.
    pub json: Value,
}

/// The outbound client. Cheap to clone.
#[derive(Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    with_middleware: ClientWithMiddleware,
    timeout: Duration,
    max_response_bytes: usize,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient")
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// Builds the client: rustls (reqwest's default provider, or one the process installed),
    /// the system's root certificates, no proxy (a proxy would resolve
    /// names where our resolver cannot judge them), no automatic redirects, the guarded
    /// resolver, the URL-checking middleware, the total deadline and our User-Agent.
    pub fn new(policy: &ClientPolicy) -> Result<Self, ClientBuildError> {
        let normalise =
            |host: &str| normalise_domain(host).map_err(|e| ClientBuildError::InvalidHost(e.0));
        let mut guard = Guard {
            allow_http: policy.allow_http,
            ..Guard::default()
        };
        for host in &policy.allow_private_hosts {
            guard.allowed_private.insert(normalise(host)?);
        }
        for (host, addresses) in &policy.resolve {
            guard.overrides.insert(normalise(host)?, addresses.clone());
        }
        let guard = Arc::new(guard);

        let client = reqwest::Client::builder()
            .user_agent(policy.user_agent())
            .no_proxy()
            .redirect(Policy::none())
            .https_only(!policy.allow_http)
            .timeout(policy.request_timeout)
            .connect_timeout(policy.request_timeout)
            .dns_resolver(Arc::new(GuardedResolver(guard.clone())))
            .build()?;
        let with_middleware = reqwest_middleware::ClientBuilder::new(client.clone())
            .with(UrlGuard(guard))
            .build();
        Ok(HttpClient {
            client,
            with_middleware,
            timeout: policy.request_timeout,
            max_response_bytes: policy.max_response_bytes,
        })
    }

    /// The client for `FederationConfig::builder().client(..)`: the same resolver and deadline,
    /// with the URL check as middleware. The crate follows one redirect itself, through this
    /// client, so that hop is checked too; it caps bodies at 1 MiB on its own.
    pub fn with_middleware(&self) -> ClientWithMiddleware {
        self.with_middleware.clone()
    }

    /// GETs `url` with `accept`, signed by `signer` when given (authorized fetch; each hop is
    /// signed for its own URL), following up to [`MAX_REDIRECTS`] redirects, each re-checked.
    /// The deadline covers the whole exchange; the body is cut at the cap.
    pub async fn get(
        &self,
        url: &Url,
        accept: &str,
        signer: Option<&SigningKey>,
    ) -> Result<FetchedBody, FetchError> {
        self.within_deadline(async {
            let mut current = url.clone();
            for _ in 0..=MAX_REDIRECTS {
                let mut headers = HeaderMap::new();
                headers.insert(
                    header::ACCEPT,
                    HeaderValue::from_str(accept).map_err(|e| FetchError::Http(e.to_string()))?,
                );
                if let Some(signer) = signer {
                    let request = OutgoingRequest {
                        method: &Method::GET,
                        url: &current,
                        body: None,
                        content_type: None,
                    };
                    headers.extend(sign_request(&request, signer, SystemTime::now())?);
                }
                let request = self.with_middleware.get(current.as_str()).headers(headers);
                let response = request.send().await.map_err(classify_middleware)?;
                if response.status().is_redirection() {
                    let location = response
                        .headers()
                        .get(header::LOCATION)
                        .and_then(|l| l.to_str().ok())
                        .and_then(|l| current.join(l).ok())
                        .ok_or(FetchError::Redirect)?;
                    current = location;
                    continue;
                }
                return self.read(response).await;
            }
            Err(FetchError::Redirect)
        })
        .await
    }

    /// POSTs `body` (a delivery) with `headers` (the signature from [`sign_request`]). No
    /// redirect is followed: a moved inbox must be rediscovered from the actor.
    pub async fn post(
        &self,
        url: &Url,
        headers: HeaderMap,
        body: Bytes,
    ) -> Result<FetchedBody, FetchError> {
        self.within_deadline(async {
            let response = self
                .with_middleware
                .post(url.as_str())
                .headers(headers)
                .body(body)
                .send()
                .await
                .map_err(classify_middleware)?;
            self.read(response).await
        })
        .await
    }

    /// Fetches an ActivityStreams document and applies the fetch rules: success status,
    /// ActivityStreams content type, `id` equal to where it was served from (one refetch from
    /// the `id` when it is an alias on the same origin).
    pub async fn fetch_activity_json(
        &self,
        url: &Url,
        signer: Option<&SigningKey>,
    ) -> Result<FetchedDocument, FetchError> {
        let mut asked = url.clone();
        for attempt in 0..2 {
            let fetched = self.get(&asked, ACTIVITY_JSON, signer).await?;
            match fetched.status {
                StatusCode::GONE => return Err(FetchError::Gone),
                status if !status.is_success() => return Err(FetchError::Status(status)),
                _ => {}
            }
            let json: Value = serde_json::from_slice(&fetched.body)
                .map_err(|e| FetchError::Json(e.to_string()))?;
            match check_fetched_object(&asked, &fetched.final_url, fetched.content_type(), &json)? {
                IdCheck::Matches => {
                    return Ok(FetchedDocument {
                        id: fetched.final_url,
                        json,
                    });
                }
                IdCheck::RefetchFrom(id) if attempt == 0 => asked = id,
                IdCheck::RefetchFrom(id) => {
                    return Err(FetchPolicyError::CrossOriginId {
                        fetched: fetched.final_url.into(),
                        id: id.into(),
                    }
                    .into());
                }
            }
        }
        Err(FetchError::Redirect)
    }

    /// The plain reqwest client (same resolver and deadline, but no URL middleware): only for
    /// callers that check URLs themselves.
    pub fn reqwest(&self) -> &reqwest::Client {
        &self.client
    }

    async fn within_deadline<T>(
        &self,
        work: impl Future<Output = Result<T, FetchError>>,
    ) -> Result<T, FetchError> {
        tokio::time::timeout(self.timeout, work)
            .await
            .unwrap_or(Err(FetchError::Timeout))
    }

    async fn read(&self, mut response: reqwest::Response) -> Result<FetchedBody, FetchError> {
        let limit = self.max_response_bytes;
        if response
            .content_length()
            .is_some_and(|length| length > limit as u64)
        {
            return Err(FetchError::TooLarge { limit });
        }
        let status = response.status();
        let final_url = response.url().clone();
        let headers = response.headers().clone();
        let mut body = BytesMut::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > limit {
                return Err(FetchError::TooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(FetchedBody {
            status,
            final_url,
            headers,
            body: body.freeze(),
        })
    }
}

fn classify_middleware(error: reqwest_middleware::Error) -> FetchError {
    match error {
        reqwest_middleware::Error::Reqwest(error) => classify(error),
        reqwest_middleware::Error::Middleware(error) => match error.downcast::<Refused>() {
            Ok(refused) => FetchError::Refused(refused),
            Err(other) => FetchError::Http(other.to_string()),
        },
    }
}

/// Finds our resolver's refusal inside reqwest's error chain, and tells timeouts apart.
fn classify(error: reqwest::Error) -> FetchError {
    let mut source = error.source();
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<Refused>() {
            return FetchError::Refused(refused.clone());
        }
        source = cause.source();
    }
    if error.is_timeout() {
        FetchError::Timeout
    } else {
        FetchError::Http(error.to_string())
    }
}

#[cfg(test)]
mod tests;
