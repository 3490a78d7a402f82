//! `TestApp`: the whole router driven in-process with `oneshot`, on a database of its own.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use bytes::Bytes;
use http_body_util::BodyExt;
use kakehashi::config::{Config, Scheme};
use kakehashi::db::Db;
use kakehashi::domain::accounts::{self, LocalUser, NewLocalUser, Role};
use kakehashi::state::AppState;
use serde_json::Value;
use tower::ServiceExt;
use tower_http::normalize_path::NormalizePath;

use super::TestDatabase;

/// A password that passes the strength check, for test accounts.
pub const PASSWORD: &str = "correct-horse-battery-staple-7";

pub struct TestApp {
    pub state: AppState,
    pub db: TestDatabase,
    app: NormalizePath<Router>,
}

/// A response with its body read.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl TestResponse {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    #[track_caller]
    pub fn assert_status(&self, expected: StatusCode) -> &Self {
        assert_eq!(self.status, expected, "body: {}", self.text());
        self
    }
}

/// The configuration every test starts from: a local test domain and the test's database.
pub fn test_config(db: &TestDatabase) -> Config {
    let mut config = Config::default();
    config.instance.domain = "kakehashi.test".to_owned();
    config.instance.scheme = Scheme::Http;
    config.database.url = db.url.clone();
    config.database.pool_size = 4;
    config.server.data_dir = db.dir.path().join("data");
    config
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_config(|_| {}).await
    }

    /// A TestApp whose configuration `adjust` may change first.
    pub async fn with_config(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let db = TestDatabase::create();
        let mut config = test_config(&db);
        adjust(&mut config);
        config.validate().expect("test configuration is valid");
        let pool = Db::connect(&config.database_url(), config.database.pool_size)
            .await
            .expect("connect to the test database");
        pool.migrate().await.expect("migrate the test database");
        let state = AppState::new(config, pool).expect("state");
        kakehashi::domain::instance_actor::ensure(&state)
            .await
            .expect("instance actor");
        let app = kakehashi::http::app(state.clone());
        TestApp { state, db, app }
    }

    /// Sends a request through the whole router.
    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .app
            .clone()
            .oneshot(request)
            .await
            .expect("the router never fails");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("read the body")
            .to_bytes();
        TestResponse {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.request(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }

    /// GET with extra headers, such as `Accept`.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> TestResponse {
        let mut request = Request::get(path).body(Body::empty()).expect("request");
        for (name, value) in headers {
            request.headers_mut().insert(
                header::HeaderName::from_bytes(name.as_bytes()).expect("header name"),
                HeaderValue::from_str(value).expect("header value"),
            );
        }
        self.request(request).await
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> TestResponse {
        let body = serde_urlencoded::to_string(form).expect("form");
        self.request(
            Request::builder()
                .method(Method::POST)
                .uri(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("request"),
        )
        .await
    }

    pub async fn post_json(&self, path: &str, json: &Value) -> TestResponse {
        self.request(
            Request::builder()
                .method(Method::POST)
                .uri(path)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json.to_string()))
                .expect("request"),
        )
        .await
    }

    /// Creates a local member with the test password.
    pub async fn create_user(&self, username: &str) -> LocalUser {
        self.create_user_with_role(username, Role::User).await
    }

    pub async fn create_user_with_role(&self, username: &str, role: Role) -> LocalUser {
        accounts::create_local_user(
            &self.state.db,
            &self.state.urls,
            NewLocalUser {
                username: username.to_owned(),
                email: format!("{username}@city.example"),
                password: PASSWORD.to_owned(),
                display_name: Some(username.to_owned()),
                role,
                locale: "ja".to_owned(),
            },
        )
        .await
        .expect("create test user")
    }
}
