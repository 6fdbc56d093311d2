//! Web Push for Mastodon apps: one subscription per access token (RFC 8030), each
//! payload encrypted for the app alone (RFC 8291, `aes128gcm`) and signed for the
//! push service with the instance's VAPID key (RFC 8292).

pub mod payload;
pub mod sender;

use std::{collections::HashMap, sync::Arc};

use base64::{
    Engine,
    engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD},
};
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256KeyPair};

use super::now;
use crate::{
    db::{self, push::Subscription},
    error::{AppError, AppResult},
    model::id::new_id,
    state::AppState,
};

/// The alerts Mastodon clients set, in Mastodon's order. `admin.*` are accepted
/// and kept; Passerelle has no such notifications yet.
pub const ALERTS: [&str; 10] = [
    "mention",
    "status",
    "reblog",
    "follow",
    "follow_request",
    "favourite",
    "poll",
    "update",
    "admin.sign_up",
    "admin.report",
];
const POLICIES: [&str; 4] = ["all", "followed", "follower", "none"];
const MAX_ENDPOINT: usize = 2048;

/// The instance's VAPID key pair; `public_key` is what apps get as `server_key`.
pub struct Vapid {
    pub pair: ES256KeyPair,
    pub public_key: String,
}

const VAPID: &str = "vapid";

/// The VAPID key, made on first use and shared by every node through the database.
pub async fn vapid(state: &AppState) -> AppResult<Arc<Vapid>> {
    state
        .push_keys
        .get_or_try_init(|| async {
            let (private, public) = state
                .db
                .write(|c| {
                    if let Some(found) = db::push::instance_key(c, VAPID)? {
                        return Ok(found);
                    }
                    let pair = ES256KeyPair::generate();
                    let public = pair.public_key();
                    let public = URL_SAFE.encode(public.public_key().to_bytes_uncompressed());
                    let private = URL_SAFE_NO_PAD.encode(pair.to_bytes());
                    db::push::insert_instance_key(c, VAPID, &private, &public, now())?;
                    // Another node may have stored its own first: use the stored one.
                    db::push::instance_key(c, VAPID)?
                        .ok_or_else(|| AppError::internal(anyhow::anyhow!("VAPID key not stored")))
                })
                .await?;
            let bytes = URL_SAFE_NO_PAD
                .decode(private.trim_end_matches('='))
                .map_err(AppError::internal)?;
            let pair = ES256KeyPair::from_bytes(&bytes).map_err(AppError::internal)?;
            Ok(Arc::new(Vapid {
                pair,
                public_key: public,
            }))
        })
        .await
        .cloned()
}

/// Base64 as clients send it: URL-safe or standard alphabet, padded or not.
pub(crate) fn decode_key(value: &str) -> Option<Vec<u8>> {
    let trimmed = value.trim().trim_end_matches('=');
    URL_SAFE_NO_PAD
        .decode(trimmed)
        .or_else(|_| STANDARD_NO_PAD.decode(trimmed))
        .ok()
}

/// What a client asks for: `subscription[…]` when subscribing, `data[…]` both
/// when subscribing and when changing it.
#[derive(Default)]
pub struct Request {
    pub endpoint: Option<String>,
    pub p256dh: Option<String>,
    pub auth: Option<String>,
    /// Alerts named by the client (others keep their value, false for a new one).
    pub alerts: HashMap<String, bool>,
    pub policy: Option<String>,
}

fn check_endpoint(state: &AppState, endpoint: &str) -> AppResult<String> {
    let invalid = || AppError::unprocessable("Validation failed: Endpoint is not a valid URL");
    if endpoint.len() > MAX_ENDPOINT {
        return Err(invalid());
    }
    let url = url::Url::parse(endpoint).map_err(|_| invalid())?;
    // Push services are public HTTPS servers; anything else (plain http, an
    // internal address) would let a client aim our requests inside the network.
    // `federation.allow_insecure` (test rigs only) lifts this, as for federation.
    if !state.config.federation.allow_insecure {
        let domain_name = matches!(url.host(), Some(url::Host::Domain(_)));
        if url.scheme() != "https" || !domain_name || !url.username().is_empty() {
            return Err(invalid());
        }
    } else if !matches!(url.scheme(), "https" | "http") || url.host().is_none() {
        return Err(invalid());
    }
    Ok(url.to_string())
}

fn check_keys(p256dh: Option<&str>, auth: Option<&str>) -> AppResult<(String, String)> {
    let (Some(p256dh), Some(auth)) = (p256dh, auth) else {
        return Err(AppError::unprocessable(
            "Validation failed: subscription[keys][p256dh] and subscription[keys][auth] are required",
        ));
    };
    let point = decode_key(p256dh)
        .filter(|k| web_push_native::p256::PublicKey::from_sec1_bytes(k).is_ok())
        .ok_or_else(|| {
            AppError::unprocessable("Validation failed: Key p256dh is not a P-256 public key")
        })?;
    let secret = decode_key(auth)
        .filter(|k| k.len() == 16)
        .ok_or_else(|| AppError::unprocessable("Validation failed: Key auth must be 16 bytes"))?;
    Ok((
        URL_SAFE_NO_PAD.encode(point),
        URL_SAFE_NO_PAD.encode(secret),
    ))
}

