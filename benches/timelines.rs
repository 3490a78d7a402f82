//! Home timeline latency for a member who follows 1,000 accounts over 1,000,000 statuses, through
//! the real HTTP endpoint (`GET /api/v1/timelines/home`, token, JSON rendering) of a running
//! server on loopback. Run with `cargo bench --bench timelines`; figures go in
//! docs/PERFORMANCE.md. SQLite by default; `BENCH_DATABASE_URL=postgres://...` measures
//! PostgreSQL in the database named by the URL with `_timelines` appended (it must exist, empty). `BENCH_STATUSES` and
//! `BENCH_REQUESTS` shrink the run. Every loop is bounded in count and time.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "a benchmark stops with the reason when its set-up fails"
)]

use std::time::{Duration, Instant};

use diesel::RunQueryDsl;
use kakehashi::config::{Config, Scheme};
use kakehashi::db::{Db, ids};
use kakehashi::domain::accounts::{self, NewLocalUser, Role};
use kakehashi::domain::oauth::{self, NewApplication};
use kakehashi::domain::scopes::Scopes;
use kakehashi::state::AppState;
use tokio::net::TcpListener;

const FOLLOWED: i64 = 1_000;
const DEADLINE: Duration = Duration::from_secs(600);

fn env_number(name: &str, default: i64) -> i64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name}: {} requests, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        samples.len(),
        ms(percentile(&samples, 0.50)),
        ms(percentile(&samples, 0.90)),
        ms(percentile(&samples, 0.99)),
        ms(*samples.last().expect("samples")),
    );
}

/// Statements that fill the database: `FOLLOWED` remote accounts, the reader's follows of them,
/// `statuses` public notes spread over those accounts, and the reader's home feed (fan-out on
/// write has put every one of them there).
fn fill_statements(
    postgres: bool,
    reader: i64,
    account_base: i64,
    status_base: i64,
    statuses: i64,
) -> Vec<String> {
    let now = if postgres { "now()" } else { "datetime('now')" };
    // A number series 0..n-1 as `n(i)`.
    let series = |n: i64, body: &str| -> String {
        if postgres {
            body.replace(
                "{FROM}",
                &format!("FROM generate_series(0, {}) AS n(i)", n - 1),
            )
        } else {
            format!(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {}) {}",
                n - 1,
                body.replace("{FROM}", "FROM n")
            )
        }
    };
    vec![
        series(
            FOLLOWED,
            &format!(
                "INSERT INTO accounts (id, username, domain, actor_type, display_name, ap_id, url, \
                 inbox_url, shared_inbox_url, public_key_pem, created_at, updated_at) \
                 SELECT {account_base} + i, 'member' || i, 'town' || (i % 50) || '.test', 'Person', \
                 'Member ' || i, 'https://town' || (i % 50) || '.test/users/member' || i, \
                 'https://town' || (i % 50) || '.test/@member' || i, \
                 'https://town' || (i % 50) || '.test/users/member' || i || '/inbox', \
                 'https://town' || (i % 50) || '.test/inbox', 'unused', {now}, {now} {{FROM}}"
            ),
        ),
        series(
            FOLLOWED,
            &format!(
                "INSERT INTO follows (id, account_id, target_account_id, state, show_reblogs, \
                 notify, created_at, updated_at) \
                 SELECT {account_base} + i, {reader}, {account_base} + i, 'accepted', {t}, {f}, \
                 {now}, {now} {{FROM}}",
                t = if postgres { "true" } else { "1" },
                f = if postgres { "false" } else { "0" },
            ),
        ),
        series(
            statuses,
            &format!(
                "INSERT INTO statuses (id, account_id, ap_id, url, local, object_type, content, \
                 visibility, created_at, updated_at) \
                 SELECT {status_base} + i, {account_base} + (i % {FOLLOWED}), \
                 'https://town' || (i % 50) || '.test/objects/' || i, \
                 'https://town' || (i % 50) || '.test/@member/' || i, {f}, 'Note', \
                 '<p>防災訓練のお知らせ ' || i || ' — notes from the study group</p>', 'public', \
                 {now}, {now} {{FROM}}",
                f = if postgres { "false" } else { "0" },
            ),
        ),
        series(
            statuses,
            &format!(
                "INSERT INTO home_feed (account_id, status_id, author_id) \
                 SELECT {reader}, {status_base} + i, {account_base} + (i % {FOLLOWED}) {{FROM}}"
            ),
        ),
    ]
}

