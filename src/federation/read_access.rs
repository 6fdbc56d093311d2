//! Who may read an ActivityPub document: the rules for servers (a community's
//! reach, a status's addressees' servers) and, when a person signed the fetch,
//! for that person (what is addressed to people is for those people only).

use crate::model::visibility::{CommunityVisibility, Visibility};

use super::{reach::Reach, signed_fetch::Fetcher};
use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult},
    state::AppState,
};

/// What a document belongs to, for deciding who may read it.
pub enum Audience<'a> {
    /// Anything anyone may read (an actor's public profile, a person's outbox).
    Everyone,
    /// Something of a local community: its visibility decides.
    Community(&'a Actor),
    /// A status (in a community or not).
    Status(&'a Status),
}

/// Whether `fetcher` may read a document of `audience`.
pub async fn authorize(
    state: &AppState,
    fetcher: &Fetcher,
    audience: Audience<'_>,
) -> AppResult<()> {
    let must_sign = state.policy.authorized_fetch();
    match audience {
        Audience::Everyone => match fetcher {
            Fetcher::Anonymous if must_sign => Err(anonymous()),
            _ => Ok(()),
        },
        Audience::Community(c) => authorize_community(state, fetcher, c, must_sign).await,
        Audience::Status(s) => authorize_status(state, fetcher, s, must_sign).await,
    }
}

/// An unsigned fetch of a document that needs a signature.
fn anonymous() -> AppError {
    AppError::unauthorized("This document needs a signed request from a server allowed to read it")
}

/// A refusal that does not reveal the document exists.
fn found_if(ok: bool) -> AppResult<()> {
    if ok {
        Ok(())
    } else {
        Err(AppError::not_found())
    }
}

/// A community's documents: its visibility, and for a signed fetch whether the
/// server is within its reach.
async fn authorize_community(
    state: &AppState,
    fetcher: &Fetcher,
    c: &Actor,
    must_sign: bool,
) -> AppResult<()> {
    let public = match c.reach() {
        CommunityVisibility::Internal => return Err(AppError::not_found()),
        reach => reach == CommunityVisibility::Public,
    };
    match fetcher.server() {
        None if public && !must_sign => Ok(()),
        None => Err(anonymous()),
        Some(server) => {
            let (policy, c, server) = (state.policy.clone(), c.clone(), server.to_string());
            let ok = state
                .db
                .run(move |conn| Ok(Reach::load(conn, &policy, &c)?.may_receive(&server)))
                .await?;
            found_if(ok)
        }
    }
}

/// A status: its community's rule if it has one, else its own visibility.
async fn authorize_status(
    state: &AppState,
    fetcher: &Fetcher,
    s: &Status,
    must_sign: bool,
) -> AppResult<()> {
    if let Some(cid) = s.community_id {
        let c = state
            .db
            .run(move |c| Ok(db::actors::by_id(c, cid)?))
            .await?;
        authorize_community(state, fetcher, &c, must_sign).await?;
        return authorize_person(state, fetcher, s).await;
    }
    match (s.visibility, fetcher.server()) {
        (v, None) if v.is_public() && !must_sign => Ok(()),
        (v, Some(_)) if v.is_public() => Ok(()),
        (Visibility::Internal, _) => Err(AppError::not_found()),
        (_, None) => Err(anonymous()),
        (visibility, Some(server)) => {
            let followers = visibility == Visibility::Private;
            found_if(addressee_on(state, s, followers, server).await?)?;
            authorize_person(state, fetcher, s).await
        }
    }
}

/// A fetch signed by a person, of a status addressed to people (followers-only,
/// direct, a members community's): that person must be one of them, as they
/// would have to be to read it here. Partners' content is for partner servers
/// as a whole, and the rest is public.
async fn authorize_person(state: &AppState, fetcher: &Fetcher, s: &Status) -> AppResult<()> {
    let Fetcher::Person(_, person) = fetcher else {
        return Ok(());
    };
    if !matches!(
        s.visibility,
        Visibility::Members | Visibility::Private | Visibility::Direct
    ) {
        return Ok(());
    }
    let (s, person) = (s.clone(), (**person).clone());
    let sees = state
        .db
        .run(move |c| Ok(db::visibility::can_see(c, &s, Some(&person))?))
        .await?;
    found_if(sees)
}

/// Whether a reader of a non-public status lives on `server`: a follower of
/// the author (`followers`), or else someone it is addressed to.
async fn addressee_on(
    state: &AppState,
    s: &Status,
    followers: bool,
    server: &str,
) -> AppResult<bool> {
    let (server, id, author) = (server.to_string(), s.id, s.actor_id);
    state
        .db
        .run(move |c| {
            let ids: Vec<i64> = if followers {
                db::follows::remote_followers(c, author)?
                    .iter()
                    .map(|a| a.id)
                    .collect()
            } else {
                db::statuses::mentioned_actor_ids(c, &[id])?
                    .into_iter()
                    .map(|(_, a)| a)
                    .collect()
            };
            Ok(db::actors::by_ids(c, &ids)?
                .iter()
                .any(|a| !a.local && a.domain == server))
        })
        .await
}
