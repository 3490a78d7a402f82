//! The outbox: activities to send, written in the transaction of the change that caused them.

use crate::db::DbConnection;
use crate::domain::effects::Outgoing;
use crate::error::AppError;
use crate::state::AppState;

/// Renders each outgoing activity and records it with its recipients for the delivery workers.
pub fn write(
    _conn: &mut DbConnection,
    _state: &AppState,
    outgoing: &[Outgoing],
) -> Result<(), AppError> {
    // Rendering lands with the federation crate's wire types; until then nothing leaves.
    if !outgoing.is_empty() {
        tracing::debug!(
            count = outgoing.len(),
            "outgoing activities not yet delivered"
        );
    }
    Ok(())
}
