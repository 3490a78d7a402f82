//! Every document captured from other servers under `shared/fixtures/activitypub/` parses into
//! our wire types, or is listed in [`NOT_HANDLED`] with the reason we refuse it.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot go on should stop with the reason"
)]

use kakehashi_federation::protocol::{
    activities::AnyActivity,
    actor::ActorKind,
    document::{AnyDocument, ObjectOrActivity},
    note::NoteKind,
    object::AnyObject,
    place::{Address, Location},
    values::IdOrObject,
};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Documents we deliberately do not read, and why. The test also checks that each of these
/// really fails to parse, so the list cannot go stale.
const NOT_HANDLED: &[(&str, &str)] = &[
    (
        "pleroma/objects/chat_message.json",
        "ChatMessage: Pleroma's chats are a channel of their own that the Mastodon client API \
         does not show; private messages reach us as direct Notes",
    ),
    (
        "lemmy/activities/create_or_update/create_private_message_0.19.json",
        "Create(ChatMessage): Lemmy 0.19's private messages; Lemmy now sends them as Note, \
         which we read",
    ),
    (
        "lemmy/activities/community/lock_note.json",
        "Lock: Lemmy's comment locking is not ActivityStreams and our groups have no locking",
    ),
    (
        "lemmy/activities/community/lock_page.json",
        "Lock: Lemmy's post locking is not ActivityStreams and our groups have no locking",
    ),
    (
        "lemmy/activities/community/undo_lock_note.json",
        "Undo(Lock): we do not read Lock, so there is nothing to undo",
    ),
    (
        "lemmy/activities/community/undo_lock_page.json",
        "Undo(Lock): we do not read Lock, so there is nothing to undo",
    ),
    (
        "lemmy/activities/community/resolve_report_page.json",
        "Resolve(Flag): Lemmy's moderators closing a report; a report we receive is handled by \
         our own moderators",
    ),
    (
        "lemmy/activities/community/warn.json",
        "Warn: a Lemmy moderator warning, not ActivityStreams, with no counterpart here",
    ),
];

fn fixtures_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/activitypub");
    assert!(
        dir.is_dir(),
        "the fixtures are missing: expected {} (shared/ beside the repository)",
        dir.display()
    );
    dir
}

fn json_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "json") {
            found.push(path);
        }
    }
}

fn all_fixtures() -> Vec<(String, Value)> {
    let root = fixtures_dir();
    let mut files = Vec::new();
    json_files(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path).unwrap();
            let json =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
            (name, json)
        })
        .collect()
}

