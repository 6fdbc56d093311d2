//! The push worker: sends queued pushes to the apps' push services, retries what
//! failed for a while, and forgets subscriptions the push service no longer
//! knows (404, 410) or whose token was revoked.

use std::time::Duration;

use futures_util::future::join_all;
use web_push_native::{
    Auth, WebPushBuilder,
    jwt_simple::{
        algorithms::ECDSAP256KeyPairLike, claims::Claims, prelude::Duration as JwtDuration,
    },
    p256::PublicKey,
};

use super::{Vapid, decode_key, payload};
use crate::{
    db::{self, live::Live, push::Subscription},
    error::{AppError, AppResult},
    federation::delivery::backoff,
    service::now,
    state::AppState,
};

const BATCH: i64 = 32;
const MAX_ATTEMPTS: i32 = 8;
/// How long a push service keeps an undelivered push (the `TTL` header), and how
/// long we try: a notification older than that is not worth a buzz.
const TTL: Duration = Duration::from_secs(48 * 3600);
const LEASE: Duration = Duration::from_secs(60);
/// Due pushes are looked for this often. On SQLite new notifications also wake
/// the worker at once (in-process events); on PostgreSQL it does not hold a
/// `LISTEN` connection of its own on every node for this, the tick is the wake.
const TICK: Duration = Duration::from_secs(2);

/// Starts the worker; it stops when `state.shutdown` is cancelled.
pub fn spawn(state: AppState, client: reqwest::Client) {
    let tasks = state.tasks.clone();
    tasks.spawn(async move {
        let mut live = match state.db.backend() {
            db::Backend::Sqlite(_) => Some(state.db.live().subscribe().await),
            db::Backend::Postgres(_) => None,
        };
        loop {
            match send_due(&state, &client).await {
                // A full batch: more may be waiting.
                Ok(n) if n as i64 == BATCH => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "sending pushes failed"),
            }
            if !wait(&state, &mut live).await {
                break;
            }
        }
    });
}

/// Until a notification is made, the tick passes, or shutdown (false).
async fn wait(state: &AppState, live: &mut Option<tokio::sync::broadcast::Receiver<Live>>) -> bool {
    let deadline = tokio::time::sleep(TICK);
    tokio::pin!(deadline);
    let Some(live) = live else {
        tokio::select! {
            () = &mut deadline => return true,
            () = state.shutdown.cancelled() => return false,
        }
    };
    loop {
        tokio::select! {
            event = live.recv() => match event {
                Ok(Live::Notification { .. }) => return true,
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                    (&mut deadline).await;
                    return true;
                }
            },
            () = &mut deadline => return true,
            () = state.shutdown.cancelled() => return false,
        }
    }
}

/// Sends the pushes that are due; how many were claimed.
pub async fn send_due(state: &AppState, client: &reqwest::Client) -> AppResult<usize> {
    let at = now();
    if !state.db.run(move |c| Ok(db::push::any_due(c, at)?)).await? {
        return Ok(0);
    }
    let due = state
        .db
        .write(move |c| {
            Ok(db::push::claim_due(
                c,
                at,
                at + backoff::as_chrono(LEASE),
                BATCH,
            )?)
        })
        .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let vapid = super::vapid(state).await?;
    let n = due.len();
    let results = join_all(due.into_iter().map(|d| push_one(state, client, &vapid, d))).await;
    for e in results.into_iter().filter_map(Result::err) {
        tracing::warn!(error = %e, "recording a push failed");
    }
    Ok(n)
}

enum Outcome {
    Done,
    Forget(i64),
    Retry(Option<Duration>),
}

