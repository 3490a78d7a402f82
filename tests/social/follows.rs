//! Follows between local members, locked accounts, home feeds.

use kakehashi::db::store;
use kakehashi::domain::follows::{self, FollowOptions};
use kakehashi::domain::visibility::Visibility;

use super::{home_ids, notifications_of, post};
use crate::support::TestApp;

async fn lock(app: &TestApp, account_id: i64) {
    app.state
        .db
        .run(move |conn| {
            use diesel::prelude::*;
            use kakehashi::db::schema::accounts;
            diesel::update(accounts::table.find(account_id))
                .set(accounts::locked.eq(true))
                .execute(conn)?;
            Ok(())
        })
        .await
        .expect("lock");
}

#[tokio::test]
async fn following_fills_the_home_feed_and_unfollowing_empties_it() {
    let app = TestApp::new().await;
    let reader = app.create_user("reader").await.account;
    let writer = app.create_user("writer").await.account;
    let before = post(&app, writer.id, "before the follow", Visibility::Public).await;
    let own = post(&app, reader.id, "my own", Visibility::Public).await;
    assert_eq!(home_ids(&app, reader.id).await, vec![own.id]);

    let follow = follows::follow(&app.state, reader.id, writer.id, FollowOptions::default())
        .await
        .expect("follow");
    assert!(follow.accepted());
    assert_eq!(notifications_of(&app, writer.id).await[0].kind, "follow");
    let after = post(&app, writer.id, "after the follow", Visibility::Private).await;
    let direct = post(&app, writer.id, "@reader secret", Visibility::Direct).await;
    let home = home_ids(&app, reader.id).await;
    assert_eq!(
        home,
        vec![after.id, own.id, before.id],
        "backfilled, followers-only included, no DM"
    );
    assert!(!home.contains(&direct.id));

    follows::unfollow(&app.state, reader.id, writer.id)
        .await
        .expect("unfollow");
    assert_eq!(home_ids(&app, reader.id).await, vec![own.id]);
    let (followers, following) = app
        .state
        .db
        .run(move |conn| {
            Ok((
                store::relations::count_followers(conn, writer.id)?,
                store::relations::count_following(conn, reader.id)?,
            ))
        })
        .await
        .expect("counts");
    assert_eq!((followers, following), (0, 0));
}

#[tokio::test]
async fn a_locked_account_decides_on_requests() {
    let app = TestApp::new().await;
    let asker = app.create_user("asker").await.account;
    let other = app.create_user("other").await.account;
    let locked = app.create_user("locked").await.account;
    lock(&app, locked.id).await;
    let secret = post(&app, locked.id, "followers only", Visibility::Private).await;

    let request = follows::follow(&app.state, asker.id, locked.id, FollowOptions::default())
        .await
        .expect("request");
    assert!(!request.accepted());
    assert_eq!(
        notifications_of(&app, locked.id).await[0].kind,
        "follow_request"
    );
    assert!(!home_ids(&app, asker.id).await.contains(&secret.id));

    follows::authorize(&app.state, locked.id, asker.id)
        .await
        .expect("authorize");
    let kinds: Vec<String> = notifications_of(&app, locked.id)
        .await
        .into_iter()
        .map(|n| n.kind)
        .collect();
    assert_eq!(
        kinds,
        vec!["follow".to_owned()],
        "the request notification became a follow"
    );
    assert!(home_ids(&app, asker.id).await.contains(&secret.id));

    follows::follow(&app.state, other.id, locked.id, FollowOptions::default())
        .await
        .expect("request");
    follows::reject(&app.state, locked.id, other.id)
        .await
        .expect("reject");
    let left = app
        .state
        .db
        .run(move |conn| Ok(store::relations::find_follow(conn, other.id, locked.id)?))
        .await
        .expect("query");
    assert!(left.is_none());
}

