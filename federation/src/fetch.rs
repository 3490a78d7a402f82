//! Rules for documents fetched from other servers, and for comparing their origins and domains.
//!
//! A fetched document is believed only if it is served as ActivityStreams (so an uploaded file
//! on the same host cannot pose as an actor, GHSA-jhrq-qvrm-qr36) and its `id` is where it was
//! fetched from (so one server cannot speak for another).

use serde_json::Value;
use url::{Host, Origin, Url};

/// Why a fetched document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchPolicyError {
    /// Served without an ActivityStreams content type.
    #[error("content type {0:?} is not ActivityStreams")]
    NotActivityStreams(Option<String>),
    /// The document has no `id`, or it is not a URL.
    #[error("the document has no usable id")]
    MissingId,
    /// The document's `id` is on another origin than the URL it came from.
    #[error("the document at {fetched} claims the id {id} of another origin")]
    CrossOriginId {
        /// Where the document came from (after redirects).
        fetched: String,
        /// What it claims to be.
        id: String,
    },
}

/// What to do with a fetched document whose content type and origin are acceptable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdCheck {
    /// The `id` is the URL it came from: use it. Its identity is that `id`.
    Matches,
    /// Same origin, different URL (an alias such as `/@alice` for `/users/alice`): fetch the
    /// `id` once more and use that copy. Never more than once in a row.
    RefetchFrom(Url),
}

/// Checks a fetched document: the `Content-Type` is ActivityStreams, and its `id` equals the
/// URL it was finally served from (after redirects, which the client re-checks hop by hop), or
/// is on the same origin and must be refetched. `url_fetched` is what the caller asked for; a
/// redirect may have moved it, in which case the document's identity is its own `id`, never
/// `url_fetched`.
pub fn check_fetched_object(
    url_fetched: &Url,
    final_url: &Url,
    content_type: Option<&str>,
    json: &Value,
) -> Result<IdCheck, FetchPolicyError> {
    if !content_type.is_some_and(is_activitystreams_content_type) {
        return Err(FetchPolicyError::NotActivityStreams(
            content_type.map(str::to_owned),
        ));
    }
    let id = json
        .get("id")
        .and_then(Value::as_str)
        .and_then(|id| Url::parse(id).ok())
        .ok_or(FetchPolicyError::MissingId)?;
    if &id == final_url {
        return Ok(IdCheck::Matches);
    }
    if same_origin(&id, final_url) && final_url == url_fetched {
        return Ok(IdCheck::RefetchFrom(id));
    }
    Err(FetchPolicyError::CrossOriginId {
        fetched: final_url.to_string(),
        id: id.into(),
    })
}

/// Whether a `Content-Type` is ActivityStreams: `application/activity+json`, or
/// `application/ld+json` with the ActivityStreams profile; parameters such as `charset` are
/// tolerated, case does not matter.
pub fn is_activitystreams_content_type(content_type: &str) -> bool {
    let mut parts = content_type.split(';').map(str::trim);
    let essence = parts.next().unwrap_or_default().to_ascii_lowercase();
    match essence.as_str() {
        "application/activity+json" => true,
        "application/ld+json" => parts.any(|parameter| {
            let Some((name, value)) = parameter.split_once('=') else {
                return false;
            };
            name.trim().eq_ignore_ascii_case("profile")
                && value
                    .trim()
                    .trim_matches('"')
                    .split_whitespace()
                    .any(|profile| profile == "https://www.w3.org/ns/activitystreams")
        }),
        _ => false,
    }
}

/// Whether two URLs share an origin: scheme, host and port (the scheme's default when absent),
/// hosts compared as the URL parser normalised them (lower case, IDNA) and without a trailing
/// dot. Opaque origins (`data:`, `mailto:`) are never the same.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    match (a.origin(), b.origin()) {
        (Origin::Tuple(scheme_a, host_a, port_a), Origin::Tuple(scheme_b, host_b, port_b)) => {
            scheme_a == scheme_b
                && port_a == port_b
                && without_trailing_dot(&host_a) == without_trailing_dot(&host_b)
        }
        _ => false,
    }
}

fn without_trailing_dot(host: &Host<String>) -> Host<&str> {
    match host {
        Host::Domain(domain) => Host::Domain(domain.strip_suffix('.').unwrap_or(domain)),
        Host::Ipv4(ip) => Host::Ipv4(*ip),
        Host::Ipv6(ip) => Host::Ipv6(*ip),
    }
}

/// Why a domain could not be normalised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a domain")]
pub struct InvalidDomain(pub String);

/// The form domains are stored and compared in for blocklists and allowlists: lower case, no
/// trailing dot, internationalised names in their ASCII (punycode) form, as the URL parser
/// writes them, so `Example.COM.`, `example.com` and a URL's host all compare equal. IP
/// addresses are kept in their canonical form. Ports, paths and credentials are refused.
pub fn normalise_domain(input: &str) -> Result<String, InvalidDomain> {
    let invalid = || InvalidDomain(input.to_owned());
    let trimmed = input.trim();
    if trimmed.is_empty() || trimmed.contains(['/', '@', '?', '#']) {
        return Err(invalid());
    }
    let host = Host::parse(trimmed).map_err(|_| invalid())?;
    match host {
        Host::Domain(domain) => {
            let domain = domain.strip_suffix('.').unwrap_or(&domain);
            if domain.split('.').any(str::is_empty) {
                return Err(invalid());
            }
            Ok(domain.to_owned())
        }
        Host::Ipv4(ip) => Ok(ip.to_string()),
        Host::Ipv6(ip) => Ok(ip.to_string()),
    }
}

