//! HTTP Signatures as the fediverse speaks them (draft-cavage, RSA-SHA256, `Digest`): the
//! checks an incoming POST or signed GET must pass, and signing for outgoing requests.
//!
//! The crate verifies inbox signatures itself, but only against the activity's actor, with a
//! one-hour window, without checking `Host` or that the signature covers `digest`; and it
//! offers nothing for signed GETs on axum. These functions are the stricter policy the server
//! runs first, in the order of the checklist in `security-perf.md`, with one error per class
//! so logs and tests can tell them apart.

mod digest;
mod header;
mod keys;
mod sign;
mod verify;

pub use digest::{content_digest_header, digest_header};
pub use keys::{ActorKeys, KeyLookup, KeyLookupError, resolve_actor_keys};
pub use sign::{OutgoingRequest, SignError, SigningKey, sign_request};
pub use verify::{
    IncomingRequest, VerifiedRequest, VerifyPolicy, verify_get_request, verify_inbox_request,
};

use http::StatusCode;
use url::Url;

/// Why an incoming request's signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The body is over the caller's limit; nothing else was looked at.
    #[error("request body of {size} bytes is over the limit of {limit}")]
    BodyTooLarge {
        /// The body's length.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A POST without `Digest` (or `Content-Digest`).
    #[error("no Digest header")]
    DigestMissing,
    /// The digest header names no algorithm we check (SHA-256, SHA-512).
    #[error("the digest header names no supported algorithm")]
    DigestUnsupported,
    /// The digest does not match the body: it was altered after signing.
    #[error("the digest does not match the body")]
    DigestMismatch,
    /// No `Host` header.
    #[error("no Host header")]
    HostMissing,
    /// The request was signed for another host.
    #[error("Host {0:?} is not this server")]
    WrongHost(String),
    /// No `Signature` header and no `Authorization: Signature`.
    #[error("no Signature header")]
    SignatureMissing,
    /// The signature header cannot be read, or names a header the request lacks.
    #[error("malformed signature: {0}")]
    SignatureMalformed(String),
    /// An algorithm other than `hs2019` or `rsa-sha256`.
    #[error("unsupported signature algorithm {0:?}")]
    UnsupportedAlgorithm(String),
    /// A header that must be signed is not among the signed headers.
    #[error("the signature does not cover {0}")]
    HeaderNotSigned(&'static str),
    /// `date` is signed but there is no `Date` header.
    #[error("no Date header")]
    DateMissing,
    /// The `Date` header (or `created`) cannot be read.
    #[error("unreadable Date header")]
    DateMalformed,
    /// Signed longer ago than the window allows (or past its `expires`).
    #[error("the signature has expired")]
    Expired,
    /// Signed further in the future than clock skew explains.
    #[error("the signature is dated in the future")]
    FromTheFuture,
    /// The `keyId` is not a URL.
    #[error("keyId {0:?} is not a URL")]
    KeyIdInvalid(String),
    /// The key's actor could not be found (404/410, or not an actor).
    #[error("no actor found for key {0}")]
    KeyNotFound(Url),
    /// The key could not be looked up now (network, database); the sender should retry.
    #[error("key lookup failed: {0}")]
    KeyLookupUnavailable(String),
    /// The actor the key names does not list that key: someone else's key claiming an owner.
    #[error("key {key} is not one that {actor} lists")]
    KeyNotListedByActor {
        /// The `keyId`.
        key: String,
        /// The actor the lookup found.
        actor: String,
    },
    /// The POST body has no `actor` to compare the signer with.
    #[error("the request body names no actor")]
    ClaimedActorMissing,
    /// Signed by one actor, claiming to be from another (includes forwarded activities, which
    /// must be refetched from their origin instead).
    #[error("signed by {signer} but the activity's actor is {claimed}")]
    ActorMismatch {
        /// Whose key signed.
        signer: String,
        /// The `actor` in the body.
        claimed: String,
    },
    /// The listed public key cannot be parsed as RSA.
    #[error("the actor's public key is unreadable")]
    PublicKeyInvalid,
    /// The signature does not verify with the actor's key.
    #[error("the signature does not verify")]
    SignatureInvalid,
}

impl SignatureError {
    /// The HTTP status to answer with: 413 for size, 503 when the key could not be looked up
    /// (so the sender retries), 401 for every other refusal.
    pub fn status(&self) -> StatusCode {
        match self {
            SignatureError::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            SignatureError::KeyLookupUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::UNAUTHORIZED,
        }
    }
}

#[cfg(test)]
pub(crate) mod test_keys;
#[cfg(test)]
mod tests;
