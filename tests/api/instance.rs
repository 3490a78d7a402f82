//! The instance endpoints: both shapes, languages, statistics, contact account and the extras.

use axum::http::StatusCode;
use serde_json::json;

use super::golden::assert_golden;
use crate::support::TestApp;
use kakehashi::config::RegistrationMode;
use kakehashi::domain::accounts::Role;

async fn app() -> TestApp {
    let app = TestApp::with_config(|c| {
        c.instance.name.ja = "みなと市コミュニティ".to_owned();
        c.instance.name.en = "Minato City Community".to_owned();
        c.instance.description.ja = "職員どうしの学び合いの場".to_owned();
        c.instance.description.en = "Where staff learn from each other".to_owned();
        c.instance.contact_email = "dx@city.minato.example".to_owned();
        c.instance.registration = RegistrationMode::Approval;
    })
    .await;
    app.create_user_with_role("chief", Role::Admin).await;
    app.create_user("hanako").await;
    app
}

#[tokio::test]
async fn v2_is_public_and_complete() {
    let app = app().await;
    let response = app.get("/api/v2/instance").await;
    response.assert_status(StatusCode::OK);
    let instance = response.json();
    assert_eq!(instance["title"], "みなと市コミュニティ");
    assert_eq!(
        instance["version"],
        format!(
            "4.2.0 (compatible; Kakehashi {})",
            env!("CARGO_PKG_VERSION")
        )
    );
    assert_eq!(
        instance["configuration"]["urls"]["streaming"],
        "ws://kakehashi.test"
    );
    assert_eq!(
        instance["configuration"]["statuses"]["max_characters"],
        5000
    );
    assert_eq!(
        instance["registrations"],
        json!({"enabled": true, "approval_required": true, "message": null, "url": null})
    );
    assert_eq!(instance["contact"]["account"]["username"], "chief");
    assert_eq!(instance["usage"]["users"]["active_month"], 2);
    assert!(
        instance.get("api_versions").is_none(),
        "no api_versions until grouped notifications"
    );
    let features = instance["pleroma"]["metadata"]["features"]
        .as_array()
        .expect("features");
    assert!(
        features.contains(&json!("events")),
        "the events API is served"
    );
    assert_eq!(
        instance["pleroma"]["metadata"]["federation"]["enabled"],
        true
    );
    assert_golden("instance_v2", &instance);

    let thumbnail = instance["thumbnail"]["url"].as_str().expect("thumbnail");
    let image = app
        .get(thumbnail.trim_start_matches("http://kakehashi.test"))
        .await;
    image.assert_status(StatusCode::OK);
    assert_eq!(image.header("content-type"), Some("image/png"));

    let english = app
        .get_with("/api/v2/instance", &[("accept-language", "en-US,en;q=0.8")])
        .await
        .json();
    assert_eq!(english["title"], "Minato City Community");
    assert_eq!(english["description"], "Where staff learn from each other");
    assert_eq!(english["kakehashi"]["title"]["ja"], "みなと市コミュニティ");
    // Mastodon.py asks with a trailing slash.
    app.get("/api/v2/instance/")
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn v1_is_public_and_complete() {
    let app = app().await;
    let response = app.get("/api/v1/instance/").await;
    response.assert_status(StatusCode::OK);
    let instance = response.json();
    assert_eq!(instance["uri"], "kakehashi.test");
    assert_eq!(instance["urls"]["streaming_api"], "ws://kakehashi.test");
    assert_eq!(
        instance["stats"],
        json!({"user_count": 2, "status_count": 0, "domain_count": 0})
    );
    assert_eq!(instance["registrations"], true);
    assert_eq!(instance["approval_required"], true);
    assert_eq!(instance["email"], "dx@city.minato.example");
    assert_golden("instance_v1", &instance);
    let version = instance["version"].as_str().expect("version");
    // Mastodon.py cuts at the first space and splits on dots.
    let parts: Vec<&str> = version
        .split(' ')
        .next()
        .expect("version")
        .split('.')
        .collect();
    assert_eq!(parts, vec!["4", "2", "0"]);
}

#[tokio::test]
async fn the_extras() {
    let app = app().await;
    assert_eq!(app.get("/api/v1/instance/rules").await.json(), json!([]));
    assert_eq!(app.get("/api/v1/instance/peers").await.json(), json!([]));
    assert_eq!(app.get("/api/v1/instance/activity").await.json(), json!([]));
    let extended = app
        .get("/api/v1/instance/extended_description?lang=en")
        .await
        .json();
    assert_eq!(
        extended["content"],
        "<p>Where staff learn from each other</p>"
    );
    assert!(
        extended["updated_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
}
