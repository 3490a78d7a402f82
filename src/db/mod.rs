//! The database: one connection type over SQLite and PostgreSQL, its pool, migrations and `Db::run`.

pub mod ids;
pub mod models;
pub mod schema;
pub mod store;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection, R2D2Connection};
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::AppError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to either backend. Queries written against it run on both.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A parsed `database.url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A file path; its directory is created when missing.
    Sqlite(PathBuf),
    /// A libpq connection URL.
    Postgres(String),
}

impl DatabaseUrl {
    /// Picks the backend by the URL scheme: `sqlite://` (or `sqlite:`) and `postgres://` (or
    /// `postgresql://`).
    pub fn parse(url: &str) -> Result<DatabaseUrl, String> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(url.to_owned()))
        } else if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                Err(
                    "a sqlite:// URL needs a file path, such as sqlite://data/kakehashi.sqlite3"
                        .to_owned(),
                )
            } else {
                Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
            }
        } else {
            Err(format!(
                "\"{}\" is neither a sqlite:// nor a postgres:// URL",
                redact(url)
            ))
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }

    /// The URL with any password hidden, for messages and logs.
    pub fn display(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => redact(url),
        }
    }
}

fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Opens connections for the pool, with the settings each backend needs.
#[derive(Debug)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl ConnectionManager {
    pub fn new(url: DatabaseUrl) -> ConnectionManager {
        ConnectionManager { url }
    }

    fn open(&self) -> Result<DbConnection, ConnectionError> {
        match &self.url {
            DatabaseUrl::Postgres(url) => {
                let mut conn = PgConnection::establish(url)?;
                // Never let one query hold a connection longer than a client would wait for it.
                conn.batch_execute("SET statement_timeout = '30s'; SET TIME ZONE 'UTC';")
                    .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Postgres(conn))
            }
            DatabaseUrl::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        ConnectionError::BadConnection(format!(
                            "cannot create the directory {}: {e}",
                            dir.display()
                        ))
                    })?;
                }
                let path = path.to_str().ok_or_else(|| {
                    ConnectionError::BadConnection("the SQLite path is not valid UTF-8".to_owned())
                })?;
                let mut conn = SqliteConnection::establish(path)?;
                // WAL lets readers run beside the one writer; busy_timeout makes writers queue
                // instead of failing; foreign keys are off by default in SQLite.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 15000;
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = NORMAL;
                     PRAGMA foreign_keys = ON;",
                )
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

impl ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        self.open().map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        conn.is_broken()
    }
}

/// Why the database could not be opened, in words for the operator.
#[derive(Debug, thiserror::Error)]
pub enum DbOpenError {
    #[error("{0}")]
    Url(String),
    #[error("cannot connect to the database at {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("cannot apply the database migrations: {0}")]
    Migrate(String),
}

/// The pool plus what callers need to know about the backend. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: Pool<ConnectionManager>,
    backend: Backend,
    /// SQLite has one writer: write transactions in this process take turns here instead of
    /// failing with SQLITE_BUSY when two deferred transactions both try to upgrade.
    sqlite_writer: Arc<Mutex<()>>,
}

impl Db {
    /// Connects (failing fast with a clear message when the database is unreachable) and builds the
    /// pool. Does not migrate; call [`Db::migrate`].
    pub async fn connect(url: &str, pool_size: u32) -> Result<Db, DbOpenError> {
        let url = DatabaseUrl::parse(url).map_err(DbOpenError::Url)?;
        let display = url.display();
        let backend = url.backend();
        let manager = ConnectionManager::new(url);
        tokio::task::spawn_blocking(move || {
            // One direct attempt first, so an unreachable server gives its own reason at once
            // rather than a pool timeout.
            let first = manager.open().map_err(|e| DbOpenError::Connect {
                url: display.clone(),
                reason: describe_connection_error(&e),
            })?;
            let pool = Pool::builder()
                .max_size(pool_size)
                // No connection is opened in the background to keep one idle: a process that
                // ends (a CLI command, right after its one query) while r2d2's thread is in a TLS
                // handshake with PostgreSQL crashed in OpenSSL's exit handlers (SIGSEGV, seen
                // in about 1 of 6 `kakehashi check-config` runs). Connections open on demand,
                // in `get`, and stay in the pool until idle.
                .min_idle(Some(0))
                .connection_timeout(Duration::from_secs(5))
                .error_handler(Box::new(LogErrors))
                .build_unchecked(manager);
            drop(first);
            Ok(Db {
                pool,
                backend,
                sqlite_writer: Arc::new(Mutex::new(())),
            })
        })
        .await
        .map_err(|e| DbOpenError::Connect {
            url: String::new(),
            reason: e.to_string(),
        })?
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies every pending migration of this backend's tree; returns the names applied.
    pub async fn migrate(&self) -> Result<Vec<String>, DbOpenError> {
        self.run(|conn| Ok(run_migrations(conn)))
            .await
            .map_err(|e| DbOpenError::Migrate(e.to_string()))?
            .map_err(DbOpenError::Migrate)
    }

    /// Runs `f` with a pooled connection on the blocking thread pool.
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await
        .map_err(AppError::internal)?
    }