fn main() {
    let statuses = env_number("BENCH_STATUSES", 1_000_000);
    let requests = env_number("BENCH_REQUESTS", 2_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let started = Instant::now();
        let dir = tempfile::tempdir().expect("dir");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let mut config = Config::default();
        config.instance.domain = format!("bench.test:{}", address.port());
        config.instance.scheme = Scheme::Http;
        config.server.data_dir = dir.path().join("data");
        config.database.url = std::env::var("BENCH_DATABASE_URL")
            .map(|base| format!("{base}_timelines"))
            .unwrap_or_else(|_| format!("sqlite://{}/timelines.sqlite3", dir.path().display()));
        config.api.rate_limit_requests = 1_000_000;
        let postgres = config.database.url.starts_with("postgres");
        let db = Db::connect(&config.database_url(), 8)
            .await
            .expect("connect");
        db.migrate().await.expect("migrate");
        let state = AppState::new(config, db).expect("state");

        let reader = accounts::create_local_user(
            &state.db,
            &state.urls,
            NewLocalUser {
                username: "reader".into(),
                email: "reader@bench.example".into(),
                password: "bench-password-long-enough-1".into(),
                display_name: None,
                role: Role::User,
                locale: "ja".into(),
            },
        )
        .await
        .expect("reader");
        let app = oauth::register_application(
            &state.db,
            NewApplication {
                name: "bench".into(),
                website: None,
                redirect_uris: vec!["urn:ietf:wg:oauth:2.0:oob".into()],
                scopes: "read".into(),
            },
        )
        .await
        .expect("app");
        let token = oauth::create_token(
            &state.db,
            app.app.id,
            Some(reader.account.id),
            &Scopes::parse("read").expect("scopes"),
        )
        .await
        .expect("token")
        .access_token;

        let account_base = ids::next_id();
        let status_base = ids::next_id() + 1_000_000;
        let fill = Instant::now();
        let statements = fill_statements(
            postgres,
            reader.account.id,
            account_base,
            status_base,
            statuses,
        );
        state
            .db
            .run(move |conn| {
                if postgres {
                    // Filling a million rows takes longer than the server's 30-second limit.
                    diesel::sql_query("SET statement_timeout = 0").execute(conn)?;
                }
                for statement in &statements {
                    diesel::sql_query(statement.as_str()).execute(conn)?;
                }
                // Fresh planner statistics, as a long-running database has.
                diesel::sql_query("ANALYZE").execute(conn)?;
                Ok(())
            })
            .await
            .expect("fill");
        println!(
            "filled {FOLLOWED} followed accounts and {statuses} statuses (and as many home feed \
             entries) in {:.1} s on {}",
            fill.elapsed().as_secs_f64(),
            if postgres { "PostgreSQL" } else { "SQLite" }
        );

        let running = kakehashi::server::start(state, listener)
            .await
            .expect("start");
        let client = reqwest::Client::builder()
            .resolve("bench.test", address)
            .build()
            .expect("client");
        let base = format!("http://bench.test:{}/api/v1/timelines/home", address.port());
        let get = |query: String| {
            let client = client.clone();
            let url = format!("{base}?{query}");
            let token = token.clone();
            async move {
                let begun = Instant::now();
                let response = client
                    .get(&url)
                    .bearer_auth(&token)
                    .send()
                    .await
                    .expect("request");
                assert!(response.status().is_success(), "{}", response.status());
                let body: Vec<serde_json::Value> = response.json().await.expect("json");
                assert_eq!(body.len(), 20, "a full page");
                begun.elapsed()
            }
        };

        // Warm-up, not measured.
        for _ in 0..20 {
            get("limit=20".into()).await;
        }
        let mut newest = Vec::new();
        let mut deep = Vec::new();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for n in 0..requests {
            if started.elapsed() > DEADLINE {
                println!("deadline reached after {n} requests");
                break;
            }
            if n % 2 == 0 {
                newest.push(get("limit=20".into()).await);
            } else {
                // xorshift: a page starting anywhere in the feed.
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let offset = (seed % (statuses as u64 - 100)) as i64 + 100;
                deep.push(get(format!("limit=20&max_id={}", status_base + offset)).await);
            }
        }
        report("home timeline, newest page", newest);
        report("home timeline, a page at a random depth (max_id)", deep);
        running.stop(Duration::from_secs(5)).await.expect("stop");
    });
}
