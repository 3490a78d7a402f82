//! What we send: our own actors, posts and events, wrapped in our context, carry what peers
//! require, use only terms the context defines, and read back unchanged.

use super::{
    actor::{Actor, ActorKind, Endpoints},
    attachment::{Attachment, Document, PropertyValue, PropertyValueKind},
    document::AnyDocument,
    event::{Event, EventStatus, JoinMode},
    note::{Note, NoteKind},
    object::AnyObject,
    place::{
        Address, Location, Place, PostalAddress, PostalAddressKind, VirtualLocation,
        VirtualLocationKind,
    },
    tag::{Hashtag, HashtagKind, Mention, Tag},
    values::{Addressing, Source},
};
use crate::context::{context, defined_terms, with_context};
use activitypub_federation::{
    kinds::{link::MentionType, object::EventType, object::PlaceType, public},
    protocol::public_key::PublicKey,
};
use serde_json::Value;
use std::collections::BTreeSet;
use url::Url;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn actor(kind: ActorKind, path: &str) -> Actor {
    let id = format!("https://kakehashi.example/{path}");
    Actor {
        kind,
        id: url(&id),
        preferred_username: Some(path.rsplit('/').next().unwrap().to_owned()),
        name: Some("Hanako Yamada".into()),
        summary: Some("<p>GIS, Chiyoda ward</p>".into()),
        url: Some(url(&format!("https://kakehashi.example/@{path}"))),
        inbox: url(&format!("{id}/inbox")),
        outbox: Some(url(&format!("{id}/outbox"))),
        followers: Some(url(&format!("{id}/followers"))),
        following: Some(url(&format!("{id}/following"))),
        featured: Some(url(&format!("{id}/featured"))),
        endpoints: Some(Endpoints {
            shared_inbox: Some(url("https://kakehashi.example/inbox")),
        }),
        public_key: vec![PublicKey {
            id: format!("{id}#main-key"),
            owner: url(&id),
            public_key_pem: "-----BEGIN PUBLIC KEY-----\n...\n-----END PUBLIC KEY-----\n".into(),
        }],
        manually_approves_followers: false,
        discoverable: Some(true),
        indexable: Some(false),
        icon: Some(Document::image(
            url("https://kakehashi.example/media/a.png"),
            Some("image/png".into()),
        )),
        image: None,
        attachment: vec![PropertyValue {
            kind: PropertyValueKind::PropertyValue,
            name: "Organisation".into(),
            value: "Chiyoda ward".into(),
        }],
        tag: Vec::new(),
        attributed_to: if kind == ActorKind::Group {
            vec![url(&format!("{id}/moderators"))]
        } else {
            Vec::new()
        },
        moderators: (kind == ActorKind::Group).then(|| url(&format!("{id}/moderators"))),
        posting_restricted_to_mods: (kind == ActorKind::Group).then_some(false),
        also_known_as: Vec::new(),
        published: Some("2026-01-05T09:00:00Z".parse().unwrap()),
        updated: None,
    }
}

fn note() -> Note {
    Note {
        kind: NoteKind::Note,
        id: url("https://kakehashi.example/statuses/1"),
        attributed_to: vec![url("https://kakehashi.example/users/hanako")],
        name: None,
        summary: None,
        content: Some("<p>@gis Who is migrating to the new cadastre API? #gis</p>".into()),
        content_map: None,
        media_type: Some("text/html".into()),
        source: Some(Source {
            content: "@gis Who is migrating to the new cadastre API? #gis".into(),
            media_type: Some("text/plain".into()),
        }),
        url: Some(url("https://kakehashi.example/@hanako/1")),
        in_reply_to: None,
        addressing: Addressing {
            to: vec![public()],
            cc: vec![
                url("https://kakehashi.example/users/hanako/followers"),
                url("https://kakehashi.example/groups/gis"),
            ],
            audience: vec![url("https://kakehashi.example/groups/gis")],
            ..Addressing::default()
        },
        sensitive: Some(false),
        tag: vec![
            Tag::Mention(Mention {
                kind: MentionType::Mention,
                href: url("https://kakehashi.example/groups/gis"),
                name: Some("@gis@kakehashi.example".into()),
            }),
            Tag::Hashtag(Hashtag {
                kind: HashtagKind::Hashtag,
                name: "#gis".into(),
                href: Some(url("https://kakehashi.example/tags/gis")),
            }),
        ],
        attachment: vec![Attachment::Document(Document {
            blurhash: Some("UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH".into()),
            focal_point: Some([0.0, 0.2]),
            name: Some("The cadastre map".into()),
            width: Some(800),
            height: Some(600),
            ..Document::image(
                url("https://kakehashi.example/media/m.png"),
                Some("image/png".into()),
            )
        })],
        image: None,
        published: Some("2026-03-01T10:00:00Z".parse().unwrap()),
        updated: None,
        one_of: Vec::new(),
        any_of: Vec::new(),
        end_time: None,
        closed: None,
        voters_count: None,
    }
}

