//! `/posts/:id/edit`: the author changes a post's text (and a thread's title)
//! through `service::statuses::edit`, the function `PUT /api/v1/statuses/:id`
//! uses; others get what the API gives them (403, or 404 when they cannot see it).

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use serde::Deserialize;

use crate::{
    error::{AppError, AppResult},
    service::statuses::{self, EditExtras},
    state::AppState,
    web::{
        form::Posted,
        i18n::Tr,
        page::{Chrome, back_to, html},
        visitor::Visitor,
    },
};

#[derive(Template)]
#[template(path = "edit.html")]
struct EditPage {
    t: Tr,
    c: Chrome,
    id: i64,
    /// A thread's title (a comment or a post has none).
    title: Option<String>,
    text: String,
    spoiler: String,
    sensitive: bool,
    /// An event's date and place, as the form shows them.
    event: Option<EventValues>,
}

/// An event's fields as the edit form prefills them (times in its zone).
struct EventValues {
    starts_at: String,
    ends_at: String,
    time_zone: String,
    all_day: bool,
    location: String,
    online_url: String,
    capacity: String,
}

impl EventValues {
    fn of(e: &crate::db::events::Event) -> Self {
        let (start, end) = crate::service::agenda::local_times(e);
        let shown = |t: chrono::NaiveDateTime| {
            if e.all_day {
                t.format("%Y-%m-%d").to_string()
            } else {
                t.format("%Y-%m-%dT%H:%M").to_string()
            }
        };
        Self {
            starts_at: shown(start),
            ends_at: shown(end),
            time_zone: e.time_zone.clone(),
            all_day: e.all_day,
            location: e.location.clone(),
            online_url: e.online_url.clone().unwrap_or_default(),
            capacity: e.capacity.map(|c| c.to_string()).unwrap_or_default(),
        }
    }
}

fn post_id(id: &str) -> AppResult<i64> {
    id.parse().map_err(|_| AppError::not_found())
}

pub async fn get_edit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    v: Visitor,
) -> AppResult<Response> {
    let (_, me) = v.require()?;
    let s = statuses::editable(&state, me, post_id(&id)?).await?;
    let sid = s.id;
    let event = state
        .db
        .run(move |c| Ok(crate::db::events::by_status(c, sid)?))
        .await?;
    let page = EditPage {
        event: event.as_ref().map(EventValues::of),
        c: Chrome::new(&state, &v, v.t.s("edit-title")),
        t: v.t,
        id: s.id,
        title: s.title.filter(|t| !t.is_empty()),
        text: s.source,
        spoiler: s.spoiler_text,
        sensitive: s.sensitive,
    };
    Ok(html(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct EditForm {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    spoiler: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    sensitive: Option<String>,
    /// An event's fields (present only in an event's form).
    starts_at: Option<String>,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    time_zone: String,
    all_day: Option<String>,
    #[serde(default)]
    location: String,
    #[serde(default)]
    online_url: String,
    #[serde(default)]
    capacity: String,
}

impl EditForm {
    fn event(&self) -> AppResult<Option<crate::service::agenda::NewEvent>> {
        let Some(starts_at) = self.starts_at.clone() else {
            return Ok(None);
        };
        let capacity = match self.capacity.trim() {
            "" => None,
            n => Some(
                n.parse()
                    .map_err(|_| crate::error::invalid_field("capacity", "must be a number"))?,
            ),
        };
        Ok(Some(crate::service::agenda::NewEvent {
            starts_at,
            ends_at: Some(self.ends_at.clone()),
            time_zone: Some(self.time_zone.clone()),
            all_day: self.all_day.is_some(),
            location: self.location.clone(),
            online_url: Some(self.online_url.clone()),
            capacity,
        }))
    }
}

pub async fn post_edit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<EditForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let event = form.event()?;
    let extras = EditExtras {
        title: form.title,
        sensitive: form.sensitive.is_some() || !form.spoiler.trim().is_empty(),
        spoiler_text: form.spoiler.trim().to_string(),
        media_ids: None,
        poll: None,
        event,
    };
    let row = statuses::edit(&state, me, post_id(&id)?, form.text, extras).await?;
    state.wake_delivery();
    let thread = row.thread_root_id.unwrap_or(row.id);
    Ok(back_to(&format!("/posts/{thread}#post-{}", row.id)))
}
