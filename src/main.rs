//! The `kakehashi` binary: parse the command line, load the configuration, run the command.

use std::process::ExitCode;

use clap::Parser;
use kakehashi::cli::{Cli, Command};
use kakehashi::config::{Config, LogFormat};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("kakehashi: {e}");
            return ExitCode::FAILURE;
        }
    };
    let command = cli.command.unwrap_or(Command::Serve);
    init_tracing(&config, matches!(command, Command::Serve));

    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("kakehashi: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(kakehashi::cli::run(command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}` prints the chain of causes on one line, never a backtrace.
            eprintln!("kakehashi: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to standard error: `info` for the server, only warnings for one-off commands, unless
/// `RUST_LOG` says otherwise.
fn init_tracing(config: &Config, serving: bool) {
    let default = if serving { "info" } else { "warn" };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match config.server.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}
