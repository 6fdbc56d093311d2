//! Blocks (either side may be remote) and mutes (local, private).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    actors::Actor,
    schema::{blocks, mutes},
    views::Page,
};
use crate::model::id::new_id;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = blocks)]
pub struct Block {
    pub id: i64,
    pub actor_id: i64,
    pub target_id: i64,
    pub ap_id: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn find_block(conn: &mut DbConn, actor_id: i64, target_id: i64) -> QueryResult<Option<Block>> {
    blocks::table
        .filter(blocks::actor_id.eq(actor_id))
        .filter(blocks::target_id.eq(target_id))
        .select(Block::as_select())
        .first(conn)
        .optional()
}

/// Records the block; false if it already existed.
pub fn block(
    conn: &mut DbConn,
    actor_id: i64,
    target_id: i64,
    ap_id: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    if find_block(conn, actor_id, target_id)?.is_some() {
        return Ok(false);
    }
    diesel::insert_into(blocks::table)
        .values((
            blocks::id.eq(new_id()),
            blocks::actor_id.eq(actor_id),
            blocks::target_id.eq(target_id),
            blocks::ap_id.eq(ap_id),
            blocks::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Removes the block and returns it, if there was one.
pub fn unblock(conn: &mut DbConn, actor_id: i64, target_id: i64) -> QueryResult<Option<Block>> {
    let found = find_block(conn, actor_id, target_id)?;
    if let Some(b) = &found {
        diesel::delete(blocks::table.find(b.id)).execute(conn)?;
    }
    Ok(found)
}

/// Whether either of the two blocks the other.
pub fn between(conn: &mut DbConn, a: i64, b: i64) -> QueryResult<bool> {
    let n: i64 = blocks::table
        .filter(
            blocks::actor_id
                .eq(a)
                .and(blocks::target_id.eq(b))
                .or(blocks::actor_id.eq(b).and(blocks::target_id.eq(a))),
        )
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Mutes `target_id` for `actor_id` (or changes the existing mute).
pub fn mute(
    conn: &mut DbConn,
    actor_id: i64,
    target_id: i64,
    notifications: bool,
    expires_at: Option<NaiveDateTime>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let existing: Option<i64> = mutes::table
        .filter(mutes::actor_id.eq(actor_id))
        .filter(mutes::target_id.eq(target_id))
        .select(mutes::id)
        .first(conn)
        .optional()?;
    match existing {
        Some(id) => diesel::update(mutes::table.find(id))
            .set((
                mutes::notifications.eq(notifications),
                mutes::expires_at.eq(expires_at),
            ))
            .execute(conn)?,
        None => diesel::insert_into(mutes::table)
            .values((
                mutes::id.eq(new_id()),
                mutes::actor_id.eq(actor_id),
                mutes::target_id.eq(target_id),
                mutes::notifications.eq(notifications),
                mutes::expires_at.eq(expires_at),
                mutes::created_at.eq(at),
            ))
            .execute(conn)?,
    };
    Ok(())
}

pub fn unmute(conn: &mut DbConn, actor_id: i64, target_id: i64) -> QueryResult<()> {
    diesel::delete(
        mutes::table
            .filter(mutes::actor_id.eq(actor_id))
            .filter(mutes::target_id.eq(target_id)),
    )
    .execute(conn)
    .map(|_| ())
}

/// Authors whose statuses `viewer` does not get in lists: those they block or
/// mute (mutes still running at `now`) and those who block them. Usually empty.
pub fn hidden_authors(conn: &mut DbConn, viewer: i64, now: NaiveDateTime) -> QueryResult<Vec<i64>> {
    // Both directions of blocking in one round trip (asked on every timeline),
    // off the unique (actor, target) index and `blocks_target`.
    let mut ids: Vec<i64> = blocks::table
        .filter(blocks::actor_id.eq(viewer).or(blocks::target_id.eq(viewer)))
        .select((blocks::actor_id, blocks::target_id))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .map(|(a, t)| if a == viewer { t } else { a })
        .collect();
    ids.extend(
        mutes::table
            .filter(mutes::actor_id.eq(viewer))
            .filter(mutes::expires_at.is_null().or(mutes::expires_at.gt(now)))
            .select(mutes::target_id)
            .load::<i64>(conn)?,
    );
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Of `recipients`, those who do not want to hear from `from`: they block it,
/// it blocks them, or they mute it with its notifications.
pub fn not_hearing_from(
    conn: &mut DbConn,
    recipients: &[i64],
    from: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<i64>> {
    let mut ids: Vec<i64> = blocks::table
        .filter(blocks::target_id.eq(from))
        .filter(blocks::actor_id.eq_any(recipients))
        .select(blocks::actor_id)
        .load(conn)?;
    ids.extend(
        blocks::table
            .filter(blocks::actor_id.eq(from))
            .filter(blocks::target_id.eq_any(recipients))
            .select(blocks::target_id)
            .load::<i64>(conn)?,
    );
    ids.extend(
        mutes::table
            .filter(mutes::target_id.eq(from))
            .filter(mutes::actor_id.eq_any(recipients))
            .filter(mutes::notifications.eq(true))
            .filter(mutes::expires_at.is_null().or(mutes::expires_at.gt(now)))
            .select(mutes::actor_id)
            .load::<i64>(conn)?,
    );
    Ok(ids)
}

/// How `viewer` and `other` stand: (blocking, blocked_by, muting, muting
/// notifications), for the relationship entity.
pub fn relation(
    conn: &mut DbConn,
    viewer: i64,
    other: i64,
    now: NaiveDateTime,
) -> QueryResult<(bool, bool, bool, bool)> {
    let blocking = find_block(conn, viewer, other)?.is_some();
    let blocked_by = find_block(conn, other, viewer)?.is_some();
    let mute: Option<bool> = mutes::table
        .filter(mutes::actor_id.eq(viewer))
        .filter(mutes::target_id.eq(other))
        .filter(mutes::expires_at.is_null().or(mutes::expires_at.gt(now)))
        .select(mutes::notifications)
        .first(conn)
        .optional()?;
    Ok((blocking, blocked_by, mute.is_some(), mute.unwrap_or(false)))
}

/// A page of the accounts `actor_id` blocks, newest block first, paged by the
/// block's id: `(block id, account)`.
pub fn blocked_page(
    conn: &mut DbConn,
    actor_id: i64,
    page: Page,
) -> QueryResult<Vec<(i64, Actor)>> {
    let q = blocks::table
        .filter(blocks::actor_id.eq(actor_id))
        .select((blocks::id, blocks::target_id))
        .into_boxed();
    let rows: Vec<(i64, i64)> = paginate!(q, page, blocks::id).load(conn)?;
    super::actors::with_marks(conn, page.newest_first(rows))
}

/// A page of the accounts `actor_id` mutes (running mutes), newest first:
/// `(mute id, account)`.
pub fn muted_page(
    conn: &mut DbConn,
    actor_id: i64,
    page: Page,
    now: NaiveDateTime,
) -> QueryResult<Vec<(i64, Actor)>> {
    let q = mutes::table
        .filter(mutes::actor_id.eq(actor_id))
        .filter(mutes::expires_at.is_null().or(mutes::expires_at.gt(now)))
        .select((mutes::id, mutes::target_id))
        .into_boxed();
    let rows: Vec<(i64, i64)> = paginate!(q, page, mutes::id).load(conn)?;
    super::actors::with_marks(conn, page.newest_first(rows))
}
