//! What members keep on the server for their apps: markers, lists, filters v1 and v2, and
//! filters applied to timelines (`filtered`, and `hide` dropping statuses).

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;

use super::golden::assert_golden;
use super::{get, ids, member, post_empty, post_json, post_status, send, send_form};
use crate::support::TestApp;

#[tokio::test]
async fn markers_take_form_keys_and_json() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    assert_eq!(
        get(&app, "/api/v1/markers?timeline[]=home", &hanako.token)
            .await
            .json(),
        json!({})
    );
    // Tusky's form keys.
    let set = send_form(
        &app,
        Method::POST,
        "/api/v1/markers",
        &hanako.token,
        &[("home[last_read_id]", "103206604258487607")],
    )
    .await;
    set.assert_status(StatusCode::OK);
    let set = set.json();
    assert_golden("marker", &set);
    assert_eq!(set["home"]["version"], 0);
    // Mastodon.py's JSON.
    let again = post_json(
        &app,
        "/api/v1/markers",
        &hanako.token,
        &json!({"home": {"last_read_id": "103206604258487608"}, "notifications": {"last_read_id": "5"}}),
    )
    .await
    .json();
    assert_eq!(again["home"]["version"], 1);
    assert_eq!(again["notifications"]["last_read_id"], "5");
    let both = get(
        &app,
        "/api/v1/markers?timeline[]=home&timeline[]=notifications",
        &hanako.token,
    )
    .await
    .json();
    assert_eq!(both["home"]["last_read_id"], "103206604258487608");
    assert_eq!(both["notifications"]["version"], 0);
    let only_home = get(&app, "/api/v1/markers?timeline[]=home", &hanako.token)
        .await
        .json();
    assert!(only_home.get("notifications").is_none());
}

