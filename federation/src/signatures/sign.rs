//! Signing outgoing requests the way Mastodon verifies them: `Date`, `Digest` for a body, and a
//! `Signature` over `(request-target) host date` (+ `digest content-type`), RSA-SHA256.

use super::digest::digest_header;
use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use http::{HeaderMap, HeaderName, HeaderValue, Method, header};
use http_signature_normalization::Config;
use rsa::{Pkcs1v15Sign, RsaPrivateKey, pkcs1::DecodeRsaPrivateKey, pkcs8::DecodePrivateKey};
use sha2::{Digest as _, Sha256};
use std::{collections::BTreeMap, time::SystemTime};
use url::Url;

/// An actor's private key and the `keyId` its public half is published under.
#[derive(Clone)]
pub struct SigningKey {
    key_id: Url,
    private_key: RsaPrivateKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("key_id", &self.key_id.as_str())
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A key from its parts.
    pub fn new(key_id: Url, private_key: RsaPrivateKey) -> Self {
        SigningKey {
            key_id,
            private_key,
        }
    }

    /// A key from a PEM private key (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`).
    pub fn from_pem(key_id: Url, pem: &str) -> Result<Self, SignError> {
        let private_key = RsaPrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
            .map_err(|_| SignError::InvalidKey)?;
        Ok(SigningKey::new(key_id, private_key))
    }

    /// The `keyId`.
    pub fn key_id(&self) -> &Url {
        &self.key_id
    }

    #[cfg(test)]
    pub(crate) fn private_key(&self) -> &RsaPrivateKey {
        &self.private_key
    }
}

/// An outgoing request to sign.
#[derive(Debug, Clone, Copy)]
pub struct OutgoingRequest<'a> {
    /// `GET` for fetches, `POST` for deliveries.
    pub method: &'a Method,
    /// The full URL.
    pub url: &'a Url,
    /// The body of a POST; `None` for a GET.
    pub body: Option<&'a [u8]>,
    /// The body's content type, signed when given (`application/activity+json`).
    pub content_type: Option<&'a str>,
}

/// Why a request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The private key could not be read.
    #[error("the private key is unreadable")]
    InvalidKey,
    /// The URL has no host.
    #[error("the URL has no host")]
    NoHost,
    /// A header value could not be built (a control character in the content type).
    #[error("invalid header value")]
    InvalidHeader,
    /// The RSA operation failed.
    #[error("signing failed: {0}")]
    Rsa(String),
}

/// The headers to add to `request`: `Host`, `Date`, `Digest` (with a body), `Content-Type`
/// (when given) and `Signature`, signed at `now`.
///
/// The signature uses `algorithm="hs2019"` (what the library writes; Mastodon, Pleroma,
/// GoToSocial and Lemmy read it as RSA-SHA256) without `(created)`, which Pleroma rejects.
pub fn sign_request(
    request: &OutgoingRequest<'_>,
    key: &SigningKey,
    now: SystemTime,
) -> Result<HeaderMap, SignError> {
    let host = authority(request.url).ok_or(SignError::NoHost)?;
    let mut to_sign: BTreeMap<String, String> = BTreeMap::new();
    to_sign.insert("host".into(), host);
    to_sign.insert("date".into(), httpdate::fmt_http_date(now));
    if let Some(body) = request.body {
        to_sign.insert("digest".into(), digest_header(body));
    }
    if let Some(content_type) = request.content_type {
        to_sign.insert("content-type".into(), content_type.to_owned());
    }

    let mut path_and_query = request.url.path().to_owned();
    if let Some(query) = request.url.query() {
        path_and_query.push('?');
        path_and_query.push_str(query);
    }
    let config = Config::new().mastodon_compat();
    let signature = config
        .begin_sign(request.method.as_str(), &path_and_query, to_sign.clone())
        .map_err(|e| SignError::Rsa(e.to_string()))?
        .sign(key.key_id.to_string(), |signing_string| {
            key.private_key
                .sign(
                    Pkcs1v15Sign::new::<Sha256>(),
                    &Sha256::digest(signing_string.as_bytes()),
                )
                .map(|signature| BASE64.encode(signature))
                .map_err(|e| SignError::Rsa(e.to_string()))
        })?
        .signature_header();

    let mut headers = HeaderMap::new();
    for (name, value) in to_sign {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| SignError::InvalidHeader)?;
        let value = HeaderValue::from_str(&value).map_err(|_| SignError::InvalidHeader)?;
        headers.insert(name, value);
    }
    headers.insert(
        HeaderName::from_static("signature"),
        HeaderValue::from_str(&signature).map_err(|_| SignError::InvalidHeader)?,
    );
    debug_assert!(headers.contains_key(header::DATE));
    Ok(headers)
}

/// `host[:port]` as an HTTP client sends it in `Host`: the port only when not the scheme's
/// default.
fn authority(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signatures::{header::parse, test_keys::alice_key};

    #[test]
    fn a_signed_post_covers_what_mastodon_requires() {
        let url = Url::parse("https://b.example:8443/inbox?x=1").unwrap();
        let body = br#"{"type":"Follow"}"#;
        let headers = sign_request(
            &OutgoingRequest {
                method: &Method::POST,
                url: &url,
                body: Some(body),
                content_type: Some("application/activity+json"),
            },
            &alice_key(),
            SystemTime::now(),
        )
        .unwrap();
        assert_eq!(headers["host"], "b.example:8443");
        assert_eq!(headers["digest"], digest_header(body).as_str());
        let params = parse(headers["signature"].to_str().unwrap()).unwrap();
        for signed in ["(request-target)", "host", "date", "digest", "content-type"] {
            assert!(params.covers(signed), "{signed} is not signed");
        }
        assert_eq!(params.key_id, alice_key().key_id().as_str());
    }

    #[test]
    fn a_default_port_is_left_out_of_host() {
        let url = Url::parse("https://b.example:443/u/1").unwrap();
        assert_eq!(authority(&url).as_deref(), Some("b.example"));
    }

    #[test]
    fn a_key_reads_from_pem_or_fails() {
        assert_eq!(
            SigningKey::from_pem(alice_key().key_id().clone(), "not a key").unwrap_err(),
            SignError::InvalidKey
        );
    }
}
