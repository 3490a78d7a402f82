//! Calendar feeds parse with an independent iCalendar parser (VTIMEZONE Asia/Tokyo, 19:00 local,
//! UID stable and SEQUENCE higher after an edit), Atom feeds parse, and the private feed works
//! until its token is revoked.

use axum::http::{Method, StatusCode};
use icalendar::parser::{Component, read_calendar, unfold};
use kakehashi::domain::events::{self, EventPatch, Scope};
use kakehashi::domain::groups::{self, NewGroup};

use super::event;
use crate::api::{get as api_get, member, send};
use crate::support::TestApp;

/// A VEVENT as (UID, SEQUENCE, DTSTART value, its TZID).
type VEvent = (String, i64, String, String);

/// The VEVENTs and VTIMEZONE ids of a calendar.
fn parse(text: &str) -> (Vec<VEvent>, Vec<String>) {
    let unfolded = unfold(text);
    let calendar = read_calendar(&unfolded).expect("iCalendar parses");
    let prop = |c: &Component<'_>, name: &str| {
        c.find_prop(name)
            .map(|p| p.val.as_str().to_owned())
            .unwrap_or_default()
    };
    let mut events = Vec::new();
    let mut zones = Vec::new();
    for component in &calendar.components {
        match component.name.as_str() {
            "VEVENT" => {
                let start = component.find_prop("DTSTART").expect("DTSTART");
                let tzid = start
                    .params
                    .iter()
                    .find(|p| p.key.as_str() == "TZID")
                    .and_then(|p| p.val.as_ref())
                    .map(|v| v.as_str().to_owned())
                    .unwrap_or_default();
                events.push((
                    prop(component, "UID"),
                    prop(component, "SEQUENCE").parse().expect("SEQUENCE"),
                    start.val.as_str().to_owned(),
                    tzid,
                ));
            }
            "VTIMEZONE" => zones.push(prop(component, "TZID")),
            _ => {}
        }
    }
    (events, zones)
}

