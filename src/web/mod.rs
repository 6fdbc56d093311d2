//! Passerelle's own web interface: server-rendered pages over the same
//! `service::` functions as the client API and the inbox, plain forms that work
//! without JavaScript, in French and English.

pub mod cards;
pub mod form;
pub mod i18n;
pub mod page;
pub mod pages;
pub mod theme;
pub mod visitor;

use axum::{
    Router,
    routing::{get, post},
};

use crate::state::AppState;
use pages::{
    communities, landing, live, moderation, notifications, posting, profile, search, settings,
    stewardship, thread,
};

/// A community's stewards' page and its forms.
fn moderation_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/communities/{handle}/moderation",
            get(moderation::get_moderation),
        )
        .route(
            "/communities/{handle}/requests/{account}/{decision}",
            post(moderation::post_decide),
        )
        .route(
            "/communities/{handle}/reports/{id}/resolve",
            post(moderation::post_resolve),
        )
        .route("/communities/{handle}/ban", post(moderation::post_ban))
        .route(
            "/communities/{handle}/revoke",
            post(moderation::post_revoke_server),
        )
        .route(
            "/communities/{handle}/settings",
            post(stewardship::post_settings),
        )
        .route(
            "/communities/{handle}/partners",
            post(stewardship::post_partner),
        )
        .route(
            "/communities/{handle}/moderators",
            post(stewardship::post_moderator),
        )
}

pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(landing::get_root))
        .route("/login", post(landing::post_login))
        .route("/logout", post(landing::post_logout))
        .route("/language", post(landing::post_language))
        .route("/posts", post(posting::post_status))
        .route("/posts/{id}", get(thread::get_post))
        .route("/posts/{id}/live", get(live::get_live))
        .route("/posts/{id}/reply", post(posting::post_reply))
        .route("/posts/{id}/like", post(posting::post_like))
        .route("/posts/{id}/unlike", post(posting::post_unlike))
        .route("/posts/{id}/delete", post(posting::post_delete))
        .route(
            "/communities",
            get(communities::get_directory).post(communities::post_community),
        )
        .route("/communities/{handle}", get(communities::get_community))
        .route("/communities/{handle}/join", post(communities::post_join))
        .route("/communities/{handle}/leave", post(communities::post_leave))
        .route("/communities/{handle}/threads", post(posting::post_thread))
        .merge(moderation_routes())
        .route("/@{handle}", get(profile::get_profile))
        .route("/@{handle}/follow", post(profile::post_follow))
        .route("/@{handle}/unfollow", post(profile::post_unfollow))
        .route("/notifications", get(notifications::get_notifications))
        .route("/search", get(search::get_search))
        .route("/settings", get(settings::get_settings))
        .route("/settings/profile", post(settings::post_profile))
        .route("/settings/password", post(settings::post_password))
        .route("/settings/revoke", post(settings::post_revoke))
        .layer(axum::middleware::from_fn_with_state(
            state,
            page::errors_as_pages,
        ))
        .layer(axum::middleware::from_fn(page::page_headers))
        .route("/theme.css", get(theme::theme_css))
}