#[tokio::test]
async fn boosts_respect_the_show_reblogs_option_and_notify_subscribers() {
    let app = TestApp::new().await;
    let reader = app.create_user("reader").await.account;
    let booster = app.create_user("booster").await.account;
    let author = app.create_user("author").await.account;
    follows::follow(
        &app.state,
        reader.id,
        booster.id,
        FollowOptions {
            reblogs: false,
            notify: true,
        },
    )
    .await
    .expect("follow");
    let original = post(&app, author.id, "worth sharing", Visibility::Public).await;
    let boost = kakehashi::domain::interactions::reblog(&app.state, booster.id, original.id)
        .await
        .expect("boost");
    assert!(
        !home_ids(&app, reader.id).await.contains(&boost.id),
        "boosts hidden for this follow"
    );
    let own = post(&app, booster.id, "own words", Visibility::Public).await;
    assert!(home_ids(&app, reader.id).await.contains(&own.id));
    let notes = notifications_of(&app, reader.id).await;
    assert_eq!(notes.len(), 1);
    assert_eq!(
        (notes[0].kind.as_str(), notes[0].status_id),
        ("status", Some(own.id))
    );
}

/// The counts kept in `account_stats` by triggers, next to counting the rows themselves.
async fn kept_and_counted(app: &TestApp, id: i64) -> ((i64, i64, i64), (i64, i64, i64)) {
    app.state
        .db
        .run(move |conn| {
            use diesel::dsl::count_star;
            use diesel::prelude::*;
            use kakehashi::db::schema::statuses;
            let kept = store::counts::account_counts(conn, &[id])?[&id];
            let posts: i64 = statuses::table
                .filter(statuses::account_id.eq(id))
                .select(count_star())
                .first(conn)?;
            Ok((
                (kept.followers, kept.following, kept.statuses),
                (
                    store::relations::count_followers(conn, id)?,
                    store::relations::count_following(conn, id)?,
                    posts,
                ),
            ))
        })
        .await
        .expect("counts")
}

#[tokio::test]
async fn account_counts_follow_every_change() {
    use kakehashi::domain::accounts::Role;
    use kakehashi::domain::interactions;
    let app = TestApp::new().await;
    let fan = app.create_user("fan").await.account;
    let star = app.create_user("star").await.account;
    let locked = app.create_user("guarded").await.account;
    lock(&app, locked.id).await;

    follows::follow(&app.state, fan.id, star.id, FollowOptions::default())
        .await
        .expect("follow");
    follows::follow(&app.state, fan.id, locked.id, FollowOptions::default())
        .await
        .expect("request");
    assert_eq!(
        kept_and_counted(&app, fan.id).await.0,
        (0, 1, 0),
        "a request is not a follow"
    );
    follows::authorize(&app.state, locked.id, fan.id)
        .await
        .expect("authorize");
    let first = post(&app, star.id, "one", Visibility::Public).await;
    post(&app, star.id, "two", Visibility::Private).await;
    interactions::reblog(&app.state, fan.id, first.id)
        .await
        .expect("boost");
    for id in [fan.id, star.id, locked.id] {
        let (kept, counted) = kept_and_counted(&app, id).await;
        assert_eq!(kept, counted, "account {id}");
    }
    assert_eq!(kept_and_counted(&app, fan.id).await.0, (0, 2, 1));
    assert_eq!(kept_and_counted(&app, star.id).await.0, (1, 0, 2));

    // Deleting the post removes the boost of it too; unfollowing lowers both sides.
    kakehashi::domain::statuses::delete(&app.state, star.id, Role::User, first.id)
        .await
        .expect("delete");
    follows::unfollow(&app.state, fan.id, star.id)
        .await
        .expect("unfollow");
    assert_eq!(kept_and_counted(&app, fan.id).await.0, (0, 1, 0));
    assert_eq!(kept_and_counted(&app, star.id).await.0, (0, 0, 1));
    for id in [fan.id, star.id, locked.id] {
        let (kept, counted) = kept_and_counted(&app, id).await;
        assert_eq!(kept, counted, "account {id}");
    }
}
