//! The social core, driven through `domain`: posts, threads, follows, feeds, favourites, boosts,
//! blocks, mutes, notifications and visibility, on a single instance.

mod follows;
mod interactions;
mod statuses;
mod visibility;

use kakehashi::db::models::{NotificationRow, StatusRow};
use kakehashi::db::store::{self, Page};
use kakehashi::domain::statuses::NewPost;
use kakehashi::domain::visibility::Visibility;
use kakehashi::domain::{notifications, statuses as posts, timelines};

use crate::support::TestApp;

/// Posts `text` as `author` with `visibility`.
pub async fn post(app: &TestApp, author: i64, text: &str, visibility: Visibility) -> StatusRow {
    posts::post(
        &app.state,
        author,
        NewPost {
            text: text.to_owned(),
            visibility: Some(visibility),
            ..NewPost::default()
        },
    )
    .await
    .expect("post")
}

pub async fn reply(app: &TestApp, author: i64, to: i64, text: &str) -> StatusRow {
    posts::post(
        &app.state,
        author,
        NewPost {
            text: text.to_owned(),
            in_reply_to_id: Some(to),
            ..NewPost::default()
        },
    )
    .await
    .expect("reply")
}

/// The first page of a member's home timeline, as status ids.
pub async fn home_ids(app: &TestApp, account: i64) -> Vec<i64> {
    app.state
        .db
        .run(move |conn| timelines::home(conn, account, &Page::first(40)))
        .await
        .expect("home")
        .into_iter()
        .map(|s| s.id)
        .collect()
}

pub async fn notifications_of(app: &TestApp, account: i64) -> Vec<NotificationRow> {
    app.state
        .db
        .run(move |conn| {
            notifications::list(
                conn,
                account,
                &notifications::NotificationFilter::default(),
                &Page::first(40),
            )
        })
        .await
        .expect("notifications")
}

pub async fn status(app: &TestApp, id: i64) -> Option<StatusRow> {
    app.state
        .db
        .run(move |conn| Ok(store::statuses::find(conn, id)?))
        .await
        .expect("find")
}
