//! Verifying an incoming signed POST (inbox) or signed GET (authorized fetch).

use super::{
    ActorKeys, KeyLookup, KeyLookupError, SignatureError,
    digest::{check_body_digest, joined},
    header::{SignatureParams, parse, signature_header},
};
use crate::protocol::helpers::id_from_value;
use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use http::{HeaderMap, Method, uri::Authority};
use http_signature_normalization::Config;
use rsa::{Pkcs1v15Sign, RsaPublicKey, pkcs1::DecodeRsaPublicKey, pkcs8::DecodePublicKey};
use sha2::{Digest as _, Sha256};
use std::{
    collections::BTreeMap,
    time::{Duration, SystemTime, UNIX_EPOCH},
};
use url::Url;

/// What the server decides; [`VerifyPolicy::new`] gives the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyPolicy {
    /// Our `host[:port]` exactly as configured; the `Host` header must name it.
    pub our_host: String,
    /// The largest inbox body accepted, checked before anything else.
    pub max_body_bytes: usize,
    /// How old a signature may be. Mastodon's 12 hours: senders queue and retry, and a
    /// replay inside the window is stopped by activity-id deduplication, not by the clock.
    pub max_age: Duration,
    /// How far in the future a signature may be dated: clock skew, Mastodon's 1 hour.
    pub max_ahead: Duration,
}

impl VerifyPolicy {
    /// The defaults for `our_host`: 1 MiB bodies (the crate's limit), 12 h back, 1 h ahead.
    pub fn new(our_host: impl Into<String>) -> Self {
        VerifyPolicy {
            our_host: our_host.into(),
            max_body_bytes: 1024 * 1024,
            max_age: Duration::from_secs(12 * 3600),
            max_ahead: Duration::from_secs(3600),
        }
    }
}

/// The parts of an incoming request the checks read.
#[derive(Debug, Clone, Copy)]
pub struct IncomingRequest<'a> {
    /// The method (`POST` for an inbox, `GET` for a signed fetch).
    pub method: &'a Method,
    /// The path and query exactly as received (behind `Router::nest`, the original URI's).
    pub path_and_query: &'a str,
    /// The headers, including `Host` (for HTTP/2 the caller copies `:authority` into it).
    pub headers: &'a HeaderMap,
    /// The body; empty for a GET.
    pub body: &'a [u8],
}

/// Who signed a request that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedRequest {
    /// The actor whose listed key signed (for a POST, also the activity's `actor`).
    pub actor_id: Url,
    /// The key that signed.
    pub key_id: Url,
}

/// Verifies a POST to an inbox, in this order: body size, body digest, `Host`, signature
/// header, signed headers (`(request-target)`, `host`, `date` or `(created)`, and the digest
/// header), the date window, that the key is one the signing actor lists and that this actor
/// is the activity's `actor`, and finally the RSA-SHA256 signature.
pub async fn verify_inbox_request(
    request: &IncomingRequest<'_>,
    policy: &VerifyPolicy,
    now: SystemTime,
    keys: &impl KeyLookup,
) -> Result<VerifiedRequest, SignatureError> {
    if request.body.len() > policy.max_body_bytes {
        return Err(SignatureError::BodyTooLarge {
            size: request.body.len(),
            limit: policy.max_body_bytes,
        });
    }
    let digest_header = check_body_digest(request.headers, request.body)?;
    verify(request, policy, now, keys, Some(digest_header)).await
}

/// Verifies a signed GET (authorized fetch): the same checks as
/// [`verify_inbox_request`] without the body, and the signer is whoever the key belongs to.
pub async fn verify_get_request(
    request: &IncomingRequest<'_>,
    policy: &VerifyPolicy,
    now: SystemTime,
    keys: &impl KeyLookup,
) -> Result<VerifiedRequest, SignatureError> {
    verify(request, policy, now, keys, None).await
}

async fn verify(
    request: &IncomingRequest<'_>,
    policy: &VerifyPolicy,
    now: SystemTime,
    keys: &impl KeyLookup,
    digest_header: Option<&'static str>,
) -> Result<VerifiedRequest, SignatureError> {
    check_host(request.headers, &policy.our_host)?;

    let raw_signature = signature_header(request.headers)?;
    let params = parse(&raw_signature)?;
    if let Some(algorithm) = &params.algorithm
        && !matches!(
            algorithm.to_ascii_lowercase().as_str(),
            "hs2019" | "rsa-sha256"
        )
    {
        return Err(SignatureError::UnsupportedAlgorithm(algorithm.clone()));
    }
    check_signed_headers(&params, digest_header)?;
    check_dates(request.headers, &params, policy, now)?;

    let key_id = Url::parse(&params.key_id)
        .map_err(|_| SignatureError::KeyIdInvalid(params.key_id.clone()))?;
    let actor_keys = keys.actor_keys(&key_id).await.map_err(|e| match e {
        KeyLookupError::NotFound => SignatureError::KeyNotFound(key_id.clone()),
        KeyLookupError::Unavailable(why) => SignatureError::KeyLookupUnavailable(why),
    })?;
    let pem = listed_key(&actor_keys, &key_id)?;
    if digest_header.is_some() {
        let claimed = claimed_actor(request.body)?;
        if claimed != actor_keys.actor_id {
            return Err(SignatureError::ActorMismatch {
                signer: actor_keys.actor_id.into(),
                claimed: claimed.into(),
            });
        }
    }

    check_rsa_signature(request, &raw_signature, &params, pem)?;
    Ok(VerifiedRequest {
        actor_id: actor_keys.actor_id,
        key_id,
    })
}

