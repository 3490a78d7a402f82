//! `kakehashi serve`: open the database, migrate, serve HTTP, stop gracefully.

use std::time::Duration;

use anyhow::Context;
use rand::Rng;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::db::Db;
use crate::domain::accounts;
use crate::state::AppState;

/// Opens the configured database and applies pending migrations.
pub async fn open_database(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect(&config.database_url(), config.database.pool_size).await?;
    let applied = db.migrate().await?;
    for name in &applied {
        tracing::info!(migration = %name, "applied migration");
    }
    Ok(db)
}

/// A running instance: its state, HTTP server and background workers.
pub struct Running {
    pub state: AppState,
    shutdown: CancellationToken,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    workers: Vec<tokio::task::JoinHandle<()>>,
}

/// Starts serving on `listener` with background workers, on an opened and migrated database.
pub async fn start(state: AppState, listener: tokio::net::TcpListener) -> anyhow::Result<Running> {
    crate::domain::instance_actor::ensure(&state).await?;
    let shutdown = CancellationToken::new();
    let workers = crate::jobs::start(&state, shutdown.clone());
    let server = axum::serve(listener, crate::http::make_service(state.clone()))
        .with_graceful_shutdown(shutdown.clone().cancelled_owned());
    let server = tokio::spawn(async move { server.await });
    Ok(Running {
        state,
        shutdown,
        server,
        workers,
    })
}

impl Drop for Running {
    /// A dropped instance stops serving and working (tests drop them to take an instance down).
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

impl Running {
    /// Stops accepting, lets in-flight requests finish for up to `grace`, stops the workers
    /// (claimed deliveries go back to the queue).
    pub async fn stop(mut self, grace: Duration) -> anyhow::Result<()> {
        self.shutdown.cancel();
        let server = std::mem::replace(&mut self.server, tokio::spawn(async { Ok(()) }));
        let workers = std::mem::take(&mut self.workers);
        let result = match tokio::time::timeout(grace, server).await {
            Ok(result) => {
                result
                    .context("the HTTP server stopped")?
                    .context("the HTTP server failed")?;
                Ok(())
            }
            Err(_) => {
                tracing::warn!(
                    seconds = grace.as_secs(),
                    "connections still open after the grace period; stopping anyway"
                );
                Ok(())
            }
        };
        for worker in workers {
            let _ = tokio::time::timeout(grace, worker).await;
        }
        result
    }
}

/// Runs the instance until SIGTERM or SIGINT, then lets in-flight requests finish.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let db = open_database(&config).await?;
    let state = AppState::new(config.clone(), db).map_err(anyhow::Error::msg)?;
    crate::domain::instance_actor::ensure(&state).await?;
    announce_setup(&state).await?;

    let listener = tokio::net::TcpListener::bind(config.server.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.server.listen))?;
    tracing::info!(
        listen = %config.server.listen,
        url = %state.urls.base(),
        backend = ?state.db.backend(),
        "Kakehashi is serving"
    );
    let mut running = start(state, listener).await?;
    tokio::select! {
        result = &mut running.server => {
            result.context("the HTTP server stopped")?.context("the HTTP server failed")?;
            return Ok(());
        }
        signal = shutdown_signal() => {
            tracing::info!(signal, "shutting down: finishing in-flight requests");
        }
    }
    running
        .stop(Duration::from_secs(config.server.shutdown_grace_seconds))
        .await?;
    tracing::info!("stopped");
    Ok(())
}

/// While no administrator exists, prints a one-time link to create one.
async fn announce_setup(state: &AppState) -> anyhow::Result<()> {
    if accounts::admin_exists(&state.db).await? {
        return Ok(());
    }
    let token: String = rand::thread_rng()
        .sample_iter(&rand::distributions::Alphanumeric)
        .take(32)
        .map(char::from)
        .collect();
    let url = state.urls.join(&format!("/setup/{token}"));
    *state
        .setup_token
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(token);
    tracing::warn!(%url, "no administrator account yet");
    println!(
        "\nNo administrator account exists yet. Open this one-time link to create one:\n\n    {url}\n\n(or run: kakehashi admin create-user --admin USERNAME EMAIL)\n"
    );
    Ok(())
}

async fn shutdown_signal() -> &'static str {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
        "SIGINT"
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
        "SIGTERM"
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<&'static str>();
    tokio::select! {
        name = interrupt => name,
        name = terminate => name,
    }
}
