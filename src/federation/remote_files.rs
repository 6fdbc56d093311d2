//! Files of a partner's library, fetched when one of our people downloads one:
//! signed by our instance actor (its server checks we are within the
//! community's reach), through the federation client (no redirects, no
//! internal addresses, the federation policy), and passed on as they arrive.

use std::time::Duration;

use url::Url;

use super::delivery::sign::{SigningKey, sign_get};
use crate::{
    db,
    error::{AppError, AppResult},
    state::AppState,
};

/// How long a download from a partner may take.
const TIMEOUT: Duration = Duration::from_secs(300);

/// Starts a signed GET of a partner's file; the caller streams the body.
pub async fn get(state: &AppState, url: &str) -> AppResult<reqwest::Response> {
    let url = Url::parse(url).map_err(|_| AppError::not_found())?;
    if !state.policy.allows_url(&url) {
        return Err(AppError::forbidden(
            "Federation with this server is not allowed",
        ));
    }
    let signer = state
        .db
        .run(|c| Ok(db::actors::instance_actor(c)?))
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no instance actor")))?;
    let pem = signer
        .private_key_pem
        .clone()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("instance actor has no key")))?;
    let key_id = format!("{}#main-key", signer.ap_id);
    let target = url.clone();
    let (host, date, signature) = tokio::task::spawn_blocking(move || {
        let key = SigningKey::from_pem(&pem)?;
        sign_get(&target, &key_id, &key)
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    let client = super::config::client_with_timeout(state, TIMEOUT).map_err(AppError::internal)?;
    let response = client
        .get(url)
        .header("host", host)
        .header("date", date)
        .header("signature", signature)
        .send()
        .await
        .map_err(|e| unavailable(e.to_string()))?;
    match response.status() {
        s if s.is_success() => Ok(response),
        s if s == 401 || s == 403 || s == 404 || s == 410 => Err(AppError::not_found()),
        s => Err(unavailable(format!("the partner server answered {s}"))),
    }
}

fn unavailable(why: String) -> AppError {
    AppError::new(
        axum::http::StatusCode::BAD_GATEWAY,
        format!("The partner server holding this file could not be reached ({why})"),
    )
}
