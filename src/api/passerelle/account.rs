//! One's own account, beyond what Mastodon's client API offers: changing the
//! password, deleting the account.

use axum::{Json, extract::State};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    api::{auth::Auth, extract::Body},
    error::{AppError, AppResult},
    service::account_life,
    state::AppState,
};

#[derive(Deserialize, Default)]
pub struct PasswordForm {
    current_password: Option<String>,
    password: Option<String>,
}

fn required(v: Option<String>, name: &str) -> AppResult<String> {
    v.filter(|s| !s.is_empty())
        .ok_or_else(|| AppError::unprocessable(format!("Validation failed: {name} is missing")))
}

/// `POST /api/passerelle/v1/account/password`: `current_password`, `password`.
pub async fn change_password(
    State(state): State<AppState>,
    auth: Auth,
    Body(form): Body<PasswordForm>,
) -> AppResult<Json<Value>> {
    let (user, _) = auth.user_with("write:accounts")?.clone();
    let current = required(form.current_password, "current_password")?;
    let new = required(form.password, "password")?;
    account_life::change_password(&state, &user, &current, &new).await?;
    Ok(Json(json!({})))
}

#[derive(Deserialize, Default)]
pub struct DeleteForm {
    password: Option<String>,
}

/// `DELETE /api/passerelle/v1/account`: `password`. Everything goes; the servers
/// that knew the person get a `Delete` of the actor.
pub async fn delete_account(
    State(state): State<AppState>,
    auth: Auth,
    Body(form): Body<DeleteForm>,
) -> AppResult<Json<Value>> {
    let (user, actor) = auth.user_with("write:accounts")?.clone();
    let password = required(form.password, "password")?;
    account_life::delete_own(&state, &user, &actor, &password).await?;
    Ok(Json(json!({})))
}
