//! Writing from the pages: replies, likes, deleting one's own (the composer is
//! `composer`).
//! Each form goes through the same `service::statuses` functions as the API.

use axum::{
    extract::{Path, State},
    http::HeaderMap,
    response::Response,
};
use serde::Deserialize;

use super::referer_path;
use crate::{
    error::{AppError, AppResult},
    model::format::Format,
    service::statuses::{self, NewStatus},
    state::AppState,
    web::{
        form::{NoFields, Posted},
        page::back_to,
    },
};

fn new_status(text: String, format: Format) -> NewStatus {
    NewStatus {
        community_id: None,
        in_reply_to_id: None,
        title: None,
        text,
        format,
        spoiler_text: String::new(),
        sensitive: false,
        language: None,
        visibility: None,
        idempotency_key: None,
        poll: None,
        event: None,
        survey: None,
        document: None,
        media_ids: vec![],
    }
}

pub(super) fn post_id(id: &str) -> AppResult<i64> {
    id.parse().map_err(|_| AppError::not_found())
}

#[derive(Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    text: String,
}

pub async fn post_reply(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<ReplyForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let mut new = new_status(form.text, Format::Markdown);
    new.in_reply_to_id = Some(post_id(&id)?);
    let row = statuses::create(&state, me, new).await?;
    let thread = row.thread_root_id.unwrap_or(row.id);
    Ok(back_to(&format!("/posts/{thread}#post-{}", row.id)))
}

/// Back where the form was (the feed, a community, a thread), at the post.
pub(super) fn back_at_post(headers: &HeaderMap, id: i64) -> Response {
    let from = referer_path(headers).unwrap_or_else(|| format!("/posts/{id}"));
    back_to(&format!("{from}#post-{id}"))
}

pub async fn post_like(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    let (_, me) = posted.visitor.require()?;
    let id = post_id(&id)?;
    statuses::favourite(&state, me, id).await?;
    Ok(back_at_post(&headers, id))
}

pub async fn post_unlike(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    let (_, me) = posted.visitor.require()?;
    let id = post_id(&id)?;
    statuses::unfavourite(&state, me, id).await?;
    Ok(back_at_post(&headers, id))
}

pub async fn post_delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    let (_, me) = posted.visitor.require()?;
    let row = statuses::delete(&state, me, post_id(&id)?).await?;
    // A deleted comment leaves its thread; a deleted thread leaves nothing to return to.
    Ok(match row.thread_root_id {
        Some(root) => back_to(&format!("/posts/{root}")),
        None => back_to("/"),
    })
}

/// A moderator pins a thread first in its community, or unpins it
/// (`/posts/:id/pin`, `/posts/:id/unpin`).
pub async fn post_pin(
    State(state): State<AppState>,
    Path(id): Path<String>,
    matched: axum::extract::MatchedPath,
    headers: HeaderMap,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    let (_, me) = posted.visitor.require()?;
    let id = post_id(&id)?;
    let on = !matched.as_str().ends_with("/unpin");
    crate::service::featured::feature(&state, me, id, on).await?;
    Ok(back_at_post(&headers, id))
}

/// A moderator restores a post removed from their community, back to the
/// moderation page.
pub async fn post_restore(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    let (_, me) = posted.visitor.require()?;
    let id = post_id(&id)?;
    statuses::restore(&state, me, id).await?;
    Ok(back_to(
        &referer_path(&headers).unwrap_or_else(|| format!("/posts/{id}")),
    ))
}