#[tokio::test]
async fn lists_crud_and_members() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write follow").await;
    let taro = member(&app, "taro", "read write follow").await;
    let jiro = member(&app, "jiro", "read write follow").await;
    let t = taro.user.account.id;
    let created = post_json(
        &app,
        "/api/v1/lists",
        &hanako.token,
        &json!({"title": "防災担当", "replies_policy": "followed"}),
    )
    .await;
    created.assert_status(StatusCode::OK);
    let created = created.json();
    assert_golden("list", &created);
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(
        ids(&get(&app, "/api/v1/lists", &hanako.token).await.json()),
        vec![id.clone()]
    );
    get(&app, &format!("/api/v1/lists/{id}"), &taro.token)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    assert_eq!(
        get(&app, &format!("/api/v1/lists/{id}"), &hanako.token)
            .await
            .json()["title"],
        "防災担当"
    );
    let renamed = send_form(
        &app,
        Method::PUT,
        &format!("/api/v1/lists/{id}"),
        &hanako.token,
        &[("title", "防災")],
    )
    .await
    .json();
    assert_eq!(renamed["title"], "防災");
    assert_eq!(renamed["replies_policy"], "followed");
    post_json(&app, "/api/v1/lists", &hanako.token, &json!({"title": ""}))
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);

    // Only followed accounts can be added.
    send_form(
        &app,
        Method::POST,
        &format!("/api/v1/lists/{id}/accounts"),
        &hanako.token,
        &[("account_ids[]", &t.to_string())],
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    post_empty(&app, &format!("/api/v1/accounts/{t}/follow"), &hanako.token)
        .await
        .assert_status(StatusCode::OK);
    post_json(
        &app,
        &format!("/api/v1/lists/{id}/accounts"),
        &hanako.token,
        &json!({"account_ids": [t.to_string()]}),
    )
    .await
    .assert_status(StatusCode::OK);
    let members = get(&app, &format!("/api/v1/lists/{id}/accounts"), &hanako.token).await;
    assert_eq!(ids(&members.json()), vec![t.to_string()]);
    let all = get(
        &app,
        &format!("/api/v1/lists/{id}/accounts?limit=0"),
        &hanako.token,
    )
    .await;
    assert_eq!(ids(&all.json()), vec![t.to_string()]);
    assert!(all.header("link").is_none());
    let containing = get(&app, &format!("/api/v1/accounts/{t}/lists"), &hanako.token)
        .await
        .json();
    assert_eq!(ids(&containing), vec![id.clone()]);
    assert_eq!(
        get(
            &app,
            &format!("/api/v1/accounts/{}/lists", jiro.user.account.id),
            &hanako.token
        )
        .await
        .json(),
        json!([])
    );
    // Tusky removes with a form body on DELETE.
    send_form(
        &app,
        Method::DELETE,
        &format!("/api/v1/lists/{id}/accounts"),
        &hanako.token,
        &[("account_ids[]", &t.to_string())],
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(
        get(&app, &format!("/api/v1/lists/{id}/accounts"), &hanako.token)
            .await
            .json(),
        json!([])
    );
    send(
        &app,
        Method::DELETE,
        &format!("/api/v1/lists/{id}"),
        Some(&hanako.token),
        None,
        Body::empty(),
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(
        get(&app, "/api/v1/lists", &hanako.token).await.json(),
        json!([])
    );
}

#[tokio::test]
async fn v2_filters_mark_and_hide_statuses() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write follow").await;
    let taro = member(&app, "taro", "read write follow").await;
    post_empty(
        &app,
        &format!("/api/v1/accounts/{}/follow", taro.user.account.id),
        &hanako.token,
    )
    .await
    .assert_status(StatusCode::OK);

    let created = send_form(
        &app,
        Method::POST,
        "/api/v2/filters",
        &hanako.token,
        &[
            ("title", "ネタバレ"),
            ("context[]", "home"),
            ("context[]", "public"),
            ("filter_action", "warn"),
            ("keywords_attributes[0][keyword]", "結末"),
            ("keywords_attributes[0][whole_word]", "false"),
        ],
    )
    .await;
    created.assert_status(StatusCode::OK);
    let created = created.json();
    assert_golden("filter_v2", &created);
    let filter_id = created["id"].as_str().expect("id").to_owned();

    let spoiler = post_status(
        &app,
        &taro.token,
        json!({"status": "映画の結末は驚きでした"}),
    )
    .await;
    let fine = post_status(&app, &taro.token, json!({"status": "映画を見ました"})).await;
    let home = get(&app, "/api/v1/timelines/home", &hanako.token)
        .await
        .json();
    assert_eq!(
        ids(&home),
        vec![
            fine["id"].as_str().expect("id"),
            spoiler["id"].as_str().expect("id")
        ]
    );
    assert_eq!(home[0]["filtered"], json!([]));
    let result = &home[1]["filtered"][0];
    assert_eq!(result["filter"]["title"], "ネタバレ");
    assert_eq!(result["keyword_matches"], json!(["結末"]));
    assert!(result["filter"].get("keywords").is_none());
    // Not in a context the filter lacks.
    let profile = get(
        &app,
        &format!("/api/v1/accounts/{}/statuses", taro.user.account.id),
        &hanako.token,
    )
    .await
    .json();
    assert_eq!(profile[1]["filtered"], json!([]));

    // A filtered status by id, then hide: the timeline drops both.
    let added = post_json(
        &app,
        &format!("/api/v2/filters/{filter_id}/statuses"),
        &hanako.token,
        &json!({"status_id": fine["id"]}),
    )
    .await;
    added.assert_status(StatusCode::OK);
    let status_filter_id = added.json()["id"].as_str().expect("id").to_owned();
    let hidden = send_form(
        &app,
        Method::PUT,
        &format!("/api/v2/filters/{filter_id}"),
        &hanako.token,
        &[("filter_action", "hide")],
    )
    .await;
    hidden.assert_status(StatusCode::OK);
    assert_eq!(hidden.json()["statuses"][0]["status_id"], fine["id"]);
    assert_eq!(
        get(&app, "/api/v1/timelines/home", &hanako.token)
            .await
            .json(),
        json!([])
    );
    // Shown when asked for by id, with the match.
    let one = get(
        &app,
        &format!("/api/v1/statuses/{}", spoiler["id"].as_str().expect("id")),
        &hanako.token,
    )
    .await
    .json();
    assert_eq!(
        one["filtered"],
        json!([]),
        "thread is not among the contexts"
    );

    // Keywords and statuses on their own endpoints.
    let keywords = get(
        &app,
        &format!("/api/v2/filters/{filter_id}/keywords"),
        &hanako.token,
    )
    .await
    .json();
    let keyword_id = keywords[0]["id"].as_str().expect("id").to_owned();
    assert_eq!(
        get(
            &app,
            &format!("/api/v2/filters/keywords/{keyword_id}"),
            &hanako.token
        )
        .await
        .json()["keyword"],
        "結末"
    );
    let filtered_statuses = get(
        &app,
        &format!("/api/v2/filters/{filter_id}/statuses"),
        &hanako.token,
    )
    .await
    .json();
    assert_eq!(filtered_statuses[0]["status_id"], fine["id"]);
    let added_keyword = post_json(
        &app,
        &format!("/api/v2/filters/{filter_id}/keywords"),
        &hanako.token,
        &json!({"keyword": "犯人", "whole_word": true}),
    )
    .await
    .json();
    assert_eq!(added_keyword["whole_word"], true);
    let changed = send_form(
        &app,
        Method::PUT,
        &format!("/api/v2/filters/keywords/{keyword_id}"),
        &hanako.token,
        &[("keyword", "ラスト")],
    )
    .await
    .json();
    assert_eq!(changed["keyword"], "ラスト");
    send(
        &app,
        Method::DELETE,
        &format!("/api/v2/filters/keywords/{keyword_id}"),
        Some(&hanako.token),
        None,
        Body::empty(),
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(
        get(
            &app,
            &format!("/api/v2/filters/statuses/{status_filter_id}"),
            &hanako.token
        )
        .await
        .json()["status_id"],
        fine["id"]
    );
    send(
        &app,
        Method::DELETE,
        &format!("/api/v2/filters/statuses/{status_filter_id}"),
        Some(&hanako.token),
        None,
        Body::empty(),
    )
    .await
    .assert_status(StatusCode::OK);
    let home = get(&app, "/api/v1/timelines/home", &hanako.token)
        .await
        .json();
    assert_eq!(ids(&home).len(), 2, "nothing matches any more");
    get(&app, &format!("/api/v2/filters/{filter_id}"), &taro.token)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    send(
        &app,
        Method::DELETE,
        &format!("/api/v2/filters/{filter_id}"),
        Some(&hanako.token),
        None,
        Body::empty(),
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(
        get(&app, "/api/v2/filters", &hanako.token).await.json(),
        json!([])
    );
}

#[tokio::test]
async fn v1_filters_are_keywords_of_v2_filters() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let created = send_form(
        &app,
        Method::POST,
        "/api/v1/filters",
        &hanako.token,
        &[
            ("phrase", "選挙"),
            ("context[]", "home"),
            ("context[]", "notifications"),
            ("irreversible", "true"),
            ("whole_word", "false"),
            ("expires_in", "3600"),
        ],
    )
    .await;
    created.assert_status(StatusCode::OK);
    let created = created.json();
    assert_golden("filter_v1", &created);
    let id = created["id"].as_str().expect("id").to_owned();
    assert!(created["expires_at"].is_string());
    let v2 = get(&app, "/api/v2/filters", &hanako.token).await.json();
    assert_eq!(v2[0]["filter_action"], "hide");
    assert_eq!(v2[0]["keywords"][0]["id"], id.as_str());

    let updated = send_form(
        &app,
        Method::PUT,
        &format!("/api/v1/filters/{id}"),
        &hanako.token,
        &[
            ("phrase", "投票"),
            ("context[]", "public"),
            ("irreversible", "false"),
        ],
    )
    .await;
    updated.assert_status(StatusCode::OK);
    let updated = updated.json();
    assert_eq!(updated["phrase"], "投票");
    assert_eq!(updated["context"], json!(["public"]));
    assert_eq!(updated["irreversible"], false);
    assert_eq!(
        get(&app, &format!("/api/v1/filters/{id}"), &hanako.token)
            .await
            .json()["phrase"],
        "投票"
    );
    assert_eq!(
        ids(&get(&app, "/api/v1/filters", &hanako.token).await.json()),
        vec![id.clone()]
    );
    send(
        &app,
        Method::DELETE,
        &format!("/api/v1/filters/{id}"),
        Some(&hanako.token),
        None,
        Body::empty(),
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(
        get(&app, "/api/v2/filters", &hanako.token).await.json(),
        json!([])
    );
    send_form(
        &app,
        Method::POST,
        "/api/v1/filters",
        &hanako.token,
        &[("phrase", "x"), ("context[]", "everywhere")],
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}
