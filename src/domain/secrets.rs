//! Keys the instance makes for itself once and keeps in the database, so every process sharing it
//! signs and checks alike.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;

use crate::db::models::ServerSecretRow;
use crate::db::{Db, store};
use crate::error::AppError;

/// The 32-byte key called `name`, made on first use.
pub async fn key(db: &Db, name: &'static str) -> Result<[u8; 32], AppError> {
    let value = db
        .run(move |conn| {
            if let Some(value) = store::oauth::find_secret(conn, name)? {
                return Ok(value);
            }
            let fresh: [u8; 32] = rand::random();
            Ok(store::oauth::insert_secret(
                conn,
                &ServerSecretRow {
                    name: name.to_owned(),
                    value: STANDARD.encode(fresh),
                    created_at: Utc::now().naive_utc(),
                },
            )?)
        })
        .await?;
    let bytes = STANDARD.decode(value).map_err(AppError::internal)?;
    bytes
        .try_into()
        .map_err(|_| AppError::internal(format!("the server secret {name} is not 32 bytes")))
}
