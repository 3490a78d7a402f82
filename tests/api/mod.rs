//! The Mastodon client API: OAuth, scopes, parameters, limits, CORS, instance, accounts, media,
//! statuses, timelines, relations, notifications, search, markers, lists, filters, streaming.

mod accounts;
mod client_state;
mod conversations;
mod golden;
mod groups;
mod instance;
mod limits;
mod media;
mod notifications;
mod oauth;
mod params;
mod relations;
mod schema;
mod scopes;
mod search;
mod statuses;
mod streaming;
mod timelines;

use axum::body::Body;
use axum::http::{Method, Request, header};
use kakehashi::domain::accounts::LocalUser;
use kakehashi::domain::oauth::{
    NewApplication, OOB_REDIRECT_URI, create_token, register_application,
};
use kakehashi::domain::scopes::Scopes;

use crate::support::TestApp;
use crate::support::app::TestResponse;

/// A member and an access token of theirs with `scopes`.
pub struct Member {
    pub user: LocalUser,
    pub token: String,
}

/// Registers an app and issues a token for a new member, without the browser round trip (the
/// OAuth tests walk that one).
pub async fn member(app: &TestApp, username: &str, scopes: &str) -> Member {
    let user = app.create_user(username).await;
    let token = token_for(app, Some(user.account.id), scopes).await;
    Member { user, token }
}

/// A token for `account_id` (or the application itself) with `scopes`.
pub async fn token_for(app: &TestApp, account_id: Option<i64>, scopes: &str) -> String {
    let registered = register_application(
        &app.state.db,
        NewApplication {
            name: "Test client".to_owned(),
            website: None,
            redirect_uris: vec![OOB_REDIRECT_URI.to_owned()],
            scopes: "read write follow push profile".to_owned(),
        },
    )
    .await
    .expect("register app");
    let scopes = Scopes::parse(scopes).expect("scopes");
    create_token(&app.state.db, registered.app.id, account_id, &scopes)
        .await
        .expect("token")
        .access_token
}

/// Sends a request with an optional bearer token and body.
pub async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: impl Into<Body>,
) -> TestResponse {
    let mut builder = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if let Some(ct) = content_type {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    app.request(builder.body(body.into()).expect("request"))
        .await
}

pub async fn get(app: &TestApp, path: &str, token: &str) -> TestResponse {
    send(app, Method::GET, path, Some(token), None, Body::empty()).await
}

/// A multipart body with text fields and files (`(field, filename, content type, bytes)`).
pub fn multipart(
    fields: &[(&str, &str)],
    files: &[(&str, &str, &str, &[u8])],
) -> (String, Vec<u8>) {
    let boundary = "kakehashi-test-boundary-7d3";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, filename, content_type, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// POST with a JSON body.
pub async fn post_json(
    app: &TestApp,
    path: &str,
    token: &str,
    body: &serde_json::Value,
) -> TestResponse {
    send(
        app,
        Method::POST,
        path,
        Some(token),
        Some("application/json"),
        body.to_string(),
    )
    .await
}

/// POST with no body and no content type (as clients send actions).
pub async fn post_empty(app: &TestApp, path: &str, token: &str) -> TestResponse {
    send(app, Method::POST, path, Some(token), None, Body::empty()).await
}

/// Any method with a urlencoded form.
pub async fn send_form(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    form: &[(&str, &str)],
) -> TestResponse {
    send(
        app,
        method,
        path,
        Some(token),
        Some("application/x-www-form-urlencoded"),
        serde_urlencoded::to_string(form).expect("form"),
    )
    .await
}

/// Posts a status as JSON; panics unless it is accepted.
pub async fn post_status(app: &TestApp, token: &str, body: serde_json::Value) -> serde_json::Value {
    let response = post_json(app, "/api/v1/statuses", token, &body).await;
    response.assert_status(axum::http::StatusCode::OK);
    response.json()
}

/// The `rel` URLs of a `Link` header.
pub fn links(response: &TestResponse) -> std::collections::HashMap<String, String> {
    let header = response.header("link").unwrap_or_default();
    header
        .split(", ")
        .filter_map(|part| {
            let (url, rel) = part.split_once(">; rel=\"")?;
            Some((
                rel.trim_end_matches('"').to_owned(),
                url.trim_start_matches('<').to_owned(),
            ))
        })
        .collect()
}

/// Ids of a JSON list.
pub fn ids(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| v["id"].as_str().expect("id").to_owned())
        .collect()
}
