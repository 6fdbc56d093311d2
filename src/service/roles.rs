//! Instance-level roles given by administrators: the ambassador badge (shown as
//! Mastodon account `roles`, on profiles and in the directory) and the
//! administrator role itself (`service::administration::set_admin`).
//!
//! Ambassadors welcome newcomers and create communities; creating a
//! community is open to every person of the instance today
//! (`service::communities::create_community`), so the badge grants no
//! further permission.

use crate::{
    db::{self, actors::Actor, users::User},
    error::{AppError, AppResult},
    model::actor::ActorKind,
    service::{administration, now},
    state::AppState,
};

fn require_admin(by: &User) -> AppResult<()> {
    if by.admin {
        Ok(())
    } else {
        Err(AppError::forbidden("Administrators only"))
    }
}

/// A person of this instance, by account id (404 otherwise).
pub async fn local_person(state: &AppState, actor_id: i64) -> AppResult<(User, Actor)> {
    let found = state
        .db
        .run(move |c| {
            let a = db::actors::by_id(c, actor_id)?;
            Ok(
                match a.local && a.kind() == ActorKind::Person && a.deleted_at.is_none() {
                    true => db::users::by_login(c, &a.name)?,
                    false => None,
                },
            )
        })
        .await?;
    found.ok_or_else(AppError::not_found)
}

/// Gives or takes the ambassador badge.
pub async fn set_ambassador(
    state: &AppState,
    by: &User,
    target: &Actor,
    on: bool,
) -> AppResult<()> {
    require_admin(by)?;
    if !target.local || target.kind() != ActorKind::Person {
        return Err(AppError::not_found());
    }
    let id = target.id;
    let changed = state
        .db
        .write(move |c| Ok(db::roles::set(c, id, db::roles::AMBASSADOR, on, now())?))
        .await?;
    if changed {
        tracing::info!(
            by = by.id,
            account = id,
            ambassador = on,
            "ambassador badge changed"
        );
    }
    Ok(())
}

/// Names or un-names an administrator (the rules of `administration::set_admin`).
pub async fn set_admin(state: &AppState, by: &User, target: &Actor, on: bool) -> AppResult<()> {
    let (user, _) = local_person(state, target.id).await?;
    administration::set_admin(state, by, user.id, on).await
}

pub async fn is_ambassador(state: &AppState, actor_id: i64) -> AppResult<bool> {
    state
        .db
        .run(move |c| Ok(db::roles::has(c, actor_id, db::roles::AMBASSADOR)?))
        .await
}
