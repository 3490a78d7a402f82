//! A small LitePub-style relay on loopback (`relay.test`): instances follow its actor, it follows
//! back, and it re-announces what a follower announces to every other follower. alpha and gamma
//! are not partners; alpha's public event reaches gamma's directory through the relay.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::extract::State;
use axum::http::{HeaderValue, Method, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use kakehashi::domain::discovery::{self, RelayStyle};
use kakehashi::federation_glue::discovery as glue;
use kakehashi_federation::signatures::{OutgoingRequest, SigningKey, sign_request};
use serde_json::{Value, json};

use super::partners::{arrives, group_event};
use crate::support::network::{Network, PATIENCE, eventually};

#[derive(Clone)]
struct Relay {
    base: String,
    public_pem: String,
    key: Arc<SigningKey>,
    http: reqwest::Client,
    /// Follower actor id → its inbox.
    followers: Arc<Mutex<BTreeMap<String, String>>>,
    counter: Arc<Mutex<u32>>,
}

impl Relay {
    fn actor_id(&self) -> String {
        format!("{}/actor", self.base)
    }

    fn next_id(&self, what: &str) -> String {
        let mut counter = self.counter.lock().expect("counter");
        *counter += 1;
        format!("{}/{what}/{}", self.base, *counter)
    }

    async fn deliver(&self, inbox: &str, activity: &Value) {
        let url = url::Url::parse(inbox).expect("inbox");
        let body = serde_json::to_vec(activity).expect("json");
        let mut headers = sign_request(
            &OutgoingRequest {
                method: &Method::POST,
                url: &url,
                body: Some(&body),
                content_type: Some("application/activity+json"),
            },
            &self.key,
            SystemTime::now(),
        )
        .expect("sign");
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/activity+json"),
        );
        let mut request = self.http.post(url.as_str()).body(body);
        for (name, value) in &headers {
            request = request.header(name.as_str(), value.as_bytes());
        }
        let response = request.send().await.expect("deliver");
        assert!(
            response.status().is_success(),
            "{inbox} answered {}",
            response.status()
        );
    }
}

async fn actor(State(relay): State<Relay>) -> impl IntoResponse {
    let id = relay.actor_id();
    (
        [(header::CONTENT_TYPE, "application/activity+json")],
        Json(json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": id,
            "type": "Application",
            "preferredUsername": "relay",
            "inbox": format!("{}/inbox", relay.base),
            "outbox": format!("{}/outbox", relay.base),
            "followers": format!("{}/followers", relay.base),
            "following": format!("{}/following", relay.base),
            "publicKey": {
                "id": format!("{id}#main-key"),
                "owner": id,
                "publicKeyPem": relay.public_pem,
            },
        })),
    )
}

/// What the relay does with an activity (signatures are not checked: this is a test double).
async fn inbox(State(relay): State<Relay>, Json(activity): Json<Value>) -> impl IntoResponse {
    let kind = activity["type"].as_str().unwrap_or_default().to_owned();
    let sender = activity["actor"].as_str().unwrap_or_default().to_owned();
    tokio::spawn(async move {
        match kind.as_str() {
            "Follow" => {
                // Their inbox: the instance's shared inbox.
                let origin = url::Url::parse(&sender).expect("actor");
                let inbox = format!("{}inbox", origin.join("/").expect("origin"));
                relay
                    .followers
                    .lock()
                    .expect("followers")
                    .insert(sender.clone(), inbox.clone());
                let accept = json!({
                    "@context": "https://www.w3.org/ns/activitystreams",
                    "type": "Accept",
                    "id": relay.next_id("accepts"),
                    "actor": relay.actor_id(),
                    "object": activity,
                });
                relay.deliver(&inbox, &accept).await;
                // LitePub relays follow back.
                let follow = json!({
                    "@context": "https://www.w3.org/ns/activitystreams",
                    "type": "Follow",
                    "id": relay.next_id("follows"),
                    "actor": relay.actor_id(),
                    "object": sender,
                });
                relay.deliver(&inbox, &follow).await;
            }
            "Announce" | "Create" => {
                let object = match &activity["object"] {
                    Value::String(id) => id.clone(),
                    other => other["id"].as_str().unwrap_or_default().to_owned(),
                };
                let others: Vec<String> = relay
                    .followers
                    .lock()
                    .expect("followers")
                    .iter()
                    .filter(|(actor, _)| **actor != sender)
                    .map(|(_, inbox)| inbox.clone())
                    .collect();
                for inbox in others {
                    let announce = json!({
                        "@context": "https://www.w3.org/ns/activitystreams",
                        "type": "Announce",
                        "id": relay.next_id("announces"),
                        "actor": relay.actor_id(),
                        "object": object,
                        "to": [format!("{}/followers", relay.base)],
                    });
                    relay.deliver(&inbox, &announce).await;
                }
            }
            _ => {}
        }
    });
    axum::http::StatusCode::ACCEPTED
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_litepub_relay_carries_an_event_between_instances_that_are_not_partners() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("relay port");
    let port = listener.local_addr().expect("address").port();
    listener.set_nonblocking(true).expect("nonblocking");
    let relay_host = format!("relay.test:{port}");
    let net = Network::start_with(&["alpha", "gamma"], |_, config| {
        config
            .federation
            .resolve
            .insert("relay.test".to_owned(), format!("127.0.0.1:{port}"));
        config
            .federation
            .allow_private_hosts
            .push("relay.test".to_owned());
    })
    .await;
    let (alpha, gamma) = (net.get("alpha"), net.get("gamma"));

    let keys = kakehashi::domain::keys::generate().expect("keys");
    let base = format!("http://{relay_host}");
    let mut http = reqwest::Client::builder();
    for instance in &net.instances {
        http = http.resolve(
            &format!("{}.test", instance.name),
            SocketAddr::from(([127, 0, 0, 1], instance.port)),
        );
    }
    let relay = Relay {
        key: Arc::new(
            SigningKey::from_pem(
                url::Url::parse(&format!("{base}/actor#main-key")).expect("key id"),
                &keys.private_pem,
            )
            .expect("key"),
        ),
        public_pem: keys.public_pem,
        base: base.clone(),
        http: http.build().expect("client"),
        followers: Arc::default(),
        counter: Arc::default(),
    };
    let app = Router::new()
        .route("/actor", get(actor))
        .route("/inbox", post(inbox))
        .with_state(relay.clone());
    let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    for instance in [alpha, gamma] {
        let (actor, style) = glue::resolve_relay(instance.state(), &format!("{base}/actor"), None)
            .await
            .expect("resolve relay");
        assert_eq!(style, RelayStyle::LitePub);
        discovery::add_relay(instance.state(), actor, style)
            .await
            .expect("follow the relay");
    }
    for instance in [alpha, gamma] {
        let state = instance.state().clone();
        eventually("the relay accepted and follows back", PATIENCE, || {
            let state = state.clone();
            async move {
                let relays = discovery::list(&state, true).await.ok()?;
                (relays.len() == 1
                    && relays[0].active()
                    && relays[0].their_follow.as_deref() == Some("accepted"))
                .then_some(())
            }
        })
        .await;
    }
    assert!(
        discovery::list(gamma.state(), false)
            .await
            .expect("partners")
            .is_empty()
    );

    let seminar = group_event(alpha, "防災リレー勉強会").await;
    let copy = arrives(gamma, &seminar.ap_id).await;
    assert_eq!(copy.title, "防災リレー勉強会");
    assert!(!copy.local);
    server.abort();
}
