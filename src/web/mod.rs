//! Passerelle's own web interface: server-rendered pages over the same
//! `service::` functions as the client API and the inbox, plain forms that work
//! without JavaScript, in French and English.

pub mod cards;
pub mod document_card;
pub mod event_card;
pub mod form;
pub mod i18n;
pub mod page;
pub mod pages;
pub mod poll_card;
pub mod survey_card;
pub mod theme;
pub mod visitor;

use axum::{
    Router,
    routing::{get, post},
};

use crate::state::AppState;
use pages::{
    admin, admin_federation, admin_mail, admin_people, agenda, calendar_feeds, communities,
    composer, conversations, directory, documents, editing, email_links, landing, library, live,
    moderation, notifications, posting, profile, reporting, search, settings, settings_email,
    settings_profile, stewardship, surveys, thread,
};

/// Direct conversations, and editing and reporting posts (and reporting people).
fn conversation_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/conversations",
            get(conversations::get_conversations).post(conversations::post_message),
        )
        .route("/conversations/{id}", get(conversations::get_conversation))
        .route("/conversations/{id}/reply", post(conversations::post_reply))
        .route(
            "/posts/{id}/edit",
            get(editing::get_edit).post(editing::post_edit),
        )
        .route(
            "/posts/{id}/report",
            get(reporting::get_post_report).post(reporting::post_post_report),
        )
        .route(
            "/@{handle}/report",
            get(reporting::get_account_report).post(reporting::post_account_report),
        )
        .route("/reports/sent", get(reporting::get_sent))
}

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
        .route("/communities/{handle}/unban", post(moderation::post_unban))
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
        .route("/communities/{handle}/owner", post(stewardship::post_owner))
}

/// The administrators' pages and their forms.
fn admin_routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(admin::get_admin))
        .route("/admin/settings", post(admin::post_settings))
        .route("/admin/reports", get(admin::get_reports))
        .route("/admin/mail", get(admin_mail::get_mail))
        .route("/admin/mail/{id}/retry", post(admin_mail::post_retry))
        .route("/admin/reports/{id}/resolve", post(admin::post_resolve))
        .route(
            "/admin/people",
            get(admin_people::get_people).post(admin_people::post_person),
        )
        .route(
            "/admin/people/{id}/{action}",
            post(admin_people::post_action),
        )
        .route("/admin/invites", post(admin_people::post_invite))
        .route(
            "/admin/invites/email",
            post(admin_people::post_invite_email),
        )
        .route("/admin/federation", get(admin_federation::get_federation))
        .route("/admin/federation/lists", post(admin_federation::post_list))
        .route("/admin/federation/mode", post(admin_federation::post_mode))
        .route(
            "/admin/federation/retry",
            post(admin_federation::post_retry),
        )
}

/// The pages of the links mail carries (confirming an address, resetting a
/// password, unsubscribing), and the settings' e-mail forms.
fn email_routes() -> Router<AppState> {
    Router::new()
        .route("/auth/confirm/{token}", get(email_links::get_confirm))
        .route(
            "/auth/forgot",
            get(email_links::get_forgot).post(email_links::post_forgot),
        )
        .route(
            "/auth/reset/{token}",
            get(email_links::get_reset).post(email_links::post_reset),
        )
        // One-click unsubscribing (RFC 8058) posts a tiny body, without a
        // session or a form token: the key in the URL is the authorisation.
        .route(
            "/email/unsubscribe/{key}/{category}",
            get(email_links::get_unsubscribe)
                .post(email_links::post_unsubscribe)
                .layer(axum::extract::DefaultBodyLimit::max(4096)),
        )
        .route("/settings/email", post(settings_email::post_change))
        .route("/settings/email/confirm", post(settings_email::post_resend))
        .route(
            "/settings/email/preferences",
            post(settings_email::post_preferences),
        )
}

