//! Events (a status with a date) and the answers people give them. Counts are
//! aggregates; who answered what is read only for the organiser's list.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    schema::{calendar_feeds, event_answers, events, statuses},
    statuses::Status,
};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = events)]
pub struct Event {
    pub status_id: i64,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    /// The organiser's time zone (IANA name): how the event is shown and written in calendars.
    pub time_zone: String,
    pub all_day: bool,
    pub location: String,
    pub online_url: Option<String>,
    pub capacity: Option<i64>,
    pub cancelled_at: Option<NaiveDateTime>,
    /// Changes made by the organiser so far (iCalendar `SEQUENCE`).
    pub sequence: i32,
    /// Participants as the event's server counts them; `None` for ours.
    pub remote_going: Option<i64>,
}

impl Event {
    pub fn is_local(&self) -> bool {
        self.remote_going.is_none()
    }
}

/// An answer: going, maybe or declined.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = event_answers)]
pub struct Answer {
    pub status_id: i64,
    pub actor_id: i64,
    pub answer: String,
    pub waitlisted: bool,
    pub ap_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub reminded_at: Option<NaiveDateTime>,
}

pub const GOING: &str = "going";
pub const MAYBE: &str = "maybe";
pub const DECLINED: &str = "declined";

/// How many answered what (going counts only those with a place).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub going: i64,
    pub maybe: i64,
    pub declined: i64,
    pub waitlisted: i64,
}

pub fn insert(conn: &mut DbConn, e: &Event) -> QueryResult<()> {
    diesel::insert_into(events::table)
        .values(e)
        .execute(conn)
        .map(|_| ())
}

