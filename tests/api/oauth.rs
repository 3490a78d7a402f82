//! OAuth end to end, in-process: register, the login page, consent, code exchange with and without
//! PKCE, refused verifiers and reused codes, revocation, the other grants and the metadata.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::get;
use super::golden::assert_golden;
use crate::support::TestApp;
use crate::support::app::{PASSWORD, TestResponse};

const TUSKY_REDIRECT: &str = "oauth2redirect://com.keylesspalace.tusky/";

async fn register(app: &TestApp, redirect_uris: &str, scopes: &str) -> Value {
    let response = app
        .post_form(
            "/api/v1/apps",
            &[
                ("client_name", "Tusky"),
                ("redirect_uris", redirect_uris),
                ("scopes", scopes),
                ("website", "https://tusky.app"),
            ],
        )
        .await;
    response.assert_status(StatusCode::OK);
    response.json()
}

/// The value of a hidden form field in a page.
fn form_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    let end = start + html[start..].find('"').expect("closing quote");
    html[start..end].replace("&amp;", "&")
}

fn cookie_of(response: &TestResponse) -> String {
    let set = response.header("set-cookie").expect("a CSRF cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/oauth")
    );
    set.split(';').next().expect("cookie").to_owned()
}

/// Opens the authorize page and submits the login and consent form; returns the POST's answer.
async fn authorize(
    app: &TestApp,
    query: &[(&str, &str)],
    login: &str,
    password: &str,
) -> TestResponse {
    let query_string = serde_urlencoded::to_string(query).expect("query");
    let page = app.get(&format!("/oauth/authorize?{query_string}")).await;
    page.assert_status(StatusCode::OK);
    let cookie = cookie_of(&page);
    let html = page.text();
    let mut form: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    form.push(("csrf_token".to_owned(), form_value(&html, "csrf_token")));
    form.push(("login".to_owned(), login.to_owned()));
    form.push(("password".to_owned(), password.to_owned()));
    form.push(("decision".to_owned(), "approve".to_owned()));
    app.request(
        Request::post("/oauth/authorize")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(
                serde_urlencoded::to_string(&form).expect("form"),
            ))
            .expect("request"),
    )
    .await
}

