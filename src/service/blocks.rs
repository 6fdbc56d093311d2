//! Blocking and muting people, as Mastodon does: a block cuts follows both ways,
//! hides each from the other and is sent to a remote person's server; a mute only
//! hides, is private and may expire.

use chrono::NaiveDateTime;

use super::{
    events::{self, Event},
    now,
};
use crate::{
    db::{self, actors::Actor, follows},
    error::{AppError, AppResult},
    model::actor::ActorKind,
    state::AppState,
};

fn person(me: &Actor, target: &Actor, what: &str) -> AppResult<()> {
    if me.id == target.id {
        return Err(AppError::unprocessable(format!(
            "Validation failed: you cannot {what} yourself"
        )));
    }
    if target.kind() != ActorKind::Person {
        return Err(AppError::unprocessable(format!(
            "Validation failed: only people can be {what}ed (leave a community instead)"
        )));
    }
    Ok(())
}

/// `me` (local) blocks `target`: follows both ways end, notifications from them
/// go, and a remote target's server gets the Block (after the Undo of our follow
/// and the Reject of theirs, so any server understands).
pub async fn block(state: &AppState, me: &Actor, target: &Actor) -> AppResult<()> {
    person(me, target, "block")?;
    let (mid, tid, remote) = (me.id, target.id, !target.local);
    let activity_id = state.urls.new_activity("block").to_string();
    state
        .db
        .write(move |c| {
            let mut out = Vec::new();
            if let Some(f) = follows::remove(c, mid, tid)?
                && remote
            {
                out.push(Event::Unfollowed {
                    follower_id: mid,
                    target_id: tid,
                    activity_id: f.ap_id.unwrap_or_default(),
                });
            }
            if let Some(f) = follows::remove(c, tid, mid)?
                && remote
                && let Some(activity_id) = f.ap_id
            {
                out.push(Event::FollowRejected {
                    follower_id: tid,
                    target_id: mid,
                    activity_id,
                });
            }
            let aid = remote.then_some(activity_id.as_str());
            if db::blocks::block(c, mid, tid, aid, now())? && remote {
                out.push(Event::Blocked {
                    actor_id: mid,
                    target_id: tid,
                    activity_id: activity_id.clone(),
                });
            }
            db::notifications::forget_from(c, mid, tid)?;
            events::store(c, &out)
        })
        .await
}

pub async fn unblock(state: &AppState, me: &Actor, target: &Actor) -> AppResult<()> {
    let (mid, tid, remote) = (me.id, target.id, !target.local);
    state
        .db
        .write(move |c| {
            let out = match db::blocks::unblock(c, mid, tid)? {
                Some(b) if remote => vec![Event::Unblocked {
                    actor_id: mid,
                    target_id: tid,
                    activity_id: b.ap_id.unwrap_or_default(),
                }],
                _ => vec![],
            };
            events::store(c, &out)
        })
        .await
}

/// A remote person's `Block` of a local one: follows both ways end here too.
pub async fn blocked_by_remote(
    state: &AppState,
    actor: &Actor,
    target: &Actor,
    activity_id: &str,
) -> AppResult<()> {
    if !target.local || target.kind() != ActorKind::Person {
        return Err(AppError::not_found());
    }
    let (aid, tid, ap_id) = (actor.id, target.id, activity_id.to_string());
    state
        .db
        .write(move |c| {
            follows::remove(c, aid, tid)?;
            follows::remove(c, tid, aid)?;
            db::blocks::block(c, aid, tid, Some(&ap_id), now())?;
            Ok(())
        })
        .await
}

pub async fn unblocked_by_remote(state: &AppState, actor: &Actor, target: &Actor) -> AppResult<()> {
    let (aid, tid) = (actor.id, target.id);
    state
        .db
        .write(move |c| Ok(db::blocks::unblock(c, aid, tid).map(|_| ())?))
        .await
}

/// The longest mute Mastodon's apps offer is a week; we allow up to a year.
const MAX_MUTE_SECONDS: i64 = 365 * 24 * 3600;

/// `me` mutes `target`, also its notifications unless `notifications` is false,
/// for `duration` seconds (0 or none: until unmuted).
pub async fn mute(
    state: &AppState,
    me: &Actor,
    target: &Actor,
    notifications: bool,
    duration: Option<i64>,
) -> AppResult<()> {
    person(me, target, "mute")?;
    let expires_at = expiry(duration)?;
    let (mid, tid) = (me.id, target.id);
    state
        .db
        .write(move |c| {
            Ok(db::blocks::mute(
                c,
                mid,
                tid,
                notifications,
                expires_at,
                now(),
            )?)
        })
        .await
}

fn expiry(duration: Option<i64>) -> AppResult<Option<NaiveDateTime>> {
    match duration {
        None | Some(0) => Ok(None),
        Some(d) if (1..=MAX_MUTE_SECONDS).contains(&d) => {
            Ok(Some(now() + chrono::Duration::seconds(d)))
        }
        Some(_) => Err(AppError::unprocessable(format!(
            "Validation failed: duration must be between 0 and {MAX_MUTE_SECONDS} seconds"
        ))),
    }
}

pub async fn unmute(state: &AppState, me: &Actor, target: &Actor) -> AppResult<()> {
    let (mid, tid) = (me.id, target.id);
    state
        .db
        .write(move |c| Ok(db::blocks::unmute(c, mid, tid)?))
        .await
}

/// Authors whose statuses `viewer` does not get in timelines and threads: the
/// suspended ones for everybody, and those the viewer blocks or mutes or who
/// block them.
pub fn hidden(conn: &mut db::DbConn, viewer: Option<&Actor>) -> AppResult<Vec<i64>> {
    let mut ids = db::erasure::suspended_ids(conn)?;
    if let Some(v) = viewer {
        ids.extend(db::blocks::hidden_authors(conn, v.id, now())?);
    }
    Ok(ids)
}
