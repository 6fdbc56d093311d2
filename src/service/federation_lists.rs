//! Administrators edit the federation lists at runtime: allow, block, partner.
//! Entries from `config.toml` always apply and cannot be removed here.

use axum::http::StatusCode;

use crate::{
    db,
    error::{AppError, AppResult, invalid_field},
    federation::policy::{self, ListKind},
    model::domain::DomainPattern,
    service::now,
    state::AppState,
};

fn parse(list: &str, pattern: &str) -> AppResult<(ListKind, String)> {
    let kind = list
        .parse::<ListKind>()
        .map_err(|e| invalid_field("list", e))?;
    let pattern = DomainPattern::parse(pattern.trim())
        .map_err(|e| invalid_field("domain", e))?
        .as_string();
    Ok((kind, pattern))
}

/// Adds `pattern` to `list`; returns the normalised pattern and whether it is new.
/// Takes effect on this node at once (a block stops deliveries to the server and
/// refuses its requests), on other nodes within seconds.
pub async fn add(state: &AppState, list: &str, pattern: &str) -> AppResult<(String, bool)> {
    let (kind, pattern) = parse(list, pattern)?;
    if state.policy.in_config(kind, &pattern) {
        return Ok((pattern, false));
    }
    let p = pattern.clone();
    let added = state
        .db
        .write(move |c| Ok(db::federation_domains::add(c, kind.as_str(), &p, now())?))
        .await?;
    policy::reload(state).await?;
    if added {
        tracing::info!(list = %kind, %pattern, "federation list entry added");
    }
    Ok((pattern, added))
}

/// Removes `pattern` from `list`: 404 if absent, 409 if it comes from config.toml.
pub async fn remove(state: &AppState, list: &str, pattern: &str) -> AppResult<String> {
    let (kind, pattern) = parse(list, pattern)?;
    if state.policy.in_config(kind, &pattern) {
        return Err(AppError::new(
            StatusCode::CONFLICT,
            format!("{pattern} is in the {kind} list of config.toml; remove it there"),
        ));
    }
    let p = pattern.clone();
    let removed = state
        .db
        .write(move |c| Ok(db::federation_domains::remove(c, kind.as_str(), &p)?))
        .await?;
    if !removed {
        return Err(AppError::not_found());
    }
    policy::reload(state).await?;
    // A server no longer blocked may have deliveries waiting.
    state.wake_delivery();
    tracing::info!(list = %kind, %pattern, "federation list entry removed");
    Ok(pattern)
}