fn fixture(name: &str) -> AnyDocument {
    let text = std::fs::read_to_string(fixtures_dir().join(name)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_fixture_parses_or_is_listed_with_a_reason() {
    let fixtures = all_fixtures();
    assert!(
        fixtures.len() > 100,
        "only {} fixtures found",
        fixtures.len()
    );
    let mut failures = Vec::new();
    for (name, json) in &fixtures {
        let parsed = serde_json::from_value::<AnyDocument>(json.clone());
        match (NOT_HANDLED.iter().find(|(n, _)| n == name), parsed) {
            (None, Ok(document)) => {
                // What we would send of it reads back the same.
                let again: AnyDocument =
                    serde_json::from_value(serde_json::to_value(&document).unwrap())
                        .unwrap_or_else(|e| panic!("{name} does not read back: {e}"));
                if again != document {
                    failures.push(format!("{name}: changes when written and read back"));
                }
            }
            (None, Err(e)) => failures.push(format!("{name}: {e}")),
            (Some(_), Ok(_)) => failures.push(format!(
                "{name}: listed as not handled but parses; remove it from NOT_HANDLED"
            )),
            (Some((_, reason)), Err(_)) => assert!(!reason.is_empty()),
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_listed_fixture_exists() {
    let root = fixtures_dir();
    for (name, _) in NOT_HANDLED {
        assert!(root.join(name).is_file(), "{name} is listed but missing");
    }
}

#[test]
fn actors_keep_what_delivery_needs() {
    let AnyDocument::Object(object) = fixture("mastodon/objects/person.json") else {
        panic!("not an object")
    };
    let AnyObject::Actor(person) = *object else {
        panic!("not an actor")
    };
    assert_eq!(person.kind, ActorKind::Person);
    assert_eq!(
        person.shared_inbox_or_inbox().as_str(),
        "https://masto.qa.urbanwildlife.biz/inbox"
    );
    assert_eq!(person.public_key.len(), 1);
    assert!(
        person.public_key[0]
            .public_key_pem
            .contains("BEGIN PUBLIC KEY")
    );

    let AnyDocument::Object(object) = fixture("lemmy/objects/group.json") else {
        panic!("not an object")
    };
    let AnyObject::Actor(group) = *object else {
        panic!("not an actor")
    };
    assert_eq!(group.kind, ActorKind::Group);
    assert_eq!(
        group.attributed_to[0].as_str(),
        "https://enterprise.lemmy.ml/c/tenforward/moderators"
    );
    assert_eq!(group.posting_restricted_to_mods, Some(false));

    let AnyDocument::Object(object) = fixture("peertube/objects/person.json") else {
        panic!("not an object")
    };
    let AnyObject::Actor(peertube) = *object else {
        panic!("not an actor")
    };
    assert!(
        peertube.icon.is_some(),
        "the first of several avatars is kept"
    );
}

#[test]
fn a_mobilizon_event_keeps_its_place_and_rsvp_fields() {
    let AnyDocument::Object(object) = fixture("mobilizon/objects/event.json") else {
        panic!("not an object")
    };
    let AnyObject::Event(event) = *object else {
        panic!("not an event")
    };
    assert_eq!(
        event.name.as_deref(),
        Some("Caledonian scottish dance class")
    );
    assert_eq!(event.timezone.as_deref(), Some("Europe/London"));
    assert_eq!(event.ical_status(), Some("CONFIRMED"));
    assert!(event.start_time.is_some() && event.end_time.is_some());
    let [Location::Place(place)] = event.location.as_slice() else {
        panic!("expected one place")
    };
    let Some(Address::Postal(address)) = &place.address else {
        panic!("expected a postal address")
    };
    assert_eq!(address.postal_code.as_deref(), Some("EX6 7TW"));
    assert_eq!(event.participant_count, Some(0));
    assert_eq!(event.tag.len(), 3);
    assert!(event.addressing.is_public());
}

#[test]
fn a_lemmy_announce_embeds_the_members_activity() {
    let AnyDocument::Activity(activity) =
        fixture("lemmy/activities/community/announce_create_page.json")
    else {
        panic!("not an activity")
    };
    let AnyActivity::Announce(announce) = *activity else {
        panic!("not an announce")
    };
    let Some(ObjectOrActivity::Activity(inner)) = announce.object.object() else {
        panic!("the activity is not embedded")
    };
    let AnyActivity::Create(create) = inner.as_ref() else {
        panic!("not a create")
    };
    let Some(AnyObject::Note(page)) = create.object.object() else {
        panic!("no page")
    };
    assert_eq!(page.kind, NoteKind::Page);
    assert_ne!(
        create.actor, announce.actor,
        "the group announces a member's post"
    );
}

#[test]
fn reports_and_undos_keep_their_targets() {
    let AnyDocument::Activity(activity) = fixture("mastodon/activities/flag.json") else {
        panic!("not an activity")
    };
    let AnyActivity::Flag(flag) = *activity else {
        panic!("not a flag")
    };
    assert_eq!(flag.object.len(), 3, "the account and two posts");

    let AnyDocument::Activity(activity) = fixture("mastodon/activities/undo_follow.json") else {
        panic!("not an activity")
    };
    let AnyActivity::Undo(undo) = *activity else {
        panic!("not an undo")
    };
    assert!(matches!(undo.object, IdOrObject::Object(ref inner) if inner.kind() == "Follow"));
    assert_eq!(undo.object.id().scheme(), "https");
}
