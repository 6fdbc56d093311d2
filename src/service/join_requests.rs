//! Requests to join a community that approves its members (`members`
//! visibility): moderators list them, approve or reject; a remote requester's
//! server gets an `Accept` or a `Reject`.

use crate::{
    db::{self, actors::Actor, follows},
    error::{AppError, AppResult},
    federation::reach::Reach,
    service::{
        events::{self, Event},
        now,
    },
    state::AppState,
};

pub struct JoinRequest {
    pub account: Actor,
    pub requested_at: chrono::NaiveDateTime,
    /// From a server with no member yet: approving lets its administrators read
    /// everything the community publishes.
    pub first_from_server: bool,
}

/// Pending requests, oldest first.
pub async fn list(state: &AppState, by: &Actor, community: &Actor) -> AppResult<Vec<JoinRequest>> {
    let (c, by, policy) = (community.clone(), by.clone(), state.policy.clone());
    state
        .db
        .run(move |conn| {
            super::communities::require_moderator(conn, c.id, by.id)?;
            let reach = Reach::load(conn, &policy, &c)?;
            let pending = follows::pending_for(conn, c.id)?;
            Ok(pending
                .into_iter()
                .map(|(follow, account)| JoinRequest {
                    first_from_server: !account.local && reach.is_new_server(&account.domain),
                    account,
                    requested_at: follow.created_at,
                })
                .collect())
        })
        .await
}

/// Approves (`approve`) or rejects the pending request of `account_id`. Returns the
/// request as it was (for the warning).
pub async fn decide(
    state: &AppState,
    by: &Actor,
    community: &Actor,
    account_id: i64,
    approve: bool,
) -> AppResult<JoinRequest> {
    let (c, by, policy) = (community.clone(), by.clone(), state.policy.clone());
    state
        .db
        .write(move |conn| {
            super::communities::require_moderator(conn, c.id, by.id)?;
            let follow = follows::find(conn, account_id, c.id)?
                .filter(|f| f.state == follows::PENDING)
                .ok_or_else(AppError::not_found)?;
            let account = db::actors::by_id(conn, account_id)?;
            let reach = Reach::load(conn, &policy, &c)?;
            let first_from_server = !account.local && reach.is_new_server(&account.domain);
            if approve {
                if !account.local {
                    // The server may have been blocked or revoked since it asked.
                    reach.may_join(&account.domain)?;
                }
                follows::upsert(conn, account_id, c.id, None, follows::ACCEPTED, now())?;
            } else {
                follows::remove(conn, account_id, c.id)?;
            }
            let events = match (account.local, follow.ap_id.clone()) {
                (false, Some(activity_id)) if approve => vec![Event::FollowAccepted {
                    follower_id: account_id,
                    target_id: c.id,
                    activity_id,
                }],
                (false, Some(activity_id)) => vec![Event::FollowRejected {
                    follower_id: account_id,
                    target_id: c.id,
                    activity_id,
                }],
                _ => vec![],
            };
            events::store(conn, &events)?;
            tracing::info!(community = %c.name, account = %account.ap_id, approve, "join request decided");
            Ok(JoinRequest {
                account,
                requested_at: follow.created_at,
                first_from_server,
            })
        })
        .await
}
