//! Passerelle's native API (`/api/passerelle/v1/`): communities, threads and
//! comment trees, which Mastodon's API has no words for. Same OAuth tokens.

mod account;
mod admin;
mod communities;
mod community_settings;
mod directory;
mod events;
mod join_requests;
mod library;
mod mail;
mod reports;
mod roles;
mod surveys;
mod threads;

use axum::{
    Router,
    routing::{get, post},
};

use crate::{api::mastodon::statuses, state::AppState};

/// Every route of the native API, by area. Routes are told apart by path and
/// method, not by the order they were added, so the areas merge in any order.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(admin_routes())
        .merge(report_routes())
        .merge(account_routes())
        .merge(community_routes())
        .merge(membership_routes())
        .merge(thread_routes())
        .merge(event_routes())
        .merge(survey_routes())
        .merge(directory_routes())
        .merge(library_routes())
}

/// Surveys: creating, reading, answering, the results as CSV.
fn survey_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/passerelle/v1/communities/{id}/surveys",
            post(surveys::create_in_community),
        )
        .route("/api/passerelle/v1/surveys", post(surveys::create_own))
        .route("/api/passerelle/v1/surveys/{id}", get(surveys::get_survey))
        .route(
            "/api/passerelle/v1/surveys/{id}/answer",
            post(surveys::answer_survey),
        )
        .route(
            "/api/passerelle/v1/surveys/{id}/results.csv",
            get(surveys::results_csv),
        )
}

/// Document libraries: folders, documents, versions, search.
fn library_routes() -> Router<AppState> {
    use axum::{extract::DefaultBodyLimit, routing::patch};
    Router::new()
        .route(
            "/api/passerelle/v1/communities/{id}/library",
            get(library::get_library)
                .post(library::add_document)
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/api/passerelle/v1/communities/{id}/library/folders",
            post(library::create_folder),
        )
        .route(
            "/api/passerelle/v1/library/folders/{id}",
            patch(library::change_folder).delete(library::delete_folder),
        )
        .route(
            "/api/passerelle/v1/documents",
            get(library::search_documents),
        )
        .route(
            "/api/passerelle/v1/documents/{id}",
            get(library::get_document)
                .patch(library::change_document)
                .delete(library::delete_document),
        )
        .route(
            "/api/passerelle/v1/documents/{id}/versions",
            post(library::add_version).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/api/passerelle/v1/documents/{id}/versions/{number}/restore",
            post(library::restore_version),
        )
}

/// The agenda: events, answers, calendar feed links.
fn event_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/passerelle/v1/communities/{id}/events",
            get(events::community_events).post(events::create_in_community),
        )
        .route(
            "/api/passerelle/v1/events",
            get(events::my_events).post(events::create_own),
        )
        .route(
            "/api/passerelle/v1/events/{id}",
            get(events::get_event).put(events::edit_event),
        )
        .route(
            "/api/passerelle/v1/events/{id}/cancel",
            post(events::cancel_event),
        )
        .route(
            "/api/passerelle/v1/events/{id}/answer",
            post(events::answer_event),
        )
        .route(
            "/api/passerelle/v1/events/{id}/answers",
            get(events::list_answers),
        )
        .route(
            "/api/passerelle/v1/calendar",
            get(events::calendar_feed).post(events::calendar_feed),
        )
}

/// The people directory, "find an expert", and the instance roles.
fn directory_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/passerelle/v1/account/directory_profile",
            get(directory::get_own).patch(directory::update_own),
        )
        .route(
            "/api/passerelle/v1/accounts/{id}/directory_profile",
            get(directory::get_person),
        )
        .route("/api/passerelle/v1/directory", get(directory::list_people))
        .route("/api/passerelle/v1/experts", get(directory::find_experts))
        .route(
            "/api/passerelle/v1/admin/accounts/{id}/ambassador",
            post(roles::ambassador).delete(roles::ambassador),
        )
        .route(
            "/api/passerelle/v1/admin/accounts/{id}/admin",
            post(roles::admin).delete(roles::admin),
        )
}

