//! The parameter extractor end to end: the same `update_credentials` call as Tusky (form with
//! bracket keys), masto.js (multipart with indexed keys), Ice Cubes (JSON) and query strings.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::{member, multipart, send};
use crate::support::TestApp;

#[tokio::test]
async fn bracket_keys_and_lenient_values_in_every_encoding() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let token = Some(hanako.token.as_str());

    // urlencoded with Rails brackets and "1"/"0" booleans (Mastodon.py, Tusky).
    let form = "display_name=%E5%B1%B1%E7%94%B0+%E8%8A%B1%E5%AD%90&locked=1&bot=0&source[privacy]=unlisted&source[sensitive]=true&source[language]=ja\
                &fields_attributes[0][name]=%E6%89%80%E5%B1%9E&fields_attributes[0][value]=%E6%B8%AF%E5%8C%BA&fields_attributes[1][name]=Web&fields_attributes[1][value]=https://city.example/";
    let response = send(
        &app,
        Method::PATCH,
        "/api/v1/accounts/update_credentials",
        token,
        Some("application/x-www-form-urlencoded"),
        form,
    )
    .await;
    response.assert_status(StatusCode::OK);
    let me = response.json();
    assert_eq!(me["display_name"], "山田 花子");
    assert_eq!(me["locked"], true);
    assert_eq!(me["bot"], false);
    assert_eq!(me["source"]["privacy"], "unlisted");
    assert_eq!(me["source"]["sensitive"], true);
    assert_eq!(me["source"]["language"], "ja");
    assert_eq!(
        me["source"]["fields"][0],
        json!({"name": "所属", "value": "港区", "verified_at": null})
    );
    assert_eq!(me["fields"][1]["name"], "Web");
    assert!(
        me["fields"][1]["value"]
            .as_str()
            .is_some_and(|v| v.contains("<a href=\"https://city.example/\""))
    );

    // multipart with indexed keys and "on"/"off" (masto.js's flattening).
    let (content_type, body) = multipart(
        &[
            ("locked", "off"),
            ("source[privacy]", "private"),
            ("fields_attributes[0][name]", "部署"),
            ("fields_attributes[0][value]", "DX推進課"),
        ],
        &[],
    );
    let response = send(
        &app,
        Method::PATCH,
        "/api/v1/accounts/update_credentials",
        token,
        Some(&content_type),
        body,
    )
    .await;
    response.assert_status(StatusCode::OK);
    let me = response.json();
    assert_eq!(me["locked"], false);
    assert_eq!(me["source"]["privacy"], "private");
    assert_eq!(me["fields"].as_array().map(Vec::len), Some(1));
    assert_eq!(me["display_name"], "山田 花子", "fields not sent are kept");

    // JSON with real types, fields_attributes as a list of objects.
    let body = json!({"discoverable": false, "source": {"privacy": "public", "sensitive": false},
                      "fields_attributes": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]});
    let response = send(
        &app,
        Method::PATCH,
        "/api/v1/accounts/update_credentials",
        token,
        Some("application/json"),
        body.to_string(),
    )
    .await;
    response.assert_status(StatusCode::OK);
    let me = response.json();
    assert_eq!(me["discoverable"], false);
    assert_eq!(me["source"]["privacy"], "public");
    assert_eq!(me["fields"].as_array().map(Vec::len), Some(2));

    // Parameters in the query string of a PATCH without a body.
    let response = send(
        &app,
        Method::PATCH,
        "/api/v1/accounts/update_credentials?bot=true&note=hello",
        token,
        None,
        "",
    )
    .await;
    response.assert_status(StatusCode::OK);
    assert_eq!(response.json()["bot"], true);
    assert_eq!(response.json()["note"], "<p>hello</p>");

    // Values that do not fit are a 422 in JSON; malformed bodies a 400.
    let bad = send(
        &app,
        Method::PATCH,
        "/api/v1/accounts/update_credentials",
        token,
        Some("application/x-www-form-urlencoded"),
        "locked=perhaps",
    )
    .await;
    bad.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.json()["error"]
            .as_str()
            .is_some_and(|e| e.contains("boolean"))
    );
    let malformed = send(
        &app,
        Method::PATCH,
        "/api/v1/accounts/update_credentials",
        token,
        Some("application/json"),
        "{\"locked\":",
    )
    .await;
    malformed.assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(malformed.header("content-type"), Some("application/json"));
    let too_many = json!({"fields_attributes": [{"name": "1"}, {"name": "2"}, {"name": "3"}, {"name": "4"}, {"name": "5"}]});
    send(
        &app,
        Method::PATCH,
        "/api/v1/accounts/update_credentials",
        token,
        Some("application/json"),
        too_many.to_string(),
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let bad_privacy = send(
        &app,
        Method::PATCH,
        "/api/v1/accounts/update_credentials",
        token,
        Some("application/x-www-form-urlencoded"),
        "source[privacy]=everyone",
    )
    .await;
    bad_privacy.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}
