//! The Mastodon-compatible client API.

mod accounts;
mod apps;
pub mod entities;
mod instance;

use axum::{
    Router,
    routing::{get, post},
};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/apps", post(apps::create_app))
        .route("/api/v1/apps/verify_credentials", get(apps::verify_app))
        .route(
            "/api/v1/accounts/verify_credentials",
            get(accounts::verify_credentials),
        )
        .route("/api/v1/accounts/lookup", get(accounts::lookup_account))
        .route("/api/v1/accounts/{id}", get(accounts::get_account))
        .route("/api/v1/instance", get(instance::instance_v1))
        .route("/api/v2/instance", get(instance::instance_v2))
        .route("/api/v1/preferences", get(accounts::preferences))
}
