//! Events across instances: a beta member joins alpha's group event; the waiting list with a
//! remote participant; a cancellation reaching participants on every instance; time zones.

use kakehashi::db::models::{AccountRow, EventRow, ParticipantRow};
use kakehashi::db::store;
use kakehashi::domain::events::{self, EventDraft, Scope, rsvp};
use kakehashi::domain::groups::{self, NewGroup};
use kakehashi::federation_glue::events::fetch_event;
use url::Url;

use crate::support::network::{Instance, Network, PATIENCE, eventually};

fn draft(title: &str) -> EventDraft {
    EventDraft {
        title: title.to_owned(),
        description: "自治体DXの事例共有".to_owned(),
        start_time: "2027-03-12T19:00".to_owned(),
        end_time: Some("2027-03-12T21:00".to_owned()),
        place_name: Some("市民ホール".to_owned()),
        address: Some("中央区1-1".to_owned()),
        prefecture: Some("13".to_owned()),
        category: Some("LEARNING".to_owned()),
        tags: vec!["DX".to_owned()],
        ..EventDraft::default()
    }
}

/// `instance`'s copy of the event at `ap_id` (fetched now if it is not there yet).
async fn copy_on(instance: &Instance, ap_id: &str) -> EventRow {
    fetch_event(instance.state(), &Url::parse(ap_id).expect("url"))
        .await
        .expect("fetch the event")
}

async fn event_on(instance: &Instance, id: i64) -> EventRow {
    instance
        .state()
        .db
        .run(move |conn| Ok(store::events::find(conn, id)?.expect("event")))
        .await
        .expect("event")
}

async fn participation(instance: &Instance, event: i64, account: i64) -> Option<ParticipantRow> {
    instance
        .state()
        .db
        .run(move |conn| Ok(store::events::find_participant(conn, event, account)?))
        .await
        .expect("participation")
}

/// Waits until `account`'s participation in `event` on `instance` is in `state`.
async fn wait_for_state(instance: &Instance, event: i64, account: i64, state: &'static str) {
    let what = format!(
        "participation of {account} in {event} becomes {state} on {}",
        instance.name
    );
    eventually(&what, PATIENCE, || async move {
        participation(instance, event, account)
            .await
            .filter(|p| p.state == state)
    })
    .await;
}

/// `instance`'s copy of a remote account, once its activity has brought it there (resolving it
/// at the same moment would race the inbox storing it).
async fn account_on(instance: &Instance, ap_id: &str) -> AccountRow {
    let ap_id = ap_id.to_owned();
    eventually("the remote account is known", PATIENCE, || {
        let ap_id = ap_id.clone();
        async move {
            instance
                .state()
                .db
                .run(move |conn| Ok(store::accounts::find_by_ap_id(conn, &ap_id)?))
                .await
                .ok()
                .flatten()
        }
    })
    .await
}

async fn notification_kinds(instance: &Instance, account: i64) -> Vec<(String, Option<i64>)> {
    instance
        .state()
        .db
        .run(move |conn| {
            Ok(store::relations::notifications_page(
                conn,
                account,
                &[],
                &[],
                None,
                &store::Page::default(),
            )?
            .into_iter()
            .map(|n| (n.kind, n.status_id))
            .collect())
        })
        .await
        .expect("notifications")
}

#[tokio::test]
async fn a_beta_member_joins_a_group_event_on_alpha_and_times_round_trip() {
    let network = Network::start(&["alpha", "beta"]).await;
    let alpha = network.get("alpha");
    let beta = network.get("beta");
    let organiser = alpha.user("hanako").await;
    let group = groups::create(
        alpha.state(),
        &organiser,
        NewGroup {
            slug: "bosai".to_owned(),
            display_name: "防災研究会".to_owned(),
            note: String::new(),
            rules: String::new(),
            topics: Vec::new(),
            members_only: false,
            join_policy: "open".to_owned(),
        },
    )
    .await
    .expect("group");
    let mut new = draft("防災DX勉強会");
    new.group_id = Some(group.id);
    new.join_mode = Some("restricted".to_owned());
    let event = events::create(alpha.state(), organiser.account.id, new)
        .await
        .expect("create");
    assert_eq!(event.starts_at.to_string(), "2027-03-12 10:00:00");

    // Beta learns it with its zone and wall time intact.
    let copy = copy_on(beta, &event.ap_id).await;
    assert!(!copy.local);
    assert_eq!(copy.timezone, "Asia/Tokyo");
    assert_eq!(copy.starts_at.to_string(), "2027-03-12 10:00:00");
    assert_eq!(
        copy.ends_at.map(|e| e.to_string()).as_deref(),
        Some("2027-03-12 12:00:00")
    );
    assert_eq!(
        events::display::local_start(&copy)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string(),
        "2027-03-12 19:00 JST"
    );
    assert_eq!(copy.place_name.as_deref(), Some("市民ホール"));
    assert_eq!(copy.address.as_deref(), Some("中央区1-1"));
    assert_eq!(copy.prefecture, Some(13));
    assert_eq!(copy.category.as_deref(), Some("LEARNING"));
    assert_eq!(copy.join_mode, "restricted");
    let beta_group = beta.remote("bosai", alpha).await;
    assert_eq!(
        copy.group_id,
        Some(beta_group.id),
        "the group owns it on beta too"
    );

    // A beta member asks; alpha's organiser sees the request and accepts it.
    let maria = beta.user("maria").await;
    let asked = rsvp::join(
        beta.state(),
        maria.account.id,
        copy.id,
        "参加希望です".to_owned(),
    )
    .await
    .expect("join");
    assert_eq!(asked.state, "pending");
    let maria_on_alpha = account_on(alpha, &maria.account.ap_id).await;
    wait_for_state(alpha, event.id, maria_on_alpha.id, "pending").await;
    let requests = alpha
        .state()
        .db
        .run({
            let id = event.id;
            let viewer = organiser.account.id;
            move |conn| rsvp::list(conn, Some(viewer), id, "pending")
        })
        .await
        .expect("requests");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].message, "参加希望です");
    rsvp::decide_request(
        alpha.state(),
        organiser.account.id,
        event.id,
        maria_on_alpha.id,
        true,
    )
    .await
    .expect("accept");
    // Alpha's Accept reaches beta.
    wait_for_state(beta, copy.id, maria.account.id, "accepted").await;
    assert!(
        notification_kinds(beta, maria.account.id)
            .await
            .contains(&("pleroma:participation_accepted".to_owned(), Some(copy.id)))
    );
    let participants = alpha
        .state()
        .db
        .run({
            let id = event.id;
            move |conn| rsvp::list(conn, None, id, "accepted")
        })
        .await
        .expect("participants");
    assert_eq!(
        participants
            .iter()
            .map(|p| p.account_id)
            .collect::<Vec<_>>(),
        vec![maria_on_alpha.id]
    );
    assert_eq!(event_on(alpha, event.id).await.participant_count, 1);

    // A Vienna evening stays a Vienna evening.
    let mut vienna = draft("Wiener Treffen");
    vienna.timezone = Some("Europe/Vienna".to_owned());
    vienna.start_time = "2027-07-01T18:00".to_owned();
    vienna.end_time = None;
    let vienna = events::create(alpha.state(), organiser.account.id, vienna)
        .await
        .expect("create");
    let copy = copy_on(beta, &vienna.ap_id).await;
    assert_eq!(copy.timezone, "Europe/Vienna");
    assert_eq!(copy.starts_at.to_string(), "2027-07-01 16:00:00");
    assert_eq!(
        events::display::local_rfc3339(&copy, copy.starts_at.and_utc()),
        "2027-07-01T18:00:00+02:00"
    );
}

