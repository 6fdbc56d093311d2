//! Administration of federation: the delivery queue per destination, a manual
//! retry that wakes a server marked unreachable, the federation mode and the
//! allow, block and partner lists.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    api::{auth::Auth, extract::Body, mastodon::entities::timestamp},
    error::AppResult,
    federation::policy::ListKind,
    service::{administration, federation_lists, instance_settings},
    state::AppState,
};

/// Pending deliveries and the oldest one per destination, totals by state.
pub async fn get_queue(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Value>> {
    auth.admin_with("admin:read")?;
    let q = administration::queue(&state).await?;
    let totals = q.totals;
    Ok(Json(json!({
        "inbound": {
            "pending": q.inbound_pending,
            "failed": q.inbound_failed,
            "oldest_pending_at": q.inbound_oldest.map(timestamp),
        },
        "destinations": q.destinations
            .iter()
            .map(|(domain, pending, oldest)| json!({
                "domain": domain,
                "pending": pending,
                "oldest_pending_at": oldest.map(timestamp),
            }))
            .collect::<Vec<_>>(),
        "deliveries": totals.by_state.iter().map(|(s, n)| (s.clone(), json!(n))).collect::<serde_json::Map<_, _>>(),
        "failing": totals.failing,
        "unreachable_destinations": totals.unreachable,
    })))
}

/// Retries a destination now, even one marked unreachable.
pub async fn retry_destination(
    State(state): State<AppState>,
    auth: Auth,
    Path(domain): Path<String>,
) -> AppResult<Json<Value>> {
    auth.admin_with("admin:write")?;
    let domain = administration::retry(&state, &domain).await?;
    Ok(Json(json!({ "retrying": domain })))
}

/// The federation mode and lists; each entry says whether it comes from
/// config.toml (fixed) or from an administrator (removable).
pub async fn get_domains(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Value>> {
    auth.admin_with("admin:read")?;
    let mut lists = serde_json::Map::new();
    for kind in ListKind::ALL {
        lists.insert(kind.as_str().into(), json!([]));
    }
    for e in state.policy.entries() {
        if let Some(Value::Array(v)) = lists.get_mut(e.list.as_str()) {
            v.push(json!({
                "domain": e.pattern,
                "source": if e.from_config { "config" } else { "admin" },
            }));
        }
    }
    Ok(Json(json!({
        "mode": state.policy.mode(),
        "lists": lists,
    })))
}

#[derive(Debug, Deserialize)]
pub struct NewMode {
    mode: String,
}

/// Changes the federation mode (`open`, `allowlist`, `closed`) at runtime.
pub async fn set_mode(
    State(state): State<AppState>,
    auth: Auth,
    Body(m): Body<NewMode>,
) -> AppResult<Json<Value>> {
    let (user, _) = auth.admin_with("admin:write")?;
    instance_settings::set_federation_mode(&state, user, &m.mode).await?;
    Ok(Json(json!({ "mode": state.policy.mode() })))
}

#[derive(Debug, Deserialize)]
pub struct NewEntry {
    list: String,
    domain: String,
}

/// Adds a domain (`partner.example`, `*.partner.example`) to a list: 201 when
/// new, 200 when it was there already.
pub async fn add_domain(
    State(state): State<AppState>,
    auth: Auth,
    Body(entry): Body<NewEntry>,
) -> AppResult<(StatusCode, Json<Value>)> {
    auth.admin_with("admin:write")?;
    let (domain, added) = federation_lists::add(&state, &entry.list, &entry.domain).await?;
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(json!({ "list": entry.list, "domain": domain, "source": "admin" })),
    ))
}

pub async fn remove_domain(
    State(state): State<AppState>,
    auth: Auth,
    Path((list, domain)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    auth.admin_with("admin:write")?;
    let domain = federation_lists::remove(&state, &list, &domain).await?;
    Ok(Json(
        json!({ "list": list, "domain": domain, "removed": true }),
    ))
}

#[derive(Deserialize, Default)]
pub struct NewInvite {
    #[serde(default, deserialize_with = "crate::api::extract::lenient_i64")]
    max_uses: Option<i64>,
    #[serde(default, deserialize_with = "crate::api::extract::lenient_i64")]
    expires_in_days: Option<i64>,
    /// Mail the invitation to this address (single use, 14 days).
    email: Option<String>,
}

/// `POST /admin/invites`: an invitation to sign up; its code is shown once.
pub async fn create_invite(
    State(state): State<AppState>,
    auth: Auth,
    Body(form): Body<NewInvite>,
) -> AppResult<(axum::http::StatusCode, Json<Value>)> {
    auth.admin_with("admin:write")?;
    let (_, me) = auth.user()?;
    if let Some(email) = form.email.filter(|e| !e.trim().is_empty()) {
        let t = crate::service::mail::tr_of(&state, "");
        let code = crate::service::registration::invite_by_email(&state, me, &email, t).await?;
        return Ok((
            axum::http::StatusCode::CREATED,
            Json(
                json!({ "code": code, "max_uses": 1, "email": email.trim().to_ascii_lowercase() }),
            ),
        ));
    }
    let max_uses = form.max_uses.map(|m| i32::try_from(m).unwrap_or(i32::MAX));
    let (code, invite) =
        crate::service::registration::create_invite(&state, me.id, max_uses, form.expires_in_days)
            .await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(json!({
            "code": code,
            "max_uses": invite.max_uses,
            "expires_at": invite.expires_at.map(timestamp),
        })),
    ))
}
