//! Accounts and relations: follow (requests for locked accounts), block, mute, endorse, remove
//! a follower, each answering a Relationship; relationships, account statuses, followers and
//! following pages, follow requests, blocks, mutes, endorsements, account search.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::golden::assert_golden;
use super::{get, ids, links, member, post_empty, post_status, send_form};
use crate::support::TestApp;

#[tokio::test]
async fn following_blocking_and_muting_answer_relationships() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write follow").await;
    let taro = member(&app, "taro", "read write follow").await;
    let (h, t) = (hanako.user.account.id, taro.user.account.id);

    let followed = send_form(
        &app,
        Method::POST,
        &format!("/api/v1/accounts/{t}/follow"),
        &hanako.token,
        &[("notify", "1")],
    )
    .await;
    followed.assert_status(StatusCode::OK);
    let followed = followed.json();
    assert_golden("relationship", &followed);
    assert_eq!(followed["following"], true);
    assert_eq!(followed["notifying"], true);
    assert_eq!(followed["showing_reblogs"], true);

    // Following again without options keeps them; reblogs=false changes one.
    let again = send_form(
        &app,
        Method::POST,
        &format!("/api/v1/accounts/{t}/follow"),
        &hanako.token,
        &[("reblogs", "false")],
    )
    .await
    .json();
    assert_eq!(again["notifying"], true);
    assert_eq!(again["showing_reblogs"], false);

    let both = get(
        &app,
        &format!("/api/v1/accounts/relationships?id[]={t}&id[]={h}&id[]=1"),
        &hanako.token,
    )
    .await;
    both.assert_status(StatusCode::OK);
    let both = both.json();
    assert_eq!(ids(&both), vec![t.to_string(), h.to_string()]);
    let seen_by_taro = get(
        &app,
        &format!("/api/v1/accounts/relationships?id={h}"),
        &taro.token,
    )
    .await
    .json();
    assert_eq!(seen_by_taro[0]["followed_by"], true);
    assert_eq!(seen_by_taro[0]["following"], false);

    let endorsed = post_empty(&app, &format!("/api/v1/accounts/{t}/pin"), &hanako.token).await;
    endorsed.assert_status(StatusCode::OK);
    assert_eq!(endorsed.json()["endorsed"], true);
    let endorsements = get(&app, "/api/v1/endorsements", &hanako.token)
        .await
        .json();
    assert_eq!(ids(&endorsements), vec![t.to_string()]);
    let unendorsed = post_empty(&app, &format!("/api/v1/accounts/{t}/unpin"), &hanako.token).await;
    assert_eq!(unendorsed.json()["endorsed"], false);
    post_empty(&app, &format!("/api/v1/accounts/{h}/pin"), &taro.token)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);

    let removed = post_empty(
        &app,
        &format!("/api/v1/accounts/{h}/remove_from_followers"),
        &taro.token,
    )
    .await;
    removed.assert_status(StatusCode::OK);
    assert_eq!(removed.json()["followed_by"], false);

    let muted = send_form(
        &app,
        Method::POST,
        &format!("/api/v1/accounts/{t}/mute"),
        &hanako.token,
        &[("notifications", "false"), ("duration", "3600")],
    )
    .await
    .json();
    assert_eq!(muted["muting"], true);
    assert_eq!(muted["muting_notifications"], false);
    assert!(muted["muting_expires_at"].is_string());
    let mutes = get(&app, "/api/v1/mutes", &hanako.token).await;
    assert_eq!(ids(&mutes.json()), vec![t.to_string()]);
    assert!(links(&mutes).contains_key("next"));
    let unmuted = post_empty(&app, &format!("/api/v1/accounts/{t}/unmute"), &hanako.token).await;
    assert_eq!(unmuted.json()["muting"], false);

    let blocked = post_empty(&app, &format!("/api/v1/accounts/{t}/block"), &hanako.token)
        .await
        .json();
    assert_eq!(blocked["blocking"], true);
    assert_eq!(blocked["following"], false, "a block ends the follow");
    let blocked_by = get(
        &app,
        &format!("/api/v1/accounts/relationships?id[]={h}"),
        &taro.token,
    )
    .await
    .json();
    assert_eq!(blocked_by[0]["blocked_by"], true);
    assert_eq!(
        ids(&get(&app, "/api/v1/blocks", &hanako.token).await.json()),
        vec![t.to_string()]
    );
    let unblocked = post_empty(
        &app,
        &format!("/api/v1/accounts/{t}/unblock"),
        &hanako.token,
    )
    .await
    .json();
    assert_eq!(unblocked["blocking"], false);

    let unfollowed = post_empty(
        &app,
        &format!("/api/v1/accounts/{t}/unfollow"),
        &hanako.token,
    )
    .await
    .json();
    assert_eq!(unfollowed["following"], false);

    // Unknown accounts, and the scopes.
    post_empty(&app, "/api/v1/accounts/12345/follow", &hanako.token)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let reader = super::token_for(&app, Some(h), "read").await;
    post_empty(&app, &format!("/api/v1/accounts/{t}/follow"), &reader)
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn locked_accounts_get_follow_requests() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write follow").await;
    let taro = member(&app, "taro", "read write follow").await;
    let (h, t) = (hanako.user.account.id, taro.user.account.id);
    send_form(
        &app,
        Method::PATCH,
        "/api/v1/accounts/update_credentials",
        &taro.token,
        &[("locked", "true")],
    )
    .await
    .assert_status(StatusCode::OK);
    let requested = post_empty(&app, &format!("/api/v1/accounts/{t}/follow"), &hanako.token)
        .await
        .json();
    assert_eq!(requested["requested"], true);
    assert_eq!(requested["following"], false);
    let requests = get(&app, "/api/v1/follow_requests", &taro.token).await;
    assert_eq!(ids(&requests.json()), vec![h.to_string()]);
    let authorized = post_empty(
        &app,
        &format!("/api/v1/follow_requests/{h}/authorize"),
        &taro.token,
    )
    .await;
    authorized.assert_status(StatusCode::OK);
    assert_eq!(authorized.json()["followed_by"], true);
    assert_eq!(
        get(&app, "/api/v1/follow_requests", &taro.token)
            .await
            .json(),
        json!([])
    );

    let jiro = member(&app, "jiro", "read write follow").await;
    post_empty(&app, &format!("/api/v1/accounts/{t}/follow"), &jiro.token)
        .await
        .assert_status(StatusCode::OK);
    let rejected = post_empty(
        &app,
        &format!("/api/v1/follow_requests/{}/reject", jiro.user.account.id),
        &taro.token,
    )
    .await;
    rejected.assert_status(StatusCode::OK);
    assert_eq!(rejected.json()["requested_by"], false);
}

