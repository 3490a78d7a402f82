//! A database of its own for each test: a SQLite file in a temporary directory, or a fresh
//! PostgreSQL database when `KAKEHASHI_TEST_DATABASE_URL` is set (dropped again afterwards).

use diesel::prelude::*;
use diesel::{Connection, PgConnection};
use kakehashi::db::Backend;
use tempfile::TempDir;

/// The variable `scripts/test` sets to run the suite on PostgreSQL: a URL whose user may create
/// databases.
pub const PG_URL_VAR: &str = "KAKEHASHI_TEST_DATABASE_URL";

pub struct TestDatabase {
    /// The URL the server under test connects to.
    pub url: String,
    pub backend: Backend,
    /// Holds the SQLite file (and anything else a test writes) until the test ends.
    pub dir: TempDir,
    postgres: Option<PostgresDb>,
}

struct PostgresDb {
    admin_url: String,
    name: String,
}

impl TestDatabase {
    /// A new, empty database on the backend this run of the suite uses.
    pub fn create() -> TestDatabase {
        let dir = tempfile::Builder::new()
            .prefix("kakehashi-test-")
            .tempdir()
            .expect("temporary directory");
        match std::env::var(PG_URL_VAR) {
            Ok(admin_url) if !admin_url.trim().is_empty() => {
                let name = format!("kakehashi_t_{:016x}", rand::random::<u64>());
                let mut admin = PgConnection::establish(&admin_url)
                    .unwrap_or_else(|e| panic!("cannot connect to {PG_URL_VAR}: {e}"));
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("create test database");
                let mut url = url::Url::parse(&admin_url).expect("database URL");
                url.set_path(&format!("/{name}"));
                TestDatabase {
                    url: url.to_string(),
                    backend: Backend::Postgres,
                    dir,
                    postgres: Some(PostgresDb { admin_url, name }),
                }
            }
            _ => TestDatabase {
                url: format!(
                    "sqlite://{}",
                    dir.path().join("kakehashi.sqlite3").display()
                ),
                backend: Backend::Sqlite,
                dir,
                postgres: None,
            },
        }
    }

    /// Whether this run of the suite is on PostgreSQL.
    pub fn on_postgres() -> bool {
        std::env::var(PG_URL_VAR).is_ok_and(|v| !v.trim().is_empty())
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(pg) = &self.postgres
            && let Ok(mut admin) = PgConnection::establish(&pg.admin_url)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", pg.name))
                .execute(&mut admin);
        }
    }
}
