//! A group on alpha with members on beta and gamma.

use std::time::Duration;

use kakehashi::db::models::{AccountRow, StatusRow};
use kakehashi::db::store::{self, Page};
use kakehashi::domain::accounts::LocalUser;
use kakehashi::domain::follows::{self, FollowOptions};
use kakehashi::domain::groups::{self, NewGroup};
use kakehashi::domain::statuses::{self, NewPost};
use kakehashi::domain::timelines;
use kakehashi::domain::visibility::Visibility;

use crate::support::network::{Instance, Network, PATIENCE, eventually};

pub async fn make_group(
    instance: &Instance,
    owner: &LocalUser,
    slug: &str,
    policy: &str,
    members_only: bool,
) -> AccountRow {
    groups::create(
        instance.state(),
        owner,
        NewGroup {
            slug: slug.to_owned(),
            display_name: format!("{slug} 研究会"),
            note: "自治体DXの実践コミュニティ".to_owned(),
            rules: "互いに敬意を持って".to_owned(),
            topics: vec!["DX".to_owned()],
            members_only,
            join_policy: policy.to_owned(),
        },
    )
    .await
    .expect("create group")
}

/// `member` on `instance` follows (joins) `group` and waits until accepted.
pub async fn join(instance: &Instance, member: i64, group: &AccountRow) {
    follows::follow(instance.state(), member, group.id, FollowOptions::default())
        .await
        .expect("join");
    let state = instance.state().clone();
    let group_id = group.id;
    eventually("membership accepted", PATIENCE, || {
        let state = state.clone();
        async move {
            state
                .db
                .run(move |conn| Ok(store::relations::find_follow(conn, member, group_id)?))
                .await
                .ok()
                .flatten()
                .filter(|f| f.accepted())
        }
    })
    .await;
}

pub async fn post(
    instance: &Instance,
    author: i64,
    text: &str,
    visibility: Visibility,
) -> Result<StatusRow, kakehashi::error::AppError> {
    statuses::post(
        instance.state(),
        author,
        NewPost {
            text: text.to_owned(),
            visibility: Some(visibility),
            ..NewPost::default()
        },
    )
    .await
}

pub async fn find(instance: &Instance, ap_id: &str) -> Option<StatusRow> {
    let ap_id = ap_id.to_owned();
    instance
        .state()
        .db
        .run(move |conn| Ok(store::statuses::find_by_ap_id(conn, &ap_id)?))
        .await
        .expect("query")
}

