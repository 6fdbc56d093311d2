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

/// (community id, role) of `actor_id` in any of `communities`.
pub fn roles_in(
    conn: &mut DbConn,
    actor_id: i64,
    communities: &[i64],
) -> QueryResult<Vec<(i64, String)>> {
    community_roles::table
        .filter(community_roles::actor_id.eq(actor_id))
        .filter(community_roles::community_id.eq_any(communities))
        .select((community_roles::community_id, community_roles::role))
        .load(conn)
}

/// The names of the local communities `actor_id` owns.
pub fn owned_by(conn: &mut DbConn, actor_id: i64) -> QueryResult<Vec<String>> {
    use super::schema::actors;
    community_roles::table
        .inner_join(actors::table.on(actors::id.eq(community_roles::community_id)))
        .filter(community_roles::actor_id.eq(actor_id))
        .filter(community_roles::role.eq(OWNER))
        .filter(actors::local.eq(true))
        .select(actors::name)
        .load(conn)
}

pub fn set_role(
    conn: &mut DbConn,
    community_id: i64,
    actor_id: i64,
    role: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(community_roles::table.find((community_id, actor_id))).execute(conn)?;
    add_role(conn, community_id, actor_id, role, at)
}

/// Gives a role to someone who has none in the community yet (its owner, as
/// it is created).
pub fn add_role(
    conn: &mut DbConn,
    community_id: i64,
    actor_id: i64,
    role: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
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

/// The local owner and moderators of a community (who decide on join requests
/// and reports), by actor id.
pub fn deciders(conn: &mut DbConn, community_id: i64) -> QueryResult<Vec<i64>> {
    community_roles::table
        .inner_join(actors::table.on(actors::id.eq(community_roles::actor_id)))
        .filter(community_roles::community_id.eq(community_id))
        .filter(community_roles::role.eq_any([OWNER, MODERATOR]))
        .filter(actors::local.eq(true))
        .select(actors::id)
        .load(conn)
}

/// The ActivityPub ids of a community's owner and moderators, first appointed first.
pub fn moderator_ap_ids(conn: &mut DbConn, community_id: i64) -> QueryResult<Vec<String>> {
    community_roles::table
        .inner_join(actors::table.on(actors::id.eq(community_roles::actor_id)))
        .filter(community_roles::community_id.eq(community_id))
        .order(community_roles::created_at)
        .select(actors::ap_id)
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

/// The people banned from a community, with why and when, newest first.
pub fn bans(
    conn: &mut DbConn,
    community_id: i64,
) -> QueryResult<Vec<(Actor, String, NaiveDateTime)>> {
    community_bans::table
        .inner_join(actors::table.on(actors::id.eq(community_bans::actor_id)))
        .filter(community_bans::community_id.eq(community_id))
        .order(community_bans::created_at.desc())
        .select((
            Actor::as_select(),
            community_bans::reason,
            community_bans::created_at,
        ))
        .load(conn)
}

pub fn unban(conn: &mut DbConn, community_id: i64, actor_id: i64) -> QueryResult<usize> {
    diesel::delete(community_bans::table.find((community_id, actor_id))).execute(conn)
}

pub fn is_domain_blocked(conn: &mut DbConn, community_id: i64, domain: &str) -> QueryResult<bool> {
    use super::schema::community_blocked_domains as b;
    let n: i64 = b::table
        .find((community_id, domain))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn block_domain(
    conn: &mut DbConn,
    community_id: i64,
    domain: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    use super::schema::community_blocked_domains as b;
    if is_domain_blocked(conn, community_id, domain)? {
        return Ok(());
    }
    diesel::insert_into(b::table)
        .values((
            b::community_id.eq(community_id),
            b::domain.eq(domain),
            b::created_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Ends every membership of people on `domain` in the community.
pub fn remove_members_on(conn: &mut DbConn, community_id: i64, domain: &str) -> QueryResult<usize> {
    use super::schema::follows;
    let ids: Vec<i64> = actors::table
        .filter(actors::domain.eq(domain))
        .filter(actors::local.eq(false))
        .select(actors::id)
        .load(conn)?;
    diesel::delete(
        follows::table
            .filter(follows::target_id.eq(community_id))
            .filter(follows::follower_id.eq_any(ids)),
    )
    .execute(conn)
}

/// Servers revoked from a community.
pub fn blocked_domains(conn: &mut DbConn, community_id: i64) -> QueryResult<Vec<String>> {
    use super::schema::community_blocked_domains as b;
    b::table
        .filter(b::community_id.eq(community_id))
        .select(b::domain)
        .load(conn)
}

/// Patterns of the servers a `partners` community was opened to by its owner.
pub fn partner_patterns(conn: &mut DbConn, community_id: i64) -> QueryResult<Vec<String>> {
    use super::schema::community_partner_domains as p;
    p::table
        .filter(p::community_id.eq(community_id))
        .order(p::pattern)
        .select(p::pattern)
        .load(conn)
}

/// Adds a partner pattern to a community; false if it was there.
pub fn add_partner_pattern(
    conn: &mut DbConn,
    community_id: i64,
    pattern: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    use super::schema::community_partner_domains as p;
    let n: i64 = p::table
        .find((community_id, pattern))
        .count()
        .get_result(conn)?;
    if n > 0 {
        return Ok(false);
    }
    diesel::insert_into(p::table)
        .values((
            p::community_id.eq(community_id),
            p::pattern.eq(pattern),
            p::created_at.eq(at),
        ))
        .execute(conn)
        .map(|_| true)
}

pub fn remove_partner_pattern(
    conn: &mut DbConn,
    community_id: i64,
    pattern: &str,
) -> QueryResult<bool> {
    use super::schema::community_partner_domains as p;
    diesel::delete(p::table.find((community_id, pattern)))
        .execute(conn)
        .map(|n| n > 0)
}

/// Servers (authorities) with at least one accepted remote member.
pub fn member_domains(conn: &mut DbConn, community_id: i64) -> QueryResult<Vec<String>> {
    use super::schema::{actors, follows};
    actors::table
        .inner_join(follows::table.on(follows::follower_id.eq(actors::id)))
        .filter(follows::target_id.eq(community_id))
        .filter(follows::state.eq("accepted"))
        .filter(actors::local.eq(false))
        .select(actors::domain)
        .distinct()
        .load(conn)
}

/// A community's visibility, which its statuses inherit; a members-only one
/// approves joins, an internal one is not listed.
pub fn set_visibility(
    conn: &mut DbConn,
    community_id: i64,
    visibility: crate::model::visibility::CommunityVisibility,
    at: NaiveDateTime,
) -> QueryResult<()> {
    use super::schema::{actors, statuses};
    use crate::model::visibility::CommunityVisibility as V;
    diesel::update(actors::table.find(community_id))
        .set((
            actors::visibility.eq(visibility.as_str()),
            actors::locked.eq(visibility == V::Members),
            actors::discoverable.eq(visibility != V::Internal),
            actors::updated_at.eq(at),
        ))
        .execute(conn)?;
    diesel::update(statuses::table.filter(statuses::community_id.eq(community_id)))
        .set(statuses::visibility.eq(visibility.as_str()))
        .execute(conn)?;
    Ok(())
}