#[tokio::test]
async fn the_waiting_list_promotes_a_remote_member_and_cancellation_reaches_everyone() {
    let network = Network::start(&["alpha", "beta", "gamma"]).await;
    let alpha = network.get("alpha");
    let beta = network.get("beta");
    let gamma = network.get("gamma");
    let organiser = alpha.user("hanako").await;
    let mut new = draft("GIS 勉強会");
    new.capacity = Some(2);
    let event = events::create(alpha.state(), organiser.account.id, new)
        .await
        .expect("create");
    let taro = alpha.user("taro").await;
    let jiro = alpha.user("jiro").await;
    for who in [&taro, &jiro] {
        let row = rsvp::join(alpha.state(), who.account.id, event.id, String::new())
            .await
            .expect("join");
        assert_eq!(row.state, "accepted");
    }

    // The third, from beta, waits; beta's copy stays pending.
    let copy = copy_on(beta, &event.ap_id).await;
    let maria = beta.user("maria").await;
    rsvp::join(beta.state(), maria.account.id, copy.id, String::new())
        .await
        .expect("join");
    let maria_on_alpha = account_on(alpha, &maria.account.ap_id).await;
    wait_for_state(alpha, event.id, maria_on_alpha.id, "waitlisted").await;
    assert_eq!(
        participation(beta, copy.id, maria.account.id)
            .await
            .map(|p| p.state)
            .as_deref(),
        Some("pending")
    );

    // Taro leaves: maria moves up and beta hears it as an Accept.
    rsvp::leave(alpha.state(), taro.account.id, event.id)
        .await
        .expect("leave");
    wait_for_state(alpha, event.id, maria_on_alpha.id, "accepted").await;
    wait_for_state(beta, copy.id, maria.account.id, "accepted").await;
    assert_eq!(event_on(alpha, event.id).await.participant_count, 2);

    // A gamma member joins too (there is room again after jiro leaves).
    rsvp::leave(alpha.state(), jiro.account.id, event.id)
        .await
        .expect("leave");
    let gamma_copy = copy_on(gamma, &event.ap_id).await;
    let ken = gamma.user("ken").await;
    rsvp::join(gamma.state(), ken.account.id, gamma_copy.id, String::new())
        .await
        .expect("join");
    wait_for_state(gamma, gamma_copy.id, ken.account.id, "accepted").await;
    let saburo = alpha.user("saburo").await;
    rsvp::join(alpha.state(), saburo.account.id, event.id, String::new())
        .await
        .expect("join");

    // Cancelled on alpha: every participant on every instance is told.
    events::cancel(alpha.state(), organiser.account.id, event.id, Scope::One)
        .await
        .expect("cancel");
    let told = |instance: &'static str, account: i64, event: i64| {
        let instance = network.get(instance);
        async move {
            eventually("the cancellation is notified", PATIENCE, || async move {
                notification_kinds(instance, account)
                    .await
                    .contains(&("update".to_owned(), Some(event)))
                    .then_some(())
            })
            .await;
        }
    };
    told("alpha", saburo.account.id, event.id).await;
    told("beta", maria.account.id, copy.id).await;
    told("gamma", ken.account.id, gamma_copy.id).await;
    assert_eq!(event_on(beta, copy.id).await.event_status, "cancelled");
    assert_eq!(
        event_on(gamma, gamma_copy.id).await.event_status,
        "cancelled"
    );
}
