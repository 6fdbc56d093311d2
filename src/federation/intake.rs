//! The inbox's group commit: activities verified at the same moment are stored
//! in one write transaction instead of one each.
//!
//! No background task: a request that finds nobody committing commits everything
//! waiting (its own activity and those that arrived with it); the others wait for
//! their result, and the first of them to find work left commits the next batch.
//! On SQLite, where writers take turns, this turns N transactions into one.

use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use crate::{
    db::{self, DbConn},
    error::AppError,
    service::now,
    state::AppState,
};

/// A verified activity, ready to be stored.
pub struct Arrival {
    pub activity_ap_id: String,
    /// What it is about, so activities about one object apply in order.
    pub object_key: Option<String>,
    pub body: String,
    /// The sender's server (host and port), alive since it speaks to us.
    pub sender: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Queued for the inbound workers.
    Queued,
    /// Seen before (a replay, or a copy through another route): acknowledged only.
    Known,
}

struct Waiting {
    arrival: Arrival,
    done: oneshot::Sender<Result<Stored, AppError>>,
}

#[derive(Default)]
pub struct Intake {
    waiting: Mutex<Vec<Waiting>>,
    /// Held by the request committing a batch.
    turn: tokio::sync::Mutex<()>,
}

/// What one batch did besides storing: whether workers have new work, whether a
/// server given up on came back.
#[derive(Default)]
struct Effects {
    queued: bool,
    revived: bool,
}

impl Intake {
    /// Stores `arrival` (with whatever else is waiting) and returns what became of it.
    pub async fn store(&self, state: &AppState, arrival: Arrival) -> Result<Stored, AppError> {
        let (done, mut result) = oneshot::channel();
        self.lock_waiting().push(Waiting { arrival, done });
        loop {
            tokio::select! {
                biased;
                r = &mut result => return r.map_err(AppError::internal)?,
                turn = self.turn.lock() => {
                    let batch = std::mem::take(&mut *self.lock_waiting());
                    if batch.is_empty() {
                        // Ours was committed by the previous turn; its result is on the way.
                        drop(turn);
                        return (&mut result).await.map_err(AppError::internal)?;
                    }
                    let effects = commit(state, batch).await;
                    drop(turn);
                    if effects.queued {
                        state.inbound_wake.notify_one();
                    }
                    if effects.revived {
                        state.wake_delivery();
                    }
                }
            }
        }
    }

    fn lock_waiting(&self) -> std::sync::MutexGuard<'_, Vec<Waiting>> {
        // A panic while holding this lock leaves a plain Vec behind: still usable.
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One transaction for the batch; if it fails (a race with another node on the
/// same activity, say), each activity is tried in its own so one cannot sink the rest.
async fn commit(state: &AppState, batch: Vec<Waiting>) -> Effects {
    let (arrivals, senders): (Vec<Arrival>, Vec<_>) =
        batch.into_iter().map(|w| (w.arrival, w.done)).unzip();
    let arrivals = Arc::new(arrivals);
    let at = now();
    let all = arrivals.clone();
    let together = state
        .db
        .write(move |c| Ok((store_all(c, &all, at)?, revive(c, &all, at)?)))
        .await;
    let mut effects = Effects::default();
    let outcomes = match together {
        Ok((outcomes, revived)) => {
            effects.revived = revived;
            outcomes.into_iter().map(Ok).collect()
        }
        Err(e) => {
            tracing::info!(error = %e, "a batch of inbox activities failed; storing them one by one");
            let mut outcomes = Vec::with_capacity(arrivals.len());
            for i in 0..arrivals.len() {
                let all = arrivals.clone();
                let one = state
                    .db
                    .write(move |c| {
                        let one = std::slice::from_ref(&all[i]);
                        Ok((store_all(c, one, at)?[0], revive(c, one, at)?))
                    })
                    .await
                    .map(|(outcome, revived)| {
                        effects.revived |= revived;
                        outcome
                    });
                outcomes.push(one);
            }
            outcomes
        }
    };
    for (outcome, done) in outcomes.into_iter().zip(senders) {
        effects.queued |= matches!(outcome, Ok(Stored::Queued));
        let _ = done.send(outcome);
    }
    effects
}

fn store_all(
    c: &mut DbConn,
    arrivals: &[Arrival],
    at: chrono::NaiveDateTime,
) -> Result<Vec<Stored>, AppError> {
    arrivals
        .iter()
        .map(|a| {
            if db::activities::was_received(c, &a.activity_ap_id)? {
                return Ok(Stored::Known);
            }
            let queued =
                db::inbound::enqueue(c, &a.activity_ap_id, a.object_key.as_deref(), &a.body, at)?;
            Ok(if queued {
                Stored::Queued
            } else {
                Stored::Known
            })
        })
        .collect()
}

/// A server we had given up on is alive: deliver to it again.
fn revive(
    c: &mut DbConn,
    arrivals: &[Arrival],
    at: chrono::NaiveDateTime,
) -> Result<bool, AppError> {
    let mut senders: Vec<&str> = arrivals.iter().map(|a| a.sender.as_str()).collect();
    senders.sort_unstable();
    senders.dedup();
    let mut any = false;
    for domain in senders {
        any |= db::destinations::revive(c, domain, at)?;
    }
    Ok(any)
}