/// The query parameters of a redirect's `Location`.
fn location_params(response: &TestResponse) -> Vec<(String, String)> {
    let location = response.header("location").expect("location");
    let query = location.split_once('?').map(|(_, q)| q).unwrap_or_default();
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

fn param(params: &[(String, String)], name: &str) -> Option<String> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

async fn exchange(app: &TestApp, fields: &[(&str, &str)]) -> TestResponse {
    app.post_form("/oauth/token", fields).await
}

#[tokio::test]
async fn registration_takes_form_json_and_query_and_shows_the_secret_once() {
    let app = TestApp::new().await;
    let form = register(
        &app,
        "urn:ietf:wg:oauth:2.0:oob\nhttps://client.example/cb",
        "read write",
    )
    .await;
    assert_eq!(
        form["redirect_uris"],
        json!(["urn:ietf:wg:oauth:2.0:oob", "https://client.example/cb"])
    );
    assert_eq!(
        form["redirect_uri"],
        "urn:ietf:wg:oauth:2.0:oob\nhttps://client.example/cb"
    );
    assert_eq!(form["scopes"], json!(["read", "write"]));
    assert_eq!(form["client_secret_expires_at"], 0);
    assert_golden("application", &form);

    let from_json = app
        .post_json(
            "/api/v1/apps",
            &json!({"client_name": "Elk", "redirect_uris": [TUSKY_REDIRECT, "icecubesapp://"], "scopes": "read write follow push"}),
        )
        .await;
    from_json.assert_status(StatusCode::OK);
    assert_eq!(
        from_json.json()["redirect_uris"],
        json!([TUSKY_REDIRECT, "icecubesapp://"])
    );

    let from_query = app
        .request(
            Request::post("/api/v1/apps?client_name=Q&redirect_uris=urn:ietf:wg:oauth:2.0:oob")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    from_query.assert_status(StatusCode::OK);
    assert_eq!(
        from_query.json()["scopes"],
        json!(["read"]),
        "no scopes means read"
    );

    for bad in [
        json!({"client_name": "", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}),
        json!({"client_name": "X", "redirect_uris": "javascript:alert(1)"}),
        json!({"client_name": "X", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "admin:write"}),
        json!({"client_name": "X"}),
    ] {
        app.post_json("/api/v1/apps", &bad)
            .await
            .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn the_code_flow_with_a_client_secret() {
    let app = TestApp::new().await;
    app.create_user("hanako").await;
    let client = register(&app, TUSKY_REDIRECT, "read write follow push").await;
    let client_id = client["client_id"].as_str().expect("client_id");
    let secret = client["client_secret"].as_str().expect("secret");

    // Japanese by default, English on request; the app's name and the scopes are shown.
    let page = app
        .get(&format!("/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri={TUSKY_REDIRECT}&scope=read+write"))
        .await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains("<html lang=\"ja\">")
            && html.contains("Tusky")
            && html.contains("ログインして許可する")
    );
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert!(page.header("access-control-allow-origin").is_none());
    let english = app
        .get(&format!("/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri={TUSKY_REDIRECT}&lang=en"))
        .await;
    assert!(english.text().contains("Sign in and authorise"));

    let query = [
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", TUSKY_REDIRECT),
        ("scope", "read write"),
        ("state", "xyz-42"),
        ("force_login", "true"),
    ];
    let redirect = authorize(&app, &query, "hanako@city.example", PASSWORD).await;
    redirect.assert_status(StatusCode::FOUND);
    let location = redirect.header("location").expect("location");
    assert!(location.starts_with(TUSKY_REDIRECT), "{location}");
    let params = location_params(&redirect);
    assert_eq!(param(&params, "state").as_deref(), Some("xyz-42"));
    let code = param(&params, "code").expect("code");

    // JSON body, as Elk and Ice Cubes send it.
    let token = app
        .post_json(
            "/oauth/token",
            &json!({"grant_type": "authorization_code", "code": code, "client_id": client_id,
                    "client_secret": secret, "redirect_uri": TUSKY_REDIRECT, "scope": "read write"}),
        )
        .await;
    token.assert_status(StatusCode::OK);
    let token = token.json();
    assert_eq!(token["token_type"], "Bearer");
    assert_eq!(token["scope"], "read write");
    assert!(token["created_at"].is_i64());
    assert_golden("token", &token);
    let access = token["access_token"].as_str().expect("token");

    let me = get(&app, "/api/v1/accounts/verify_credentials", access).await;
    me.assert_status(StatusCode::OK);
    assert_eq!(me.json()["username"], "hanako");
    let verified = get(&app, "/api/v1/apps/verify_credentials", access).await;
    verified.assert_status(StatusCode::OK);
    assert_eq!(verified.json()["name"], "Tusky");
    assert!(verified.json().get("client_secret").is_none());

    // The code is single-use.
    let again = exchange(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", client_id),
            ("client_secret", secret),
        ],
    )
    .await;
    again.assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(again.json()["error"], "invalid_grant");
    assert!(again.json()["error_description"].is_string());

    // Revoking with the wrong secret is refused; with the right one the token stops working.
    let refused = app
        .post_form(
            "/oauth/revoke",
            &[
                ("token", access),
                ("client_id", client_id),
                ("client_secret", "wrong"),
            ],
        )
        .await;
    refused.assert_status(StatusCode::FORBIDDEN);
    get(&app, "/api/v1/accounts/verify_credentials", access)
        .await
        .assert_status(StatusCode::OK);
    let revoked = app
        .post_form(
            "/oauth/revoke",
            &[
                ("token", access),
                ("client_id", client_id),
                ("client_secret", secret),
            ],
        )
        .await;
    revoked.assert_status(StatusCode::OK);
    assert_eq!(revoked.json(), json!({}));
    let after = get(&app, "/api/v1/accounts/verify_credentials", access).await;
    after.assert_status(StatusCode::UNAUTHORIZED);
    assert_eq!(after.json()["error"], "The access token is invalid");
}

fn pkce_pair() -> (String, String) {
    let verifier = URL_SAFE_NO_PAD.encode([42u8; 48]);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

#[tokio::test]
async fn the_code_flow_with_pkce() {
    let app = TestApp::new().await;
    app.create_user("taro").await;
    let client = register(&app, "https://phanpy.social/", "read write").await;
    let client_id = client["client_id"].as_str().expect("client_id");
    let (verifier, challenge) = pkce_pair();
    let query = [
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", "https://phanpy.social/"),
        ("scope", "read"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];

    // A wrong verifier is refused, and the code is spent.
    let redirect = authorize(&app, &query, "taro", PASSWORD).await;
    let code = param(&location_params(&redirect), "code").expect("code");
    let wrong = exchange(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", client_id),
            ("redirect_uri", "https://phanpy.social/"),
            (
                "code_verifier",
                "not-the-verifier-not-the-verifier-not-the-verifier",
            ),
        ],
    )
    .await;
    wrong.assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(wrong.json()["error"], "invalid_grant");
    let spent = exchange(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", client_id),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    spent.assert_status(StatusCode::BAD_REQUEST);

    // A missing verifier is refused too.
    let redirect = authorize(&app, &query, "taro", PASSWORD).await;
    let code = param(&location_params(&redirect), "code").expect("code");
    let missing = exchange(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", client_id),
        ],
    )
    .await;
    missing.assert_status(StatusCode::BAD_REQUEST);

    // The right verifier works without the client secret (a public client).
    let redirect = authorize(&app, &query, "taro", PASSWORD).await;
    let code = param(&location_params(&redirect), "code").expect("code");
    let token = exchange(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", client_id),
            ("redirect_uri", "https://phanpy.social/"),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    token.assert_status(StatusCode::OK);
    assert_eq!(token.json()["scope"], "read");

    // Only S256 is accepted: the error goes back to the client.
    let plain = app
        .get(&format!("/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri=https://phanpy.social/&code_challenge={challenge}&code_challenge_method=plain"))
        .await;
    plain.assert_status(StatusCode::FOUND);
    assert_eq!(
        param(&location_params(&plain), "error").as_deref(),
        Some("invalid_request")
    );
}

#[tokio::test]
async fn without_pkce_the_secret_is_required_and_must_match() {
    let app = TestApp::new().await;
    app.create_user("jiro").await;
    let client = register(&app, "urn:ietf:wg:oauth:2.0:oob", "read").await;
    let client_id = client["client_id"].as_str().expect("client_id");
    let secret = client["client_secret"].as_str().expect("secret");
    let query = [
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
    ];

    // Out of band: the code is shown on the page.
    let page = authorize(&app, &query, "jiro", PASSWORD).await;
    page.assert_status(StatusCode::OK);
    let html = page.text();
    let start = html
        .find("<code class=\"oauth-code\">")
        .expect("code shown")
        + "<code class=\"oauth-code\">".len();
    let code = html[start..start + html[start..].find('<').expect("end")].to_owned();
    assert_eq!(code.len(), 43);

    let no_secret = exchange(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", client_id),
        ],
    )
    .await;
    no_secret.assert_status(StatusCode::UNAUTHORIZED);
    assert_eq!(no_secret.json()["error"], "invalid_client");

    let page = authorize(&app, &query, "jiro", PASSWORD).await;
    let html = page.text();
    let start = html.find("<code class=\"oauth-code\">").expect("code")
        + "<code class=\"oauth-code\">".len();
    let code = html[start..start + html[start..].find('<').expect("end")].to_owned();
    let wrong_redirect = exchange(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", client_id),
            ("client_secret", secret),
            ("redirect_uri", "https://evil.example/"),
        ],
    )
    .await;
    wrong_redirect.assert_status(StatusCode::BAD_REQUEST);

    let page = authorize(&app, &query, "jiro", PASSWORD).await;
    let html = page.text();
    let start = html.find("<code class=\"oauth-code\">").expect("code")
        + "<code class=\"oauth-code\">".len();
    let code = html[start..start + html[start..].find('<').expect("end")].to_owned();
    // HTTP Basic client authentication.
    let basic = STANDARD.encode(format!("{client_id}:{secret}"));
    let token = app
        .request(
            Request::post("/oauth/token")
                .header(header::AUTHORIZATION, format!("Basic {basic}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "grant_type=authorization_code&code={code}"
                )))
                .expect("request"),
        )
        .await;
    token.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn the_login_form_refuses_forgery_wrong_passwords_and_unknown_apps() {
    let app = TestApp::new().await;
    app.create_user("saburo").await;
    let client = register(&app, TUSKY_REDIRECT, "read").await;
    let client_id = client["client_id"].as_str().expect("client_id");
    let base = [
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", TUSKY_REDIRECT),
    ];

    // No cookie and no token: a forged cross-site post.
    let forged = app
        .post_form(
            "/oauth/authorize",
            &[
                base[0],
                base[1],
                base[2],
                ("login", "saburo"),
                ("password", PASSWORD),
                ("decision", "approve"),
            ],
        )
        .await;
    forged.assert_status(StatusCode::FORBIDDEN);
    assert!(forged.header("location").is_none());

    // A token made for another cookie does not pass either.
    let page = app.get(&format!("/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri={TUSKY_REDIRECT}")).await;
    let token = form_value(&page.text(), "csrf_token");
    let form = serde_urlencoded::to_string([
        base[0],
        base[1],
        base[2],
        ("csrf_token", token.as_str()),
        ("login", "saburo"),
        ("password", PASSWORD),
    ])
    .expect("form");
    let other_cookie = app
        .request(
            Request::post("/oauth/authorize")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(
                    header::COOKIE,
                    "kakehashi_oauth_csrf=AAAAAAAAAAAAAAAAAAAAAA",
                )
                .body(Body::from(form))
                .expect("request"),
        )
        .await;
    other_cookie.assert_status(StatusCode::FORBIDDEN);

    let wrong = authorize(&app, &base, "saburo", "not-the-password-9").await;
    wrong.assert_status(StatusCode::UNAUTHORIZED);
    assert!(
        wrong
            .text()
            .contains("ユーザー名またはパスワードが違います")
    );
    assert!(
        wrong.text().contains("value=\"saburo\""),
        "the login is kept"
    );

    // Denying sends access_denied back to the app.
    let page = app.get(&format!("/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri={TUSKY_REDIRECT}&state=s1")).await;
    let cookie = cookie_of(&page);
    let token = form_value(&page.text(), "csrf_token");
    let form = serde_urlencoded::to_string([
        base[0],
        base[1],
        base[2],
        ("state", "s1"),
        ("csrf_token", token.as_str()),
        ("decision", "deny"),
    ])
    .expect("form");
    let denied = app
        .request(
            Request::post("/oauth/authorize")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, cookie)
                .body(Body::from(form))
                .expect("request"),
        )
        .await;
    denied.assert_status(StatusCode::FOUND);
    let params = location_params(&denied);
    assert_eq!(param(&params, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(&params, "state").as_deref(), Some("s1"));

    // Unknown apps and unregistered redirect URIs never redirect.
    let unknown = app
        .get(
            "/oauth/authorize?response_type=code&client_id=nope&redirect_uri=https://evil.example/",
        )
        .await;
    unknown.assert_status(StatusCode::BAD_REQUEST);
    assert!(unknown.header("location").is_none());
    let elsewhere = app.get(&format!("/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri=https://evil.example/")).await;
    elsewhere.assert_status(StatusCode::BAD_REQUEST);
    assert!(elsewhere.header("location").is_none());

    // Scopes beyond the app's are refused back to the app.
    let wider = app.get(&format!("/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri={TUSKY_REDIRECT}&scope=write")).await;
    wider.assert_status(StatusCode::FOUND);
    assert_eq!(
        param(&location_params(&wider), "error").as_deref(),
        Some("invalid_scope")
    );
}

#[tokio::test]
async fn client_credentials_and_the_password_grant_switch() {
    let app = TestApp::new().await;
    app.create_user("shiro").await;
    let client = register(&app, "urn:ietf:wg:oauth:2.0:oob", "read write").await;
    let client_id = client["client_id"].as_str().expect("client_id");
    let secret = client["client_secret"].as_str().expect("secret");

    let app_token = exchange(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
            ("scope", "read"),
        ],
    )
    .await;
    app_token.assert_status(StatusCode::OK);
    let app_token = app_token.json()["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    get(&app, "/api/v1/apps/verify_credentials", &app_token)
        .await
        .assert_status(StatusCode::OK);
    let no_user = get(&app, "/api/v1/accounts/verify_credentials", &app_token).await;
    no_user.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        no_user.json()["error"],
        "This method requires an authenticated user"
    );

    let too_wide = exchange(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
            ("scope", "push"),
        ],
    )
    .await;
    too_wide.assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(too_wide.json()["error"], "invalid_scope");

    let password = [
        ("grant_type", "password"),
        ("client_id", client_id),
        ("client_secret", secret),
        ("username", "shiro@city.example"),
        ("password", PASSWORD),
        ("scope", "read write"),
    ];
    let off = exchange(&app, &password).await;
    off.assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(off.json()["error"], "unsupported_grant_type");
    let unknown = exchange(
        &app,
        &[("grant_type", "refresh_token"), ("client_id", client_id)],
    )
    .await;
    assert_eq!(unknown.json()["error"], "unsupported_grant_type");

    let metadata = app.get("/.well-known/oauth-authorization-server").await;
    metadata.assert_status(StatusCode::OK);
    let metadata = metadata.json();
    assert_eq!(
        metadata["code_challenge_methods_supported"],
        json!(["S256"])
    );
    assert_eq!(
        metadata["grant_types_supported"],
        json!(["authorization_code", "client_credentials"])
    );
    assert_eq!(
        metadata["authorization_endpoint"],
        "http://kakehashi.test/oauth/authorize"
    );
    assert_eq!(
        metadata["token_endpoint"],
        "http://kakehashi.test/oauth/token"
    );
    assert_eq!(
        metadata["revocation_endpoint"],
        "http://kakehashi.test/oauth/revoke"
    );
    assert_eq!(
        metadata["app_registration_endpoint"],
        "http://kakehashi.test/api/v1/apps"
    );
    assert_eq!(
        metadata["token_endpoint_auth_methods_supported"],
        json!(["client_secret_basic", "client_secret_post"])
    );
    assert!(
        metadata["scopes_supported"]
            .as_array()
            .is_some_and(|s| s.contains(&json!("read:accounts")))
    );

    let testing = TestApp::with_config(|c| c.api.allow_password_grant = true).await;
    testing.create_user("shiro").await;
    let client = register(&testing, "urn:ietf:wg:oauth:2.0:oob", "read write").await;
    let client_id = client["client_id"].as_str().expect("client_id");
    let secret = client["client_secret"].as_str().expect("secret");
    let password = [
        ("grant_type", "password"),
        ("client_id", client_id),
        ("client_secret", secret),
        ("username", "shiro@city.example"),
        ("password", PASSWORD),
        ("scope", "read write"),
    ];
    let on = exchange(&testing, &password).await;
    on.assert_status(StatusCode::OK);
    let token = on.json()["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    get(&testing, "/api/v1/accounts/verify_credentials", &token)
        .await
        .assert_status(StatusCode::OK);
    let bad = exchange(
        &testing,
        &[
            password[0],
            password[1],
            password[2],
            password[3],
            ("password", "wrong-password-1"),
        ],
    )
    .await;
    bad.assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["error"], "invalid_grant");
    let metadata = testing
        .get("/.well-known/oauth-authorization-server")
        .await
        .json();
    assert!(
        metadata["grant_types_supported"]
            .as_array()
            .is_some_and(|g| g.contains(&json!("password")))
    );
}

