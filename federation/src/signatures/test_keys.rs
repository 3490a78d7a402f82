//! RSA-2048 keys for tests, generated once per test binary (generation is slow).

use super::{ActorKeys, SigningKey};
use activitypub_federation::protocol::public_key::PublicKey;
use rsa::{RsaPrivateKey, pkcs8::EncodePublicKey};
use std::sync::OnceLock;
use url::Url;

fn generate(cell: &'static OnceLock<RsaPrivateKey>) -> &'static RsaPrivateKey {
    cell.get_or_init(|| RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap())
}

fn alice_private() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    generate(&KEY)
}

fn mallory_private() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    generate(&KEY)
}

pub const ALICE: &str = "https://alpha.test/users/alice";
pub const MALLORY: &str = "https://evil.test/users/mallory";

/// Alice's key, published in her actor document.
pub fn alice_key() -> SigningKey {
    SigningKey::new(
        Url::parse(&format!("{ALICE}#main-key")).unwrap(),
        alice_private().clone(),
    )
}

/// Mallory's own key, published in Mallory's actor document.
pub fn mallory_key() -> SigningKey {
    SigningKey::new(
        Url::parse(&format!("{MALLORY}#main-key")).unwrap(),
        mallory_private().clone(),
    )
}

fn pem(key: &RsaPrivateKey) -> String {
    key.to_public_key()
        .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
        .unwrap()
}

/// What Alice's actor document lists.
pub fn alice_keys() -> ActorKeys {
    ActorKeys {
        actor_id: Url::parse(ALICE).unwrap(),
        keys: vec![PublicKey {
            id: format!("{ALICE}#main-key"),
            owner: Url::parse(ALICE).unwrap(),
            public_key_pem: pem(alice_private()),
        }],
    }
}

/// What Mallory's actor document lists.
pub fn mallory_keys() -> ActorKeys {
    ActorKeys {
        actor_id: Url::parse(MALLORY).unwrap(),
        keys: vec![PublicKey {
            id: format!("{MALLORY}#main-key"),
            owner: Url::parse(MALLORY).unwrap(),
            public_key_pem: pem(mallory_private()),
        }],
    }
}
