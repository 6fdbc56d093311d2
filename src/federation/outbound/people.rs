//! Activities between people (and communities as actors): follows, blocks and
//! their answers, profile changes, account deletion, reports.

use super::send::{Outgoing, inbox_of, public};
use crate::{
    db,
    error::AppResult,
    federation::activities::{
        accept::{Accept, Answer},
        delete::Delete,
        flag::Flag,
        follow::Follow,
        moderation::Block,
        stored_url,
        undo::{Undo, Undoable},
        update_actor::UpdateActor,
    },
    model::{actor::ActorKind, visibility::CommunityVisibility},
};

/// Which relation a follow-like event is about.
#[derive(Clone, Copy, PartialEq)]
pub enum Relation {
    Follow,
    Block,
}

/// A `Follow` or a personal `Block` (or its `Undo`), to the target's inbox.
pub async fn relation(
    out: &mut Outgoing<'_>,
    (relation, undo): (Relation, bool),
    (actor_id, target_id): (i64, i64),
    activity_id: &str,
) -> AppResult<()> {
    let (actor, target) = (out.actor(actor_id).await?, out.actor(target_id).await?);
    let id = stored_url(activity_id)?;
    let object = match relation {
        Relation::Follow => Undoable::Follow(Follow::new(id, &actor, &target)?),
        Relation::Block => Undoable::Block(Block::new(id, &actor, &target, None)?),
    };
    let inboxes = vec![target.inbox_url.clone()];
    if undo {
        let undo = Undo::new(out.new_id("undo"), &actor, object, vec![])?;
        out.send(&actor, &undo, inboxes)
    } else {
        out.send(&actor, &object, inboxes)
    }
}

/// A local actor's answer to a remote follower's `Follow`.
pub async fn answered(
    out: &mut Outgoing<'_>,
    answer: Answer,
    follower_id: i64,
    target_id: i64,
    activity_id: &str,
) -> AppResult<()> {
    let (follower, target) = (out.actor(follower_id).await?, out.actor(target_id).await?);
    let follow = Follow::new(stored_url(activity_id)?, &follower, &target)?;
    let id = out.new_id(match answer {
        Answer::Accept => "accept",
        Answer::Reject => "reject",
    });
    out.send(
        &target,
        &Accept::new(id, answer, follow),
        vec![follower.inbox_url.clone()],
    )
}

/// A local actor's profile changed: an `Update` to its followers' servers (a
/// community's only within its reach). A suspension travels as the key-only
/// actor with `suspended`, its end as the whole actor again (as Mastodon).
pub async fn updated(out: &mut Outgoing<'_>, actor_id: i64) -> AppResult<()> {
    let actor = out.actor(actor_id).await?;
    if !actor.local || !actor.federates() {
        return Ok(());
    }
    let followers = out
        .state
        .db
        .run(move |c| Ok(db::follows::remote_followers(c, actor_id)?))
        .await?;
    let to = if actor.reach() == CommunityVisibility::Public {
        public()
    } else {
        stored_url(&format!("{}/followers", actor.ap_id))?
    };
    let update = UpdateActor::new(out.new_id("update"), &actor, vec![to])?;
    let mut inboxes: Vec<String> = followers.iter().map(inbox_of).collect();
    if actor.kind() == ActorKind::Group {
        inboxes = out.within_reach(&actor, inboxes).await?;
    }
    out.send(&actor, &update, inboxes)
}

/// A local account was deleted: the `Delete` of the actor goes to `inboxes`.
pub async fn deleted(out: &mut Outgoing<'_>, actor_id: i64, inboxes: Vec<String>) -> AppResult<()> {
    let actor = out.actor(actor_id).await?;
    let me = stored_url(&actor.ap_id)?;
    let delete = Delete::new(
        out.new_id("delete"),
        &actor,
        me,
        vec![public()],
        vec![],
        None,
    )?;
    out.send(&actor, &delete, inboxes)
}

/// A local person's report of a remote account, from the instance actor (the
/// reporter stays anonymous there), to the reported account's server; only that
/// server's statuses.
pub async fn reported(out: &mut Outgoing<'_>, report_id: i64) -> AppResult<()> {
    let found = out
        .state
        .db
        .run(move |c| {
            let Some(r) = db::reports::by_id(c, report_id)? else {
                return Ok(None);
            };
            let target = db::actors::by_id(c, r.target_id)?;
            let statuses = db::statuses::by_ids(c, &r.statuses())?;
            Ok(Some((r, target, statuses, db::actors::instance_actor(c)?)))
        })
        .await?;
    let Some((report, target, statuses, Some(instance))) = found else {
        return Ok(());
    };
    let Some(id) = report.ap_id.as_deref().filter(|_| !target.local) else {
        return Ok(());
    };
    let mut object = vec![stored_url(&target.ap_id)?];
    for s in statuses
        .iter()
        .filter(|s| !s.local && s.actor_id == target.id)
    {
        object.push(stored_url(&s.ap_id)?);
    }
    let flag = Flag::new(
        stored_url(id)?,
        &instance,
        object,
        report.comment.clone(),
        vec![stored_url(&target.ap_id)?],
    )?;
    out.send(&instance, &flag, vec![inbox_of(&target)])
}
