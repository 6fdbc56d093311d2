//! Idempotency keys of posted statuses (`Idempotency-Key`, as Mastodon honours it).

use chrono::{Duration, NaiveDateTime};
use diesel::{Connection, prelude::*};

use super::{DbConn, is_unique_violation, schema::idempotency_keys as k};

/// How long a key keeps answering with the same status.
pub const LIFETIME: Duration = Duration::hours(1);

/// The status posted with this key within its lifetime, if any.
pub fn find(
    conn: &mut DbConn,
    actor_id: i64,
    key: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    k::table
        .find((actor_id, key))
        .filter(k::created_at.gt(now - LIFETIME))
        .select(k::status_id)
        .first(conn)
        .optional()
}

/// Records the key for a status just posted (inside its write transaction); false
/// if a concurrent request with the same key got there first. An expired key is
/// taken over.
pub fn claim(
    conn: &mut DbConn,
    actor_id: i64,
    key: &str,
    status_id: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::delete(
        k::table
            .find((actor_id, key))
            .filter(k::created_at.le(now - LIFETIME)),
    )
    .execute(conn)?;
    // A savepoint, so a lost race leaves the enclosing transaction usable.
    let inserted = conn.transaction(|c| {
        diesel::insert_into(k::table)
            .values((
                k::actor_id.eq(actor_id),
                k::key.eq(key),
                k::status_id.eq(status_id),
                k::created_at.eq(now),
            ))
            .execute(c)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}