#[tokio::test]
async fn calendars_keep_uid_and_zone_and_atom_parses() {
    let app = TestApp::new().await;
    let owner = app.create_user("hanako").await;
    let group = groups::create(
        &app.state,
        &owner,
        NewGroup {
            slug: "bousai".to_owned(),
            display_name: "防災研究会".to_owned(),
            note: String::new(),
            rules: String::new(),
            topics: vec![],
            members_only: false,
            join_policy: groups::OPEN.to_owned(),
        },
    )
    .await
    .expect("group");
    let seminar = event(
        &app.state,
        owner.account.id,
        "防災訓練セミナー",
        3,
        |d| {
            d.group_id = Some(group.id);
            d.place_name = Some("千代田区役所".to_owned());
        },
    )
    .await;

    let response = app.get(&format!("/events/{}.ics", seminar.id)).await;
    response.assert_status(StatusCode::OK);
    assert_eq!(
        response.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    let (vevents, zones) = parse(&response.text());
    assert_eq!(zones, vec!["Asia/Tokyo".to_owned()]);
    assert_eq!(vevents.len(), 1);
    let (uid, sequence, start, tzid) = vevents[0].clone();
    assert_eq!(uid, seminar.ap_id);
    assert_eq!(tzid, "Asia/Tokyo");
    assert!(start.ends_with("T190000"), "{start}");

    events::update(
        &app.state,
        owner.account.id,
        seminar.id,
        EventPatch {
            title: Some("防災訓練セミナー(会場変更)".to_owned()),
            place_name: Some("千代田区立図書館".to_owned()),
            ..EventPatch::default()
        },
        Scope::One,
    )
    .await
    .expect("edit");
    let (after, _) = parse(&app.get(&format!("/events/{}.ics", seminar.id)).await.text());
    assert_eq!(after[0].0, uid, "the UID survives edits");
    assert!(
        after[0].1 > sequence,
        "SEQUENCE grows: {} then {}",
        sequence,
        after[0].1
    );
    assert!(after[0].2.ends_with("T190000"));

    // The group's and the organiser's feeds, and the directory's with filters.
    let (group_events, group_zones) = parse(&app.get("/calendar/groups/bousai.ics").await.text());
    assert_eq!(group_events.len(), 1);
    assert_eq!(group_events[0].0, uid);
    assert_eq!(group_zones, vec!["Asia/Tokyo".to_owned()]);
    let (person_events, _) = parse(&app.get("/calendar/people/hanako.ics").await.text());
    assert_eq!(person_events.len(), 1);
    let (found, _) = parse(
        &app.get("/calendar/directory.ics?q=%E9%98%B2%E7%81%BD&prefecture=")
            .await
            .text(),
    );
    assert_eq!(found.len(), 1);
    let (none, _) = parse(
        &app.get("/calendar/directory.ics?online=online")
            .await
            .text(),
    );
    assert!(none.is_empty());
    app.get("/calendar/groups/hanako.ics")
        .await
        .assert_status(StatusCode::NOT_FOUND);

    for path in ["/calendar/groups/bousai.atom", "/calendar/directory.atom"] {
        let atom = app.get(path).await;
        atom.assert_status(StatusCode::OK);
        assert_eq!(
            atom.header("content-type"),
            Some("application/atom+xml; charset=utf-8")
        );
        let feed: atom_syndication::Feed = atom.text().parse().expect("Atom parses");
        assert_eq!(feed.entries.len(), 1, "{path}");
        assert_eq!(feed.entries[0].id, uid);
        assert_eq!(feed.entries[0].title.value, "防災訓練セミナー(会場変更)");
        assert!(
            feed.entries[0].links[0]
                .href
                .ends_with(&format!("/events/{}", seminar.id))
        );
    }
}

#[tokio::test]
async fn the_private_feed_lists_joined_events_until_revoked() {
    let app = TestApp::new().await;
    let organiser = app.create_user("hanako").await;
    let taro = member(&app, "taro", "read write").await;
    let joined = event(
        &app.state,
        organiser.account.id,
        "防災訓練セミナー",
        3,
        |d| {
            d.visibility = Some("unlisted".to_owned());
        },
    )
    .await;
    let other = event(&app.state, organiser.account.id, "DX勉強会", 4, |_| {}).await;
    events::rsvp::join(&app.state, taro.user.account.id, joined.id, String::new())
        .await
        .expect("join");

    let state = api_get(&app, "/api/v1/kakehashi/calendar_token", &taro.token).await;
    state.assert_status(StatusCode::OK);
    assert_eq!(state.json()["active"], false);
    let made = send(
        &app,
        Method::POST,
        "/api/v1/kakehashi/calendar_token",
        Some(&taro.token),
        None,
        axum::body::Body::empty(),
    )
    .await;
    made.assert_status(StatusCode::OK);
    let body = made.json();
    let url = body["url"].as_str().expect("url").to_owned();
    assert!(
        body["webcal"]
            .as_str()
            .expect("webcal")
            .starts_with("webcal://")
    );
    let path = url.trim_start_matches("http://kakehashi.test");
    let feed = app.get(path).await;
    feed.assert_status(StatusCode::OK);
    let (vevents, _) = parse(&feed.text());
    let uids: Vec<&str> = vevents.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(uids, vec![joined.ap_id.as_str()]);
    assert!(!uids.contains(&other.ap_id.as_str()));
    // Only the hash is stored.
    let token = path
        .trim_start_matches("/calendar/private/")
        .trim_end_matches(".ics")
        .to_owned();
    let stored: Vec<String> = app
        .state
        .db
        .run(move |conn| {
            use diesel::prelude::*;
            use kakehashi::db::schema::calendar_tokens;
            Ok(calendar_tokens::table
                .select(calendar_tokens::token_hash)
                .load::<String>(conn)?)
        })
        .await
        .expect("tokens");
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token);

    let revoked = send(
        &app,
        Method::DELETE,
        "/api/v1/kakehashi/calendar_token",
        Some(&taro.token),
        None,
        axum::body::Body::empty(),
    )
    .await;
    revoked.assert_status(StatusCode::OK);
    app.get(path).await.assert_status(StatusCode::NOT_FOUND);
    app.get("/calendar/private/not-a-token.ics")
        .await
        .assert_status(StatusCode::NOT_FOUND);
}
