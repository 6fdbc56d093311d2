//! The delivery workers: durable events become activities, and activities are
//! delivered to each destination with retries, in causal order per object, and
//! survive restarts (state lives in the database, work is leased).

pub(crate) mod backoff;
mod forget;
pub mod knock;
mod post;
pub mod sign;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::sync::Semaphore;

use super::outbound::activities_for;
use crate::{
    db::{self, outbox},
    error::AppError,
    service::{events::Event, now},
    state::AppState,
};

const EVENT_BATCH: i64 = 50;
/// An event that keeps failing this often is logged and dropped, so it cannot
/// hold up every later one for good.
const MAX_EVENT_ATTEMPTS: i32 = 10;
const DELIVERY_BATCH: i64 = 200;

struct Worker {
    state: AppState,
    client: reqwest::Client,
    keys: Mutex<HashMap<i64, Arc<sign::SigningKey>>>,
    in_flight: Mutex<HashMap<String, usize>>,
    slots: Arc<Semaphore>,
}

/// Starts the workers; they stop when `state.shutdown` is cancelled.
pub fn spawn(state: AppState, client: reqwest::Client) {
    let worker = Arc::new(Worker {
        slots: Arc::new(Semaphore::new(state.config.federation.workers)),
        state: state.clone(),
        client,
        keys: Mutex::default(),
        in_flight: Mutex::default(),
    });
    state.tasks.spawn(async move { worker.run().await });
}

impl Worker {
    async fn run(self: Arc<Self>) {
        let state = self.state.clone();
        loop {
            if let Err(e) = self.process_events().await {
                tracing::warn!(error = %e, "processing federation events failed");
            }
            if let Err(e) = self.clone().deliver_due().await {
                tracing::warn!(error = %e, "scheduling deliveries failed");
            }
            tokio::select! {
                () = state.db.delivery_wake().notified() => {}
                () = tokio::time::sleep(Duration::from_millis(500)) => {}
                () = state.shutdown.cancelled() => break,
            }
        }
    }

    /// Turns due events into stored activities and deliveries.
    async fn process_events(&self) -> Result<(), AppError> {
        let at = now();
        let lease = self.lease();
        let claimed = self
            .state
            .db
            .write(move |c| Ok(outbox::claim_events(c, at, at + lease, EVENT_BATCH)?))
            .await?;
        let ids: Vec<i64> = claimed.iter().map(|(id, _, _)| *id).collect();
        for (n, (id, payload, attempts)) in claimed.into_iter().enumerate() {
            let kept = forget::kept_of(&payload);
            let result = match serde_json::from_str::<Event>(&payload) {
                Ok(event @ (Event::StatusUpdated { .. } | Event::ActorUpdated { .. })) => {
                    let p = payload.clone();
                    let later = self
                        .state
                        .db
                        .run(move |c| Ok(outbox::superseded(c, id, &p)?))
                        .await?;
                    if later {
                        Ok(vec![])
                    } else {
                        activities_for(&self.state, event).await
                    }
                }
                Ok(event) => activities_for(&self.state, event).await,
                Err(e) => {
                    tracing::error!(error = %e, "unreadable federation event dropped");
                    Ok(vec![])
                }
            };
            match result {
                Ok(activities) => {
                    self.state
                        .db
                        .write(move |c| {
                            outbox::finish_event(c, id, &activities, now())?;
                            forget::event(c, id, kept.as_deref())
                        })
                        .await?;
                }
                Err(e) if attempts + 1 >= MAX_EVENT_ATTEMPTS => {
                    tracing::error!(error = %e, "federation event abandoned");
                    self.state
                        .db
                        .write(move |c| {
                            outbox::finish_event(c, id, &[], now())?;
                            forget::event(c, id, kept.as_deref())
                        })
                        .await?;
                }
                Err(e) => {
                    let f = &self.state.config.federation;
                    let delay = backoff::next_delay(
                        attempts + 1,
                        Duration::from_secs(f.retry_base_seconds),
                        Duration::from_secs(f.retry_max_seconds),
                        None,
                    );
                    let message = e.to_string();
                    tracing::warn!(error = %message, "federation event will be retried");
                    self.state
                        .db
                        .write(move |c| {
                            Ok(outbox::retry_event(
                                c,
                                id,
                                attempts + 1,
                                now() + backoff::as_chrono(delay),
                                &message,
                            )?)
                        })
                        .await?;
                    // Later events wait: their activities must not overtake this one's
                    // (a Delete before its Create would be lost on the receiver).
                    let rest = ids[n + 1..].to_vec();
                    self.state
                        .db
                        .write(move |c| Ok(outbox::release_events(c, &rest)?))
                        .await?;
                    break;
                }
            }
        }
        Ok(())
    }

