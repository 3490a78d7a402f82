//! `AppState`: what every request handler and job can reach. Cheap to clone.

use std::ops::Deref;
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use crate::config::Config;
use crate::db::Db;
use crate::domain::effects::StreamEvent;
use crate::domain::urls::Urls;
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
}

impl AppState {
    pub fn new(config: Config, db: Db) -> Result<AppState, String> {
        let urls = Urls::new(config.base_url()?);
        Ok(AppState(Arc::new(StateInner {
            config,
            db,
            urls,
            setup_token: Mutex::new(None),
            events: broadcast::channel(EVENT_BUFFER).0,
            delivery_wakeup: Wakeup::default(),
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
