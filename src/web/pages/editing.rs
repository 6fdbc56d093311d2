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
    let page = EditPage {
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
}

pub async fn post_edit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<EditForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let extras = EditExtras {
        title: form.title,
        sensitive: form.sensitive.is_some() || !form.spoiler.trim().is_empty(),
        spoiler_text: form.spoiler.trim().to_string(),
        media_ids: None,
        poll: None,
        event: None,
    };
    let row = statuses::edit(&state, me, post_id(&id)?, form.text, extras).await?;
    let thread = row.thread_root_id.unwrap_or(row.id);
    Ok(back_to(&format!("/posts/{thread}#post-{}", row.id)))
}
