//! Rate limits (429 and the X-RateLimit headers), CORS, Cache-Control and body limits.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};

use super::{get, member, multipart, send};
use crate::support::TestApp;

fn limited(requests: u32) -> impl FnOnce(&mut kakehashi::config::Config) {
    move |c| {
        c.api.rate_limit_requests = requests;
        c.api.media_rate_limit_requests = 1;
        c.api.trust_forwarded_for = true;
    }
}

async fn get_from(app: &TestApp, path: &str, ip: &str) -> crate::support::app::TestResponse {
    app.get_with(path, &[("x-forwarded-for", ip)]).await
}

#[tokio::test]
async fn requests_past_the_limit_get_429_with_headers() {
    let app = TestApp::with_config(limited(3)).await;
    for remaining in ["2", "1", "0"] {
        let ok = get_from(&app, "/api/v1/instance", "192.0.2.1").await;
        ok.assert_status(StatusCode::OK);
        assert_eq!(ok.header("x-ratelimit-limit"), Some("3"));
        assert_eq!(ok.header("x-ratelimit-remaining"), Some(remaining));
        let reset = ok.header("x-ratelimit-reset").expect("reset");
        assert!(
            chrono::DateTime::parse_from_rfc3339(reset).is_ok(),
            "{reset}"
        );
        assert!(reset.ends_with('Z'));
    }
    let refused = get_from(&app, "/api/v1/instance", "192.0.2.1").await;
    refused.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.json()["error"], "Too many requests");
    assert_eq!(refused.header("x-ratelimit-remaining"), Some("0"));
    assert!(refused.header("x-ratelimit-reset").is_some());

    // Another address, and a member's token, count separately; an IPv6 /64 counts as one.
    get_from(&app, "/api/v1/instance", "192.0.2.2")
        .await
        .assert_status(StatusCode::OK);
    let hanako = member(&app, "hanako", "read write").await;
    let with_token = app
        .get_with(
            "/api/v1/instance",
            &[
                ("x-forwarded-for", "192.0.2.1"),
                ("authorization", &format!("Bearer {}", hanako.token)),
            ],
        )
        .await;
    with_token.assert_status(StatusCode::OK);
    assert_eq!(with_token.header("x-ratelimit-remaining"), Some("2"));
    for _ in 0..3 {
        get_from(&app, "/api/v1/instance", "2001:db8:1:2::1").await;
    }
    get_from(&app, "/api/v1/instance", "2001:db8:1:2::ffff")
        .await
        .assert_status(StatusCode::TOO_MANY_REQUESTS);
    // Pages outside the API are not counted.
    get_from(&app, "/healthz", "192.0.2.1")
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn media_uploads_have_their_own_limit() {
    let app = TestApp::with_config(limited(100)).await;
    let hanako = member(&app, "hanako", "write").await;
    let (content_type, body) = multipart(&[], &[("file", "x.txt", "text/plain", b"not an image")]);
    let first = send(
        &app,
        Method::POST,
        "/api/v2/media",
        Some(&hanako.token),
        Some(&content_type),
        body.clone(),
    )
    .await;
    first.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(first.header("x-ratelimit-limit"), Some("1"));
    let second = send(
        &app,
        Method::POST,
        "/api/v2/media",
        Some(&hanako.token),
        Some(&content_type),
        body,
    )
    .await;
    second.assert_status(StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn api_responses_are_not_cached() {
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read").await;
    for path in [
        "/api/v1/instance",
        "/api/v1/accounts/verify_credentials",
        "/api/v9/nothing",
    ] {
        let response = get(&app, path, &hanako.token).await;
        if response.status != StatusCode::NOT_FOUND {
            assert_eq!(response.header("cache-control"), Some("no-store"), "{path}");
        }
    }
}

#[tokio::test]
async fn cors_preflight_and_exposed_headers() {
    let app = TestApp::new().await;
    for path in [
        "/api/v1/apps",
        "/oauth/token",
        "/oauth/revoke",
        "/.well-known/oauth-authorization-server",
        "/nodeinfo/2.0",
    ] {
        let preflight = app
            .request(
                Request::builder()
                    .method(Method::OPTIONS)
                    .uri(path)
                    .header(header::ORIGIN, "https://elk.zone")
                    .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
                    .header(
                        header::ACCESS_CONTROL_REQUEST_HEADERS,
                        "authorization, content-type, idempotency-key",
                    )
                    .body(Body::empty())
                    .expect("request"),
            )
            .await;
        preflight.assert_status(StatusCode::OK);
        // Any origin is allowed (echoed back, with `Vary: origin`); no cookies are involved.
        assert_eq!(
            preflight.header("access-control-allow-origin"),
            Some("https://elk.zone"),
            "{path}"
        );
        assert!(
            preflight
                .headers
                .get_all("vary")
                .iter()
                .any(|v| v.to_str().is_ok_and(|v| v.contains("origin")))
        );
        let methods = preflight
            .header("access-control-allow-methods")
            .expect("methods")
            .to_ascii_uppercase();
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] {
            assert!(methods.contains(method), "{methods}");
        }
        let allowed = preflight
            .header("access-control-allow-headers")
            .expect("headers")
            .to_ascii_lowercase();
        for name in [
            "authorization",
            "content-type",
            "idempotency-key",
            "sec-websocket-protocol",
        ] {
            assert!(allowed.contains(name), "{allowed}");
        }
    }
    let simple = app
        .get_with("/api/v1/instance", &[("origin", "https://phanpy.social")])
        .await;
    simple.assert_status(StatusCode::OK);
    assert_eq!(
        simple.header("access-control-allow-origin"),
        Some("https://phanpy.social")
    );
    assert!(simple.header("access-control-allow-credentials").is_none());
    let exposed = simple
        .header("access-control-expose-headers")
        .expect("exposed")
        .to_ascii_lowercase();
    for name in [
        "link",
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "x-request-id",
    ] {
        assert!(exposed.contains(name), "{exposed}");
    }
    // The login page and other HTML pages are not open to other origins.
    let page = app
        .get_with("/", &[("origin", "https://evil.example")])
        .await;
    assert!(page.header("access-control-allow-origin").is_none());
    let login = app
        .get_with("/oauth/authorize", &[("origin", "https://evil.example")])
        .await;
    assert!(login.header("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn media_routes_accept_larger_bodies_than_the_rest() {
    let app = TestApp::with_config(|c| {
        c.server.body_limit_bytes = 64 * 1024;
        c.api.media_size_limit_bytes = 256 * 1024;
    })
    .await;
    let hanako = member(&app, "hanako", "write read").await;
    let big = vec![b'x'; 200 * 1024];
    let (content_type, body) = multipart(
        &[],
        &[("file", "big.bin", "application/octet-stream", &big)],
    );
    // Larger than the general limit but within the media one: read, then refused as no image.
    let media = send(
        &app,
        Method::POST,
        "/api/v2/media",
        Some(&hanako.token),
        Some(&content_type),
        body.clone(),
    )
    .await;
    media.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let elsewhere = send(
        &app,
        Method::POST,
        "/api/v1/apps",
        Some(&hanako.token),
        Some(&content_type),
        body,
    )
    .await;
    elsewhere.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
    let huge = vec![b'x'; 2 * 1024 * 1024];
    let (content_type, body) = multipart(
        &[],
        &[("file", "huge.bin", "application/octet-stream", &huge)],
    );
    let too_big = send(
        &app,
        Method::POST,
        "/api/v2/media",
        Some(&hanako.token),
        Some(&content_type),
        body,
    )
    .await;
    too_big.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_big.json()["error"], "The request body is too large");
}
