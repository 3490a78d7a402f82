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
    /// A new database on the backend this run of the suite uses (on PostgreSQL a copy of a
    /// migrated template; the server under test finds nothing left to migrate).
    pub fn create() -> TestDatabase {
        TestDatabase::create_with(true)
    }

    /// A new database without any table, for tests of migrating itself.
    pub fn create_empty() -> TestDatabase {
        TestDatabase::create_with(false)
    }

    fn create_with(migrated: bool) -> TestDatabase {
        let dir = tempfile::Builder::new()
            .prefix("kakehashi-test-")
            .tempdir()
            .expect("temporary directory");
        match std::env::var(PG_URL_VAR) {
            Ok(admin_url) if !admin_url.trim().is_empty() => {
                let name = format!("kakehashi_t_{:016x}", rand::random::<u64>());
                let template = if migrated {
                    migrated_template(&admin_url)
                } else {
                    "template1".to_owned()
                };
                let mut admin = PgConnection::establish(&admin_url)
                    .unwrap_or_else(|e| panic!("cannot connect to {PG_URL_VAR}: {e}"));
                diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
                    .execute(&mut admin)
                    .expect("create test database");
                let url = database_url(&admin_url, &name);
                TestDatabase {
                    url,
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

fn database_url(admin_url: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin_url).expect("database URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// A database with every migration applied, copied for each test (`CREATE DATABASE … TEMPLATE`
/// is much cheaper than migrating each one). Its name carries a hash of the migration files, so
/// a changed migration gets a new template; the server under test still runs its migrations at
/// start-up and finds nothing pending. Built once per process, under a temporary name that is
/// renamed at the end, so concurrent test processes never copy a half-migrated template.
fn migrated_template(admin_url: &str) -> String {
    static TEMPLATE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            use std::hash::{Hash, Hasher};
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres");
            let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
                .expect("migrations directory")
                .flat_map(|entry| {
                    let path = entry.expect("migration").path();
                    [path.join("up.sql"), path.join("down.sql")]
                })
                .collect();
            files.sort();
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            for file in &files {
                file.file_name().hash(&mut hasher);
                std::fs::read(file).unwrap_or_default().hash(&mut hasher);
            }
            let template = format!("kakehashi_template_{:016x}", hasher.finish());
            let mut admin = PgConnection::establish(admin_url)
                .unwrap_or_else(|e| panic!("cannot connect to {PG_URL_VAR}: {e}"));
            let exists = diesel::sql_query(format!(
                "SELECT 1 AS one FROM pg_database WHERE datname = '{template}'"
            ))
            .execute(&mut admin)
            .expect("look for the template")
                > 0;
            if !exists {
                let building = format!("kakehashi_building_{:016x}", rand::random::<u64>());
                diesel::sql_query(format!("CREATE DATABASE {building}"))
                    .execute(&mut admin)
                    .expect("create the template database");
                {
                    let pg = PgConnection::establish(&database_url(admin_url, &building))
                        .expect("connect to the template database");
                    let mut conn = kakehashi::db::DbConnection::Postgres(pg);
                    kakehashi::db::run_migrations(&mut conn).expect("migrate the template");
                }
                let renamed =
                    diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {template}"))
                        .execute(&mut admin);
                if renamed.is_err() {
                    // Another process made it first.
                    let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {building}"))
                        .execute(&mut admin);
                }
            }
            template
        })
        .clone()
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
