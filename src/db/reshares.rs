//! What a community sent about a post, to find its bare re-share again (a
//! moderator's removal takes it back from servers that show only that).

use diesel::prelude::*;

use super::{
    DbConn,
    schema::{deliveries, outbox_activities},
};

/// The bodies of the activities `actor_id` sent about `object_ap_id` to any of
/// `inboxes`, newest first (at most `limit`). Reads through the deliveries'
/// (inbox, object) index.
pub fn sent_about(
    conn: &mut DbConn,
    actor_id: i64,
    object_ap_id: &str,
    inboxes: &[String],
    limit: i64,
) -> QueryResult<Vec<String>> {
    let mut bodies: Vec<(i64, String)> = deliveries::table
        .inner_join(outbox_activities::table)
        .filter(deliveries::inbox.eq_any(inboxes))
        .filter(deliveries::object_ap_id.eq(object_ap_id))
        .filter(outbox_activities::actor_id.eq(actor_id))
        .select((outbox_activities::id, outbox_activities::body))
        .order(outbox_activities::id.desc())
        .limit(limit)
        .load(conn)?;
    bodies.dedup_by_key(|(id, _)| *id);
    Ok(bodies.into_iter().map(|(_, b)| b).collect())
}
