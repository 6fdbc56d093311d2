//! What a group's `Announce` may vouch for (FEP-1b12).
//!
//! An announced activity is signed by the group, not by its actor. The group's
//! server could sign as any actor on its own host anyway, so those are trusted as
//! if they came directly. An actor on a third server is trusted only where the
//! group is the authority: content posted in the group (fetched again from its
//! author's server), its own moderation, and likes and removals of its own threads.
//! An activity in the name of one of our accounts is never accepted from anyone.

use crate::model::visibility::CommunityVisibility;
use activitypub_federation::{config::Data, fetch::fetch_object_http};
use url::Url;

use super::announce::Announced;
use crate::{
    db::{self, actors::Actor},
    error::AppError,
    federation::{objects::authority, protocol::post::ApPost},
    state::AppState,
};

/// Where an announced activity's actor lives, relative to the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// On the group's own server: as trustworthy as a direct delivery.
    GroupHost,
    /// On a third server: only what the group has authority over.
    Elsewhere,
}

fn refused(why: &str) -> AppError {
    AppError::forbidden(format!("Announce: {why}"))
}

/// The checks that need no network: never in the name of ours; a third server's
/// actor only within the group.
pub fn check(data: &Data<AppState>, group: &Url, inner: &Announced) -> Result<Origin, AppError> {
    let Some(actor) = inner.actor() else {
        return Ok(Origin::GroupHost);
    };
    if authority(actor) == data.urls.domain() {
        return Err(refused("an activity in the name of one of our accounts"));
    }
    if authority(actor) == authority(group) {
        return Ok(Origin::GroupHost);
    }
    let base = group.as_str().trim_end_matches('/');
    let (moderators, featured) = (format!("{base}/moderators"), format!("{base}/featured"));
    use super::undo::Undoable;
    match inner {
        Announced::Undo(u) => match &u.object {
            Undoable::Like(_) | Undoable::Delete(_) => Ok(Origin::Elsewhere),
            Undoable::Block(b) if b.target.as_ref() == Some(group) => Ok(Origin::Elsewhere),
            _ => Err(refused(
                "only a like, a removal or a ban may be taken back through a group",
            )),
        },
        Announced::Block(b) if b.target.as_ref() != Some(group) => {
            Err(refused("a group vouches only for bans from itself"))
        }
        Announced::AddOrRemove(a)
            if a.target.as_str() != moderators && a.target.as_str() != featured =>
        {
            Err(refused(
                "a group vouches only for its own moderators and pins",
            ))
        }
        _ => Ok(Origin::Elsewhere),
    }
}

/// The status an announced activity of a third server's actor acts on must be
/// one of the group's threads or comments (unknown statuses are left alone).
pub async fn in_group(
    data: &Data<AppState>,
    group: &Actor,
    object: &Url,
) -> Result<bool, AppError> {
    let (id, group_id) = (object.to_string(), group.id);
    data.db
        .run(move |c| {
            Ok(db::statuses::by_ap_id(c, &id)?.is_some_and(|s| s.community_id == Some(group_id)))
        })
        .await
}

/// Content a third server's actor posted in the group, as its author's server
/// serves it (the group's copy is not trusted). `None` when that server does not
/// let us read it: then only a non-public group's copy may stand, because such
/// a group alone knows who may read it.
pub async fn fetch_post(
    data: &Data<AppState>,
    group: &Actor,
    sent: &ApPost,
) -> Result<Option<ApPost>, AppError> {
    match fetch_object_http::<AppState, ApPost>(&sent.id, data).await {
        Ok(res) => {
            let post = res.object;
            if post.id != sent.id || post.attributed_to != sent.attributed_to {
                return Err(refused("the author's server serves another object"));
            }
            let group_url = group.ap_id.as_str();
            let posted_in_group = post
                .audience
                .as_ref()
                .is_some_and(|a| a.as_str() == group_url)
                || post.addressees().any(|u| u.as_str() == group_url);
            if !posted_in_group {
                return Err(refused(
                    "the author's server says it was not posted in this group",
                ));
            }
            Ok(Some(post))
        }
        Err(e) => {
            let e = AppError::from(e);
            // 401, 403 and 404 all come as 404 (`fetch_guard`).
            if e.status == axum::http::StatusCode::NOT_FOUND
                && group.reach() != CommunityVisibility::Public
            {
                tracing::info!(object = %sent.id, "the author's server does not serve this non-public community's post to us; the group's copy stands");
                return Ok(None);
            }
            Err(e)
        }
    }
}
