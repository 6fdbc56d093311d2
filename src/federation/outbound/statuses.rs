//! Activities about statuses: written, deleted, liked, boosted, voted on.
//! Content of an `internal` community or status never gets past `load`.

use url::Url;

use super::send::{Context, Outgoing, inbox_of, public};
use crate::{
    db,
    error::AppResult,
    federation::{
        activities::{
            announce::{Announce, Announced},
            create_or_update::{CreateOrUpdate, CreateOrUpdateType},
            delete::Delete,
            like::Like,
            stored_url,
            undo::{Undo, Undoable},
        },
        objects::post,
        protocol::post::ApPost,
    },
    model::visibility::Visibility,
};

/// The status and who it concerns, unless it is gone or confidential.
async fn load(out: &Outgoing<'_>, status_id: i64) -> AppResult<Option<Context>> {
    out.state
        .db
        .run(move |c| {
            let Some(status) = db::statuses::by_id(c, status_id)? else {
                return Ok(None);
            };
            let author = db::actors::by_id(c, status.actor_id)?;
            let community = status
                .community_id
                .map(|i| db::actors::by_id(c, i))
                .transpose()?;
            if status.confidential(community.as_ref()) {
                return Ok(None);
            }
            let ids: Vec<i64> = db::statuses::mentioned_actor_ids(c, &[status_id])?
                .into_iter()
                .map(|(_, a)| a)
                .collect();
            let mentioned = db::actors::by_ids(c, &ids)?
                .into_iter()
                .filter(|a| !a.local)
                .collect();
            let followers = db::follows::remote_followers(c, author.id)?;
            Ok(Some(Context {
                status,
                author,
                community,
                mentioned,
                followers,
            }))
        })
        .await
}

/// A `Create` (with the post itself announced alongside) or an `Update`.
pub async fn written(
    out: &mut Outgoing<'_>,
    status_id: i64,
    kind: CreateOrUpdateType,
) -> AppResult<()> {
    let Some(ctx) = load(out, status_id).await? else {
        return Ok(());
    };
    let object = post::to_ap(out.state, &ctx.status).await?;
    let id = out.new_id(match kind {
        CreateOrUpdateType::Create => "create",
        CreateOrUpdateType::Update => "update",
    });
    let activity = CreateOrUpdate::new(id, kind, &ctx.author, object.clone())?;
    let new_post = (kind == CreateOrUpdateType::Create).then_some(object);
    out.route(
        &ctx,
        Announced::CreateOrUpdate(Box::new(activity)),
        new_post,
    )
    .await
}

/// A `Delete` by `by`: the author, or a moderator removing it.
pub async fn deleted(out: &mut Outgoing<'_>, status_id: i64, by: i64) -> AppResult<()> {
    removal(out, status_id, by, false).await
}

/// A moderator's removal undone: an `Undo` of a `Delete` like the removal's
/// (as Lemmy restores), routed as the removal was.
pub async fn restored(out: &mut Outgoing<'_>, status_id: i64, by: i64) -> AppResult<()> {
    removal(out, status_id, by, true).await
}

async fn removal(out: &mut Outgoing<'_>, status_id: i64, by: i64, undo: bool) -> AppResult<()> {
    let Some(ctx) = load(out, status_id).await? else {
        return Ok(());
    };
    let deleter = out.actor(by).await?;
    let community = ctx
        .community
        .as_ref()
        .map(|c| stored_url(&c.ap_id))
        .transpose()?;
    let by_moderator = deleter.id != ctx.author.id;
    let mut delete = Delete::new(
        out.new_id("delete"),
        &deleter,
        stored_url(&ctx.status.ap_id)?,
        vec![public()],
        community.clone().into_iter().collect(),
        community,
    )?;
    if by_moderator {
        delete = delete.as_removal("");
    }
    let activity = if undo {
        let undo = Undo::new(
            out.new_id("undo"),
            &deleter,
            Undoable::Delete(Box::new(delete)),
            vec![public()],
        )?;
        Announced::Undo(Box::new(undo))
    } else {
        Announced::Delete(Box::new(delete))
    };
    let ctx = Context {
        author: deleter,
        ..ctx
    };
    out.route(&ctx, activity, None).await?;
    match &ctx.community {
        Some(c) if by_moderator => super::reshares::removal(out, c, &ctx.status, undo).await,
        _ => Ok(()),
    }
}

