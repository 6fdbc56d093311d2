//! Ids of received activities, so a replayed activity does nothing.

use diesel::prelude::*;

use super::{DbConn, schema::received_activities};

/// Whether `ap_id` was received (and applied) before.
pub fn was_received(conn: &mut DbConn, ap_id: &str) -> QueryResult<bool> {
    let seen: i64 = received_activities::table
        .find(ap_id)
        .count()
        .get_result(conn)?;
    Ok(seen > 0)
}

/// Records `ap_id`; returns false if it was already there (a replay).
pub fn record_received(
    conn: &mut DbConn,
    ap_id: &str,
    at: chrono::NaiveDateTime,
) -> QueryResult<bool> {
    if was_received(conn, ap_id)? {
        return Ok(false);
    }
    match diesel::insert_into(received_activities::table)
        .values((
            received_activities::ap_id.eq(ap_id),
            received_activities::received_at.eq(at),
        ))
        .execute(conn)
    {
        Ok(_) => Ok(true),
        // Two deliveries of the same activity racing: the second is the replay.
        Err(e) if super::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}
