//! Several instances in one test process, each on its own loopback port with its own database,
//! named `alpha.test`, `beta.test`, `gamma.test`... The names resolve through each instance's
//! client override (`federation.resolve`), never through /etc/hosts.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::{Duration, Instant};

use kakehashi::config::{Config, Scheme};
use kakehashi::db::Db;
use kakehashi::db::models::AccountRow;
use kakehashi::domain::accounts::{self, LocalUser, NewLocalUser, Role};
use kakehashi::server::{self, Running};
use kakehashi::state::AppState;
use tokio::net::TcpListener;

use super::TestDatabase;
use super::app::PASSWORD;

/// One instance of the network.
pub struct Instance {
    pub name: String,
    /// `name.test:port`.
    pub domain: String,
    pub port: u16,
    pub config: Config,
    pub db: TestDatabase,
    running: Option<Running>,
}

impl Instance {
    pub fn state(&self) -> &AppState {
        &self.running.as_ref().expect("instance is running").state
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.domain)
    }

    /// Creates a local member.
    pub async fn user(&self, username: &str) -> LocalUser {
        let state = self.state();
        accounts::create_local_user(
            &state.db,
            &state.urls,
            NewLocalUser {
                username: username.to_owned(),
                email: format!("{username}@{}.example", self.name),
                password: PASSWORD.to_owned(),
                display_name: Some(username.to_owned()),
                role: Role::User,
                locale: "ja".to_owned(),
            },
        )
        .await
        .expect("create user")
    }

    /// This instance's account for `username@other` (looked up through WebFinger).
    pub async fn remote(&self, username: &str, other: &Instance) -> AccountRow {
        kakehashi::federation_glue::resolve::resolve_acct(
            self.state(),
            &format!("{username}@{}", other.domain),
        )
        .await
        .expect("resolve")
        .expect("found")
    }

    /// Stops serving and delivering, as a crashed or stopped server would.
    pub async fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop(Duration::from_secs(5)).await.expect("stop");
        }
    }

    /// Starts again on the same port and database.
    pub async fn start(&mut self) {
        assert!(self.running.is_none(), "already running");
        self.running = Some(launch(&self.config, self.port).await);
    }
}

async fn launch(config: &Config, port: u16) -> Running {
    let db = Db::connect(&config.database_url(), config.database.pool_size)
        .await
        .expect("connect");
    db.migrate().await.expect("migrate");
    let state = AppState::new(config.clone(), db).expect("state");
    let mut listener = None;
    // The port was ours a moment ago; after a restart the old socket may linger briefly.
    for _ in 0..50 {
        match TcpListener::bind(("127.0.0.1", port)).await {
            Ok(l) => {
                listener = Some(l);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    server::start(state, listener.expect("bind the instance's port"))
        .await
        .expect("start")
}

/// The instances of one test.
pub struct Network {
    pub instances: Vec<Instance>,
}

impl Network {
    /// Starts one instance per name (`alpha` becomes `alpha.test:<port>`).
    pub async fn start(names: &[&str]) -> Network {
        Network::start_with(names, |_, _| {}).await
    }

    /// Same, letting `adjust` change each instance's configuration (by name) first.
    pub async fn start_with(names: &[&str], adjust: impl Fn(&str, &mut Config)) -> Network {
        let mut ports = Vec::new();
        for _ in names {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
            ports.push(listener.local_addr().expect("address").port());
        }
        let resolve: BTreeMap<String, String> = names
            .iter()
            .zip(&ports)
            .map(|(name, port)| (format!("{name}.test"), format!("127.0.0.1:{port}")))
            .collect();
        let mut instances = Vec::new();
        for (name, port) in names.iter().zip(&ports) {
            let db = TestDatabase::create();
            let mut config = Config::default();
            config.instance.domain = format!("{name}.test:{port}");
            config.instance.scheme = Scheme::Http;
            config.database.url = db.url.clone();
            config.database.pool_size = 4;
            config.server.data_dir = db.dir.path().join("data");
            config.federation.allow_http = true;
            config.federation.allow_private_hosts = resolve.keys().cloned().collect();
            config.federation.resolve = resolve.clone();
            config.federation.delivery_poll_ms = 100;
            config.federation.request_timeout_seconds = 5;
            config.federation.retry_scale = 0.02;
            adjust(name, &mut config);
            let running = launch(&config, *port).await;
            instances.push(Instance {
                name: (*name).to_owned(),
                domain: format!("{name}.test:{port}"),
                port: *port,
                config,
                db,
                running: Some(running),
            });
        }
        Network { instances }
    }

    pub fn get(&self, name: &str) -> &Instance {
        self.instances
            .iter()
            .find(|i| i.name == name)
            .expect("instance")
    }

    pub fn get_mut(&mut self, name: &str) -> &mut Instance {
        self.instances
            .iter_mut()
            .find(|i| i.name == name)
            .expect("instance")
    }
}

/// Polls `check` until it returns `Some`, for at most `timeout`; panics with `what` otherwise.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// How long federation steps may take in tests (deliveries are immediate; this is slack for a
/// loaded machine).
pub const PATIENCE: Duration = Duration::from_secs(20);