/// Server administration: federation queue, domain lists, invitations.
fn admin_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/passerelle/v1/admin/federation/queue",
            get(admin::get_queue),
        )
        .route(
            "/api/passerelle/v1/admin/federation/domains",
            get(admin::get_domains).post(admin::add_domain),
        )
        .route(
            "/api/passerelle/v1/admin/federation/domains/{list}/{domain}",
            axum::routing::delete(admin::remove_domain),
        )
        .route(
            "/api/passerelle/v1/admin/federation/mode",
            axum::routing::put(admin::set_mode),
        )
        .route("/api/passerelle/v1/admin/mail", get(mail::get_queue))
        .route(
            "/api/passerelle/v1/admin/mail/{id}/retry",
            post(mail::retry),
        )
        .route(
            "/api/passerelle/v1/email_settings",
            get(mail::get_settings).patch(mail::patch_settings),
        )
        .route(
            "/api/passerelle/v1/admin/invites",
            post(admin::create_invite),
        )
        .route(
            "/api/passerelle/v1/admin/federation/destinations/{domain}/retry",
            post(admin::retry_destination),
        )
}

fn report_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/passerelle/v1/admin/reports",
            get(reports::admin_reports),
        )
        .route(
            "/api/passerelle/v1/communities/{id}/reports",
            get(reports::community_reports),
        )
        .route(
            "/api/passerelle/v1/reports/{id}/resolve",
            post(reports::resolve_report),
        )
}

/// One's own account: password, deletion.
fn account_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/passerelle/v1/account/password",
            post(account::change_password),
        )
        .route(
            "/api/passerelle/v1/account",
            axum::routing::delete(account::delete_account),
        )
}

/// Communities themselves: listing, settings, partner servers, ledger.
fn community_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/passerelle/v1/communities/{id}/ledger",
            get(communities::get_ledger),
        )
        .route(
            "/api/passerelle/v1/communities/{id}/revoke",
            post(communities::revoke_server),
        )
        .route(
            "/api/passerelle/v1/communities",
            get(communities::list_communities).post(communities::create_community),
        )
        .route(
            "/api/passerelle/v1/communities/lookup",
            get(communities::lookup_community),
        )
        .route(
            "/api/passerelle/v1/communities/{id}",
            get(communities::get_community).patch(community_settings::update_community),
        )
        .route(
            "/api/passerelle/v1/communities/{id}/partners",
            get(community_settings::list_partners).post(community_settings::add_partner),
        )
        .route(
            "/api/passerelle/v1/communities/{id}/partners/{domain}",
            axum::routing::delete(community_settings::remove_partner),
        )
}

/// Who belongs to a community: joining, leaving, moderators, requests, bans.
fn membership_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/passerelle/v1/communities/{id}/join",
            post(communities::join_community),
        )
        .route(
            "/api/passerelle/v1/communities/{id}/leave",
            post(communities::leave_community),
        )
        .route(
            "/api/passerelle/v1/communities/{id}/moderators",
            get(communities::list_moderators).post(communities::add_moderator),
        )
        .route(
            "/api/passerelle/v1/communities/{id}/owner",
            post(communities::transfer_ownership),
        )
        .route(
            "/api/passerelle/v1/admin/communities/{id}/owner",
            post(communities::assign_ownership),
        )
        .route(
            "/api/passerelle/v1/communities/{id}/moderators/{account_id}",
            axum::routing::delete(communities::remove_moderator),
        )
        .route(
            "/api/passerelle/v1/communities/{id}/requests",
            get(join_requests::list_requests),
        )
        .route(
            "/api/passerelle/v1/communities/{id}/requests/{account_id}/approve",
            post(join_requests::approve_request),
        )
        .route(
            "/api/passerelle/v1/communities/{id}/requests/{account_id}/reject",
            post(join_requests::reject_request),
        )
        .route(
            "/api/passerelle/v1/communities/{id}/bans",
            get(communities::list_bans).post(communities::ban_member),
        )
        .route(
            "/api/passerelle/v1/communities/{id}/bans/{account_id}",
            axum::routing::delete(communities::unban_member),
        )
}

/// Threads, their comments, and likes.
fn thread_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/passerelle/v1/communities/{id}/threads",
            get(threads::list_threads).post(threads::create_thread),
        )
        .route("/api/passerelle/v1/threads/{id}", get(threads::get_thread))
        .route(
            "/api/passerelle/v1/statuses/{id}/restore",
            post(threads::restore_status),
        )
        .route(
            "/api/passerelle/v1/threads/{id}/pin",
            post(threads::pin_thread).delete(threads::pin_thread),
        )
        .route(
            "/api/passerelle/v1/statuses/{id}/comments",
            post(threads::create_comment),
        )
        .route(
            "/api/passerelle/v1/statuses/{id}/like",
            post(statuses::favourite_status).delete(statuses::unfavourite_status),
        )
        .route(
            "/api/passerelle/v1/statuses/{id}",
            axum::routing::put(threads::edit_status).delete(threads::delete_status),
        )
}
