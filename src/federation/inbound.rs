//! Durable inbound work. The inbox verifies an activity (signature, origin,
//! policy, the checks that need no fetch), stores it and answers 202; these
//! workers apply it (fetching authors, parents, objects) with retries, in
//! arrival order per object, and pick up after a crash (leased jobs).

use std::{
    sync::{Arc, atomic::Ordering},
    time::Duration,
};

use activitypub_federation::{config::Data, traits::Activity};
use serde_json::Value;
use tokio::sync::Semaphore;
use url::Url;

use super::{activities::inbox::InboxActivity, intake::Arrival};
use crate::{db::inbound, error::AppError, service::now, state::AppState};

const BATCH: usize = 100;
/// A job failing this often for a passing reason (a server down) is given up.
const MAX_ATTEMPTS: i32 = 10;

tokio::task_local! {
    /// The activity being stored or applied, as its sender wrote it.
    static AS_SENT: serde_json::Value;
}

/// Runs `f` (storing or applying an activity) with the activity as it was sent.
pub async fn with_as_sent<F: std::future::Future>(as_sent: serde_json::Value, f: F) -> F::Output {
    AS_SENT.scope(as_sent, f).await
}

/// The activity `id` as its sender wrote it, when it is the one being stored or
/// applied: FEP-1b12 communities forward activities unchanged, fields we do not
/// read (Lemmy's `language`, `distinguished`, …) included.
pub fn as_sent(id: &Url) -> Option<serde_json::Value> {
    AS_SENT
        .try_with(|v| (v["id"].as_str() == Some(id.as_str())).then(|| v.clone()))
        .ok()
        .flatten()
}

/// Stores a verified activity for the workers (with those verified at the same
/// moment, see `intake`); a second copy of one already received is dropped.
pub async fn enqueue(data: &Data<AppState>, activity: &InboxActivity) -> Result<(), AppError> {
    let json = serde_json::to_value(activity).map_err(AppError::internal)?;
    let object_key = match activity {
        // One person's votes in a poll apply in the order they came (the first
        // counts in a single-choice poll), though each vote is its own object.
        InboxActivity::CreateOrUpdate(c) if c.object.is_vote() => {
            c.object.in_reply_to.as_ref().map(Url::to_string)
        }
        _ => object_key(&json),
    };
    let body = as_sent(activity.id()).unwrap_or(json);
    let arrival = Arrival {
        activity_ap_id: activity.id().to_string(),
        object_key,
        body: body.to_string(),
        sender: super::objects::authority(activity.actor()),
    };
    data.intake.store(data, arrival).await.map(|_| ())
}

/// What an activity is about, so activities about the same object apply in
/// the order they arrived: the object's id, through wrappers (Announce, Undo).
fn object_key(activity: &Value) -> Option<String> {
    match activity.get("object")? {
        Value::String(id) => Some(id.clone()),
        inner @ Value::Object(o) if o.contains_key("object") => object_key(inner),
        Value::Object(o) => o.get("id").and_then(Value::as_str).map(String::from),
        _ => None,
    }
}

/// Starts the workers; they stop when `state.shutdown` is cancelled.
pub fn spawn(state: AppState) {
    let slots = Arc::new(Semaphore::new(state.config.federation.inbox_workers));
    let tasks = state.tasks.clone();
    tasks.spawn(run(state, slots));
}

async fn run(state: AppState, slots: Arc<Semaphore>) {
    loop {
        if let Err(e) = start_due(&state, &slots).await {
            tracing::warn!(error = %e, "scheduling inbound jobs failed");
        }
        tokio::select! {
            () = state.inbound_wake.notified() => {}
            () = tokio::time::sleep(Duration::from_millis(500)) => {}
            () = state.shutdown.cancelled() => break,
        }
    }
}

/// Inbox requests in flight from which the inbox counts as under a burst.
const BURST: usize = 4;

/// How many more jobs may start now. During a burst of arrivals, answering the
/// senders comes first (a slow answer makes them retry, which is more work for
/// everyone): one job at a time, never none, and the queue catches up after.
/// Below the burst threshold every worker runs (jobs often wait on the network).
fn free_slots(state: &AppState, slots: &Semaphore) -> usize {
    let free = slots.available_permits();
    if state.inbox_in_flight.load(Ordering::Relaxed) >= BURST {
        let running = state.config.federation.inbox_workers - free;
        usize::from(running == 0)
    } else {
        free
    }
}

