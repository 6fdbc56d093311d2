//! Hashtags, and the ones people follow.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    schema::{tag_follows, tags},
    views::Page,
};
use crate::model::id::new_id;

/// The id of tag `name` (lower case), created if new.
pub fn find_or_create(conn: &mut DbConn, name: &str, at: NaiveDateTime) -> QueryResult<i64> {
    let existing: Option<i64> = tags::table
        .filter(tags::name.eq(name))
        .select(tags::id)
        .first(conn)
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let id = new_id();
    diesel::insert_into(tags::table)
        .values((
            tags::id.eq(id),
            tags::name.eq(name),
            tags::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn follow(conn: &mut DbConn, actor_id: i64, name: &str, at: NaiveDateTime) -> QueryResult<()> {
    let tag_id = find_or_create(conn, name, at)?;
    let n: i64 = tag_follows::table
        .filter(tag_follows::actor_id.eq(actor_id))
        .filter(tag_follows::tag_id.eq(tag_id))
        .count()
        .get_result(conn)?;
    if n == 0 {
        diesel::insert_into(tag_follows::table)
            .values((
                tag_follows::id.eq(new_id()),
                tag_follows::actor_id.eq(actor_id),
                tag_follows::tag_id.eq(tag_id),
                tag_follows::created_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn unfollow(conn: &mut DbConn, actor_id: i64, name: &str) -> QueryResult<()> {
    let tag = tags::table.filter(tags::name.eq(name)).select(tags::id);
    diesel::delete(
        tag_follows::table
            .filter(tag_follows::actor_id.eq(actor_id))
            .filter(tag_follows::tag_id.eq_any(tag)),
    )
    .execute(conn)
    .map(|_| ())
}

/// Which of `names` `actor_id` follows.
pub fn following(conn: &mut DbConn, actor_id: i64, names: &[String]) -> QueryResult<Vec<String>> {
    tag_follows::table
        .inner_join(tags::table)
        .filter(tag_follows::actor_id.eq(actor_id))
        .filter(tags::name.eq_any(names))
        .select(tags::name)
        .load(conn)
}

/// The ids of the tags `actor_id` follows (for the home timeline).
pub fn followed_ids(conn: &mut DbConn, actor_id: i64) -> QueryResult<Vec<i64>> {
    tag_follows::table
        .filter(tag_follows::actor_id.eq(actor_id))
        .select(tag_follows::tag_id)
        .load(conn)
}

/// A page of the tags `actor_id` follows, newest first: `(follow id, name)`.
pub fn followed_page(
    conn: &mut DbConn,
    actor_id: i64,
    page: Page,
) -> QueryResult<Vec<(i64, String)>> {
    let q = tag_follows::table
        .inner_join(tags::table)
        .filter(tag_follows::actor_id.eq(actor_id))
        .select((tag_follows::id, tags::name))
        .into_boxed();
    Ok(page.newest_first(paginate!(q, page, tag_follows::id).load(conn)?))
}

/// Names of tags like `pattern` (lower case, as tag names are).
pub fn names_like(conn: &mut DbConn, pattern: &str, limit: i64) -> QueryResult<Vec<String>> {
    tags::table
        .filter(tags::name.like(pattern))
        .limit(limit)
        .select(tags::name)
        .load(conn)
}
