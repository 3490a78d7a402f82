//! The directory: Japanese free text, prefecture, online or in person, date range, tag,
//! organiser, only public upcoming events, by start time; the API and the page.

use axum::http::StatusCode;
use serde_json::Value;

use super::event;
use crate::support::TestApp;
use crate::web::groups::{csrf_of, get, post, sign_in};

fn ids(body: &Value) -> Vec<String> {
    body.as_array()
        .expect("a list")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_owned())
        .collect()
}

async fn directory(app: &TestApp, query: &str) -> Vec<String> {
    let response = app
        .get(&format!("/api/v1/kakehashi/events/directory?{query}"))
        .await;
    response.assert_status(StatusCode::OK);
    ids(&response.json())
}

fn q(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn filters_find_the_right_upcoming_public_events_in_start_order() {
    let app = TestApp::new().await;
    let hanako = app.create_user("hanako").await.account;
    let jiro = app.create_user("jiro").await.account;
    let state = &app.state;
    let drill = event(state, hanako.id, "防災訓練セミナー", 3, |d| {
        d.prefecture = Some("13".to_owned());
        d.place_name = Some("千代田区役所 大会議室".to_owned());
        d.category = Some("LEARNING".to_owned());
        d.tags = vec!["防災".to_owned()];
    })
    .await;
    let online = event(state, jiro.id, "オンラインDX勉強会", 10, |d| {
        d.online_url = Some("https://meet.example/dx".to_owned());
        d.category = Some("MEETING".to_owned());
        d.tags = vec!["DX".to_owned()];
    })
    .await;
    let map = event(
        state,
        hanako.id,
        "防災マップ作りワークショップ",
        40,
        |d| {
            d.prefecture = Some("大阪府".to_owned());
            d.place_name = Some("大阪市中央公会堂".to_owned());
        },
    )
    .await;
    // Not listed: ended, unlisted.
    event(state, hanako.id, "防災 昨年の振り返り", -10, |_| {}).await;
    event(state, hanako.id, "防災 関係者のみ", 5, |d| {
        d.visibility = Some("unlisted".to_owned());
    })
    .await;
    let (drill, online, map) = (
        drill.id.to_string(),
        online.id.to_string(),
        map.id.to_string(),
    );

    assert_eq!(
        directory(&app, "").await,
        vec![drill.clone(), online.clone(), map.clone()]
    );
    assert_eq!(
        directory(&app, &format!("q={}", q("防災"))).await,
        vec![drill.clone(), map.clone()]
    );
    assert_eq!(
        directory(&app, &format!("q={}", q("防災訓練"))).await,
        vec![drill.clone()]
    );
    // Its bigrams are all there, but not the word.
    assert!(
        directory(&app, &format!("q={}", q("訓練防災")))
            .await
            .is_empty()
    );
    // Full-width and case folded; two words both required.
    assert_eq!(
        directory(&app, &format!("q={}", q("ＤＸ 勉強"))).await,
        vec![online.clone()]
    );
    assert_eq!(
        directory(&app, &format!("prefecture={}", q("東京都"))).await,
        vec![drill.clone()]
    );
    assert_eq!(directory(&app, "prefecture=27").await, vec![map.clone()]);
    assert_eq!(directory(&app, "online=online").await, vec![online.clone()]);
    assert_eq!(
        directory(&app, "online=offline").await,
        vec![drill.clone(), map.clone()]
    );
    let to = (chrono::Utc::now() + chrono::Duration::days(20))
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        directory(&app, &format!("to={to}")).await,
        vec![drill.clone(), online.clone()]
    );
    let from = (chrono::Utc::now() + chrono::Duration::days(20))
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        directory(&app, &format!("from={from}")).await,
        vec![map.clone()]
    );
    assert_eq!(directory(&app, "tag=dx").await, vec![online.clone()]);
    assert_eq!(
        directory(&app, "category=learning").await,
        vec![drill.clone()]
    );
    assert_eq!(
        directory(&app, "organiser=jiro").await,
        vec![online.clone()]
    );
    assert!(directory(&app, "organiser=nobody").await.is_empty());
    assert_eq!(
        directory(&app, &format!("q={}&prefecture=13&to={to}", q("防災"))).await,
        vec![drill.clone()]
    );
    assert_eq!(
        directory(&app, "limit=1&offset=1").await,
        vec![online.clone()]
    );

    // Event statuses carry the event.
    let listed = app
        .get(&format!(
            "/api/v1/kakehashi/events/directory?q={}",
            q("防災訓練")
        ))
        .await
        .json();
    assert!(
        listed[0]["content"]
            .as_str()
            .expect("content")
            .contains("防災訓練セミナー")
    );

    app.get("/api/v1/kakehashi/events/directory?prefecture=Atlantis")
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    app.get("/api/v1/kakehashi/events/directory?from=yesterday")
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);

    // The page, in both languages.
    let page = app.get(&format!("/events?q={}&lang=ja", q("防災"))).await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(html.contains("防災訓練セミナー") && html.contains("防災マップ作りワークショップ"));
    assert!(!html.contains("オンラインDX勉強会") && !html.contains("関係者のみ"));
    assert!(html.contains("イベントを探す"));
    let english = app.get("/events?online=online&lang=en").await.text();
    assert!(english.contains("Find events") && english.contains("オンラインDX勉強会"));
    assert!(!english.contains("防災訓練セミナー"));
}