/// Mastodon.py's `auth_request_url()` urlencodes its defaults as they are: `force_login=False`
/// and `lang=None` (and `state=None` when none is given). The page must take them, and the
/// out-of-band code it shows must work with `log_in(code=…)` (tests/clients found this shape).
#[tokio::test]
async fn mastodon_py_authorize_query_with_python_literals() {
    let app = TestApp::new().await;
    app.create_user("hanako").await;
    let oob = "urn:ietf:wg:oauth:2.0:oob";
    let client = register(&app, oob, "read write follow push").await;
    let client_id = client["client_id"].as_str().expect("client_id");
    let secret = client["client_secret"].as_str().expect("secret");
    let query = [
        ("client_id", client_id),
        ("response_type", "code"),
        ("redirect_uri", oob),
        ("scope", "read write follow push"),
        ("force_login", "False"),
        ("state", "None"),
        ("lang", "None"),
    ];
    let shown = authorize(&app, &query, "hanako", PASSWORD).await;
    shown.assert_status(StatusCode::OK);
    let html = shown.text();
    let marker = "<code class=\"oauth-code\">";
    let start = html.find(marker).expect("the code") + marker.len();
    let code = &html[start..start + html[start..].find('<').expect("end of the code")];
    let token = exchange(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", oob),
            ("client_id", client_id),
            ("client_secret", secret),
            ("scope", "read write follow push"),
        ],
    )
    .await;
    token.assert_status(StatusCode::OK);
    assert_eq!(token.json()["scope"], "read write follow push");
}
