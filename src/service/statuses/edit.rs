//! The author edits a status.

use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult, invalid_field},
    model::content::{self},
    service::{
        events::{self, Event},
        now,
    },
    state::AppState,
};

use super::create::{render, resolve_mentions};
use super::{MAX_TITLE, check_length, visible};

/// What an edit changes besides the text.
#[derive(Debug, Default)]
pub struct EditExtras {
    pub title: Option<String>,
    pub spoiler_text: String,
    pub sensitive: bool,
    /// The attachments after the edit, in order (the author's uploads, new or
    /// already on this status); `None`: unchanged.
    pub media_ids: Option<Vec<i64>>,
    /// The poll after the edit (votes reset if its options changed); `None`:
    /// unchanged.
    pub poll: Option<crate::service::polls::NewPoll>,
    /// An event's date, place and capacity after the edit; `None`: unchanged.
    pub event: Option<crate::service::agenda::NewEvent>,
}

/// A status its author may edit: 404 when the reader cannot see it, 403 when
/// it is someone else's (both the edit and the form that prefills it).
pub async fn editable(state: &AppState, author: &Actor, id: i64) -> AppResult<Status> {
    let current = visible(state, id, Some(author)).await?;
    if current.actor_id != author.id {
        return Err(AppError::forbidden("Only the author can edit this"));
    }
    Ok(current)
}

pub async fn edit(
    state: &AppState,
    author: &Actor,
    id: i64,
    text: String,
    extras: EditExtras,
) -> AppResult<Status> {
    let EditExtras {
        title,
        spoiler_text,
        sensitive,
        media_ids,
        poll,
        event,
    } = extras;
    let current = editable(state, author, id).await?;
    let event = event
        .map(|e| e.row(id, &state.config.instance.time_zone))
        .transpose()?;
    let poll_row = check_files(state, id, media_ids.as_deref(), poll.as_ref()).await?;
    let files_after = match &media_ids {
        Some(ids) => ids.len(),
        None => files_of(state, id).await?,
    };
    let text = text.trim().to_string();
    if text.is_empty() && files_after == 0 {
        return Err(invalid_field("text", "can't be blank"));
    }
    let format = current.source_type;
    check_length(&text, format)?;
    let title = match (current.title.clone(), title) {
        (Some(_), Some(t)) if !t.trim().is_empty() => {
            Some(t.trim().chars().take(MAX_TITLE).collect())
        }
        (old, _) => old,
    };
    let mentions = resolve_mentions(state, &text).await?;
    let html = render(
        &text,
        format,
        &mentions,
        &format!("{}/tags", state.urls.base()),
    );
    let mention_ids: Vec<i64> = mentions.iter().map(|(_, a)| a.id).collect();
    let tags = content::extract_hashtags(&text);
    let author_id = author.id;
    let updated = state
        .db
        .write(move |c| {
            let at = now();
            let edit = db::statuses::Edit {
                title: title.as_deref(),
                content: &html,
                source: &text,
                spoiler_text: &spoiler_text,
                sensitive,
                at,
            };
            if let Some(ids) = &media_ids {
                // Those left out go back to the author's uploads (swept later).
                db::media::detach(c, id)?;
                crate::service::media::attach(c, author_id, id, ids)?;
            }
            if let Some(p) = &poll_row {
                db::polls::replace(c, p)?;
            }
            if let Some(e) = &event {
                if db::events::by_status(c, id)?.is_none() {
                    return Err(invalid_field("event", "this status is not an event"));
                }
                db::events::update_local(c, e)?;
            }
            db::statuses::update_content(c, id, &edit)?;
            db::statuses::set_mentions(c, id, &mention_ids)?;
            db::statuses::set_tags(c, id, &tags, at)?;
            events::store(c, &[Event::StatusUpdated { status_id: id }])?;
            db::statuses::by_id(c, id)?.ok_or_else(AppError::not_found)
        })
        .await?;
    Ok(updated)
}

async fn files_of(state: &AppState, id: i64) -> AppResult<usize> {
    state
        .db
        .run(move |c| Ok(db::media::by_status_ids(c, &[id])?.len()))
        .await
}

/// A status has files or a poll, not both; the new poll's row, if there is one.
async fn check_files(
    state: &AppState,
    id: i64,
    media_ids: Option<&[i64]>,
    poll: Option<&crate::service::polls::NewPoll>,
) -> AppResult<Option<db::polls::Poll>> {
    let has_poll = state
        .db
        .run(move |c| Ok(db::polls::by_status(c, id)?.is_some()))
        .await?;
    let poll_row = poll.map(|p| p.row(id, now())).transpose()?;
    if let Some(ids) = media_ids {
        crate::service::media::check_for_status(ids, has_poll || poll_row.is_some())?;
    } else if poll_row.is_some() && files_of(state, id).await? > 0 {
        return Err(invalid_field(
            "poll",
            "a status with files cannot have a poll",
        ));
    }
    Ok(poll_row)
}
