//! The events API in one process: create, edit, cancel, join, leave, approval, waiting list,
//! series, reminders, the `.ics` and the ActivityPub document.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use kakehashi::db::store;
use kakehashi::domain::events::reminders;
use serde_json::{Value, json};

use crate::api::{Member, get, member, post_empty, post_json, send};
use crate::support::TestApp;
use crate::support::app::TestResponse;

const EVENTS: &str = "/api/v1/pleroma/events";

async fn put_json(app: &TestApp, path: &str, token: &str, body: &Value) -> TestResponse {
    send(
        app,
        Method::PUT,
        path,
        Some(token),
        Some("application/json"),
        body.to_string(),
    )
    .await
}

async fn create(app: &TestApp, organiser: &Member, body: Value) -> Value {
    let response = post_json(app, EVENTS, &organiser.token, &body).await;
    response.assert_status(StatusCode::OK);
    response.json()
}

fn seminar() -> Value {
    json!({
        "name": "防災DX勉強会",
        "status": "避難所運営のデジタル化について #防災",
        "start_time": "2027-03-12T19:00",
        "end_time": "2027-03-12T21:00",
        "place_name": "市役所 3階 会議室",
        "address": "千代田区丸の内1-1",
        "prefecture": "東京都",
        "category": "learning",
        "tags": ["DX"],
        "capacity": 2,
    })
}

