//! Which partner servers hold a community's content, and revoking one.

use crate::{
    db::{self, actors::Actor, outbox::LedgerLine, users::User},
    error::{AppError, AppResult},
    service::{events::Event, now},
    state::AppState,
};

/// Who may read the ledger or revoke a server: the community's owner and
/// moderators, and administrators. `None` is the operator (CLI).
async fn check(state: &AppState, by: Option<&(User, Actor)>, community: &Actor) -> AppResult<()> {
    let Some((user, actor)) = by else {
        return Ok(());
    };
    if user.admin {
        return Ok(());
    }
    let (cid, aid) = (community.id, actor.id);
    let role = state
        .db
        .run(move |c| Ok(db::communities::role(c, cid, aid)?))
        .await?;
    if role.is_none() {
        return Err(AppError::forbidden(
            "Only the community's moderators and administrators can do this",
        ));
    }
    Ok(())
}

pub async fn ledger(
    state: &AppState,
    by: Option<&(User, Actor)>,
    community: &Actor,
) -> AppResult<Vec<LedgerLine>> {
    check(state, by, community).await?;
    let cid = community.id;
    state.db.run(move |c| Ok(db::outbox::ledger(c, cid)?)).await
}

/// Revokes `domain` from the community: its members there leave, `Delete`s go out
/// for everything it received, and nothing more is delivered to it.
pub async fn revoke(
    state: &AppState,
    by: Option<&(User, Actor)>,
    community: &Actor,
    domain: &str,
) -> AppResult<()> {
    check(state, by, community).await?;
    if !community.local {
        return Err(AppError::unprocessable(
            "Only communities of this instance can be revoked from a server",
        ));
    }
    let domain = domain.trim().to_ascii_lowercase();
    crate::model::domain::InstanceDomain::parse(&domain)
        .map_err(|e| AppError::unprocessable(format!("Validation failed: domain {e}")))?;
    let (cid, d) = (community.id, domain.clone());
    let removed = state
        .db
        .write(move |c| {
            db::communities::block_domain(c, cid, &d, now())?;
            let removed = db::communities::remove_members_on(c, cid, &d)?;
            crate::service::events::store(
                c,
                &[Event::Revoked {
                    community_id: cid,
                    domain: d,
                }],
            )?;
            Ok(removed)
        })
        .await?;
    tracing::info!(community = %community.name, %domain, members_removed = removed, "server revoked from community");
    Ok(())
}
