//! Bookmarks, and the lists of what a person marked. Private: nothing federates.

use crate::{
    db::{self, actors::Actor, bookmarks::Marked, statuses::Status, views::Page},
    error::AppResult,
    service::{
        now,
        statuses::{can_see, visible},
    },
    state::AppState,
};

/// Bookmarks a status the person may see (again: no error).
pub async fn bookmark(state: &AppState, actor: &Actor, id: i64) -> AppResult<Status> {
    let status = visible(state, id, Some(actor)).await?;
    let me = actor.id;
    state
        .db
        .write(move |c| Ok(db::bookmarks::add(c, me, id, now())?))
        .await?;
    Ok(status)
}

/// Removes a bookmark, if there was one, from a status the person may see.
pub async fn unbookmark(state: &AppState, actor: &Actor, id: i64) -> AppResult<Status> {
    let status = visible(state, id, Some(actor)).await?;
    let me = actor.id;
    state
        .db
        .write(move |c| Ok(db::bookmarks::remove(c, me, id)?))
        .await?;
    Ok(status)
}

/// A page of the person's bookmarks or favourites: `(mark id, status)`, leaving
/// out statuses they may no longer see (a community they left, say).
pub async fn marked(
    state: &AppState,
    actor: &Actor,
    which: Marked,
    page: Page,
) -> AppResult<Vec<(i64, Status)>> {
    let me = actor.clone();
    state
        .db
        .run(move |c| {
            let mut out = Vec::new();
            for (mark, s) in db::bookmarks::page(c, me.id, which, page)? {
                if can_see(c, &s, Some(&me))? {
                    out.push((mark, s));
                }
            }
            Ok(out)
        })
        .await
}
