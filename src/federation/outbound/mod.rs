//! Events → activities, routed as FEP-1b12 wants. Services store events in their
//! transactions (`service::events`); the delivery workers (`federation::delivery`)
//! turn them into activities with `activities_for` and deliver them, so no client
//! request waits on a delivery.
//!
//! Each activity is built by the struct that also receives it
//! (`federation::activities`); this module only decides which one, and for whom.
//! Content of an `internal` community never gets here as an activity: every path
//! checks the community before building anything.

mod agenda;
mod communities;
mod people;
mod reshares;
mod send;
mod statuses;
mod surveys;

use people::Relation;
use send::Outgoing;

use super::activities::{accept::Answer, create_or_update::CreateOrUpdateType};
use crate::{
    db::outbox::NewActivity,
    error::{AppError, AppResult},
    service::events::Event,
    state::AppState,
};

/// The activities an event becomes, with their destinations (none sent yet).
pub async fn activities_for(state: &AppState, event: Event) -> AppResult<Vec<NewActivity>> {
    use Event as E;
    let out = &mut Outgoing::new(state);
    match event {
        E::StatusCreated { status_id } => {
            statuses::written(out, status_id, CreateOrUpdateType::Create).await
        }
        E::StatusUpdated { status_id } => {
            statuses::written(out, status_id, CreateOrUpdateType::Update).await
        }
        E::StatusDeleted { status_id, by } => statuses::deleted(out, status_id, by).await,
        E::StatusRestored { status_id, by } => statuses::restored(out, status_id, by).await,
        E::Liked {
            actor_id,
            status_id,
            activity_id,
        } => statuses::liked(out, actor_id, status_id, &activity_id, false).await,
        E::Unliked {
            actor_id,
            status_id,
            activity_id,
        } => statuses::liked(out, actor_id, status_id, &activity_id, true).await,
        E::Reblogged { status_id } => statuses::boosted(out, status_id, false).await,
        E::Unreblogged { status_id } => statuses::boosted(out, status_id, true).await,
        E::Voted {
            status_id,
            actor_id,
            choices,
        } => statuses::voted(out, status_id, actor_id, choices).await,
        E::Reported { report_id } => people::reported(out, report_id).await,
        E::Announce {
            community_id,
            activity,
        } => communities::forward(out, community_id, activity).await,
        E::ModeratorChanged {
            community_id,
            actor_id,
            added,
            by,
        } => communities::moderator_changed(out, community_id, actor_id, added, by).await,
        E::Banned {
            community_id,
            actor_id,
            by,
            reason,
        } => communities::banned(out, community_id, actor_id, by, &reason).await,
        E::Featured {
            community_id,
            status_id,
            by,
            on,
        } => communities::featured(out, community_id, status_id, by, on).await,
        E::Unbanned {
            community_id,
            actor_id,
            by,
        } => communities::unbanned(out, community_id, actor_id, by).await,
        E::Revoked {
            community_id,
            domain,
        } => communities::revoked(out, community_id, domain).await,
        E::EventAnswered {
            status_id,
            actor_id,
            activity_id,
        } => agenda::answered(out, status_id, actor_id, &activity_id).await,
        E::EventPlaceGiven {
            status_id,
            actor_id,
        } => agenda::place_given(out, status_id, actor_id).await,
        E::SurveyAnswered {
            status_id,
            actor_id,
            activity_id,
            answers,
        } => surveys::answered(out, (status_id, actor_id), &activity_id, &answers).await,
        e @ (E::FollowRequested { .. }
        | E::Unfollowed { .. }
        | E::Blocked { .. }
        | E::Unblocked { .. }
        | E::FollowAccepted { .. }
        | E::FollowRejected { .. }
        | E::ActorUpdated { .. }
        | E::ActorDeleted { .. }) => relations(out, e).await,
    }?;
    Ok(std::mem::take(&mut out.activities))
}

/// Events between two people: follows and blocks, their answers and undoing,
/// and a person's profile changing or going.
async fn relations(out: &mut Outgoing<'_>, event: Event) -> AppResult<()> {
    use {Event as E, Relation::*};
    match event {
        E::FollowRequested {
            follower_id: a,
            target_id: b,
            activity_id: id,
        } => people::relation(out, (Follow, false), (a, b), &id).await,
        E::Unfollowed {
            follower_id: a,
            target_id: b,
            activity_id: id,
        } => people::relation(out, (Follow, true), (a, b), &id).await,
        E::Blocked {
            actor_id: a,
            target_id: b,
            activity_id: id,
        } => people::relation(out, (Block, false), (a, b), &id).await,
        E::Unblocked {
            actor_id: a,
            target_id: b,
            activity_id: id,
        } => people::relation(out, (Block, true), (a, b), &id).await,
        E::FollowAccepted {
            follower_id,
            target_id,
            activity_id,
        } => people::answered(out, Answer::Accept, follower_id, target_id, &activity_id).await,
        E::FollowRejected {
            follower_id,
            target_id,
            activity_id,
        } => people::answered(out, Answer::Reject, follower_id, target_id, &activity_id).await,
        E::ActorUpdated { actor_id } => people::updated(out, actor_id).await,
        E::ActorDeleted { actor_id, inboxes } => people::deleted(out, actor_id, inboxes).await,
        other => Err(AppError::internal(anyhow::anyhow!(
            "not an event between people: {other:?}"
        ))),
    }
}
