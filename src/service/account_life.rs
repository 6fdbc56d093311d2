//! An account's life after sign-up: password change, deletion (erasure and a
//! federated `Delete` of the actor), suspension by an administrator.

use super::{
    events::{self, Event},
    media::{root, store},
    now, passwords,
};
use crate::{
    db::{self, actors::Actor, users::User},
    error::{AppError, AppResult},
    model::actor::ActorKind,
    state::AppState,
};

/// Changes `user`'s password after checking the current one. Other sessions
/// keep their tokens (as in Mastodon, where a password change leaves apps in).
pub async fn change_password(
    state: &AppState,
    user: &User,
    current: &str,
    new: &str,
) -> AppResult<()> {
    check_password(state, user, current).await?;
    if new.chars().count() < passwords::MIN_LEN {
        return Err(AppError::unprocessable(format!(
            "Validation failed: the new password needs at least {} characters",
            passwords::MIN_LEN
        )));
    }
    let hash = passwords::hash(new.to_string()).await?;
    let id = user.id;
    state
        .db
        .write(move |c| Ok(db::users::set_password(c, id, &hash)?))
        .await?;
    super::mail::reset::password_changed(state, user, false).await
}

pub(crate) async fn check_password(state: &AppState, user: &User, password: &str) -> AppResult<()> {
    let key = super::accounts::throttle_key(user);
    let hash = Some(user.password_hash.clone());
    if super::accounts::checked_verify(state, &key, password, hash).await? {
        Ok(())
    } else {
        Err(AppError::forbidden("The password is not right"))
    }
}

/// A person deletes their own account, confirming with their password.
pub async fn delete_own(
    state: &AppState,
    user: &User,
    actor: &Actor,
    password: &str,
) -> AppResult<()> {
    check_password(state, user, password).await?;
    erase(state, actor).await
}

/// Erases a person (local or remote) and, for a local one, tells the servers that
/// know them with a `Delete` of the actor. A community owner must hand the
/// community over first.
pub async fn erase(state: &AppState, actor: &Actor) -> AppResult<()> {
    if actor.kind() != ActorKind::Person {
        return Err(AppError::unprocessable(
            "Validation failed: only people's accounts can be deleted",
        ));
    }
    if actor.deleted_at.is_some() {
        return Ok(());
    }
    let (id, local) = (actor.id, actor.local);
    let keys = state
        .db
        .write(move |c| {
            if local && let Some(name) = db::communities::owned_by(c, id)?.first() {
                return Err(AppError::unprocessable(format!(
                    "Validation failed: hand the community {name} over to another owner first"
                )));
            }
            // Who must hear of it, read before the follows go.
            let inboxes = if local {
                db::follows::remote_inboxes_of(c, id)?
            } else {
                vec![]
            };
            let keys = db::erasure::erase(c, id, now())?;
            let events = if local {
                vec![Event::ActorDeleted {
                    actor_id: id,
                    inboxes,
                }]
            } else {
                vec![]
            };
            events::store(c, &events)?;
            Ok(keys)
        })
        .await?;
    // The profile pictures, if they are files of ours.
    let pictures = [&actor.avatar_url, &actor.header_url]
        .into_iter()
        .flatten()
        .filter_map(|u| super::media::own_key(state, u));
    let keys: Vec<String> = keys.into_iter().chain(pictures).collect();
    store::delete(&root(state), &keys).await;
    state.remote_actors.invalidate(&actor.ap_id);
    tracing::info!(actor = %actor.ap_id, "account erased");
    Ok(())
}

/// An administrator suspends (or reinstates) an account: hidden from everyone,
/// login refused while suspended; nothing is erased. A local account's
/// followers' servers hear of it through an `Update` of the actor (key only and
/// `suspended: true`, then whole again), as from Mastodon.
pub async fn set_suspended(state: &AppState, target: &Actor, suspended: bool) -> AppResult<()> {
    if target.kind() != ActorKind::Person || target.deleted_at.is_some() {
        return Err(AppError::not_found());
    }
    let (id, local) = (target.id, target.local);
    let at = suspended.then(now);
    state
        .db
        .write(move |c| {
            db::erasure::set_suspended(c, id, at)?;
            if local {
                events::store(c, &[Event::ActorUpdated { actor_id: id }])?;
            }
            Ok(())
        })
        .await?;
    // The inbox checks signatures against this copy: it must see the change now.
    state.remote_actors.invalidate(&target.ap_id);
    Ok(())
}