async fn push_one(
    state: &AppState,
    client: &reqwest::Client,
    vapid: &Vapid,
    (id, subscription_id, notification_id, attempts): db::push::Due,
) -> AppResult<()> {
    let (subscription, context) = state
        .db
        .run(move |c| {
            let context = db::push::context(c, notification_id)?;
            // Membership may have ended since the notification was written.
            let readable = match &context {
                Some(ctx) => match &ctx.status {
                    Some(s) => {
                        let reader = db::actors::by_id(c, ctx.notification.recipient_id)?;
                        db::visibility::can_see(c, s, Some(&reader))?
                    }
                    None => true,
                },
                None => true,
            };
            Ok((
                db::push::live_subscription(c, subscription_id)?,
                context.filter(|_| readable),
            ))
        })
        .await?;
    let outcome = match (subscription, context) {
        (None, _) => Outcome::Forget(subscription_id),
        (Some(_), None) => Outcome::Done,
        (Some(_), Some(ctx)) if now() - ctx.notification.created_at > backoff::as_chrono(TTL) => {
            Outcome::Done
        }
        (Some(s), Some(mut ctx)) => {
            // Someone who chose no language reads the instance's.
            if ctx.locale.is_empty() {
                ctx.locale = state.instance().default_language.clone();
            }
            let body = payload::build(&ctx, &state.urls.avatar_default()).to_string();
            send(state, client, vapid, &s, body).await
        }
    };
    let next = now();
    state
        .db
        .write(move |c| {
            match outcome {
                Outcome::Done => db::push::done(c, id)?,
                Outcome::Forget(s) => {
                    db::push::forget(c, s)?;
                }
                Outcome::Retry(_) if attempts + 1 >= MAX_ATTEMPTS => db::push::done(c, id)?,
                Outcome::Retry(retry_after) => {
                    let delay = backoff::next_delay(
                        attempts + 1,
                        Duration::from_secs(30),
                        Duration::from_secs(3600),
                        retry_after,
                    );
                    db::push::retry(c, id, attempts + 1, next + backoff::as_chrono(delay))?;
                }
            }
            Ok(())
        })
        .await
}

fn request(
    state: &AppState,
    vapid: &Vapid,
    s: &Subscription,
    body: String,
) -> AppResult<reqwest::Request> {
    let endpoint: axum::http::Uri = s.endpoint.parse().map_err(AppError::internal)?;
    let key = decode_key(&s.p256dh)
        .and_then(|k| PublicKey::from_sec1_bytes(&k).ok())
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("stored p256dh unreadable")))?;
    let auth = decode_key(&s.auth)
        .filter(|a| a.len() == 16)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("stored auth unreadable")))?;
    let contact = match state.instance().contact_email.trim() {
        "" => state.urls.base().to_string(),
        email => format!("mailto:{email}"),
    };
    let mut built = WebPushBuilder::new(endpoint, key, Auth::clone_from_slice(&auth))
        .with_valid_duration(TTL)
        .build(body)
        .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    let authorization = vapid_header(vapid, &s.endpoint, &contact)?;
    built.headers_mut().insert(
        axum::http::header::AUTHORIZATION,
        authorization.parse().map_err(AppError::internal)?,
    );
    reqwest::Request::try_from(built).map_err(AppError::internal)
}

/// The VAPID `Authorization` header (RFC 8292): a JWT for the push service's
/// origin, valid 12 hours. Signed here rather than by `web-push-native`, whose
/// audience drops a non-default port and whose expiry follows the TTL (push
/// services refuse tokens valid for more than 24 hours).
fn vapid_header(vapid: &Vapid, endpoint: &str, contact: &str) -> AppResult<String> {
    let origin = url::Url::parse(endpoint)
        .map_err(AppError::internal)?
        .origin()
        .ascii_serialization();
    let claims = Claims::create(JwtDuration::from_hours(12))
        .with_audience(origin)
        .with_subject(contact);
    let token = vapid
        .pair
        .sign(claims)
        .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    Ok(format!(
        "vapid t={token}, k={}",
        vapid.public_key.trim_end_matches('=')
    ))
}

async fn send(
    state: &AppState,
    client: &reqwest::Client,
    vapid: &Vapid,
    s: &Subscription,
    body: String,
) -> Outcome {
    let req = match request(state, vapid, s, body) {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = %e, subscription = s.id, "push not built; dropped");
            return Outcome::Done;
        }
    };
    match client.execute(req).await {
        Ok(res) => {
            let code = res.status().as_u16();
            match code {
                200..=299 => Outcome::Done,
                404 | 410 => Outcome::Forget(s.id),
                408 | 429 | 500..=599 => Outcome::Retry(
                    res.headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(backoff::parse_retry_after),
                ),
                _ => {
                    tracing::info!(code, subscription = s.id, "push refused; dropped");
                    Outcome::Done
                }
            }
        }
        Err(e) => {
            tracing::info!(error = %e, subscription = s.id, "push service unreachable");
            Outcome::Retry(None)
        }
    }
}
