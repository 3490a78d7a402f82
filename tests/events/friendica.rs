//! Friendica answers an event with `Accept` ("going"), `TentativeAccept` ("maybe") or `Reject`
//! ("not going") of the event itself rather than a `Join`. A Friendica-style actor (the captured
//! person document of ../shared/fixtures/activitypub/friendica, served by a fake server on loopback
//! with our key in it) answers a local event with a single place: the first Accept takes the
//! place, a maybe takes none, a later Accept waits, and a Reject frees the place for the one
//! waiting, who is told by a federated `Accept`.

use kakehashi::db::models::ParticipantRow;
use kakehashi::db::store;
use kakehashi::domain::events::{self, EventDraft};
use serde_json::{Value, json};

use crate::groups::interop::{World, account_by_ap_id, actor_with_key, adapted};
use crate::support::network::{Instance, PATIENCE, eventually};

/// A Friendica person from the fixture, renamed to `name`, with our key in it; served by `world`.
fn friendica_person(
    world: &World,
    name: &str,
) -> (Value, kakehashi_federation::signatures::SigningKey) {
    let base = world.base("friendica.test");
    let mut person = adapted(
        "friendica/objects/person_1.json",
        &[("https://poliverso.org", base.as_str())],
    );
    let id = format!("{base}/profile/{name}");
    person["id"] = json!(id);
    person["preferredUsername"] = json!(name);
    person["inbox"] = json!(format!("{base}/inbox/{name}"));
    person["outbox"] = json!(format!("{base}/outbox/{name}"));
    for field in ["icon", "image"] {
        person.as_object_mut().expect("object").remove(field);
    }
    let (person, key) = actor_with_key(person);
    world.remote.serve(&id, person.clone());
    (person, key)
}

fn answer(kind: &str, actor: &Value, n: u32, event: &str, organiser: &str) -> Value {
    let actor = actor["id"].as_str().expect("id");
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor}/activity/{kind}-{n}"),
        "type": kind,
        "actor": actor,
        "object": event,
        "to": [organiser],
    })
}

async fn participation(instance: &Instance, event: i64, ap_id: &str) -> Option<ParticipantRow> {
    let account = account_by_ap_id(instance, ap_id).await?;
    instance
        .state()
        .db
        .run(move |conn| Ok(store::events::find_participant(conn, event, account.id)?))
        .await
        .expect("participation")
}

async fn state_of(instance: &Instance, event: i64, ap_id: &str) -> Option<String> {
    participation(instance, event, ap_id).await.map(|p| p.state)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn friendica_going_maybe_and_not_going_are_rsvps_with_the_waiting_list() {
    let world = World::start(&["friendica.test"]).await;
    let alpha = world.alpha();
    let organiser = alpha.user("hanako").await;
    let event = events::create(
        alpha.state(),
        organiser.account.id,
        EventDraft {
            title: "窓口DX座談会".to_owned(),
            description: "一席だけの座談会".to_owned(),
            start_time: "2027-05-20T18:30".to_owned(),
            online_url: Some("https://meet.example/kakehashi".to_owned()),
            capacity: Some(1),
            ..EventDraft::default()
        },
    )
    .await
    .expect("create");
    let (going, going_key) = friendica_person(&world, "going");
    let (maybe, maybe_key) = friendica_person(&world, "maybe");
    let going_id = going["id"].as_str().expect("id").to_owned();
    let maybe_id = maybe["id"].as_str().expect("id").to_owned();
    let organiser_id = organiser.account.ap_id.clone();

    // Going: the one place.
    world
        .deliver(
            &answer("Accept", &going, 1, &event.ap_id, &organiser_id),
            &going_key,
        )
        .await;
    assert_eq!(
        state_of(alpha, event.id, &going_id).await.as_deref(),
        Some("accepted")
    );

    // Maybe: recorded, takes no place.
    world
        .deliver(
            &answer("TentativeAccept", &maybe, 1, &event.ap_id, &organiser_id),
            &maybe_key,
        )
        .await;
    assert_eq!(
        state_of(alpha, event.id, &maybe_id).await.as_deref(),
        Some("tentative")
    );

    // Then going after all: the event is full, so the waiting list.
    world
        .deliver(
            &answer("Accept", &maybe, 2, &event.ap_id, &organiser_id),
            &maybe_key,
        )
        .await;
    assert_eq!(
        state_of(alpha, event.id, &maybe_id).await.as_deref(),
        Some("waitlisted")
    );

    // Not going: the place frees, the one waiting is admitted and told so by an Accept.
    world
        .deliver(
            &answer("Reject", &going, 3, &event.ap_id, &organiser_id),
            &going_key,
        )
        .await;
    assert_eq!(state_of(alpha, event.id, &going_id).await, None);
    eventually(
        "the waiting Friendica member is admitted",
        PATIENCE,
        || async {
            (state_of(alpha, event.id, &maybe_id).await.as_deref() == Some("accepted"))
                .then_some(())
        },
    )
    .await;
    let told = world
        .wait_for(
            "an Accept for the one admitted from the waiting list",
            |a| {
                a["type"] == "Accept"
                    && a["actor"] == organiser_id.as_str()
                    && a.to_string().contains(&maybe_id)
            },
        )
        .await;
    assert_eq!(told["actor"], organiser_id.as_str());

    // A replayed answer is acknowledged and changes nothing.
    world
        .deliver(
            &answer("Reject", &going, 3, &event.ap_id, &organiser_id),
            &going_key,
        )
        .await;
    assert_eq!(
        state_of(alpha, event.id, &maybe_id).await.as_deref(),
        Some("accepted")
    );
}
