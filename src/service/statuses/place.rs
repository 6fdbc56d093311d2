//! Where a remote object belongs (its community), and whether it may go there.

use activitypub_federation::{config::Data, fetch::object_id::ObjectId};

use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult},
    federation::objects::actor::DbActor,
    model::actor::ActorKind,
    model::visibility::CommunityVisibility,
    state::AppState,
};

use super::{RemotePost, check_may_post};

/// Where a remote object belongs: its `audience`, a group among its addressees, or
/// a local group it mentions (Mastodon users posting to a community).
pub(super) async fn community_of(
    data: &Data<AppState>,
    post: &RemotePost,
    parent: Option<&Status>,
) -> AppResult<Option<Actor>> {
    if let Some(p) = parent {
        let id = p.community_id;
        return data
            .db
            .run(move |c| Ok(id.map(|i| db::actors::by_id(c, i)).transpose()?))
            .await;
    }
    for url in &post.community_candidates {
        let id = url.to_string();
        let known = data
            .db
            .run(move |c| Ok(db::actors::by_ap_id(c, &id)?))
            .await?;
        let actor = match known {
            Some(a) => Some(a),
            None if post.audience.as_ref() == Some(url) => ObjectId::<DbActor>::from(url.clone())
                .dereference(data)
                .await
                .ok()
                .map(|a| a.row),
            None => None,
        };
        if let Some(a) = actor.filter(|a| a.kind() == ActorKind::Group) {
            return Ok(Some(a));
        }
    }
    Ok(None)
}

/// A remote post in one of our communities must be addressed as the community
/// addresses its own content: only a public community's posts may go to Public.
pub(super) fn check_addressing(post: &RemotePost, community: &Actor) -> AppResult<()> {
    if community.reach() != CommunityVisibility::Public && post.to_public {
        return Err(AppError::forbidden(format!(
            "Posts in a {} community may not be addressed to Public",
            community.visibility
        )));
    }
    Ok(())
}

/// The checks on a remote post that need nothing fetched, run by the inbox before
/// it answers, so a post refused for size, membership or a ban gets its 4xx there
/// (`accept_remote` checks again when the post is applied).
pub async fn precheck_remote(data: &Data<AppState>, post: RemotePost) -> AppResult<()> {
    post.check_size()?;
    let parent = post.in_reply_to.as_ref().map(|u| u.to_string());
    let candidates: Vec<String> = post
        .community_candidates
        .iter()
        .map(|u| u.to_string())
        .collect();
    let author = post.author.to_string();
    data.db
        .run(move |c| {
            let community = match parent {
                Some(p) => match db::statuses::by_ap_id(c, &p)? {
                    Some(s) => s
                        .community_id
                        .map(|i| db::actors::by_id(c, i))
                        .transpose()?,
                    // An unknown parent is fetched later; the post is checked then.
                    None => return Ok(()),
                },
                None => {
                    let mut found = None;
                    for url in &candidates {
                        if let Some(a) = db::actors::by_ap_id(c, url)?
                            && a.kind() == ActorKind::Group
                        {
                            found = Some(a);
                            break;
                        }
                    }
                    found
                }
            };
            let Some(community) = community.filter(|c| c.local) else {
                return Ok(());
            };
            if !community.federates() {
                return Err(AppError::not_found());
            }
            check_addressing(&post, &community)?;
            match db::actors::by_ap_id(c, &author)? {
                Some(a) => check_may_post(c, &community, a.id),
                None => Err(AppError::forbidden("Join the community to post in it")),
            }
        })
        .await
}
