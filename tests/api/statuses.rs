//! Statuses: the entity (plain, reply with mention, tag and media, boost), posting rules,
//! idempotency, visibility, edits, deletion and the actions.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::golden::assert_golden;
use super::{
    get, ids, links, member, multipart, post_empty, post_json, post_status, send, send_form,
};
use crate::support::TestApp;

/// Uploads a small image and returns its id.
pub async fn upload(app: &TestApp, token: &str) -> String {
    let png = super::media::png_bytes(32, 16);
    let (content_type, body) = multipart(
        &[("description", "訓練の様子")],
        &[("file", "a.png", "image/png", &png)],
    );
    let response = send(
        app,
        Method::POST,
        "/api/v1/media",
        Some(token),
        Some(&content_type),
        body,
    )
    .await;
    response.assert_status(StatusCode::OK);
    response.json()["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn statuses_render_every_field_mastodon_sends() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write follow").await;
    let taro = member(&app, "taro", "read write follow").await;

    let plain = post_status(
        &app,
        &hanako.token,
        json!({"status": "防災訓練のお知らせです", "language": "ja"}),
    )
    .await;
    assert_golden("status_plain", &plain);
    let plain_id = plain["id"].as_str().expect("id");

    let media = upload(&app, &taro.token).await;
    let reply = post_status(
        &app,
        &taro.token,
        json!({
            "status": "@hanako 参加します #防災訓練",
            "in_reply_to_id": plain_id,
            "media_ids": [media],
            "spoiler_text": "写真あり",
            "visibility": "unlisted",
        }),
    )
    .await;
    assert_golden("status_reply", &reply);
    assert_eq!(reply["mentions"][0]["acct"], "hanako");
    assert_eq!(reply["tags"][0]["name"], "防災訓練");
    assert_eq!(reply["media_attachments"][0]["id"], media.as_str());
    assert_eq!(
        reply["sensitive"], true,
        "a content warning marks it sensitive"
    );

    let boost = post_empty(
        &app,
        &format!("/api/v1/statuses/{plain_id}/reblog"),
        &taro.token,
    )
    .await;
    boost.assert_status(StatusCode::OK);
    let boost = boost.json();
    assert_golden("status_boost", &boost);
    assert_eq!(boost["reblog"]["id"], plain_id);
    assert_eq!(boost["reblog"]["reblogged"], true);
    assert_eq!(boost["reblog"]["reblogs_count"], 1);
    assert_eq!(boost["reblog"]["replies_count"], 1);

    // Anonymous readers get no viewer fields, nor the posting application.
    let anonymous = app.get(&format!("/api/v1/statuses/{plain_id}")).await;
    anonymous.assert_status(StatusCode::OK);
    let anonymous = anonymous.json();
    for key in [
        "favourited",
        "reblogged",
        "bookmarked",
        "pinned",
        "muted",
        "filtered",
    ] {
        assert!(anonymous.get(key).is_none(), "{key} shown anonymously");
    }
    assert_eq!(anonymous["application"], Value::Null);
    assert_eq!(plain["application"]["name"], "Test client");
}

