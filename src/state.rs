//! `AppState`: what every request handler and job can reach. Cheap to clone.

use std::ops::Deref;
use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;

use crate::config::Config;
use crate::db::Db;
use crate::domain::media::MediaStore;
use crate::domain::urls::Urls;
use crate::http::ratelimit::RateLimiter;

/// Shared state of one running instance.
#[derive(Clone)]
pub struct AppState(Arc<StateInner>);

pub struct StateInner {
    pub config: Config,
    pub db: Db,
    pub urls: Urls,
    /// The one-time token of `/setup/{token}`, while no administrator exists.
    pub setup_token: Mutex<Option<String>>,
    /// The files under `<data_dir>/media/`.
    pub media: MediaStore,
    /// The client API's request counts (in memory, per process).
    pub rate_limiter: RateLimiter,
    /// When this process started (the instance's `updated_at` where nothing better is known).
    pub started_at: NaiveDateTime,
}

impl AppState {
    pub fn new(config: Config, db: Db) -> Result<AppState, String> {
        let urls = Urls::new(config.base_url()?);
        let media = MediaStore::new(&config.server.data_dir);
        Ok(AppState(Arc::new(StateInner {
            config,
            db,
            urls,
            setup_token: Mutex::new(None),
            media,
            rate_limiter: RateLimiter::new(),
            started_at: chrono::Utc::now().naive_utc(),
        })))
    }
}

impl Deref for AppState {
    type Target = StateInner;

    fn deref(&self) -> &StateInner {
        &self.0
    }
}
