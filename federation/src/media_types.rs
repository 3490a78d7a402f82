//! The content types ActivityPub and its discovery documents are served and accepted with.

/// The canonical ActivityStreams media type we send.
pub const ACTIVITY_JSON: &str = "application/activity+json";

/// The JSON-LD form that Mastodon and others also send in `Accept` and `Content-Type`.
pub const LD_JSON_ACTIVITYSTREAMS: &str =
    "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

/// WebFinger's JSON Resource Descriptor (RFC 7033).
pub const JRD_JSON: &str = "application/jrd+json";

/// host-meta's XML Resource Descriptor (RFC 6415).
pub const XRD_XML: &str = "application/xrd+xml";

/// Whether an `Accept` header asks for an ActivityStreams document rather than a web page.
///
/// Browsers send `text/html` first; ActivityPub software sends one of the two ActivityStreams
/// types, sometimes among others and with parameters, so we look at every listed type.
pub fn accepts_activity_json(accept: &str) -> bool {
    accept.split(',').any(|part| {
        let mut params = part.split(';').map(str::trim);
        let essence = params.next().unwrap_or_default().to_ascii_lowercase();
        match essence.as_str() {
            "application/activity+json" => true,
            "application/ld+json" => params.any(|p| {
                let p = p.replace(' ', "");
                p.eq_ignore_ascii_case("profile=\"https://www.w3.org/ns/activitystreams\"")
                    || p.eq_ignore_ascii_case("profile=https://www.w3.org/ns/activitystreams")
            }),
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::accepts_activity_json;

    #[test]
    fn recognises_activitystreams_accept_headers() {
        assert!(accepts_activity_json("application/activity+json"));
        assert!(accepts_activity_json(
            "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""
        ));
        assert!(accepts_activity_json(
            "text/html;q=0.9, application/activity+json, */*"
        ));
        assert!(!accepts_activity_json(
            "text/html,application/xhtml+xml,*/*;q=0.8"
        ));
        assert!(!accepts_activity_json("application/ld+json"));
        assert!(!accepts_activity_json("application/json"));
    }
}
