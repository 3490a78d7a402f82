//! Notifications: the entity, type filters, one by id, dismiss and clear.

use axum::http::StatusCode;
use serde_json::json;

use super::golden::assert_golden;
use super::{get, ids, links, member, post_empty, post_status};
use crate::support::TestApp;

#[tokio::test]
async fn notifications_list_filter_dismiss_and_clear() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write follow").await;
    let taro = member(&app, "taro", "read write follow").await;
    let (h, t) = (hanako.user.account.id, taro.user.account.id);
    let status = post_status(&app, &hanako.token, json!({"status": "お知らせ"})).await;
    post_empty(&app, &format!("/api/v1/accounts/{h}/follow"), &taro.token)
        .await
        .assert_status(StatusCode::OK);
    post_empty(
        &app,
        &format!(
            "/api/v1/statuses/{}/favourite",
            status["id"].as_str().expect("id")
        ),
        &taro.token,
    )
    .await
    .assert_status(StatusCode::OK);
    post_status(&app, &taro.token, json!({"status": "@hanako こんにちは"})).await;

    let all = get(&app, "/api/v1/notifications", &hanako.token).await;
    all.assert_status(StatusCode::OK);
    let list = all.json();
    let kinds: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .map(|n| n["type"].as_str().expect("type"))
        .collect();
    assert_eq!(kinds, vec!["mention", "favourite", "follow"]);
    assert_golden("notification_mention", &list[0]);
    assert_eq!(list[1]["status"]["id"], status["id"]);
    assert_eq!(list[2]["status"], serde_json::Value::Null);
    assert!(links(&all).contains_key("next"));

    let mentions = get(&app, "/api/v1/notifications?types[]=mention", &hanako.token)
        .await
        .json();
    assert_eq!(mentions.as_array().map(Vec::len), Some(1));
    let not_follows = get(
        &app,
        "/api/v1/notifications?exclude_types[]=follow&exclude_types[]=mention",
        &hanako.token,
    )
    .await
    .json();
    assert_eq!(not_follows[0]["type"], "favourite");
    assert_eq!(not_follows.as_array().map(Vec::len), Some(1));
    let from_taro = get(
        &app,
        &format!("/api/v1/notifications?account_id={t}"),
        &hanako.token,
    )
    .await
    .json();
    assert_eq!(from_taro.as_array().map(Vec::len), Some(3));

    let first = list[0]["id"].as_str().expect("id");
    let one = get(
        &app,
        &format!("/api/v1/notifications/{first}"),
        &hanako.token,
    )
    .await;
    one.assert_status(StatusCode::OK);
    assert_eq!(one.json()["id"], first);
    get(&app, &format!("/api/v1/notifications/{first}"), &taro.token)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let dismissed = post_empty(
        &app,
        &format!("/api/v1/notifications/{first}/dismiss"),
        &hanako.token,
    )
    .await;
    dismissed.assert_status(StatusCode::OK);
    assert_eq!(dismissed.json(), json!({}));
    let left = get(&app, "/api/v1/notifications", &hanako.token)
        .await
        .json();
    assert_eq!(ids(&left).len(), 2);
    post_empty(&app, "/api/v1/notifications/clear", &hanako.token)
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(
        get(&app, "/api/v1/notifications", &hanako.token)
            .await
            .json(),
        json!([])
    );
    let statuses_only = super::token_for(&app, Some(h), "read:statuses").await;
    get(&app, "/api/v1/notifications", &statuses_only)
        .await
        .assert_status(StatusCode::FORBIDDEN);
}
