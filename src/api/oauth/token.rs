//! `POST /oauth/token` and `POST /oauth/revoke`.

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, header},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    api::extract::Body,
    error::AppResult,
    service::oauth::{self, TokenParams},
    state::AppState,
};

#[derive(Deserialize)]
pub struct TokenForm {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    scope: Option<String>,
    token: Option<String>,
}

/// Client credentials from the body, or from HTTP Basic (`client_secret_basic`).
fn client_credentials(headers: &HeaderMap, form: &TokenForm) -> (Option<String>, Option<String>) {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| {
            s.split_once(':')
                .map(|(i, p)| (i.to_string(), p.to_string()))
        });
    match basic {
        Some((id, secret)) => (Some(id), Some(secret)),
        None => (form.client_id.clone(), form.client_secret.clone()),
    }
}

pub async fn create_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    Body(form): Body<TokenForm>,
) -> AppResult<Json<Value>> {
    let (client_id, client_secret) = client_credentials(&headers, &form);
    let issued = oauth::exchange(
        &state,
        TokenParams {
            grant_type: form.grant_type,
            client_id,
            client_secret,
            code: form.code,
            redirect_uri: form.redirect_uri,
            code_verifier: form.code_verifier,
            scope: form.scope,
        },
    )
    .await?;
    Ok(Json(json!({
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "scope": issued.scopes.to_string(),
        "created_at": issued.created_at,
    })))
}

pub async fn revoke_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    Body(form): Body<TokenForm>,
) -> AppResult<Json<Value>> {
    let (client_id, client_secret) = client_credentials(&headers, &form);
    oauth::revoke(&state, client_id, client_secret, form.token).await?;
    Ok(Json(json!({})))
}
