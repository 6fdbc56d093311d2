//! Web Push subscriptions: `/api/v1/push/subscription` (one per access token).

use std::collections::HashMap;

use axum::{Json, extract::State};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::{
    api::{auth::Auth, extract::Body},
    db::push::Subscription,
    error::AppResult,
    service::push::{self, ALERTS, Request},
    state::AppState,
};

/// Mastodon's `WebPushSubscription`. `standard` is always true: payloads are
/// encrypted as RFC 8291 says (`aes128gcm`), as Mastodon does when asked.
fn entity(s: &Subscription, server_key: &str) -> Value {
    let alerts: Map<String, Value> = ALERTS
        .iter()
        .map(|k| (k.to_string(), Value::Bool(s.wants(k))))
        .collect();
    json!({
        "id": s.id.to_string(),
        "endpoint": s.endpoint,
        "standard": true,
        "alerts": alerts,
        "policy": s.policy,
        "server_key": server_key,
    })
}

#[derive(Deserialize, Default)]
struct KeysForm {
    p256dh: Option<String>,
    auth: Option<String>,
}

#[derive(Deserialize, Default)]
struct SubscriptionForm {
    endpoint: Option<String>,
    #[serde(default)]
    keys: KeysForm,
}

#[derive(Deserialize, Default)]
struct DataForm {
    #[serde(default)]
    alerts: HashMap<String, Value>,
    policy: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct PushForm {
    #[serde(default)]
    subscription: SubscriptionForm,
    #[serde(default)]
    data: DataForm,
    /// Where Mastodon.py puts the policy (Mastodon reads `data[policy]`).
    policy: Option<String>,
}

/// `true`, or the strings forms send for it.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::String(s) => matches!(s.to_ascii_lowercase().as_str(), "true" | "1" | "on" | "yes"),
        Value::Number(n) => n.as_i64() == Some(1),
        _ => false,
    }
}

impl From<PushForm> for Request {
    fn from(f: PushForm) -> Self {
        Request {
            endpoint: f.subscription.endpoint,
            p256dh: f.subscription.keys.p256dh,
            auth: f.subscription.keys.auth,
            alerts: f
                .data
                .alerts
                .iter()
                .map(|(k, v)| (k.clone(), truthy(v)))
                .collect(),
            policy: f.data.policy.or(f.policy),
        }
    }
}

async fn answer(state: &AppState, s: &Subscription) -> AppResult<Json<Value>> {
    let vapid = push::vapid(state).await?;
    Ok(Json(entity(s, &vapid.public_key)))
}

pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Body(form): Body<PushForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("push")?;
    let s = push::subscribe(&state, auth.0.token.id, me.id, form.into()).await?;
    answer(&state, &s).await
}

pub async fn show(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Value>> {
    auth.user_with("push")?;
    let s = push::current(&state, auth.0.token.id).await?;
    answer(&state, &s).await
}

pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Body(form): Body<PushForm>,
) -> AppResult<Json<Value>> {
    auth.user_with("push")?;
    let s = push::update(&state, auth.0.token.id, form.into()).await?;
    answer(&state, &s).await
}

pub async fn delete(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Value>> {
    auth.user_with("push")?;
    push::unsubscribe(&state, auth.0.token.id).await?;
    Ok(Json(json!({})))
}
