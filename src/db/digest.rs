//! What a digest gathers from a person's communities over a period: the most
//! discussed new threads (by replies and likes, counted together, never by who),
//! upcoming events, new documents.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    schema::{actors, documents, events, follows, statuses},
    statuses::Status,
};

/// The communities `person` belongs to (accepted joins).
pub fn communities_of(conn: &mut DbConn, person: i64) -> QueryResult<Vec<i64>> {
    follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::target_id)))
        .filter(follows::follower_id.eq(person))
        .filter(follows::state.eq(super::follows::ACCEPTED))
        .filter(actors::kind.eq("Group"))
        .filter(actors::deleted_at.is_null())
        .select(actors::id)
        .load(conn)
}

/// Threads started in `communities` during `(since, until]`, the most
/// discussed first (replies and likes), then the newest.
pub fn top_threads(
    conn: &mut DbConn,
    communities: &[i64],
    (since, until): (NaiveDateTime, NaiveDateTime),
    limit: i64,
) -> QueryResult<Vec<Status>> {
    statuses::table
        .filter(statuses::community_id.eq_any(communities))
        .filter(statuses::in_reply_to_id.is_null())
        .filter(statuses::title.is_not_null())
        .filter(statuses::created_at.gt(since))
        .filter(statuses::created_at.le(until))
        .filter(statuses::deleted_at.is_null())
        .filter(statuses::removed.eq(false))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            documents::table.filter(documents::status_id.eq(statuses::id)),
        )))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            events::table.filter(events::status_id.eq(statuses::id)),
        )))
        .order((
            (statuses::replies_count + statuses::favourites_count).desc(),
            statuses::id.desc(),
        ))
        .limit(limit)
        .select(Status::as_select())
        .load(conn)
}

/// Events of `communities` starting in `(from, to]`, soonest first, with their start.
pub fn upcoming_events(
    conn: &mut DbConn,
    communities: &[i64],
    (from, to): (NaiveDateTime, NaiveDateTime),
    limit: i64,
) -> QueryResult<Vec<(Status, NaiveDateTime)>> {
    events::table
        .inner_join(statuses::table.on(statuses::id.eq(events::status_id)))
        .filter(statuses::community_id.eq_any(communities))
        .filter(events::starts_at.gt(from))
        .filter(events::starts_at.le(to))
        .filter(events::cancelled_at.is_null())
        .filter(statuses::deleted_at.is_null())
        .filter(statuses::removed.eq(false))
        .order(events::starts_at.asc())
        .limit(limit)
        .select((Status::as_select(), events::starts_at))
        .load(conn)
}

/// Documents added to `communities` during `(since, until]`, newest first.
pub fn new_documents(
    conn: &mut DbConn,
    communities: &[i64],
    (since, until): (NaiveDateTime, NaiveDateTime),
    limit: i64,
) -> QueryResult<Vec<Status>> {
    documents::table
        .inner_join(statuses::table.on(statuses::id.eq(documents::status_id)))
        .filter(statuses::community_id.eq_any(communities))
        .filter(statuses::created_at.gt(since))
        .filter(statuses::created_at.le(until))
        .filter(statuses::deleted_at.is_null())
        .filter(statuses::removed.eq(false))
        .order(statuses::id.desc())
        .limit(limit)
        .select(Status::as_select())
        .load(conn)
}
