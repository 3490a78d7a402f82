//! RSA key pairs for actors, which sign what they send and are verified by what they receive.

use crate::error::AppError;

/// An actor's key pair as PEM text (SPKI public key, PKCS#8 private key).
#[derive(Debug, Clone)]
pub struct ActorKeys {
    pub public_pem: String,
    pub private_pem: String,
}

/// A fresh RSA-2048 key pair. Takes a noticeable fraction of a second: call it off the async
/// threads.
pub fn generate() -> Result<ActorKeys, AppError> {
    let keypair = activitypub_federation::http_signatures::generate_actor_keypair()
        .map_err(AppError::internal)?;
    Ok(ActorKeys {
        public_pem: keypair.public_key,
        private_pem: keypair.private_key,
    })
}
