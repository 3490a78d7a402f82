//! Member and post pages.

use axum::http::StatusCode;
use kakehashi::domain::visibility::Visibility;

use crate::social::{post, reply};
use crate::support::TestApp;

#[tokio::test]
async fn a_profile_shows_public_posts_only() {
    let app = TestApp::new().await;
    let hanako = app.create_user("hanako").await.account;
    post(
        &app,
        hanako.id,
        "公開の投稿 <b>太字</b>",
        Visibility::Public,
    )
    .await;
    post(&app, hanako.id, "フォロワー限定", Visibility::Private).await;
    let page = app.get("/@hanako").await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains("公開の投稿 &lt;b&gt;太字&lt;/b&gt;"),
        "{html}"
    );
    assert!(!html.contains("フォロワー限定"));
    assert!(html.contains("@hanako@kakehashi.test"));
    assert!(html.contains(r#"<link rel="alternate" type="application/activity+json" href="http://kakehashi.test/users/hanako">"#));
    app.get("/@nobody")
        .await
        .assert_status(StatusCode::NOT_FOUND);
    app.get("/@kakehashi.test")
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_post_page_shows_its_thread() {
    let app = TestApp::new().await;
    let a = app.create_user("hanako").await.account;
    let b = app.create_user("taro").await.account;
    let root = post(&app, a.id, "root post", Visibility::Public).await;
    let answer = reply(&app, b.id, root.id, "an answer").await;
    let html = app
        .get(&format!("/@hanako/{}?lang=en", root.id))
        .await
        .text();
    assert!(
        html.contains("root post") && html.contains("an answer"),
        "{html}"
    );
    assert!(html.contains("Replies 1"), "{html}");
    let html = app.get(&format!("/@taro/{}", answer.id)).await.text();
    assert!(html.contains("class=\"status ancestor h-entry\""));
    app.get(&format!("/@taro/{}", root.id))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let private = post(&app, a.id, "private", Visibility::Private).await;
    app.get(&format!("/@hanako/{}", private.id))
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_chosen_language_is_remembered_across_pages() {
    let app = TestApp::new().await;
    // Japanese by default, with links to the events and groups directories.
    let first = app.get_with("/groups", &[("accept-language", "ja")]).await;
    first.assert_status(StatusCode::OK);
    let html = first.text();
    assert!(html.contains(r#"<html lang="ja">"#), "{html}");
    assert!(html.contains(r#"href="/events""#) && html.contains("イベントを探す"));
    assert!(first.headers.get("set-cookie").is_none());

    // ?lang=en answers in English and remembers it.
    let chosen = app
        .get_with("/groups?lang=en", &[("accept-language", "ja")])
        .await;
    let cookie = chosen
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("kakehashi_lang="))
        .expect("the language cookie")
        .to_owned();
    assert!(cookie.starts_with("kakehashi_lang=en;"), "{cookie}");
    assert!(chosen.text().contains(r#"<html lang="en">"#));

    // The next page, linked without ?lang=, stays in English; ?lang= still wins over the cookie.
    let next = app
        .get_with(
            "/events",
            &[("accept-language", "ja"), ("cookie", "kakehashi_lang=en")],
        )
        .await;
    next.assert_status(StatusCode::OK);
    assert!(next.text().contains(r#"<html lang="en">"#));
    let back = app
        .get_with(
            "/events?lang=ja",
            &[("accept-language", "en"), ("cookie", "kakehashi_lang=en")],
        )
        .await;
    assert!(back.text().contains(r#"<html lang="ja">"#));
}