#[tokio::test]
async fn posting_checks_text_media_and_defaults() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let taro = member(&app, "taro", "read write").await;

    let empty = post_json(
        &app,
        "/api/v1/statuses",
        &hanako.token,
        &json!({"status": " "}),
    )
    .await;
    empty.assert_status(StatusCode::UNPROCESSABLE_ENTITY);

    // Media alone is a post; someone else's upload is not usable; at most four.
    let mine = upload(&app, &hanako.token).await;
    let only_media = post_status(&app, &hanako.token, json!({"media_ids": [mine]})).await;
    assert_eq!(only_media["content"], "");
    assert_eq!(
        only_media["media_attachments"].as_array().map(Vec::len),
        Some(1)
    );
    let again = post_json(
        &app,
        "/api/v1/statuses",
        &hanako.token,
        &json!({"status": "再利用", "media_ids": [mine]}),
    )
    .await;
    again.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let theirs = upload(&app, &taro.token).await;
    let stolen = post_json(
        &app,
        "/api/v1/statuses",
        &hanako.token,
        &json!({"status": "x", "media_ids": [theirs]}),
    )
    .await;
    stolen.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let mut five = Vec::new();
    for _ in 0..5 {
        five.push(upload(&app, &hanako.token).await);
    }
    let too_many = post_json(
        &app,
        "/api/v1/statuses",
        &hanako.token,
        &json!({"status": "x", "media_ids": five}),
    )
    .await;
    too_many.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let four = send_form(
        &app,
        Method::POST,
        "/api/v1/statuses",
        &hanako.token,
        &[
            ("status", "四枚"),
            ("media_ids[]", &five[0]),
            ("media_ids[]", &five[1]),
            ("media_ids[]", &five[2]),
            ("media_ids[]", &five[3]),
        ],
    )
    .await;
    four.assert_status(StatusCode::OK);
    assert_eq!(
        four.json()["media_attachments"].as_array().map(Vec::len),
        Some(4)
    );

    // The member's default visibility and sensitivity apply when the client sends none.
    send_form(
        &app,
        Method::PATCH,
        "/api/v1/accounts/update_credentials",
        &hanako.token,
        &[("source[privacy]", "unlisted"), ("source[sensitive]", "1")],
    )
    .await
    .assert_status(StatusCode::OK);
    let defaulted = post_status(&app, &hanako.token, json!({"status": "既定"})).await;
    assert_eq!(defaulted["visibility"], "unlisted");
    assert_eq!(defaulted["sensitive"], true);
    let chosen = post_status(
        &app,
        &hanako.token,
        json!({"status": "指定", "visibility": "private", "sensitive": false}),
    )
    .await;
    assert_eq!(chosen["visibility"], "private");
    assert_eq!(chosen["sensitive"], false);

    let bad = post_json(
        &app,
        "/api/v1/statuses",
        &hanako.token,
        &json!({"status": "x", "visibility": "community"}),
    )
    .await;
    bad.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let poll = post_json(
        &app,
        "/api/v1/statuses",
        &hanako.token,
        &json!({"status": "x", "poll": {"options": ["a", "b"], "expires_in": 300}}),
    )
    .await;
    poll.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let null_poll = post_json(
        &app,
        "/api/v1/statuses",
        &hanako.token,
        &json!({"status": "x", "poll": null}),
    )
    .await;
    null_poll.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn an_idempotency_key_answers_the_first_status_again() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let taro = member(&app, "taro", "read write").await;
    let send_keyed = |token: String, key: &'static str, text: &'static str| {
        let app = &app;
        async move {
            let request = axum::http::Request::post("/api/v1/statuses")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("idempotency-key", key)
                .body(Body::from(format!("status={text}")))
                .expect("request");
            let response = app.request(request).await;
            response.assert_status(StatusCode::OK);
            response.json()["id"].as_str().expect("id").to_owned()
        }
    };
    let first = send_keyed(hanako.token.clone(), "abc-1", "one").await;
    let retried = send_keyed(hanako.token.clone(), "abc-1", "one").await;
    assert_eq!(first, retried, "the same key posts once");
    let other = send_keyed(hanako.token.clone(), "abc-2", "one").await;
    assert_ne!(first, other);
    let someone_else = send_keyed(taro.token.clone(), "abc-1", "one").await;
    assert_ne!(first, someone_else, "keys are per member");
    let statuses = get(
        &app,
        &format!("/api/v1/accounts/{}/statuses", hanako.user.account.id),
        &hanako.token,
    )
    .await
    .json();
    assert_eq!(ids(&statuses).len(), 2);
}

