//! Background work: the durable delivery queue and periodic clean-ups. Everything here survives a
//! restart because its state is in the database.

pub mod delivery;
pub mod reminders;
pub mod retry;

use tokio_util::sync::CancellationToken;

use crate::state::AppState;

/// Starts the background workers this process runs; they stop when `shutdown` is cancelled.
pub fn start(state: &AppState, shutdown: CancellationToken) -> Vec<tokio::task::JoinHandle<()>> {
    let mut handles: Vec<tokio::task::JoinHandle<()>> = reminders::spawn(state, shutdown.clone())
        .into_iter()
        .collect();
    let count = state.config.federation.delivery_workers;
    if count > 0 {
        handles.extend(delivery::spawn_workers(
            state,
            state.federation.transport.clone(),
            count,
            shutdown,
        ));
    }
    handles
}
