//! Timelines: home, public (local, remote, only_media), hashtag and list, paged with `Link`
//! headers (`max_id` next, `min_id` prev; `since_id` takes the newest, `min_id` the oldest).

use axum::http::StatusCode;
use serde_json::json;

use super::{get, ids, links, member, post_empty, post_status, send_form};
use crate::support::TestApp;

fn query_of(url: &str) -> String {
    url.split_once("kakehashi.test")
        .map(|(_, p)| p.to_owned())
        .expect("our URL")
}

#[tokio::test]
async fn home_pages_with_max_id_min_id_and_since_id() {
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
    let mut posted = Vec::new();
    for n in 0..5 {
        let status = post_status(&app, &taro.token, json!({"status": format!("投稿 {n}")})).await;
        posted.push(status["id"].as_str().expect("id").to_owned());
    }
    let newest_first: Vec<String> = posted.iter().rev().cloned().collect();

    let first = get(&app, "/api/v1/timelines/home?limit=2", &hanako.token).await;
    first.assert_status(StatusCode::OK);
    assert_eq!(ids(&first.json()), newest_first[..2]);
    let link = links(&first);
    assert!(
        link["next"].contains(&format!("max_id={}", newest_first[1])),
        "{link:?}"
    );
    assert!(link["next"].contains("limit=2"));
    assert!(
        link["prev"].contains(&format!("min_id={}", newest_first[0])),
        "{link:?}"
    );

    let second = get(&app, &query_of(&link["next"]), &hanako.token).await;
    assert_eq!(ids(&second.json()), newest_first[2..4]);

    // min_id: the two right after the oldest; since_id: the two newest.
    let after_oldest = get(
        &app,
        &format!("/api/v1/timelines/home?limit=2&min_id={}", posted[0]),
        &hanako.token,
    )
    .await;
    assert_eq!(
        ids(&after_oldest.json()),
        vec![posted[2].clone(), posted[1].clone()]
    );
    let since = get(
        &app,
        &format!("/api/v1/timelines/home?limit=2&since_id={}", posted[0]),
        &hanako.token,
    )
    .await;
    assert_eq!(ids(&since.json()), newest_first[..2]);

    // Nothing newer: an empty page without links.
    let empty = get(
        &app,
        &format!("/api/v1/timelines/home?min_id={}", newest_first[0]),
        &hanako.token,
    )
    .await;
    assert_eq!(empty.json(), json!([]));
    assert!(empty.header("link").is_none());

    // The home timeline needs a member's token with read:statuses.
    app.get("/api/v1/timelines/home")
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn public_and_hashtag_timelines() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let plain = post_status(&app, &hanako.token, json!({"status": "公開 #Bousai"})).await;
    let unlisted = post_status(
        &app,
        &hanako.token,
        json!({"status": "未収載 #bousai", "visibility": "unlisted"}),
    )
    .await;
    let media = super::statuses::upload(&app, &hanako.token).await;
    let with_media = post_status(
        &app,
        &hanako.token,
        json!({"status": "写真", "media_ids": [media]}),
    )
    .await;

    let public = app.get("/api/v1/timelines/public").await;
    public.assert_status(StatusCode::OK);
    let public_ids = ids(&public.json());
    assert_eq!(
        public_ids,
        vec![
            with_media["id"].as_str().expect("id"),
            plain["id"].as_str().expect("id")
        ]
    );
    assert!(!public_ids.contains(&unlisted["id"].as_str().expect("id").to_owned()));
    let local = app.get("/api/v1/timelines/public?local=true").await.json();
    assert_eq!(ids(&local), public_ids);
    let remote = app.get("/api/v1/timelines/public?remote=1").await.json();
    assert_eq!(remote, json!([]));
    let only_media = app
        .get("/api/v1/timelines/public?only_media=true")
        .await
        .json();
    assert_eq!(
        ids(&only_media),
        vec![with_media["id"].as_str().expect("id")]
    );

    let tagged = app.get("/api/v1/timelines/tag/bousai").await;
    tagged.assert_status(StatusCode::OK);
    assert_eq!(ids(&tagged.json()), vec![plain["id"].as_str().expect("id")]);
    let upper = app.get("/api/v1/timelines/tag/BOUSAI").await.json();
    assert_eq!(ids(&upper), vec![plain["id"].as_str().expect("id")]);
}

#[tokio::test]
async fn list_timelines_show_followed_members_and_exclusive_lists_leave_home() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write follow").await;
    let taro = member(&app, "taro", "read write follow").await;
    let jiro = member(&app, "jiro", "read write follow").await;
    for target in [&taro, &jiro] {
        post_empty(
            &app,
            &format!("/api/v1/accounts/{}/follow", target.user.account.id),
            &hanako.token,
        )
        .await
        .assert_status(StatusCode::OK);
    }
    let list = send_form(
        &app,
        axum::http::Method::POST,
        "/api/v1/lists",
        &hanako.token,
        &[("title", "防災担当"), ("exclusive", "true")],
    )
    .await;
    list.assert_status(StatusCode::OK);
    let list_id = list.json()["id"].as_str().expect("id").to_owned();
    send_form(
        &app,
        axum::http::Method::POST,
        &format!("/api/v1/lists/{list_id}/accounts"),
        &hanako.token,
        &[("account_ids[]", &taro.user.account.id.to_string())],
    )
    .await
    .assert_status(StatusCode::OK);
    let from_taro = post_status(&app, &taro.token, json!({"status": "リスト向け"})).await;
    let from_jiro = post_status(&app, &jiro.token, json!({"status": "ホーム向け"})).await;

    let timeline = get(
        &app,
        &format!("/api/v1/timelines/list/{list_id}"),
        &hanako.token,
    )
    .await;
    timeline.assert_status(StatusCode::OK);
    assert_eq!(
        ids(&timeline.json()),
        vec![from_taro["id"].as_str().expect("id")]
    );
    let home = get(&app, "/api/v1/timelines/home", &hanako.token)
        .await
        .json();
    assert_eq!(
        ids(&home),
        vec![from_jiro["id"].as_str().expect("id")],
        "an exclusive list's members stay out of home"
    );
    get(
        &app,
        &format!("/api/v1/timelines/list/{list_id}"),
        &taro.token,
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
}
