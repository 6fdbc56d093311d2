//! Notifications of local people, and their read markers.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    schema::{actors, markers, notifications, statuses},
    statuses::Status,
    views::Page,
};
use crate::model::id::new_id;

pub const MENTION: &str = "mention";
pub const FAVOURITE: &str = "favourite";
pub const FOLLOW: &str = "follow";
pub const FOLLOW_REQUEST: &str = "follow_request";
pub const REBLOG: &str = "reblog";
/// What clients may filter on; every kind we write is here.
pub const KINDS: [&str; 5] = [MENTION, FAVOURITE, FOLLOW, FOLLOW_REQUEST, REBLOG];

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notifications)]
pub struct Notification {
    pub id: i64,
    pub recipient_id: i64,
    pub from_id: i64,
    pub kind: String,
    pub status_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// Notifies `recipients` who are local people, except `from` itself and those
/// who block or mute it (or whom it blocks).
fn notify(
    conn: &mut DbConn,
    recipients: &[i64],
    from: i64,
    kind: &str,
    status_id: Option<i64>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    // Most statuses mention nobody: no query on that path.
    if recipients.is_empty() {
        return Ok(());
    }
    let local: Vec<i64> = actors::table
        .filter(actors::id.eq_any(recipients))
        .filter(actors::local.eq(true))
        .filter(actors::kind.eq("Person"))
        .filter(actors::id.ne(from))
        .select(actors::id)
        .load(conn)?;
    let unwilling = super::blocks::not_hearing_from(conn, &local, from, at)?;
    for recipient_id in local.into_iter().filter(|r| !unwilling.contains(r)) {
        let id = new_id();
        diesel::insert_into(notifications::table)
            .values(Notification {
                id,
                recipient_id,
                from_id: from,
                kind: kind.into(),
                status_id,
                created_at: at,
            })
            .execute(conn)?;
        super::live::emit(
            conn,
            super::live::Live::Notification {
                id,
                recipient: recipient_id,
            },
        )?;
    }
    Ok(())
}

/// A new status tells the people it mentions and the author of what it answers.
pub fn status_created(conn: &mut DbConn, status: &Status, mentioned: &[i64]) -> QueryResult<()> {
    let mut recipients = mentioned.to_vec();
    if let Some(parent) = status.in_reply_to_id {
        let author = statuses::table
            .find(parent)
            .select(statuses::actor_id)
            .first::<i64>(conn)
            .optional()?;
        recipients.extend(author);
    }
    recipients.sort_unstable();
    recipients.dedup();
    notify(
        conn,
        &recipients,
        status.actor_id,
        MENTION,
        Some(status.id),
        status.created_at,
    )
}

/// A boost tells the status's author.
pub fn reblogged(conn: &mut DbConn, by: i64, status_id: i64, at: NaiveDateTime) -> QueryResult<()> {
    let author: i64 = statuses::table
        .find(status_id)
        .select(statuses::actor_id)
        .first(conn)?;
    notify(conn, &[author], by, REBLOG, Some(status_id), at)
}

/// A new favourite tells the status's author.
pub fn favourited(
    conn: &mut DbConn,
    by: i64,
    status_id: i64,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let author: i64 = statuses::table
        .find(status_id)
        .select(statuses::actor_id)
        .first(conn)?;
    notify(conn, &[author], by, FAVOURITE, Some(status_id), at)
}

/// A new follow, or a request when the person approves followers.
pub fn followed(
    conn: &mut DbConn,
    follower: i64,
    target: i64,
    accepted: bool,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let kind = if accepted { FOLLOW } else { FOLLOW_REQUEST };
    notify(conn, &[target], follower, kind, None, at)
}

/// Removes `recipient`'s notifications from `from` (who they just blocked).
pub fn forget_from(conn: &mut DbConn, recipient: i64, from: i64) -> QueryResult<usize> {
    diesel::delete(
        notifications::table
            .filter(notifications::recipient_id.eq(recipient))
            .filter(notifications::from_id.eq(from)),
    )
    .execute(conn)
}

/// A page of someone's notifications, newest first, of the given kinds, leaving
/// out those whose status is gone.
pub fn page(
    conn: &mut DbConn,
    recipient: i64,
    kinds: &[String],
    from: Option<i64>,
    page: Page,
) -> QueryResult<Vec<Notification>> {
    let mut q = notifications::table
        .left_join(statuses::table)
        .filter(notifications::recipient_id.eq(recipient))
        .filter(notifications::kind.eq_any(kinds))
        .filter(
            notifications::status_id.is_null().or(statuses::deleted_at
                .is_null()
                .and(statuses::removed.eq(false))),
        )
        .select(Notification::as_select())
        .into_boxed();
    if let Some(f) = from {
        q = q.filter(notifications::from_id.eq(f));
    }
    Ok(page.newest_first(paginate!(q, page, notifications::id).load(conn)?))
}

pub fn by_id(conn: &mut DbConn, recipient: i64, id: i64) -> QueryResult<Option<Notification>> {
    notifications::table
        .filter(notifications::id.eq(id))
        .filter(notifications::recipient_id.eq(recipient))
        .select(Notification::as_select())
        .first(conn)
        .optional()
}

/// Removes one (`Some(id)`) or all of someone's notifications; how many went.
pub fn dismiss(conn: &mut DbConn, recipient: i64, id: Option<i64>) -> QueryResult<usize> {
    let mine = notifications::table.filter(notifications::recipient_id.eq(recipient));
    match id {
        Some(id) => diesel::delete(mine.filter(notifications::id.eq(id))).execute(conn),
        None => diesel::delete(mine).execute(conn),
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = markers)]
pub struct Marker {
    pub timeline: String,
    pub last_read_id: i64,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

pub fn markers(conn: &mut DbConn, actor_id: i64, timelines: &[String]) -> QueryResult<Vec<Marker>> {
    markers::table
        .filter(markers::actor_id.eq(actor_id))
        .filter(markers::timeline.eq_any(timelines))
        .select(Marker::as_select())
        .load(conn)
}

/// Moves a marker (call in a write transaction); its version counts the moves.
pub fn set_marker(
    conn: &mut DbConn,
    actor_id: i64,
    timeline: &str,
    last_read_id: i64,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let current = markers::table
        .find((actor_id, timeline))
        .select(markers::version)
        .first::<i32>(conn)
        .optional()?;
    match current {
        Some(v) => diesel::update(markers::table.find((actor_id, timeline)))
            .set((
                markers::last_read_id.eq(last_read_id),
                markers::version.eq(v + 1),
                markers::updated_at.eq(at),
            ))
            .execute(conn)?,
        None => diesel::insert_into(markers::table)
            .values((
                markers::actor_id.eq(actor_id),
                markers::timeline.eq(timeline),
                markers::last_read_id.eq(last_read_id),
                markers::version.eq(0),
                markers::updated_at.eq(at),
            ))
            .execute(conn)?,
    };
    Ok(())
}
