//! The part of Mastodon's admin API for accounts that Passerelle supports:
//! suspending, reinstating and deleting an account.

use axum::{
    Json,
    extract::{Path, State},
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::id_path::parse_id;
use crate::{
    api::{auth::Auth, extract::Body},
    db::{self, actors::Actor},
    error::{AppError, AppResult},
    service::account_life,
    state::AppState,
};

async fn target(state: &AppState, id: &str) -> AppResult<Actor> {
    let id = parse_id(id)?;
    let actor = state.db.run(move |c| Ok(db::actors::by_id(c, id)?)).await?;
    if actor.deleted_at.is_some() {
        return Err(AppError::not_found());
    }
    Ok(actor)
}

/// A short `Admin::Account`: what the action changed.
fn entity(a: &Actor) -> Value {
    json!({
        "id": a.id.to_string(),
        "username": a.name,
        "domain": if a.local { Value::Null } else { json!(a.domain) },
        "suspended": a.suspended_at.is_some(),
        "disabled": a.suspended_at.is_some() && a.local,
    })
}

#[derive(Deserialize, Default)]
pub struct ActionForm {
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// `POST /api/v1/admin/accounts/:id/action`: `type` = `suspend` (or `none`).
pub async fn action(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(form): Body<ActionForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.admin_with("admin:write:accounts")?.clone();
    let account = target(&state, &id).await?;
    match form.kind.as_deref() {
        Some("suspend") => {
            crate::service::administration::suspend(&state, &me, &account, true).await?;
        }
        Some("none") => {}
        _ => {
            return Err(AppError::unprocessable(
                "Validation failed: type must be suspend or none (others are not supported)",
            ));
        }
    }
    Ok(Json(entity(&target(&state, &id).await?)))
}

/// `POST /api/v1/admin/accounts/:id/unsuspend`.
pub async fn unsuspend(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    auth.admin_with("admin:write:accounts")?;
    let account = target(&state, &id).await?;
    account_life::set_suspended(&state, &account, false).await?;
    Ok(Json(entity(&target(&state, &id).await?)))
}

/// `DELETE /api/v1/admin/accounts/:id`: erases a suspended account (as in
/// Mastodon, suspension comes first).
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    auth.admin_with("admin:write:accounts")?;
    let account = target(&state, &id).await?;
    if account.suspended_at.is_none() {
        return Err(AppError::forbidden(
            "Suspend the account before deleting it",
        ));
    }
    account_life::erase(&state, &account).await?;
    Ok(Json(entity(&account)))
}
