//! Our entities against the `required` lists of Mastodon's OpenAPI description
//! (`shared/reference/mastodon-openapi.json`, built from Mastodon's documentation): every key
//! Mastodon documents as always present must be in our JSON, recursively.

use std::path::PathBuf;

use axum::http::{Method, StatusCode};
use serde_json::Value;

use super::{get, member, multipart, send};
use crate::support::TestApp;

/// Fields we leave out on purpose, with the reason.
const EXEMPT: &[(&str, &str)] = &[(
    "Instance.api_versions",
    "claimed only once /api/v2/notifications exists (clients switch on grouped notifications)",
)];

fn openapi() -> Option<Value> {
    let candidates = [
        std::env::var("KAKEHASHI_MASTODON_OPENAPI")
            .ok()
            .map(PathBuf::from),
        Some(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/reference/mastodon-openapi.json"),
        ),
        Some(PathBuf::from(
            "/work/shared/reference/mastodon-openapi.json",
        )),
    ];
    candidates
        .into_iter()
        .flatten()
        .find_map(|path| std::fs::read_to_string(path).ok())
        .and_then(|text| serde_json::from_str(&text).ok())
}

/// Every required key missing from `value`, walking nested objects, arrays and `$ref`s.
fn missing(
    schemas: &Value,
    schema: &Value,
    value: &Value,
    path: &str,
    depth: usize,
    out: &mut Vec<String>,
) {
    if depth > 6 || value.is_null() {
        return;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or_default();
        if let Some(target) = schemas.get(name) {
            missing(schemas, target, value, path, depth + 1, out);
        }
        return;
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            for option in options
                .iter()
                .filter(|o| o.get("type") != Some(&Value::from("null")))
            {
                missing(schemas, option, value, path, depth + 1, out);
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate() {
            missing(
                schemas,
                items,
                item,
                &format!("{path}[{i}]"),
                depth + 1,
                out,
            );
        }
    }
    let Some(object) = value.as_object() else {
        return;
    };
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        for key in required.iter().filter_map(Value::as_str) {
            let field = format!("{path}.{key}");
            if !object.contains_key(key) && !EXEMPT.iter().any(|(f, _)| *f == field) {
                out.push(field);
            }
        }
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (key, property) in properties {
            if let Some(child) = object.get(key) {
                missing(
                    schemas,
                    property,
                    child,
                    &format!("{path}.{key}"),
                    depth + 1,
                    out,
                );
            }
        }
    }
}

fn check(spec: &Value, entity: &str, value: &Value) -> Vec<String> {
    let schemas = &spec["components"]["schemas"];
    let schema = schemas
        .get(entity)
        .unwrap_or_else(|| panic!("no schema {entity}"));
    let mut out = Vec::new();
    missing(schemas, schema, value, entity, 0, &mut out);
    out
}

#[tokio::test]
async fn entities_have_every_field_mastodon_requires() {
    let Some(spec) = openapi() else {
        eprintln!(
            "mastodon-openapi.json not found; set KAKEHASHI_MASTODON_OPENAPI to check the entities"
        );
        return;
    };
    let app = TestApp::new().await;
    let hanako = member(&app, "hanako", "read write").await;
    let mut problems = Vec::new();

    let credential = get(&app, "/api/v1/accounts/verify_credentials", &hanako.token)
        .await
        .json();
    problems.extend(check(&spec, "CredentialAccount", &credential));
    let account = app
        .get(&format!("/api/v1/accounts/{}", hanako.user.account.id))
        .await
        .json();
    problems.extend(check(&spec, "Account", &account));
    problems.extend(check(
        &spec,
        "Instance",
        &app.get("/api/v2/instance").await.json(),
    ));
    problems.extend(check(
        &spec,
        "V1Instance",
        &app.get("/api/v1/instance").await.json(),
    ));
    problems.extend(check(
        &spec,
        "Preferences",
        &get(&app, "/api/v1/preferences", &hanako.token).await.json(),
    ));

    let registered = app
        .post_form(
            "/api/v1/apps",
            &[
                ("client_name", "C"),
                ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
            ],
        )
        .await
        .json();
    problems.extend(check(&spec, "CredentialApplication", &registered));
    let app_entity = get(&app, "/api/v1/apps/verify_credentials", &hanako.token)
        .await
        .json();
    problems.extend(check(&spec, "Application", &app_entity));
    let token = app
        .post_form(
            "/oauth/token",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", registered["client_id"].as_str().expect("id")),
                (
                    "client_secret",
                    registered["client_secret"].as_str().expect("secret"),
                ),
            ],
        )
        .await
        .json();
    problems.extend(check(&spec, "Token", &token));

    let png = super::media::png_bytes(32, 16);
    let (content_type, body) = multipart(&[], &[("file", "a.png", "image/png", &png)]);
    let media = send(
        &app,
        Method::POST,
        "/api/v1/media",
        Some(&hanako.token),
        Some(&content_type),
        body,
    )
    .await;
    media.assert_status(StatusCode::OK);
    problems.extend(check(&spec, "MediaAttachment", &media.json()));

    problems.extend(social_entities(&spec, &app).await);

    assert!(
        problems.is_empty(),
        "fields Mastodon requires are missing: {problems:#?}"
    );
}

