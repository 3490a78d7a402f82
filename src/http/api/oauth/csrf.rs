//! CSRF protection of the login and consent form: a signed double-submit token. The page sets a
//! random nonce in an HttpOnly cookie and puts `expiry || HMAC(key, nonce, client_id, expiry)` in
//! the form; the POST must bring both. Another site can neither read the cookie nor forge the
//! signature, and the key (in the database) is shared by every process.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The cookie holding the nonce, scoped to `/oauth`.
pub const COOKIE: &str = "kakehashi_oauth_csrf";
/// How long a form may be left open before submitting.
pub const LIFETIME_SECONDS: i64 = 3600;

fn signature(key: &[u8; 32], nonce: &str, client_id: &str, expires: i64) -> Vec<u8> {
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return Vec::new(),
    };
    mac.update(b"oauth-authorize\0");
    mac.update(nonce.as_bytes());
    mac.update(b"\0");
    mac.update(client_id.as_bytes());
    mac.update(b"\0");
    mac.update(&expires.to_be_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// A fresh nonce for the cookie.
pub fn new_nonce() -> String {
    let bytes: [u8; 16] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether a cookie value looks like one of our nonces.
pub fn is_nonce(value: &str) -> bool {
    value.len() == 22 && URL_SAFE_NO_PAD.decode(value).is_ok_and(|b| b.len() == 16)
}

/// The form token for `nonce` and `client_id`.
pub fn token(key: &[u8; 32], nonce: &str, client_id: &str) -> String {
    let expires = Utc::now().timestamp() + LIFETIME_SECONDS;
    let mut bytes = expires.to_be_bytes().to_vec();
    bytes.extend(signature(key, nonce, client_id, expires));
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether `token` was made for this nonce and client and has not expired.
pub fn verify(key: &[u8; 32], nonce: &str, client_id: &str, token: &str) -> bool {
    let Ok(bytes) = URL_SAFE_NO_PAD.decode(token) else {
        return false;
    };
    if bytes.len() != 8 + 32 || !is_nonce(nonce) {
        return false;
    }
    let mut expiry = [0u8; 8];
    expiry.copy_from_slice(&bytes[..8]);
    let expires = i64::from_be_bytes(expiry);
    if expires < Utc::now().timestamp() {
        return false;
    }
    let expected = signature(key, nonce, client_id, expires);
    !expected.is_empty() && bool::from(expected.as_slice().ct_eq(&bytes[8..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_bind_the_nonce_and_the_client() {
        let key = [7u8; 32];
        let nonce = new_nonce();
        assert!(is_nonce(&nonce));
        let t = token(&key, &nonce, "client-a");
        assert!(verify(&key, &nonce, "client-a", &t));
        assert!(!verify(&key, &new_nonce(), "client-a", &t));
        assert!(!verify(&key, &nonce, "client-b", &t));
        assert!(!verify(&[8u8; 32], &nonce, "client-a", &t));
        assert!(!verify(&key, &nonce, "client-a", "garbage"));
        let mut tampered = URL_SAFE_NO_PAD.decode(&t).expect("decode");
        tampered[0] ^= 1;
        assert!(!verify(
            &key,
            &nonce,
            "client-a",
            &URL_SAFE_NO_PAD.encode(tampered)
        ));
    }
}