#[tokio::test]
async fn private_and_direct_statuses_are_404_to_others() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write follow").await;
    let taro = member(&app, "taro", "read write follow").await;
    let jiro = member(&app, "jiro", "read write follow").await;
    let private = post_status(
        &app,
        &hanako.token,
        json!({"status": "フォロワー限定", "visibility": "private"}),
    )
    .await;
    let direct = post_status(
        &app,
        &hanako.token,
        json!({"status": "@taro 内緒です", "visibility": "direct"}),
    )
    .await;
    let private_id = private["id"].as_str().expect("id");
    let direct_id = direct["id"].as_str().expect("id");

    for path in [
        format!("/api/v1/statuses/{private_id}"),
        format!("/api/v1/statuses/{private_id}/context"),
        format!("/api/v1/statuses/{private_id}/favourited_by"),
        format!("/api/v1/statuses/{direct_id}"),
    ] {
        app.get(&path).await.assert_status(StatusCode::NOT_FOUND);
        get(&app, &path, &jiro.token)
            .await
            .assert_status(StatusCode::NOT_FOUND);
    }
    post_empty(
        &app,
        &format!("/api/v1/statuses/{private_id}/favourite"),
        &jiro.token,
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
    get(&app, &format!("/api/v1/statuses/{direct_id}"), &taro.token)
        .await
        .assert_status(StatusCode::OK);
    get(&app, &format!("/api/v1/statuses/{private_id}"), &taro.token)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    // Following makes the private one visible.
    post_empty(
        &app,
        &format!("/api/v1/accounts/{}/follow", hanako.user.account.id),
        &taro.token,
    )
    .await
    .assert_status(StatusCode::OK);
    get(&app, &format!("/api/v1/statuses/{private_id}"), &taro.token)
        .await
        .assert_status(StatusCode::OK);
    // Not boostable by others.
    post_empty(
        &app,
        &format!("/api/v1/statuses/{private_id}/reblog"),
        &taro.token,
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn edits_keep_history_and_deletion_answers_the_source() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let taro = member(&app, "taro", "read write").await;
    let media = upload(&app, &hanako.token).await;
    let status = post_status(
        &app,
        &hanako.token,
        json!({"status": "初版です", "media_ids": [media]}),
    )
    .await;
    let id = status["id"].as_str().expect("id");
    assert_eq!(status["edited_at"], Value::Null);

    let edited = send(
        &app,
        Method::PUT,
        &format!("/api/v1/statuses/{id}"),
        Some(&hanako.token),
        Some("application/json"),
        json!({"status": "第二版です", "spoiler_text": "訂正", "media_ids": [media]}).to_string(),
    )
    .await;
    edited.assert_status(StatusCode::OK);
    let edited = edited.json();
    assert!(edited["edited_at"].is_string());
    assert!(
        edited["content"]
            .as_str()
            .expect("content")
            .contains("第二版")
    );
    // Others cannot edit; changing the attachments is refused.
    send(
        &app,
        Method::PUT,
        &format!("/api/v1/statuses/{id}"),
        Some(&taro.token),
        Some("application/json"),
        json!({"status": "乗っ取り"}).to_string(),
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
    send(
        &app,
        Method::PUT,
        &format!("/api/v1/statuses/{id}"),
        Some(&hanako.token),
        Some("application/json"),
        json!({"status": "x", "media_ids": []}).to_string(),
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY);

    let history = get(&app, &format!("/api/v1/statuses/{id}/history"), &taro.token).await;
    history.assert_status(StatusCode::OK);
    let history = history.json();
    assert_golden("status_history", &history);
    assert_eq!(history.as_array().map(Vec::len), Some(2));

    let source = get(
        &app,
        &format!("/api/v1/statuses/{id}/source"),
        &hanako.token,
    )
    .await;
    source.assert_status(StatusCode::OK);
    assert_eq!(
        source.json(),
        json!({"id": id, "text": "第二版です", "spoiler_text": "訂正"})
    );

    send(
        &app,
        Method::DELETE,
        &format!("/api/v1/statuses/{id}"),
        Some(&taro.token),
        None,
        Body::empty(),
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
    let deleted = send(
        &app,
        Method::DELETE,
        &format!("/api/v1/statuses/{id}"),
        Some(&hanako.token),
        None,
        Body::empty(),
    )
    .await;
    deleted.assert_status(StatusCode::OK);
    let deleted = deleted.json();
    assert_eq!(deleted["text"], "第二版です");
    assert_eq!(deleted["spoiler_text"], "訂正");
    assert_eq!(deleted["media_attachments"][0]["id"], media.as_str());
    get(&app, &format!("/api/v1/statuses/{id}"), &hanako.token)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    // Delete and redraft: the attachment is free again.
    let redraft = post_status(
        &app,
        &hanako.token,
        json!({"status": deleted["text"], "media_ids": [media]}),
    )
    .await;
    assert_eq!(redraft["media_attachments"][0]["id"], media.as_str());
}

#[tokio::test]
async fn threads_answer_ancestors_and_descendants() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let taro = member(&app, "taro", "read write").await;
    let root = post_status(&app, &hanako.token, json!({"status": "はじめ"})).await;
    let middle = post_status(
        &app,
        &taro.token,
        json!({"status": "なか", "in_reply_to_id": root["id"]}),
    )
    .await;
    let leaf = post_status(
        &app,
        &hanako.token,
        json!({"status": "おわり", "in_reply_to_id": middle["id"]}),
    )
    .await;
    let context = app
        .get(&format!(
            "/api/v1/statuses/{}/context",
            middle["id"].as_str().expect("id")
        ))
        .await;
    context.assert_status(StatusCode::OK);
    let context = context.json();
    assert_golden("context", &context);
    assert_eq!(
        ids(&context["ancestors"]),
        vec![root["id"].as_str().expect("id")]
    );
    assert_eq!(
        ids(&context["descendants"]),
        vec![leaf["id"].as_str().expect("id")]
    );
    assert_eq!(
        middle["in_reply_to_account_id"],
        hanako.user.account.id.to_string()
    );
}

#[tokio::test]
async fn actions_answer_the_updated_status() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let taro = member(&app, "taro", "read write").await;
    let reader = member(&app, "reader", "read").await;
    let status = post_status(&app, &hanako.token, json!({"status": "反応してください"})).await;
    let id = status["id"].as_str().expect("id");
    let act = |token: String, action: &'static str| {
        let app = &app;
        let path = format!("/api/v1/statuses/{id}/{action}");
        async move {
            let response = post_empty(app, &path, &token).await;
            response.assert_status(StatusCode::OK);
            response.json()
        }
    };

    let favourited = act(taro.token.clone(), "favourite").await;
    assert_eq!(favourited["favourited"], true);
    assert_eq!(favourited["favourites_count"], 1);
    let bookmarked = act(taro.token.clone(), "bookmark").await;
    assert_eq!(bookmarked["bookmarked"], true);
    assert_eq!(bookmarked["favourited"], true);
    let boost = act(taro.token.clone(), "reblog").await;
    assert_eq!(boost["reblog"]["reblogged"], true);
    let pinned = act(hanako.token.clone(), "pin").await;
    assert_eq!(pinned["pinned"], true);

    let by = app
        .get(&format!("/api/v1/statuses/{id}/favourited_by"))
        .await;
    by.assert_status(StatusCode::OK);
    assert_eq!(ids(&by.json()), vec![taro.user.account.id.to_string()]);
    let reblogged_by = app
        .get(&format!("/api/v1/statuses/{id}/reblogged_by"))
        .await;
    assert_eq!(
        ids(&reblogged_by.json()),
        vec![taro.user.account.id.to_string()]
    );
    assert!(links(&reblogged_by).contains_key("next"));
    let bookmarks = get(&app, "/api/v1/bookmarks", &taro.token).await.json();
    assert_eq!(ids(&bookmarks), vec![id.to_owned()]);
    let favourites = get(&app, "/api/v1/favourites", &taro.token).await.json();
    assert_eq!(ids(&favourites), vec![id.to_owned()]);

    let undone = act(taro.token.clone(), "unfavourite").await;
    assert_eq!(undone["favourited"], false);
    assert_eq!(undone["favourites_count"], 0);
    assert_eq!(
        act(taro.token.clone(), "unbookmark").await["bookmarked"],
        false
    );
    let unboosted = act(taro.token.clone(), "unreblog").await;
    assert_eq!(unboosted["reblogged"], false);
    assert_eq!(unboosted["reblogs_count"], 0);
    assert_eq!(act(hanako.token.clone(), "unpin").await["pinned"], false);
    assert_eq!(
        get(&app, "/api/v1/bookmarks", &taro.token).await.json(),
        json!([])
    );

    // Scopes: read alone cannot act; pin needs write:accounts.
    post_empty(
        &app,
        &format!("/api/v1/statuses/{id}/favourite"),
        &reader.token,
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
    let statuses_only =
        super::token_for(&app, Some(hanako.user.account.id), "write:statuses").await;
    post_empty(&app, &format!("/api/v1/statuses/{id}/pin"), &statuses_only)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    post_empty(
        &app,
        &format!("/api/v1/statuses/{id}/bookmark"),
        &statuses_only,
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
    post_json(
        &app,
        "/api/v1/statuses",
        &reader.token,
        &json!({"status": "x"}),
    )
    .await
    .assert_status(StatusCode::FORBIDDEN);
}