/// Status (with a boost, a reply, media, mention, tag and a filter result), Context,
/// StatusEdit, StatusSource, Notification, Relationship, Tag, Search, List, Marker, Filter (with
/// keywords and statuses), V1Filter, Conversation.
async fn social_entities(spec: &Value, app: &TestApp) -> Vec<String> {
    use super::{post_empty, post_json, post_status};
    use serde_json::json;

    let mut problems = Vec::new();
    let taro = member(app, "taro", "read write follow").await;
    let jiro = member(app, "jiro", "read write follow").await;
    post_empty(
        app,
        &format!("/api/v1/accounts/{}/follow", taro.user.account.id),
        &jiro.token,
    )
    .await
    .assert_status(StatusCode::OK);
    let filter = post_json(
        app,
        "/api/v2/filters",
        &jiro.token,
        &json!({"title": "f", "context": ["home"], "keywords_attributes": [{"keyword": "訓練"}]}),
    )
    .await
    .json();
    problems.extend(check(spec, "Filter", &filter));
    let media = super::statuses::upload(app, &taro.token).await;
    let root = post_status(
        app,
        &taro.token,
        json!({"status": "訓練 #tag", "media_ids": [media]}),
    )
    .await;
    let root_id = root["id"].as_str().expect("id").to_owned();
    post_json(
        app,
        &format!(
            "/api/v2/filters/{}/statuses",
            filter["id"].as_str().expect("id")
        ),
        &jiro.token,
        &json!({"status_id": root_id}),
    )
    .await
    .assert_status(StatusCode::OK);
    let reply = post_status(
        app,
        &jiro.token,
        json!({"status": "@taro はい", "in_reply_to_id": root_id}),
    )
    .await;
    problems.extend(check(spec, "Status", &reply));
    let boost = post_empty(
        app,
        &format!("/api/v1/statuses/{root_id}/reblog"),
        &jiro.token,
    )
    .await
    .json();
    problems.extend(check(spec, "Status", &boost));
    let home = get(app, "/api/v1/timelines/home", &jiro.token).await.json();
    for status in home.as_array().expect("home") {
        problems.extend(check(spec, "Status", status));
    }
    assert!(
        home.as_array()
            .expect("home")
            .iter()
            .any(|s| s["filtered"].as_array().is_some_and(|f| !f.is_empty())),
        "a filter result is checked too"
    );
    let filter_full = get(
        app,
        &format!("/api/v2/filters/{}", filter["id"].as_str().expect("id")),
        &jiro.token,
    )
    .await
    .json();
    problems.extend(check(spec, "Filter", &filter_full));
    problems.extend(check(
        spec,
        "Context",
        &get(
            app,
            &format!("/api/v1/statuses/{root_id}/context"),
            &jiro.token,
        )
        .await
        .json(),
    ));
    send(
        app,
        Method::PUT,
        &format!("/api/v1/statuses/{root_id}"),
        Some(&taro.token),
        Some("application/json"),
        json!({"status": "訓練の改訂 #tag", "media_ids": [media]}).to_string(),
    )
    .await
    .assert_status(StatusCode::OK);
    for edit in get(
        app,
        &format!("/api/v1/statuses/{root_id}/history"),
        &jiro.token,
    )
    .await
    .json()
    .as_array()
    .expect("history")
    {
        problems.extend(check(spec, "StatusEdit", edit));
    }
    problems.extend(check(
        spec,
        "StatusSource",
        &get(
            app,
            &format!("/api/v1/statuses/{root_id}/source"),
            &taro.token,
        )
        .await
        .json(),
    ));
    for notification in get(app, "/api/v1/notifications", &taro.token)
        .await
        .json()
        .as_array()
        .expect("notifications")
    {
        problems.extend(check(spec, "Notification", notification));
    }
    for relationship in get(
        app,
        &format!(
            "/api/v1/accounts/relationships?id[]={}",
            taro.user.account.id
        ),
        &jiro.token,
    )
    .await
    .json()
    .as_array()
    .expect("relationships")
    {
        problems.extend(check(spec, "Relationship", relationship));
    }
    let search = get(app, "/api/v2/search?q=tag", &jiro.token).await.json();
    problems.extend(check(spec, "Search", &search));
    for tag in search["hashtags"].as_array().expect("hashtags") {
        problems.extend(check(spec, "Tag", tag));
    }
    let list = post_json(app, "/api/v1/lists", &jiro.token, &json!({"title": "l"}))
        .await
        .json();
    problems.extend(check(spec, "List", &list));
    let markers = post_json(
        app,
        "/api/v1/markers",
        &jiro.token,
        &json!({"home": {"last_read_id": root_id}}),
    )
    .await
    .json();
    problems.extend(check(spec, "Marker", &markers["home"]));
    let v1 = post_json(
        app,
        "/api/v1/filters",
        &jiro.token,
        &json!({"phrase": "p", "context": ["public"]}),
    )
    .await
    .json();
    problems.extend(check(spec, "V1Filter", &v1));
    post_status(
        app,
        &taro.token,
        json!({"status": "@jiro 内密に", "visibility": "direct"}),
    )
    .await;
    let conversations = get(app, "/api/v1/conversations", &jiro.token).await.json();
    assert_eq!(conversations.as_array().map(Vec::len), Some(1));
    for conversation in conversations.as_array().expect("conversations") {
        problems.extend(check(spec, "Conversation", conversation));
    }
    problems
}