/// Counts an inbox request while it is answered.
pub struct Answering<'a>(&'a AppState);

impl<'a> Answering<'a> {
    pub fn new(state: &'a AppState) -> Self {
        state.inbox_in_flight.fetch_add(1, Ordering::Relaxed);
        Answering(state)
    }
}

impl Drop for Answering<'_> {
    fn drop(&mut self) {
        if self.0.inbox_in_flight.fetch_sub(1, Ordering::Relaxed) == BURST {
            // The burst is over: every worker may run again.
            self.0.inbound_wake.notify_one();
        }
    }
}

async fn start_due(state: &AppState, slots: &Arc<Semaphore>) -> Result<(), AppError> {
    // No more rows than can start: the query's cost grows with what it returns.
    let free = free_slots(state, slots).min(BATCH);
    if free == 0 {
        return Ok(());
    }
    let at = now();
    let due = state
        .db
        .run(move |c| Ok(inbound::due(c, at, free as i64)?))
        .await?;
    let lease = chrono::Duration::seconds(state.config.federation.lease_seconds as i64);
    for job in due {
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            break;
        };
        let id = job.id;
        let claimed = state
            .db
            .write(move |c| Ok(inbound::claim(c, id, now(), now() + lease)?))
            .await?;
        if !claimed {
            continue;
        }
        let state = state.clone();
        state.tasks.clone().spawn(async move {
            if let Err(e) = apply(&state, job).await {
                tracing::warn!(error = %e, "recording an inbound job failed");
            }
            drop(permit);
            // A finished job may unblock the next one about the same object.
            state.inbound_wake.notify_one();
        });
    }
    Ok(())
}

/// Whether a failure may pass: the database or a remote server was unavailable.
/// Anything else (refused, malformed, not found) would fail the same way again.
fn transient(e: &AppError) -> bool {
    e.status.is_server_error()
        || e.status == axum::http::StatusCode::REQUEST_TIMEOUT
        || e.status == axum::http::StatusCode::TOO_MANY_REQUESTS
}

async fn apply(state: &AppState, job: inbound::DueJob) -> Result<(), AppError> {
    let data = state.fed();
    let result = match serde_json::from_str::<InboxActivity>(&job.body) {
        Ok(activity) => {
            let as_sent = serde_json::from_str(&job.body).unwrap_or_default();
            with_as_sent(as_sent, activity.receive(&data)).await
        }
        Err(e) => Err(AppError::bad_request(format!("unreadable job: {e}"))),
    };
    let (id, ap_id) = (job.id, job.activity_ap_id.clone());
    match result {
        Ok(()) => {
            state
                .db
                .write(move |c| Ok(inbound::finish(c, id, &ap_id, now())?))
                .await
        }
        Err(e) => {
            let attempts = job.attempts + 1;
            let f = &state.config.federation;
            let next = (transient(&e) && attempts < MAX_ATTEMPTS).then(|| {
                let delay = super::delivery::backoff::next_delay(
                    attempts,
                    Duration::from_secs(f.retry_base_seconds),
                    Duration::from_secs(f.retry_max_seconds),
                    None,
                );
                now() + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::MAX)
            });
            let message = e.to_string();
            if next.is_some() {
                tracing::info!(activity = %job.activity_ap_id, attempts, error = %message, "inbound activity will be retried");
            } else {
                tracing::info!(activity = %job.activity_ap_id, attempts, error = %message, "inbound activity not applied");
            }
            state
                .db
                .write(move |c| Ok(inbound::failed(c, id, attempts, next, &message)?))
                .await
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::object_key;

    #[test]
    fn keys_follow_wrappers_to_the_object() {
        let page = "https://a.example/post/1";
        let create = json!({"type": "Create", "object": {"type": "Page", "id": page}});
        assert_eq!(object_key(&create).as_deref(), Some(page));
        let announce = json!({"type": "Announce", "object": create});
        assert_eq!(object_key(&announce).as_deref(), Some(page));
        let undo = json!({"type": "Undo", "object": {"type": "Like", "object": page}});
        assert_eq!(object_key(&undo).as_deref(), Some(page));
        assert_eq!(
            object_key(&json!({"type": "Delete", "object": page})).as_deref(),
            Some(page)
        );
        assert_eq!(object_key(&json!({"type": "Follow"})), None);
    }
}
