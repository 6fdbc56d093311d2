//! Following people and joining communities, in both directions.

use crate::{
    db::{self, actors::Actor, follows},
    error::{AppError, AppResult},
    federation::reach::Reach,
    model::{actor::ActorKind, visibility::CommunityVisibility},
    service::{
        events::{self, Event},
        now,
    },
    state::AppState,
};

fn internal(a: &Actor) -> bool {
    a.visibility.parse() == Ok(CommunityVisibility::Internal)
}

/// A local actor follows a person or joins a community (local or remote).
pub async fn follow(
    state: &AppState,
    follower: &Actor,
    target: &Actor,
) -> AppResult<follows::Follow> {
    if follower.id == target.id {
        return Err(AppError::forbidden("You cannot follow yourself"));
    }
    if target.kind() == ActorKind::Application {
        return Err(AppError::not_found());
    }
    let aid = state.urls.new_activity("follow").to_string();
    let (fid, tid, local, locked) = (follower.id, target.id, target.local, target.locked);
    state
        .db
        .write(move |c| {
            if db::communities::is_banned(c, tid, fid)? {
                return Err(AppError::forbidden("You are banned from this community"));
            }
            if db::blocks::between(c, fid, tid)? {
                return Err(AppError::forbidden("This action is not allowed"));
            }
            if let Some(existing) = follows::find(c, fid, tid)? {
                return Ok(existing);
            }
            // Locally the answer is immediate; remotely it comes back as an Accept.
            let state = if local && !locked {
                follows::ACCEPTED
            } else {
                follows::PENDING
            };
            let follow = follows::upsert(c, fid, tid, Some(&aid), state, now())?;
            if local {
                let accepted = follow.state == follows::ACCEPTED;
                db::notifications::followed(c, fid, tid, accepted, now())?;
            } else {
                events::store(
                    c,
                    &[Event::FollowRequested {
                        follower_id: fid,
                        target_id: tid,
                        activity_id: aid,
                    }],
                )?;
            }
            Ok(follow)
        })
        .await
}

/// Whether `follower` is told of `target`'s new statuses (an existing follow).
pub async fn set_notify(
    state: &AppState,
    follower: &Actor,
    target: &Actor,
    notify: bool,
) -> AppResult<()> {
    let (fid, tid) = (follower.id, target.id);
    state
        .db
        .write(move |c| Ok(follows::set_notify(c, fid, tid, notify)?))
        .await
}

pub async fn unfollow(state: &AppState, follower: &Actor, target: &Actor) -> AppResult<()> {
    let (fid, tid) = (follower.id, target.id);
    let owner = state
        .db
        .run(move |c| {
            Ok(db::communities::role(c, tid, fid)?.as_deref() == Some(db::communities::OWNER))
        })
        .await?;
    if owner {
        return Err(AppError::forbidden("The owner cannot leave the community"));
    }
    let remote = !target.local;
    state
        .db
        .write(move |c| {
            let removed = follows::remove(c, fid, tid)?;
            if let (Some(f), true) = (&removed, remote) {
                let activity_id = f.ap_id.clone().unwrap_or_default();
                events::store(
                    c,
                    &[Event::Unfollowed {
                        follower_id: fid,
                        target_id: tid,
                        activity_id,
                    }],
                )?;
            }
            Ok(())
        })
        .await
}

/// A remote `Follow` of a local actor: accepted at once unless the target approves
/// followers (then it stays pending). Internal communities do not exist for others.
pub async fn accept_remote(
    state: &AppState,
    follower: &Actor,
    target: &Actor,
    activity_id: &str,
) -> AppResult<()> {
    if !target.local || internal(target) || target.kind() == ActorKind::Application {
        return Err(AppError::not_found());
    }
    let (fid, tid, locked, aid) = (
        follower.id,
        target.id,
        target.locked,
        activity_id.to_string(),
    );
    let follower_domain = follower.domain.clone();
    let (policy, community) = (
        state.policy.clone(),
        (target.kind() == ActorKind::Group).then(|| target.clone()),
    );
    state
        .db
        .write(move |c| {
            if db::communities::is_banned(c, tid, fid)? {
                return Err(AppError::forbidden("banned from this community"));
            }
            if db::blocks::between(c, fid, tid)? {
                return Err(AppError::forbidden("blocked"));
            }
            if let Some(community) = &community {
                // Checked again here: the partner list may have changed since the
                // inbox accepted the Follow.
                Reach::load(c, &policy, community)?.may_join(&follower_domain)?;
            }
            let state = if locked {
                follows::PENDING
            } else {
                follows::ACCEPTED
            };
            // A repeated Follow (a retry, a lost Accept) is no news.
            let before = follows::find(c, fid, tid)?.map(|f| f.state);
            let follow = follows::upsert(c, fid, tid, Some(&aid), state, now())?;
            let accepted = follow.state == follows::ACCEPTED;
            if before.as_deref() != Some(follow.state.as_str()) {
                db::notifications::followed(c, fid, tid, accepted, now())?;
            }
            if accepted {
                let activity_id = aid.clone();
                events::store(
                    c,
                    &[Event::FollowAccepted {
                        follower_id: fid,
                        target_id: tid,
                        activity_id,
                    }],
                )?;
            }
            Ok(())
        })
        .await
}

/// A remote `Accept` of our follow request.
pub async fn remote_accepted(state: &AppState, follower_id: i64, target: &Actor) -> AppResult<()> {
    let tid = target.id;
    state
        .db
        .write(move |c| {
            if follows::find(c, follower_id, tid)?.is_some() {
                follows::upsert(c, follower_id, tid, None, follows::ACCEPTED, now())?;
            }
            Ok(())
        })
        .await
}

/// A remote `Undo(Follow)` or `Reject`.
pub async fn remove_remote(state: &AppState, follower_id: i64, target_id: i64) -> AppResult<()> {
    state
        .db
        .write(move |c| Ok(follows::remove(c, follower_id, target_id).map(|_| ())?))
        .await
}

/// A person who approves followers (`locked`) answers a request: the follower
/// follows them, or not. A remote follower's server gets the `Accept` or `Reject`.
pub async fn decide_request(
    state: &AppState,
    target: &Actor,
    follower_id: i64,
    approve: bool,
) -> AppResult<()> {
    let tid = target.id;
    state
        .db
        .write(move |c| {
            let follow = follows::find(c, follower_id, tid)?
                .filter(|f| f.state == follows::PENDING)
                .ok_or_else(AppError::not_found)?;
            let follower = db::actors::by_id(c, follower_id)?;
            if approve {
                follows::upsert(c, follower_id, tid, None, follows::ACCEPTED, now())?;
            } else {
                follows::remove(c, follower_id, tid)?;
            }
            let events = match (follower.local, follow.ap_id) {
                (false, Some(activity_id)) if approve => vec![Event::FollowAccepted {
                    follower_id,
                    target_id: tid,
                    activity_id,
                }],
                (false, Some(activity_id)) => vec![Event::FollowRejected {
                    follower_id,
                    target_id: tid,
                    activity_id,
                }],
                _ => vec![],
            };
            events::store(c, &events)
        })
        .await
}
