//! The event reminder job: every `events.reminder_poll_seconds`, the reminders that are due.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::domain::events::reminders;
use crate::state::AppState;

/// Starts the job (none when the poll interval is 0).
pub fn spawn(state: &AppState, shutdown: CancellationToken) -> Option<tokio::task::JoinHandle<()>> {
    let seconds = state.config.events.reminder_poll_seconds;
    if seconds == 0 {
        return None;
    }
    let state = state.clone();
    Some(tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(seconds));
        loop {
            tokio::select! {
                () = shutdown.cancelled() => break,
                _ = interval.tick() => {
                    if let Err(error) = reminders::send_due(&state).await {
                        tracing::warn!(%error, "event reminders failed; trying again later");
                    }
                }
            }
        }
    }))
}
