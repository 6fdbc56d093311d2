//! Community bans: a moderator bans a person (membership ends, later posts are
//! refused), lists the bans, and lifts one. Decided here or by a moderator on
//! the community's own instance (a `Block`, an `Undo` of it, as Lemmy sends).

use chrono::NaiveDateTime;

use super::{
    events::{Event, Origin},
    now,
};
use crate::{
    db::{self, actors::Actor},
    error::{AppError, AppResult},
    state::AppState,
};

/// A ban as moderators see it.
pub struct Ban {
    pub person: Actor,
    pub reason: String,
    pub created_at: NaiveDateTime,
}

/// `by`'s person, checked to moderate `community`.
async fn moderated(
    state: &AppState,
    by: &Actor,
    community: &Actor,
    person: i64,
) -> AppResult<Actor> {
    let (cid, by_id) = (community.id, by.id);
    state
        .db
        .run(move |c| {
            crate::service::communities::require_moderator(c, cid, by_id)?;
            Ok(db::actors::by_id(c, person)?)
        })
        .await
}

/// A moderator bans a person from a community.
pub async fn ban(
    state: &AppState,
    by: &Actor,
    community: &Actor,
    actor_id: i64,
    reason: &str,
) -> AppResult<()> {
    let person = moderated(state, by, community, actor_id).await?;
    record_ban(state, community, &person, (by, reason), Origin::Local).await
}

/// A moderator lifts a ban: the person may join and post again (they are not
/// made a member again). 404 when there was no ban.
pub async fn unban(
    state: &AppState,
    by: &Actor,
    community: &Actor,
    actor_id: i64,
) -> AppResult<()> {
    let person = moderated(state, by, community, actor_id).await?;
    if !record_unban(state, community, &person, by, Origin::Local).await? {
        return Err(AppError::not_found());
    }
    Ok(())
}

/// The community's bans, newest first: for its moderators only.
pub async fn list(state: &AppState, by: &Actor, community: &Actor) -> AppResult<Vec<Ban>> {
    let (cid, by_id) = (community.id, by.id);
    state
        .db
        .run(move |c| {
            crate::service::communities::require_moderator(c, cid, by_id)?;
            let rows = db::communities::bans(c, cid)?;
            Ok(rows
                .into_iter()
                .map(|(person, reason, created_at)| Ban {
                    person,
                    reason,
                    created_at,
                })
                .collect())
        })
        .await
}

/// A ban decided by a community's moderator `by` (here or on the community's
/// instance): the person's membership ends and their later posts are refused.
pub async fn record_ban(
    state: &AppState,
    group: &Actor,
    person: &Actor,
    (by, reason): (&Actor, &str),
    origin: Origin,
) -> AppResult<()> {
    let (g, p, by) = (group.id, person.id, by.id);
    let reason = reason.chars().take(1000).collect::<String>();
    state
        .db
        .write(move |c| {
            if db::communities::role(c, g, p)?.as_deref() == Some(db::communities::OWNER) {
                return Err(AppError::forbidden("The owner cannot be banned"));
            }
            db::communities::remove_role(c, g, p)?;
            db::follows::remove(c, p, g)?;
            db::communities::ban(c, g, p, &reason, now())?;
            origin.store(c, Some(g), || Event::Banned {
                community_id: g,
                actor_id: p,
                by,
                reason,
            })
        })
        .await
}

/// A ban lifted by moderator `by` (here or on the community's instance);
/// whether there was one.
pub async fn record_unban(
    state: &AppState,
    group: &Actor,
    person: &Actor,
    by: &Actor,
    origin: Origin,
) -> AppResult<bool> {
    let (g, p, by) = (group.id, person.id, by.id);
    state
        .db
        .write(move |c| {
            if db::communities::unban(c, g, p)? == 0 {
                return Ok(false);
            }
            origin.store(c, Some(g), || Event::Unbanned {
                community_id: g,
                actor_id: p,
                by,
            })?;
            Ok(true)
        })
        .await
}
