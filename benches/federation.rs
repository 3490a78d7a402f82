//! Federation throughput on this machine: inbound activities verified and stored per second, and
//! deliveries signed and sent per second. Run with `cargo bench --bench federation`; figures go in
//! docs/PERFORMANCE.md. Everything stays on loopback; every loop is bounded in count and time.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::cast_precision_loss,
    reason = "a benchmark stops with the reason when its set-up fails"
)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::http::{HeaderValue, Method, header};
use axum::routing::post;
use chrono::Utc;
use kakehashi::config::{Config, Scheme};
use kakehashi::db::models::{ActivityRow, DeliveryRow};
use kakehashi::db::{Db, ids, store};
use kakehashi::domain::accounts::{self, NewLocalUser, Role};
use kakehashi::state::AppState;
use kakehashi_federation::signatures::{OutgoingRequest, SigningKey, sign_request};
use tokio::net::TcpListener;

const INBOUND: usize = 400;
const OUTBOUND: usize = 1000;
const CONCURRENCY: usize = 8;
const DEADLINE: Duration = Duration::from_secs(300);

fn config(
    name: &str,
    port: u16,
    peers: &BTreeMap<String, String>,
    dir: &std::path::Path,
) -> Config {
    let mut config = Config::default();
    config.instance.domain = format!("{name}.test:{port}");
    config.instance.scheme = Scheme::Http;
    config.server.data_dir = dir.join(name);
    config.database.url = std::env::var("BENCH_DATABASE_URL")
        .map(|base| format!("{base}_{name}"))
        .unwrap_or_else(|_| format!("sqlite://{}/{name}.sqlite3", dir.display()));
    config.federation.allow_http = true;
    config.federation.allow_private_hosts = peers.keys().cloned().collect();
    config.federation.resolve = peers.clone();
    config.federation.delivery_poll_ms = 50;
    config.federation.delivery_workers = CONCURRENCY;
    config.federation.max_inbox_bytes = 1024 * 1024;
    config.api.rate_limit_requests = 1_000_000;
    config
}

async fn start(config: Config, listener: TcpListener) -> kakehashi::server::Running {
    let db = Db::connect(&config.database_url(), 16)
        .await
        .expect("connect");
    db.migrate().await.expect("migrate");
    let state = AppState::new(config, db).expect("state");
    kakehashi::server::start(state, listener)
        .await
        .expect("start")
}

