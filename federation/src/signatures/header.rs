//! Reading the `Signature` (or `Authorization: Signature`) header's parameters.
//!
//! The split is the same as `http-signature-normalization`'s (on `,`, then the first `=`,
//! quotes trimmed), so that the parameters we check are the ones it builds the signing string
//! from; we are only stricter (duplicates and empty values are refused).

use super::{SignatureError, digest::joined};
use http::{HeaderMap, header::AUTHORIZATION};
use std::collections::HashMap;

/// The parameters of a signature header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignatureParams {
    pub key_id: String,
    pub algorithm: Option<String>,
    /// The signed headers, lower-case, in order.
    pub headers: Vec<String>,
    pub created: Option<u64>,
    pub expires: Option<u64>,
    pub signature: String,
}

impl SignatureParams {
    pub fn covers(&self, header: &str) -> bool {
        self.headers.iter().any(|h| h == header)
    }
}

/// The signature header's value, without the `Signature ` scheme of `Authorization`.
pub(crate) fn signature_header(headers: &HeaderMap) -> Result<String, SignatureError> {
    if headers.get_all("signature").iter().count() > 1 {
        return Err(SignatureError::SignatureMalformed(
            "more than one Signature header".into(),
        ));
    }
    if let Some(value) = joined(headers, "signature") {
        return Ok(value);
    }
    match joined(headers, AUTHORIZATION.as_str()) {
        Some(value) if value.starts_with("Signature ") => {
            Ok(value["Signature ".len()..].to_owned())
        }
        _ => Err(SignatureError::SignatureMissing),
    }
}

pub(crate) fn parse(value: &str) -> Result<SignatureParams, SignatureError> {
    let malformed = |why: &str| SignatureError::SignatureMalformed(why.to_owned());
    let mut fields: HashMap<&str, &str> = HashMap::new();
    for part in value.trim().split(',') {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        let value = value.trim_matches('"');
        if fields.insert(key, value).is_some() {
            return Err(malformed(&format!("duplicate parameter {key}")));
        }
    }
    let required = |name: &str| match fields.get(name) {
        Some(v) if !v.is_empty() => Ok((*v).to_owned()),
        _ => Err(malformed(&format!("no {name}"))),
    };
    let timestamp = |name: &str| {
        fields
            .get(name)
            .map(|v| {
                v.parse::<u64>()
                    .map_err(|_| malformed(&format!("bad {name}")))
            })
            .transpose()
    };
    Ok(SignatureParams {
        key_id: required("keyId")?,
        signature: required("signature")?,
        algorithm: fields.get("algorithm").map(|a| (*a).to_owned()),
        headers: fields
            .get("headers")
            .map(|h| h.split_whitespace().map(str::to_ascii_lowercase).collect())
            // The draft's default, as the library applies it.
            .unwrap_or_else(|| vec!["(created)".to_owned()]),
        created: timestamp("created")?,
        expires: timestamp("expires")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn mastodon_style_parameters_parse() {
        let params = parse(
            r#"keyId="https://a.example/u/1#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest content-type",signature="c2lnbmF0dXJl""#,
        )
        .unwrap();
        assert_eq!(params.key_id, "https://a.example/u/1#main-key");
        assert_eq!(params.algorithm.as_deref(), Some("rsa-sha256"));
        assert!(params.covers("digest") && params.covers("(request-target)"));
        assert_eq!(params.signature, "c2lnbmF0dXJl");
    }

    #[test]
    fn missing_and_duplicate_parameters_are_malformed() {
        assert!(matches!(
            parse(r#"keyId="k",headers="date""#),
            Err(SignatureError::SignatureMalformed(_))
        ));
        assert!(matches!(
            parse(r#"keyId="k",keyId="j",signature="s""#),
            Err(SignatureError::SignatureMalformed(_))
        ));
        assert!(matches!(
            parse(r#"keyId="k",signature="s",created="soon""#),
            Err(SignatureError::SignatureMalformed(_))
        ));
        assert!(parse("garbage").is_err());
    }

    #[test]
    fn authorization_signature_is_read_and_bearer_is_not() {
        let mut headers = HeaderMap::new();
        headers.insert(
            AUTHORIZATION,
            HeaderValue::from_static("Signature keyId=\"k\""),
        );
        assert_eq!(signature_header(&headers).unwrap(), "keyId=\"k\"");
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer abc"));
        assert_eq!(
            signature_header(&headers),
            Err(SignatureError::SignatureMissing)
        );
    }
}
