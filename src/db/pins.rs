//! Statuses pinned to their author's profile.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    schema::{pins, statuses},
    statuses::Status,
};

/// Pins `status_id`; false if it already was.
pub fn pin(
    conn: &mut DbConn,
    actor_id: i64,
    status_id: i64,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    if !pinned_ids(conn, actor_id, &[status_id])?.is_empty() {
        return Ok(false);
    }
    diesel::insert_into(pins::table)
        .values((
            pins::actor_id.eq(actor_id),
            pins::status_id.eq(status_id),
            pins::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(true)
}

pub fn unpin(conn: &mut DbConn, actor_id: i64, status_id: i64) -> QueryResult<()> {
    diesel::delete(pins::table.find((actor_id, status_id)))
        .execute(conn)
        .map(|_| ())
}

/// How many live statuses `actor_id` has pinned.
pub fn count(conn: &mut DbConn, actor_id: i64) -> QueryResult<i64> {
    pins::table
        .inner_join(statuses::table)
        .filter(pins::actor_id.eq(actor_id))
        .filter(statuses::deleted_at.is_null())
        .count()
        .get_result(conn)
}

/// Which of `ids` `actor_id` pinned.
pub fn pinned_ids(conn: &mut DbConn, actor_id: i64, ids: &[i64]) -> QueryResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    pins::table
        .filter(pins::actor_id.eq(actor_id))
        .filter(pins::status_id.eq_any(ids))
        .select(pins::status_id)
        .load(conn)
}

/// An account's pinned statuses, newest pin first.
pub fn of(conn: &mut DbConn, actor_id: i64) -> QueryResult<Vec<Status>> {
    pins::table
        .inner_join(statuses::table)
        .filter(pins::actor_id.eq(actor_id))
        .filter(statuses::deleted_at.is_null())
        .filter(statuses::removed.eq(false))
        .order(pins::created_at.desc())
        .select(Status::as_select())
        .load(conn)
}
