//! Answers to events that travel: a local person's to another server's event
//! (to its organiser only), and the organiser's `Accept` when a remote person
//! gets a place at one of ours (to that person only).

use super::send::{Outgoing, inbox_of};
use crate::{
    db,
    error::{AppError, AppResult},
    federation::activities::{
        accept::{Accept, Answer, FollowRef},
        participation::{Participation, ParticipationKind},
        stored_url,
    },
    service::agenda::answers::Choice,
};

/// `Join`, `TentativeAccept` or `Leave` from a local person, as their answer now stands.
pub async fn answered(
    out: &mut Outgoing<'_>,
    status_id: i64,
    actor_id: i64,
    activity_id: &str,
) -> AppResult<()> {
    let found = out
        .state
        .db
        .run(move |c| {
            let status = db::statuses::by_id(c, status_id)?.ok_or_else(AppError::not_found)?;
            let answer = db::events::answer_of(c, status_id, actor_id)?;
            Ok((status, answer))
        })
        .await?;
    let (status, answer) = found;
    if status.local {
        return Ok(());
    }
    let choice = answer
        .as_ref()
        .map(|a| Choice::parse(&a.answer))
        .transpose()?;
    let (person, organiser) = (
        out.actor(actor_id).await?,
        out.actor(status.actor_id).await?,
    );
    let activity = Participation::new(
        stored_url(activity_id)?,
        ParticipationKind::of(choice),
        stored_url(&person.ap_id)?,
        stored_url(&status.ap_id)?,
        stored_url(&organiser.ap_id)?,
    );
    out.send(&person, &activity, vec![inbox_of(&organiser)])
}

/// The organiser accepts a remote person's `Join` (the answer's activity id).
pub async fn place_given(out: &mut Outgoing<'_>, status_id: i64, actor_id: i64) -> AppResult<()> {
    let found = out
        .state
        .db
        .run(move |c| {
            let status = db::statuses::by_id(c, status_id)?.ok_or_else(AppError::not_found)?;
            let answer = db::events::answer_of(c, status_id, actor_id)?;
            Ok((status, answer))
        })
        .await?;
    let (status, Some(answer)) = found else {
        return Ok(());
    };
    let Some(join) = answer.ap_id.as_deref() else {
        return Ok(());
    };
    let (person, organiser) = (
        out.actor(actor_id).await?,
        out.actor(status.actor_id).await?,
    );
    let accept = Accept {
        id: out.new_id("accept"),
        kind: Answer::Accept,
        actor: stored_url(&organiser.ap_id)?.into(),
        object: FollowRef::Id(stored_url(join)?),
    };
    out.send(&organiser, &accept, vec![inbox_of(&person)])
}
