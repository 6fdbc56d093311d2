//! `POST /api/v1/emails/confirmations`: an account awaiting confirmation (its
//! token works for nothing else) asks for the link again, optionally to a
//! corrected address, as Mastodon apps do after signing up.

use axum::{Json, extract::State, http::HeaderMap};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    api::{auth::bearer, extract::Body},
    error::{AppError, AppResult},
    service::{mail::account, oauth},
    state::AppState,
};

#[derive(Deserialize, Default)]
pub struct Resend {
    email: Option<String>,
}

pub async fn resend_confirmation(
    State(state): State<AppState>,
    headers: HeaderMap,
    Body(form): Body<Resend>,
) -> AppResult<Json<Value>> {
    let token =
        bearer(&headers).ok_or_else(|| AppError::unauthorized("The access token is invalid"))?;
    let found = oauth::authenticate_unconfirmed(&state, &token).await?;
    if !found.scopes.grants("write:accounts") {
        return Err(AppError::forbidden(
            "This action is outside the authorized scopes",
        ));
    }
    let (user, _) = found
        .user
        .as_ref()
        .ok_or_else(|| AppError::unprocessable("This method requires an authenticated user"))?;
    account::resend_confirmation(&state, user, form.email.as_deref()).await?;
    Ok(Json(json!({})))
}
