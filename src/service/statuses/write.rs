//! The one write of a new status, local or remote, inside the caller's
//! transaction: the row, its poll and media, mentions, tags, the notifications
//! and conversations it makes, and (for a local one) the event that federates it.

use crate::{
    db::{self, events::Event as EventRow, media::Media, polls::Poll, statuses::Status},
    error::{AppError, AppResult},
    service::events::{self, Event},
};

/// The files of a new status.
pub(super) enum Files {
    /// A local author's uploads, by id, in order.
    Uploads(Vec<i64>),
    /// A remote status's attachments, by URL.
    Remote(Vec<Media>),
}

pub(super) struct NewRow<'a> {
    pub status: &'a Status,
    pub poll: Option<&'a Poll>,
    pub event: Option<&'a EventRow>,
    pub survey: Option<&'a crate::service::surveys::SurveyRows>,
    pub document: Option<&'a crate::service::library::changes::DocumentRows>,
    pub files: Files,
    /// Local actors and known remote ones the status mentions or addresses.
    pub mentions: &'a [i64],
    pub tags: &'a [String],
    /// A local client's `Idempotency-Key`, claimed for this status.
    pub idempotency_key: Option<&'a str>,
}

pub(super) fn insert(conn: &mut db::DbConn, new: NewRow<'_>) -> AppResult<()> {
    let s = new.status;
    db::statuses::insert(conn, s)?;
    if let Some(key) = new.idempotency_key
        && !db::idempotency::claim(conn, s.actor_id, key, s.id, s.created_at)?
    {
        // The same request, sent twice at once: the first one stands (the
        // caller answers with it).
        return Err(AppError::new(
            axum::http::StatusCode::CONFLICT,
            "This Idempotency-Key is being used by another request",
        ));
    }
    if let Some(p) = new.poll {
        db::polls::insert(conn, p)?;
    }
    if let Some(e) = new.event {
        db::events::insert(conn, e)?;
    }
    if let Some(s) = new.survey {
        db::surveys::insert(conn, &s.survey, &s.questions)?;
    }
    if let Some(d) = new.document {
        d.write(conn, s)?;
    }
    match &new.files {
        Files::Uploads(ids) => crate::service::media::attach(conn, s.actor_id, s.id, ids)?,
        Files::Remote(rows) => db::media::insert(conn, rows)?,
    }
    db::statuses::set_mentions(conn, s.id, new.mentions)?;
    db::statuses::set_tags(conn, s.id, new.tags, s.created_at)?;
    db::notifications::status_created(conn, s, new.mentions)?;
    db::conversations::status_created(conn, s, new.mentions)?;
    if s.local {
        events::store(conn, &[Event::StatusCreated { status_id: s.id }])?;
    }
    Ok(())
}
