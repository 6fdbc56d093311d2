//! Endpoints of features Passerelle does not have (yet), answered as Mastodon
//! answers when such a feature is empty or disabled: an empty list, so apps
//! that call them at start-up carry on. docs/API.md lists them.

use axum::{
    Json, Router,
    extract::{Path, State},
    routing::get,
};
use serde_json::{Value, json};

use crate::{api::auth::Auth, error::AppResult, state::AppState};

/// Lists that are always empty here, with the scope Mastodon asks for.
pub const EMPTY_LISTS: &[(&str, Option<&str>)] = &[
    ("/api/v1/custom_emojis", None),
    ("/api/v1/announcements", None),
    ("/api/v1/trends", None),
    ("/api/v1/trends/tags", None),
    ("/api/v1/trends/statuses", None),
    ("/api/v1/trends/links", None),
    ("/api/v1/instance/peers", None),
    ("/api/v1/filters", Some("read:filters")),
    ("/api/v2/filters", Some("read:filters")),
    ("/api/v1/suggestions", Some("read")),
    ("/api/v2/suggestions", Some("read")),
    ("/api/v1/domain_blocks", Some("read:blocks")),
    ("/api/v1/endorsements", Some("read:accounts")),
    ("/api/v1/featured_tags", Some("read:accounts")),
    ("/api/v1/scheduled_statuses", Some("read:statuses")),
];

/// The routes of [`EMPTY_LISTS`]: an empty list, after the scope check when
/// the feature is per person (so a missing token is 401, a weak one 403).
pub fn routes(mut router: Router<AppState>) -> Router<AppState> {
    for &(path, scope) in EMPTY_LISTS {
        router = match scope {
            Some(scope) => router.route(
                path,
                get(move |auth: Auth| async move {
                    auth.user_with(scope)?;
                    AppResult::Ok(Json(json!([])))
                }),
            ),
            None => router.route(path, get(|| async { Json(json!([])) })),
        };
    }
    router
        .route(
            "/api/v1/accounts/{id}/featured_tags",
            get(empty_for_account),
        )
        .route("/api/v1/instance/rules", get(instance_rules))
}

/// `GET /api/v1/accounts/:id/featured_tags` and `/lists`: none.
async fn empty_for_account(Path(_id): Path<String>) -> Json<Value> {
    Json(json!([]))
}

/// `GET /api/v1/instance/rules`: the rules in `instance.rules`.
async fn instance_rules(State(state): State<AppState>) -> Json<Value> {
    Json(json!(
        state
            .instance()
            .rules
            .iter()
            .enumerate()
            .map(|(i, text)| json!({ "id": (i + 1).to_string(), "text": text, "hint": "" }))
            .collect::<Vec<_>>()
    ))
}
