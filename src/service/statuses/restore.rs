//! A moderator undoes a removal: the post is back where it was, here and (as an
//! `Undo` of the `Delete`) on the servers that got the removal.

use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult},
    service::{
        events::{self, Event},
        now,
    },
    state::AppState,
};

/// Posts a community's moderators can list and restore at once.
const LISTED: i64 = 50;

/// The one rule: `by` moderates the removed status's community (or the
/// community itself vouches, `vouched_by`); true when it was restored.
fn restore_row(
    conn: &mut db::DbConn,
    s: &Status,
    by: i64,
    vouched_by: Option<i64>,
) -> AppResult<bool> {
    let Some(cid) = s.community_id else {
        return Err(AppError::unprocessable(
            "Only posts of a community are restored",
        ));
    };
    let allowed = vouched_by == Some(cid) || db::communities::role(conn, cid, by)?.is_some();
    if !allowed {
        return Err(AppError::forbidden("Only moderators can restore posts"));
    }
    Ok(db::statuses::restore(conn, s.id, now())?)
}

/// A local moderator restores a removed post: 404 when it is not removed.
pub async fn restore(state: &AppState, by: &Actor, id: i64) -> AppResult<Status> {
    let by_id = by.id;
    state
        .db
        .write(move |c| {
            let s = db::statuses::by_id(c, id)?.ok_or_else(AppError::not_found)?;
            if !restore_row(c, &s, by_id, None)? {
                return Err(AppError::not_found());
            }
            events::store(
                c,
                &[Event::StatusRestored {
                    status_id: id,
                    by: by_id,
                }],
            )?;
            Ok(s)
        })
        .await
}

/// A remote moderator's `Undo` of their `Delete` (`activity`, as received).
pub async fn restore_remote(
    state: &AppState,
    by: &Actor,
    ap_id: &str,
    vouched_by: Option<&Actor>,
    activity: serde_json::Value,
) -> AppResult<()> {
    let (ap_id, by_id, vouched) = (ap_id.to_string(), by.id, vouched_by.map(|v| v.id));
    state
        .db
        .write(move |c| {
            let Some(s) = db::statuses::by_ap_id(c, &ap_id)? else {
                return Ok(());
            };
            if restore_row(c, &s, by_id, vouched)? {
                events::forward(c, s.community_id, &activity)?;
            }
            Ok(())
        })
        .await
}

/// The removed posts of `community`, for its moderators.
pub async fn removed(state: &AppState, by: &Actor, community: &Actor) -> AppResult<Vec<Status>> {
    let (cid, by_id) = (community.id, by.id);
    state
        .db
        .run(move |c| {
            crate::service::communities::require_moderator(c, cid, by_id)?;
            Ok(db::statuses::removed_in(c, cid, LISTED)?)
        })
        .await
}
