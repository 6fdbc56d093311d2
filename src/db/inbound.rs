//! Durable inbound jobs: activities the inbox verified, waiting to be applied.
//!
//! Claimed with a lease like deliveries (see `outbox`), so several nodes on one
//! PostgreSQL share the work and a crashed node's jobs are taken up again.

use chrono::NaiveDateTime;
use diesel::{
    prelude::*,
    sql_types::{BigInt, Integer, Text, Timestamp},
};

use super::{DbConn, schema::inbound_jobs};
use crate::model::id::new_id;

pub const PENDING: &str = "pending";
pub const FAILED: &str = "failed";

/// Stores a verified activity; false if the same activity id is already queued
/// or was (a second copy through another route).
pub fn enqueue(
    conn: &mut DbConn,
    activity_ap_id: &str,
    object_key: Option<&str>,
    body: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let known: i64 = inbound_jobs::table
        .filter(inbound_jobs::activity_ap_id.eq(activity_ap_id))
        .count()
        .get_result(conn)?;
    if known > 0 {
        return Ok(false);
    }
    match diesel::insert_into(inbound_jobs::table)
        .values((
            inbound_jobs::id.eq(new_id()),
            inbound_jobs::activity_ap_id.eq(activity_ap_id),
            inbound_jobs::object_key.eq(object_key),
            inbound_jobs::body.eq(body),
            inbound_jobs::state.eq(PENDING),
            inbound_jobs::next_attempt_at.eq(now),
            inbound_jobs::created_at.eq(now),
        ))
        .execute(conn)
    {
        Ok(_) => Ok(true),
        Err(e) if super::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

#[derive(Debug, QueryableByName)]
pub struct DueJob {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub activity_ap_id: String,
    #[diesel(sql_type = Text)]
    pub body: String,
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
}

/// Due, unclaimed jobs that no earlier pending job about the same object
/// precedes (an Update never runs before its Create), oldest first.
pub fn due(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<DueJob>> {
    diesel::sql_query(
        "SELECT j.id, j.activity_ap_id, j.body, j.attempts FROM inbound_jobs j \
         WHERE j.state = 'pending' AND j.next_attempt_at <= $1 \
           AND (j.claimed_until IS NULL OR j.claimed_until < $1) \
           AND NOT EXISTS (SELECT 1 FROM inbound_jobs e WHERE e.object_key = j.object_key \
                 AND e.state = 'pending' AND e.id < j.id) \
         ORDER BY j.id LIMIT $2",
    )
    .bind::<Timestamp, _>(now)
    .bind::<BigInt, _>(limit)
    .load(conn)
}

/// Takes a lease on one job; false if another worker holds it.
pub fn claim(
    conn: &mut DbConn,
    id: i64,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        inbound_jobs::table
            .find(id)
            .filter(inbound_jobs::state.eq(PENDING))
            .filter(
                inbound_jobs::claimed_until
                    .is_null()
                    .or(inbound_jobs::claimed_until.lt(now)),
            ),
    )
    .set(inbound_jobs::claimed_until.eq(lease_until))
    .execute(conn)?;
    Ok(n == 1)
}

/// The job is applied: it leaves the queue and its id is remembered, in one
/// transaction, so a replay afterwards does nothing.
pub fn finish(
    conn: &mut DbConn,
    id: i64,
    activity_ap_id: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(inbound_jobs::table.find(id)).execute(conn)?;
    super::activities::record_received(conn, activity_ap_id, now).map(|_| ())
}

/// Applying failed: try again at `next`, or (`next` = None) give up and keep the
/// job, with its error, for an operator to read.
pub fn failed(
    conn: &mut DbConn,
    id: i64,
    attempts: i32,
    next: Option<NaiveDateTime>,
    error: &str,
) -> QueryResult<()> {
    diesel::update(inbound_jobs::table.find(id))
        .set((
            inbound_jobs::state.eq(if next.is_some() { PENDING } else { FAILED }),
            inbound_jobs::attempts.eq(attempts),
            inbound_jobs::next_attempt_at.eq(next.unwrap_or_else(crate::service::now)),
            inbound_jobs::claimed_until.eq(None::<NaiveDateTime>),
            inbound_jobs::last_error.eq(error),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Jobs waiting (pending) and given up (failed), and the oldest pending job's
/// creation time: for `/metrics` and the admin API.
pub fn depth(conn: &mut DbConn) -> QueryResult<(i64, i64, Option<NaiveDateTime>)> {
    let pending: i64 = inbound_jobs::table
        .filter(inbound_jobs::state.eq(PENDING))
        .count()
        .get_result(conn)?;
    let failed: i64 = inbound_jobs::table
        .filter(inbound_jobs::state.eq(FAILED))
        .count()
        .get_result(conn)?;
    let oldest = inbound_jobs::table
        .filter(inbound_jobs::state.eq(PENDING))
        .select(diesel::dsl::min(inbound_jobs::created_at))
        .first(conn)?;
    Ok((pending, failed, oldest))
}
