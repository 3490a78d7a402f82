//! `kakehashi serve` as a process: it serves, stops gracefully and keeps its data.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::support::TestDatabase;
use crate::support::app::PASSWORD;
use crate::support::process::{ServerProcess, run};

#[tokio::test]
async fn serves_stops_on_sigterm_finishing_requests_and_keeps_accounts() {
    let db = TestDatabase::create();
    let env = [("KAKEHASHI_DATABASE__URL", db.url.as_str())];
    let created = run(
        db.dir.path(),
        &env,
        &[
            "admin",
            "create-user",
            "hanako",
            "hanako@city.example",
            "--password",
            PASSWORD,
        ],
        None,
    );
    assert!(created.status.success());

    let mut server = ServerProcess::start(db.dir.path(), &env).await;
    let client = reqwest::Client::new();
    for path in ["/healthz", "/readyz", "/"] {
        let response = client
            .get(format!("{}{path}", server.base_url))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 200, "{path}");
    }

    // A request whose body is still arriving when SIGTERM comes is answered before the exit.
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    let body = "username=x&email=x%40city.example&password=long-enough-password-1";
    write!(
        stream,
        "POST /setup/not-a-token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        body.len(),
        &body[..10]
    )
    .expect("send head");
    stream.flush().expect("flush");
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.signal("TERM");
    tokio::time::sleep(Duration::from_millis(300)).await;
    stream.write_all(&body.as_bytes()[10..]).expect("send rest");
    let mut answer = String::new();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream.read_to_string(&mut answer).expect("read answer");
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "in-flight request answered: {answer}"
    );

    let status = server.wait(Duration::from_secs(20)).await;
    assert!(status.success(), "clean exit: {}", server.log_text());

    // Started again on the same database, it still knows the account.
    let mut again = ServerProcess::start(db.dir.path(), &env).await;
    let listed = run(db.dir.path(), &env, &["admin", "list-users"], None);
    assert!(String::from_utf8_lossy(&listed.stdout).contains("hanako"));
    assert!(again.stop().await.success());
}

#[tokio::test]
async fn prints_a_setup_link_while_there_is_no_administrator() {
    let db = TestDatabase::create();
    let env = [("KAKEHASHI_DATABASE__URL", db.url.as_str())];
    let mut server = ServerProcess::start(db.dir.path(), &env).await;
    let log = server.log_text();
    let link = log
        .split_whitespace()
        .find(|w| w.starts_with("http://") && w.contains("/setup/"))
        .expect("setup link printed")
        .to_owned();
    let page = reqwest::get(&link)
        .await
        .expect("open link")
        .text()
        .await
        .expect("text");
    assert!(page.contains("<form method=\"post\""), "{page}");
    assert!(server.stop().await.success());
}
