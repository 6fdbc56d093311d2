//! The author deletes, or a moderator removes, a status: from the APIs or the inbox.

use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult},
    service::{
        events::{self, Event},
        now,
    },
    state::AppState,
};

use super::visible;

/// The one rule for both: the author deletes, or a moderator of the status's
/// community removes (kept as removed, for the mod log). True when by the author.
fn remove(conn: &mut db::DbConn, s: &Status, actor_id: i64) -> AppResult<bool> {
    let by_author = s.actor_id == actor_id;
    let moderator = match s.community_id {
        Some(c) if !by_author => db::communities::role(conn, c, actor_id)?.is_some(),
        _ => false,
    };
    if !by_author && !moderator {
        return Err(AppError::forbidden(
            "Only the author or a moderator can delete this",
        ));
    }
    db::statuses::mark_deleted(conn, s.id, !by_author, now())?;
    Ok(by_author)
}

/// A local person deletes or removes a status; its media go back to the author
/// (Mastodon's "delete and redraft"), and the deletion federates.
pub async fn delete(state: &AppState, actor: &Actor, id: i64) -> AppResult<Status> {
    let s = visible(state, id, Some(actor)).await?;
    let (row, actor_id) = (s.clone(), actor.id);
    let gone_files = state
        .db
        .write(move |c| {
            // A document deleted by its uploader goes with its files; one a
            // moderator removes keeps them, to be restored.
            let mut files = Vec::new();
            if remove(c, &row, actor_id)? {
                db::media::detach(c, row.id)?;
                files = db::library::forget(c, row.id)?;
            }
            let deleted = Event::StatusDeleted {
                status_id: row.id,
                by: actor_id,
            };
            events::store(c, &[deleted])?;
            Ok(files)
        })
        .await?;
    crate::service::library::files::remove(state, &gone_files).await;
    Ok(s)
}

/// A remote `Delete` (`activity`, as received) of a status we hold; nothing if we
/// hold none.
pub async fn delete_remote(
    state: &AppState,
    actor: &Actor,
    ap_id: &str,
    activity: serde_json::Value,
) -> AppResult<()> {
    let (ap_id, actor_id) = (ap_id.to_string(), actor.id);
    state
        .db
        .write(move |c| {
            let Some(s) = db::statuses::by_ap_id(c, &ap_id)? else {
                return Ok(());
            };
            remove(c, &s, actor_id)?;
            events::forward(c, s.community_id, &activity)
        })
        .await
}
