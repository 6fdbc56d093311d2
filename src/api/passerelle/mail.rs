//! Mail through the API: one's own e-mail settings, and the administrators'
//! view of the mail queue.

use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    api::{auth::Auth, extract::Body, id_path::IdPath, mastodon::entities::timestamp},
    db::email_settings::EmailSettings,
    error::AppResult,
    service::mail::{failures, settings},
    state::AppState,
};

fn settings_json(s: &EmailSettings) -> Value {
    json!({
        "mentions": s.mentions,
        "direct_messages": s.direct_messages,
        "follows": s.follows,
        "join_requests": s.join_requests,
        "reports": s.reports,
        "event_reminders": s.event_reminders,
        "digest": s.digest,
    })
}

/// `GET /api/passerelle/v1/email_settings`
pub async fn get_settings(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Value>> {
    let (user, _) = auth.user_with("read:accounts")?;
    let s = settings::of_user(&state, user.id).await?;
    Ok(Json(settings_json(&s)))
}

#[derive(Deserialize, Default)]
pub struct SettingsChange {
    #[serde(default, deserialize_with = "crate::api::extract::lenient_bool")]
    mentions: Option<bool>,
    #[serde(default, deserialize_with = "crate::api::extract::lenient_bool")]
    direct_messages: Option<bool>,
    #[serde(default, deserialize_with = "crate::api::extract::lenient_bool")]
    follows: Option<bool>,
    #[serde(default, deserialize_with = "crate::api::extract::lenient_bool")]
    join_requests: Option<bool>,
    #[serde(default, deserialize_with = "crate::api::extract::lenient_bool")]
    reports: Option<bool>,
    #[serde(default, deserialize_with = "crate::api::extract::lenient_bool")]
    event_reminders: Option<bool>,
    digest: Option<String>,
}

/// `PATCH /api/passerelle/v1/email_settings`: what is sent changes; the rest stays.
pub async fn patch_settings(
    State(state): State<AppState>,
    auth: Auth,
    Body(change): Body<SettingsChange>,
) -> AppResult<Json<Value>> {
    let (user, _) = auth.user_with("write:accounts")?;
    let mut s = settings::of_user(&state, user.id).await?;
    let pairs = [
        (change.mentions, &mut s.mentions),
        (change.direct_messages, &mut s.direct_messages),
        (change.follows, &mut s.follows),
        (change.join_requests, &mut s.join_requests),
        (change.reports, &mut s.reports),
        (change.event_reminders, &mut s.event_reminders),
    ];
    for (new, field) in pairs {
        if let Some(v) = new {
            *field = v;
        }
    }
    if let Some(d) = change.digest {
        s.digest = d;
    }
    let saved = settings::save(&state, s).await?;
    Ok(Json(settings_json(&saved)))
}

/// `GET /api/passerelle/v1/admin/mail`: the queue and its failures.
pub async fn get_queue(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Value>> {
    auth.admin_with("admin:read")?;
    let o = failures::overview(&state).await?;
    Ok(Json(json!({
        "enabled": o.enabled,
        "waiting": o.waiting,
        "failed": o.failed,
        "failures": o.failures.iter().map(|m| json!({
            "id": m.id.to_string(),
            "recipient": m.recipient,
            "kind": m.kind,
            "subject": m.subject,
            "attempts": m.attempts,
            "last_error": m.last_error,
            "created_at": timestamp(m.created_at),
            "failed_at": m.failed_at.map(timestamp),
        })).collect::<Vec<_>>(),
    })))
}

/// `POST /api/passerelle/v1/admin/mail/{id}/retry`
pub async fn retry(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<StatusCode> {
    auth.admin_with("admin:write")?;
    failures::retry(&state, id).await?;
    Ok(StatusCode::ACCEPTED)
}
