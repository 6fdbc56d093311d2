//! `GET /healthz`: 200 when the database answers, 503 otherwise.

use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use serde_json::json;

use crate::state::AppState;

pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    if state.db.ping().await {
        (
            StatusCode::OK,
            Json(json!({ "status": "ok", "database": state.db.backend().name() })),
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "error": "Database unavailable" })),
        )
    }
}
