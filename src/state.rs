//! `AppState`: what every request handler and job can reach. Cheap to clone.

use std::ops::Deref;
use std::sync::{Arc, Mutex};

use crate::config::Config;
use crate::db::Db;
use crate::domain::urls::Urls;

/// Shared state of one running instance.
#[derive(Clone)]
pub struct AppState(Arc<StateInner>);

pub struct StateInner {
    pub config: Config,
    pub db: Db,
    pub urls: Urls,
    /// The one-time token of `/setup/{token}`, while no administrator exists.
    pub setup_token: Mutex<Option<String>>,
}

impl AppState {
    pub fn new(config: Config, db: Db) -> Result<AppState, String> {
        let urls = Urls::new(config.base_url()?);
        Ok(AppState(Arc::new(StateInner {
            config,
            db,
            urls,
            setup_token: Mutex::new(None),
        })))
    }
}

impl Deref for AppState {
    type Target = StateInner;

    fn deref(&self) -> &StateInner {
        &self.0
    }
}
