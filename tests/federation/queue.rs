//! The delivery queue shared by several processes: each delivery is sent once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::routing::post;
use chrono::Utc;
use kakehashi::config::Scheme;
use kakehashi::db::models::{ActivityRow, DeliveryRow};
use kakehashi::db::{Db, ids, store};
use kakehashi::state::AppState;
use tokio_util::sync::CancellationToken;

use crate::support::TestDatabase;
use crate::support::app::test_config;
use crate::support::network::{PATIENCE, eventually};

/// A remote inbox that counts what it receives, by activity id.
async fn counting_inbox() -> (u16, Arc<Mutex<HashMap<String, usize>>>) {
    let seen: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let record = seen.clone();
    let app = Router::new().route(
        "/inbox",
        post(move |body: bytes::Bytes| {
            let record = record.clone();
            async move {
                let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                let id = json["id"].as_str().unwrap_or_default().to_owned();
                *record.lock().expect("lock").entry(id).or_default() += 1;
                axum::http::StatusCode::ACCEPTED
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("address").port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (port, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_database_send_each_delivery_once() {
    if !TestDatabase::on_postgres() {
        // Several processes share PostgreSQL only; SQLite serves one process (ADR 0001).
        return;
    }
    let (port, seen) = counting_inbox().await;
    let db = TestDatabase::create();
    let mut config = test_config(&db);
    config.instance.domain = "alpha.test".to_owned();
    config.instance.scheme = Scheme::Http;
    config.federation.allow_http = true;
    config.federation.allow_private_hosts = vec!["remote.test".to_owned()];
    config
        .federation
        .resolve
        .insert("remote.test".to_owned(), format!("127.0.0.1:{port}"));
    config.federation.delivery_poll_ms = 50;
    config.federation.delivery_workers = 3;

    // Two "processes": two pools and two sets of workers over one database.
    let mut states = Vec::new();
    for _ in 0..2 {
        let pool = Db::connect(&config.database_url(), 4)
            .await
            .expect("connect");
        pool.migrate().await.expect("migrate");
        let state = AppState::new(config.clone(), pool).expect("state");
        kakehashi::domain::instance_actor::ensure(&state)
            .await
            .expect("actor");
        states.push(state);
    }
    let sender = kakehashi::domain::accounts::create_local_user(
        &states[0].db,
        &states[0].urls,
        kakehashi::domain::accounts::NewLocalUser {
            username: "sender".into(),
            email: "sender@city.example".into(),
            password: crate::support::app::PASSWORD.into(),
            display_name: None,
            role: kakehashi::domain::accounts::Role::User,
            locale: "ja".into(),
        },
    )
    .await
    .expect("user")
    .account;

    const COUNT: usize = 60;
    let inbox = format!("http://remote.test:{port}/inbox");
    states[0]
        .db
        .transaction(move |conn| {
            let now = Utc::now().naive_utc();
            for n in 0..COUNT {
                let id = ids::next_id();
                let ap_id = format!("http://alpha.test/activities/{n}");
                store::federation::insert_activity(conn, &ActivityRow {
                    id,
                    ap_id: ap_id.clone(),
                    actor_id: sender.id,
                    kind: "Create".into(),
                    object_ap_id: None,
                    body: serde_json::json!({"id": ap_id, "type": "Create", "actor": sender.ap_id}).to_string(),
                    public: true,
                    created_at: now,
                })?;
                store::federation::insert_delivery(conn, &DeliveryRow {
                    id: ids::next_id(),
                    activity_id: id,
                    inbox_url: inbox.clone(),
                    domain: format!("remote.test:{port}"),
                    state: "pending".into(),
                    attempts: 0,
                    next_attempt_at: now,
                    claimed_until: None,
                    last_error: None,
                    created_at: now,
                    updated_at: now,
                })?;
            }
            Ok(())
        })
        .await
        .expect("queue");

    let shutdown = CancellationToken::new();
    let mut workers = Vec::new();
    for state in &states {
        workers.extend(kakehashi::jobs::start(state, shutdown.clone()));
    }
    let state = states[0].clone();
    eventually("every delivery is done", PATIENCE, || {
        let state = state.clone();
        async move {
            let pending = state
                .db
                .run(|conn| Ok(store::federation::count_pending(conn)?))
                .await
                .ok()?;
            (pending == 0).then_some(())
        }
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    shutdown.cancel();
    for worker in workers {
        let _ = worker.await;
    }
    let seen = seen.lock().expect("lock");
    assert_eq!(seen.len(), COUNT, "every activity arrived");
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
}
