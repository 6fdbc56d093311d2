//! The mail worker: hands queued messages to the SMTP relay, retries what the
//! relay could not take (doubling delays, for three days), and keeps what it
//! refused for good for the administrators. A message is claimed with a lease
//! and leaves the queue once the relay accepted it, so several nodes share the
//! queue and a crash loses nothing (at worst, a message whose acceptance was
//! not yet recorded goes again, with the same Message-ID).

use std::time::Duration;

use futures_util::future::join_all;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Tokio1Executor,
    address::{Address, Envelope},
};

use crate::{
    db::{self, outgoing_mail::OutgoingMail},
    error::{AppError, AppResult},
    federation::delivery::backoff,
    service::now,
    state::AppState,
};

const BATCH: i64 = 20;
/// Messages handed to the relay at once (connections kept open to it).
const CONNECTIONS: usize = 4;
const LEASE: Duration = Duration::from_secs(300);
const TICK: Duration = Duration::from_secs(2);
/// A message the relay has not taken after this long is given up.
const GIVE_UP_AFTER: chrono::Duration = chrono::Duration::days(3);
const RETRY_MAX: Duration = Duration::from_secs(6 * 3600);

pub type Transport = AsyncSmtpTransport<Tokio1Executor>;

/// The relay of `email.smtp_url`.
pub fn transport(state: &AppState) -> AppResult<Transport> {
    Ok(Transport::from_url(state.config.email.smtp_url.trim())
        .map_err(AppError::internal)?
        .timeout(Some(Duration::from_secs(30)))
        .pool_config(lettre::transport::smtp::PoolConfig::new().max_size(CONNECTIONS as u32))
        .build())
}

/// Starts the worker (when mail is on); it stops with `state.shutdown`.
pub fn spawn(state: AppState) -> AppResult<()> {
    if !state.config.email.enabled() {
        return Ok(());
    }
    let relay = transport(&state)?;
    let tasks = state.tasks.clone();
    tasks.spawn(async move {
        loop {
            match send_due(&state, &relay).await {
                Ok(n) if n as i64 == BATCH => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "sending mail failed"),
            }
            tokio::select! {
                () = tokio::time::sleep(TICK) => {}
                () = state.shutdown.cancelled() => break,
            }
        }
    });
    Ok(())
}

/// Sends the due messages; how many were claimed.
pub async fn send_due(state: &AppState, relay: &Transport) -> AppResult<usize> {
    let at = now();
    if !state
        .db
        .run(move |c| Ok(db::outgoing_mail::any_due(c, at)?))
        .await?
    {
        return Ok(0);
    }
    let due = state
        .db
        .write(move |c| {
            Ok(db::outgoing_mail::claim_due(
                c,
                at,
                at + backoff::as_chrono(LEASE),
                BATCH,
            )?)
        })
        .await?;
    let n = due.len();
    // A few at once, each on its own pooled connection: a message waits on
    // several round trips, and relays limit connections per client.
    let mut due = due.into_iter().peekable();
    while due.peek().is_some() {
        let batch: Vec<OutgoingMail> = due.by_ref().take(CONNECTIONS).collect();
        let results = join_all(batch.into_iter().map(|m| send_one(state, relay, m))).await;
        for e in results.into_iter().filter_map(Result::err) {
            tracing::warn!(error = %e, "recording a mail failed");
        }
    }
    Ok(n)
}

enum Outcome {
    Sent,
    /// The account can no longer be mailed (suspended, deleted): dropped.
    Dropped,
    Retry(String),
    Failed(String),
}

async fn send_one(state: &AppState, relay: &Transport, mail: OutgoingMail) -> AppResult<()> {
    let user_id = mail.user_id;
    let reachable = state
        .db
        .run(move |c| {
            let Some(id) = user_id else { return Ok(true) };
            let Some(user) = db::users::by_id(c, id)? else {
                return Ok(false);
            };
            let actor = db::actors::by_id(c, user.actor_id)?;
            Ok(!user.disabled && actor.suspended_at.is_none() && actor.deleted_at.is_none())
        })
        .await?;
    let outcome = if reachable {
        deliver(state, relay, &mail).await
    } else {
        Outcome::Dropped
    };
    let at = now();
    let attempts = mail.attempts + 1;
    let base = Duration::from_secs(state.config.email.retry_base_seconds);
    state
        .db
        .write(move |c| {
            match outcome {
                Outcome::Sent | Outcome::Dropped => db::outgoing_mail::sent(c, mail.id)?,
                Outcome::Retry(e) if at - mail.created_at < GIVE_UP_AFTER => {
                    let delay = backoff::next_delay(attempts, base, RETRY_MAX, None);
                    db::outgoing_mail::retry(
                        c,
                        mail.id,
                        attempts,
                        at + backoff::as_chrono(delay),
                        &e,
                    )?;
                }
                Outcome::Retry(e) | Outcome::Failed(e) => {
                    db::outgoing_mail::fail(c, mail.id, attempts, at, &e)?;
                }
            }
            Ok(())
        })
        .await
}

async fn deliver(state: &AppState, relay: &Transport, mail: &OutgoingMail) -> Outcome {
    let envelope = match envelope(state, &mail.recipient) {
        Ok(e) => e,
        Err(e) => return Outcome::Failed(e),
    };
    match relay.send_raw(&envelope, mail.message.as_bytes()).await {
        Ok(_) => {
            tracing::info!(kind = %mail.kind, id = mail.id, "mail sent");
            Outcome::Sent
        }
        Err(e) if e.is_permanent() => {
            tracing::warn!(error = %e, kind = %mail.kind, id = mail.id, "mail refused by the relay");
            Outcome::Failed(e.to_string())
        }
        Err(e) => {
            tracing::info!(error = %e, kind = %mail.kind, id = mail.id, "mail relay unavailable; will retry");
            Outcome::Retry(e.to_string())
        }
    }
}

fn envelope(state: &AppState, to: &str) -> Result<Envelope, String> {
    let from = super::letter::sender(state).map_err(|e| e.to_string())?;
    let to: Address = to.parse().map_err(|e| format!("recipient: {e}"))?;
    Envelope::new(Some(from.email), vec![to]).map_err(|e| e.to_string())
}
