//! Body digests: `Digest: SHA-256=...` (what Mastodon sends and requires) and RFC 9530
//! `Content-Digest: sha-256=:...:` (what RFC 9421 senders use), checked against the body.

use super::SignatureError;
use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use http::HeaderMap;
use sha2::{Digest as _, Sha256, Sha512};

/// The `Digest` header value for `body`: `SHA-256=<base64>`.
pub fn digest_header(body: &[u8]) -> String {
    format!("SHA-256={}", BASE64.encode(Sha256::digest(body)))
}

/// The RFC 9530 `Content-Digest` header value for `body`: `sha-256=:<base64>:`.
pub fn content_digest_header(body: &[u8]) -> String {
    format!("sha-256=:{}:", BASE64.encode(Sha256::digest(body)))
}

/// Checks the body against `Digest`, or failing that `Content-Digest`, and returns the name of
/// the header that vouched for it, which the signature must then cover.
///
/// Every entry in a supported algorithm must match; entries in other algorithms are ignored,
/// but at least one supported entry must be present.
pub(crate) fn check_body_digest(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<&'static str, SignatureError> {
    if let Some(value) = joined(headers, "digest") {
        check_entries(&value, body, |v| Some(v.trim()))?;
        return Ok("digest");
    }
    if let Some(value) = joined(headers, "content-digest") {
        // A structured-field byte sequence: `:base64:`.
        check_entries(&value, body, |v| {
            v.trim().strip_prefix(':').and_then(|v| v.strip_suffix(':'))
        })?;
        return Ok("content-digest");
    }
    Err(SignatureError::DigestMissing)
}

fn check_entries(
    value: &str,
    body: &[u8],
    unwrap_value: impl Fn(&str) -> Option<&str>,
) -> Result<(), SignatureError> {
    let mut checked = 0;
    for entry in value.split(',') {
        let Some((algorithm, encoded)) = entry.split_once('=') else {
            continue;
        };
        let expected = match algorithm.trim().to_ascii_lowercase().as_str() {
            "sha-256" => BASE64.encode(Sha256::digest(body)),
            "sha-512" => BASE64.encode(Sha512::digest(body)),
            _ => continue,
        };
        checked += 1;
        if unwrap_value(encoded) != Some(expected.as_str()) {
            return Err(SignatureError::DigestMismatch);
        }
    }
    if checked == 0 {
        return Err(SignatureError::DigestUnsupported);
    }
    Ok(())
}

/// All values of a header joined with `, `, as the signing string sees them; `None` when the
/// header is absent. Values that are not visible ASCII count as absent.
pub(crate) fn joined(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn with(name: &'static str, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn a_matching_sha256_digest_passes_and_names_its_header() {
        let body = b"{\"type\":\"Follow\"}";
        assert_eq!(
            check_body_digest(&with("digest", &digest_header(body)), body),
            Ok("digest")
        );
        assert_eq!(
            check_body_digest(&with("content-digest", &content_digest_header(body)), body),
            Ok("content-digest")
        );
    }

    #[test]
    fn lower_case_algorithm_names_and_sha512_are_accepted() {
        let body = b"x";
        let sha512 = format!("sha-512={}", BASE64.encode(Sha512::digest(body)));
        assert!(check_body_digest(&with("digest", &sha512), body).is_ok());
        let lower = digest_header(body).replace("SHA-256", "sha-256");
        assert!(check_body_digest(&with("digest", &lower), body).is_ok());
    }

    #[test]
    fn a_changed_body_a_missing_or_unsupported_digest_fail_distinctly() {
        let header = with("digest", &digest_header(b"original"));
        assert_eq!(
            check_body_digest(&header, b"altered"),
            Err(SignatureError::DigestMismatch)
        );
        assert_eq!(
            check_body_digest(&HeaderMap::new(), b"x"),
            Err(SignatureError::DigestMissing)
        );
        assert_eq!(
            check_body_digest(&with("digest", "MD5=abc"), b"x"),
            Err(SignatureError::DigestUnsupported)
        );
        let mixed = format!("{},SHA-512=bogus", digest_header(b"x"));
        assert_eq!(
            check_body_digest(&with("digest", &mixed), b"x"),
            Err(SignatureError::DigestMismatch),
            "every supported entry must match"
        );
    }
}
