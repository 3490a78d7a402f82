//! Streaming against a server on a loopback port: the WebSocket (token by
//! `Sec-WebSocket-Protocol`, echoed; `?stream=` and subscribe messages; update, notification and
//! delete events in Mastodon's format; visibility) and server-sent events.

use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use super::{Member, member, post_empty, post_status};
use crate::support::TestApp;

/// Serves the app on a loopback port; returns `host:port`.
async fn serve(app: &TestApp) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let service = kakehashi::http::make_service(app.state.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, service).await;
    });
    address.to_string()
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(address: &str, query: &str, token: &str) -> Socket {
    let mut request = format!("ws://{address}/api/v1/streaming{query}")
        .into_client_request()
        .expect("request");
    request
        .headers_mut()
        .insert("sec-websocket-protocol", token.parse().expect("header"));
    let (socket, response) = tokio_tungstenite::connect_async(request)
        .await
        .expect("handshake");
    assert_eq!(
        response
            .headers()
            .get("sec-websocket-protocol")
            .and_then(|v| v.to_str().ok()),
        Some(token),
        "the protocol (token) is echoed back"
    );
    socket
}

/// The next text message, parsed, within `wait`.
async fn next_message(socket: &mut Socket, wait: Duration) -> Value {
    let deadline = Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let message = tokio::time::timeout(left, socket.next())
            .await
            .expect("a message in time")
            .expect("open")
            .expect("frame");
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).expect("JSON message");
        }
    }
}

async fn subscribe(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .expect("send");
}

fn payload(message: &Value) -> Value {
    serde_json::from_str(message["payload"].as_str().expect("payload is a string"))
        .expect("payload JSON")
}

async fn follow(app: &TestApp, follower: &Member, target: &Member) {
    post_empty(
        app,
        &format!("/api/v1/accounts/{}/follow", target.user.account.id),
        &follower.token,
    )
    .await
    .assert_status(axum::http::StatusCode::OK);
}

#[tokio::test]
async fn websocket_streams_updates_notifications_and_deletes() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write follow").await;
    let taro = member(&app, "taro", "read write follow").await;
    let jiro = member(&app, "jiro", "read write follow").await;
    follow(&app, &hanako, &taro).await;
    let address = serve(&app).await;
    let mut socket = connect(&address, "?stream=user", &hanako.token).await;
    subscribe(
        &mut socket,
        json!({"type": "subscribe", "stream": "hashtag", "tag": "bousai"}),
    )
    .await;
    subscribe(
        &mut socket,
        json!({"type": "subscribe", "stream": "public:local"}),
    )
    .await;
    // Let the server read the subscriptions before anything happens.
    tokio::time::sleep(Duration::from_millis(200)).await;

    // A private status of someone hanako does not follow never arrives.
    post_status(
        &app,
        &jiro.token,
        json!({"status": "内緒", "visibility": "private"}),
    )
    .await;
    let posted = post_status(&app, &taro.token, json!({"status": "訓練です #bousai"})).await;
    let sent_at = Instant::now();
    let first = next_message(&mut socket, Duration::from_secs(5)).await;
    assert!(
        sent_at.elapsed() < Duration::from_secs(1),
        "the event took {:?}",
        sent_at.elapsed()
    );
    let mut streams = vec![first.clone()];
    for _ in 0..2 {
        streams.push(next_message(&mut socket, Duration::from_secs(5)).await);
    }
    let mut names: Vec<Value> = streams.iter().map(|m| m["stream"].clone()).collect();
    names.sort_by_key(|n| n.to_string());
    assert_eq!(
        names,
        vec![
            json!(["hashtag", "bousai"]),
            json!(["public:local"]),
            json!(["user"])
        ]
    );
    for message in &streams {
        assert_eq!(message["event"], "update");
        assert_eq!(payload(message)["id"], posted["id"]);
        assert_eq!(
            payload(message)["favourited"],
            false,
            "rendered for the viewer"
        );
    }

    // Unsubscribed streams stop; a notification goes to `user`.
    subscribe(
        &mut socket,
        json!({"type": "unsubscribe", "stream": "hashtag", "tag": "bousai"}),
    )
    .await;
    subscribe(
        &mut socket,
        json!({"type": "unsubscribe", "stream": "public:local"}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let own = post_status(
        &app,
        &hanako.token,
        json!({"status": "見てください", "visibility": "unlisted"}),
    )
    .await;
    let update = next_message(&mut socket, Duration::from_secs(5)).await;
    assert_eq!(update["stream"], json!(["user"]));
    assert_eq!(payload(&update)["id"], own["id"]);
    post_empty(
        &app,
        &format!(
            "/api/v1/statuses/{}/favourite",
            own["id"].as_str().expect("id")
        ),
        &taro.token,
    )
    .await
    .assert_status(axum::http::StatusCode::OK);
    let notification = next_message(&mut socket, Duration::from_secs(5)).await;
    assert_eq!(notification["event"], "notification");
    assert_eq!(notification["stream"], json!(["user"]));
    let body = payload(&notification);
    assert_eq!(body["type"], "favourite");
    assert_eq!(body["account"]["username"], "taro");
    assert_eq!(body["status"]["id"], own["id"]);

    // An edit and a deletion.
    let edited = super::send(
        &app,
        axum::http::Method::PUT,
        &format!("/api/v1/statuses/{}", posted["id"].as_str().expect("id")),
        Some(&taro.token),
        Some("application/json"),
        json!({"status": "訓練は明日です #bousai"}).to_string(),
    )
    .await;
    edited.assert_status(axum::http::StatusCode::OK);
    let update = next_message(&mut socket, Duration::from_secs(5)).await;
    assert_eq!(update["event"], "status.update");
    assert!(
        payload(&update)["content"]
            .as_str()
            .expect("content")
            .contains("明日")
    );
    super::send(
        &app,
        axum::http::Method::DELETE,
        &format!("/api/v1/statuses/{}", posted["id"].as_str().expect("id")),
        Some(&taro.token),
        None,
        axum::body::Body::empty(),
    )
    .await
    .assert_status(axum::http::StatusCode::OK);
    let deleted = next_message(&mut socket, Duration::from_secs(5)).await;
    assert_eq!(deleted["event"], "delete");
    assert_eq!(deleted["stream"], json!(["user"]));
    assert_eq!(deleted["payload"], posted["id"], "the bare id");

    // Refused subscriptions answer an error; the connection stays.
    subscribe(
        &mut socket,
        json!({"type": "subscribe", "stream": "hashtag"}),
    )
    .await;
    let error = next_message(&mut socket, Duration::from_secs(5)).await;
    assert_eq!(error["status"], 400);
    socket.close(None).await.expect("close");
}

#[tokio::test]
async fn websocket_tokens_are_required_and_read_from_the_query_too() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let address = serve(&app).await;
    let refused =
        tokio_tungstenite::connect_async(format!("ws://{address}/api/v1/streaming?stream=public"))
            .await;
    assert!(refused.is_err(), "no token, no stream");
    let mut bad = format!("ws://{address}/api/v1/streaming")
        .into_client_request()
        .expect("request");
    bad.headers_mut().insert(
        "sec-websocket-protocol",
        "not-a-token".parse().expect("header"),
    );
    assert!(tokio_tungstenite::connect_async(bad).await.is_err());

    let (mut socket, _) = tokio_tungstenite::connect_async(format!(
        "ws://{address}/api/v1/streaming?access_token={}&stream=public",
        hanako.token
    ))
    .await
    .expect("token in the query");
    let posted = post_status(&app, &hanako.token, json!({"status": "公開"})).await;
    let message = next_message(&mut socket, Duration::from_secs(5)).await;
    assert_eq!(message["stream"], json!(["public"]));
    assert_eq!(payload(&message)["id"], posted["id"]);
}

