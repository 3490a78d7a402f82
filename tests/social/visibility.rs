//! Who sees what: the four visibilities, profiles, public timelines and paging.

use kakehashi::db::store::Page;
use kakehashi::db::store::statuses::{AccountStatusesFilter, Origin};
use kakehashi::domain::follows::{self, FollowOptions};
use kakehashi::domain::timelines;
use kakehashi::domain::visibility::{self, Visibility};

use super::post;
use crate::support::TestApp;

#[tokio::test]
async fn each_visibility_reaches_its_audience() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await.account;
    let follower = app.create_user("follower").await.account;
    let mentioned = app.create_user("mentioned").await.account;
    let stranger = app.create_user("stranger").await.account;
    follows::follow(&app.state, follower.id, author.id, FollowOptions::default())
        .await
        .expect("follow");
    let public = post(&app, author.id, "public", Visibility::Public).await;
    let unlisted = post(&app, author.id, "unlisted", Visibility::Unlisted).await;
    let private = post(&app, author.id, "private @mentioned", Visibility::Private).await;
    let direct = post(&app, author.id, "direct @mentioned", Visibility::Direct).await;

    let cases = [
        (None, [true, true, false, false]),
        (Some(stranger.id), [true, true, false, false]),
        (Some(follower.id), [true, true, true, false]),
        (Some(mentioned.id), [true, true, true, true]),
        (Some(author.id), [true, true, true, true]),
    ];
    for (viewer, expected) in cases {
        let statuses = [
            public.clone(),
            unlisted.clone(),
            private.clone(),
            direct.clone(),
        ];
        let seen = app
            .state
            .db
            .run(move |conn| {
                statuses
                    .iter()
                    .map(|s| visibility::can_view(conn, viewer, s))
                    .collect::<Result<Vec<_>, _>>()
            })
            .await
            .expect("check");
        assert_eq!(seen, expected, "viewer {viewer:?}");
    }

    let public_timeline = app
        .state
        .db
        .run(|conn| timelines::public(conn, None, Origin::Local, None, &Page::first(20)))
        .await
        .expect("public");
    assert_eq!(
        public_timeline.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![public.id],
        "unlisted stays out"
    );

    let profile_for_stranger = app
        .state
        .db
        .run(move |conn| {
            timelines::account_statuses(
                conn,
                Some(stranger.id),
                author.id,
                AccountStatusesFilter {
                    exclude_replies: false,
                    exclude_reblogs: false,
                    visibilities: vec![],
                    tagged: None,
                    only_media: false,
                },
                &Page::first(20),
            )
        })
        .await
        .expect("profile");
    assert_eq!(
        profile_for_stranger
            .iter()
            .map(|s| s.id)
            .collect::<Vec<_>>(),
        vec![unlisted.id, public.id]
    );
}

#[tokio::test]
async fn pages_follow_mastodon_semantics() {
    let app = TestApp::new().await;
    let author = app.create_user("author").await.account;
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.push(
            post(&app, author.id, &format!("post {i}"), Visibility::Public)
                .await
                .id,
        );
    }
    let read = |page: Page| {
        let state = app.state.clone();
        async move {
            state
                .db
                .run(move |conn| timelines::public(conn, None, Origin::All, None, &page))
                .await
                .expect("page")
                .into_iter()
                .map(|s| s.id)
                .collect::<Vec<_>>()
        }
    };
    // Newest first, `limit` at a time, older with max_id.
    assert_eq!(read(Page::first(3)).await, vec![ids[6], ids[5], ids[4]]);
    assert_eq!(
        read(Page {
            max_id: Some(ids[4]),
            limit: 3,
            ..Page::default()
        })
        .await,
        vec![ids[3], ids[2], ids[1]]
    );
    // since_id: the newest above it; min_id: the ones just above it. Both newest first.
    assert_eq!(
        read(Page {
            since_id: Some(ids[1]),
            limit: 2,
            ..Page::default()
        })
        .await,
        vec![ids[6], ids[5]]
    );
    assert_eq!(
        read(Page {
            min_id: Some(ids[1]),
            limit: 2,
            ..Page::default()
        })
        .await,
        vec![ids[3], ids[2]]
    );
}