/// A `Like` (or its `Undo`): to the community, or to the author; never to
/// mentioned people.
pub async fn liked(
    out: &mut Outgoing<'_>,
    actor_id: i64,
    status_id: i64,
    activity_id: &str,
    undo: bool,
) -> AppResult<()> {
    let Some(ctx) = load(out, status_id).await? else {
        return Ok(());
    };
    let liker = out.actor(actor_id).await?;
    let like = Like::new(
        stored_url(activity_id)?,
        &liker,
        &ctx.status,
        ctx.community.as_ref(),
    )?;
    let activity = if undo {
        let undo = Undo::new(out.new_id("undo"), &liker, Undoable::Like(like), vec![])?;
        Announced::Undo(Box::new(undo))
    } else {
        Announced::Like(Box::new(like))
    };
    if ctx.community.is_none() {
        let author = (!ctx.author.local).then(|| inbox_of(&ctx.author));
        return out.send(&liker, &activity, author.into_iter().collect());
    }
    let ctx = Context {
        author: liker,
        mentioned: vec![],
        followers: vec![],
        ..ctx
    };
    out.route(&ctx, activity, None).await
}

/// Votes go to the poll's author only (not its community, which would show
/// everyone who chose what): one `Create` of a `Note` per choice.
pub async fn voted(
    out: &mut Outgoing<'_>,
    status_id: i64,
    actor_id: i64,
    choices: Vec<(String, String)>,
) -> AppResult<()> {
    let Some(ctx) = load(out, status_id).await? else {
        return Ok(());
    };
    if ctx.author.local {
        return Ok(());
    }
    let voter = out.actor(actor_id).await?;
    for (id, name) in choices {
        let note = ApPost::vote(
            stored_url(&id)?,
            stored_url(&voter.ap_id)?,
            name,
            stored_url(&ctx.status.ap_id)?,
            stored_url(&ctx.author.ap_id)?,
        );
        let id = stored_url(&format!("{id}/activity"))?;
        let create = CreateOrUpdate::new(id, CreateOrUpdateType::Create, &voter, note)?;
        out.send(&voter, &create, vec![ctx.author.inbox_url.clone()])?;
    }
    Ok(())
}

/// A boost (`Announce`) or its `Undo`, to the booster's followers' servers and
/// the boosted author's.
pub async fn boosted(out: &mut Outgoing<'_>, status_id: i64, undo: bool) -> AppResult<()> {
    let found = out
        .state
        .db
        .run(move |c| {
            let Some(boost) = db::statuses::by_id(c, status_id)? else {
                return Ok(None);
            };
            let Some(original) = boost
                .reblog_of_id
                .map(|o| db::statuses::by_id(c, o))
                .transpose()?
                .flatten()
            else {
                return Ok(None);
            };
            let booster = db::actors::by_id(c, boost.actor_id)?;
            let author = db::actors::by_id(c, original.actor_id)?;
            let followers = db::follows::remote_followers(c, booster.id)?;
            Ok(Some((boost, original, booster, author, followers)))
        })
        .await?;
    let Some((boost, original, booster, author, followers)) = found else {
        return Ok(());
    };
    // Only public statuses are boosted; checked again where data leaves.
    if !booster.local || !original.visibility.is_public() {
        return Ok(());
    }
    // Addressed as the boost's own visibility says.
    let collection: Vec<Url> = booster
        .followers_url
        .iter()
        .map(|f| stored_url(f))
        .collect::<AppResult<_>>()?;
    let (to, mut cc) = match boost.visibility {
        Visibility::Public => (vec![public()], collection),
        Visibility::Unlisted => (collection, vec![public()]),
        _ => (collection, vec![]),
    };
    cc.push(stored_url(&author.ap_id)?);
    let announce = Announce::new(
        stored_url(&boost.ap_id)?,
        &booster,
        Announced::Id(stored_url(&original.ap_id)?),
        to,
        cc,
        Some(boost.created_at.and_utc()),
    )?;
    let mut inboxes: Vec<String> = followers.iter().map(inbox_of).collect();
    if !author.local {
        inboxes.push(inbox_of(&author));
    }
    if undo {
        let id = stored_url(&format!("{}/undo", boost.ap_id))?;
        let undo = Undo::new(
            id,
            &booster,
            Undoable::Announce(Box::new(announce)),
            vec![public()],
        )?;
        out.send(&booster, &undo, inboxes)
    } else {
        out.send(&booster, &announce, inboxes)
    }
}