async fn notification_kinds(app: &TestApp, who: &Member) -> Vec<String> {
    get(app, "/api/v1/notifications", &who.token)
        .await
        .json()
        .as_array()
        .expect("list")
        .iter()
        .map(|n| n["type"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn event_of(status: &Value) -> &Value {
    &status["pleroma"]["event"]
}

#[tokio::test]
async fn an_event_is_created_joined_waitlisted_edited_and_cancelled() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let taro = member(&app, "taro", "read write").await;
    let jiro = member(&app, "jiro", "read write").await;
    let saburo = member(&app, "saburo", "read write").await;

    let status = create(&app, &hanako, seminar()).await;
    let id = status["id"].as_str().expect("id").to_owned();
    let event = event_of(&status);
    assert_eq!(event["name"], "防災DX勉強会");
    assert_eq!(event["timezone"], "Asia/Tokyo");
    assert_eq!(event["start_time"], "2027-03-12T10:00:00.000Z");
    assert_eq!(event["local_start_time"], "2027-03-12T19:00:00+09:00");
    assert_eq!(event["location"]["name"], "市役所 3階 会議室");
    assert_eq!(event["location"]["region"], "東京都");
    assert_eq!(event["category"], "LEARNING");
    assert_eq!(event["capacity"], 2);
    assert_eq!(event["join_mode"], "free");
    let content = status["content"].as_str().expect("content");
    assert!(
        content.contains("2027年3月12日(金) 19:00〜21:00"),
        "{content}"
    );
    assert!(
        content.contains("Fri 12 Mar 2027, 19:00–21:00"),
        "{content}"
    );
    assert!(content.contains("市役所 3階 会議室"), "{content}");
    let tags: Vec<&str> = status["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert!(tags.contains(&"dx") && tags.contains(&"防災"), "{tags:?}");

    // In timelines as a status.
    let home = get(&app, "/api/v1/timelines/home", &hanako.token)
        .await
        .json();
    assert!(
        home.as_array()
            .expect("home")
            .iter()
            .any(|s| s["id"] == id.as_str())
    );

    // As ActivityPub.
    let document = app
        .get_with(
            &format!("/events/{id}"),
            &[("accept", "application/activity+json")],
        )
        .await;
    document.assert_status(StatusCode::OK);
    let document = document.json();
    assert_eq!(document["type"], "Event");
    assert_eq!(document["startTime"], "2027-03-12T19:00:00+09:00");
    assert_eq!(document["timezone"], "Asia/Tokyo");
    assert_eq!(document["location"]["type"], "Place");
    assert_eq!(
        document["location"]["address"]["streetAddress"],
        "千代田区丸の内1-1"
    );
    assert_eq!(document["maximumAttendeeCapacity"], 2);
    assert_eq!(document["eventStatus"], "EventScheduled");
    assert!(
        document["summary"]
            .as_str()
            .is_some_and(|s| s.contains("19:00"))
    );

    // Two places, three people: the third waits.
    for who in [&taro, &jiro] {
        let joined = post_empty(&app, &format!("{EVENTS}/{id}/join"), &who.token).await;
        joined.assert_status(StatusCode::OK);
        assert_eq!(event_of(&joined.json())["join_state"], "accept");
    }
    let third = post_empty(&app, &format!("{EVENTS}/{id}/join"), &saburo.token).await;
    third.assert_status(StatusCode::OK);
    let third = third.json();
    assert_eq!(event_of(&third)["participation_state"], "waitlisted");
    assert_eq!(event_of(&third)["join_state"], "pending");
    assert_eq!(event_of(&third)["participants_count"], 2);
    let participants = get(
        &app,
        &format!("{EVENTS}/{id}/participations"),
        &hanako.token,
    )
    .await
    .json();
    let names: Vec<&str> = participants
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|a| a["username"].as_str())
        .collect();
    assert_eq!(names, vec!["taro", "jiro"]);
    assert!(
        notification_kinds(&app, &hanako)
            .await
            .iter()
            .all(|k| k == "pleroma:participation_request")
    );

    // A place frees: the waiting list moves up.
    post_empty(&app, &format!("{EVENTS}/{id}/leave"), &taro.token)
        .await
        .assert_status(StatusCode::OK);
    let promoted = get(&app, &format!("/api/v1/statuses/{id}"), &saburo.token)
        .await
        .json();
    assert_eq!(event_of(&promoted)["participation_state"], "accepted");
    assert_eq!(event_of(&promoted)["participants_count"], 2);
    assert_eq!(
        notification_kinds(&app, &saburo).await,
        vec!["pleroma:participation_accepted"]
    );

    // Only the organiser edits; an edit that moves it tells the participants.
    put_json(
        &app,
        &format!("{EVENTS}/{id}"),
        &taro.token,
        &json!({"name": "x"}),
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
    let edited = put_json(
        &app,
        &format!("{EVENTS}/{id}"),
        &hanako.token,
        &json!({"start_time": "2027-03-13T18:30", "end_time": "2027-03-13T20:00"}),
    )
    .await;
    edited.assert_status(StatusCode::OK);
    let edited = edited.json();
    assert_eq!(
        event_of(&edited)["local_start_time"],
        "2027-03-13T18:30:00+09:00"
    );
    assert_eq!(event_of(&edited)["sequence"], 1);
    assert!(
        edited["content"]
            .as_str()
            .is_some_and(|c| c.contains("18:30"))
    );
    assert!(
        notification_kinds(&app, &jiro)
            .await
            .contains(&"update".to_owned())
    );

    // The .ics of one event.
    let ics = get(&app, &format!("{EVENTS}/{id}/ics"), &jiro.token).await;
    ics.assert_status(StatusCode::OK);
    assert!(
        ics.header("content-type")
            .is_some_and(|c| c.starts_with("text/calendar"))
    );
    let text = ics.text();
    assert!(
        text.contains("DTSTART;TZID=Asia/Tokyo:20270313T183000"),
        "{text}"
    );
    assert!(text.contains("SEQUENCE:1"), "{text}");
    super::ics_check::parse_with_python(&text, "防災DX勉強会", "2027-03-13T18:30:00+09:00");

    // Cancelled: it stays, marked, and nobody can join any more.
    let cancelled = put_json(
        &app,
        &format!("{EVENTS}/{id}"),
        &hanako.token,
        &json!({"event_status": "cancelled"}),
    )
    .await
    .json();
    assert_eq!(event_of(&cancelled)["event_status"], "cancelled");
    assert!(
        cancelled["content"]
            .as_str()
            .is_some_and(|c| c.contains("Cancelled"))
    );
    let late = post_empty(&app, &format!("{EVENTS}/{id}/join"), &taro.token).await;
    late.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let ics = get(&app, &format!("{EVENTS}/{id}/ics"), &jiro.token)
        .await
        .text();
    assert!(ics.contains("STATUS:CANCELLED"), "{ics}");
    let saburo_kinds = notification_kinds(&app, &saburo).await;
    assert_eq!(
        saburo_kinds.iter().filter(|k| *k == "update").count(),
        2,
        "moved, then cancelled: {saburo_kinds:?}"
    );
}

#[tokio::test]
async fn invalid_events_are_refused_with_reasons() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let cases = [
        (json!({"start_time": "2027-03-12T19:00"}), "Name"),
        (json!({"name": "x"}), "Start time"),
        (json!({"name": "x", "start_time": "someday"}), "Start time"),
        (
            json!({"name": "x", "start_time": "2027-03-12T19:00", "timezone": "Mars/Base"}),
            "IANA",
        ),
        (
            json!({"name": "x", "start_time": "2027-03-12T19:00", "end_time": "2027-03-12T18:00"}),
            "after the start",
        ),
        (
            json!({"name": "x", "start_time": "2027-03-12T19:00", "category": "PICNIC"}),
            "FEP-8a8e",
        ),
        (
            json!({"name": "x", "start_time": "2027-03-12T19:00", "join_mode": "external"}),
            "external URL",
        ),
        (
            json!({"name": "x", "start_time": "2027-03-12T19:00", "online_url": "ftp://x.example"}),
            "Online URL",
        ),
        (
            json!({"name": "x", "start_time": "2027-03-12T19:00", "prefecture": "Atlantis"}),
            "Prefecture",
        ),
        (
            json!({"name": "x", "start_time": "2027-03-12T19:00", "rrule": "FREQ=DAILY"}),
            "COUNT or UNTIL",
        ),
    ];
    for (body, expected) in cases {
        let response = post_json(&app, EVENTS, &hanako.token, &body).await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let error = response.json()["error"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(error.contains(expected), "{body}: {error}");
    }
    // Someone else's upload is not a banner.
    let response = post_json(
        &app,
        EVENTS,
        &hanako.token,
        &json!({"name": "x", "start_time": "2027-03-12T19:00", "banner_id": "12345"}),
    )
    .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn approval_events_wait_for_the_organiser() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let taro = member(&app, "taro", "read write").await;
    let jiro = member(&app, "jiro", "read write").await;
    let mut body = seminar();
    body["join_mode"] = json!("restricted");
    let status = create(&app, &hanako, body).await;
    let id = status["id"].as_str().expect("id");
    for who in [&taro, &jiro] {
        let response = post_json(
            &app,
            &format!("{EVENTS}/{id}/join"),
            &who.token,
            &json!({"participation_message": "よろしくお願いします"}),
        )
        .await;
        response.assert_status(StatusCode::OK);
        assert_eq!(event_of(&response.json())["join_state"], "pending");
    }
    // Requests are the organiser's to see.
    get(
        &app,
        &format!("{EVENTS}/{id}/participation_requests"),
        &taro.token,
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
    let requests = get(
        &app,
        &format!("{EVENTS}/{id}/participation_requests"),
        &hanako.token,
    )
    .await
    .json();
    assert_eq!(requests.as_array().map(Vec::len), Some(2));
    assert_eq!(requests[0]["participation_message"], "よろしくお願いします");
    assert_eq!(
        get(&app, &format!("/api/v1/statuses/{id}"), &hanako.token)
            .await
            .json()["pleroma"]["event"]["participation_request_count"],
        2
    );
    let taro_id = taro.user.account.id;
    let jiro_id = jiro.user.account.id;
    post_empty(
        &app,
        &format!("{EVENTS}/{id}/participation_requests/{taro_id}/authorize"),
        &taro.token,
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
    post_empty(
        &app,
        &format!("{EVENTS}/{id}/participation_requests/{taro_id}/authorize"),
        &hanako.token,
    )
    .await
    .assert_status(StatusCode::OK);
    post_empty(
        &app,
        &format!("{EVENTS}/{id}/participation_requests/{jiro_id}/reject"),
        &hanako.token,
    )
    .await
    .assert_status(StatusCode::OK);
    let seen_by_taro = get(&app, &format!("/api/v1/statuses/{id}"), &taro.token)
        .await
        .json();
    assert_eq!(event_of(&seen_by_taro)["join_state"], "accept");
    let seen_by_jiro = get(&app, &format!("/api/v1/statuses/{id}"), &jiro.token)
        .await
        .json();
    assert_eq!(event_of(&seen_by_jiro)["join_state"], "reject");
    assert_eq!(
        notification_kinds(&app, &taro).await,
        vec!["pleroma:participation_accepted"]
    );
    let joined = get(&app, &format!("{EVENTS}/joined_events"), &taro.token)
        .await
        .json();
    assert_eq!(joined.as_array().map(Vec::len), Some(1));
    let rejected = get(
        &app,
        &format!("{EVENTS}/joined_events?state=reject"),
        &jiro.token,
    )
    .await
    .json();
    assert_eq!(rejected.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn concurrent_joins_never_overbook() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let mut body = seminar();
    body["capacity"] = json!(1);
    let status = create(&app, &hanako, body).await;
    let id: i64 = status["id"].as_str().expect("id").parse().expect("number");
    let mut people = Vec::new();
    for n in 0..6 {
        people.push(app.create_user(&format!("staff{n}")).await.account.id);
    }
    let joins = people.iter().map(|&person| {
        let state = app.state.clone();
        async move { kakehashi::domain::events::rsvp::join(&state, person, id, String::new()).await }
    });
    for result in futures::future::join_all(joins).await {
        result.expect("join");
    }
    let (accepted, waiting) = app
        .state
        .db
        .run(move |conn| {
            Ok((
                store::events::count_in_state(conn, id, "accepted")?,
                store::events::count_in_state(conn, id, "waitlisted")?,
            ))
        })
        .await
        .expect("counts");
    assert_eq!((accepted, waiting), (1, 5));
}

#[tokio::test]
async fn a_series_creates_its_occurrences_and_edits_apply_to_all() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let mut body = seminar();
    body["rrule"] = json!("FREQ=WEEKLY;COUNT=4");
    let first = create(&app, &hanako, body).await;
    let first_id: i64 = first["id"].as_str().expect("id").parse().expect("number");
    let series = event_of(&first)["series_id"]
        .as_str()
        .expect("series")
        .to_owned();
    let series_id: i64 = series.parse().expect("number");
    let starts = |app: &TestApp| {
        let state = app.state.clone();
        async move {
            state
                .db
                .run(move |conn| {
                    Ok(store::events::series_from(
                        conn,
                        series_id,
                        chrono::NaiveDateTime::default(),
                    )?)
                })
                .await
                .expect("series")
        }
    };
    let occurrences = starts(&app).await;
    let local: Vec<String> = occurrences
        .iter()
        .map(|e| {
            e.starts_at
                .and_utc()
                .with_timezone(&chrono_tz::Asia::Tokyo)
                .format("%m-%d %H:%M")
                .to_string()
        })
        .collect();
    assert_eq!(
        local,
        vec!["03-12 19:00", "03-19 19:00", "03-26 19:00", "04-02 19:00"]
    );
    assert_eq!(occurrences[0].id, first_id);

    // One occurrence only.
    let second = occurrences[1].id;
    put_json(
        &app,
        &format!("{EVENTS}/{second}"),
        &hanako.token,
        &json!({"name": "第2回 防災DX勉強会"}),
    )
    .await
    .assert_status(StatusCode::OK);
    // From the third on, an hour later.
    let third = occurrences[2].id;
    put_json(
        &app,
        &format!("{EVENTS}/{third}"),
        &hanako.token,
        &json!({"start_time": "2027-03-26T20:00", "end_time": "2027-03-26T22:00", "scope": "all"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let after = starts(&app).await;
    let summary: Vec<(String, String)> = after
        .iter()
        .map(|e| {
            (
                e.title.clone(),
                e.starts_at
                    .and_utc()
                    .with_timezone(&chrono_tz::Asia::Tokyo)
                    .format("%m-%d %H:%M")
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("防災DX勉強会".to_owned(), "03-12 19:00".to_owned()),
            ("第2回 防災DX勉強会".to_owned(), "03-19 19:00".to_owned()),
            ("防災DX勉強会".to_owned(), "03-26 20:00".to_owned()),
            ("防災DX勉強会".to_owned(), "04-02 20:00".to_owned()),
        ]
    );
}

#[tokio::test]
async fn participants_are_reminded_once_before_the_start() {
    let app = TestApp::with_config(|config| {
        config.events.reminder_lead_minutes = 120;
        config.events.reminder_poll_seconds = 0;
    })
    .await;
    let hanako = member(&app, "hanako", "read write").await;
    let taro = member(&app, "taro", "read write").await;
    let soon = (chrono::Utc::now() + chrono::Duration::minutes(90)).to_rfc3339();
    let later = (chrono::Utc::now() + chrono::Duration::hours(30)).to_rfc3339();
    let mut ids = Vec::new();
    for start in [&soon, &later] {
        let status = create(
            &app,
            &hanako,
            json!({"name": "朝会", "start_time": start, "online_url": "https://meet.city.example/a"}),
        )
        .await;
        let id = status["id"].as_str().expect("id").to_owned();
        post_empty(&app, &format!("{EVENTS}/{id}/join"), &taro.token)
            .await
            .assert_status(StatusCode::OK);
        ids.push(id);
    }
    assert_eq!(reminders::send_due(&app.state).await.expect("reminders"), 1);
    assert_eq!(reminders::send_due(&app.state).await.expect("reminders"), 0);
    let notifications = get(&app, "/api/v1/notifications", &taro.token).await.json();
    let reminders: Vec<&Value> = notifications
        .as_array()
        .expect("list")
        .iter()
        .filter(|n| n["type"] == "pleroma:event_reminder")
        .collect();
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0]["status"]["id"], ids[0].as_str());
}

#[tokio::test]
async fn group_events_are_for_group_moderators() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let taro = member(&app, "taro", "read write").await;
    let group = kakehashi::domain::groups::create(
        &app.state,
        &hanako.user,
        kakehashi::domain::groups::NewGroup {
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
    let mut body = seminar();
    body["group_id"] = json!(group.id.to_string());
    post_json(&app, EVENTS, &taro.token, &body)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let status = create(&app, &hanako, body).await;
    let id = status["id"].as_str().expect("id");
    let document = app
        .get_with(
            &format!("/events/{id}"),
            &[("accept", "application/activity+json")],
        )
        .await
        .json();
    assert_eq!(document["attributedTo"], group.ap_id);
    assert_eq!(document["actor"], hanako.user.account.ap_id);
    // The group boosts it for its members.
    let status_id: i64 = id.parse().expect("number");
    let reblogs = app
        .state
        .db
        .run(move |conn| Ok(store::statuses::reblogs_of(conn, status_id)?))
        .await
        .expect("reblogs");
    assert_eq!(reblogs.len(), 1);
    // Mastodon's own edit endpoint does not edit events.
    send(
        &app,
        Method::PUT,
        &format!("/api/v1/statuses/{id}"),
        Some(&hanako.token),
        Some("application/json"),
        Body::from(json!({"status": "x"}).to_string()),
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_members_only_group_event_is_seen_by_members_who_do_not_follow_the_organiser() {
    use kakehashi::domain::follows::{self, FollowOptions};
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let jiro = member(&app, "jiro", "read write").await;
    let saburo = member(&app, "saburo", "read write").await;
    let group = kakehashi::domain::groups::create(
        &app.state,
        &hanako.user,
        kakehashi::domain::groups::NewGroup {
            slug: "dx".to_owned(),
            display_name: "DX研究会".to_owned(),
            note: String::new(),
            rules: String::new(),
            topics: Vec::new(),
            members_only: false,
            join_policy: "open".to_owned(),
        },
    )
    .await
    .expect("group");
    // jiro joins the group (a follow of it) but does not follow hanako.
    follows::follow(
        &app.state,
        jiro.user.account.id,
        group.id,
        FollowOptions::default(),
    )
    .await
    .expect("join");
    let mut body = seminar();
    body["group_id"] = json!(group.id.to_string());
    body["visibility"] = json!("private");
    let status = create(&app, &hanako, body).await;
    let id = status["id"].as_str().expect("id");
    let path = format!("/api/v1/statuses/{id}");

    let seen = get(&app, &path, &jiro.token).await;
    seen.assert_status(StatusCode::OK);
    assert_eq!(seen.json()["visibility"], "private");
    get(&app, &path, &saburo.token)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    app.get(&path).await.assert_status(StatusCode::NOT_FOUND);
}
