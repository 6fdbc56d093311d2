//! Calendar files for calendar apps: one event (`/events/ID.ics`), a
//! community's agenda (`/c/NAME/events.ics`, with `?token=` for what only its
//! members see), and a person's own (`/calendar/TOKEN.ics`). A feed token reads
//! what its owner may read; nothing else.

use axum::{
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use crate::{
    error::{AppError, AppResult},
    service::{
        agenda::{calendar, listing},
        community_view, now,
    },
    state::AppState,
    web::visitor::Visitor,
};

/// How far back a feed reaches (past events stay a while in calendars).
const FEED_PAST_DAYS: i64 = 30;

fn ics_response(body: String, name: &str) -> Response {
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}.ics\""),
            ),
            (header::CACHE_CONTROL, "private, max-age=300".to_string()),
        ],
        body,
    )
        .into_response()
}

/// The `NAME` of `NAME.ics`, or 404.
fn stem(file: &str) -> AppResult<&str> {
    file.strip_suffix(".ics").ok_or_else(AppError::not_found)
}

fn page_of(state: &AppState) -> impl Fn(i64) -> String + '_ {
    move |id| format!("{}/posts/{id}", state.urls.base())
}

/// One event, for whoever may read it (signed in on the web, or anyone for a public one).
pub async fn get_event_ics(
    State(state): State<AppState>,
    Path(file): Path<String>,
    v: Visitor,
) -> AppResult<Response> {
    let id: i64 = stem(&file)?.parse().map_err(|_| AppError::not_found())?;
    let view = listing::one(&state, v.actor(), id).await?;
    let title = view.status.title.clone().unwrap_or_default();
    let body = calendar::ics(std::slice::from_ref(&view), &title, page_of(&state));
    Ok(ics_response(body, &format!("event-{id}")))
}

#[derive(Deserialize, Default)]
pub struct FeedQuery {
    token: Option<String>,
}

/// A community's agenda: public events for anyone; with a member's feed token,
/// everything that member may read there.
pub async fn get_community_ics(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<FeedQuery>,
) -> AppResult<Response> {
    let reader = match q.token.as_deref().filter(|t| !t.is_empty()) {
        Some(t) => Some(calendar::reader_of_feed(&state, t).await?),
        None => None,
    };
    let community = community_view::by_handle(&state, &name, reader.as_ref()).await?;
    let since = now() - chrono::Duration::days(FEED_PAST_DAYS);
    let events = listing::upcoming_since(&state, reader.as_ref(), Some(&community), since).await?;
    let title = if community.display_name.is_empty() {
        community.name.clone()
    } else {
        community.display_name.clone()
    };
    let body = calendar::ics(&events, &title, page_of(&state));
    Ok(ics_response(body, &community.name))
}

/// A person's own agenda, by their feed token.
pub async fn get_personal_ics(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> AppResult<Response> {
    let reader = calendar::reader_of_feed(&state, stem(&file)?).await?;
    let since = now() - chrono::Duration::days(FEED_PAST_DAYS);
    let events = listing::upcoming_since(&state, Some(&reader), None, since).await?;
    let title = format!("{} · {}", reader.name, state.config.instance.name);
    let body = calendar::ics(&events, &title, page_of(&state));
    Ok(ics_response(body, "agenda"))
}
