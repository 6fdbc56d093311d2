//! Threads pinned first in a community (its `featured` collection, as Lemmy
//! calls it): pinned and unpinned by the community's moderators, here or on the
//! community's instance.

use super::{
    events::{Event, Origin},
    now,
};
use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult},
    state::AppState,
};

/// Threads a community shows pinned at once.
pub const MAX_FEATURED: i64 = 5;

/// A moderator of the thread's community pins it first (`on`) or unpins it.
/// The thread's community must be ours: a remote one's pins are decided there.
pub async fn feature(state: &AppState, by: &Actor, status_id: i64, on: bool) -> AppResult<Status> {
    let post = super::statuses::visible(state, status_id, Some(by)).await?;
    let (Some(cid), None) = (post.community_id, post.in_reply_to_id) else {
        return Err(AppError::unprocessable(
            "Only a community's threads can be pinned",
        ));
    };
    let by_id = by.id;
    let community = state
        .db
        .run(move |c| {
            crate::service::communities::require_moderator(c, cid, by_id)?;
            Ok(db::actors::by_id(c, cid)?)
        })
        .await?;
    if !community.local {
        return Err(AppError::unprocessable(
            "Threads of a community on another server are pinned there",
        ));
    }
    record(state, &community, &post, (by, on), Origin::Local).await?;
    Ok(post)
}

/// A pin (`on`) or unpin by moderator `by`, decided here or on the community's
/// instance. Our moderators pin at most [`MAX_FEATURED`] threads.
pub async fn record(
    state: &AppState,
    community: &Actor,
    post: &Status,
    (by, on): (&Actor, bool),
    origin: Origin,
) -> AppResult<()> {
    if post.community_id != Some(community.id) || post.in_reply_to_id.is_some() {
        return Err(AppError::unprocessable("Not a thread of this community"));
    }
    let (cid, sid, by, local) = (community.id, post.id, by.id, origin.is_local());
    state
        .db
        .write(move |c| {
            if on {
                // Our limit binds our moderators; another server's pins are its own.
                let full = local && db::pins::count(c, cid)? >= MAX_FEATURED;
                if full && db::pins::pinned_ids(c, cid, &[sid])?.is_empty() {
                    return Err(AppError::unprocessable(format!(
                        "At most {MAX_FEATURED} threads can be pinned"
                    )));
                }
                db::pins::pin(c, cid, sid, now())?;
            } else {
                db::pins::unpin(c, cid, sid)?;
            }
            origin.store(c, Some(cid), || Event::Featured {
                community_id: cid,
                status_id: sid,
                by,
                on,
            })
        })
        .await
}
