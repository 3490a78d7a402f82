//! The inbox refuses what ActivityPub servers have been attacked with (see security-perf.md):
//! forged and unbound signatures, wrong Host, keys not owned by the actor, cross-origin ids,
//! acting on others' objects, replays, oversized bodies; and our fetches refuse private targets.

use std::time::SystemTime;

use axum::http::{HeaderMap, HeaderValue, Method, header};
use kakehashi::db::models::AccountRow;
use kakehashi::db::store;
use kakehashi::domain::accounts;
use kakehashi::domain::follows::{self, FollowOptions};
use kakehashi::domain::statuses::{self, NewPost};
use kakehashi::domain::visibility::Visibility;
use kakehashi_federation::signatures::{OutgoingRequest, SigningKey, sign_request};
use serde_json::{Value, json};

use crate::support::network::{Instance, Network, PATIENCE, eventually};

/// A local member of `instance` with their private key, to sign as them.
async fn member(instance: &Instance, name: &str) -> (AccountRow, SigningKey) {
    instance.user(name).await;
    let found = accounts::find_local_user(&instance.state().db, name)
        .await
        .expect("member");
    let account = found.account;
    let key = SigningKey::from_pem(
        url::Url::parse(&format!("{}#main-key", account.ap_id)).expect("key id"),
        account.private_key_pem.as_deref().expect("private key"),
    )
    .expect("signing key");
    (account, key)
}

/// A client that reaches `*.test` names on loopback, as the instances' own client does.
fn client(net: &Network) -> reqwest::Client {
    let mut builder = reqwest::Client::builder();
    for instance in &net.instances {
        builder = builder.resolve(
            &format!("{}.test", instance.name),
            std::net::SocketAddr::from(([127, 0, 0, 1], instance.port)),
        );
    }
    builder.build().expect("client")
}

struct Signed {
    url: url::Url,
    headers: HeaderMap,
    body: Vec<u8>,
}

fn sign(inbox: &str, activity: &Value, key: &SigningKey) -> Signed {
    let url = url::Url::parse(inbox).expect("inbox");
    let body = serde_json::to_vec(activity).expect("json");
    let mut headers = sign_request(
        &OutgoingRequest {
            method: &Method::POST,
            url: &url,
            body: Some(&body),
            content_type: Some("application/activity+json"),
        },
        key,
        SystemTime::now(),
    )
    .expect("sign");
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/activity+json"),
    );
    Signed { url, headers, body }
}

