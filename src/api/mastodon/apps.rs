//! `POST /api/v1/apps`, `GET /api/v1/apps/verify_credentials`.

use axum::{Json, extract::State};
use serde::Deserialize;
use serde_json::Value;

use super::entities::app;
use crate::{
    api::{
        auth::Auth,
        extract::{Body, string_or_list},
    },
    error::AppResult,
    service::oauth::{self, NewApp},
    state::AppState,
};

#[derive(Deserialize)]
pub struct CreateApp {
    #[serde(default)]
    client_name: String,
    #[serde(default, deserialize_with = "string_or_list")]
    redirect_uris: Option<Vec<String>>,
    #[serde(default)]
    scopes: String,
    website: Option<String>,
}

pub async fn create_app(
    State(state): State<AppState>,
    Body(form): Body<CreateApp>,
) -> AppResult<Json<Value>> {
    let (app, secret) = oauth::register_app(
        &state,
        NewApp {
            name: form.client_name,
            redirect_uris: form.redirect_uris.unwrap_or_default(),
            scopes: form.scopes,
            website: form.website,
        },
    )
    .await?;
    let vapid = crate::service::push::vapid(&state).await?;
    Ok(Json(app::credential_application(
        &app,
        &secret,
        &vapid.public_key,
    )))
}

pub async fn verify_app(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Value>> {
    let vapid = crate::service::push::vapid(&state).await?;
    Ok(Json(app::application(&auth.0.app, &vapid.public_key)))
}
