//! Accounts as entities: verify_credentials, update_credentials (note, images), accounts by id and
//! `acct`, preferences, and the start-up stubs.

use axum::http::{Method, StatusCode};
use chrono::Utc;
use serde_json::json;

use super::golden::assert_golden;
use super::{get, member, multipart, send};
use crate::support::TestApp;
use kakehashi::domain::accounts::Role;

#[tokio::test]
async fn verify_credentials_is_a_complete_credential_account() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let response = get(&app, "/api/v1/accounts/verify_credentials", &hanako.token).await;
    response.assert_status(StatusCode::OK);
    let me = response.json();
    assert_eq!(me["id"], hanako.user.account.id.to_string());
    assert_eq!(me["acct"], "hanako");
    assert_eq!(me["avatar"], "http://kakehashi.test/static/avatar.png");
    assert_eq!(me["header"], "http://kakehashi.test/static/header.png");
    let today = Utc::now().format("%Y-%m-%dT00:00:00.000Z").to_string();
    assert_eq!(me["created_at"], today);
    assert_eq!(me["role"]["id"], "-99");
    assert_golden("credential_account", &me);

    // The default images are served.
    let avatar = app.get("/static/avatar.png").await;
    avatar.assert_status(StatusCode::OK);
    assert_eq!(avatar.header("content-type"), Some("image/png"));
    app.get("/static/header.png")
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn update_credentials_renders_the_note_and_stores_images() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let note = "地域DXの<担当>です & 勉強会をしています。\n詳しくは https://city.example/dx を。\n\n二段落目";
    let avatar = super::media::png_bytes(640, 480);
    let (content_type, body) = multipart(
        &[("note", note), ("display_name", "山田花子")],
        &[
            ("avatar", "me.png", "image/png", &avatar),
            ("header", "h.png", "image/png", &avatar),
        ],
    );
    let response = send(
        &app,
        Method::PATCH,
        "/api/v1/accounts/update_credentials",
        Some(&hanako.token),
        Some(&content_type),
        body,
    )
    .await;
    response.assert_status(StatusCode::OK);
    let me = response.json();
    assert_eq!(
        me["note"],
        "<p>地域DXの&lt;担当&gt;です &amp; 勉強会をしています。<br />詳しくは <a href=\"https://city.example/dx\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">city.example/dx</a> を。</p><p>二段落目</p>"
    );
    assert_eq!(me["source"]["note"], note);
    let avatar_url = me["avatar"].as_str().expect("avatar");
    assert!(
        avatar_url.starts_with("http://kakehashi.test/media/avatars/"),
        "{avatar_url}"
    );
    assert_eq!(me["avatar_static"], me["avatar"]);
    let path = avatar_url.trim_start_matches("http://kakehashi.test");
    let file = app.get(path).await;
    file.assert_status(StatusCode::OK);
    let image = image::load_from_memory(&file.body).expect("an image");
    assert_eq!((image.width(), image.height()), (400, 400));
    let header = app
        .get(
            me["header"]
                .as_str()
                .expect("header")
                .trim_start_matches("http://kakehashi.test"),
        )
        .await;
    let image = image::load_from_memory(&header.body).expect("an image");
    assert_eq!((image.width(), image.height()), (1500, 500));

    // Replacing the avatar deletes the old file.
    let (content_type, body) = multipart(&[], &[("avatar", "me.png", "image/png", &avatar)]);
    let again = send(
        &app,
        Method::PATCH,
        "/api/v1/accounts/update_credentials",
        Some(&hanako.token),
        Some(&content_type),
        body,
    )
    .await;
    again.assert_status(StatusCode::OK);
    assert_ne!(again.json()["avatar"], me["avatar"]);
    app.get(path).await.assert_status(StatusCode::NOT_FOUND);

    // A garbage image changes nothing.
    let (content_type, body) = multipart(
        &[("display_name", "changed")],
        &[("avatar", "x.png", "image/png", b"garbage")],
    );
    let refused = send(
        &app,
        Method::PATCH,
        "/api/v1/accounts/update_credentials",
        Some(&hanako.token),
        Some(&content_type),
        body,
    )
    .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let me = get(&app, "/api/v1/accounts/verify_credentials", &hanako.token)
        .await
        .json();
    assert_eq!(me["display_name"], "山田花子");
}

#[tokio::test]
async fn accounts_by_id_and_acct_are_public() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read").await;
    let admin = app.create_user_with_role("chief", Role::Admin).await;
    let id = hanako.user.account.id;

    let response = app.get(&format!("/api/v1/accounts/{id}")).await;
    response.assert_status(StatusCode::OK);
    let account = response.json();
    assert!(account.get("source").is_none());
    assert_eq!(account["url"], "http://kakehashi.test/@hanako");
    assert_eq!(account["uri"], "http://kakehashi.test/users/hanako");
    assert_eq!(account["followers_count"], 0);
    assert_eq!(account["last_status_at"], json!(null));
    assert_golden("account", &account);

    let chief = app
        .get(&format!("/api/v1/accounts/{}", admin.account.id))
        .await
        .json();
    assert_eq!(
        chief["roles"],
        json!([{"id": "2", "name": "Admin", "color": ""}])
    );

    for acct in ["hanako", "@hanako", "HANAKO", "hanako@kakehashi.test"] {
        let found = app
            .get(&format!("/api/v1/accounts/lookup?acct={acct}"))
            .await;
        found.assert_status(StatusCode::OK);
        assert_eq!(found.json()["id"], id.to_string(), "{acct}");
    }
    for missing in [
        "/api/v1/accounts/lookup?acct=nobody",
        "/api/v1/accounts/lookup?acct=hanako@elsewhere.example",
        "/api/v1/accounts/123",
        "/api/v1/accounts/not-a-number",
    ] {
        let response = app.get(missing).await;
        response.assert_status(StatusCode::NOT_FOUND);
        assert_eq!(response.json()["error"], "Record not found");
    }
}

#[tokio::test]
async fn preferences_follow_the_source_settings() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let defaults = get(&app, "/api/v1/preferences", &hanako.token).await;
    defaults.assert_status(StatusCode::OK);
    assert_golden("preferences", &defaults.json());
    send(
        &app,
        Method::PATCH,
        "/api/v1/accounts/update_credentials",
        Some(&hanako.token),
        Some("application/x-www-form-urlencoded"),
        "source[privacy]=private&source[sensitive]=1&source[language]=en",
    )
    .await
    .assert_status(StatusCode::OK);
    let changed = get(&app, "/api/v1/preferences", &hanako.token).await.json();
    assert_eq!(changed["posting:default:visibility"], "private");
    assert_eq!(changed["posting:default:sensitive"], true);
    assert_eq!(changed["posting:default:language"], "en");
}

#[tokio::test]
async fn start_up_stubs_answer_empty_lists() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write follow push").await;
    for path in [
        "/api/v1/custom_emojis",
        "/api/v1/announcements",
        "/api/v1/trends",
        "/api/v1/trends/tags",
        "/api/v1/trends/statuses",
        "/api/v1/trends/links",
        "/api/v2/suggestions",
        "/api/v1/followed_tags",
    ] {
        let response = get(&app, path, &hanako.token).await;
        response.assert_status(StatusCode::OK);
        assert_eq!(response.json(), json!([]), "{path}");
    }
}
