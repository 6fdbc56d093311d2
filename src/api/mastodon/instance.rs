//! `GET /api/v1/instance` and `GET /api/v2/instance`.

use axum::{Json, extract::State};
use serde_json::Value;

use super::entities::instance;
use crate::{db, error::AppResult, service::now, state::AppState};

async fn stats(state: &AppState) -> AppResult<db::instance_stats::Stats> {
    state
        .db
        .run(|c| Ok(db::instance_stats::stats(c, now())?))
        .await
}

pub async fn instance_v1(State(state): State<AppState>) -> AppResult<Json<Value>> {
    Ok(Json(instance::v1(&state, stats(&state).await?)))
}

pub async fn instance_v2(State(state): State<AppState>) -> AppResult<Json<Value>> {
    let vapid = crate::service::push::vapid(&state).await?;
    Ok(Json(instance::v2(
        &state,
        stats(&state).await?,
        &vapid.public_key,
    )))
}
