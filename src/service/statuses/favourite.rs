//! Favourites, from local people and through the inbox.

use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult},
    model::visibility::Visibility,
    service::{
        events::{Event, Origin},
        now,
    },
    state::AppState,
};

use super::visible;

/// The one rule for both: a favourite counts once per person and notifies the
/// author; it federates as its origin says. False when it was already counted.
fn add(
    conn: &mut db::DbConn,
    actor_id: i64,
    status: (i64, Option<i64>),
    aid: String,
    origin: &Origin,
) -> AppResult<bool> {
    let (id, community_id) = status;
    if !db::statuses::add_favourite(conn, actor_id, id, Some(&aid), now())? {
        return Ok(false);
    }
    db::notifications::favourited(conn, actor_id, id, now())?;
    origin.store(conn, community_id, || Event::Liked {
        actor_id,
        status_id: id,
        activity_id: aid,
    })?;
    Ok(true)
}

/// Takes a favourite back; the undoing federates as its origin says.
fn remove(
    conn: &mut db::DbConn,
    actor_id: i64,
    status: (i64, Option<i64>),
    origin: &Origin,
) -> AppResult<()> {
    let (id, community_id) = status;
    if let Some(Some(activity_id)) = db::statuses::remove_favourite(conn, actor_id, id)? {
        origin.store(conn, community_id, || Event::Unliked {
            actor_id,
            status_id: id,
            activity_id,
        })?;
    }
    Ok(())
}

pub async fn favourite(state: &AppState, actor: &Actor, id: i64) -> AppResult<Status> {
    let s = visible(state, id, Some(actor)).await?;
    let (actor_id, aid) = (actor.id, state.urls.new_activity("like").to_string());
    state
        .db
        .write(move |c| add(c, actor_id, (id, s.community_id), aid, &Origin::Local))
        .await?;
    visible(state, id, Some(actor)).await
}

pub async fn unfavourite(state: &AppState, actor: &Actor, id: i64) -> AppResult<Status> {
    let s = visible(state, id, Some(actor)).await?;
    let actor_id = actor.id;
    state
        .db
        .write(move |c| remove(c, actor_id, (id, s.community_id), &Origin::Local))
        .await?;
    visible(state, id, Some(actor)).await
}

/// A remote `Like` (`activity`, as received); false when it was already counted.
pub async fn favourite_remote(
    state: &AppState,
    actor: &Actor,
    status: &Status,
    activity: serde_json::Value,
) -> AppResult<bool> {
    remote_may_see(state, actor, status).await?;
    let aid = activity["id"].as_str().unwrap_or_default().to_string();
    let (actor_id, s) = (actor.id, (status.id, status.community_id));
    let origin = Origin::Remote(activity);
    state
        .db
        .write(move |c| add(c, actor_id, s, aid, &origin))
        .await
}

/// A remote actor acting on `status` must be able to see it: the rule of reads
/// (follower of a followers-only author, member of a members community,
/// addressee of a direct status), and for a partners community, a server within
/// its reach (as for signed fetches). 403 otherwise.
async fn remote_may_see(state: &AppState, actor: &Actor, status: &Status) -> AppResult<()> {
    let (reader, s) = (actor.clone(), status.clone());
    let seen = state
        .db
        .run(move |c| Ok(db::visibility::can_see(c, &s, Some(&reader))?))
        .await?;
    let partner = !status.is_gone()
        && status.visibility == Visibility::Partners
        && crate::federation::signed_fetch::authorize(
            state,
            &crate::federation::signed_fetch::Fetcher::Server(actor.domain.clone()),
            crate::federation::signed_fetch::Audience::Status(status),
        )
        .await
        .is_ok();
    if seen || partner {
        Ok(())
    } else {
        Err(AppError::forbidden("This status is not addressed to you"))
    }
}

/// A remote `Undo` of a `Like` (`activity`, as received).
pub async fn unfavourite_remote(
    state: &AppState,
    actor: &Actor,
    status: &Status,
    activity: serde_json::Value,
) -> AppResult<()> {
    let (actor_id, s) = (actor.id, (status.id, status.community_id));
    let origin = Origin::Remote(activity);
    state
        .db
        .write(move |c| remove(c, actor_id, s, &origin))
        .await
}
