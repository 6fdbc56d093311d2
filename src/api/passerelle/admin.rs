//! Administration of federation delivery: the queue per destination, and a manual
//! retry that wakes a server marked unreachable.

use axum::{
    Json,
    extract::{Path, State},
};
use serde_json::{Value, json};

use crate::{
    api::{auth::Auth, mastodon::entities::timestamp},
    db::outbox,
    error::{AppError, AppResult},
    service::now,
    state::AppState,
};

fn admin(auth: &Auth, scope: &str) -> AppResult<()> {
    let (user, _) = auth.user_with(scope)?;
    if !user.admin {
        return Err(AppError::forbidden("Administrators only"));
    }
    Ok(())
}

/// Pending deliveries and the oldest one per destination, totals by state.
pub async fn get_queue(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Value>> {
    admin(&auth, "admin:read")?;
    let (depths, totals) = state
        .db
        .run(|c| Ok((outbox::queue_depths(c)?, outbox::totals(c)?)))
        .await?;
    let (inbound_pending, inbound_failed, inbound_oldest) =
        state.db.run(|c| Ok(crate::db::inbound::depth(c)?)).await?;
    Ok(Json(json!({
        "inbound": {
            "pending": inbound_pending,
            "failed": inbound_failed,
            "oldest_pending_at": inbound_oldest.map(timestamp),
        },
        "destinations": depths
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
    admin(&auth, "admin:write")?;
    let d = domain.to_ascii_lowercase();
    state
        .db
        .write(move |c| Ok(outbox::retry_now(c, &d, now())?))
        .await?;
    state.wake_delivery();
    Ok(Json(json!({ "retrying": domain.to_ascii_lowercase() })))
}
