//! A Mobilizon group's event, as Mobilizon federates it (../shared/fixtures/activitypub/mobilizon,
//! served by a fake server on loopback with our keys in the actors): fetched, it is stored as the
//! group's event organised by the person who created it; the group's `Delete` of it is taken
//! (the group owns it even though the person is its organiser), and a stranger's is not.

use kakehashi::db::store;
use kakehashi::federation_glue::events::fetch_event;
use serde_json::{Value, json};
use url::Url;

use crate::groups::interop::{World, account_by_ap_id, actor_with_key, adapted};

/// `fixture` with its hosts moved to the fake server and its actor fields renamed to `name`.
fn actor(
    world: &World,
    fixture: &str,
    name: &str,
) -> (Value, kakehashi_federation::signatures::SigningKey) {
    let base = world.base("mobilizon.test");
    let mut document = adapted(
        fixture,
        &[
            ("https://mobilizon.fr", base.as_str()),
            ("https://rendezvous.nomagic.uk", base.as_str()),
        ],
    );
    let id = format!("{base}/@{name}");
    document["id"] = json!(id);
    document["url"] = json!(id);
    document["preferredUsername"] = json!(name);
    for field in ["inbox", "outbox", "followers", "following"] {
        document[field] = json!(format!("{id}/{field}"));
    }
    for field in ["icon", "image"] {
        document.as_object_mut().expect("object").remove(field);
    }
    let (document, key) = actor_with_key(document);
    world.remote.serve(&id, document.clone());
    (document, key)
}

fn delete(actor: &Value, object: &str) -> Value {
    let actor = actor["id"].as_str().expect("id");
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor}/delete/1"),
        "type": "Delete",
        "actor": actor,
        "object": object,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mobilizon_group_event_is_stored_as_the_groups_and_the_group_may_delete_it() {
    let world = World::start(&["mobilizon.test"]).await;
    let alpha = world.alpha();
    let base = world.base("mobilizon.test");
    let (group, group_key) = actor(
        &world,
        "mobilizon/objects/group.json",
        "devon_caledonian_society",
    );
    let (_person, _) = actor(&world, "mobilizon/objects/person.json", "emorrp1");
    let (stranger, stranger_key) = actor(&world, "mobilizon/objects/person.json", "stranger");
    let mut event = adapted(
        "mobilizon/objects/event.json",
        &[("https://rendezvous.nomagic.uk", base.as_str())],
    );
    event.as_object_mut().expect("object").remove("attachment");
    event["startTime"] = json!("2027-12-11T19:00:00+00:00");
    event["endTime"] = json!("2027-12-11T21:00:00+00:00");
    let event_id = event["id"].as_str().expect("id").to_owned();
    world.remote.serve(&event_id, event);

    let stored = fetch_event(alpha.state(), &Url::parse(&event_id).expect("url"))
        .await
        .expect("fetch the Mobilizon event");
    let group_row = account_by_ap_id(alpha, group["id"].as_str().expect("id"))
        .await
        .expect("the group is known");
    let organiser = account_by_ap_id(alpha, &format!("{base}/@emorrp1"))
        .await
        .expect("the organiser is known");
    assert_eq!(stored.group_id, Some(group_row.id));
    assert_eq!(stored.organiser_id, organiser.id);
    assert_eq!(stored.timezone, "Europe/London");

    // Someone else on the same server may not delete it.
    let status = world
        .deliver_status(&delete(&stranger, &event_id), &stranger_key)
        .await;
    assert_eq!(status, 403);

    world.deliver(&delete(&group, &event_id), &group_key).await;
    let ap_id = event_id.clone();
    let left = alpha
        .state()
        .db
        .run(move |conn| Ok(store::events::find_by_ap_id(conn, &ap_id)?))
        .await
        .expect("query");
    assert!(left.is_none(), "the group's Delete removed its event");
}
