//! Conversations: direct threads with their participants, unread until read, removed until a
//! new message; and the `direct` stream's `conversation` events.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;

use super::golden::assert_golden;
use super::{get, ids, member, post_empty, post_status, send};
use crate::support::TestApp;

#[tokio::test]
async fn direct_threads_are_conversations() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let taro = member(&app, "taro", "read write").await;
    let jiro = member(&app, "jiro", "read write").await;
    let first = post_status(
        &app,
        &hanako.token,
        json!({"status": "@taro @jiro 打ち合わせの件", "visibility": "direct"}),
    )
    .await;
    let answer = post_status(
        &app,
        &taro.token,
        json!({"status": "@hanako 了解です", "visibility": "direct", "in_reply_to_id": first["id"]}),
    )
    .await;
    post_status(&app, &hanako.token, json!({"status": "公開の投稿"})).await;

    let listed = get(&app, "/api/v1/conversations", &hanako.token).await;
    listed.assert_status(StatusCode::OK);
    let listed = listed.json();
    assert_golden("conversation", &listed[0]);
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let conversation = &listed[0];
    assert_eq!(
        conversation["id"], first["id"],
        "named after the thread's first status"
    );
    assert_eq!(conversation["unread"], true);
    assert_eq!(conversation["last_status"]["id"], answer["id"]);
    let mut people: Vec<String> = conversation["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| a["username"].as_str().expect("name").to_owned())
        .collect();
    people.sort();
    assert_eq!(people, vec!["jiro", "taro"]);
    // jiro is in it too, and it is unread for him; taro wrote the last message.
    assert_eq!(
        ids(&get(&app, "/api/v1/conversations", &jiro.token).await.json()),
        vec![first["id"].as_str().expect("id")]
    );
    assert_eq!(
        get(&app, "/api/v1/conversations", &taro.token).await.json()[0]["unread"],
        false
    );

    let id = first["id"].as_str().expect("id");
    let read = post_empty(
        &app,
        &format!("/api/v1/conversations/{id}/read"),
        &hanako.token,
    )
    .await;
    read.assert_status(StatusCode::OK);
    assert_eq!(read.json()["unread"], false);
    send(
        &app,
        Method::DELETE,
        &format!("/api/v1/conversations/{id}"),
        Some(&hanako.token),
        None,
        Body::empty(),
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(
        get(&app, "/api/v1/conversations", &hanako.token)
            .await
            .json(),
        json!([])
    );
    // A new message brings it back, unread.
    post_status(
        &app,
        &jiro.token,
        json!({"status": "@hanako 私も出ます", "visibility": "direct", "in_reply_to_id": first["id"]}),
    )
    .await;
    let back = get(&app, "/api/v1/conversations", &hanako.token)
        .await
        .json();
    assert_eq!(ids(&back), vec![id]);
    assert_eq!(back[0]["unread"], true);
    post_empty(&app, "/api/v1/conversations/12345/read", &hanako.token)
        .await
        .assert_status(StatusCode::NOT_FOUND);
}
