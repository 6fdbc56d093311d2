//! OAuth 2 endpoints (Mastodon's subset of Doorkeeper).

mod authorize;
mod page;
mod refusal;
mod token;

use axum::{
    Json, Router,
    routing::{get, post},
};
use serde_json::{Value, json};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/oauth/authorize",
            get(authorize::show).post(authorize::submit),
        )
        .route("/oauth/token", post(token::create_token))
        .route("/oauth/revoke", post(token::revoke_token))
        .route("/.well-known/oauth-authorization-server", get(metadata))
}

/// RFC 8414 metadata, as Mastodon 4.3 publishes it.
async fn metadata(axum::extract::State(state): axum::extract::State<AppState>) -> Json<Value> {
    let base = state.urls.base();
    Json(json!({
        "issuer": format!("{base}/"),
        "authorization_endpoint": format!("{base}/oauth/authorize"),
        "token_endpoint": format!("{base}/oauth/token"),
        "revocation_endpoint": format!("{base}/oauth/revoke"),
        "app_registration_endpoint": format!("{base}/api/v1/apps"),
        "scopes_supported": ["read", "write", "follow", "push", "profile", "admin:read", "admin:write"],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "client_credentials"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "service_documentation": "https://docs.joinmastodon.org/",
    }))
}
