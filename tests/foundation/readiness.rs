//! `/readyz` follows the database: 503 within a second while it is gone, 200 once it is back.

use std::time::{Duration, Instant};

use axum::http::StatusCode;

use crate::support::proxy::CuttableProxy;
use crate::support::{TestApp, TestDatabase};

#[tokio::test]
async fn readiness_follows_the_postgres_server_without_a_restart() {
    if !TestDatabase::on_postgres() {
        // SQLite is a file in the process: there is no server to lose.
        return;
    }
    // The app reaches PostgreSQL through a proxy this test can cut, as a stopped server would.
    let db = TestDatabase::create();
    let mut url = url::Url::parse(&db.url).expect("url");
    let target = format!(
        "{}:{}",
        url.host_str().unwrap_or("127.0.0.1"),
        url.port().unwrap_or(5432)
    );
    let proxy = CuttableProxy::start(target).await;
    url.set_host(Some("127.0.0.1")).expect("host");
    url.set_port(Some(proxy.addr.port())).expect("port");
    let proxied = url.to_string();
    let app = TestApp::with_config(|c| c.database.url = proxied).await;

    app.get("/readyz").await.assert_status(StatusCode::OK);

    proxy.cut();
    let started = Instant::now();
    let down = app.get("/readyz").await;
    assert_eq!(
        down.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        down.text()
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "answered in {:?}",
        started.elapsed()
    );
    assert_eq!(down.json()["error"], "The database is not reachable");
    app.get("/healthz").await.assert_status(StatusCode::OK);

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if app.get("/readyz").await.status == StatusCode::OK {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "ready again after the database came back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
