//! The JSON-LD `@context` we send, and [`with_context`] to wrap a document in it.
//!
//! Only the two contexts every JSON-LD processor ships are named by URL; every other term is
//! defined inline, as Mastodon does. A peer that expands JSON-LD (Fedify) must fetch any other
//! context URL and drops the document when it cannot, which is what happens to a remote context
//! in a closed network of municipal servers.

use activitypub_federation::protocol::context::WithContext;
use serde_json::{Map, Value, json};
use std::sync::LazyLock;

/// The ActivityStreams context.
pub const ACTIVITYSTREAMS: &str = "https://www.w3.org/ns/activitystreams";
/// The security context (`publicKey`, `publicKeyPem`, `owner`).
pub const SECURITY_V1: &str = "https://w3id.org/security/v1";

static CONTEXT: LazyLock<Value> = LazyLock::new(|| {
    // In sections: one `json!` this size exceeds the macro recursion limit.
    let sections = [
        json!({
            "toot": "http://joinmastodon.org/ns#",
            "schema": "http://schema.org#",
            "sc": "http://schema.org#",
            "mz": "https://joinmobilizon.org/ns#",
            "pt": "https://joinpeertube.org/ns#",
            "ical": "http://www.w3.org/2002/12/cal/ical#",
            "lemmy": "https://join-lemmy.org/ns#",
        }),
        // ActivityStreams extensions, defined as Mastodon does, and Mastodon's own terms.
        json!({
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "sensitive": "as:sensitive",
            "Hashtag": "as:Hashtag",
            "alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
            "featured": {"@id": "toot:featured", "@type": "@id"},
            "discoverable": "toot:discoverable",
            "indexable": "toot:indexable",
            "blurhash": "toot:blurhash",
            "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"},
            "Emoji": "toot:Emoji",
            "votersCount": "toot:votersCount",
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value",
        }),
        // Events: Mobilizon and FEP-8a8e.
        json!({
            "joinMode": {"@id": "mz:joinMode", "@type": "mz:joinModeType"},
            "externalParticipationUrl": {"@id": "mz:externalParticipationUrl", "@type": "@id"},
            "participationMessage": {"@id": "mz:participationMessage", "@type": "sc:Text"},
            "participantCount": {"@id": "mz:participantCount", "@type": "sc:Integer"},
            "maximumAttendeeCapacity": "sc:maximumAttendeeCapacity",
            "remainingAttendeeCapacity": "sc:remainingAttendeeCapacity",
            "timezone": {"@id": "mz:timezone", "@type": "sc:Text"},
            "isOnline": {"@id": "mz:isOnline", "@type": "sc:Boolean"},
            "contacts": {"@id": "mz:contacts", "@type": "@id"},
            "commentsEnabled": {"@id": "pt:commentsEnabled", "@type": "sc:Boolean"},
            "category": "sc:category",
            "eventStatus": "sc:eventStatus",
            "status": "ical:status",
        }),
        json!({
            "PostalAddress": "sc:PostalAddress",
            "address": "sc:address",
            "streetAddress": "sc:streetAddress",
            "postalCode": "sc:postalCode",
            "addressLocality": "sc:addressLocality",
            "addressRegion": "sc:addressRegion",
            "addressCountry": "sc:addressCountry",
            "VirtualLocation": "sc:VirtualLocation",
        }),
        // Lemmy groups.
        json!({
            "moderators": {"@id": "lemmy:moderators", "@type": "@id"},
            "postingRestrictedToMods": "lemmy:postingRestrictedToMods",
        }),
    ];
    let mut inline = Map::new();
    for section in sections {
        if let Value::Object(terms) = section {
            inline.extend(terms);
        }
    }
    json!([ACTIVITYSTREAMS, SECURITY_V1, inline])
});

/// Our `@context` value.
pub fn context() -> &'static Value {
    &CONTEXT
}

/// Wraps a document for sending: `{"@context": [...], ...the document's fields}`.
///
/// The crate's wrapper, so that what we build here goes straight to its sending functions.
pub fn with_context<T>(inner: T) -> WithContext<T> {
    WithContext::new(inner, CONTEXT.clone())
}

/// The terms our [`context`] defines inline.
pub fn defined_terms() -> Vec<&'static str> {
    CONTEXT
        .as_array()
        .and_then(|parts| parts.iter().find_map(Value::as_object))
        .map(|terms| terms.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_two_shipped_contexts_are_named_by_url() {
        let parts = context().as_array().unwrap();
        let urls: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
        assert_eq!(urls, [ACTIVITYSTREAMS, SECURITY_V1]);
        assert_eq!(parts.len(), 3, "everything else is one inline object");
    }

    #[test]
    fn the_terms_peers_need_are_defined() {
        let terms = defined_terms();
        for term in [
            "toot",
            "schema",
            "PropertyValue",
            "value",
            "manuallyApprovesFollowers",
            "sensitive",
            "Hashtag",
            "featured",
            "discoverable",
            "indexable",
            "blurhash",
            "focalPoint",
            "mz",
            "sc",
            "joinMode",
            "participantCount",
            "maximumAttendeeCapacity",
            "remainingAttendeeCapacity",
            "timezone",
            "category",
            "eventStatus",
            "PostalAddress",
            "address",
            "VirtualLocation",
            "lemmy",
            "moderators",
            "postingRestrictedToMods",
        ] {
            assert!(terms.contains(&term), "{term} is not defined");
        }
    }

    #[test]
    fn prefixes_expand_to_defined_prefixes() {
        let terms = defined_terms();
        let Some(Value::Object(inline)) = context().as_array().unwrap().get(2) else {
            panic!("no inline context")
        };
        for (term, definition) in inline {
            let id = match definition {
                Value::String(id) => id.as_str(),
                Value::Object(map) => map["@id"].as_str().unwrap(),
                other => panic!("{term}: unexpected definition {other}"),
            };
            if let Some((prefix, _)) = id.split_once(':') {
                let known = prefix == "as" || prefix == "http" || prefix == "https";
                assert!(
                    known || terms.contains(&prefix),
                    "{term} uses undefined {prefix}:"
                );
            }
        }
    }

    #[test]
    fn a_wrapped_document_starts_with_the_context() {
        let wrapped =
            serde_json::to_value(with_context(serde_json::json!({"type": "Note"}))).unwrap();
        assert_eq!(&wrapped["@context"], context());
        assert_eq!(wrapped["type"], "Note");
    }
}
