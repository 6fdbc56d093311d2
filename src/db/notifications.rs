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
/// A new status of someone one follows with "notify me".
pub const STATUS: &str = "status";
/// A status one boosted was edited.
pub const UPDATE: &str = "update";
/// A poll one voted in or made has ended.
pub const POLL: &str = "poll";
/// An event one is going to starts soon (not among Mastodon's kinds: shown on
/// the web and asked for by name in the API).
pub const EVENT_REMINDER: &str = "event_reminder";
/// Someone asks to join a community one moderates (`community_id`).
pub const JOIN_REQUEST: &str = "join_request";
/// A report to handle: to administrators, and to a community's moderators
/// when it is about content there (Mastodon's kind for administrators).
pub const REPORT: &str = "admin.report";
/// Whether Mastodon apps are shown this kind (API, streaming, push): not
/// reports, whose entity would need Mastodon's `report` object; the web and
/// mail show them.
pub fn for_apps(kind: &str) -> bool {
    kind != REPORT
}

/// What Mastodon clients may filter on (and get when they ask for no kind).
pub const KINDS: [&str; 8] = [
    MENTION,
    FAVOURITE,
    FOLLOW,
    FOLLOW_REQUEST,
    REBLOG,
    STATUS,
    UPDATE,
    POLL,
];

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notifications)]
pub struct Notification {
    pub id: i64,
    pub recipient_id: i64,
    pub from_id: i64,
    pub kind: String,
    pub status_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub community_id: Option<i64>,
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
    let others: Vec<i64> = recipients.iter().copied().filter(|r| *r != from).collect();
    insert(conn, &others, from, kind, status_id, at)
}

fn insert(
    conn: &mut DbConn,
    recipients: &[i64],
    from: i64,
    kind: &str,
    status_id: Option<i64>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    insert_about(conn, recipients, from, kind, (status_id, None), at)
}

/// Notifies those of `recipients` who are local people and do not block or
/// mute `from` (nor are blocked by it), about a status and/or a community.
fn insert_about(
    conn: &mut DbConn,
    recipients: &[i64],
    from: i64,
    kind: &str,
    (status_id, community_id): (Option<i64>, Option<i64>),
    at: NaiveDateTime,
) -> QueryResult<()> {
    // Most statuses mention nobody: no query on that path.
    if recipients.is_empty() {
        return Ok(());
    }
    let people: Vec<super::actors::Actor> = actors::table
        .filter(actors::id.eq_any(recipients))
        .filter(actors::local.eq(true))
        .filter(actors::kind.eq("Person"))
        .select(super::actors::Actor::as_select())
        .load(conn)?;
    // Only those who may read the status hear of it (a members community's post
    // mentioning an outsider tells the outsider nothing).
    let status = match status_id {
        Some(id) => super::statuses::by_id(conn, id)?,
        None => None,
    };
    let mut local = Vec::with_capacity(people.len());
    for p in &people {
        if status
            .as_ref()
            .map_or(Ok(true), |s| super::visibility::can_see(conn, s, Some(p)))?
        {
            local.push(p.id);
        }
    }
    let unwilling = super::blocks::not_hearing_from(conn, &local, from, at)?;
    let willing: Vec<i64> = local
        .into_iter()
        .filter(|r| !unwilling.contains(r))
        .collect();
    let subscriptions = super::push::of_actors(conn, &willing)?;
    for recipient_id in willing {
        let id = new_id();
        diesel::insert_into(notifications::table)
            .values(Notification {
                id,
                recipient_id,
                from_id: from,
                kind: kind.into(),
                status_id,
                created_at: at,
                community_id,
            })
            .execute(conn)?;
        super::live::emit(
            conn,
            super::live::Live::Notification {
                id,
                recipient: recipient_id,
            },
        )?;
        for s in subscriptions.iter().filter(|s| s.actor_id == recipient_id) {
            if for_apps(kind) && s.wants(kind) && policy_admits(conn, s, from)? {
                super::push::enqueue(conn, s.id, id, at)?;
            }
        }
    }
    Ok(())
}

/// A subscription's `policy`: from whom its owner wants pushes.
fn policy_admits(conn: &mut DbConn, s: &super::push::Subscription, from: i64) -> QueryResult<bool> {
    match s.policy.as_str() {
        "all" => Ok(true),
        "followed" => super::follows::is_accepted(conn, s.actor_id, from),
        "follower" => super::follows::is_accepted(conn, from, s.actor_id),
        _ => Ok(false),
    }
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
    )?;
    status_posted(conn, status, &recipients)
}