/// `Host` must be our configured `host[:port]`: host compared case-insensitively and without
/// a trailing dot, the port exactly (present in both or in neither).
fn check_host(headers: &HeaderMap, our_host: &str) -> Result<(), SignatureError> {
    let got = joined(headers, "host").ok_or(SignatureError::HostMissing)?;
    let wrong = || SignatureError::WrongHost(got.clone());
    let theirs = split_authority(&got).ok_or_else(wrong)?;
    let ours = split_authority(our_host).ok_or_else(wrong)?;
    if theirs == ours { Ok(()) } else { Err(wrong()) }
}

fn split_authority(value: &str) -> Option<(String, Option<u16>)> {
    let authority: Authority = value.trim().parse().ok()?;
    if authority.as_str().contains('@') {
        return None;
    }
    let host = authority.host().trim_end_matches('.').to_ascii_lowercase();
    Some((host, authority.port_u16()))
}

fn check_signed_headers(
    params: &SignatureParams,
    digest_header: Option<&'static str>,
) -> Result<(), SignatureError> {
    for required in ["(request-target)", "host"] {
        if !params.covers(required) {
            return Err(SignatureError::HeaderNotSigned(required));
        }
    }
    if !params.covers("date") && !params.covers("(created)") {
        return Err(SignatureError::HeaderNotSigned("date"));
    }
    if let Some(digest) = digest_header
        && !params.covers(digest)
    {
        return Err(SignatureError::HeaderNotSigned(digest));
    }
    Ok(())
}

fn check_dates(
    headers: &HeaderMap,
    params: &SignatureParams,
    policy: &VerifyPolicy,
    now: SystemTime,
) -> Result<(), SignatureError> {
    let in_window = |signed_at: SystemTime| {
        if signed_at + policy.max_age < now {
            Err(SignatureError::Expired)
        } else if signed_at > now + policy.max_ahead {
            Err(SignatureError::FromTheFuture)
        } else {
            Ok(())
        }
    };
    if params.covers("date") {
        let date = joined(headers, "date").ok_or(SignatureError::DateMissing)?;
        let date = httpdate::parse_http_date(&date).map_err(|_| SignatureError::DateMalformed)?;
        in_window(date)?;
    }
    if params.covers("(created)") {
        let created = params.created.ok_or(SignatureError::DateMalformed)?;
        in_window(UNIX_EPOCH + Duration::from_secs(created))?;
    }
    if let Some(expires) = params.expires
        && UNIX_EPOCH + Duration::from_secs(expires) < now
    {
        return Err(SignatureError::Expired);
    }
    Ok(())
}

fn listed_key<'k>(actor_keys: &'k ActorKeys, key_id: &Url) -> Result<&'k str, SignatureError> {
    actor_keys
        .listed(key_id)
        .map(|key| key.public_key_pem.as_str())
        .ok_or_else(|| SignatureError::KeyNotListedByActor {
            key: key_id.to_string(),
            actor: actor_keys.actor_id.to_string(),
        })
}

/// The `actor` of the activity in a POST body (an id, or an embedded actor's id).
fn claimed_actor(body: &[u8]) -> Result<Url, SignatureError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| SignatureError::ClaimedActorMissing)?;
    value
        .get("actor")
        .and_then(|actor| id_from_value(actor).ok())
        .ok_or(SignatureError::ClaimedActorMissing)
}

fn check_rsa_signature(
    request: &IncomingRequest<'_>,
    raw_signature: &str,
    params: &SignatureParams,
    pem: &str,
) -> Result<(), SignatureError> {
    let public_key = RsaPublicKey::from_public_key_pem(pem.trim())
        .or_else(|_| RsaPublicKey::from_pkcs1_pem(pem.trim()))
        .map_err(|_| SignatureError::PublicKeyInvalid)?;

    // The library rebuilds the signing string from the same parameters. Our own window checks
    // have run with `now`; its clock-based expiry is set out of the way (it still refuses an
    // `expires` in the real past, which ours refused already).
    let mut to_verify: BTreeMap<String, String> = BTreeMap::new();
    for name in params.headers.iter().filter(|h| !h.starts_with('(')) {
        if let Some(value) = joined(request.headers, name) {
            to_verify.insert(name.clone(), value);
        }
    }
    to_verify.insert("signature".into(), raw_signature.to_owned());
    let config = Config::new().set_expiration(Duration::from_secs(100 * 365 * 24 * 3600));
    let unverified = config
        .begin_verify(request.method.as_str(), request.path_and_query, to_verify)
        .map_err(|e| SignatureError::SignatureMalformed(e.to_string()))?;
    let verified = unverified.verify(|signature, signing_string| {
        let Ok(signature) = BASE64.decode(signature) else {
            return false;
        };
        public_key
            .verify(
                Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(signing_string.as_bytes()),
                &signature,
            )
            .is_ok()
    });
    if verified {
        Ok(())
    } else {
        Err(SignatureError::SignatureInvalid)
    }
}
