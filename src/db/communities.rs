//! Community roles and bans.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    actors::Actor,
    schema::{actors, community_bans, community_roles},
};

pub const OWNER: &str = "owner";
pub const MODERATOR: &str = "moderator";

pub fn role(conn: &mut DbConn, community_id: i64, actor_id: i64) -> QueryResult<Option<String>> {
    community_roles::table
        .find((community_id, actor_id))
        .select(community_roles::role)
        .first(conn)
        .optional()
}

pub fn set_role(
    conn: &mut DbConn,
    community_id: i64,
    actor_id: i64,
    role: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(community_roles::table.find((community_id, actor_id))).execute(conn)?;
    diesel::insert_into(community_roles::table)
        .values((
            community_roles::community_id.eq(community_id),
            community_roles::actor_id.eq(actor_id),
            community_roles::role.eq(role),
            community_roles::created_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn remove_role(conn: &mut DbConn, community_id: i64, actor_id: i64) -> QueryResult<usize> {
    diesel::delete(community_roles::table.find((community_id, actor_id))).execute(conn)
}

pub fn moderators(conn: &mut DbConn, community_id: i64) -> QueryResult<Vec<Actor>> {
    community_roles::table
        .inner_join(actors::table.on(actors::id.eq(community_roles::actor_id)))
        .filter(community_roles::community_id.eq(community_id))
        .order(community_roles::created_at)
        .select(Actor::as_select())
        .load(conn)
}

pub fn is_banned(conn: &mut DbConn, community_id: i64, actor_id: i64) -> QueryResult<bool> {
    let n: i64 = community_bans::table
        .find((community_id, actor_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn ban(
    conn: &mut DbConn,
    community_id: i64,
    actor_id: i64,
    reason: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    if is_banned(conn, community_id, actor_id)? {
        return Ok(());
    }
    diesel::insert_into(community_bans::table)
        .values((
            community_bans::community_id.eq(community_id),
            community_bans::actor_id.eq(actor_id),
            community_bans::reason.eq(reason),
            community_bans::created_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn unban(conn: &mut DbConn, community_id: i64, actor_id: i64) -> QueryResult<usize> {
    diesel::delete(community_bans::table.find((community_id, actor_id))).execute(conn)
}
