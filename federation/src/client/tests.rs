//! The client against a loopback server. Every address contacted is on 127.0.0.0/8 or ::1;
//! refusals are proven by a "trap" listener that must never see a connection.

use super::*;
use std::{
    io::ErrorKind,
    net::{Ipv4Addr, TcpListener as StdListener},
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

/// A listener nobody may connect to; `assert_untouched` checks its accept queue, where any
/// completed connection would wait.
struct Trap(StdListener);

impl Trap {
    fn v4() -> Self {
        let listener = StdListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        listener.set_nonblocking(true).unwrap();
        Trap(listener)
    }

    fn v6() -> Option<Self> {
        let listener = StdListener::bind("[::1]:0").ok()?;
        listener.set_nonblocking(true).unwrap();
        Some(Trap(listener))
    }

    fn port(&self) -> u16 {
        self.0.local_addr().unwrap().port()
    }

    fn assert_untouched(&self) {
        match self.0.accept() {
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            other => panic!("the trap was connected to: {other:?}"),
        }
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 answering by path; closes each connection after one
/// response.
async fn serve(trap_port: u16) -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(answer(stream, port, trap_port));
        }
    });
    port
}

async fn answer(mut stream: TcpStream, port: u16, trap_port: u16) {
    let mut request = Vec::new();
    let mut buffer = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
    }
    let request = String::from_utf8_lossy(&request).to_string();
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let base = format!("http://alpha.test:{port}");
    let json = |id: &str| format!(r#"{{"id":"{id}","type":"Note"}}"#);
    let (head, body): (String, Vec<u8>) = match path.as_str() {
        "/note" => (
            ok_head("application/activity+json"),
            json(&format!("{base}/note")).into(),
        ),
        "/user-agent" => {
            let agent = request
                .lines()
                .find_map(|l| l.strip_prefix("user-agent: "))
                .unwrap_or_default()
                .to_owned();
            (ok_head("text/plain"), agent.into())
        }
        "/alias" => (
            ok_head("application/activity+json"),
            json(&format!("{base}/note")).into(),
        ),
        "/cross" => (
            ok_head("application/activity+json"),
            json(&format!("http://beta.test:{port}/note")).into(),
        ),
        "/html" => (ok_head("text/html"), json(&format!("{base}/html")).into()),
        "/redirect-ok" => (redirect_head("/note"), Vec::new()),
        "/redirect-loopback" => (
            redirect_head(&format!("http://127.0.0.1:{trap_port}/")),
            Vec::new(),
        ),
        "/redirect-mapped" => (
            redirect_head(&format!("http://[::ffff:127.0.0.1]:{trap_port}/")),
            Vec::new(),
        ),
        "/redirect-internal" => (
            redirect_head(&format!("http://internal.test:{trap_port}/")),
            Vec::new(),
        ),
        "/redirect-loop" => (redirect_head("/redirect-loop"), Vec::new()),
        "/drip" => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/activity+json\r\ncontent-length: 100000\r\nconnection: close\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for _ in 0..100_000 {
                if stream.write_all(b" ").await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            return;
        }
        "/big-chunked" => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/activity+json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b'x'; 16 * 1024];
            for _ in 0..64 {
                let frame = [
                    format!("{:x}\r\n", chunk.len()).into_bytes(),
                    chunk.clone(),
                    b"\r\n".to_vec(),
                ]
                .concat();
                if stream.write_all(&frame).await.is_err() {
                    return;
                }
            }
            let _ = stream.write_all(b"0\r\n\r\n").await;
            return;
        }
        "/big-declared" => {
            // Only the head: the declared length alone must make the client give up.
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/activity+json\r\ncontent-length: 10485760\r\nconnection: close\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            return;
        }
        _ => (
            "HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n".into(),
            Vec::new(),
        ),
    };
    let head = head.replace(
        "\r\n\r\n",
        &format!("\r\ncontent-length: {}\r\n\r\n", body.len()),
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(&body).await;
}

fn ok_head(content_type: &str) -> String {
    format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\nconnection: close\r\n\r\n")
}

fn redirect_head(location: &str) -> String {
    format!("HTTP/1.1 302 Found\r\nlocation: {location}\r\nconnection: close\r\n\r\n")
}

struct Setup {
    client: HttpClient,
    port: u16,
    trap: Trap,
}

/// `alpha.test` → the server (allowed as private), `internal.test` → the trap (not allowed).
async fn setup(timeout: Duration, max_response_bytes: usize) -> Setup {
    let trap = Trap::v4();
    let port = serve(trap.port()).await;
    let mut policy = ClientPolicy::new("beta.test");
    policy.allow_http = true;
    policy.allow_private_hosts = vec!["alpha.test".into()];
    policy.resolve.insert(
        "alpha.test".into(),
        vec![SocketAddr::from((Ipv4Addr::LOCALHOST, port))],
    );
    policy.resolve.insert(
        "internal.test".into(),
        vec![SocketAddr::from((Ipv4Addr::LOCALHOST, trap.port()))],
    );
    policy.request_timeout = timeout;
    policy.max_response_bytes = max_response_bytes;
    Setup {
        client: HttpClient::new(&policy).unwrap(),
        port,
        trap,
    }
}

