//! Delivery workers: claim due deliveries, sign and send each, record the outcome, back off per
//! remote instance. Any number of workers in any number of processes share one queue.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::db::models::{AccountRow, ActivityRow, DeliveryRow};
use crate::db::store;
use crate::error::AppError;
use crate::jobs::retry;
use crate::state::AppState;

/// How long a claimed delivery stays with its worker before another may take it (a crashed
/// process's claims come back after this). Longer than any one send can take.
const LEASE: Duration = Duration::from_secs(120);

/// Deliveries one worker claims at a time.
const BATCH: i64 = 8;

/// Pending deliveries older than this are given up.
const EXPIRY_DAYS: i64 = 7;

/// Why a delivery did not succeed.
#[derive(Debug, Clone)]
pub struct SendError {
    /// The receiver will never take it (most 4xx): do not retry.
    pub permanent: bool,
    pub message: String,
}

/// Sends one signed activity to one inbox. The real one signs with the actor's key and posts over
/// the SSRF-safe client; it is behind a trait so the queue does not depend on HTTP.
#[async_trait::async_trait]
pub trait Transport: Send + Sync {
    async fn send(
        &self,
        actor: &AccountRow,
        inbox: &url::Url,
        activity: &ActivityRow,
    ) -> Result<(), SendError>;
}

/// Wakes idle workers when a change queued deliveries.
#[derive(Debug, Default)]
pub struct Wakeup(Notify);

impl Wakeup {
    pub fn wake(&self) {
        self.0.notify_waiters();
    }
}

/// Starts `count` workers; they stop when `shutdown` is cancelled, releasing what they hold.
pub fn spawn_workers(
    state: &AppState,
    transport: Arc<dyn Transport>,
    count: usize,
    shutdown: CancellationToken,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..count)
        .map(|n| {
            let state = state.clone();
            let transport = transport.clone();
            let shutdown = shutdown.clone();
            tokio::spawn(async move { worker(n, state, transport, shutdown).await })
        })
        .collect()
}

async fn worker(
    number: usize,
    state: AppState,
    transport: Arc<dyn Transport>,
    shutdown: CancellationToken,
) {
    let poll = Duration::from_millis(state.config.federation.delivery_poll_ms.max(10));
    loop {
        if shutdown.is_cancelled() {
            return;
        }
        let wakeup = state.delivery_wakeup.0.notified();
        let claimed = match claim(&state).await {
            Ok(claimed) => claimed,
            Err(error) => {
                tracing::warn!(worker = number, %error, "cannot claim deliveries");
                Vec::new()
            }
        };
        if claimed.is_empty() {
            tokio::select! {
                _ = wakeup => {}
                _ = tokio::time::sleep(poll) => {}
                _ = shutdown.cancelled() => return,
            }
            continue;
        }
        for (index, delivery) in claimed.iter().enumerate() {
            if shutdown.is_cancelled() {
                release(&state, &claimed[index..]).await;
                return;
            }
            if let Err(error) = deliver(&state, transport.as_ref(), delivery).await {
                tracing::warn!(worker = number, delivery = delivery.id, %error, "delivery bookkeeping failed");
            }
        }
    }
}

async fn claim(state: &AppState) -> Result<Vec<DeliveryRow>, AppError> {
    state
        .db
        .transaction(|conn| {
            let now = Utc::now().naive_utc();
            let lease = now + chrono::Duration::from_std(LEASE).unwrap_or_default();
            store::federation::expire_pending(
                conn,
                now - chrono::Duration::days(EXPIRY_DAYS),
                now,
            )?;
            Ok(store::federation::claim_due(conn, now, lease, BATCH)?)
        })
        .await
}

async fn release(state: &AppState, deliveries: &[DeliveryRow]) {
    let ids: Vec<i64> = deliveries.iter().map(|d| d.id).collect();
    let _ = state
        .db
        .run(move |conn| {
            for id in ids {
                store::federation::release(conn, id)?;
            }
            Ok(())
        })
        .await;
}

/// Sends one claimed delivery and records what happened, for it and for its instance.
async fn deliver(
    state: &AppState,
    transport: &dyn Transport,
    delivery: &DeliveryRow,
) -> Result<(), AppError> {
    let activity_id = delivery.activity_id;
    let (activity, actor) = state
        .db
        .run(move |conn| {
            let activity =
                store::federation::find_activity(conn, activity_id)?.ok_or(AppError::NotFound)?;
            let actor =
                store::accounts::find_by_id(conn, activity.actor_id)?.ok_or(AppError::NotFound)?;
            Ok((activity, actor))
        })
        .await?;
    let outcome = match url::Url::parse(&delivery.inbox_url) {
        Ok(inbox) => transport.send(&actor, &inbox, &activity).await,
        Err(e) => Err(SendError {
            permanent: true,
            message: format!("bad inbox URL: {e}"),
        }),
    };
    // The outcome must be recorded: a claim left behind would send the activity again once its
    // lease ends. A busy database gets a few more tries.
    let mut tries = 0;
    loop {
        tries += 1;
        match record(state, delivery, &activity.ap_id, &outcome).await {
            Ok(()) => return Ok(()),
            Err(error) if tries < 5 => {
                tracing::warn!(delivery = delivery.id, %error, "recording the outcome failed; trying again");
                tokio::time::sleep(Duration::from_millis(200 * tries)).await;
            }
            Err(error) => return Err(error),
        }
    }
}

/// Records what one attempt gave, for the delivery and for its instance.
async fn record(
    state: &AppState,
    delivery: &DeliveryRow,
    activity_ap_id: &str,
    outcome: &Result<(), SendError>,
) -> Result<(), AppError> {
    let delivery = delivery.clone();
    let outcome = outcome.clone();
    let activity_ap_id = activity_ap_id.to_owned();
    let schedule = retry::Schedule {
        jitter: rand::random(),
        scale: state.config.federation.retry_scale,
    };
    state
        .db
        .transaction(move |conn| {
            let now = Utc::now().naive_utc();
            let mut instance = store::federation::instance(conn, &delivery.domain, now)?;
            match outcome {
                Ok(()) => {
                    store::federation::mark_delivered(conn, delivery.id, now)?;
                    retry::instance_succeeded(&mut instance, now);
                    tracing::debug!(inbox = %delivery.inbox_url, activity = %activity_ap_id, "delivered");
                }
                Err(error) if error.permanent => {
                    // The instance answered; it is this activity it refuses.
                    store::federation::mark_attempt_failed(conn, delivery.id, None, &error.message, now)?;
                    retry::instance_succeeded(&mut instance, now);
                    tracing::info!(inbox = %delivery.inbox_url, error = %error.message, "delivery refused");
                }
                Err(error) => {
                    let attempts = delivery.attempts + 1;
                    let next = (attempts < retry::MAX_ATTEMPTS)
                        .then(|| now + retry::delay_after(attempts, schedule));
                    store::federation::mark_attempt_failed(conn, delivery.id, next, &error.message, now)?;
                    retry::instance_failed(&mut instance, now, schedule);
                    tracing::info!(inbox = %delivery.inbox_url, attempts, error = %error.message, "delivery failed");
                }
            }
            store::federation::save_instance(conn, &instance)?;
            Ok(())
        })
        .await
}
