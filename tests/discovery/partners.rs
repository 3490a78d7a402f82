//! alpha and gamma become partners by an admin action on each side (not through beta): a public
//! group event on alpha reaches gamma's directory (API and page); an instance that is not a
//! partner cannot announce events into it.

use std::time::SystemTime;

use axum::http::{HeaderValue, Method, header};
use kakehashi::db::models::AccountRow;
use kakehashi::db::store;
use kakehashi::domain::discovery;
use kakehashi::domain::groups::{self, NewGroup};
use kakehashi::federation_glue::discovery as glue;
use kakehashi_federation::signatures::{OutgoingRequest, SigningKey, sign_request};
use serde_json::json;

use super::event;
use crate::support::network::{Instance, Network, PATIENCE, eventually};

/// A client that reaches `*.test` names on loopback.
pub fn client(net: &Network) -> reqwest::Client {
    let mut builder = reqwest::Client::builder();
    for instance in &net.instances {
        builder = builder.resolve(
            &format!("{}.test", instance.name),
            std::net::SocketAddr::from(([127, 0, 0, 1], instance.port)),
        );
    }
    builder.build().expect("client")
}

/// `from`'s admin makes `to` a partner (what `kakehashi admin partner add <domain>` does).
pub async fn partner(from: &Instance, to: &Instance) {
    let actor = glue::resolve_instance_actor(from.state(), &to.domain)
        .await
        .expect("resolve the instance actor");
    assert_eq!(actor.actor_type, "Application");
    discovery::add_partner(from.state(), actor)
        .await
        .expect("add partner");
}

/// Waits until `instance` sees its partnership with `other` active both ways.
pub async fn wait_active(instance: &Instance, other: &Instance) {
    let state = instance.state().clone();
    let domain = other.domain.clone();
    eventually("the partnership is active", PATIENCE, || {
        let state = state.clone();
        let domain = domain.clone();
        async move {
            discovery::list(&state, false)
                .await
                .ok()?
                .into_iter()
                .find(|p| p.actor.domain.as_deref() == Some(domain.as_str()) && p.active())
        }
    })
    .await;
}

pub async fn group_event(instance: &Instance, title: &str) -> kakehashi::db::models::EventRow {
    let owner = instance.user("chief").await;
    let group = groups::create(
        instance.state(),
        &owner,
        NewGroup {
            slug: "bousai".to_owned(),
            display_name: "防災研究会".to_owned(),
            note: String::new(),
            rules: String::new(),
            topics: vec![],
            members_only: false,
            join_policy: groups::OPEN.to_owned(),
        },
    )
    .await
    .expect("group");
    event(instance.state(), owner.account.id, title, 7, |d| {
        d.group_id = Some(group.id);
        d.prefecture = Some("13".to_owned());
        d.place_name = Some("千代田区役所".to_owned());
        d.tags = vec!["防災".to_owned()];
    })
    .await
}

/// The event with this ActivityPub id, once `instance` has it.
pub async fn arrives(instance: &Instance, ap_id: &str) -> kakehashi::db::models::EventRow {
    let state = instance.state().clone();
    let ap_id = ap_id.to_owned();
    eventually("the event reached the directory", PATIENCE, || {
        let state = state.clone();
        let ap_id = ap_id.clone();
        async move {
            state
                .db
                .run(move |conn| Ok(store::events::find_by_ap_id(conn, &ap_id)?))
                .await
                .ok()
                .flatten()
        }
    })
    .await
}