#[tokio::test]
async fn account_statuses_followers_and_following() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write follow").await;
    let h = hanako.user.account.id;
    let mut followers = Vec::new();
    for name in ["a1", "a2", "a3"] {
        let follower = member(&app, name, "read write follow").await;
        post_empty(
            &app,
            &format!("/api/v1/accounts/{h}/follow"),
            &follower.token,
        )
        .await
        .assert_status(StatusCode::OK);
        followers.push(follower);
    }
    let page = app
        .get(&format!("/api/v1/accounts/{h}/followers?limit=2"))
        .await;
    page.assert_status(StatusCode::OK);
    let first: Vec<String> = ids(&page.json());
    assert_eq!(
        first,
        vec![
            followers[2].user.account.id.to_string(),
            followers[1].user.account.id.to_string()
        ]
    );
    let next = links(&page)["next"].clone();
    let rest = app
        .get(next.split_once("kakehashi.test").expect("ours").1)
        .await
        .json();
    assert_eq!(ids(&rest), vec![followers[0].user.account.id.to_string()]);
    let following = app
        .get(&format!(
            "/api/v1/accounts/{}/following",
            followers[0].user.account.id
        ))
        .await
        .json();
    assert_eq!(ids(&following), vec![h.to_string()]);

    let root = post_status(&app, &hanako.token, json!({"status": "元 #tagged"})).await;
    let reply = post_status(
        &app,
        &followers[0].token,
        json!({"status": "返信", "in_reply_to_id": root["id"]}),
    )
    .await;
    let own_reply = post_status(
        &app,
        &hanako.token,
        json!({"status": "自分への返信", "in_reply_to_id": reply["id"]}),
    )
    .await;
    post_empty(
        &app,
        &format!("/api/v1/statuses/{}/pin", root["id"].as_str().expect("id")),
        &hanako.token,
    )
    .await
    .assert_status(StatusCode::OK);
    let all = app
        .get(&format!("/api/v1/accounts/{h}/statuses"))
        .await
        .json();
    assert_eq!(
        ids(&all),
        vec![
            own_reply["id"].as_str().expect("id"),
            root["id"].as_str().expect("id")
        ]
    );
    let no_replies = app
        .get(&format!(
            "/api/v1/accounts/{h}/statuses?exclude_replies=true"
        ))
        .await
        .json();
    assert_eq!(ids(&no_replies), vec![root["id"].as_str().expect("id")]);
    let pinned = app
        .get(&format!("/api/v1/accounts/{h}/statuses?pinned=true"))
        .await
        .json();
    assert_eq!(ids(&pinned), vec![root["id"].as_str().expect("id")]);
    let tagged = app
        .get(&format!("/api/v1/accounts/{h}/statuses?tagged=tagged"))
        .await
        .json();
    assert_eq!(ids(&tagged), vec![root["id"].as_str().expect("id")]);
    let media = app
        .get(&format!("/api/v1/accounts/{h}/statuses?only_media=1"))
        .await
        .json();
    assert_eq!(media, json!([]));
    app.get("/api/v1/accounts/99999/statuses")
        .await
        .assert_status(StatusCode::NOT_FOUND);

    // Hidden collections are empty to others.
    send_form(
        &app,
        Method::PATCH,
        "/api/v1/accounts/update_credentials",
        &hanako.token,
        &[("hide_collections", "true")],
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(
        app.get(&format!("/api/v1/accounts/{h}/followers"))
            .await
            .json(),
        json!([])
    );
    assert_eq!(
        ids(&get(
            &app,
            &format!("/api/v1/accounts/{h}/followers"),
            &hanako.token
        )
        .await
        .json())
        .len(),
        3
    );
}

#[tokio::test]
async fn account_search_finds_names_and_accts() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write follow").await;
    let _hanamura = member(&app, "hanamura", "read").await;
    let taro = member(&app, "taro", "read").await;
    let found = get(&app, "/api/v1/accounts/search?q=hana", &hanako.token).await;
    found.assert_status(StatusCode::OK);
    let names: Vec<String> = found
        .json()
        .as_array()
        .expect("list")
        .iter()
        .map(|a| a["username"].as_str().expect("name").to_owned())
        .collect();
    assert_eq!(names, vec!["hanako", "hanamura"]);
    let exact = get(
        &app,
        "/api/v1/accounts/search?q=%40taro%40kakehashi.test&resolve=true",
        &hanako.token,
    )
    .await
    .json();
    assert_eq!(ids(&exact), vec![taro.user.account.id.to_string()]);
    let following = get(
        &app,
        "/api/v1/accounts/search?q=ta&following=true",
        &hanako.token,
    )
    .await
    .json();
    assert_eq!(following, json!([]));
    let wildcard = get(&app, "/api/v1/accounts/search?q=%25", &hanako.token)
        .await
        .json();
    assert_eq!(wildcard, json!([]), "LIKE wildcards are escaped");
}
