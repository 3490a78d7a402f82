//! Favourites, boosts, bookmarks, pins, blocks and mutes.

use kakehashi::db::store;
use kakehashi::domain::follows::{self, FollowOptions};
use kakehashi::domain::visibility::Visibility;
use kakehashi::domain::{blocks, interactions};
use kakehashi::error::AppError;

use super::{home_ids, notifications_of, post, status};
use crate::support::TestApp;

#[tokio::test]
async fn favourites_and_boosts_count_once_and_notify() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await.account;
    let fan = app.create_user("fan").await.account;
    let s = post(&app, author.id, "hello", Visibility::Public).await;

    interactions::favourite(&app.state, fan.id, s.id)
        .await
        .expect("favourite");
    interactions::favourite(&app.state, fan.id, s.id)
        .await
        .expect("again");
    assert_eq!(
        status(&app, s.id).await.expect("status").favourites_count,
        1
    );
    let boost = interactions::reblog(&app.state, fan.id, s.id)
        .await
        .expect("boost");
    let again = interactions::reblog(&app.state, fan.id, s.id)
        .await
        .expect("boost again");
    assert_eq!(boost.id, again.id);
    assert_eq!(boost.reblog_of_id, Some(s.id));
    assert_eq!(status(&app, s.id).await.expect("status").reblogs_count, 1);
    let kinds: Vec<String> = notifications_of(&app, author.id)
        .await
        .into_iter()
        .map(|n| n.kind)
        .collect();
    assert_eq!(kinds, vec!["reblog".to_owned(), "favourite".to_owned()]);

    // Favouriting the boost favourites the original.
    interactions::unfavourite(&app.state, fan.id, boost.id)
        .await
        .expect("unfavourite");
    interactions::unreblog(&app.state, fan.id, s.id)
        .await
        .expect("unreblog");
    let s = status(&app, s.id).await.expect("status");
    assert_eq!((s.favourites_count, s.reblogs_count), (0, 0));
    assert!(
        notifications_of(&app, author.id).await.is_empty(),
        "undone actions take their notifications"
    );
    assert!(status(&app, boost.id).await.is_none());
}

#[tokio::test]
async fn private_and_direct_posts_cannot_be_boosted_by_others() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await.account;
    let fan = app.create_user("fan").await.account;
    follows::follow(&app.state, fan.id, author.id, FollowOptions::default())
        .await
        .expect("follow");
    let private = post(&app, author.id, "followers only", Visibility::Private).await;
    let refused = interactions::reblog(&app.state, fan.id, private.id).await;
    assert!(
        matches!(refused, Err(AppError::Forbidden(_))),
        "{refused:?}"
    );
    assert!(
        interactions::reblog(&app.state, author.id, private.id)
            .await
            .is_ok(),
        "own followers-only boost"
    );
}

#[tokio::test]
async fn bookmarks_and_pins() {
    let app = TestApp::new().await;
    let a = app.create_user("hanako").await.account;
    let b = app.create_user("taro").await.account;
    let s = post(&app, a.id, "pin me", Visibility::Public).await;
    interactions::bookmark(&app.state, b.id, s.id)
        .await
        .expect("bookmark");
    interactions::bookmark(&app.state, b.id, s.id)
        .await
        .expect("twice is fine");
    let marks = app
        .state
        .db
        .run(move |conn| {
            Ok(store::relations::bookmarks_of(
                conn,
                b.id,
                &store::Page::first(20),
            )?)
        })
        .await
        .expect("bookmarks");
    assert_eq!(marks.len(), 1);
    interactions::pin(&app.state, a.id, s.id)
        .await
        .expect("pin");
    assert!(matches!(
        interactions::pin(&app.state, b.id, s.id).await,
        Err(AppError::Unprocessable(_))
    ));
    for i in 0..4 {
        let extra = post(&app, a.id, &format!("extra {i}"), Visibility::Public).await;
        interactions::pin(&app.state, a.id, extra.id)
            .await
            .expect("pin");
    }
    let sixth = post(&app, a.id, "sixth", Visibility::Public).await;
    assert!(matches!(
        interactions::pin(&app.state, a.id, sixth.id).await,
        Err(AppError::Unprocessable(_))
    ));
}

#[tokio::test]
async fn blocks_end_follows_and_hide_both_ways() {
    let app = TestApp::new().await;
    let a = app.create_user("hanako").await.account;
    let b = app.create_user("taro").await.account;
    follows::follow(&app.state, a.id, b.id, FollowOptions::default())
        .await
        .expect("follow");
    follows::follow(&app.state, b.id, a.id, FollowOptions::default())
        .await
        .expect("follow");
    let s = post(&app, b.id, "visible until blocked", Visibility::Public).await;
    assert!(home_ids(&app, a.id).await.contains(&s.id));

    blocks::block(&app.state, a.id, b.id).await.expect("block");
    assert!(!home_ids(&app, a.id).await.contains(&s.id));
    assert!(matches!(
        interactions::favourite(
            &app.state,
            b.id,
            post(&app, a.id, "x", Visibility::Public).await.id
        )
        .await,
        Err(AppError::NotFound)
    ));
    assert!(
        follows::follow(&app.state, b.id, a.id, FollowOptions::default())
            .await
            .is_err()
    );
    let none = app
        .state
        .db
        .run(move |conn| {
            Ok((
                store::relations::find_follow(conn, a.id, b.id)?,
                store::relations::find_follow(conn, b.id, a.id)?,
            ))
        })
        .await
        .expect("query");
    assert!(none.0.is_none() && none.1.is_none());
    blocks::unblock(&app.state, a.id, b.id)
        .await
        .expect("unblock");
}

#[tokio::test]
async fn mutes_hide_posts_boosts_and_notifications() {
    let app = TestApp::new().await;
    let me = app.create_user("me").await.account;
    let loud = app.create_user("loud").await.account;
    let friend = app.create_user("friend").await.account;
    follows::follow(&app.state, me.id, loud.id, FollowOptions::default())
        .await
        .expect("follow");
    follows::follow(&app.state, me.id, friend.id, FollowOptions::default())
        .await
        .expect("follow");
    blocks::mute(&app.state, me.id, loud.id, true, None)
        .await
        .expect("mute");
    let shout = post(&app, loud.id, "@me LOUD", Visibility::Public).await;
    let boost = interactions::reblog(&app.state, friend.id, shout.id)
        .await
        .expect("boost");
    let home = home_ids(&app, me.id).await;
    assert!(
        !home.contains(&shout.id) && !home.contains(&boost.id),
        "{home:?}"
    );
    assert!(notifications_of(&app, me.id).await.is_empty());
    blocks::unmute(&app.state, me.id, loud.id)
        .await
        .expect("unmute");
    assert!(home_ids(&app, me.id).await.contains(&shout.id));
}