/// The agenda's pages and calendar files.
fn agenda_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/communities/{handle}/surveys",
            get(surveys::get_surveys).post(surveys::post_survey),
        )
        .route("/posts/{id}/survey", post(surveys::post_answers))
        .route("/posts/{id}/results.csv", get(surveys::get_results_csv))
        .route("/events/{file}", get(calendar_feeds::get_event_ics))
        .route(
            "/c/{name}/events.ics",
            get(calendar_feeds::get_community_ics),
        )
        .route("/calendar/{file}", get(calendar_feeds::get_personal_ics))
        .route(
            "/communities/{handle}/events",
            get(agenda::get_agenda)
                .post(agenda::post_event)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/posts/{id}/answer", post(agenda::post_answer))
        .route("/posts/{id}/cancel", post(agenda::post_cancel))
        .route("/posts/{id}/answers", get(agenda::get_answers))
        .route("/agenda", get(agenda::get_my_agenda))
        .route("/agenda/feed", post(agenda::post_new_feed))
        .route(
            "/agenda/events",
            post(agenda::post_personal_event).layer(axum::extract::DefaultBodyLimit::disable()),
        )
}

/// The document library's pages and forms (uploads lift the body limit: the
/// one-file reader bounds them by the document size limit).
fn library_routes() -> Router<AppState> {
    use axum::extract::DefaultBodyLimit;
    Router::new()
        .route(
            "/communities/{handle}/library",
            get(library::get_library)
                .post(library::post_document)
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/communities/{handle}/library/folders",
            post(library::post_folder),
        )
        .route(
            "/communities/{handle}/library/folders/{id}/rename",
            post(library::post_folder_rename),
        )
        .route(
            "/communities/{handle}/library/folders/{id}/move",
            post(library::post_folder_move),
        )
        .route(
            "/communities/{handle}/library/folders/{id}/delete",
            post(library::post_folder_delete),
        )
        .route(
            "/posts/{id}/versions",
            post(documents::post_version).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/posts/{id}/versions/{number}/restore",
            post(documents::post_restore),
        )
        .route("/posts/{id}/rename", post(documents::post_rename))
        .route("/posts/{id}/move", post(documents::post_move))
}

pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(landing::get_root))
        .route("/login", post(landing::post_login))
        .route("/logout", post(landing::post_logout))
        .route("/language", post(landing::post_language))
        .route(
            "/posts",
            post(composer::post_compose).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/posts/{id}", get(thread::get_post))
        .route("/posts/{id}/live", get(live::get_live))
        .route("/posts/{id}/reply", post(posting::post_reply))
        .route("/posts/{id}/like", post(posting::post_like))
        .route("/posts/{id}/unlike", post(posting::post_unlike))
        .route("/posts/{id}/delete", post(posting::post_delete))
        .route("/posts/{id}/vote", post(composer::post_vote))
        .route("/posts/{id}/pin", post(posting::post_pin))
        .route("/posts/{id}/unpin", post(posting::post_pin))
        .route("/posts/{id}/restore", post(posting::post_restore))
        .route(
            "/communities",
            get(communities::get_directory).post(communities::post_community),
        )
        .route("/communities/{handle}", get(communities::get_community))
        .route(
            "/communities/{handle}/members",
            get(communities::get_members),
        )
        .route(
            "/communities/{handle}/{membership}",
            post(communities::post_membership),
        )
        .merge(moderation_routes())
        .merge(admin_routes())
        .merge(conversation_routes())
        .route("/signup", post(landing::post_signup))
        .route("/@{handle}", get(profile::get_profile))
        .route("/@{handle}/{follow}", post(profile::post_follow))
        .route("/notifications", get(notifications::get_notifications))
        .route("/search", get(search::get_search))
        .route("/directory", get(directory::get_directory))
        .route("/directory/experts", get(directory::get_experts))
        .route("/settings", get(settings::get_settings))
        .route(
            "/settings/profile",
            post(settings_profile::post_profile).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/settings/password", post(settings::post_password))
        .route("/settings/revoke", post(settings::post_revoke))
        .merge(agenda_routes())
        .merge(library_routes())
        .merge(email_routes())
        .layer(axum::middleware::from_fn_with_state(
            state,
            page::errors_as_pages,
        ))
        .layer(axum::middleware::from_fn(page::page_headers))
        .route("/theme.css", get(theme::theme_css))
}
