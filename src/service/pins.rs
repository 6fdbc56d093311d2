//! Pinning one's own statuses to one's profile (at most five, as Mastodon).

use super::{now, statuses::visible};
use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult},
    state::AppState,
};

pub const MAX_PINS: i64 = 5;

pub async fn pin(state: &AppState, actor: &Actor, id: i64) -> AppResult<Status> {
    let s = visible(state, id, Some(actor)).await?;
    if s.actor_id != actor.id || s.reblog_of_id.is_some() {
        return Err(AppError::unprocessable(
            "Validation failed: only one's own statuses can be pinned",
        ));
    }
    if s.visibility == crate::model::visibility::Visibility::Direct {
        return Err(AppError::unprocessable(
            "Validation failed: direct messages cannot be pinned",
        ));
    }
    let actor_id = actor.id;
    state
        .db
        .write(move |c| {
            if db::pins::pinned_ids(c, actor_id, &[id])?.is_empty()
                && db::pins::count(c, actor_id)? >= MAX_PINS
            {
                return Err(AppError::unprocessable(format!(
                    "Validation failed: at most {MAX_PINS} statuses can be pinned"
                )));
            }
            db::pins::pin(c, actor_id, id, now())?;
            Ok(())
        })
        .await?;
    Ok(s)
}

pub async fn unpin(state: &AppState, actor: &Actor, id: i64) -> AppResult<Status> {
    let s = visible(state, id, Some(actor)).await?;
    let actor_id = actor.id;
    state
        .db
        .write(move |c| Ok(db::pins::unpin(c, actor_id, id)?))
        .await?;
    Ok(s)
}

/// An account's pinned statuses that `viewer` may see.
pub async fn of(
    state: &AppState,
    account_id: i64,
    viewer: Option<&Actor>,
) -> AppResult<Vec<Status>> {
    let viewer = viewer.cloned();
    state
        .db
        .run(move |c| {
            let mut out = Vec::new();
            for s in db::pins::of(c, account_id)? {
                if super::statuses::can_see(c, &s, viewer.as_ref())? {
                    out.push(s);
                }
            }
            Ok(out)
        })
        .await
}