async fn send(client: &reqwest::Client, signed: &Signed) -> (u16, String) {
    let mut request = client.post(signed.url.as_str()).body(signed.body.clone());
    for (name, value) in &signed.headers {
        request = request.header(name.as_str(), value.as_bytes());
    }
    let response = request.send().await.expect("send");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

fn inbox(instance: &Instance) -> String {
    format!("{}/inbox", instance.base_url())
}

fn follow_of(actor: &AccountRow, target: &AccountRow, n: u32) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Follow",
        "id": format!("{}#test-follows/{n}", actor.ap_id),
        "actor": actor.ap_id,
        "object": target.ap_id,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signatures_must_verify_bind_the_body_and_host_and_belong_to_the_actor() {
    let net = Network::start(&["alpha", "beta"]).await;
    let (alpha, beta) = (net.get("alpha"), net.get("beta"));
    let http = client(&net);
    let hanako = alpha.user("hanako").await.account;
    let (taro, taro_key) = member(beta, "taro").await;
    let (_mallory, mallory_key) = member(beta, "mallory").await;

    // Unsigned.
    let response = http
        .post(inbox(alpha))
        .header("content-type", "application/activity+json")
        .body(serde_json::to_vec(&follow_of(&taro, &hanako, 0)).expect("json"))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status().as_u16(), 401);

    // Body changed after signing (the Digest no longer matches).
    let mut tampered = sign(&inbox(alpha), &follow_of(&taro, &hanako, 1), &taro_key);
    tampered.body = serde_json::to_vec(&follow_of(&taro, &hanako, 2)).expect("json");
    let (status, body) = send(&http, &tampered).await;
    assert_eq!(status, 401, "{body}");

    // Forged signature value.
    let mut forged = sign(&inbox(alpha), &follow_of(&taro, &hanako, 3), &taro_key);
    let header = forged
        .headers
        .get("signature")
        .expect("signature")
        .to_str()
        .expect("text")
        .to_owned();
    let start = header.find("signature=\"").expect("value") + 11;
    let mut bytes = header.into_bytes();
    bytes[start] = if bytes[start] == b'A' { b'B' } else { b'A' };
    forged.headers.insert(
        "signature",
        HeaderValue::from_bytes(&bytes).expect("header"),
    );
    assert_eq!(send(&http, &forged).await.0, 401);

    // Signed for another host.
    let mut other_host = sign(&inbox(alpha), &follow_of(&taro, &hanako, 4), &taro_key);
    other_host
        .headers
        .insert(header::HOST, HeaderValue::from_static("evil.example"));
    assert_eq!(send(&http, &other_host).await.0, 401);

    // Mallory signs an activity that claims to be Taro's.
    let claimed = sign(&inbox(alpha), &follow_of(&taro, &hanako, 5), &mallory_key);
    let (status, body) = send(&http, &claimed).await;
    assert_eq!(status, 401, "{body}");

    // The same Follow, signed by Taro himself, is accepted (202) and applied.
    let valid = sign(&inbox(alpha), &follow_of(&taro, &hanako, 6), &taro_key);
    let (status, body) = send(&http, &valid).await;
    assert_eq!(status, 202, "{body}");
    let hanako_id = hanako.id;
    let followers = alpha
        .state()
        .db
        .run(move |conn| Ok(store::relations::count_followers(conn, hanako_id)?))
        .await
        .expect("count");
    assert_eq!(followers, 1, "only the valid Follow counted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_must_share_the_actors_origin_and_bodies_are_limited() {
    let net = Network::start(&["alpha", "beta"]).await;
    let (alpha, beta) = (net.get("alpha"), net.get("beta"));
    let http = client(&net);
    let hanako = alpha.user("hanako").await.account;
    let (taro, taro_key) = member(beta, "taro").await;

    let mut cross = follow_of(&taro, &hanako, 1);
    cross["id"] = json!("http://gamma.test/follows/1");
    let (status, body) = send(&http, &sign(&inbox(alpha), &cross, &taro_key)).await;
    assert_eq!(status, 400, "{body}");

    let mut huge = follow_of(&taro, &hanako, 2);
    huge["padding"] = json!("x".repeat(300 * 1024));
    let (status, _) = send(&http, &sign(&inbox(alpha), &huge, &taro_key)).await;
    assert_eq!(status, 413);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_author_may_update_or_delete_and_replays_are_not_reapplied() {
    let net = Network::start(&["alpha", "beta"]).await;
    let (alpha, beta) = (net.get("alpha"), net.get("beta"));
    let http = client(&net);
    let hanako = alpha.user("hanako").await.account;
    let (taro, taro_key) = member(beta, "taro").await;
    let (mallory, mallory_key) = member(beta, "mallory").await;

    // Alpha learns Taro's post by following him.
    let taro_on_alpha = alpha.remote("taro", beta).await;
    follows::follow(
        alpha.state(),
        hanako.id,
        taro_on_alpha.id,
        FollowOptions::default(),
    )
    .await
    .expect("follow");
    let alpha_state = alpha.state().clone();
    eventually("alpha follows taro", PATIENCE, || {
        let state = alpha_state.clone();
        async move {
            state
                .db
                .run(move |conn| {
                    Ok(store::relations::find_follow(
                        conn,
                        hanako.id,
                        taro_on_alpha.id,
                    )?)
                })
                .await
                .ok()
                .flatten()
                .filter(|f| f.accepted())
        }
    })
    .await;
    let taro_post = statuses::post(
        beta.state(),
        taro.id,
        NewPost {
            text: "taro's own words".into(),
            visibility: Some(Visibility::Public),
            ..NewPost::default()
        },
    )
    .await
    .expect("post");
    let ap_id = taro_post.ap_id.clone();
    let find = |instance: &Instance, ap_id: String| {
        let state = instance.state().clone();
        async move {
            state
                .db
                .run(move |conn| Ok(store::statuses::find_by_ap_id(conn, &ap_id)?))
                .await
                .expect("query")
        }
    };
    eventually("alpha has taro's post", PATIENCE, || {
        find(alpha, ap_id.clone())
    })
    .await;

    // Mallory, on the same server, tries to edit and delete it.
    let update = json!({
        "type": "Update", "id": format!("{}#updates/1", mallory.ap_id), "actor": mallory.ap_id,
        "object": {"type": "Note", "id": taro_post.ap_id, "attributedTo": taro.ap_id, "content": "<p>defaced</p>",
                   "to": ["https://www.w3.org/ns/activitystreams#Public"]}
    });
    assert_eq!(
        send(&http, &sign(&inbox(alpha), &update, &mallory_key))
            .await
            .0,
        403
    );
    let delete = json!({"type": "Delete", "id": format!("{}#deletes/1", mallory.ap_id), "actor": mallory.ap_id, "object": taro_post.ap_id});
    assert_eq!(
        send(&http, &sign(&inbox(alpha), &delete, &mallory_key))
            .await
            .0,
        403
    );
    let kept = find(alpha, ap_id.clone()).await.expect("still there");
    assert!(kept.content.contains("taro's own words"));

    // A Like, its Undo, then the original Like replayed: counted once, undone, not re-applied.
    let hanako_post = statuses::post(
        alpha.state(),
        hanako.id,
        NewPost {
            text: "like me".into(),
            visibility: Some(Visibility::Public),
            ..NewPost::default()
        },
    )
    .await
    .expect("post");
    let like = json!({"type": "Like", "id": format!("{}#likes/test-1", taro.ap_id), "actor": taro.ap_id, "object": hanako_post.ap_id});
    let like_request = sign(&inbox(alpha), &like, &taro_key);
    assert_eq!(send(&http, &like_request).await.0, 202);
    assert_eq!(
        find(alpha, hanako_post.ap_id.clone())
            .await
            .expect("post")
            .favourites_count,
        1
    );
    assert_eq!(
        send(&http, &like_request).await.0,
        202,
        "a duplicate is acknowledged"
    );
    assert_eq!(
        find(alpha, hanako_post.ap_id.clone())
            .await
            .expect("post")
            .favourites_count,
        1
    );
    let undo = json!({"type": "Undo", "id": format!("{}#likes/test-1/undo", taro.ap_id), "actor": taro.ap_id, "object": like});
    assert_eq!(
        send(&http, &sign(&inbox(alpha), &undo, &taro_key)).await.0,
        202
    );
    assert_eq!(
        find(alpha, hanako_post.ap_id.clone())
            .await
            .expect("post")
            .favourites_count,
        0
    );
    assert_eq!(send(&http, &like_request).await.0, 202);
    assert_eq!(
        find(alpha, hanako_post.ap_id.clone())
            .await
            .expect("post")
            .favourites_count,
        0,
        "the replay changed nothing"
    );

    // A Delete that arrives before its Create wins.
    let early = json!({"type": "Delete", "id": format!("{}#deletes/2", taro.ap_id), "actor": taro.ap_id, "object": format!("{}/statuses/999", taro.ap_id)});
    assert_eq!(
        send(&http, &sign(&inbox(alpha), &early, &taro_key)).await.0,
        202
    );
    let late = json!({
        "type": "Create", "id": format!("{}/statuses/999/activity", taro.ap_id), "actor": taro.ap_id,
        "object": {"type": "Note", "id": format!("{}/statuses/999", taro.ap_id), "attributedTo": taro.ap_id,
                   "content": "<p>too late</p>", "to": ["https://www.w3.org/ns/activitystreams#Public"]}
    });
    assert_eq!(
        send(&http, &sign(&inbox(alpha), &late, &taro_key)).await.0,
        202
    );
    assert!(
        find(alpha, format!("{}/statuses/999", taro.ap_id))
            .await
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetches_refuse_private_and_loopback_targets() {
    let net = Network::start(&["alpha"]).await;
    let alpha = net.get("alpha");
    // A trap on loopback: any connection to it would be a failure.
    let trap = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("trap");
    let port = trap.local_addr().expect("address").port();
    let touched = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = touched.clone();
    tokio::spawn(async move {
        if trap.accept().await.is_ok() {
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    });
    for target in [
        format!("http://127.0.0.1:{port}/users/x"),
        format!("http://[::1]:{port}/users/x"),
        format!("http://[::ffff:127.0.0.1]:{port}/users/x"),
        format!("http://localhost:{port}/users/x"),
        format!("http://0.0.0.0:{port}/users/x"),
        "http://169.254.169.254/latest/meta-data".to_owned(),
        "http://10.0.0.1/users/x".to_owned(),
    ] {
        let url = url::Url::parse(&target).expect("url");
        let result = kakehashi::federation_glue::resolve::resolve_url(alpha.state(), &url).await;
        assert!(result.is_err(), "{target} was fetched");
    }
    let refused = kakehashi::federation_glue::resolve::resolve_acct(
        alpha.state(),
        &format!("x@127.0.0.1:{port}"),
    )
    .await;
    assert!(refused.is_err(), "WebFinger to loopback refused");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        !touched.load(std::sync::atomic::Ordering::SeqCst),
        "nothing connected to the trap"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_key_is_fetched_again_once() {
    let net = Network::start(&["alpha", "beta"]).await;
    let (alpha, beta) = (net.get("alpha"), net.get("beta"));
    let http = client(&net);
    let hanako = alpha.user("hanako").await.account;
    let (taro, taro_key) = member(beta, "taro").await;
    assert_eq!(
        send(
            &http,
            &sign(&inbox(alpha), &follow_of(&taro, &hanako, 1), &taro_key)
        )
        .await
        .0,
        202
    );

    // Taro's server gives him a new key; alpha still has the old one stored.
    let fresh = kakehashi::domain::keys::generate().expect("keys");
    let (public, private) = (fresh.public_pem.clone(), fresh.private_pem.clone());
    let id = taro.id;
    beta.state()
        .db
        .run(move |conn| {
            use diesel::prelude::*;
            use kakehashi::db::schema::accounts;
            diesel::update(accounts::table.find(id))
                .set((
                    accounts::public_key_pem.eq(public),
                    accounts::private_key_pem.eq(Some(private)),
                ))
                .execute(conn)?;
            Ok(())
        })
        .await
        .expect("rotate");
    let new_key = SigningKey::from_pem(
        url::Url::parse(&format!("{}#main-key", taro.ap_id)).expect("id"),
        &fresh.private_pem,
    )
    .expect("key");
    let undo = json!({"type": "Undo", "id": format!("{}#undo-1", taro.ap_id), "actor": taro.ap_id, "object": follow_of(&taro, &hanako, 1)});
    let (status, body) = send(&http, &sign(&inbox(alpha), &undo, &new_key)).await;
    assert_eq!(status, 202, "verified after fetching the new key: {body}");
    // The old key no longer works.
    let (status, _) = send(
        &http,
        &sign(&inbox(alpha), &follow_of(&taro, &hanako, 2), &taro_key),
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorized_fetch_requires_signed_gets_and_federation_still_works() {
    let net = Network::start_with(&["alpha", "beta"], |name, config| {
        config.federation.authorized_fetch = name == "alpha";
    })
    .await;
    let (alpha, beta) = (net.get("alpha"), net.get("beta"));
    let http = client(&net);
    let hanako = alpha.user("hanako").await.account;
    let post = statuses::post(
        alpha.state(),
        hanako.id,
        NewPost {
            text: "public but signed".into(),
            visibility: Some(Visibility::Public),
            ..NewPost::default()
        },
    )
    .await
    .expect("post");
    for path in [
        hanako.ap_id.clone(),
        post.ap_id.clone(),
        format!("{}/outbox", hanako.ap_id),
        format!("{}/followers", hanako.ap_id),
    ] {
        let response = http
            .get(&path)
            .header("accept", "application/activity+json")
            .send()
            .await
            .expect("get");
        assert_eq!(response.status().as_u16(), 401, "{path} unsigned");
    }
    // The instance actor stays readable, or nobody could check our signatures.
    let actor = http
        .get(format!("{}/actor", alpha.base_url()))
        .header("accept", "application/activity+json")
        .send()
        .await
        .expect("get");
    assert_eq!(actor.status().as_u16(), 200);

    // Beta fetches with its instance actor's signature: resolution and following work.
    let taro = beta.user("taro").await.account;
    let hanako_on_beta = beta.remote("hanako", alpha).await;
    follows::follow(
        beta.state(),
        taro.id,
        hanako_on_beta.id,
        FollowOptions::default(),
    )
    .await
    .expect("follow");
    let url = url::Url::parse(&post.ap_id).expect("url");
    let fetched = kakehashi::federation_glue::resolve::resolve_url(beta.state(), &url).await;
    assert!(
        fetched.is_ok(),
        "a signed fetch of a public post works: {:?}",
        fetched.err()
    );
}
