//! Passerelle: a federated enterprise social network server.
//!
//! `router` builds the whole HTTP surface from an [`AppState`]; the binary and the
//! tests serve the very same router.

pub mod api;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod federation;
pub mod model;
pub mod rate_limit;
pub mod seed;
pub mod server;
pub mod service;
pub mod state;
pub mod web;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{StatusCode, header},
    response::IntoResponse,
    routing::get,
};
use tower::Layer;
use tower_http::{
    cors::{Any, CorsLayer},
    normalize_path::{NormalizePath, NormalizePathLayer},
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
};
use tracing::Level;

use crate::{config::Config, db::Db, error::AppError, state::AppState};

/// Every route of the server, with its layers.
pub fn router(state: AppState) -> Router {
    // `Access-Control-Allow-Headers: *` does not cover `Authorization` (Fetch
    // spec): the request's own headers are mirrored. Browsers keep a preflight
    // for a day instead of sending one before every API call.
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(Any)
        .allow_headers(tower_http::cors::AllowHeaders::mirror_request())
        .max_age(std::time::Duration::from_secs(24 * 60 * 60))
        .expose_headers([header::LINK]);
    Router::new()
        .merge(api::mastodon::routes())
        .merge(api::oauth::routes())
        .merge(api::passerelle::routes())
        .merge(api::wellknown::routes())
        .merge(federation::routes::routes())
        .merge(web::routes(state.clone()))
        .route("/healthz", get(api::health::healthz))
        .route("/metrics", get(api::metrics::metrics))
        .route("/static/{name}", get(api::assets::get_asset))
        .route("/favicon.ico", get(api::assets::get_favicon))
        .route("/media/{key}", get(api::media_files::get_media_file))
        .route(
            "/documents/{id}/file",
            get(api::library_files::get_current_file),
        )
        .route(
            "/documents/{id}/versions/{number}",
            get(api::library_files::get_version_file),
        )
        .fallback(|| async { AppError::new(StatusCode::NOT_FOUND, "Not found") })
        .method_not_allowed_fallback(|| async {
            AppError::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
        })
        .layer(axum::middleware::from_fn(
            api::mastodon::pagination::keep_query,
        ))
        .layer(DefaultBodyLimit::max(state.config.server.max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limit::limit,
        ))
        .layer(cors)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(axum::middleware::from_fn(api::answers::harden))
        .with_state(state)
}

/// The router behind path normalisation: some clients call `/api/v1/instance/`.
/// It must wrap the router (not `Router::layer`, which runs after routing).
pub fn app(state: AppState) -> NormalizePath<Router> {
    NormalizePathLayer::trim_trailing_slash().layer(router(state))
}

/// Opens the database, applies migrations and makes sure the instance actor exists.
pub async fn build_state(config: Config) -> anyhow::Result<AppState> {
    let db = Db::connect(&config.database.url, config.database.pool_size)?;
    let migrate_db = db.clone();
    let applied = tokio::task::spawn_blocking(move || migrate_db.migrate()).await??;
    if applied > 0 {
        tracing::info!(applied, backend = db.backend().name(), "migrations applied");
    }
    let state = AppState::new(config, db);
    let instance_actor = service::accounts::ensure_instance_actor(&state)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let federation = federation::config::build(&state, instance_actor).await?;
    state.set_federation(federation);
    federation::policy::reload(&state)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    service::instance_settings::reload(&state)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(state)
}

/// Serves until SIGTERM or Ctrl-C, then finishes in-flight requests.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    federation::delivery::spawn(state.clone(), federation::config::http_client(&state)?);
    federation::inbound::spawn(state.clone());
    service::instance_settings::spawn_refresh(state.clone());
    rate_limit::spawn_housekeeping(state.clone());
    service::media::spawn_sweeper(state.clone());
    service::polls::spawn_endings(state.clone());
    service::agenda::reminders::spawn(state.clone());
    service::push::sender::spawn(state.clone(), federation::config::http_client(&state)?);
    service::mail::sender::spawn(state.clone())?;
    service::mail::alerts::spawn(state.clone());
    service::mail::digest::spawn(state.clone());
    let config = state.config.server.clone();
    server::serve(listener, app(state.clone()), &config, shutdown_signal()).await;
    // Deliveries still in flight get a moment to finish.
    state.drain(std::time::Duration::from_secs(10)).await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// A response for paths nobody serves (kept for handlers that build their own routers).
pub async fn not_found() -> impl IntoResponse {
    AppError::not_found()
}