/// The organiser changed the date, place or capacity: a new sequence number.
pub fn update_local(conn: &mut DbConn, e: &Event) -> QueryResult<()> {
    diesel::update(events::table.find(e.status_id))
        .set((
            events::starts_at.eq(e.starts_at),
            events::ends_at.eq(e.ends_at),
            events::time_zone.eq(&e.time_zone),
            events::all_day.eq(e.all_day),
            events::location.eq(&e.location),
            events::online_url.eq(&e.online_url),
            events::capacity.eq(e.capacity),
            events::sequence.eq(events::sequence + 1),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Cancels (or, with `None`, reinstates) an event.
pub fn set_cancelled(
    conn: &mut DbConn,
    status_id: i64,
    at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(events::table.find(status_id))
        .set((
            events::cancelled_at.eq(at),
            events::sequence.eq(events::sequence + 1),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A remote event as its server now describes it (its row replaced whole).
pub fn set_remote(conn: &mut DbConn, e: &Event) -> QueryResult<()> {
    diesel::delete(events::table.find(e.status_id))
        .filter(events::remote_going.is_not_null())
        .execute(conn)?;
    let exists: i64 = events::table.find(e.status_id).count().get_result(conn)?;
    if exists == 0 {
        insert(conn, e)?;
    }
    Ok(())
}

pub fn by_status(conn: &mut DbConn, status_id: i64) -> QueryResult<Option<Event>> {
    events::table
        .find(status_id)
        .select(Event::as_select())
        .first(conn)
        .optional()
}

pub fn by_status_ids(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Event>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    events::table
        .filter(events::status_id.eq_any(ids))
        .select(Event::as_select())
        .load(conn)
}

/// Live events of a community from `from` on (oldest first), or before it
/// (newest first), at most `limit`.
pub fn in_community(
    conn: &mut DbConn,
    community_id: i64,
    from: NaiveDateTime,
    upcoming: bool,
    limit: i64,
) -> QueryResult<Vec<(Event, Status)>> {
    let q = events::table
        .inner_join(statuses::table)
        .filter(statuses::community_id.eq(community_id))
        .filter(statuses::deleted_at.is_null())
        .select((Event::as_select(), Status::as_select()))
        .limit(limit)
        .into_boxed();
    let q = if upcoming {
        // An event still running counts as upcoming.
        q.filter(events::ends_at.ge(from).or(events::starts_at.ge(from)))
            .order(events::starts_at.asc())
    } else {
        q.filter(events::starts_at.lt(from))
            .filter(events::ends_at.lt(from).or(events::ends_at.is_null()))
            .order(events::starts_at.desc())
    };
    q.load(conn)
}

/// Live events starting in `[from, to)` of a community, oldest first.
pub fn in_community_between(
    conn: &mut DbConn,
    community_id: i64,
    (from, to): (NaiveDateTime, NaiveDateTime),
    limit: i64,
) -> QueryResult<Vec<(Event, Status)>> {
    events::table
        .inner_join(statuses::table)
        .filter(statuses::community_id.eq(community_id))
        .filter(statuses::deleted_at.is_null())
        .filter(events::starts_at.ge(from))
        .filter(events::starts_at.lt(to))
        .order(events::starts_at.asc())
        .limit(limit)
        .select((Event::as_select(), Status::as_select()))
        .load(conn)
}

/// Live events a person organises or answered going or maybe to, ending after
/// `from`, oldest first.
pub fn of_person(
    conn: &mut DbConn,
    actor_id: i64,
    from: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(Event, Status)>> {
    let answered = event_answers::table
        .filter(event_answers::actor_id.eq(actor_id))
        .filter(event_answers::answer.ne(DECLINED))
        .select(event_answers::status_id);
    events::table
        .inner_join(statuses::table)
        .filter(statuses::deleted_at.is_null())
        .filter(
            statuses::actor_id
                .eq(actor_id)
                .or(events::status_id.eq_any(answered)),
        )
        .filter(events::ends_at.ge(from).or(events::starts_at.ge(from)))
        .order(events::starts_at.asc())
        .limit(limit)
        .select((Event::as_select(), Status::as_select()))
        .load(conn)
}

pub fn answer_of(conn: &mut DbConn, status_id: i64, actor_id: i64) -> QueryResult<Option<Answer>> {
    event_answers::table
        .find((status_id, actor_id))
        .select(Answer::as_select())
        .first(conn)
        .optional()
}

/// Records an answer, replacing an earlier one.
pub fn set_answer(conn: &mut DbConn, a: &Answer) -> QueryResult<()> {
    remove_answer(conn, a.status_id, a.actor_id)?;
    diesel::insert_into(event_answers::table)
        .values(a)
        .execute(conn)
        .map(|_| ())
}

pub fn remove_answer(conn: &mut DbConn, status_id: i64, actor_id: i64) -> QueryResult<bool> {
    diesel::delete(event_answers::table.find((status_id, actor_id)))
        .execute(conn)
        .map(|n| n > 0)
}

/// The answer carried by the activity with this id.
pub fn answer_by_ap_id(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<Answer>> {
    event_answers::table
        .filter(event_answers::ap_id.eq(ap_id))
        .select(Answer::as_select())
        .first(conn)
        .optional()
}

/// Counts per event, in two grouped queries for all of them.
pub fn counts(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, Counts>> {
    let mut out: HashMap<i64, Counts> = ids.iter().map(|i| (*i, Counts::default())).collect();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows: Vec<(i64, String, bool, i64)> = event_answers::table
        .filter(event_answers::status_id.eq_any(ids))
        .group_by((
            event_answers::status_id,
            event_answers::answer,
            event_answers::waitlisted,
        ))
        .select((
            event_answers::status_id,
            event_answers::answer,
            event_answers::waitlisted,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    for (id, answer, waitlisted, n) in rows {
        let c = out.entry(id).or_default();
        match (answer.as_str(), waitlisted) {
            (GOING, true) => c.waitlisted += n,
            (GOING, false) => c.going += n,
            (MAYBE, _) => c.maybe += n,
            _ => c.declined += n,
        }
    }
    Ok(out)
}

/// Every answer to an event, oldest first (for its organiser and moderators).
pub fn answers(conn: &mut DbConn, status_id: i64) -> QueryResult<Vec<Answer>> {
    event_answers::table
        .filter(event_answers::status_id.eq(status_id))
        .order(event_answers::created_at.asc())
        .select(Answer::as_select())
        .load(conn)
}

/// The answers `actor_id` gave to these events.
pub fn own_answers(conn: &mut DbConn, actor_id: i64, ids: &[i64]) -> QueryResult<Vec<Answer>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    event_answers::table
        .filter(event_answers::actor_id.eq(actor_id))
        .filter(event_answers::status_id.eq_any(ids))
        .select(Answer::as_select())
        .load(conn)
}

/// Gives a place to the longest-waiting people while there is room; returns them.
pub fn promote_waitlisted(
    conn: &mut DbConn,
    status_id: i64,
    free: i64,
) -> QueryResult<Vec<Answer>> {
    if free <= 0 {
        return Ok(vec![]);
    }
    let next: Vec<Answer> = event_answers::table
        .filter(event_answers::status_id.eq(status_id))
        .filter(event_answers::waitlisted.eq(true))
        .order(event_answers::created_at.asc())
        .limit(free)
        .select(Answer::as_select())
        .load(conn)?;
    for a in &next {
        diesel::update(event_answers::table.find((a.status_id, a.actor_id)))
            .set(event_answers::waitlisted.eq(false))
            .execute(conn)?;
    }
    Ok(next)
}

/// Local people going to a live, uncancelled event that starts in `[from, to)`
/// and who were not reminded yet: (event, person).
pub fn reminders_due(
    conn: &mut DbConn,
    (from, to): (NaiveDateTime, NaiveDateTime),
    limit: i64,
) -> QueryResult<Vec<(i64, i64)>> {
    use super::schema::actors;
    event_answers::table
        .inner_join(events::table.inner_join(statuses::table))
        .inner_join(actors::table.on(actors::id.eq(event_answers::actor_id)))
        .filter(actors::local.eq(true))
        .filter(event_answers::answer.eq(GOING))
        .filter(event_answers::waitlisted.eq(false))
        .filter(event_answers::reminded_at.is_null())
        .filter(events::cancelled_at.is_null())
        .filter(events::starts_at.ge(from))
        .filter(events::starts_at.lt(to))
        .filter(statuses::deleted_at.is_null())
        .limit(limit)
        .select((event_answers::status_id, event_answers::actor_id))
        .load(conn)
}

/// Marks a reminder sent; false when another node sent it first.
pub fn mark_reminded(
    conn: &mut DbConn,
    status_id: i64,
    actor_id: i64,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(event_answers::table.find((status_id, actor_id)))
        .filter(event_answers::reminded_at.is_null())
        .set(event_answers::reminded_at.eq(at))
        .execute(conn)
        .map(|n| n == 1)
}

/// The token of a person's calendar feed, if they made one.
pub fn feed_token(conn: &mut DbConn, user_id: i64) -> QueryResult<Option<String>> {
    calendar_feeds::table
        .find(user_id)
        .select(calendar_feeds::token)
        .first(conn)
        .optional()
}

/// A new feed token for a person (the old one stops working).
pub fn set_feed_token(
    conn: &mut DbConn,
    user_id: i64,
    token: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(calendar_feeds::table.find(user_id)).execute(conn)?;
    diesel::insert_into(calendar_feeds::table)
        .values((
            calendar_feeds::user_id.eq(user_id),
            calendar_feeds::token.eq(token),
            calendar_feeds::created_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The person whose feed token this is.
pub fn reader_by_feed_token(
    conn: &mut DbConn,
    token: &str,
) -> QueryResult<Option<super::actors::Actor>> {
    use super::schema::{actors, users};
    calendar_feeds::table
        .inner_join(users::table.on(users::id.eq(calendar_feeds::user_id)))
        .inner_join(actors::table.on(actors::id.eq(users::actor_id)))
        .filter(calendar_feeds::token.eq(token))
        .filter(users::disabled.eq(false))
        .select(super::actors::Actor::as_select())
        .first(conn)
        .optional()
}