async fn user(state: &AppState, name: &str) -> kakehashi::domain::accounts::LocalUser {
    accounts::create_local_user(
        &state.db,
        &state.urls,
        NewLocalUser {
            username: name.into(),
            email: format!("{name}@bench.example"),
            password: "bench-password-long-enough-1".into(),
            display_name: None,
            role: Role::User,
            locale: "ja".into(),
        },
    )
    .await
    .expect("user")
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("dir");
        let alpha_listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let beta_listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let sink_listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let (ap, bp, sp) = (
            alpha_listener.local_addr().expect("a").port(),
            beta_listener.local_addr().expect("b").port(),
            sink_listener.local_addr().expect("s").port(),
        );
        let peers: BTreeMap<String, String> = [
            ("alpha.test".to_owned(), format!("127.0.0.1:{ap}")),
            ("beta.test".to_owned(), format!("127.0.0.1:{bp}")),
            ("sink.test".to_owned(), format!("127.0.0.1:{sp}")),
        ]
        .into();
        let alpha = start(config("alpha", ap, &peers, dir.path()), alpha_listener).await;
        let beta = start(config("beta", bp, &peers, dir.path()), beta_listener).await;

        // Inbound: beta's member sends pre-signed posts to alpha's shared inbox.
        let sender = user(&beta.state, "sender").await;
        let key = SigningKey::from_pem(
            url::Url::parse(&format!("{}#main-key", sender.account.ap_id)).expect("id"),
            sender.account.private_key_pem.as_deref().expect("key"),
        )
        .expect("signing key");
        let inbox = url::Url::parse(&format!("http://alpha.test:{ap}/inbox")).expect("inbox");
        let mut requests = Vec::new();
        for n in 0..INBOUND {
            let note_id = format!("{}/statuses/bench-{n}", sender.account.ap_id);
            let body = serde_json::to_vec(&serde_json::json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "type": "Create", "id": format!("{note_id}/activity"), "actor": sender.account.ap_id,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "object": {"type": "Note", "id": note_id, "attributedTo": sender.account.ap_id,
                           "content": format!("<p>ベンチマーク投稿 {n}</p>"),
                           "to": ["https://www.w3.org/ns/activitystreams#Public"]}
            }))
            .expect("json");
            let mut headers = sign_request(
                &OutgoingRequest { method: &Method::POST, url: &inbox, body: Some(&body), content_type: Some("application/activity+json") },
                &key,
                SystemTime::now(),
            )
            .expect("sign");
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/activity+json"));
            requests.push((headers, body));
        }
        let client = reqwest::Client::builder()
            .resolve("alpha.test", std::net::SocketAddr::from(([127, 0, 0, 1], ap)))
            .build()
            .expect("client");
        // One request first, so the sender's key is fetched and stored before timing.
        let (headers, body) = requests.remove(0);
        let response = client.post(inbox.as_str()).headers(headers).body(body).send().await.expect("send");
        assert_eq!(response.status().as_u16(), 202, "{}", response.text().await.unwrap_or_default());
        let started = Instant::now();
        let next = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(requests);
        let mut tasks = Vec::new();
        for _ in 0..CONCURRENCY {
            let (client, next, requests, inbox) = (client.clone(), next.clone(), requests.clone(), inbox.clone());
            tasks.push(tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((headers, body)) = requests.get(i) else { break };
                    let response = client.post(inbox.as_str()).headers(headers.clone()).body(body.clone()).send().await.expect("send");
                    assert_eq!(response.status().as_u16(), 202);
                    if started.elapsed() > DEADLINE {
                        break;
                    }
                }
            }));
        }
        for task in tasks {
            task.await.expect("task");
        }
        let inbound_seconds = started.elapsed().as_secs_f64();
        let inbound_rate = (INBOUND - 1) as f64 / inbound_seconds;

        // Outbound: alpha delivers to a sink that answers 202 at once.
        let received = Arc::new(AtomicUsize::new(0));
        let counter = received.clone();
        let sink = Router::new().route(
            "/inbox",
            post(move || {
                let counter = counter.clone();
                async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    axum::http::StatusCode::ACCEPTED
                }
            }),
        );
        tokio::spawn(async move { axum::serve(sink_listener, sink).await });
        let author = user(&alpha.state, "author").await;
        let started = Instant::now();
        alpha
            .state
            .db
            .transaction(move |conn| {
                let now = Utc::now().naive_utc();
                for n in 0..OUTBOUND {
                    let id = ids::next_id();
                    let ap_id = format!("{}/bench/{n}", author.account.ap_id);
                    store::federation::insert_activity(conn, &ActivityRow {
                        id, ap_id: ap_id.clone(), actor_id: author.account.id, kind: "Create".into(), object_ap_id: None,
                        body: serde_json::json!({"id": ap_id, "type": "Create", "actor": author.account.ap_id, "object": {"type": "Note", "content": "x".repeat(1500)}}).to_string(),
                        public: true, created_at: now,
                    })?;
                    store::federation::insert_delivery(conn, &DeliveryRow {
                        id: ids::next_id(), activity_id: id, inbox_url: format!("http://sink.test:{sp}/inbox"),
                        domain: format!("sink.test:{sp}"), state: "pending".into(), attempts: 0, next_attempt_at: now,
                        claimed_until: None, last_error: None, created_at: now, updated_at: now,
                    })?;
                }
                Ok(())
            })
            .await
            .expect("queue");
        alpha.state.delivery_wakeup.wake();
        while received.load(Ordering::SeqCst) < OUTBOUND && started.elapsed() < DEADLINE {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let outbound_seconds = started.elapsed().as_secs_f64();
        let outbound_rate = received.load(Ordering::SeqCst) as f64 / outbound_seconds;

        println!("backend: {:?}", alpha.state.db.backend());
        println!(
            "inbound: {} activities verified and stored in {inbound_seconds:.2} s = {inbound_rate:.0} activities/s ({CONCURRENCY} concurrent senders)",
            INBOUND - 1
        );
        println!(
            "outbound: {} deliveries signed and sent in {outbound_seconds:.2} s = {outbound_rate:.0} deliveries/s ({CONCURRENCY} workers)",
            received.load(Ordering::SeqCst)
        );
        drop(beta);
        drop(alpha);
    });
}