#[tokio::test]
async fn server_sent_events_stream_updates() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let address = serve(&app).await;
    let client = reqwest::Client::new();
    let health = client
        .get(format!("http://{address}/api/v1/streaming/health"))
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.expect("text"), "OK");

    let response = client
        .get(format!("http://{address}/api/v1/streaming/public/local"))
        .bearer_auth(&hanako.token)
        .send()
        .await
        .expect("sse");
    assert_eq!(response.status(), 200);
    assert!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"))
    );
    let mut body = response.bytes_stream();
    let posted = post_status(&app, &hanako.token, json!({"status": "SSEです"})).await;
    let id = posted["id"].as_str().expect("id").to_owned();
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while !(seen.contains("event: update") && seen.contains(&id)) {
        let left = deadline.saturating_duration_since(Instant::now());
        let chunk = tokio::time::timeout(left, body.next())
            .await
            .expect("an event in time")
            .expect("open")
            .expect("chunk");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    let data = seen
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .expect("a data line");
    let status: Value = serde_json::from_str(data).expect("JSON data");
    assert_eq!(status["id"], id.as_str());

    let unauthorised = client
        .get(format!("http://{address}/api/v1/streaming/user"))
        .send()
        .await
        .expect("request");
    assert_eq!(unauthorised.status(), 401);
    let unknown = client
        .get(format!("http://{address}/api/v1/streaming/everything"))
        .bearer_auth(&hanako.token)
        .send()
        .await
        .expect("request");
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn direct_messages_reach_the_direct_stream_as_conversations() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let taro = member(&app, "taro", "read write").await;
    let address = serve(&app).await;
    let mut socket = connect(&address, "?stream=direct", &hanako.token).await;
    post_status(&app, &taro.token, json!({"status": "公開です"})).await;
    let direct = post_status(
        &app,
        &taro.token,
        json!({"status": "@hanako 内密に", "visibility": "direct"}),
    )
    .await;
    let message = next_message(&mut socket, Duration::from_secs(5)).await;
    assert_eq!(message["stream"], json!(["direct"]));
    assert_eq!(message["event"], "conversation");
    let conversation = payload(&message);
    assert_eq!(conversation["last_status"]["id"], direct["id"]);
    assert_eq!(conversation["unread"], true);
    assert_eq!(conversation["accounts"][0]["username"], "taro");
}