async fn home(instance: &Instance, account: i64) -> Vec<StatusRow> {
    instance
        .state()
        .db
        .run(move |conn| timelines::home(conn, account, &Page::first(40)))
        .await
        .expect("home")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_members_post_reaches_members_elsewhere_once_as_a_group_boost() {
    let net = Network::start(&["alpha", "beta", "gamma"]).await;
    let (alpha, beta, gamma) = (net.get("alpha"), net.get("beta"), net.get("gamma"));
    let chief = alpha.user("chief").await;
    let group = make_group(alpha, &chief, "dx-study", groups::OPEN, false).await;
    let taro = beta.user("taro").await.account;
    let saburo = gamma.user("saburo").await.account;
    let group_on_beta = beta.remote("dx-study", alpha).await;
    let group_on_gamma = gamma.remote("dx-study", alpha).await;
    assert_eq!(group_on_beta.actor_type, "Group");
    join(beta, taro.id, &group_on_beta).await;
    join(gamma, saburo.id, &group_on_gamma).await;

    let text = format!("@dx-study@{} 電子申請の導入事例を共有します", alpha.domain);
    let status = post(beta, taro.id, &text, Visibility::Public)
        .await
        .expect("post");
    let on_alpha = eventually("the group took the post", PATIENCE, || async {
        find(alpha, &status.ap_id)
            .await
            .filter(|s| s.group_id == Some(group.id))
    })
    .await;
    let boost_ap = {
        let (gid, sid) = (group.id, on_alpha.id);
        alpha
            .state()
            .db
            .run(move |conn| Ok(store::statuses::find_reblog(conn, gid, sid)?))
            .await
            .expect("query")
            .expect("group boost")
            .ap_id
    };
    // The post is stored first and marked as the group's in a second step (whichever of the
    // group's two announces comes first): wait for both.
    let on_gamma = eventually("gamma has the post as the group's", PATIENCE, || async {
        find(gamma, &status.ap_id)
            .await
            .filter(|s| s.group_id == Some(group_on_gamma.id))
    })
    .await;
    assert_eq!(on_gamma.group_id, Some(group_on_gamma.id));
    let boost_on_gamma = eventually("gamma has the group's boost", PATIENCE, || {
        find(gamma, &boost_ap)
    })
    .await;
    assert_eq!(boost_on_gamma.account_id, group_on_gamma.id);
    assert_eq!(boost_on_gamma.reblog_of_id, Some(on_gamma.id));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let feed = home(gamma, saburo.id).await;
    let related: Vec<&StatusRow> = feed
        .iter()
        .filter(|s| s.id == on_gamma.id || s.reblog_of_id == Some(on_gamma.id))
        .collect();
    assert_eq!(related.len(), 1, "once, as the group's boost: {feed:?}");
    assert_eq!(related[0].account_id, group_on_gamma.id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approval_group_holds_a_join_until_a_moderator_accepts() {
    let net = Network::start(&["alpha", "beta"]).await;
    let (alpha, beta) = (net.get("alpha"), net.get("beta"));
    let chief = alpha.user("chief").await;
    let group = make_group(alpha, &chief, "procurement", groups::APPROVAL, false).await;
    let taro = beta.user("taro").await.account;
    let group_on_beta = beta.remote("procurement", alpha).await;
    assert!(
        group_on_beta.locked,
        "approval shows as manuallyApprovesFollowers"
    );
    follows::follow(
        beta.state(),
        taro.id,
        group_on_beta.id,
        FollowOptions::default(),
    )
    .await
    .expect("ask");
    let group_id = group.id;
    let alpha_state = alpha.state().clone();
    let requester = eventually("the request is held on alpha", PATIENCE, || {
        let state = alpha_state.clone();
        async move {
            state
                .db
                .run(move |conn| {
                    Ok(store::relations::followers_page(
                        conn,
                        group_id,
                        "pending",
                        &Page::first(5),
                    )?)
                })
                .await
                .ok()
                .and_then(|rows| rows.into_iter().next())
                .map(|(_, account)| account)
        }
    })
    .await;
    // The moderators were told.
    let chief_id = chief.account.id;
    let notes = alpha
        .state()
        .db
        .run(move |conn| {
            kakehashi::domain::notifications::list(
                conn,
                chief_id,
                &Default::default(),
                &Page::first(5),
            )
        })
        .await
        .expect("notifications");
    assert!(notes.iter().any(|n| n.kind == "follow_request"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let follow = beta
        .state()
        .db
        .run(move |conn| {
            Ok(store::relations::find_follow(
                conn,
                taro.id,
                group_on_beta.id,
            )?)
        })
        .await
        .expect("q")
        .expect("follow");
    assert!(!follow.accepted(), "held until a moderator decides");

    // A member who is not a moderator cannot approve.
    let outsider = alpha.user("outsider").await;
    assert!(
        groups::approve(alpha.state(), outsider.account.id, group.id, requester.id)
            .await
            .is_err()
    );
    groups::approve(alpha.state(), chief.account.id, group.id, requester.id)
        .await
        .expect("approve");
    let beta_state = beta.state().clone();
    eventually("accepted on beta", PATIENCE, || {
        let state = beta_state.clone();
        async move {
            state
                .db
                .run(move |conn| {
                    Ok(store::relations::find_follow(
                        conn,
                        taro.id,
                        group_on_beta.id,
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
async fn a_banned_member_is_refused_and_a_moderators_deletion_reaches_every_instance() {
    let net = Network::start(&["alpha", "beta", "gamma"]).await;
    let (alpha, beta, gamma) = (net.get("alpha"), net.get("beta"), net.get("gamma"));
    let chief = alpha.user("chief").await;
    let group = make_group(alpha, &chief, "bousai", groups::OPEN, false).await;
    let taro = beta.user("taro").await.account;
    let saburo = gamma.user("saburo").await.account;
    let on_beta = beta.remote("bousai", alpha).await;
    let on_gamma = gamma.remote("bousai", alpha).await;
    join(beta, taro.id, &on_beta).await;
    join(gamma, saburo.id, &on_gamma).await;

    let first = post(
        beta,
        taro.id,
        &format!("@bousai@{} 訓練の日程", alpha.domain),
        Visibility::Public,
    )
    .await
    .expect("post");
    let in_group = eventually("alpha took it", PATIENCE, || async {
        find(alpha, &first.ap_id)
            .await
            .filter(|s| s.group_id == Some(group.id))
    })
    .await;
    eventually("gamma has it", PATIENCE, || find(gamma, &first.ap_id)).await;

    // The moderator deletes it: gone on alpha, gamma and the author's own instance.
    groups::delete_post(
        alpha.state(),
        chief.account.id,
        group.id,
        in_group.id,
        "off topic",
    )
    .await
    .expect("delete");
    assert!(find(alpha, &first.ap_id).await.is_none());
    eventually("gone on gamma", PATIENCE, || async {
        find(gamma, &first.ap_id).await.is_none().then_some(())
    })
    .await;
    eventually("gone on beta", PATIENCE, || async {
        find(beta, &first.ap_id).await.is_none().then_some(())
    })
    .await;
    let log = alpha
        .state()
        .db
        .run(move |conn| Ok(store::groups::log_of(conn, group.id, 10)?))
        .await
        .expect("log");
    assert!(log.iter().any(|l| l.action == "delete"
        && l.reason == "off topic"
        && l.actor_id == Some(chief.account.id)));

    // Banned: membership ends and the next post is not taken in.
    let taro_on_alpha = alpha.remote("taro", beta).await;
    groups::ban(
        alpha.state(),
        chief.account.id,
        group.id,
        taro_on_alpha.id,
        "spam",
    )
    .await
    .expect("ban");
    let beta_state = beta.state().clone();
    eventually("beta learns of the ban", PATIENCE, || {
        let state = beta_state.clone();
        async move {
            state
                .db
                .run(move |conn| Ok(store::relations::find_follow(conn, taro.id, on_beta.id)?))
                .await
                .ok()?
                .is_none()
                .then_some(())
        }
    })
    .await;
    let second = post(
        beta,
        taro.id,
        &format!("@bousai@{} もう一度", alpha.domain),
        Visibility::Public,
    )
    .await
    .expect("post");
    let arrived = eventually("alpha received it", PATIENCE, || find(alpha, &second.ap_id)).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let arrived = find(alpha, &arrived.ap_id).await.expect("stored");
    assert_eq!(arrived.group_id, None, "not taken into the group");
    assert!(
        find(gamma, &second.ap_id).await.is_none(),
        "not relayed to members"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_only_posts_reach_members_and_are_not_fetchable_by_others() {
    let net = Network::start(&["alpha", "beta", "gamma"]).await;
    let (alpha, beta, gamma) = (net.get("alpha"), net.get("beta"), net.get("gamma"));
    let chief = alpha.user("chief").await;
    let group = make_group(alpha, &chief, "kanbu", groups::OPEN, true).await;
    let member = alpha.user("member").await.account;
    join(alpha, member.id, &group).await;
    let taro = beta.user("taro").await.account;
    let on_beta = beta.remote("kanbu", alpha).await;
    join(beta, taro.id, &on_beta).await;
    let _saburo = gamma.user("saburo").await.account;

    let secret = post(
        alpha,
        member.id,
        "@kanbu 内部向けの連絡です",
        Visibility::Public,
    )
    .await
    .expect("post");
    assert_eq!(
        secret.visibility, "direct",
        "a members-only group's post never reaches the author's followers"
    );
    eventually("the remote member gets it", PATIENCE, || {
        find(beta, &secret.ap_id)
    })
    .await;

    // Not for gamma (not a member), neither by a signed fetch nor anonymously.
    let url = url::Url::parse(&secret.ap_id).expect("url");
    let fetched = kakehashi::federation_glue::resolve::resolve_url(gamma.state(), &url).await;
    assert!(fetched.is_err(), "a non-member's server cannot fetch it");
    let anonymous = reqwest::Client::builder()
        .resolve(
            "alpha.test",
            std::net::SocketAddr::from(([127, 0, 0, 1], alpha.port)),
        )
        .build()
        .expect("client")
        .get(secret.ap_id.as_str())
        .header("accept", "application/activity+json")
        .send()
        .await
        .expect("get");
    assert_eq!(anonymous.status().as_u16(), 404);
    // Nor through the member's own profile to anyone else on alpha.
    let outsider = alpha.user("outsider").await.account;
    let can = alpha
        .state()
        .db
        .run(move |conn| {
            let status = store::statuses::find(conn, secret.id)?.expect("status");
            Ok((
                kakehashi::domain::visibility::can_view(conn, Some(outsider.id), &status)?,
                kakehashi::domain::visibility::can_view(conn, Some(chief.account.id), &status)?,
            ))
        })
        .await
        .expect("check");
    assert_eq!(can, (false, true));
}
