//! What a local community sends: forwarded activities (FEP-1b12), moderation,
//! and Deletes to a server whose access was revoked.

use super::send::{Outgoing, inbox_of, public};
use crate::{
    db::{self, actors::Actor},
    error::AppResult,
    federation::activities::{
        announce::Announced,
        delete::Delete,
        moderation::{AddOrRemove, AddOrRemoveType, Block},
        stored_url,
        undo::{Undo, Undoable},
    },
};

/// The community forwards an activity it accepted from a member, as received.
pub async fn forward(
    out: &mut Outgoing<'_>,
    community_id: i64,
    activity: serde_json::Value,
) -> AppResult<()> {
    let community = out.actor(community_id).await?;
    if !community.local || !community.federates() {
        return Ok(());
    }
    match new_post(&activity) {
        Some(post) => {
            out.announce_post(&community, Announced::Other(activity), Announced::Id(post))
                .await
        }
        None => {
            out.announce_to(&community, Announced::Other(activity), vec![])
                .await
        }
    }
}

/// The post a member's `Create` brings (its id), re-shared bare as local posts
/// are. A poll vote (a `Note` with a `name` and no `content`) is no post.
fn new_post(activity: &serde_json::Value) -> Option<url::Url> {
    let object = &activity["object"];
    if activity["type"] != "Create" || (object.is_object() && object.get("content").is_none()) {
        return None;
    }
    crate::federation::protocol::refs::url_of(object)
}

/// `by` made `person` a moderator of the community, or no longer one.
pub async fn moderator_changed(
    out: &mut Outgoing<'_>,
    community_id: i64,
    person_id: i64,
    added: bool,
    by: i64,
) -> AppResult<()> {
    let (community, person, moderator) = three(out, community_id, person_id, by).await?;
    let (kind, name) = if added {
        (AddOrRemoveType::Add, "add")
    } else {
        (AddOrRemoveType::Remove, "remove")
    };
    let change = AddOrRemove::new(out.new_id(name), kind, &moderator, &person, &community)?;
    moderation(
        out,
        &community,
        &person,
        Announced::AddOrRemove(Box::new(change)),
    )
    .await
}

/// `by` banned `person` from the community.
pub async fn banned(
    out: &mut Outgoing<'_>,
    community_id: i64,
    person_id: i64,
    by: i64,
    reason: &str,
) -> AppResult<()> {
    let (community, person, moderator) = three(out, community_id, person_id, by).await?;
    let id = out.new_id("block");
    let ban = Block::new(id, &moderator, &person, Some((&community, reason)))?;
    moderation(out, &community, &person, Announced::Block(Box::new(ban))).await
}

/// `by` pinned a thread first in the community (`on`) or unpinned it: an `Add`
/// to (or `Remove` from) its `featured` collection, announced by the community.
pub async fn featured(
    out: &mut Outgoing<'_>,
    community_id: i64,
    status_id: i64,
    by: i64,
    on: bool,
) -> AppResult<()> {
    let (community, moderator) = (out.actor(community_id).await?, out.actor(by).await?);
    if !community.local || !community.federates() {
        return Ok(());
    }
    let post = out
        .state
        .db
        .run(move |c| Ok(db::statuses::by_id(c, status_id)?))
        .await?
        .ok_or_else(crate::error::AppError::not_found)?;
    let (kind, name) = if on {
        (AddOrRemoveType::Add, "add")
    } else {
        (AddOrRemoveType::Remove, "remove")
    };
    let change =
        AddOrRemove::featured(out.new_id(name), kind, &moderator, &post.ap_id, &community)?;
    out.announce_to(&community, Announced::AddOrRemove(Box::new(change)), vec![])
        .await
}

/// `by` lifted `person`'s ban: an `Undo` of a `Block` like the ban's (as Lemmy
/// sends it), announced by the community.
pub async fn unbanned(
    out: &mut Outgoing<'_>,
    community_id: i64,
    person_id: i64,
    by: i64,
) -> AppResult<()> {
    let (community, person, moderator) = three(out, community_id, person_id, by).await?;
    let ban = Block::new(
        out.new_id("block"),
        &moderator,
        &person,
        Some((&community, "")),
    )?;
    let undo = Undo::new(
        out.new_id("undo"),
        &moderator,
        Undoable::Block(ban),
        vec![public()],
    )?;
    moderation(out, &community, &person, Announced::Undo(Box::new(undo))).await
}

/// A server lost access to the community: a `Delete` of each of our statuses it
/// was sent, so that it drops what it held.
pub async fn revoked(out: &mut Outgoing<'_>, community_id: i64, domain: String) -> AppResult<()> {
    let (community, (objects, inboxes)) = out
        .state
        .db
        .run(move |c| {
            let community = db::actors::by_id(c, community_id)?;
            let held = db::outbox::delivered_to(c, community_id, &domain)?;
            Ok((community, held))
        })
        .await?;
    let ours = format!("{}/statuses/", out.state.urls.base());
    let audience = stored_url(&community.ap_id)?;
    for object in objects.iter().filter(|o| o.starts_with(&ours)) {
        let delete = Delete::new(
            out.new_id("delete"),
            &community,
            stored_url(object)?,
            vec![public()],
            vec![],
            Some(audience.clone()),
        )?;
        out.send(&community, &delete, inboxes.clone())?;
    }
    Ok(())
}

async fn three(out: &Outgoing<'_>, a: i64, b: i64, c: i64) -> AppResult<(Actor, Actor, Actor)> {
    Ok((
        out.actor(a).await?,
        out.actor(b).await?,
        out.actor(c).await?,
    ))
}

/// A moderation activity of a local community, announced by the community (which
/// vouches for it) to its members' servers and to the person concerned, who may
/// no longer be a member.
async fn moderation(
    out: &mut Outgoing<'_>,
    community: &Actor,
    person: &Actor,
    activity: Announced,
) -> AppResult<()> {
    if !community.local || !community.federates() {
        return Ok(());
    }
    let extra = if person.local {
        vec![]
    } else {
        vec![inbox_of(person)]
    };
    out.announce_to(community, activity, extra).await
}