    /// Starts due deliveries within the global and per-destination limits.
    async fn deliver_due(self: Arc<Self>) -> Result<(), AppError> {
        let at = now();
        let due = self
            .state
            .db
            .run(move |c| Ok(outbox::due_deliveries(c, at, DELIVERY_BATCH)?))
            .await?;
        let per_destination = self.state.config.federation.concurrency_per_destination;
        for d in due {
            {
                let mut in_flight = self
                    .in_flight
                    .lock()
                    .map_err(|_| AppError::internal(anyhow::anyhow!("poisoned")))?;
                let n = in_flight.entry(d.domain.clone()).or_default();
                if *n >= per_destination {
                    continue;
                }
                *n += 1;
            }
            let Ok(permit) = self.slots.clone().try_acquire_owned() else {
                self.release(&d.domain);
                break;
            };
            let (id, lease) = (d.id, self.lease());
            let claimed = self
                .state
                .db
                .write(move |c| Ok(outbox::claim_delivery(c, id, now(), now() + lease)?))
                .await?;
            if !claimed {
                self.release(&d.domain);
                continue;
            }
            let me = self.clone();
            self.state.tasks.spawn(async move {
                let domain = d.domain.clone();
                if let Err(e) = me.attempt(d).await {
                    tracing::warn!(error = %e, "recording a delivery failed");
                }
                me.release(&domain);
                drop(permit);
                // A finished delivery may unblock the next one for the same object.
                me.state.wake_delivery();
            });
        }
        Ok(())
    }

    /// A claim lasts this long; a crashed worker's work is taken up after it.
    fn lease(&self) -> chrono::Duration {
        chrono::Duration::seconds(self.state.config.federation.lease_seconds as i64)
    }

    fn release(&self, domain: &str) {
        if let Ok(mut m) = self.in_flight.lock()
            && let Some(n) = m.get_mut(domain)
        {
            *n = n.saturating_sub(1);
        }
    }

    async fn key(&self, actor_id: i64) -> Result<Arc<sign::SigningKey>, AppError> {
        if let Some(k) = self
            .keys
            .lock()
            .ok()
            .and_then(|m| m.get(&actor_id).cloned())
        {
            return Ok(k);
        }
        let pem = self
            .state
            .db
            .run(move |c| Ok(db::actors::by_id(c, actor_id)?.private_key_pem))
            .await?
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("sender has no private key")))?;
        let key = tokio::task::spawn_blocking(move || sign::SigningKey::from_pem(&pem))
            .await
            .map_err(AppError::internal)?
            .map_err(AppError::internal)?;
        let key = Arc::new(key);
        if let Ok(mut m) = self.keys.lock() {
            m.insert(actor_id, key.clone());
        }
        Ok(key)
    }

    /// One attempt at one delivery, and its outcome recorded.
    async fn attempt(&self, d: outbox::DueDelivery) -> Result<(), AppError> {
        let f = &self.state.config.federation;
        let at = now();
        let attempts = d.attempts + 1;
        let (state, status, error, reachable, retry_after) = match self.send(&d).await {
            Ok((code, _)) if (200..300).contains(&code) => (
                outbox::DeliveryState::Delivered,
                Some(code),
                None,
                true,
                None,
            ),
            // Refused for good: retrying would not help (and the peer is up).
            Ok((code, _)) if (400..500).contains(&code) && code != 408 && code != 429 => (
                outbox::DeliveryState::Rejected,
                Some(code),
                Some(format!("refused with {code}")),
                true,
                None,
            ),
            Ok((code, retry_after)) => (
                outbox::DeliveryState::Pending,
                Some(code),
                Some(format!("answered {code}")),
                false,
                retry_after,
            ),
            Err(e) => (outbox::DeliveryState::Pending, None, Some(e), false, None),
        };
        let next = if state == outbox::DeliveryState::Pending {
            at + backoff::as_chrono(backoff::next_delay(
                attempts,
                Duration::from_secs(f.retry_base_seconds),
                Duration::from_secs(f.retry_max_seconds),
                retry_after,
            ))
        } else {
            at
        };
        if let Some(e) = &error {
            tracing::info!(inbox = %d.inbox, activity = %d.activity_ap_id, attempts, error = %e, "delivery not done");
        }
        let unreachable_after = chrono::Duration::seconds(f.unreachable_after_seconds as i64);
        let (id, domain, activity_ap_id) = (d.id, d.domain.clone(), d.activity_ap_id.clone());
        let attempt = outbox::Attempt {
            state,
            attempts,
            next,
            status: status.map(i32::from),
            error,
        };
        self.state
            .db
            .write(move |c| {
                let done = attempt.state != outbox::DeliveryState::Pending;
                outbox::record_attempt(c, id, &attempt, at)?;
                forget::activity(c, &activity_ap_id, done)?;
                if reachable {
                    db::destinations::destination_ok(c, &domain, at)?;
                } else {
                    let since = db::destinations::destination_failed(c, &domain, at)?;
                    if at - since > unreachable_after {
                        tracing::warn!(%domain, "destination marked unreachable");
                        db::destinations::mark_unreachable(c, &domain)?;
                    }
                }
                Ok(())
            })
            .await
    }
}
