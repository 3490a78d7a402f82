//! Posting, formatting, threads, edits and deletion.

use kakehashi::db::store;
use kakehashi::domain::accounts::Role;
use kakehashi::domain::statuses::{self, EditPost, NewPost};
use kakehashi::domain::visibility::Visibility;
use kakehashi::error::AppError;

use super::{notifications_of, post, reply, status};
use crate::support::TestApp;

#[tokio::test]
async fn a_post_is_formatted_with_mentions_tags_and_links() {
    let app = TestApp::new().await;
    let hanako = app.create_user("hanako").await.account;
    let taro = app.create_user("taro").await.account;
    let status = post(
        &app,
        hanako.id,
        "@taro 明日の#勉強会 の資料です https://example.org/slides <script>",
        Visibility::Public,
    )
    .await;
    assert!(status.local);
    assert_eq!(
        status.ap_id,
        format!("http://kakehashi.test/users/hanako/statuses/{}", status.id)
    );
    assert_eq!(
        status.url.as_deref(),
        Some(format!("http://kakehashi.test/@hanako/{}", status.id).as_str())
    );
    assert!(
        status
            .content
            .contains("href=\"http://kakehashi.test/@taro\""),
        "{}",
        status.content
    );
    assert!(
        status
            .content
            .contains("href=\"http://kakehashi.test/tags/%E5%8B%89%E5%BC%B7%E4%BC%9A\""),
        "{}",
        status.content
    );
    assert!(
        status
            .content
            .contains("href=\"https://example.org/slides\"")
    );
    assert!(status.content.contains("&lt;script&gt;"));
    assert_eq!(
        status.source_text.as_deref(),
        Some("@taro 明日の#勉強会 の資料です https://example.org/slides <script>")
    );

    let id = status.id;
    let (mentions, tags) = app
        .state
        .db
        .run(move |conn| {
            Ok((
                store::statuses::mentions_of(conn, &[id])?,
                store::statuses::tags_of(conn, &[id])?,
            ))
        })
        .await
        .expect("query");
    assert_eq!(
        mentions.iter().map(|m| m.account_id).collect::<Vec<_>>(),
        vec![taro.id]
    );
    assert_eq!(
        tags.iter()
            .map(|(_, t)| t.name.as_str())
            .collect::<Vec<_>>(),
        vec!["勉強会"]
    );
    let notes = notifications_of(&app, taro.id).await;
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].kind, "mention");
    assert_eq!(notes[0].status_id, Some(status.id));
}

#[tokio::test]
async fn empty_and_overlong_posts_are_refused() {
    let app = TestApp::new().await;
    let hanako = app.create_user("hanako").await.account;
    for text in ["   ".to_owned(), "あ".repeat(5001)] {
        let result = statuses::post(
            &app.state,
            hanako.id,
            NewPost {
                text,
                ..NewPost::default()
            },
        )
        .await;
        assert!(
            matches!(result, Err(AppError::Unprocessable(_))),
            "{result:?}"
        );
    }
}

#[tokio::test]
async fn replies_form_a_thread_with_counts() {
    let app = TestApp::new().await;
    let a = app.create_user("hanako").await.account;
    let b = app.create_user("taro").await.account;
    let root = post(&app, a.id, "root", Visibility::Public).await;
    let first = reply(&app, b.id, root.id, "@hanako first").await;
    let nested = reply(&app, a.id, first.id, "@taro nested").await;
    let second = reply(&app, b.id, root.id, "@hanako second").await;
    assert_eq!(status(&app, root.id).await.expect("root").replies_count, 2);
    assert_eq!(first.in_reply_to_account_id, Some(a.id));
    assert_eq!(nested.thread_ap_id.as_deref(), Some(root.ap_id.as_str()));

    let root_row = status(&app, root.id).await.expect("root");
    let (ancestors, descendants) = app
        .state
        .db
        .run(move |conn| statuses::context(conn, None, &root_row))
        .await
        .expect("context");
    assert!(ancestors.is_empty());
    assert_eq!(
        descendants.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![first.id, nested.id, second.id]
    );

    let nested_row = status(&app, nested.id).await.expect("nested");
    let (ancestors, _) = app
        .state
        .db
        .run(move |conn| statuses::context(conn, None, &nested_row))
        .await
        .expect("context");
    assert_eq!(
        ancestors.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![root.id, first.id]
    );

    let missing = statuses::post(
        &app.state,
        a.id,
        NewPost {
            text: "x".into(),
            in_reply_to_id: Some(42),
            ..NewPost::default()
        },
    )
    .await;
    assert!(matches!(missing, Err(AppError::Missing(_))), "{missing:?}");
}

#[tokio::test]
async fn edits_keep_a_history_and_tell_boosters() {
    let app = TestApp::new().await;
    let a = app.create_user("hanako").await.account;
    let b = app.create_user("taro").await.account;
    let original = post(&app, a.id, "first version", Visibility::Public).await;
    kakehashi::domain::interactions::reblog(&app.state, b.id, original.id)
        .await
        .expect("boost");
    let edited = statuses::edit(
        &app.state,
        a.id,
        original.id,
        EditPost {
            text: "second version".into(),
            ..EditPost::default()
        },
    )
    .await
    .expect("edit");
    assert!(edited.content.contains("second version"));
    assert!(edited.edited_at.is_some());
    let edited_clone = edited.clone();
    let history = app
        .state
        .db
        .run(move |conn| statuses::history(conn, &edited_clone))
        .await
        .expect("history");
    assert_eq!(history.len(), 2);
    assert!(history[0].content.contains("first version"));
    assert!(history[1].content.contains("second version"));
    assert!(
        notifications_of(&app, b.id)
            .await
            .iter()
            .any(|n| n.kind == "update")
    );

    let not_mine = statuses::edit(
        &app.state,
        b.id,
        original.id,
        EditPost {
            text: "hijack".into(),
            ..EditPost::default()
        },
    )
    .await;
    assert!(matches!(not_mine, Err(AppError::NotFound)));
}

#[tokio::test]
async fn deletion_removes_boosts_updates_counts_and_leaves_a_tombstone() {
    let app = TestApp::new().await;
    let a = app.create_user("hanako").await.account;
    let b = app.create_user("taro").await.account;
    let root = post(&app, a.id, "root", Visibility::Public).await;
    let answer = reply(&app, b.id, root.id, "answer").await;
    let boost = kakehashi::domain::interactions::reblog(&app.state, a.id, answer.id)
        .await
        .expect("boost");
    assert_eq!(status(&app, root.id).await.expect("root").replies_count, 1);

    let refused = statuses::delete(&app.state, a.id, Role::User, answer.id).await;
    assert!(matches!(refused, Err(AppError::NotFound)), "not the author");
    let deleted = statuses::delete(&app.state, b.id, Role::User, answer.id)
        .await
        .expect("delete");
    assert_eq!(deleted.source_text.as_deref(), Some("answer"));
    assert!(status(&app, answer.id).await.is_none());
    assert!(
        status(&app, boost.id).await.is_none(),
        "the boost went with it"
    );
    assert_eq!(status(&app, root.id).await.expect("root").replies_count, 0);
    let ap_id = answer.ap_id.clone();
    assert!(
        app.state
            .db
            .run(move |conn| Ok(store::statuses::is_tombstoned(conn, &ap_id)?))
            .await
            .expect("query")
    );

    // A moderator may delete anyone's status.
    app.create_user_with_role("moderator1", Role::Moderator)
        .await;
    let modded = statuses::delete(&app.state, 0, Role::Moderator, root.id).await;
    assert!(modded.is_ok(), "{modded:?}");
}
