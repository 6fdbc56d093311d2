//! Bookmarks, and a person's lists of what they bookmarked or favourited.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    schema::{bookmarks, favourites, statuses},
    statuses::Status,
    views::Page,
};
use crate::model::id::new_id;

/// Adds a bookmark; false if it was there already.
pub fn add(
    conn: &mut DbConn,
    actor_id: i64,
    status_id: i64,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let exists: i64 = bookmarks::table
        .filter(bookmarks::actor_id.eq(actor_id))
        .filter(bookmarks::status_id.eq(status_id))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(bookmarks::table)
        .values((
            bookmarks::id.eq(new_id()),
            bookmarks::actor_id.eq(actor_id),
            bookmarks::status_id.eq(status_id),
            bookmarks::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(true)
}

pub fn remove(conn: &mut DbConn, actor_id: i64, status_id: i64) -> QueryResult<usize> {
    diesel::delete(
        bookmarks::table
            .filter(bookmarks::actor_id.eq(actor_id))
            .filter(bookmarks::status_id.eq(status_id)),
    )
    .execute(conn)
}

/// Which of `status_ids` the person bookmarked.
pub fn bookmarked_ids(
    conn: &mut DbConn,
    actor_id: i64,
    status_ids: &[i64],
) -> QueryResult<Vec<i64>> {
    bookmarks::table
        .filter(bookmarks::actor_id.eq(actor_id))
        .filter(bookmarks::status_id.eq_any(status_ids))
        .select(bookmarks::status_id)
        .load(conn)
}

/// Which list of marked statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marked {
    Bookmarks,
    Favourites,
}

/// A page of a person's bookmarks or favourites, newest mark first, paginated by
/// the mark's id (as Mastodon does): `(mark id, status)`, live statuses only.
pub fn page(
    conn: &mut DbConn,
    actor_id: i64,
    which: Marked,
    page: Page,
) -> QueryResult<Vec<(i64, Status)>> {
    // The two lists differ only in their table.
    macro_rules! marked {
        ($t:ident) => {{
            let q = $t::table
                .inner_join(statuses::table)
                .filter($t::actor_id.eq(actor_id))
                .filter(statuses::deleted_at.is_null())
                .filter(statuses::removed.eq(false))
                .select(($t::id, Status::as_select()))
                .into_boxed();
            Ok(page.newest_first(paginate!(q, page, $t::id).load(conn)?))
        }};
    }
    match which {
        Marked::Bookmarks => marked!(bookmarks),
        Marked::Favourites => marked!(favourites),
    }
}

/// Who favourited a status, newest first, paged by the favourite's id.
pub fn favourited_by(
    conn: &mut DbConn,
    status_id: i64,
    page: Page,
) -> QueryResult<Vec<(i64, super::actors::Actor)>> {
    use super::schema::actors;
    let q = favourites::table
        .inner_join(actors::table.on(actors::id.eq(favourites::actor_id)))
        .filter(favourites::status_id.eq(status_id))
        .select((favourites::id, super::actors::Actor::as_select()))
        .into_boxed();
    Ok(page.newest_first(paginate!(q, page, favourites::id).load(conn)?))
}
