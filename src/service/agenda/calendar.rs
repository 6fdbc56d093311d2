//! Calendar files (RFC 5545): one event, a community's agenda, a person's.
//!
//! Times are written in UTC (`…Z`), which every calendar converts to its
//! reader's zone; the organiser's zone goes along as `X-WR-TIMEZONE`. (A
//! `TZID` would need a `VTIMEZONE` definition built from the zone database,
//! which no well-kept crate writes.) The `UID` is the event's ActivityPub id,
//! stable across edits; `SEQUENCE` counts the organiser's changes, and a
//! cancelled event stays in the feed with `STATUS:CANCELLED` so calendars
//! remove it.

use chrono::Duration;
use icalendar::{Calendar, Component, EventLike, EventStatus};

use super::listing::EventView;
use crate::{
    db::{self, actors::Actor},
    error::{AppError, AppResult},
    service::{now, secrets},
    state::AppState,
};

/// The calendar of `events`, named `name`; `web` gives each event's page.
pub fn ics(events: &[EventView], name: &str, web: impl Fn(i64) -> String) -> String {
    let mut cal = Calendar::new();
    cal.name(name);
    if let Some(first) = events.first() {
        cal.timezone(first.event.time_zone.as_str());
    }
    for v in events {
        cal.push(entry(v, &web(v.status.id)));
    }
    cal.done().to_string()
}

fn entry(v: &EventView, url: &str) -> icalendar::Event {
    let (e, s) = (&v.event, &v.status);
    let mut out = icalendar::Event::new();
    out.uid(&s.ap_id)
        .summary(s.title.as_deref().unwrap_or_default())
        .description(&s.source)
        .url(url)
        .sequence(u32::try_from(e.sequence.max(0)).unwrap_or_default())
        .timestamp(s.edited_at.unwrap_or(s.created_at).and_utc())
        .created(s.created_at.and_utc());
    if let Some(edited) = s.edited_at {
        out.last_modified(edited.and_utc());
    }
    let end = e.ends_at.unwrap_or(e.starts_at);
    if e.all_day {
        // DTEND of a date is exclusive: the day after the last one.
        out.starts(e.starts_at.date())
            .ends(end.date() + Duration::days(1));
    } else {
        out.starts(e.starts_at.and_utc()).ends(end.and_utc());
    }
    let place = match (&e.location, &e.online_url) {
        (l, Some(u)) if l.is_empty() => u.clone(),
        (l, Some(u)) => format!("{l} ({u})"),
        (l, None) => l.clone(),
    };
    if !place.is_empty() {
        out.location(&place);
    }
    out.status(if e.cancelled_at.is_some() {
        EventStatus::Cancelled
    } else {
        EventStatus::Confirmed
    });
    out.done()
}

/// The token of a person's calendar feed, made on first use.
pub async fn feed_token(state: &AppState, user_id: i64) -> AppResult<String> {
    let existing = state
        .db
        .run(move |c| Ok(db::events::feed_token(c, user_id)?))
        .await?;
    match existing {
        Some(t) => Ok(t),
        None => new_feed_token(state, user_id).await,
    }
}

/// A new token: feeds subscribed with the old one stop working.
pub async fn new_feed_token(state: &AppState, user_id: i64) -> AppResult<String> {
    let token = secrets::new_secret();
    let t = token.clone();
    state
        .db
        .write(move |c| Ok(db::events::set_feed_token(c, user_id, &t, now())?))
        .await?;
    Ok(token)
}

/// The person a feed token belongs to (404 for an unknown or revoked one, or a
/// suspended account).
pub async fn reader_of_feed(state: &AppState, token: &str) -> AppResult<Actor> {
    let token = token.to_string();
    state
        .db
        .run(move |c| {
            let actor =
                db::events::reader_by_feed_token(c, &token)?.ok_or_else(AppError::not_found)?;
            if actor.suspended_at.is_some() || actor.deleted_at.is_some() {
                return Err(AppError::not_found());
            }
            Ok(actor)
        })
        .await
}
