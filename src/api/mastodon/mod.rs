//! The Mastodon-compatible client API.

mod accounts;
mod admin;
mod apps;
mod blocks;
mod bookmarks;
mod conversations;
mod directory;
mod emails;
pub mod entities;
mod follow_requests;
mod instance;
mod lists;
mod media;
mod notifications;
pub mod pagination;
mod polls;
mod profile;
mod push;
mod reports;
mod search;
mod status_history;
pub mod statuses;
mod stream_shared;
mod streaming;

/// What anonymous stream listeners share (kept in the application state).
pub type AnonymousStreams = stream_shared::Shared<streaming::Outgoing>;
mod tags;
mod timelines;
mod unsupported;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post},
};

use crate::state::AppState;

/// Every route of the Mastodon API, by area. Routes are told apart by path and
/// method, not by the order they were added, so the areas merge in any order.
pub fn routes() -> Router<AppState> {
    unsupported::routes(Router::new())
        .merge(app_routes())
        .merge(instance_routes())
        .merge(account_routes())
        .merge(profile_routes())
        .merge(relationship_routes())
        .merge(list_routes())
        .merge(tag_routes())
        .merge(admin_routes())
        .merge(status_routes())
        .merge(timeline_routes())
        .merge(search_routes())
        .merge(notification_routes())
        .merge(media_routes())
        .merge(conversation_routes())
        .merge(report_and_poll_routes())
        .merge(streaming_routes())
}

/// Client applications and their push subscriptions.
fn app_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/apps", post(apps::create_app))
        .route(
            "/api/v1/push/subscription",
            get(push::show)
                .post(push::create)
                .put(push::update)
                .delete(push::delete),
        )
        .route("/api/v1/apps/verify_credentials", get(apps::verify_app))
}

fn instance_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/instance", get(instance::instance_v1))
        .route("/api/v2/instance", get(instance::instance_v2))
}

/// Accounts: registration, lookup, their statuses and their follows.
fn account_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/accounts/verify_credentials",
            get(accounts::verify_credentials),
        )
        .route("/api/v1/accounts/lookup", get(accounts::lookup_account))
        .route("/api/v1/accounts/{id}", get(accounts::get_account))
        .route("/api/v1/preferences", get(accounts::preferences))
        .route(
            "/api/v1/accounts/relationships",
            get(accounts::relationships),
        )
        .route(
            "/api/v1/accounts/{id}/follow",
            post(accounts::follow_account),
        )
        .route(
            "/api/v1/accounts/{id}/unfollow",
            post(accounts::unfollow_account),
        )
        .route(
            "/api/v1/accounts/{id}/statuses",
            get(accounts::account_statuses),
        )
        .route("/api/v1/accounts", post(accounts::register_account))
        .route(
            "/api/v1/emails/confirmations",
            post(emails::resend_confirmation),
        )
        .route(
            "/api/v1/accounts/familiar_followers",
            get(accounts::familiar_followers),
        )
        .route(
            "/api/v1/accounts/{id}/followers",
            get(accounts::account_followers),
        )
        .route(
            "/api/v1/accounts/{id}/following",
            get(accounts::account_following),
        )
}

/// One's own profile: its images and credentials.
fn profile_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/profile/avatar",
            axum::routing::delete(profile::delete_avatar),
        )
        .route(
            "/api/v1/profile/header",
            axum::routing::delete(profile::delete_header),
        )
        .route(
            "/api/v1/accounts/update_credentials",
            axum::routing::patch(profile::update_credentials).layer(DefaultBodyLimit::disable()),
        )
}

/// Blocks, mutes and follow requests.
fn relationship_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/accounts/{id}/block", post(blocks::block))
        .route("/api/v1/accounts/{id}/unblock", post(blocks::unblock))
        .route("/api/v1/accounts/{id}/mute", post(blocks::mute))
        .route("/api/v1/accounts/{id}/unmute", post(blocks::unmute))
        .route("/api/v1/blocks", get(blocks::blocked))
        .route("/api/v1/mutes", get(blocks::muted))
        .route(
            "/api/v1/follow_requests",
            get(follow_requests::follow_requests),
        )
        .route(
            "/api/v1/follow_requests/{id}/authorize",
            post(follow_requests::authorize_follow_request),
        )
        .route(
            "/api/v1/follow_requests/{id}/reject",
            post(follow_requests::reject_follow_request),
        )
}

fn list_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/lists", get(lists::index).post(lists::create))
        .route(
            "/api/v1/lists/{id}",
            get(lists::show).put(lists::update).delete(lists::delete),
        )
        .route(
            "/api/v1/lists/{id}/accounts",
            get(lists::accounts)
                .post(lists::add_accounts)
                .delete(lists::remove_accounts),
        )
        .route("/api/v1/accounts/{id}/lists", get(lists::of_account))
        .route("/api/v1/timelines/list/{id}", get(lists::timeline))
}

