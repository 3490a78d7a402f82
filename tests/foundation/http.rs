//! The HTTP skeleton: health, landing page, JSON errors, request ids, limits, trailing slashes.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::support::TestApp;

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::new().await;
    let health = app.get("/healthz").await;
    health.assert_status(StatusCode::OK);
    assert_eq!(health.json()["status"], "ok");
    let ready = app.get("/readyz").await;
    ready.assert_status(StatusCode::OK);
    assert_eq!(ready.json()["database"], "ok");
}

#[tokio::test]
async fn landing_page_shows_the_instance_in_both_languages() {
    let app = TestApp::with_config(|c| {
        c.instance.name.ja = "みなと市コミュニティ".to_owned();
        c.instance.name.en = "Minato City Community".to_owned();
        c.instance.description.ja = "職員どうしの学び合いの場".to_owned();
        c.instance.description.en = "Where staff learn from each other".to_owned();
        c.organisation.name.ja = "港区".to_owned();
        c.organisation.name.en = "Minato City".to_owned();
        c.organisation.local_government_code = Some("131032".to_owned());
        c.organisation.prefecture = Some("東京都".to_owned());
        c.instance.contact_email = "dx@city.minato.example".to_owned();
    })
    .await;
    app.create_user("hanako").await;

    let ja = app.get("/").await;
    ja.assert_status(StatusCode::OK);
    assert!(
        ja.header("content-type")
            .is_some_and(|v| v.starts_with("text/html"))
    );
    let html = ja.text();
    assert!(html.contains("<html lang=\"ja\">"));
    for expected in [
        "みなと市コミュニティ",
        "職員どうしの学び合いの場",
        "港区",
        "東京都",
        "131032",
        "dx@city.minato.example",
    ] {
        assert!(html.contains(expected), "missing {expected} in {html}");
    }
    assert!(html.contains("<dd class=\"members\">1</dd>"));

    let en = app.get("/?lang=en").await;
    let html = en.text();
    assert!(html.contains("<html lang=\"en\">"));
    for expected in [
        "Minato City Community",
        "Where staff learn from each other",
        "Minato City",
        "Tokyo",
    ] {
        assert!(html.contains(expected), "missing {expected} in {html}");
    }

    let negotiated = app
        .get_with("/", &[("accept-language", "en-GB,en;q=0.9")])
        .await;
    assert!(negotiated.text().contains("<html lang=\"en\">"));
}

#[tokio::test]
async fn unknown_routes_answer_json_404() {
    let app = TestApp::new().await;
    let response = app.get("/no/such/page").await;
    response.assert_status(StatusCode::NOT_FOUND);
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.json()["error"], "Record not found");
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_keeps_a_given_one() {
    let app = TestApp::new().await;
    let fresh = app.get("/healthz").await;
    let id = fresh.header("x-request-id").expect("request id");
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let kept = app
        .get_with("/healthz", &[("x-request-id", "proxy-given-42")])
        .await;
    assert_eq!(kept.header("x-request-id"), Some("proxy-given-42"));
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_json_413() {
    let app = TestApp::with_config(|c| c.server.body_limit_bytes = 4096).await;
    let body = "x".repeat(10_000);
    let response = app
        .request(
            Request::post("/setup/whatever")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("content-length", body.len().to_string())
                .body(Body::from(body))
                .expect("request"),
        )
        .await;
    response.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.json()["error"], "The request body is too large");

    // Without a Content-Length the limit still holds while the body streams in.
    let stream = futures::stream::iter(
        (0..20).map(|_| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![b'x'; 1000]))),
    );
    let response = app
        .request(
            Request::post("/setup/whatever")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from_stream(stream))
                .expect("request"),
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        response.text()
    );
}

#[tokio::test]
async fn trailing_slashes_reach_the_same_route() {
    let app = TestApp::new().await;
    app.get("/healthz/").await.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn extractor_errors_are_json() {
    let app = TestApp::new().await;
    let response = app
        .request(
            Request::post("/setup/whatever")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("username=only"))
                .expect("request"),
        )
        .await;
    assert!(response.status.is_client_error());
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert!(
        response.json()["error"]
            .as_str()
            .is_some_and(|e| e.contains("missing field"))
    );
}
