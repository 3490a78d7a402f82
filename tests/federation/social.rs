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

async fn follow_remote(
    follower_instance: &Instance,
    follower: i64,
    target: &kakehashi::db::models::AccountRow,
) {
    follows::follow(
        follower_instance.state(),
        follower,
        target.id,
        FollowOptions::default(),
    )
    .await
    .expect("follow");
    let state = follower_instance.state().clone();
    let target_id = target.id;
    eventually("the follow is accepted", PATIENCE, || {
        let state = state.clone();
        async move {
            state
                .db
                .run(move |conn| Ok(store::relations::find_follow(conn, follower, target_id)?))
                .await
                .ok()
                .flatten()
                .filter(|f| f.accepted())
        }
    })
    .await;
}

async fn deliveries_of(
    instance: &Instance,
    activity_ap_id: &str,
) -> Vec<kakehashi::db::models::DeliveryRow> {
    let ap_id = activity_ap_id.to_owned();
    instance
        .state()
        .db
        .run(move |conn| {
            let Some(activity) = store::federation::find_activity_by_ap_id(conn, &ap_id)? else {
                return Ok(Vec::new());
            };
            Ok(store::federation::deliveries_of(conn, activity.id)?)
        })
        .await
        .expect("deliveries")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_account_approves_a_remote_follower() {
    let net = Network::start(&["alpha", "beta"]).await;
    let (alpha, beta) = (net.get("alpha"), net.get("beta"));
    let hanako = alpha.user("hanako").await.account;
    let id = hanako.id;
    alpha
        .state()
        .db
        .run(move |conn| {
            use diesel::prelude::*;
            use kakehashi::db::schema::accounts;
            diesel::update(accounts::table.find(id))
                .set(accounts::locked.eq(true))
                .execute(conn)?;
            Ok(())
        })
        .await
        .expect("lock");
    let taro = beta.user("taro").await.account;
    let hanako_on_beta = beta.remote("hanako", alpha).await;
    assert!(
        hanako_on_beta.locked,
        "manuallyApprovesFollowers reached beta"
    );
    follows::follow(
        beta.state(),
        taro.id,
        hanako_on_beta.id,
        FollowOptions::default(),
    )
    .await
    .expect("follow");

    let alpha_state = alpha.state().clone();
    let taro_on_alpha = eventually("the request reaches alpha", PATIENCE, || {
        let state = alpha_state.clone();
        async move {
            state
                .db
                .run(move |conn| {
                    Ok(store::relations::followers_page(
                        conn,
                        id,
                        "pending",
                        &Page::first(10),
                    )?)
                })
                .await
                .ok()
                .and_then(|rows| rows.into_iter().next())
        }
    })
    .await
    .1;
    // Not accepted while the member has not decided.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let pending = beta
        .state()
        .db
        .run(move |conn| {
            Ok(store::relations::find_follow(
                conn,
                taro.id,
                hanako_on_beta.id,
            )?)
        })
        .await
        .expect("query")
        .expect("follow");
    assert!(!pending.accepted());

    follows::authorize(alpha.state(), hanako.id, taro_on_alpha.id)
        .await
        .expect("authorize");
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
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_reaches_two_instances_once_each_through_their_shared_inboxes() {
    let net = Network::start(&["alpha", "beta", "gamma"]).await;
    let (alpha, beta, gamma) = (net.get("alpha"), net.get("beta"), net.get("gamma"));
    let hanako = alpha.user("hanako").await.account;
    let taro = beta.user("taro").await.account;
    let jiro = beta.user("jiro").await.account;
    let saburo = gamma.user("saburo").await.account;
    let on_beta = beta.remote("hanako", alpha).await;
    let on_gamma = gamma.remote("hanako", alpha).await;
    follow_remote(beta, taro.id, &on_beta).await;
    follow_remote(beta, jiro.id, &on_beta).await;
    follow_remote(gamma, saburo.id, &on_gamma).await;

    let status = post(alpha, hanako.id, "全国の皆さんへ", Visibility::Public, None).await;
    let on_b = eventually("beta has it", PATIENCE, || {
        status_by_ap_id(beta, &status.ap_id)
    })
    .await;
    let on_g = eventually("gamma has it", PATIENCE, || {
        status_by_ap_id(gamma, &status.ap_id)
    })
    .await;
    assert!(home_ids(beta, taro.id).await.contains(&on_b.id));
    assert!(home_ids(beta, jiro.id).await.contains(&on_b.id));
    assert!(home_ids(gamma, saburo.id).await.contains(&on_g.id));

    let create_id = format!("{}/activity", status.ap_id);
    let deliveries = eventually("deliveries are done", PATIENCE, || async {
        let rows = deliveries_of(alpha, &create_id).await;
        rows.iter().all(|d| d.state == "delivered").then_some(rows)
    })
    .await;
    let mut inboxes: Vec<String> = deliveries.iter().map(|d| d.inbox_url.clone()).collect();
    inboxes.sort();
    assert_eq!(
        inboxes,
        vec![
            format!("http://{}/inbox", beta.domain),
            format!("http://{}/inbox", gamma.domain)
        ],
        "one request per remote shared inbox, though beta has two followers"
    );
    assert!(deliveries.iter().all(|d| d.attempts == 1), "{deliveries:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_thread_is_assembled_across_three_instances() {
    let net = Network::start(&["alpha", "beta", "gamma"]).await;
    let (alpha, beta, gamma) = (net.get("alpha"), net.get("beta"), net.get("gamma"));
    let hanako = alpha.user("hanako").await.account;
    let taro = beta.user("taro").await.account;
    let saburo = gamma.user("saburo").await.account;
    let hanako_on_beta = beta.remote("hanako", alpha).await;
    follow_remote(beta, taro.id, &hanako_on_beta).await;

    let root = post(
        alpha,
        hanako.id,
        "防災訓練の資料を共有します",
        Visibility::Public,
        None,
    )
    .await;
    let root_on_beta = eventually("root on beta", PATIENCE, || {
        status_by_ap_id(beta, &root.ap_id)
    })
    .await;
    let answer = post(
        beta,
        taro.id,
        &format!("@hanako@{} ありがとうございます", alpha.domain),
        Visibility::Public,
        Some(root_on_beta.id),
    )
    .await;
    assert_eq!(
        answer.in_reply_to_ap_id.as_deref(),
        Some(root.ap_id.as_str())
    );

    // Gamma finds beta's reply by its URL, which brings in the thread above it.
    let url = url::Url::parse(&answer.ap_id).expect("url");
    let answer_on_gamma =
        match kakehashi::federation_glue::resolve::resolve_url(gamma.state(), &url)
            .await
            .expect("resolve")
        {
            kakehashi::federation_glue::resolve::Resolved::Status(s) => s,
            _ => panic!("a status"),
        };
    assert!(
        status_by_ap_id(gamma, &root.ap_id).await.is_some(),
        "the parent was fetched too"
    );
    let deep = post(
        gamma,
        saburo.id,
        &format!(
            "@taro@{} @hanako@{} 私も参加します",
            beta.domain, alpha.domain
        ),
        Visibility::Public,
        Some(answer_on_gamma.id),
    )
    .await;

    let alpha_state = alpha.state().clone();
    let root_id = root.id;
    let deep_ap_id = deep.ap_id.clone();
    let descendants = eventually("alpha sees the whole thread", PATIENCE, || {
        let state = alpha_state.clone();
        let deep_ap_id = deep_ap_id.clone();
        async move {
            let root = state
                .db
                .run(move |conn| Ok(store::statuses::find(conn, root_id)?))
                .await
                .ok()??;
            let (_, descendants) = state
                .db
                .run(move |conn| statuses::context(conn, None, &root))
                .await
                .ok()?;
            descendants
                .iter()
                .any(|d| d.ap_id == deep_ap_id)
                .then_some(descendants)
        }
    })
    .await;
    let order: Vec<&str> = descendants.iter().map(|d| d.ap_id.as_str()).collect();
    assert_eq!(order, vec![answer.ap_id.as_str(), deep.ap_id.as_str()]);
    assert_eq!(
        status_by_ap_id(alpha, &root.ap_id)
            .await
            .expect("root")
            .replies_count,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn likes_boosts_edits_and_deletes_travel() {
    let net = Network::start(&["alpha", "beta"]).await;
    let (alpha, beta) = (net.get("alpha"), net.get("beta"));
    let hanako = alpha.user("hanako").await.account;
    let taro = beta.user("taro").await.account;
    let hanako_on_beta = beta.remote("hanako", alpha).await;
    follow_remote(beta, taro.id, &hanako_on_beta).await;
    let status = post(alpha, hanako.id, "初版", Visibility::Public, None).await;
    let copy = eventually("beta has it", PATIENCE, || {
        status_by_ap_id(beta, &status.ap_id)
    })
    .await;

    kakehashi::domain::interactions::favourite(beta.state(), taro.id, copy.id)
        .await
        .expect("favourite");
    kakehashi::domain::interactions::reblog(beta.state(), taro.id, copy.id)
        .await
        .expect("boost");
    eventually("counts on alpha", PATIENCE, || async {
        status_by_ap_id(alpha, &status.ap_id)
            .await
            .filter(|s| s.favourites_count == 1 && s.reblogs_count == 1)
    })
    .await;
    let kinds = {
        let id = hanako.id;
        alpha
            .state()
            .db
            .run(move |conn| {
                kakehashi::domain::notifications::list(
                    conn,
                    id,
                    &Default::default(),
                    &Page::first(10),
                )
            })
            .await
            .expect("notifications")
            .into_iter()
            .map(|n| n.kind)
            .collect::<Vec<_>>()
    };
    assert!(
        kinds.contains(&"favourite".to_owned()) && kinds.contains(&"reblog".to_owned()),
        "{kinds:?}"
    );

    kakehashi::domain::interactions::unfavourite(beta.state(), taro.id, copy.id)
        .await
        .expect("unfavourite");
    kakehashi::domain::interactions::unreblog(beta.state(), taro.id, copy.id)
        .await
        .expect("unreblog");
    eventually("undone on alpha", PATIENCE, || async {
        status_by_ap_id(alpha, &status.ap_id)
            .await
            .filter(|s| s.favourites_count == 0 && s.reblogs_count == 0)
    })
    .await;

    statuses::edit(
        alpha.state(),
        hanako.id,
        status.id,
        statuses::EditPost {
            text: "改訂版".into(),
            ..Default::default()
        },
    )
    .await
    .expect("edit");
    eventually("the edit reaches beta", PATIENCE, || async {
        status_by_ap_id(beta, &status.ap_id)
            .await
            .filter(|s| s.content.contains("改訂版") && s.edited_at.is_some())
    })
    .await;

    statuses::delete(
        alpha.state(),
        hanako.id,
        kakehashi::domain::accounts::Role::User,
        status.id,
    )
    .await
    .expect("delete");
    eventually("the deletion reaches beta", PATIENCE, || async {
        status_by_ap_id(beta, &status.ap_id)
            .await
            .is_none()
            .then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_that_was_down_gets_the_post_after_the_sender_restarted() {
    let mut net = Network::start(&["alpha", "beta"]).await;
    let (hanako, taro) = {
        let (alpha, beta) = (net.get("alpha"), net.get("beta"));
        (
            alpha.user("hanako").await.account,
            beta.user("taro").await.account,
        )
    };
    let hanako_on_beta = {
        let (alpha, beta) = (net.get("alpha"), net.get("beta"));
        let remote = beta.remote("hanako", alpha).await;
        follow_remote(beta, taro.id, &remote).await;
        remote
    };

    net.get_mut("beta").stop().await;
    let status = post(
        net.get("alpha"),
        hanako.id,
        "ベータが止まっている間の投稿",
        Visibility::Public,
        None,
    )
    .await;
    let create_id = format!("{}/activity", status.ap_id);
    eventually("a failed attempt is recorded", PATIENCE, || async {
        deliveries_of(net.get("alpha"), &create_id)
            .await
            .into_iter()
            .find(|d| d.attempts >= 1 && d.state == "pending")
    })
    .await;

    // The sender stops too, with the delivery still owed, and both come back.
    net.get_mut("alpha").stop().await;
    net.get_mut("beta").start().await;
    net.get_mut("alpha").start().await;

    let arrived = eventually("beta gets the post after all", PATIENCE, || {
        status_by_ap_id(net.get("beta"), &status.ap_id)
    })
    .await;
    assert!(
        home_ids(net.get("beta"), taro.id)
            .await
            .contains(&arrived.id)
    );
    let _ = hanako_on_beta;
    let delivered = deliveries_of(net.get("alpha"), &create_id).await;
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].state, "delivered");
    assert!(delivered[0].attempts >= 2, "{delivered:?}");
}
