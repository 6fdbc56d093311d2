//! Handing a community over: its owner (or an administrator) names another
//! local member owner; the former owner stays a moderator.

use crate::{
    db::{self, actors::Actor},
    error::{AppError, AppResult},
    service::now,
    state::AppState,
};

/// Who hands a community's stewardship over.
pub enum Handover<'a> {
    /// Its owner.
    Owner(&'a Actor),
    /// An administrator of the instance (an owner who left, an organisation's
    /// decision).
    Administrator,
}

/// Stewardship passes to `to_id`, a local member; the former owner stays a
/// moderator. Members' servers learn the new moderator (owners are moderators
/// on the wire).
pub async fn transfer(
    state: &AppState,
    community: &Actor,
    to_id: i64,
    by: Handover<'_>,
) -> AppResult<()> {
    if !community.local {
        return Err(AppError::unprocessable(
            "A remote community is managed on its instance",
        ));
    }
    let by_id = match by {
        Handover::Owner(o) => Some(o.id),
        Handover::Administrator => None,
    };
    let cid = community.id;
    state
        .db
        .write(move |c| {
            let owners: Vec<i64> = db::communities::moderators(c, cid)?
                .into_iter()
                .filter(|m| {
                    db::communities::role(c, cid, m.id)
                        .ok()
                        .flatten()
                        .as_deref()
                        == Some(db::communities::OWNER)
                })
                .map(|m| m.id)
                .collect();
            if let Some(b) = by_id
                && !owners.contains(&b)
            {
                return Err(AppError::forbidden(
                    "Only the owner can hand the community over",
                ));
            }
            if owners.contains(&to_id) {
                return Err(AppError::unprocessable(
                    "Validation failed: already the owner",
                ));
            }
            let to = db::actors::by_id(c, to_id)?;
            if !to.local || !db::follows::is_accepted(c, to_id, cid)? {
                return Err(AppError::unprocessable(
                    "Validation failed: only a member of this instance can become the owner",
                ));
            }
            let at = now();
            let was_moderator = db::communities::role(c, cid, to_id)?.is_some();
            db::communities::set_role(c, cid, to_id, db::communities::OWNER, at)?;
            for o in owners {
                db::communities::set_role(c, cid, o, db::communities::MODERATOR, at)?;
            }
            if !was_moderator {
                let event = crate::service::events::Event::ModeratorChanged {
                    community_id: cid,
                    actor_id: to_id,
                    added: true,
                    by: by_id.unwrap_or(to_id),
                };
                crate::service::events::store(c, &[event])?;
            }
            tracing::info!(
                community = cid,
                to = to_id,
                "community stewardship handed over"
            );
            Ok(())
        })
        .await
}
