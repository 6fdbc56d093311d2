//! Incoming activities: one file each, `verify` then `receive`.

pub mod accept;
pub mod acknowledged;
pub mod announce;
pub mod create_or_update;
pub mod delete;
pub mod flag;
pub mod follow;
pub mod inbox;
pub mod like;
pub mod moderation;
pub mod participation;
pub mod undo;
pub mod unreadable;
pub mod update_actor;
pub mod vouch;

use activitypub_federation::config::Data;
use url::Url;

use super::objects::authority;
use crate::{db, error::AppError, service::now, state::AppState};

/// A URL we stored (an actor's or a status's id): it was parsed when stored.
pub fn stored_url(s: &str) -> Result<Url, AppError> {
    Url::parse(s).map_err(|e| AppError::internal(anyhow::anyhow!("stored id `{s}`: {e}")))
}

/// An activity as received, for a community of ours to forward (`Origin::Remote`):
/// as its sender wrote it when we have that, else as we read it.
pub fn as_received<A>(activity: &A) -> Result<serde_json::Value, AppError>
where
    A: activitypub_federation::traits::Activity + serde::Serialize,
{
    match super::inbound::as_sent(activity.id()) {
        Some(sent) => Ok(sent),
        None => serde_json::to_value(activity).map_err(AppError::internal),
    }
}

/// The actor of an activity must be on the same host as the activity itself.
pub fn same_host(a: &Url, b: &Url, what: &str) -> Result<(), AppError> {
    if authority(a) == authority(b) {
        Ok(())
    } else {
        Err(AppError::forbidden(format!(
            "{what}: actor and object are on different hosts"
        )))
    }
}

/// Whether this activity id was processed before (a replay, or a second copy
/// through another route such as a group's Announce).
pub async fn seen(data: &Data<AppState>, id: &Url) -> Result<bool, AppError> {
    let id = id.to_string();
    data.db
        .run(move |c| Ok(db::activities::was_received(c, &id)?))
        .await
}

pub async fn mark_seen(data: &Data<AppState>, id: &Url) -> Result<(), AppError> {
    let id = id.to_string();
    data.db
        .write(move |c| Ok(db::activities::record_received(c, &id, now()).map(|_| ())?))
        .await
}