fn event() -> Event {
    Event {
        kind: EventType::Event,
        id: url("https://kakehashi.example/events/7"),
        attributed_to: vec![url("https://kakehashi.example/groups/gis")],
        actor: Some(url("https://kakehashi.example/users/hanako")),
        name: Some("Regional GIS staff meetup".into()),
        summary: Some("Thu 12 March 2026, 18:00 (Asia/Tokyo) – Chiyoda ward office".into()),
        content: Some("<p>Cadastre API migration, lightning talks.</p>".into()),
        media_type: Some("text/html".into()),
        source: None,
        url: Some(url("https://kakehashi.example/events/7")),
        start_time: Some("2026-03-12T18:00:00+09:00".parse().unwrap()),
        end_time: Some("2026-03-12T20:00:00+09:00".parse().unwrap()),
        timezone: Some("Asia/Tokyo".into()),
        location: vec![
            Location::Place(Place {
                kind: PlaceType::Place,
                id: None,
                name: Some("Chiyoda ward office, room 4".into()),
                address: Some(Address::Postal(PostalAddress {
                    kind: PostalAddressKind::PostalAddress,
                    street_address: Some("1-2-1 Kudanminami".into()),
                    postal_code: Some("102-8688".into()),
                    address_locality: Some("Chiyoda".into()),
                    address_region: Some("Tokyo".into()),
                    address_country: Some("JP".into()),
                })),
                latitude: Some(35.694),
                longitude: Some(139.7536),
            }),
            Location::Virtual(VirtualLocation {
                kind: VirtualLocationKind::VirtualLocation,
                name: Some("Video call".into()),
                url: url("https://meet.kakehashi.example/gis-0312"),
            }),
        ],
        join_mode: Some(JoinMode::Restricted),
        external_participation_url: None,
        participant_count: Some(12),
        maximum_attendee_capacity: Some(40),
        remaining_attendee_capacity: Some(28),
        category: Some("MEETING".into()),
        event_status: Some(EventStatus::EventScheduled),
        status: Some("CONFIRMED".into()),
        ical_status: Some("CONFIRMED".into()),
        is_online: Some(false),
        comments_enabled: Some(true),
        contacts: vec![url("https://kakehashi.example/users/hanako")],
        addressing: Addressing {
            to: vec![public()],
            cc: vec![url("https://kakehashi.example/groups/gis/followers")],
            ..Addressing::default()
        },
        tag: Vec::new(),
        attachment: Vec::new(),
        published: Some("2026-02-01T09:00:00Z".parse().unwrap()),
        updated: None,
    }
}

/// Terms the ActivityStreams and security contexts define, as far as our types use them.
const SHIPPED_TERMS: &[&str] = &[
    "type",
    "id",
    "preferredUsername",
    "name",
    "summary",
    "url",
    "inbox",
    "outbox",
    "followers",
    "following",
    "endpoints",
    "sharedInbox",
    "publicKey",
    "owner",
    "publicKeyPem",
    "icon",
    "image",
    "attachment",
    "tag",
    "attributedTo",
    "published",
    "updated",
    "to",
    "cc",
    "audience",
    "content",
    "contentMap",
    "mediaType",
    "source",
    "inReplyTo",
    "href",
    "width",
    "height",
    "startTime",
    "endTime",
    "location",
    "latitude",
    "longitude",
    "actor",
    "object",
    "target",
    "oneOf",
    "anyOf",
    "closed",
    "replies",
    "totalItems",
    "first",
    "last",
    "next",
    "prev",
    "partOf",
    "orderedItems",
    "items",
    "formerType",
    "deleted",
];

