//! Scope enforcement: 401 without or with a bad token, 403 outside the granted scopes, and
//! Mastodon's rules for broad, granular, `follow` and `profile` scopes.

use axum::body::Body;
use axum::http::{Method, StatusCode};

use super::{get, member, send, token_for};
use crate::support::TestApp;

#[tokio::test]
async fn missing_and_bad_tokens_are_401() {
    let app = TestApp::new().await;
    let none = app.get("/api/v1/accounts/verify_credentials").await;
    none.assert_status(StatusCode::UNAUTHORIZED);
    assert_eq!(none.json()["error"], "The access token is invalid");
    assert_eq!(none.header("content-type"), Some("application/json"));
    let bad = get(&app, "/api/v1/accounts/verify_credentials", "not-a-token").await;
    bad.assert_status(StatusCode::UNAUTHORIZED);
    assert_eq!(bad.json()["error"], "The access token is invalid");
    // A bad token on a public endpoint is still refused, so clients notice a revoked login.
    get(&app, "/api/v1/custom_emojis", "not-a-token")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    app.get("/api/v1/custom_emojis")
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn scopes_are_enforced_with_mastodons_rules() {
    let app = TestApp::new().await;
    let writer = member(&app, "writer", "write").await;
    let denied = get(&app, "/api/v1/accounts/verify_credentials", &writer.token).await;
    denied.assert_status(StatusCode::FORBIDDEN);
    assert_eq!(
        denied.json()["error"],
        "This action is outside the authorized scopes"
    );

    let id = writer.user.account.id;
    for (scopes, path, expected) in [
        (
            "read",
            "/api/v1/accounts/verify_credentials",
            StatusCode::OK,
        ),
        (
            "read:accounts",
            "/api/v1/accounts/verify_credentials",
            StatusCode::OK,
        ),
        (
            "profile",
            "/api/v1/accounts/verify_credentials",
            StatusCode::OK,
        ),
        ("profile", "/api/v1/preferences", StatusCode::FORBIDDEN),
        (
            "read:statuses",
            "/api/v1/preferences",
            StatusCode::FORBIDDEN,
        ),
        ("read:accounts", "/api/v1/preferences", StatusCode::OK),
        ("follow", "/api/v1/followed_tags", StatusCode::OK),
        ("read:follows", "/api/v1/followed_tags", StatusCode::OK),
        (
            "read:accounts",
            "/api/v1/followed_tags",
            StatusCode::FORBIDDEN,
        ),
        ("read", "/api/v1/announcements", StatusCode::OK),
        (
            "read:accounts",
            "/api/v1/announcements",
            StatusCode::FORBIDDEN,
        ),
        ("read", "/api/v2/suggestions", StatusCode::OK),
    ] {
        let token = token_for(&app, Some(id), scopes).await;
        let response = get(&app, path, &token).await;
        assert_eq!(
            response.status,
            expected,
            "{scopes} on {path}: {}",
            response.text()
        );
    }

    // write covers write:media, read does not.
    let reader = token_for(&app, Some(id), "read").await;
    let upload = send(
        &app,
        Method::POST,
        "/api/v2/media",
        Some(&reader),
        None,
        Body::empty(),
    )
    .await;
    upload.assert_status(StatusCode::FORBIDDEN);
    let media = token_for(&app, Some(id), "write:media").await;
    let upload = send(
        &app,
        Method::POST,
        "/api/v2/media",
        Some(&media),
        None,
        Body::empty(),
    )
    .await;
    upload.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}
