//! Between the server and the federation crate: our outbound client and keys, rendering our rows
//! as ActivityPub, the outbox, fetching and storing remote actors and objects, and the inbox.

pub mod activities;
pub mod actors;
pub mod audience;
pub mod discovery;
pub mod events;
pub mod inbox;
pub mod objects;
pub mod outbox;
pub mod render;
pub mod resolve;
pub mod transport;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use kakehashi_federation::client::{ClientPolicy, HttpClient};
use kakehashi_federation::signatures::{SigningKey, VerifyPolicy};
use url::Url;

use crate::config::Config;
use crate::db::models::AccountRow;
use crate::error::AppError;
use crate::jobs::delivery::Transport;

/// What this process federates with: one guarded HTTP client, the signature policy and the
/// instance actor's key for signed fetches.
pub struct Federation {
    pub client: HttpClient,
    pub verify: VerifyPolicy,
    pub transport: Arc<dyn Transport>,
    instance_key: OnceLock<SigningKey>,
    /// Whether remote URLs may use `http` and ports (tests only).
    pub allow_http: bool,
}

impl Federation {
    pub fn new(config: &Config, our_domain: &str) -> Result<Federation, String> {
        let mut resolve: BTreeMap<String, Vec<SocketAddr>> = BTreeMap::new();
        for (host, address) in &config.federation.resolve {
            let address: SocketAddr = address
                .parse()
                .map_err(|_| format!("federation.resolve.{host} is not an address with a port"))?;
            resolve.insert(host.clone(), vec![address]);
        }
        let policy = ClientPolicy {
            our_domain: our_domain.to_owned(),
            allow_http: config.federation.allow_http,
            allow_private_hosts: config.federation.allow_private_hosts.clone(),
            resolve,
            request_timeout: Duration::from_secs(config.federation.request_timeout_seconds.max(1)),
            max_response_bytes: config.federation.max_response_bytes,
        };
        let client = HttpClient::new(&policy).map_err(|e| e.to_string())?;
        let mut verify = VerifyPolicy::new(our_domain);
        verify.max_body_bytes = config.federation.max_inbox_bytes;
        Ok(Federation {
            transport: Arc::new(transport::HttpTransport::new(client.clone())),
            client,
            verify,
            instance_key: OnceLock::new(),
            allow_http: config.federation.allow_http,
        })
    }

    /// Remembers the instance actor's key (after it was created or loaded at start-up).
    pub fn set_instance_actor(&self, actor: &AccountRow) -> Result<(), AppError> {
        let key = signing_key(actor)?;
        let _ = self.instance_key.set(key);
        Ok(())
    }

    /// The key our signed fetches use, once the instance actor is known.
    pub fn instance_key(&self) -> Option<&SigningKey> {
        self.instance_key.get()
    }
}

/// The signing key of a local actor.
pub fn signing_key(actor: &AccountRow) -> Result<SigningKey, AppError> {
    let pem = actor
        .private_key_pem
        .as_deref()
        .ok_or_else(|| AppError::internal(format!("{} has no private key", actor.ap_id)))?;
    let key_id = Url::parse(&key_id(actor)).map_err(AppError::internal)?;
    SigningKey::from_pem(key_id, pem).map_err(AppError::internal)
}

/// The id of an actor's key: stored for remote actors, `{id}#main-key` for ours.
pub fn key_id(actor: &AccountRow) -> String {
    actor
        .public_key_id
        .clone()
        .unwrap_or_else(|| format!("{}#main-key", actor.ap_id))
}
