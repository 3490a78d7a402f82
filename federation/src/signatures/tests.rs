//! End-to-end checks: requests signed by [`sign_request`] (or by hand, to leave something out)
//! against [`verify_inbox_request`] and [`verify_get_request`], with real RSA-2048 keys.

use super::{
    test_keys::{ALICE, MALLORY, alice_key, alice_keys, mallory_key, mallory_keys},
    *,
};
use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use http::{HeaderMap, HeaderValue, Method};
use rsa::Pkcs1v15Sign;
use sha2::{Digest as _, Sha256};
use std::time::{Duration, SystemTime};
use url::Url;

const CLAIMS_ALICE: &str = "https://evil.test/keys/claims-alice";

/// The lookup a server would do: each key id resolves to the actor document its owner serves.
/// Mallory's standalone key document claims Alice as owner, so it resolves to Alice's document.
async fn lookup(key_id: Url) -> Result<ActorKeys, KeyLookupError> {
    match key_id.as_str() {
        k if k == format!("{ALICE}#main-key") => Ok(alice_keys()),
        k if k == format!("{MALLORY}#main-key") => Ok(mallory_keys()),
        CLAIMS_ALICE => Ok(alice_keys()),
        "https://down.test/users/x#main-key" => Err(KeyLookupError::Unavailable("timeout".into())),
        _ => Err(KeyLookupError::NotFound),
    }
}

fn follow_from(actor: &str) -> Vec<u8> {
    format!(
        r#"{{"type":"Follow","id":"{actor}/follows/1","actor":"{actor}","object":"https://beta.test/users/bob"}}"#
    )
    .into_bytes()
}

fn inbox_url() -> Url {
    Url::parse("https://beta.test/inbox").unwrap()
}

fn signed_post(key: &SigningKey, body: &[u8], at: SystemTime) -> HeaderMap {
    sign_request(
        &OutgoingRequest {
            method: &Method::POST,
            url: &inbox_url(),
            body: Some(body),
            content_type: Some("application/activity+json"),
        },
        key,
        at,
    )
    .unwrap()
}

async fn verify_post(headers: &HeaderMap, body: &[u8]) -> Result<VerifiedRequest, SignatureError> {
    verify_post_with(headers, body, &VerifyPolicy::new("beta.test")).await
}

async fn verify_post_with(
    headers: &HeaderMap,
    body: &[u8],
    policy: &VerifyPolicy,
) -> Result<VerifiedRequest, SignatureError> {
    let request = IncomingRequest {
        method: &Method::POST,
        path_and_query: "/inbox",
        headers,
        body,
    };
    verify_inbox_request(&request, policy, SystemTime::now(), &lookup).await
}