fn keys(value: &Value, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if key != "@context" {
                    found.insert(key.clone());
                    keys(inner, found);
                }
            }
        }
        Value::Array(values) => values.iter().for_each(|v| keys(v, found)),
        _ => {}
    }
}

fn undefined_terms(value: &Value) -> Vec<String> {
    let defined = defined_terms();
    let mut found = BTreeSet::new();
    keys(value, &mut found);
    found
        .into_iter()
        .filter(|k| !SHIPPED_TERMS.contains(&k.as_str()) && !defined.contains(&k.as_str()))
        .collect()
}

#[test]
fn our_actors_carry_what_peers_require() {
    for (kind, path) in [
        (ActorKind::Person, "users/hanako"),
        (ActorKind::Group, "groups/gis"),
        (ActorKind::Application, "actor"),
    ] {
        let actor = actor(kind, path);
        let sent = serde_json::to_value(with_context(&actor)).unwrap();
        assert_eq!(&sent["@context"], context());
        for field in ["inbox", "outbox", "followers", "following"] {
            assert!(sent[field].is_string(), "{kind:?} lacks {field}");
        }
        assert!(
            sent["endpoints"]["sharedInbox"].is_string(),
            "{kind:?} lacks sharedInbox"
        );
        let key = &sent["publicKey"];
        assert!(key.is_object(), "{kind:?}: publicKey must be one object");
        for field in ["id", "owner", "publicKeyPem"] {
            assert!(key[field].is_string(), "{kind:?}: publicKey lacks {field}");
        }
        assert_eq!(sent["manuallyApprovesFollowers"], false);
        assert_eq!(undefined_terms(&sent), Vec::<String>::new(), "{kind:?}");

        let read: Actor = serde_json::from_value(sent).unwrap();
        assert_eq!(read, actor);
    }
}

#[test]
fn our_group_names_its_moderators_as_lemmy_does() {
    let sent = serde_json::to_value(actor(ActorKind::Group, "groups/gis")).unwrap();
    assert_eq!(
        sent["attributedTo"],
        "https://kakehashi.example/groups/gis/moderators"
    );
    assert_eq!(sent["postingRestrictedToMods"], false);
}

#[test]
fn our_note_reads_back_and_uses_defined_terms() {
    let note = note();
    let sent = serde_json::to_value(with_context(&note)).unwrap();
    assert_eq!(
        sent["attributedTo"],
        "https://kakehashi.example/users/hanako"
    );
    assert_eq!(undefined_terms(&sent), Vec::<String>::new());
    let read: AnyDocument = serde_json::from_value(sent).unwrap();
    assert_eq!(
        read,
        AnyDocument::Object(Box::new(AnyObject::Note(Box::new(note))))
    );
}

#[test]
fn our_event_reads_back_and_uses_defined_terms() {
    let event = event();
    let sent = serde_json::to_value(with_context(&event)).unwrap();
    assert_eq!(
        sent["startTime"], "2026-03-12T18:00:00+09:00",
        "the offset is kept"
    );
    assert_eq!(sent["location"].as_array().unwrap().len(), 2);
    assert_eq!(sent["joinMode"], "restricted");
    assert_eq!(sent["eventStatus"], "EventScheduled");
    assert_eq!(
        sent["ical:status"], "CONFIRMED",
        "older Mobilizon reads this name"
    );
    // `ical:status` is a compact IRI, not a term: the `ical` prefix makes it expand.
    let undefined: Vec<String> = undefined_terms(&sent)
        .into_iter()
        .filter(|t| t != "ical:status")
        .collect();
    assert_eq!(undefined, Vec::<String>::new());
    let read: AnyDocument = serde_json::from_value(sent).unwrap();
    assert_eq!(
        read,
        AnyDocument::Object(Box::new(AnyObject::Event(Box::new(event))))
    );
}