fn check_policy(policy: Option<&str>) -> AppResult<Option<String>> {
    match policy {
        None => Ok(None),
        Some(p) if POLICIES.contains(&p) => Ok(Some(p.to_string())),
        Some(_) => Err(AppError::unprocessable(
            "Validation failed: Policy must be all, followed, follower or none",
        )),
    }
}

/// The alerts after applying `changes` to `current` (comma-separated kinds).
fn merge_alerts(current: &str, changes: &HashMap<String, bool>) -> String {
    ALERTS
        .iter()
        .filter(|k| {
            changes
                .get(**k)
                .copied()
                .unwrap_or_else(|| current.split(',').any(|c| c == **k))
        })
        .copied()
        .collect::<Vec<_>>()
        .join(",")
}

/// Subscribes the token, replacing its earlier subscription.
pub async fn subscribe(
    state: &AppState,
    token_id: i64,
    actor_id: i64,
    req: Request,
) -> AppResult<Subscription> {
    let endpoint = req.endpoint.as_deref().ok_or_else(|| {
        AppError::unprocessable("Validation failed: subscription[endpoint] is required")
    })?;
    let endpoint = check_endpoint(state, endpoint)?;
    let (p256dh, auth) = check_keys(req.p256dh.as_deref(), req.auth.as_deref())?;
    let policy = check_policy(req.policy.as_deref())?.unwrap_or_else(|| "all".into());
    let subscription = Subscription {
        id: new_id(),
        token_id,
        actor_id,
        endpoint,
        p256dh,
        auth,
        alerts: merge_alerts("", &req.alerts),
        policy,
        created_at: now(),
    };
    // Apps read `server_key` right away: make sure it exists.
    vapid(state).await?;
    let stored = subscription.clone();
    state
        .db
        .write(move |c| Ok(db::push::subscribe(c, &stored)?))
        .await?;
    Ok(subscription)
}

/// The token's subscription; 404 without one (as Mastodon).
pub async fn current(state: &AppState, token_id: i64) -> AppResult<Subscription> {
    state
        .db
        .run(move |c| Ok(db::push::of_token(c, token_id)?))
        .await?
        .ok_or_else(AppError::not_found)
}

/// Changes the alerts and policy named in `req`; the rest stays.
pub async fn update(state: &AppState, token_id: i64, req: Request) -> AppResult<Subscription> {
    let policy = check_policy(req.policy.as_deref())?;
    let mut found = current(state, token_id).await?;
    found.alerts = merge_alerts(&found.alerts, &req.alerts);
    if let Some(p) = policy {
        found.policy = p;
    }
    let (alerts, policy) = (found.alerts.clone(), found.policy.clone());
    state
        .db
        .write(move |c| Ok(db::push::set_data(c, token_id, &alerts, &policy)?))
        .await?;
    Ok(found)
}

pub async fn unsubscribe(state: &AppState, token_id: i64) -> AppResult<()> {
    state
        .db
        .write(move |c| Ok(db::push::unsubscribe(c, token_id)?))
        .await
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerts_merge_by_name() {
        let on = |k: &str| (k.to_string(), true);
        let off = |k: &str| (k.to_string(), false);
        let first = merge_alerts(
            "",
            &HashMap::from([on("mention"), on("poll"), off("follow")]),
        );
        assert_eq!(first, "mention,poll");
        let next = merge_alerts(&first, &HashMap::from([off("mention"), on("favourite")]));
        assert_eq!(next, "favourite,poll");
        assert_eq!(merge_alerts(&next, &HashMap::from([on("bogus")])), next);
    }

    #[test]
    fn keys_in_any_base64_flavour() {
        let point = ES256KeyPair::generate()
            .public_key()
            .public_key()
            .to_bytes_uncompressed();
        let auth = [7u8; 16];
        for (p, a) in [
            (URL_SAFE.encode(&point), URL_SAFE_NO_PAD.encode(auth)),
            (
                base64::engine::general_purpose::STANDARD.encode(&point),
                STANDARD_NO_PAD.encode(auth),
            ),
        ] {
            let (p2, a2) = check_keys(Some(&p), Some(&a)).expect("accepted");
            assert_eq!(decode_key(&p2).as_deref(), Some(&point[..]));
            assert_eq!(decode_key(&a2).as_deref(), Some(&auth[..]));
        }
        assert!(check_keys(Some("AAAA"), Some(&URL_SAFE_NO_PAD.encode(auth))).is_err());
        assert!(check_keys(Some(&URL_SAFE.encode(&point)), Some("AAAA")).is_err());
        assert!(check_keys(None, None).is_err());
    }
}