fn tag_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/tags/{name}", get(tags::show))
        .route("/api/v1/tags/{name}/follow", post(tags::follow))
        .route("/api/v1/tags/{name}/unfollow", post(tags::unfollow))
        .route("/api/v1/followed_tags", get(tags::followed))
}

fn admin_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/admin/accounts/{id}",
            axum::routing::delete(admin::delete),
        )
        .route("/api/v1/admin/accounts/{id}/action", post(admin::action))
        .route(
            "/api/v1/admin/accounts/{id}/unsuspend",
            post(admin::unsuspend),
        )
}

/// Statuses and what people do to them (favourites, boosts, bookmarks, pins).
fn status_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/statuses", post(statuses::create_status))
        .route(
            "/api/v1/statuses/{id}",
            get(statuses::get_status)
                .delete(statuses::delete_status)
                .put(statuses::edit_status),
        )
        .route(
            "/api/v1/statuses/{id}/context",
            get(statuses::status_context),
        )
        .route("/api/v1/statuses/{id}/source", get(statuses::status_source))
        .route(
            "/api/v1/statuses/{id}/favourite",
            post(statuses::favourite_status),
        )
        .route(
            "/api/v1/statuses/{id}/unfavourite",
            post(statuses::unfavourite_status),
        )
        .route(
            "/api/v1/statuses/{id}/bookmark",
            post(bookmarks::bookmark_status),
        )
        .route(
            "/api/v1/statuses/{id}/unbookmark",
            post(bookmarks::unbookmark_status),
        )
        .route(
            "/api/v1/statuses/{id}/favourited_by",
            get(statuses::favourited_by),
        )
        .route(
            "/api/v1/statuses/{id}/reblogged_by",
            get(statuses::reblogged_by),
        )
        .route(
            "/api/v1/statuses/{id}/reblog",
            post(statuses::reblog_status),
        )
        .route(
            "/api/v1/statuses/{id}/unreblog",
            post(statuses::unreblog_status),
        )
        .route("/api/v1/statuses/{id}/pin", post(statuses::pin_status))
        .route(
            "/api/v1/statuses/{id}/history",
            get(status_history::status_history),
        )
        .route("/api/v1/statuses/{id}/unpin", post(statuses::unpin_status))
}

/// Timelines, and the reader's bookmarks and favourites.
fn timeline_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/timelines/home", get(timelines::home_timeline))
        .route("/api/v1/timelines/public", get(timelines::public_timeline))
        .route("/api/v1/timelines/tag/{tag}", get(timelines::tag_timeline))
        .route("/api/v1/bookmarks", get(bookmarks::list_bookmarks))
        .route("/api/v1/favourites", get(bookmarks::list_favourites))
}

fn search_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v2/search", get(search::search))
        .route("/api/v1/accounts/search", get(search::search_accounts))
        .route("/api/v1/directory", get(directory::get_directory))
}

/// Notifications, and the read markers of timelines.
fn notification_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/notifications",
            get(notifications::list_notifications),
        )
        .route(
            "/api/v1/notifications/clear",
            post(notifications::clear_notifications),
        )
        .route(
            "/api/v1/notifications/{id}",
            get(notifications::get_notification),
        )
        .route(
            "/api/v1/notifications/{id}/dismiss",
            post(notifications::dismiss_notification),
        )
        .route(
            "/api/v1/markers",
            get(notifications::get_markers).post(notifications::set_markers),
        )
}

fn media_routes() -> Router<AppState> {
    Router::new()
        // Uploads: no global body limit; the handler enforces the media limits.
        .route(
            "/api/v1/media",
            post(media::create_media).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/api/v2/media",
            post(media::create_media).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/api/v1/media/{id}",
            get(media::get_media).put(media::update_media),
        )
}

fn conversation_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/conversations",
            get(conversations::list_conversations),
        )
        .route(
            "/api/v1/conversations/{id}",
            axum::routing::delete(conversations::remove_conversation),
        )
        .route(
            "/api/v1/conversations/{id}/read",
            post(conversations::read_conversation),
        )
}

fn report_and_poll_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reports", post(reports::create_report))
        .route("/api/v1/polls/{id}", get(polls::get_poll))
        .route("/api/v1/polls/{id}/votes", post(polls::vote))
}

fn streaming_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/streaming", get(streaming::websocket))
        .route("/api/v1/streaming/health", get(streaming::health))
        .route("/api/v1/streaming/{*stream}", get(streaming::server_sent))
}