#[tokio::test]
async fn the_event_page_shows_time_place_calendar_links_and_participants_to_the_organiser() {
    let app = TestApp::new().await;
    let hanako = app.create_user("hanako").await;
    let taro = app.create_user("taro").await;
    let seminar = event(
        &app.state,
        hanako.account.id,
        "防災訓練セミナー",
        3,
        |d| {
            d.place_name = Some("千代田区役所".to_owned());
            d.online_url = Some("https://meet.example/bousai".to_owned());
            d.prefecture = Some("13".to_owned());
        },
    )
    .await;
    kakehashi::domain::events::rsvp::join(&app.state, taro.account.id, seminar.id, String::new())
        .await
        .expect("join");

    let page = app.get(&format!("/events/{}?lang=ja", seminar.id)).await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(html.contains("防災訓練セミナー"));
    assert!(html.contains("19:00–21:00 (Asia/Tokyo)"), "{html}");
    assert!(html.contains("千代田区役所") && html.contains("東京都"));
    assert!(html.contains("https://meet.example/bousai"));
    assert!(html.contains(&format!("/events/{}.ics", seminar.id)));
    assert!(html.contains(&format!(
        "webcal://kakehashi.test/events/{}.ics",
        seminar.id
    )));
    // Anonymous visitors see no participant list, and are asked to sign in.
    assert!(!html.contains("class=\"participant\""));
    assert!(html.contains("/auth/sign_in?next=/events/"));

    // The same URL gives ActivityPub clients the Event.
    let json = app
        .get_with(
            &format!("/events/{}", seminar.id),
            &[("accept", "application/activity+json")],
        )
        .await;
    json.assert_status(StatusCode::OK);
    let object = json.json();
    assert_eq!(object["type"], "Event");
    assert_eq!(object["id"], seminar.ap_id);

    app.get("/events/999999")
        .await
        .assert_status(StatusCode::NOT_FOUND);

    // A signed-in member joins through the page.
    app.create_user("jiro").await;
    let jiro = sign_in(&app, "jiro").await;
    let path = format!("/events/{}", seminar.id);
    let before = get(&app, &path, &jiro).await.text();
    assert!(before.contains(&format!("action=\"/events/{}/join\"", seminar.id)));
    let joined = post(
        &app,
        &format!("{path}/join"),
        &jiro,
        &[("csrf", &csrf_of(&before))],
    )
    .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.text());
    let after = get(&app, &path, &jiro).await.text();
    assert!(after.contains("参加登録済みです。"), "{after}");
    assert!(!after.contains("class=\"participant\""));

    // The organiser sees who takes part.
    let organiser = sign_in(&app, "hanako").await;
    let theirs = get(&app, &path, &organiser).await.text();
    assert!(theirs.contains("class=\"participant\""));
    assert!(theirs.contains("@taro@kakehashi.test") && theirs.contains("@jiro@kakehashi.test"));

    // Leaving again.
    let left = post(
        &app,
        &format!("{path}/leave"),
        &jiro,
        &[("csrf", &csrf_of(&after))],
    )
    .await;
    assert_eq!(left.status, StatusCode::SEE_OTHER, "{}", left.text());
    assert!(
        get(&app, &path, &jiro)
            .await
            .text()
            .contains(&format!("{path}/join"))
    );
}