    /// Runs `f` inside one transaction: all of it is stored, or none of it.
    pub async fn transaction<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let writer = (self.backend == Backend::Sqlite).then(|| self.sqlite_writer.clone());
        tokio::task::spawn_blocking(move || {
            // The writer's turn first, then a connection: writers waiting for their turn hold no
            // pooled connection that readers need.
            let _turn = writer.as_ref().map(|lock| {
                lock.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
            });
            let mut conn = pool.get()?;
            let conn: &mut DbConnection = &mut conn;
            match conn {
                DbConnection::Sqlite(_) => sqlite_write_transaction(conn, f),
                DbConnection::Postgres(_) => conn.transaction(f),
            }
        })
        .await
        .map_err(AppError::internal)?
    }

    /// Whether the database answers within `timeout` (for `/readyz`).
    pub async fn ping(&self, timeout: Duration) -> bool {
        let pool = self.pool.clone();
        let check = tokio::task::spawn_blocking(move || -> bool {
            let Ok(mut conn) = pool.get_timeout(timeout) else {
                return false;
            };
            conn.ping().is_ok()
        });
        matches!(tokio::time::timeout(timeout, check).await, Ok(Ok(true)))
    }

    /// A connection for code that is already on a blocking thread (the CLI, tests).
    pub fn get(&self) -> Result<PooledConnection<ConnectionManager>, AppError> {
        Ok(self.pool.get()?)
    }
}

/// A SQLite transaction that takes the write lock at `BEGIN IMMEDIATE`, waiting for it under
/// `busy_timeout`. A plain (deferred) transaction that reads and then writes cannot wait: if any
/// other connection committed in between (a one-statement write through [`Db::run`], another
/// process), SQLite refuses the upgrade at once with `SQLITE_BUSY`, which surfaced as HTTP 500s
/// under concurrent inbox traffic.
fn sqlite_write_transaction<T, F>(conn: &mut DbConnection, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, AppError>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    /// The SQLite connection inside; the caller only passes SQLite ones.
    fn sqlite<R>(
        conn: &mut DbConnection,
        op: impl FnOnce(&mut SqliteConnection) -> QueryResult<R>,
    ) -> QueryResult<R> {
        match conn {
            DbConnection::Sqlite(c) => op(c),
            DbConnection::Postgres(_) => Err(diesel::result::Error::BrokenTransactionManager),
        }
    }
    sqlite(conn, |c| {
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")
    })?;
    match f(conn) {
        Ok(value) => {
            sqlite(conn, AnsiTransactionManager::commit_transaction)?;
            Ok(value)
        }
        Err(error) => match sqlite(conn, AnsiTransactionManager::rollback_transaction) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
            Err(rollback) => Err(rollback.into()),
        },
    }
}

impl DbConnection {
    /// A trivial query that fails when the server is gone.
    pub fn ping(&mut self) -> QueryResult<()> {
        self.batch_execute("SELECT 1")
    }

    pub fn backend(&self) -> Backend {
        match self {
            DbConnection::Postgres(_) => Backend::Postgres,
            DbConnection::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// Applies the pending migrations of the connection's backend.
pub fn run_migrations(conn: &mut DbConnection) -> Result<Vec<String>, String> {
    let applied = match conn {
        DbConnection::Postgres(pg) => pg.run_pending_migrations(POSTGRES_MIGRATIONS),
        DbConnection::Sqlite(sqlite) => sqlite.run_pending_migrations(SQLITE_MIGRATIONS),
    }
    .map_err(|e| e.to_string())?;
    Ok(applied.iter().map(ToString::to_string).collect())
}

/// The names of the embedded migrations of each tree, for the test that keeps them in step.
pub fn migration_names(backend: Backend) -> Vec<String> {
    use diesel::migration::MigrationSource;
    let source = match backend {
        Backend::Sqlite => SQLITE_MIGRATIONS,
        Backend::Postgres => POSTGRES_MIGRATIONS,
    };
    MigrationSource::<diesel::sqlite::Sqlite>::migrations(&source)
        .map(|list| list.iter().map(|m| m.name().to_string()).collect())
        .unwrap_or_default()
}

fn describe_connection_error(error: &ConnectionError) -> String {
    match error {
        ConnectionError::BadConnection(msg) => msg.lines().next().unwrap_or(msg).trim().to_owned(),
        other => other
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned(),
    }
}

/// Sends pool errors (a server gone away) to our log at `warn` instead of `log`'s default.
#[derive(Debug)]
struct LogErrors;

impl r2d2::HandleError<r2d2::Error> for LogErrors {
    fn handle_error(&self, error: r2d2::Error) {
        tracing::warn!(%error, "database connection failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/k.sqlite3"),
            Ok(DatabaseUrl::Sqlite(PathBuf::from("data/k.sqlite3")))
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u:p@localhost/k").map(|u| u.backend()),
            Ok(Backend::Postgres)
        );
        assert!(DatabaseUrl::parse("mysql://localhost/k").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
        assert_eq!(
            DatabaseUrl::parse("postgres://u:secret@h/k").map(|u| u.display()),
            Ok("postgres://u:***@h/k".to_owned())
        );
    }
}