/// A signature over exactly `signed` (name, value) headers, for requests `sign_request` would
/// never make. The signing string is built here by hand, following draft-cavage, which also
/// cross-checks the library's.
fn hand_signed(key: &SigningKey, method: &str, path: &str, signed: &[(&str, String)]) -> HeaderMap {
    let mut lines = vec![format!(
        "(request-target): {} {path}",
        method.to_ascii_lowercase()
    )];
    lines.extend(
        signed
            .iter()
            .map(|(name, value)| format!("{name}: {value}")),
    );
    let signature = key
        .private_key()
        .sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(lines.join("\n").as_bytes()),
        )
        .unwrap();
    let names: Vec<&str> = signed.iter().map(|(name, _)| *name).collect();
    let header = format!(
        r#"keyId="{}",algorithm="rsa-sha256",headers="(request-target) {}",signature="{}""#,
        key.key_id(),
        names.join(" "),
        BASE64.encode(signature)
    );
    let mut headers = HeaderMap::new();
    for (name, value) in signed {
        headers.insert(
            http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    headers.insert("signature", HeaderValue::from_str(&header).unwrap());
    headers
}

#[tokio::test]
async fn a_hand_built_mastodon_style_signature_verifies() {
    let body = follow_from(ALICE);
    let headers = hand_signed(
        &alice_key(),
        "POST",
        "/inbox",
        &[
            ("host", "beta.test".into()),
            ("date", httpdate::fmt_http_date(SystemTime::now())),
            ("digest", digest_header(&body)),
            ("content-type", "application/activity+json".into()),
        ],
    );
    assert!(verify_post(&headers, &body).await.is_ok());
}

#[tokio::test]
async fn a_valid_post_names_its_signer() {
    let body = follow_from(ALICE);
    let headers = signed_post(&alice_key(), &body, SystemTime::now());
    let verified = verify_post(&headers, &body).await.unwrap();
    assert_eq!(verified.actor_id.as_str(), ALICE);
    assert_eq!(verified.key_id, *alice_key().key_id());
}

#[tokio::test]
async fn a_changed_body_is_refused_even_with_a_fresh_digest() {
    let body = follow_from(ALICE);
    let headers = signed_post(&alice_key(), &body, SystemTime::now());
    let altered = follow_from(ALICE)
        .into_iter()
        .chain(*b" ")
        .collect::<Vec<_>>();
    assert_eq!(
        verify_post(&headers, &altered).await,
        Err(SignatureError::DigestMismatch)
    );
    let mut redigested = headers.clone();
    redigested.insert(
        "digest",
        HeaderValue::from_str(&digest_header(&altered)).unwrap(),
    );
    assert_eq!(
        verify_post(&redigested, &altered).await,
        Err(SignatureError::SignatureInvalid),
        "the digest is signed, so replacing it breaks the signature"
    );
}

#[tokio::test]
async fn a_signature_that_does_not_cover_the_digest_is_refused() {
    let body = follow_from(ALICE);
    let mut headers = hand_signed(
        &alice_key(),
        "POST",
        "/inbox",
        &[
            ("host", "beta.test".into()),
            ("date", httpdate::fmt_http_date(SystemTime::now())),
        ],
    );
    headers.insert(
        "digest",
        HeaderValue::from_str(&digest_header(&body)).unwrap(),
    );
    assert_eq!(
        verify_post(&headers, &body).await,
        Err(SignatureError::HeaderNotSigned("digest"))
    );
}

#[tokio::test]
async fn host_and_date_must_be_signed() {
    let body = follow_from(ALICE);
    let digest = digest_header(&body);
    let now = httpdate::fmt_http_date(SystemTime::now());
    let no_host = hand_signed(
        &alice_key(),
        "POST",
        "/inbox",
        &[("date", now.clone()), ("digest", digest.clone())],
    );
    let mut no_host = no_host;
    no_host.insert("host", HeaderValue::from_static("beta.test"));
    assert_eq!(
        verify_post(&no_host, &body).await,
        Err(SignatureError::HeaderNotSigned("host"))
    );
    let mut no_date = hand_signed(
        &alice_key(),
        "POST",
        "/inbox",
        &[("host", "beta.test".into()), ("digest", digest)],
    );
    no_date.insert("date", HeaderValue::from_str(&now).unwrap());
    assert_eq!(
        verify_post(&no_date, &body).await,
        Err(SignatureError::HeaderNotSigned("date"))
    );
}

#[tokio::test]
async fn a_request_signed_for_another_host_is_refused() {
    let body = follow_from(ALICE);
    let headers = signed_post(&alice_key(), &body, SystemTime::now());
    assert_eq!(
        verify_post_with(&headers, &body, &VerifyPolicy::new("gamma.test")).await,
        Err(SignatureError::WrongHost("beta.test".into()))
    );
    assert!(
        verify_post_with(&headers, &body, &VerifyPolicy::new("beta.test:8443"))
            .await
            .is_err(),
        "the port is part of the configured host"
    );
    assert!(
        verify_post_with(&headers, &body, &VerifyPolicy::new("BETA.Test."))
            .await
            .is_ok(),
        "case and a trailing dot do not matter"
    );
    let mut no_host = headers.clone();
    no_host.remove("host");
    assert_eq!(
        verify_post(&no_host, &body).await,
        Err(SignatureError::HostMissing)
    );
}

#[tokio::test]
async fn the_date_must_be_inside_the_window() {
    let body = follow_from(ALICE);
    let hours = |h: u64| Duration::from_secs(h * 3600);
    let old = signed_post(&alice_key(), &body, SystemTime::now() - hours(13));
    assert_eq!(verify_post(&old, &body).await, Err(SignatureError::Expired));
    let ahead = signed_post(&alice_key(), &body, SystemTime::now() + hours(2));
    assert_eq!(
        verify_post(&ahead, &body).await,
        Err(SignatureError::FromTheFuture)
    );
    let late_but_fine = signed_post(&alice_key(), &body, SystemTime::now() - hours(11));
    assert!(verify_post(&late_but_fine, &body).await.is_ok());
    let mut garbled = late_but_fine.clone();
    garbled.insert("date", HeaderValue::from_static("last Tuesday"));
    assert_eq!(
        verify_post(&garbled, &body).await,
        Err(SignatureError::DateMalformed)
    );
}

#[tokio::test]
async fn a_key_of_another_actor_cannot_sign_for_the_claimed_actor() {
    // Mallory signs with her own, genuine key an activity that claims to be Alice's.
    let body = follow_from(ALICE);
    let headers = signed_post(&mallory_key(), &body, SystemTime::now());
    assert_eq!(
        verify_post(&headers, &body).await,
        Err(SignatureError::ActorMismatch {
            signer: MALLORY.into(),
            claimed: ALICE.into(),
        })
    );
}

#[tokio::test]
async fn a_key_document_merely_claiming_the_owner_is_refused() {
    // Mallory publishes a key document at CLAIMS_ALICE naming Alice as owner. The lookup follows
    // the owner to Alice's actor document, which does not list that key.
    let body = follow_from(ALICE);
    let key = SigningKey::new(
        Url::parse(CLAIMS_ALICE).unwrap(),
        mallory_key().private_key().clone(),
    );
    let headers = signed_post(&key, &body, SystemTime::now());
    assert_eq!(
        verify_post(&headers, &body).await,
        Err(SignatureError::KeyNotListedByActor {
            key: CLAIMS_ALICE.into(),
            actor: ALICE.into(),
        })
    );
}

#[tokio::test]
async fn garbage_signatures_are_refused() {
    let body = follow_from(ALICE);
    let headers = signed_post(&alice_key(), &body, SystemTime::now());
    let original = headers["signature"].to_str().unwrap().to_owned();
    let (head, _) = original.split_once("signature=\"").unwrap();

    let mut forged = headers.clone();
    let bogus = BASE64.encode([7u8; 256]);
    forged.insert(
        "signature",
        HeaderValue::from_str(&format!("{head}signature=\"{bogus}\"")).unwrap(),
    );
    assert_eq!(
        verify_post(&forged, &body).await,
        Err(SignatureError::SignatureInvalid)
    );

    let mut not_base64 = headers.clone();
    not_base64.insert(
        "signature",
        HeaderValue::from_str(&format!("{head}signature=\"%%%\"")).unwrap(),
    );
    assert_eq!(
        verify_post(&not_base64, &body).await,
        Err(SignatureError::SignatureInvalid)
    );

    let mut malformed = headers.clone();
    malformed.insert("signature", HeaderValue::from_static("nonsense"));
    assert!(matches!(
        verify_post(&malformed, &body).await,
        Err(SignatureError::SignatureMalformed(_))
    ));

    let mut missing = headers.clone();
    missing.remove("signature");
    assert_eq!(
        verify_post(&missing, &body).await,
        Err(SignatureError::SignatureMissing)
    );

    let mut other_algorithm = headers;
    other_algorithm.insert(
        "signature",
        HeaderValue::from_str(&original.replace("hs2019", "ed25519")).unwrap(),
    );
    assert_eq!(
        verify_post(&other_algorithm, &body).await,
        Err(SignatureError::UnsupportedAlgorithm("ed25519".into()))
    );
}

#[tokio::test]
async fn the_body_limit_comes_first() {
    let body = follow_from(ALICE);
    let mut policy = VerifyPolicy::new("beta.test");
    policy.max_body_bytes = 16;
    // No headers at all: the size alone decides.
    let result = verify_post_with(&HeaderMap::new(), &body, &policy).await;
    assert!(matches!(result, Err(SignatureError::BodyTooLarge { .. })));
    assert_eq!(
        result.unwrap_err().status(),
        http::StatusCode::PAYLOAD_TOO_LARGE
    );
}

#[tokio::test]
async fn unknown_and_unreachable_keys_fail_differently() {
    let body = follow_from("https://nobody.test/users/x");
    let unknown = SigningKey::new(
        Url::parse("https://nobody.test/users/x#main-key").unwrap(),
        mallory_key().private_key().clone(),
    );
    let headers = signed_post(&unknown, &body, SystemTime::now());
    assert!(matches!(
        verify_post(&headers, &body).await,
        Err(SignatureError::KeyNotFound(_))
    ));
    let body = follow_from("https://down.test/users/x");
    let unreachable = SigningKey::new(
        Url::parse("https://down.test/users/x#main-key").unwrap(),
        mallory_key().private_key().clone(),
    );
    let headers = signed_post(&unreachable, &body, SystemTime::now());
    let error = verify_post(&headers, &body).await.unwrap_err();
    assert!(matches!(error, SignatureError::KeyLookupUnavailable(_)));
    assert_eq!(error.status(), http::StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn an_authorization_signature_header_is_accepted() {
    let body = follow_from(ALICE);
    let mut headers = signed_post(&alice_key(), &body, SystemTime::now());
    let signature = headers.remove("signature").unwrap();
    headers.insert(
        "authorization",
        HeaderValue::from_str(&format!("Signature {}", signature.to_str().unwrap())).unwrap(),
    );
    assert!(verify_post(&headers, &body).await.is_ok());
}

fn signed_get(path: &str) -> HeaderMap {
    sign_request(
        &OutgoingRequest {
            method: &Method::GET,
            url: &Url::parse(&format!("https://beta.test{path}")).unwrap(),
            body: None,
            content_type: None,
        },
        &alice_key(),
        SystemTime::now(),
    )
    .unwrap()
}

async fn verify_get(headers: &HeaderMap, path: &str) -> Result<VerifiedRequest, SignatureError> {
    let request = IncomingRequest {
        method: &Method::GET,
        path_and_query: path,
        headers,
        body: &[],
    };
    verify_get_request(
        &request,
        &VerifyPolicy::new("beta.test"),
        SystemTime::now(),
        &lookup,
    )
    .await
}

#[tokio::test]
async fn a_signed_get_verifies_and_a_tampered_one_does_not() {
    let headers = signed_get("/users/bob?page=2");
    let verified = verify_get(&headers, "/users/bob?page=2").await.unwrap();
    assert_eq!(verified.actor_id.as_str(), ALICE);

    assert_eq!(
        verify_get(&headers, "/users/carol?page=2").await,
        Err(SignatureError::SignatureInvalid),
        "the signature is bound to the request target"
    );
    let request = IncomingRequest {
        method: &Method::POST,
        path_and_query: "/users/bob?page=2",
        headers: &headers,
        body: &[],
    };
    assert_eq!(
        verify_get_request(
            &request,
            &VerifyPolicy::new("beta.test"),
            SystemTime::now(),
            &lookup
        )
        .await,
        Err(SignatureError::SignatureInvalid),
        "and to the method"
    );
    let mut unsigned = headers.clone();
    unsigned.remove("signature");
    assert_eq!(
        verify_get(&unsigned, "/users/bob?page=2").await,
        Err(SignatureError::SignatureMissing)
    );
}