async fn default_setup() -> Setup {
    setup(Duration::from_secs(10), 64 * 1024).await
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

#[tokio::test]
async fn an_allowed_override_host_is_reached_and_told_who_we_are() {
    let s = default_setup().await;
    let document = s
        .client
        .fetch_activity_json(&url(&format!("http://alpha.test:{}/note", s.port)), None)
        .await
        .unwrap();
    assert_eq!(document.json["type"], "Note");
    let agent = s
        .client
        .get(
            &url(&format!("http://alpha.test:{}/user-agent", s.port)),
            "text/plain",
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        agent.body,
        format!(
            "Kakehashi/{} (+https://beta.test)",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[tokio::test]
async fn loopback_and_unspecified_literals_are_refused_without_connecting() {
    let s = default_setup().await;
    let v6 = Trap::v6();
    let mut refused = vec![
        format!("http://127.0.0.1:{}/", s.trap.port()),
        format!("http://0.0.0.0:{}/", s.trap.port()),
        format!("http://[::ffff:127.0.0.1]:{}/", s.trap.port()),
        format!("http://localhost:{}/", s.trap.port()),
        format!("http://internal.test:{}/", s.trap.port()),
    ];
    if let Some(v6) = &v6 {
        refused.push(format!("http://[::1]:{}/", v6.port()));
        refused.push(format!("http://[::]:{}/", v6.port()));
    }
    for target in &refused {
        let result = s.client.get(&url(target), "*/*", None).await;
        assert!(
            matches!(
                result,
                Err(FetchError::Refused(Refused::ForbiddenAddress { .. }))
            ),
            "{target}: {result:?}"
        );
        // The crate's client refuses the same way.
        let result = s.client.with_middleware().get(target).send().await;
        assert!(result.is_err(), "{target} via the crate's client");
    }
    s.trap.assert_untouched();
    if let Some(v6) = v6 {
        v6.assert_untouched();
    }
}

#[tokio::test]
async fn http_is_refused_unless_allowed() {
    let mut policy = ClientPolicy::new("beta.test");
    policy.resolve.insert(
        "alpha.test".into(),
        vec![SocketAddr::from((Ipv4Addr::LOCALHOST, 1))],
    );
    policy.allow_private_hosts = vec!["alpha.test".into()];
    let client = HttpClient::new(&policy).unwrap();
    assert!(matches!(
        client.get(&url("http://alpha.test/"), "*/*", None).await,
        Err(FetchError::Refused(Refused::Scheme(_)))
    ));
}

#[tokio::test]
async fn redirects_are_followed_only_to_allowed_addresses() {
    let s = default_setup().await;
    let followed = s
        .client
        .get(
            &url(&format!("http://alpha.test:{}/redirect-ok", s.port)),
            ACTIVITY_JSON,
            None,
        )
        .await
        .unwrap();
    assert_eq!(followed.final_url.path(), "/note");

    for path in [
        "/redirect-loopback",
        "/redirect-mapped",
        "/redirect-internal",
    ] {
        let result = s
            .client
            .get(
                &url(&format!("http://alpha.test:{}{path}", s.port)),
                "*/*",
                None,
            )
            .await;
        assert!(
            matches!(
                result,
                Err(FetchError::Refused(Refused::ForbiddenAddress { .. }))
            ),
            "{path}: {result:?}"
        );
    }
    let endless = s
        .client
        .get(
            &url(&format!("http://alpha.test:{}/redirect-loop", s.port)),
            "*/*",
            None,
        )
        .await;
    assert!(matches!(endless, Err(FetchError::Redirect)));
    s.trap.assert_untouched();
}

#[tokio::test]
async fn a_dripping_server_is_cut_at_the_total_deadline() {
    let s = setup(Duration::from_secs(1), 1024 * 1024).await;
    let drip = url(&format!("http://alpha.test:{}/drip", s.port));
    assert!(matches!(
        s.client.get(&drip, "*/*", None).await,
        Err(FetchError::Timeout)
    ));
    // The crate reads bodies through the middleware client; its total timeout covers the body.
    let response = s
        .client
        .with_middleware()
        .get(drip.as_str())
        .send()
        .await
        .unwrap();
    let body = response.bytes().await;
    assert!(body.is_err_and(|e| e.is_timeout()));
}

#[tokio::test]
async fn an_oversized_body_is_cut_at_the_cap() {
    let s = default_setup().await;
    for path in ["/big-chunked", "/big-declared"] {
        let result = s
            .client
            .get(
                &url(&format!("http://alpha.test:{}{path}", s.port)),
                "*/*",
                None,
            )
            .await;
        assert!(
            matches!(result, Err(FetchError::TooLarge { limit: 65536 })),
            "{path}: {result:?}"
        );
    }
}

#[tokio::test]
async fn fetched_documents_follow_the_fetch_rules() {
    let s = default_setup().await;
    let base = format!("http://alpha.test:{}", s.port);
    let alias = s
        .client
        .fetch_activity_json(&url(&format!("{base}/alias")), None)
        .await
        .unwrap();
    assert_eq!(
        alias.id.as_str(),
        format!("{base}/note"),
        "refetched from its id"
    );
    assert!(matches!(
        s.client
            .fetch_activity_json(&url(&format!("{base}/cross")), None)
            .await,
        Err(FetchError::Policy(FetchPolicyError::CrossOriginId { .. }))
    ));
    assert!(matches!(
        s.client
            .fetch_activity_json(&url(&format!("{base}/html")), None)
            .await,
        Err(FetchError::Policy(FetchPolicyError::NotActivityStreams(_)))
    ));
    assert!(matches!(
        s.client
            .fetch_activity_json(&url(&format!("{base}/missing")), None)
            .await,
        Err(FetchError::Status(StatusCode::NOT_FOUND))
    ));
}

#[test]
fn a_plain_reqwest_client_builds_without_installing_a_crypto_provider() {
    // The server's tests and the crate's default client call `reqwest::Client::new()`. With a
    // reqwest TLS feature that has no default provider, that panics unless something installed
    // one first; this keeps the feature choice honest.
    let client = reqwest::Client::new();
    drop(client);
}
