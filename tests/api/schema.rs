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

    assert!(
        problems.is_empty(),
        "fields Mastodon requires are missing: {problems:#?}"
    );
}