/// A new top-level or public status tells the followers who asked for it
/// (a reply only when it is public, as Mastodon), except those `already` told
/// of it as a mention.
fn status_posted(conn: &mut DbConn, status: &Status, already: &[i64]) -> QueryResult<()> {
    if status.reblog_of_id.is_some()
        || status.visibility == crate::model::visibility::Visibility::Direct
        || (status.in_reply_to_id.is_some()
            && status.visibility != crate::model::visibility::Visibility::Public)
    {
        return Ok(());
    }
    let followers: Vec<i64> = super::follows::notified_followers(conn, status.actor_id)?
        .into_iter()
        .filter(|f| !already.contains(f))
        .collect();
    notify(
        conn,
        &followers,
        status.actor_id,
        STATUS,
        Some(status.id),
        status.created_at,
    )
}

/// An edit tells the people who boosted the status.
pub fn status_edited(conn: &mut DbConn, status: &Status, at: NaiveDateTime) -> QueryResult<()> {
    let boosters: Vec<i64> = statuses::table
        .filter(statuses::reblog_of_id.eq(status.id))
        .filter(statuses::deleted_at.is_null())
        .select(statuses::actor_id)
        .load(conn)?;
    notify(
        conn,
        &boosters,
        status.actor_id,
        UPDATE,
        Some(status.id),
        at,
    )
}

/// A poll's end tells its author and the local people who voted, once (the
/// `poll_endings` row, inserted here, says it was done).
pub fn poll_ended(conn: &mut DbConn, status: &Status, at: NaiveDateTime) -> QueryResult<()> {
    use super::schema::{poll_endings, poll_votes};
    let done: i64 = poll_endings::table
        .find(status.id)
        .count()
        .get_result(conn)?;
    if done > 0 {
        return Ok(());
    }
    diesel::insert_into(poll_endings::table)
        .values((
            poll_endings::status_id.eq(status.id),
            poll_endings::notified_at.eq(at),
        ))
        .execute(conn)?;
    let mut recipients: Vec<i64> = poll_votes::table
        .filter(poll_votes::status_id.eq(status.id))
        .select(poll_votes::actor_id)
        .load(conn)?;
    recipients.push(status.actor_id);
    recipients.sort_unstable();
    recipients.dedup();
    insert(
        conn,
        &recipients,
        status.actor_id,
        POLL,
        Some(status.id),
        at,
    )
}

/// Reminds `recipient` that event `status` starts soon.
pub fn event_reminder(
    conn: &mut DbConn,
    status: &Status,
    recipient: i64,
    at: NaiveDateTime,
) -> QueryResult<()> {
    insert(
        conn,
        &[recipient],
        status.actor_id,
        EVENT_REMINDER,
        Some(status.id),
        at,
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
    notify(conn, &[target], follower, kind, None, at)?;
    // A request to join a community goes to those who decide: its owner and moderators.
    if accepted {
        return Ok(());
    }
    let community = super::actors::by_id(conn, target)?;
    if community.local && community.kind == "Group" {
        let deciders = super::communities::deciders(conn, target)?;
        insert_about(
            conn,
            &deciders,
            follower,
            JOIN_REQUEST,
            (None, Some(target)),
            at,
        )?;
    }
    Ok(())
}

/// A new report goes to the administrators, and to the moderators of the
/// (local) community it is about.
pub fn reported(conn: &mut DbConn, report: &super::reports::Report) -> QueryResult<()> {
    let mut recipients = super::users::admin_actor_ids(conn)?;
    if let Some(cid) = report.community_id {
        recipients.extend(super::communities::deciders(conn, cid)?);
    }
    recipients.sort_unstable();
    recipients.dedup();
    recipients.retain(|r| *r != report.target_id);
    // Ids are kept as strings (local reports) or numbers (from a Flag).
    let first_status = serde_json::from_str::<Vec<serde_json::Value>>(&report.status_ids)
        .ok()
        .and_then(|ids| ids.into_iter().next())
        .and_then(|id| id.as_i64().or_else(|| id.as_str()?.parse().ok()));
    insert_about(
        conn,
        &recipients,
        report.reporter_id,
        REPORT,
        (first_status, report.community_id),
        report.created_at,
    )
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
        .into_boxed()
        // A suspended account's notifications are hidden until it is reinstated.
        .filter(notifications::from_id.ne_all(super::erasure::suspended_ids_query()));
    if let Some(f) = from {
        q = q.filter(notifications::from_id.eq(f));
    }
    Ok(page.newest_first(paginate!(q, page, notifications::id).load(conn)?))
}

/// `recipient`'s notifications after `after_id`, oldest first (for alerts).
pub fn after(
    conn: &mut DbConn,
    recipient: i64,
    after_id: i64,
    limit: i64,
) -> QueryResult<Vec<Notification>> {
    notifications::table
        .filter(notifications::recipient_id.eq(recipient))
        .filter(notifications::id.gt(after_id))
        .order(notifications::id.asc())
        .limit(limit)
        .select(Notification::as_select())
        .load(conn)
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
