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

/// Runs the instance until SIGTERM or SIGINT, then lets in-flight requests finish.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let db = open_database(&config).await?;
    let state = AppState::new(config.clone(), db).map_err(anyhow::Error::msg)?;
    crate::domain::instance_actor::ensure(&state.db, &state.urls).await?;
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

    let shutdown = CancellationToken::new();
    let server = axum::serve(listener, crate::http::make_service(state.clone()))
        .with_graceful_shutdown(shutdown.clone().cancelled_owned());
    let mut server = tokio::spawn(async move { server.await });

    tokio::select! {
        result = &mut server => {
            result.context("the HTTP server stopped")?.context("the HTTP server failed")?;
            return Ok(());
        }
        signal = shutdown_signal() => {
            tracing::info!(signal, "shutting down: finishing in-flight requests");
        }
    }
    shutdown.cancel();
    let grace = Duration::from_secs(config.server.shutdown_grace_seconds);
    match tokio::time::timeout(grace, server).await {
        Ok(result) => {
            result
                .context("the HTTP server stopped")?
                .context("the HTTP server failed")?;
            tracing::info!("stopped");
        }
        Err(_) => tracing::warn!(
            seconds = grace.as_secs(),
            "connections still open after the grace period; stopping anyway"
        ),
    }
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