async fn instance_actor(instance: &Instance) -> AccountRow {
    let ap_id = instance.state().urls.instance_actor().to_string();
    instance
        .state()
        .db
        .run(move |conn| Ok(store::accounts::find_by_ap_id(conn, &ap_id)?))
        .await
        .expect("query")
        .expect("instance actor")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partners_carry_public_events_into_each_others_directory() {
    let net = Network::start(&["alpha", "beta", "gamma"]).await;
    let (alpha, beta, gamma) = (net.get("alpha"), net.get("beta"), net.get("gamma"));

    // alpha's admin asks first: gamma holds the follow until its own admin agrees.
    partner(alpha, gamma).await;
    let gamma_state = gamma.state().clone();
    let alpha_actor = alpha.state().urls.instance_actor().to_string();
    eventually("gamma holds alpha's request", PATIENCE, || {
        let state = gamma_state.clone();
        let alpha_actor = alpha_actor.clone();
        async move {
            discovery::requests(&state)
                .await
                .ok()?
                .into_iter()
                .find(|a| a.ap_id == alpha_actor)
        }
    })
    .await;
    let alpha_view = discovery::list(alpha.state(), false).await.expect("list");
    assert_eq!(alpha_view.len(), 1);
    assert!(!alpha_view[0].active());

    partner(gamma, alpha).await;
    wait_active(alpha, gamma).await;
    wait_active(gamma, alpha).await;
    assert!(
        discovery::requests(gamma.state())
            .await
            .expect("requests")
            .is_empty()
    );

    let seminar = group_event(alpha, "防災訓練セミナー").await;
    let copy = arrives(gamma, &seminar.ap_id).await;
    assert!(!copy.local);
    assert_eq!(copy.title, "防災訓練セミナー");
    assert_eq!(copy.starts_at, seminar.starts_at);
    assert_eq!(copy.timezone, "Asia/Tokyo");
    assert_eq!(copy.prefecture, Some(13));

    // gamma's directory, API and page.
    let http = client(&net);
    let query = form_urlencoded::byte_serialize("防災".as_bytes()).collect::<String>();
    let listed: serde_json::Value = http
        .get(format!(
            "{}/api/v1/kakehashi/events/directory?q={query}&prefecture=13",
            gamma.base_url()
        ))
        .send()
        .await
        .expect("directory")
        .json()
        .await
        .expect("json");
    let ids: Vec<&str> = listed
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(ids, vec![copy.id.to_string().as_str()]);
    let page = http
        .get(format!("{}/events?q={query}&lang=ja", gamma.base_url()))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("防災訓練セミナー") && page.contains("他のインスタンス"));
    // beta is nobody's partner: it has not heard of the event.
    let beta_state = beta.state().clone();
    let ap_id = seminar.ap_id.clone();
    assert!(
        beta_state
            .db
            .run(move |conn| Ok(store::events::find_by_ap_id(conn, &ap_id)?))
            .await
            .expect("query")
            .is_none()
    );

    // beta's instance actor announcing its own event to gamma is refused.
    let organiser = beta.user("hiro").await;
    let own = event(
        beta.state(),
        organiser.account.id,
        "防災 無断の告知",
        5,
        |_| {},
    )
    .await;
    let actor = instance_actor(beta).await;
    let key = SigningKey::from_pem(
        url::Url::parse(&format!("{}#main-key", actor.ap_id)).expect("key id"),
        actor.private_key_pem.as_deref().expect("key"),
    )
    .expect("signing key");
    let announce = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Announce",
        "id": format!("{}/announces/unasked", actor.ap_id),
        "actor": actor.ap_id,
        "object": own.ap_id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    let inbox = url::Url::parse(&format!("{}/inbox", gamma.base_url())).expect("inbox");
    let body = serde_json::to_vec(&announce).expect("json");
    let mut headers = sign_request(
        &OutgoingRequest {
            method: &Method::POST,
            url: &inbox,
            body: Some(&body),
            content_type: Some("application/activity+json"),
        },
        &key,
        SystemTime::now(),
    )
    .expect("sign");
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/activity+json"),
    );
    let mut request = http.post(inbox.as_str()).body(body);
    for (name, value) in &headers {
        request = request.header(name.as_str(), value.as_bytes());
    }
    let response = request.send().await.expect("send");
    assert_eq!(response.status().as_u16(), 403);
    let own_id = own.ap_id.clone();
    assert!(
        gamma
            .state()
            .db
            .run(move |conn| Ok(store::events::find_by_ap_id(conn, &own_id)?))
            .await
            .expect("query")
            .is_none()
    );

    // Ending the partnership: gamma stops following alpha and removes alpha's follow.
    let alpha_on_gamma = glue::find_known(gamma.state(), &alpha.domain)
        .await
        .expect("known");
    discovery::remove(gamma.state(), alpha_on_gamma)
        .await
        .expect("remove");
    let alpha_state = alpha.state().clone();
    eventually("alpha sees the partnership ended", PATIENCE, || {
        let state = alpha_state.clone();
        async move {
            let list = discovery::list(&state, false).await.ok()?;
            list.iter()
                .all(|p| !p.active() && p.their_follow.is_none())
                .then_some(())
        }
    })
    .await;
}