/// The normalised domain of a URL's host, for blocklist checks.
pub fn domain_of(url: &Url) -> Option<String> {
    match url.host()? {
        Host::Domain(domain) => normalise_domain(domain).ok(),
        Host::Ipv4(ip) => Some(ip.to_string()),
        Host::Ipv6(ip) => Some(ip.to_string()),
    }
}

/// Whether `domain` is `rule` or a subdomain of it (both normalised), as domain blocks apply.
pub fn is_same_or_subdomain(domain: &str, rule: &str) -> bool {
    domain == rule
        || domain
            .strip_suffix(rule)
            .is_some_and(|prefix| prefix.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn activitystreams_content_types_are_recognised() {
        for accepted in [
            "application/activity+json",
            "application/activity+json; charset=utf-8",
            "Application/Activity+JSON",
            "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
            "application/ld+json;profile=\"https://www.w3.org/ns/activitystreams\";charset=utf-8",
            "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams https://w3id.org/security/v1\"",
        ] {
            assert!(is_activitystreams_content_type(accepted), "{accepted}");
        }
        for refused in [
            "application/json",
            "application/ld+json",
            "application/ld+json; profile=\"https://example.com/other\"",
            "text/html",
            "image/png",
            "",
        ] {
            assert!(!is_activitystreams_content_type(refused), "{refused}");
        }
    }

    #[test]
    fn a_document_served_as_something_else_is_refused() {
        let at = url("https://a.example/users/alice");
        let doc = json!({"id": "https://a.example/users/alice"});
        assert_eq!(
            check_fetched_object(&at, &at, Some("application/json"), &doc),
            Err(FetchPolicyError::NotActivityStreams(Some(
                "application/json".into()
            )))
        );
        assert_eq!(
            check_fetched_object(&at, &at, None, &doc),
            Err(FetchPolicyError::NotActivityStreams(None))
        );
    }

    #[test]
    fn the_id_must_be_where_the_document_came_from() {
        let at = url("https://a.example/users/alice");
        let ct = Some("application/activity+json");
        assert_eq!(
            check_fetched_object(
                &at,
                &at,
                ct,
                &json!({"id": "https://a.example/users/alice"})
            ),
            Ok(IdCheck::Matches)
        );
        assert_eq!(
            check_fetched_object(&at, &at, ct, &json!({"id": "https://a.example/u/alice"})),
            Ok(IdCheck::RefetchFrom(url("https://a.example/u/alice")))
        );
        assert!(matches!(
            check_fetched_object(
                &at,
                &at,
                ct,
                &json!({"id": "https://b.example/users/alice"})
            ),
            Err(FetchPolicyError::CrossOriginId { .. })
        ));
        assert!(
            matches!(
                check_fetched_object(&at, &at, ct, &json!({"id": "http://a.example/users/alice"})),
                Err(FetchPolicyError::CrossOriginId { .. })
            ),
            "another scheme is another origin"
        );
        assert_eq!(
            check_fetched_object(&at, &at, ct, &json!({"type": "Note"})),
            Err(FetchPolicyError::MissingId)
        );
    }

    #[test]
    fn after_a_redirect_the_id_must_be_the_final_url() {
        let asked = url("https://a.example/@alice");
        let served = url("https://b.example/users/alice");
        let ct = Some("application/activity+json");
        assert_eq!(
            check_fetched_object(
                &asked,
                &served,
                ct,
                &json!({"id": "https://b.example/users/alice"})
            ),
            Ok(IdCheck::Matches)
        );
        assert!(
            check_fetched_object(
                &asked,
                &served,
                ct,
                &json!({"id": "https://a.example/@alice"})
            )
            .is_err(),
            "the redirected-to server cannot claim the id it was reached from"
        );
        assert!(
            check_fetched_object(
                &asked,
                &served,
                ct,
                &json!({"id": "https://b.example/u/alice"})
            )
            .is_err(),
            "no second hop after a redirect"
        );
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        assert!(same_origin(
            &url("https://A.Example/x"),
            &url("https://a.example:443/y")
        ));
        assert!(same_origin(
            &url("https://a.example./x"),
            &url("https://a.example/y")
        ));
        assert!(!same_origin(
            &url("https://a.example/x"),
            &url("http://a.example/x")
        ));
        assert!(!same_origin(
            &url("https://a.example/x"),
            &url("https://a.example:8443/x")
        ));
        assert!(!same_origin(
            &url("https://a.example/x"),
            &url("https://b.a.example/x")
        ));
        assert!(!same_origin(
            &url("https://a.example.evil/x"),
            &url("https://a.example/x")
        ));
        assert!(!same_origin(
            &url("data:text/plain,x"),
            &url("data:text/plain,x")
        ));
    }

    #[test]
    fn domains_normalise_for_blocklists() {
        assert_eq!(normalise_domain("Example.COM.").unwrap(), "example.com");
        assert_eq!(normalise_domain(" example.com ").unwrap(), "example.com");
        assert_eq!(normalise_domain("日本.jp").unwrap(), "xn--wgv71a.jp");
        assert_eq!(normalise_domain("XN--WGV71A.jp").unwrap(), "xn--wgv71a.jp");
        assert_eq!(normalise_domain("[::1]").unwrap(), "::1");
        for bad in [
            "",
            "https://example.com",
            "example.com/x",
            "a@example.com",
            "a..b",
            "example.com:443",
        ] {
            assert!(normalise_domain(bad).is_err(), "{bad}");
        }
        assert_eq!(
            domain_of(&url("https://Sub.Example.com./users/x")).as_deref(),
            Some("sub.example.com")
        );
        assert!(is_same_or_subdomain("sub.example.com", "example.com"));
        assert!(is_same_or_subdomain("example.com", "example.com"));
        assert!(!is_same_or_subdomain("badexample.com", "example.com"));
    }
}
