//! Reading positions (`home`, `notifications`) a member's apps share.

use chrono::Utc;

use crate::db::models::MarkerRow;
use crate::db::{Db, store};
use crate::error::AppError;

/// The timelines a marker may be set for.
pub const TIMELINES: &[&str] = &["home", "notifications"];

/// The member's markers for `timelines` (all of them when empty).
pub async fn get(
    db: &Db,
    account_id: i64,
    timelines: Vec<String>,
) -> Result<Vec<MarkerRow>, AppError> {
    db.run(move |conn| {
        Ok(store::markers::of_account(conn, account_id)?
            .into_iter()
            .filter(|m| timelines.is_empty() || timelines.contains(&m.timeline))
            .collect())
    })
    .await
}

/// Moves markers: `(timeline, last_read_id)` pairs; unknown timelines are ignored, as on
/// Mastodon. Returns the markers that were set.
pub async fn set(
    db: &Db,
    account_id: i64,
    positions: Vec<(String, String)>,
) -> Result<Vec<MarkerRow>, AppError> {
    db.transaction(move |conn| {
        let mut saved = Vec::new();
        for (timeline, last_read_id) in positions {
            if !TIMELINES.contains(&timeline.as_str()) || last_read_id.trim().is_empty() {
                continue;
            }
            let version = store::markers::find(conn, account_id, &timeline)?
                .map(|m| m.version + 1)
                .unwrap_or(0);
            let row = MarkerRow {
                account_id,
                timeline,
                last_read_id: last_read_id.trim().to_owned(),
                version,
                updated_at: Utc::now().naive_utc(),
            };
            store::markers::save(conn, &row)?;
            saved.push(row);
        }
        Ok(saved)
    })
    .await
}
