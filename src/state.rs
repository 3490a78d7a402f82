//! `AppState`: what every request handler and job can reach. Cheap to clone.

use std::ops::Deref;
use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;
use tokio::sync::broadcast;

use crate::config::Config;
use crate::db::Db;
use crate::domain::effects::StreamEvent;
use crate::domain::media::MediaStore;
use crate::domain::urls::Urls;
use crate::federation_glue::Federation;
use crate::http::ratelimit::RateLimiter;
use crate::jobs::delivery::Wakeup;

/// How many stream events a slow subscriber may fall behind before it misses some.
const EVENT_BUFFER: usize = 4096;

/// Shared state of one running instance.
#[derive(Clone)]
pub struct AppState(Arc<StateInner>);

pub struct StateInner {
    pub config: Config,
    pub db: Db,
    pub urls: Urls,
    /// The one-time token of `/setup/{token}`, while no administrator exists.
    pub setup_token: Mutex<Option<String>>,
    /// Changes for live streams, published after their transaction commits.
    pub events: broadcast::Sender<StreamEvent>,
    /// Rung when deliveries were queued, so workers need not wait for their next poll.
    pub delivery_wakeup: Wakeup,
    /// The files under `<data_dir>/media/`.
    pub media: MediaStore,
    /// The client API's request counts (in memory, per process).
    pub rate_limiter: RateLimiter,
    /// When this process started (the instance's `updated_at` where nothing better is known).
    pub started_at: NaiveDateTime,
    /// The outbound client, signature policy and instance key.
    pub federation: Federation,
}

impl AppState {
    pub fn new(config: Config, db: Db) -> Result<AppState, String> {
        let urls = Urls::new(config.base_url()?);
        let media = MediaStore::new(&config.server.data_dir);
        let federation = Federation::new(&config, &urls.domain())?;
        Ok(AppState(Arc::new(StateInner {
            config,
            db,
            urls,
            setup_token: Mutex::new(None),
            events: broadcast::channel(EVENT_BUFFER).0,
            delivery_wakeup: Wakeup::default(),
            media,
            rate_limiter: RateLimiter::new(),
            started_at: chrono::Utc::now().naive_utc(),
            federation,
        })))
    }

    /// Publishes committed changes to whoever streams them (nobody is fine).
    pub fn publish(&self, events: Vec<StreamEvent>) {
        for event in events {
            let _ = self.events.send(event);
        }
    }
}

impl Deref for AppState {
    type Target = StateInner;

    fn deref(&self) -> &StateInner {
        &self.0
    }
}
