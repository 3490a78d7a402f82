//! People and posts travelling between instances.

use kakehashi::db::store::{self, Page};
use kakehashi::domain::follows::{self, FollowOptions};
use kakehashi::domain::statuses::{self, NewPost};
use kakehashi::domain::timelines;
use kakehashi::domain::visibility::Visibility;

use crate::support::network::{Instance, Network, PATIENCE, eventually};

async fn post(
    instance: &Instance,
    author: i64,
    text: &str,
    visibility: Visibility,
    reply_to: Option<i64>,
) -> kakehashi::db::models::StatusRow {
    statuses::post(
        instance.state(),
        author,
        NewPost {
            text: text.to_owned(),
            visibility: Some(visibility),
            in_reply_to_id: reply_to,
            ..NewPost::default()
        },
    )
    .await
    .expect("post")
}

async fn status_by_ap_id(
    instance: &Instance,
    ap_id: &str,
) -> Option<kakehashi::db::models::StatusRow> {
    let ap_id = ap_id.to_owned();
    instance
        .state()
        .db
        .run(move |conn| Ok(store::statuses::find_by_ap_id(conn, &ap_id)?))
        .await
        .expect("query")
}

async fn home_ids(instance: &Instance, account: i64) -> Vec<i64> {
    instance
        .state()
        .db
        .run(move |conn| timelines::home(conn, account, &Page::first(40)))
        .await
        .expect("home")
        .into_iter()
        .map(|s| s.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_across_instances_brings_posts_home() {
    let net = Network::start(&["alpha", "beta"]).await;
    let (alpha, beta) = (net.get("alpha"), net.get("beta"));
    let hanako = alpha.user("hanako").await.account;
    let taro = beta.user("taro").await.account;

    let hanako_on_beta = beta.remote("hanako", alpha).await;
    assert_eq!(hanako_on_beta.ap_id, hanako.ap_id);
    assert_eq!(
        hanako_on_beta.domain.as_deref(),
        Some(alpha.domain.as_str())
    );
    let follow = follows::follow(
        beta.state(),
        taro.id,
        hanako_on_beta.id,
        FollowOptions::default(),
    )
    .await
    .expect("follow");
    assert!(!follow.accepted(), "a remote follow waits for Accept");

    let beta_state = beta.state().clone();
    eventually("the Accept reaches beta", PATIENCE, || {
        let state = beta_state.clone();
        async move {
            state
                .db
                .run(move |conn| {
                    Ok(store::relations::find_follow(
                        conn,
                        taro.id,
                        hanako_on_beta.id,
                    )?)
                })
                .await
                .ok()
                .flatten()
                .filter(|f| f.accepted())
        }
    })
    .await;

    let post = post(
        alpha,
        hanako.id,
        "こんにちは、ベータの皆さん #挨拶",
        Visibility::Public,
        None,
    )
    .await;
    let arrived = eventually("the post reaches beta", PATIENCE, || {
        status_by_ap_id(beta, &post.ap_id)
    })
    .await;
    assert!(arrived.content.contains("こんにちは"));
    assert_eq!(arrived.visibility, "public");
    assert!(home_ids(beta, taro.id).await.contains(&arrived.id));
}
